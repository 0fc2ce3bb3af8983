"""The `claims` and `findings` subcommands."""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from .cli import dumps, write_output
from .export import to_csv

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add `claims` and `findings` to the command line."""
    p = sub.add_parser("claims", help="extract the claims of every document of a corpus")
    p.add_argument("corpus", type=Path, help="corpus folder (with manifest.yaml)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=run_claims)
    p = sub.add_parser("findings", help="compare the documents of a corpus and list the findings")
    p.add_argument("corpus", type=Path, help="corpus folder (with manifest.yaml and optional reviews.yaml)")
    p.add_argument("--primary", help="id of the primary document (default: the manifest's)")
    p.add_argument("--format", choices=["json", "csv", "table"], default="table")
    p.set_defaults(func=run_findings)


def run_claims(args: argparse.Namespace) -> int:
    """Print the claims table of a corpus as JSON (a list of claims) or CSV."""
    from .corpus import load_corpus
    from .extract import claims_frame, extract_claims

    claims = extract_claims(load_corpus(args.corpus))
    if args.format == "json":
        write_output(dumps([c.to_dict() for c in claims]))
    else:
        write_output(to_csv(claims_frame(claims)))
    return 0


def run_findings(args: argparse.Namespace) -> int:
    """Print the findings of a corpus as JSON, CSV or a plain table."""
    from .corpus import load_corpus
    from .detect import find_findings
    from .finding import findings_frame

    findings = find_findings(load_corpus(args.corpus), primary=args.primary)
    if args.format == "json":
        write_output(dumps([f.to_dict() for f in findings]))
        return 0
    frame = findings_frame(findings)
    if args.format == "csv":
        write_output(to_csv(frame))
        return 0
    write_output(table(frame))
    return 0


def table(frame: pd.DataFrame) -> str:
    """A terminal table: one line per finding, the evidence's first snippet per source."""
    if frame.empty:
        return "no findings"
    rows = []
    for f in frame.itertuples():
        where = "; ".join(f"{e['source']}: \"{_clip(e['text'])}\"" for e in f.evidence[:3])
        rows.append({"id": f.id, "type": f.type, "sev": f.severity, "status": f.status,
                     "subject": _clip(f.subject, 40), "evidence": _clip(where, 110)})
    with pd.option_context("display.max_colwidth", 120, "display.width", 250):
        return pd.DataFrame(rows).to_string(index=False) + f"\n\n{len(frame)} findings"


def _clip(text: str, n: int = 50) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"
