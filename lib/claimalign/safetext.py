"""Text from documents made safe for where it goes: spreadsheet cells and terminals (JSON stays exact)."""
from __future__ import annotations

import re
from typing import Any

__all__ = ["csv_safe", "csv_original", "terminal_safe", "FORMULA_PREFIX", "FORMULA_STARTS"]

# OWASP's rule for CSV injection: a cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PREFIX = "'"
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?%?")
# ESC sequences (CSI "ESC [ ... final", OSC "ESC ] ... BEL or ESC \", and two-character ones), then
# every other C0 or C1 control but newline and tab, DEL, and the bidirectional overrides that reorder text.
ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
                             r"|\x9b[0-?]*[ -/]*[@-~]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _formula(text: str) -> bool:
    """Whether text, after any leading apostrophes, starts like a formula and is not a plain number."""
    rest = text.lstrip(FORMULA_PREFIX)
    return rest.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(rest)


def csv_safe(value: Any) -> Any:
    """A cell value a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading
    apostrophe, unless it is a plain number ("-3", "+1.5"); other values are returned as they are.
    Text that already starts with apostrophes before such a character gets one more, so that
    `csv_original` gives back the exact text."""
    if isinstance(value, str) and _formula(value):
        return FORMULA_PREFIX + value
    return value


def csv_original(cell: Any) -> Any:
    """The text a `csv_safe` cell was made from (one leading apostrophe removed where it added one)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIX) and _formula(cell[1:]):
        return cell[1:]
    return cell


def terminal_safe(text: str) -> str:
    """Text for a terminal: escape sequences and control characters removed (newline and tab kept)."""
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", text))
