"""The `claims` and `findings` subcommands."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Iterable

from ..safetext import terminal_safe
from ..settings import Settings, corpus_settings, specs
from . import dumps, write_output

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
    add_settings_arguments(p)
    p.set_defaults(func=run_findings)
    p = sub.add_parser("settings", help="list every setting with its value and what it does")
    p.add_argument("corpus", type=Path, nargs="?", help="corpus folder whose claimalign.yaml applies")
    add_settings_arguments(p)
    p.add_argument("--format", choices=["table", "yaml"], default="table")
    p.set_defaults(func=run_settings)


def add_settings_arguments(p: argparse.ArgumentParser) -> None:
    """`--set name=value` (repeatable) and `--settings FILE`, for every command that runs the rules."""
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a setting, e.g. --set quotes.misquote_min=70 (see `claimalign settings`)")
    p.add_argument("--settings", type=Path, metavar="FILE", help="a YAML file of settings (name: value)")


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings a command line asks for: --settings FILE, then each --set."""
    settings = Settings()
    if getattr(args, "settings", None):
        settings = settings.with_file(args.settings)
    return settings.with_assignments(getattr(args, "set", None) or [])


def run_claims(args: argparse.Namespace) -> int:
    """Print the claims table of a corpus as JSON (a list of claims) or CSV."""
    from ..corpus import load_corpus
    from ..extract import claims_frame, extract_claims
    from ..rules.engine import check_sizes
    from ..settings import corpus_settings

    corpus = load_corpus(args.corpus)
    check_sizes(corpus, corpus_settings(corpus.root, None))
    claims = extract_claims(corpus)
    if args.format == "json":
        write_json_list(c.to_dict() for c in claims)
    else:
        from ..export import to_csv

        write_output(to_csv(claims_frame(claims)))
    return 0


def run_findings(args: argparse.Namespace) -> int:
    """Print the findings of a corpus as JSON, CSV or a plain table."""
    from ..corpus import load_corpus
    from ..rules import find_findings

    findings = find_findings(load_corpus(args.corpus), primary=args.primary, settings=settings_from(args),
                             apart=True)  # this command's main module is guarded: a spawned process may import it
    if args.format == "json":
        write_json_list(f.to_dict() for f in findings)
        return 0
    if args.format == "csv":
        from ..export import to_csv
        from ..rules.finding import findings_frame

        write_output(to_csv(findings_frame(findings)))
        return 0
    write_output(terminal_safe(table([f.to_dict() for f in findings])))
    return 0


def write_json_list(items: Iterable[Any]) -> None:
    """Write `dumps(list(items))` one item at a time, so a long list is never held as one string."""
    held: str | None = None
    for item in items:
        text = "  " + dumps(item).replace("\n", "\n  ")
        write_output("[\n" if held is None else held + ",\n")
        held = text
    write_output("[]" if held is None else held + "\n]")


def table(findings: list[dict[str, Any]]) -> str:
    """A terminal table: one line per finding, the evidence's first snippet per source."""
    if not findings:
        return "no findings"
    rows = []
    for f in findings:
        where = "; ".join(f"{e['source']}: \"{_clip(e['text'])}\"" for e in f["evidence"][:3])
        rows.append({"id": f["id"], "type": f["type"], "sev": f["severity"], "status": f["status"],
                     "subject": _clip(f["subject"], 40), "evidence": _clip(where, 110)})
    return plain_table(rows) + f"\n\n{len(findings)} findings"


def plain_table(rows: list[dict[str, str]]) -> str:
    """Rows as aligned text columns under a header, without pandas (it would double start-up)."""
    names = list(rows[0])
    widths = {n: max(len(n), *(len(str(r[n])) for r in rows)) for n in names}
    lines = ["  ".join(n.ljust(widths[n]) for n in names)]
    lines += ["  ".join(str(r[n]).ljust(widths[n]) for n in names) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _clip(text: str, n: int = 50) -> str:
    text = " ".join(terminal_safe(str(text)).split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def run_settings(args: argparse.Namespace) -> int:
    """Print every setting: name, value in force, default, description."""
    import pandas as pd
    import yaml

    settings = corpus_settings(args.corpus, settings_from(args)) if args.corpus else settings_from(args)
    if args.format == "yaml":
        write_output(yaml.safe_dump(settings.effective(), sort_keys=True, allow_unicode=True))
        return 0
    rows = [{"setting": name, "value": settings[name], "default": spec.default, "what it does": spec.doc}
            for name, spec in specs().items()]
    with pd.option_context("display.max_colwidth", 90, "display.width", 250):
        write_output(terminal_safe(pd.DataFrame(rows).to_string(index=False)))
    return 0
