"""`claimalign export`: findings as ClaimReview or Web Annotations, tables as CSV or Parquet."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ClaimalignError
from ..settings import CONFIG_NAME
from . import write_output

__all__ = ["register"]


def run(args: argparse.Namespace) -> int:
    """Export one corpus to standard output or to a new file."""
    from ..corpus import load_corpus
    from ..export import export_corpus, load_reviewer, write_new
    from ..outguard import check_file_out

    if args.out is not None:
        check_file_out(args.out, args.force)
    if args.out is None and args.to == "parquet":
        raise ClaimalignError("Parquet is binary: give a file with --out")
    corpus = load_corpus(args.corpus_dir)
    if args.primary:
        corpus = corpus.with_primary(args.primary)
    reviewer = load_reviewer(corpus.root, name=args.reviewer, url=args.reviewer_url) \
        if args.to == "claimreview" else None
    data = export_corpus(corpus, args.to, table=args.table, reviewer=reviewer, date=args.date)
    if args.out is None:
        write_output(data)  # type: ignore[arg-type]
    else:
        write_new(data, args.out, force=args.force)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """The `export` subcommand."""
    p = subparsers.add_parser(
        "export", help="export findings as ClaimReview or Web Annotations, or tables as CSV/Parquet",
        description="Export a corpus's findings for publication or annotation tools (see docs/formats.md).")
    p.add_argument("corpus_dir", metavar="CORPUS_DIR", type=Path)
    p.add_argument("--to", required=True, choices=["claimreview", "annotations", "csv", "parquet"])
    p.add_argument("--table", choices=["findings", "claims"], default="findings",
                   help="for csv/parquet: which table (default: findings)")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists (never a file of a corpus)")
    p.add_argument("--primary", help="id of the primary document (default: the manifest's)")
    p.add_argument("--reviewer", help=f"reviewing organization's name (default: from {CONFIG_NAME})")
    p.add_argument("--reviewer-url", help="reviewing organization's web address")
    p.add_argument("--date", help="ClaimReview datePublished, YYYY-MM-DD (default: today)")
    p.set_defaults(func=run)
