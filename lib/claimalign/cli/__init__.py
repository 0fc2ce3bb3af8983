"""The `claimalign` command line: one module per command, argparse only."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import warnings
from typing import Sequence

from ..errors import ClaimalignError

__all__ = ["main"]

# Each module defines register(subparsers) and sets `func` on its parser.
COMMAND_MODULES = ("claimalign.cli.claims", "claimalign.cli.add", "claimalign.cli.export", "claimalign.cli.report",
                   "claimalign.cli.batch", "claimalign.cli.align")


def _warn(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    print(f"claimalign: warning: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    from .. import __version__

    parser = argparse.ArgumentParser(prog="claimalign", description=__doc__)
    parser.add_argument("--version", action="version", version=f"claimalign {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand; user errors print one clear message and exit 2."""
    args = build_parser().parse_args(argv)
    warnings.showwarning = _warn
    try:
        return int(args.func(args) or 0)
    except ClaimalignError as exc:
        print(f"claimalign: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover
        return 0


def write_output(text: str) -> None:
    """Print a command's result on standard output, ending with one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def dumps(data: object) -> str:
    """JSON as claimalign writes it: UTF-8, indented, stable key order."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
