"""`claimalign report`: every notebook run on a corpus, exported as offline HTML pages."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..rules.finding import SEVERITIES
from .claims import add_settings_arguments, settings_from

__all__ = ["register"]


def run(args: argparse.Namespace) -> int:
    """Build the reports and print where they are."""
    from ..present.report import build_report

    build_report(args.corpus, args.out, primary=args.primary, jobs=args.jobs, min_severity=args.min_severity,
                 settings=settings_from(args), force=args.force)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `report` to the command line."""
    p = sub.add_parser("report", help="run every notebook on a corpus and write offline HTML reports")
    p.add_argument("corpus", type=Path, help="corpus folder (with manifest.yaml)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder: new, empty, or an earlier report's "
                        "(default: reports/<corpus folder name>/ in the project)")
    p.add_argument("--force", action="store_true",
                   help="write into a folder that holds other files (never over them)")
    p.add_argument("--primary", help="id of the primary document (default: the manifest's)")
    p.add_argument("--min-severity", choices=SEVERITIES, default="low", metavar="LEVEL",
                   help="lowest severity the pages list, count and chart: high, medium or low (default: low)")
    add_settings_arguments(p)
    p.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default: 2)")
    p.set_defaults(func=run)
