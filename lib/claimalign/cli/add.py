"""`claimalign add`: add a .txt, saved .html page or .pdf to a corpus."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..corpus import DEFAULT_MAX_BYTES, MANIFEST, ORIGINALS, OUTLET_BASES

__all__ = ["register"]


def run(args: argparse.Namespace) -> int:
    """Add the document and say where its text went."""
    from ..ingest import add_document  # ruamel and the HTML/PDF readers: only `add` needs them

    entry = add_document(args.corpus_dir, args.file, doc_id=args.id, kind=args.kind, title=args.title,
                         author=args.author, outlet=args.outlet, outlet_basis=args.outlet_basis,
                         date=args.date, url=args.url, language=args.language, notes=args.notes,
                         max_bytes=args.max_bytes)
    extra = f", original kept as {entry['original']}" if entry.get("original") else ""
    print(f"added {entry['id']} ({entry['kind']}) to {Path(args.corpus_dir) / MANIFEST}: "
          f"text in {entry['file']}{extra}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """The `add` subcommand."""
    p = subparsers.add_parser(
        "add", help="add a .txt, saved .html page or .pdf to a corpus",
        description="Add a document and its manifest entry. HTML pages go through trafilatura's "
                    "main-text extraction, PDFs through pypdf; the original is kept in "
                    f"CORPUS_DIR/{ORIGINALS}/. Nothing is ever overwritten.")
    p.add_argument("corpus_dir", metavar="CORPUS_DIR", type=Path)
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--id", help="document id (default: a slug of the file name)")
    p.add_argument("--kind", help="primary, report, campaign, ... (default: report; primary for a new corpus)")
    p.add_argument("--title")
    p.add_argument("--author")
    p.add_argument("--outlet")
    p.add_argument("--outlet-basis", choices=sorted(OUTLET_BASES),
                   help="how the outlet is known (default: stated if the text names it, else inferred)")
    p.add_argument("--date", help="publication date: YYYY-MM-DD, YYYY-MM or YYYY")
    p.add_argument("--url")
    p.add_argument("--language", help="language code, e.g. en")
    p.add_argument("--notes", help="provenance notes to record in the manifest")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                   help=f"refuse files larger than this (default: {DEFAULT_MAX_BYTES:,})")
    p.set_defaults(func=run)
