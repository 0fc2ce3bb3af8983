"""The `align` subcommand: every report sentence with the source sentence(s) it draws on."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import dumps, write_output
from .claims import _clip, add_settings_arguments, plain_table, settings_from

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add `align` to the command line."""
    p = sub.add_parser("align", help="align each report sentence with the primary (or report) sentences it draws on")
    p.add_argument("corpus", type=Path, help="corpus folder (with manifest.yaml)")
    p.add_argument("--primary", help="id of the primary document (default: the manifest's)")
    p.add_argument("--format", choices=["json", "csv", "table"], default="table")
    add_settings_arguments(p)
    p.set_defaults(func=run_align)


def run_align(args: argparse.Namespace) -> int:
    """Print the sentence alignment of a corpus as JSON, CSV or a plain table."""
    from ..corpus import load_corpus
    from ..sentalign import align_sentences, reuse_shares
    from ..rules.engine import check_sizes
    from ..settings import corpus_settings

    corpus = load_corpus(args.corpus)
    if args.primary:
        corpus = corpus.with_primary(args.primary)
    settings = corpus_settings(corpus.root, settings_from(args))
    check_sizes(corpus, settings)
    rows = align_sentences(corpus, settings)
    if args.format == "json":
        write_output(dumps([a.to_dict() for a in rows]))
    elif args.format == "csv":
        from ..export import to_csv
        from ..sentalign import alignments_frame

        write_output(to_csv(alignments_frame(rows)))
    elif not rows:
        write_output("no report sentences")
    else:
        table = plain_table([{"doc": a.report.source, "start": str(a.report.start), "relation": a.relation,
                              "score": f"{a.score:.2f}", "from": a.sources[0].source if a.sources else "",
                              "report sentence": _clip(a.report.text, 60),
                              "source": _clip(" ".join(s.text for s in a.sources), 60)} for a in rows])
        shares = "\n".join(f"{doc}: verbatim {s['verbatim']:.0%}, paraphrase {s['paraphrase']:.0%}, new {s['new']:.0%}"
                           for doc, s in reuse_shares(rows).items())
        write_output(f"{table}\n\n{len(rows)} report sentences; words reused from the primary:\n{shares}")
    return 0
