"""A normalised view of a raw text for matching, with every character mapped back to raw offsets.

It folds what typography changes but meaning does not: Unicode NFKC, curly quotes and dashes,
markdown emphasis, footnote markers, line and page breaks inside a sentence, repeated
whitespace. Footnote blocks are lifted out into `notes` so that the sentence they interrupt
reads on; site boilerplate lines are kept but marked.
"""
from __future__ import annotations

import bisect
import math
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .errors import ClaimalignError
from .yamlio import read_yaml

__all__ = ["NormText", "Starts", "Ends", "normalize", "boilerplate_patterns", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]

FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    "\u2014": " - ", "\u2015": " - ",
})
DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
FOOTNOTE_MARKS = set("\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u2020\u2021")
SPECIAL = re.compile(r"[^\x20-\x7e]|[*_]|  +")
TERMINAL = tuple('.!?:;"\')]')
BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25cf\u2013\u2014]|\d{1,2}[.)])\s+")
PROSE_WORDS = 8
PARAGRAPH_WORDS = 25
CUT_WORDS = 15  # running prose this long that stops without a full stop was cut by a page turn
SENTENCE_INSIDE = re.compile(r"\w[.!?][\"'\u201d\u2019)]?\s+[\"'\u201c\u2018(]?[A-Z]")


class Starts:
    """Raw start offsets of normalised characters, kept as runs: most characters are copied in
    order, so a run is one (index, offset) pair however long it is, not one offset per character."""

    __slots__ = ("keys", "bases", "length")

    def __init__(self, typecode: str = "i") -> None:
        self.keys = array(typecode)  # normalised index where each run begins, ascending
        self.bases = array(typecode)  # raw offset of that index; the run goes on one by one
        self.length = 0

    def append(self, start: int, count: int = 1) -> None:
        """Add `count` characters whose raw starts are start, start + 1, ..."""
        if not self.keys or self.bases[-1] + self.length - self.keys[-1] != start:
            self.keys.append(self.length)
            self.bases.append(start)
        self.length += count

    def pop(self) -> None:
        self.length -= 1
        if self.keys[-1] == self.length:
            self.keys.pop()
            self.bases.pop()

    def position(self, raw: int, lo: int = 0) -> int:
        """`bisect_left(starts, raw, lo)`: the first normalised index whose raw start is >= raw."""
        k = bisect.bisect_left(self.bases, raw) - 1
        if k < 0:
            return lo
        run_end = self.keys[k + 1] if k + 1 < len(self.keys) else self.length
        inside = self.keys[k] + raw - self.bases[k]
        return max(lo, inside if inside < run_end else run_end)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> int:
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("normalised offset out of range")
        k = bisect.bisect_right(self.keys, i) - 1
        return self.bases[k] + i - self.keys[k]

    def __iter__(self) -> Iterator[int]:
        keys = list(self.keys) + [self.length]
        for k, base in enumerate(self.bases):
            yield from range(base, base + keys[k + 1] - keys[k])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Starts):
            return (self.keys, self.bases, self.length) == (other.keys, other.bases, other.length)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Starts({self.length} offsets in {len(self.keys)} runs)"


class Ends:
    """Raw end offsets of normalised characters: `starts[i] + 1`, except at the few indexes recorded
    (a folded or dropped run), so a long text holds one offset per character, not two."""

    __slots__ = ("starts", "keys", "values")

    def __init__(self, starts: Starts, keys: array, values: array) -> None:
        self.starts, self.keys, self.values = starts, keys, values

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> int:
        n = len(self.starts)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("normalised offset out of range")
        k = bisect.bisect_left(self.keys, i)
        if k < len(self.keys) and self.keys[k] == i:
            return self.values[k]
        return self.starts[i] + 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ends):
            return (self.starts, self.keys, self.values) == (other.starts, other.keys, other.values)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Ends({len(self)} offsets, {len(self.keys)} recorded)"


@dataclass
class NormText:
    """Normalised text; char i comes from raw[starts[i]:ends[i]] (offsets into the whole raw)."""

    text: str
    starts: Starts
    ends: Ends
    notes: list["NormText"] = field(default_factory=list)
    boilerplate: list[tuple[int, int]] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) covering normalised [start, end)."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def is_boilerplate(self, pos: int) -> bool:
        """True when normalised offset `pos` lies on a boilerplate line."""
        i = bisect.bisect_right(self.boilerplate, (pos, math.inf)) - 1
        return i >= 0 and self.boilerplate[i][0] <= pos < self.boilerplate[i][1]

    def newline_before(self, pos: int) -> int:
        """`text.rfind("\\n", 0, pos)` through a sorted index of line breaks (long lines stay cheap)."""
        breaks = self._breaks()
        i = bisect.bisect_left(breaks, pos) - 1
        return breaks[i] if i >= 0 else -1

    def newline_after(self, pos: int) -> int:
        """`text.find("\\n", pos)` through a sorted index of line breaks."""
        breaks = self._breaks()
        i = bisect.bisect_left(breaks, max(pos, 0))
        return breaks[i] if i < len(breaks) else -1

    def _breaks(self) -> list[int]:
        cached = self.__dict__.get("_newlines")
        if cached is None:
            cached = self.__dict__["_newlines"] = [m.start() for m in re.finditer("\n", self.text)]
        return cached

    def views(self) -> list["NormText"]:
        """The body and then each footnote block, for extractors that read everything."""
        return [self, *self.notes]


class _Builder:
    def __init__(self, size: int = 0) -> None:
        self.chunks: list[str] = []
        typecode = "i" if size < 2**31 - 1 else "q"  # 4 bytes per offset where they fit: half the memory
        self.starts = Starts(typecode)
        self.end_keys = array(typecode)  # indexes whose raw end is not start + 1, ascending
        self.end_values = array(typecode)
        self.length = 0

    def last(self) -> str:
        return self.chunks[-1][-1] if self.chunks else ""

    def last_end(self) -> int:
        i = self.length - 1
        return self.end_values[-1] if self.end_keys and self.end_keys[-1] == i else self.starts[i] + 1

    def set_last_end(self, end: int) -> None:
        i = self.length - 1
        if self.end_keys and self.end_keys[-1] == i:
            self.end_keys.pop()
            self.end_values.pop()
        if end != self.starts[i] + 1:
            self.end_keys.append(i)
            self.end_values.append(end)

    def emit(self, text: str, rstart: int, rend: int) -> None:
        for ch in text:
            if ch == "\n" and not self.chunks:
                continue
            if ch == " " and self.last() in (" ", "\n", ""):
                if self.length:
                    self.set_last_end(max(self.last_end(), rend))
                continue
            self.chunks.append(ch)
            self.starts.append(rstart)
            self.length += 1
            if rend != rstart + 1:
                self.end_keys.append(self.length - 1)
                self.end_values.append(rend)

    def copy(self, raw: str, a: int, b: int) -> None:
        if a < b and raw[a] == " " and self.last() in (" ", "\n", ""):
            a += 1
        if a >= b:
            return
        self.chunks.append(raw[a:b])
        self.starts.append(a, b - a)
        self.length += b - a

    def rstrip_space(self, chars: str = " ") -> None:
        while self.chunks and self.chunks[-1][-1:] in tuple(chars):
            piece = self.chunks.pop()
            if len(piece) > 1:
                self.chunks.append(piece[:-1])
            if self.end_keys and self.end_keys[-1] == self.length - 1:
                self.end_keys.pop()
                self.end_values.pop()
            self.starts.pop()
            self.length -= 1

    def build(self) -> tuple[str, Starts, Ends]:
        return "".join(self.chunks), self.starts, Ends(self.starts, self.end_keys, self.end_values)


def _special(raw: str, i: int, line_start: int, line_end: int) -> str:
    ch = raw[i]
    if ch in DROP:
        return ""
    if ch in FOOTNOTE_MARKS:
        nxt = raw[i + 1] if i + 1 < line_end else " "
        return "" if not nxt.isalnum() else unicodedata.normalize("NFKC", ch)
    if ch == "*":
        before = raw[line_start:i]
        if not before.strip() and i + 1 < line_end and raw[i + 1] == " ":
            return "*"
        return ""
    if ch == "_":
        prev = raw[i - 1] if i > line_start else " "
        nxt = raw[i + 1] if i + 1 < line_end else " "
        return "_" if (prev.isalnum() and nxt.isalnum()) else ""
    if ch in " \t" or ch.isspace():
        return " "
    folded = ch.translate(FOLD)
    if folded != ch:
        return folded
    return unicodedata.normalize("NFKC", ch).translate(FOLD)


def _emit_line(out: _Builder, raw: str, a: int, b: int) -> None:
    pos = a
    for m in SPECIAL.finditer(raw, a, b):
        out.copy(raw, pos, m.start())
        if m.group().startswith("  "):
            out.emit(" ", m.start(), m.end())
        else:
            out.emit(_special(raw, m.start(), a, b), m.start(), m.end())
        pos = m.end()
    out.copy(raw, pos, b)


def _lines(raw: str, a: int, b: int) -> list[tuple[int, int]]:
    """(start, end) of each line in raw[a:b], without its line break; form feeds break too."""
    spans, pos = [], a
    for m in re.finditer(r"\r\n|[\n\r\f\v\u2028\u2029\x85]", raw[a:b]):
        spans.append((pos, a + m.start()))
        pos = a + m.end()
    spans.append((pos, b))
    return spans


def _continues(raw: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Whether the break between two lines falls inside a sentence (a wrap or page break)."""
    prev_text = raw[prev[0]:prev[1]].rstrip(" *_\t")
    next_text = raw[nxt[0]:nxt[1]].lstrip()
    if not prev_text or not next_text or BULLET.match(raw[nxt[0]:nxt[1]]):
        return False
    if prev_text.endswith(TERMINAL) or prev_text.endswith(("\u201d", "\u2019")):
        return False
    if next_text[0].islower():
        return True
    gap = raw[prev[1]:nxt[0]]
    blank = re.search(r"\n[ \t]*\r?\n", gap)
    if blank and not (_page_break(gap) or _paragraph(prev_text)):
        return False
    if blank and not _page_break(gap) and _heading_tail(prev_text):
        return False
    return _prose(prev_text) and _prose(next_text)


def _heading_tail(text: str) -> bool:
    """A line that ends with a heading after its last sentence ("… the study. About the Institute")."""
    tail = re.split(r"[.!?]\s+", text)[-1]
    words = tail.split()
    return 1 <= len(words) <= 8 and len(words) < len(text.split()) and \
        sum(1 for w in words if w[:1].isupper()) / len(words) >= 0.6


def _page_break(gap: str) -> bool:
    """A form feed, or a footnote block, between two lines: the sign of a page turning."""
    return "\f" in gap or any(line.lstrip()[:1] in FOOTNOTE_MARKS for line in gap.splitlines())


def _paragraph(text: str) -> bool:
    """A line too long, or with a sentence end inside, to be a headline left without a full stop."""
    return (len(text.split()) >= PARAGRAPH_WORDS or bool(SENTENCE_INSIDE.search(text))
            or (len(text.split()) >= CUT_WORDS and _prose(text)))


def _prose(text: str) -> bool:
    """A line of running prose: long enough, and not a title-case heading."""
    words = text.split()
    if len(words) < PROSE_WORDS:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / len(words) < 0.6


@lru_cache(maxsize=1)
def _default_patterns() -> tuple[re.Pattern[str], ...]:
    return boilerplate_patterns(PROJECT_ROOT / "data" / "boilerplate.yaml")


def boilerplate_patterns(path: Path) -> tuple[re.Pattern[str], ...]:
    """Compile the line patterns of a boilerplate file (a YAML list of regexes)."""
    if not path.is_file():
        return ()
    doc = read_yaml(path)
    data = doc.data if doc.data is not None else {}
    items, keys = (data.get("lines") or [], ("lines",)) if isinstance(data, dict) else (data, ())
    if not isinstance(items, list):
        raise ClaimalignError(f"{doc.where(*keys)}: expected a list of regular expressions")
    patterns = []
    for n, pattern in enumerate(items):
        try:
            patterns.append(re.compile(str(pattern), re.IGNORECASE))
        except re.error as exc:
            raise ClaimalignError(f"{doc.where(*keys, n)}: not a regular expression ({exc})") from None
    return tuple(patterns)


def _footnote_marker(raw: str, line: tuple[int, int]) -> bool:
    text = raw[line[0]:line[1]].lstrip()
    return bool(text) and text[0] in FOOTNOTE_MARKS


def normalize(raw: str, *, patterns: tuple[re.Pattern[str], ...] | None = None, offset: int = 0,
              end: int | None = None) -> NormText:
    """Normalise raw[offset:end]; footnote blocks go to `notes`, boilerplate lines are marked."""
    patterns = _default_patterns() if patterns is None else patterns
    end = len(raw) if end is None else end
    lines = _lines(raw, offset, end)
    blocks: list[list[tuple[int, int]]] = [[]]
    for line in lines:
        if raw[line[0]:line[1]].strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    notes: list[NormText] = []
    out = _Builder(len(raw))
    boiler: list[tuple[int, int]] = []
    prev_line: tuple[int, int] | None = None
    prev_boiler = False
    for block in blocks:
        if _footnote_marker(raw, block[0]) and prev_line is not None:
            notes.append(normalize(raw, patterns=patterns, offset=block[0][0], end=block[-1][1]))
            continue
        for i, line in enumerate(block):
            is_boiler = any(p.search(raw[line[0]:line[1]].strip()) for p in patterns)
            if prev_line is not None:
                gap = (prev_line[1], line[0])
                out.rstrip_space()
                if not (prev_boiler or is_boiler) and _continues(raw, prev_line, line):
                    out.emit(" ", *gap)
                else:
                    out.emit("\n" if i else "\n\n", *gap)
            first = out.length
            _emit_line(out, raw, *line)
            if is_boiler:
                boiler.append((first, out.length))
            prev_line, prev_boiler = line, is_boiler
    out.rstrip_space(" \n")
    text, starts, ends = out.build()
    return NormText(text, starts, ends, notes, boiler)
