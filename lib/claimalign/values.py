"""Typed values shared by claims and findings: a span of raw text, a numeric interval, a date range."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

__all__ = ["Span", "Interval", "DateRange", "SpanIndex"]


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: `text` is `raw[start:end]` of document `source` (offsets into the raw file)."""

    source: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, raw: str, start: int, end: int) -> "Span":
        """The span [start, end) of a document's raw text."""
        return cls(source, start, end, raw[start:end])

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str | None = None) -> "Span":
        """A span from its JSON form ({source, start, end, text}); `source` fills a missing one."""
        return cls(str(data.get("source") or source), int(data["start"]), int(data["end"]), str(data["text"]))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: {source, start, end, text}."""
        return {"source": self.source, "start": self.start, "end": self.end, "text": self.text}

    def __len__(self) -> int:
        return self.end - self.start


class SpanIndex:
    """Half-open [start, end) spans, asked in about constant time which overlap or cover a span."""

    BLOCK = 256

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._blocks: dict[int, list[tuple[int, int]]] = {}
        self._count = 0
        for start, end in spans:
            self.add(start, end)

    def _range(self, start: int, end: int) -> range:
        return range(start // self.BLOCK, max(start, end - 1) // self.BLOCK + 1)

    def add(self, start: int, end: int) -> None:
        """Add the span [start, end)."""
        for b in self._range(start, end):
            self._blocks.setdefault(b, []).append((start, end))
        self._count += 1

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span (a, b) has a < end and start < b."""
        for b in self._range(start, end):
            if any(a < end and start < z for a, z in self._blocks.get(b, ())):
                return True
        return False

    def covers(self, start: int, end: int) -> bool:
        """Whether some span (a, b) has a <= start and end <= b."""
        blocks = {start // self.BLOCK, max(start - 1, 0) // self.BLOCK} if end == start else (start // self.BLOCK,)
        return any(a <= start and end <= z for b in blocks for a, z in self._blocks.get(b, ()))

    def __len__(self) -> int:
        return self._count


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


SYMBOLS = {"USD?": "$", "USD": "US$", "CAD": "C$", "AUD": "A$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5",
           "INR": "\u20b9", "CNY": "CN\u00a5", "CHF": "CHF "}
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _money(x: float, unit: str) -> str:
    symbol = SYMBOLS.get(unit, unit + " ")
    for size, word in SCALES:
        if abs(x) >= size:
            return f"{symbol}{_number(round(x / size, 3))} {word}"
    return f"{symbol}{_number(x)}"


@dataclass(frozen=True, slots=True)
class Interval:
    """The values a stated figure allows: [low, high]; `high` None is unbounded ("at least 9")."""

    low: float
    high: float | None
    unit: str | None = None
    stated: float | None = None  # the number as written, before its hedge widened it
    bound: str | None = None  # "min" (at least, more than) or "max" (up to, fewer than) when hedged so

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> "Interval":
        """The interval of a count claim's value ({low, high, unit, value, hedge})."""
        high = None if value.get("high") is None else float(value["high"])
        low = float(value["low"])
        bound = "min" if high is None else ("max" if low == 0 and value.get("hedge") else None)
        stated = value.get("value")
        return cls(low, high, value.get("unit"), None if stated is None else float(stated), bound)

    def conflicts(self, other: "Interval") -> bool:
        """Values that cannot both be right: disjoint intervals, two upper bounds with different numbers
        ("up to 140" against "up to 180"), or an open bound against a value of another size."""
        if self.bound == other.bound == "max" and self.stated is not None and other.stated is not None:
            return abs(self.stated - other.stated) > 1e-9 * max(abs(self.stated), abs(other.stated), 1.0)
        if self.disjoint(other):
            return True
        if (self.bound or other.bound) and not (self.bound and other.bound):
            return not self.comparable(other, 10.0)
        return False

    @property
    def top(self) -> float:
        return math.inf if self.high is None else self.high

    @property
    def exact(self) -> bool:
        return self.high is not None and self.low == self.high

    def disjoint(self, other: "Interval") -> bool:
        """No value satisfies both."""
        return self.top < other.low or other.top < self.low

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.top

    def comparable(self, other: "Interval", factor: float = 10.0) -> bool:
        """Of one order of magnitude: an open or wide interval supports only values near its bounds."""
        def scale(i: Interval) -> float:
            return max(abs(i.low), abs(i.high or 0.0), 1e-9)
        a, b = scale(self), scale(other)
        return max(a, b) / min(a, b) <= factor

    def _show(self, x: float) -> str:
        unit = self.unit or ""
        if unit == "%":
            return f"{_number(x)}%"
        if unit == "pp":
            return f"{_number(x)} percentage points"
        return _money(x, unit) if unit else _number(x)

    def __str__(self) -> str:
        if self.high is None:
            return f"at least {self._show(self.low)}"
        if self.low == self.high:
            return self._show(self.low)
        if self.low == 0:
            return f"up to {self._show(self.high)}"
        return f"{self._show(self.low)}\u2013{self._show(self.high)}"


_ISO = re.compile(r"(\d{4}|-)-?(\d{2})?-?(\d{2})?")


def _parts(iso: str | None) -> tuple[int | None, int | None, int | None]:
    if not iso:
        return None, None, None
    m = _ISO.fullmatch(iso.replace("--", "-"))
    if not m:
        return None, None, None
    year = int(m.group(1)) if m.group(1) != "-" else None
    return year, int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None


@dataclass(frozen=True, slots=True)
class DateRange:
    """A date claim's extent: ISO-like start and end that may lack a day, a month or a year."""

    start: str | None
    end: str | None
    relation: str | None = None

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> "DateRange":
        return cls(value.get("start"), value.get("end") or value.get("start"), value.get("relation"))

    def disjoint(self, other: "DateRange") -> bool:
        """No day lies in both; a part one side lacks (the year of "--01-12") is not compared."""
        a1, a2, b1, b2 = _parts(self.start), _parts(self.end), _parts(other.start), _parts(other.end)
        both = None not in (a1[0], b1[0])

        def key(p: tuple[int | None, ...], fill: int) -> tuple[int, ...]:
            return tuple((x if x is not None else fill) for x in p[(0 if both else 1):])

        return key(a2, 99) < key(b1, 0) or key(b2, 99) < key(a1, 0)

    def __str__(self) -> str:
        if self.relation == "since" and self.start:
            return f"since {self.start}"
        if not self.end or self.start == self.end:
            return str(self.start or "")
        if not self.start:
            return f"until {self.end}"
        return f"{self.start} to {self.end}"
