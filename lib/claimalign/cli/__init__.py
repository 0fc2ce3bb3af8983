"""The `claimalign` command line: one module per command, argparse only."""
from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
import warnings
from typing import Sequence

from ..errors import ClaimalignError
from ..jsontext import dumps
from ..safetext import terminal_safe

__all__ = ["main", "write_output", "dumps"]

WRITE_ERRNOS = {errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EFBIG, errno.EDQUOT}

# Each module defines register(subparsers) and sets `func` on its parser.
COMMAND_MODULES = ("claimalign.cli.claims", "claimalign.cli.add", "claimalign.cli.export", "claimalign.cli.report",
                   "claimalign.cli.batch", "claimalign.cli.align")


def _warn(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    print(f"claimalign: warning: {terminal_safe(str(message))}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    from .. import __version__

    parser = argparse.ArgumentParser(prog="claimalign", description=__doc__)
    parser.add_argument("--version", action="version", version=f"claimalign {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    for command in sub.choices.values():
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show the traceback of an error")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand; every error is one line on stderr (exit 2; 3 for a bug), or a
    traceback with --debug."""
    args = build_parser().parse_args(argv)
    warnings.showwarning = _warn
    try:
        status = int(args.func(args) or 0)
        _flush_stdout()
        return status
    except ClaimalignError as exc:
        _fail(f"claimalign: error: {terminal_safe(str(exc))}", args)
        return 2
    except OSError as exc:
        if _is_output_error(exc):
            _fail(f"claimalign: cannot write output ({_reason(exc)})", args)
        else:
            _fail(f"claimalign: error: {terminal_safe(_os_message(exc))}", args)
        return 2
    except KeyboardInterrupt:
        _fail("claimalign: interrupted", args)
        return 130
    except Exception as exc:  # noqa: BLE001  (one line instead of a traceback; --debug shows it)
        _fail(f"claimalign: internal error ({type(exc).__name__}: {terminal_safe(_first_line(exc))}); "
              "this is a bug in claimalign: rerun with --debug for the traceback and report it", args)
        return 3


def _fail(message: str, args: argparse.Namespace) -> None:
    if getattr(args, "debug", False):
        import traceback

        traceback.print_exc(file=sys.stderr)
    try:
        print(message, file=sys.stderr, flush=True)
    except OSError:
        pass


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= 200 else line[:199] + "\u2026"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _os_message(exc: OSError) -> str:
    name = f"{exc.filename}: " if exc.filename else ""
    return f"{name}{_reason(exc)}"


def _is_output_error(exc: OSError) -> bool:
    """Whether an OSError came from writing output; when standard output is what failed, it is
    detached, so that Python's own flush at exit does not fail a second time."""
    on_stdout = isinstance(exc, BrokenPipeError) or getattr(exc, "claimalign_stdout", False)
    if not on_stdout and exc.filename is None and exc.errno in WRITE_ERRNOS:
        try:
            sys.stdout.flush()
        except OSError:
            on_stdout = True
    if on_stdout:
        _detach_stdout()
    return on_stdout or (exc.filename is None and exc.errno in WRITE_ERRNOS)


def _detach_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        exc.claimalign_stdout = True  # type: ignore[attr-defined]
        raise


def write_output(text: str) -> None:
    """Print a command's result on standard output, ending with one newline."""
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        exc.claimalign_stdout = True  # type: ignore[attr-defined]
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
