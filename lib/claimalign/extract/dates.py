"""Date claims: absolute and partial dates, ranges in any common form, years, weekdays, times."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from ..aliases import Aliases
from .claim import Context, initials, led
from ..corpus import PartialDate
from .counts import UNITS

__all__ = ["extract", "resolve_year", "DATE_PATTERNS"]

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_NAMES = "January February March April May June July August September October November December".split()
_WEEKDAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MON = rf"(?:(?:{'|'.join(_MONTH_NAMES)})\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
_TO = r"\s*(?P<to>-|to|through|until|till|and)\s*"
_WEEKDAY = rf"(?:{'|'.join(_WEEKDAY_NAMES)})"
_WD = rf"(?:{_WEEKDAY},?\s+)?"
_HOUR_WORD = "|".join(UNITS[1:13])
_TIME = (r"\b(?P<time>(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
         r"|(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d:])"
         rf"|(?:{_HOUR_WORD}|1[0-2]|0?[1-9])\s+o'clock\b|noon\b|midnight\b)")

_MONTH_FIRST = initials(*_MONTH_NAMES)
_WEEKDAY_FIRST = initials(*_WEEKDAY_NAMES)
_TIME_FIRST = r"\d" + initials(*UNITS[1:13], "noon", "midnight")

DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("md_md_y", led(_WEEKDAY_FIRST + _MONTH_FIRST,
                    rf"{_WD}(?P<m1>{_MON})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?{_TO}"
                    rf"{_WD}(?P<m2>{_MON})\s+(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b")),
    ("dm_dm_y", led(_WEEKDAY_FIRST + r"\d",
                    rf"\b{_WD}(?P<d1>{_DAY})\s+(?P<m1>{_MON})(?:,?\s+(?P<y1>{_YEAR}))?{_TO}"
                    rf"{_WD}(?P<d2>{_DAY})\s+(?P<m2>{_MON})(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("md_d_y", led(_WEEKDAY_FIRST + _MONTH_FIRST,
                   rf"{_WD}(?P<m1>{_MON})\s+(?P<d1>{_DAY}){_TO}(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b")),
    ("d_d_m_y", led(_WEEKDAY_FIRST + r"\d",
                    rf"\b{_WD}(?P<d1>{_DAY}){_TO}{_WD}(?P<d2>{_DAY})\s+(?P<m1>{_MON})"
                    rf"(?:,?\s+(?P<y>{_YEAR}))?\b")),
    ("md_y", led(_MONTH_FIRST, rf"(?P<m1>{_MON})\s+(?P<d1>{_DAY})\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("dm_y", led(r"\d", rf"\b(?P<d1>{_DAY})\s+(?P<m1>{_MON})(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("iso", re.compile(r"\b(?P<iso>\d{4}-\d{2}-\d{2})\b")),
    ("numeric", re.compile(r"\b(?P<num>\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))\b")),
    ("m_y", led(_MONTH_FIRST, rf"\b(?P<m1>{_MON})(?:,|\s+of)?\s+(?P<y>{_YEAR})\b")),
    ("y_y", led(r"\d" + initials("from", "between"),
                rf"\b(?:from\s+|between\s+)?(?P<y1>{_YEAR}){_TO}(?P<y2>{_YEAR}|\d\d)\b")),
    ("y", led("12", rf"(?<![\w.,$#-])(?P<y>{_YEAR})(?![\w%-]|[.,]\d)")),
    ("weekday", led(_WEEKDAY_FIRST, rf"\b(?P<wd>{_WEEKDAY})\b")),
    ("time", led(_TIME_FIRST, _TIME, re.IGNORECASE)),
]
# "the 2022 floods", "its 2019 elections": a determiner before a year-like number makes it a year.
YEAR_MODIFIER = re.compile(r"(?i)\b(?:the|this|that|its|their|his|her|our|those|these)\s+$")
RELATION = re.compile(r"\b(since|from|until|by|before|after|in|on|as of|starting)\s*$", re.IGNORECASE)


def resolve_year(month: int, day: int | None, base: PartialDate | None) -> tuple[int | None, bool]:
    """The year of a year-less date: the document's, moved by one when that is over 6 months off."""
    if base is None or base.year is None:
        return None, False
    year = base.year
    if base.month:
        delta = month - base.month
        if delta > 6:
            year -= 1
        elif delta < -6:
            year += 1
    return year, True


def _month(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()[:3] if text.rstrip(".").lower() not in MONTHS
                  else text.rstrip(".").lower()]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


@lru_cache(maxsize=4096)
def _dateparser(text: str) -> dt.date | None:
    import dateparser  # only numeric dates need it, and it is slow to import

    parsed = dateparser.parse(text, languages=["en"], settings={
        "DATE_ORDER": "MDY", "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    return PartialDate(year, month, day).iso() if (year or month) else None


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day or 1)
    except ValueError:
        return False
    return True


def _value(name: str, m: re.Match[str], base: PartialDate | None) -> dict | None:
    """The normalised value of one date match, or None when it names no real date."""
    g = m.groupdict()
    if name == "iso" or name == "numeric":
        parsed = _dateparser(g.get("iso") or g["num"])
        if parsed is None:
            return None
        iso = parsed.isoformat()
        return {"start": iso, "end": iso, "granularity": "day", "year_inferred": False}
    if name in ("y", "y_y"):
        return _year_value(g)
    if name == "weekday":
        return {"weekday": g["wd"].capitalize(), "granularity": "weekday"}
    if name == "time":
        return {"time": g["time"].lower().replace(" ", ""), "clock": _clock(g["time"]), "granularity": "time"}
    return _day_value(g, base)


def _year_value(g: dict[str, str | None]) -> dict | None:
    """A year or a year range ("2019-22"), or None when the range runs backwards."""
    y1 = int(g.get("y1") or g["y"])  # type: ignore[arg-type]
    y2 = g.get("y2")
    y2i = int(y2) if y2 and len(y2) == 4 else (y1 // 100 * 100 + int(y2) if y2 else y1)
    if y2i < y1:
        return None
    return {"start": f"{y1:04d}", "end": f"{y2i:04d}", "granularity": "year", "year_inferred": False}


def _day_value(g: dict[str, str | None], base: PartialDate | None) -> dict | None:
    """A month, a day or a day range from month/day/year groups; a missing year comes from `base`."""
    m1 = _month(g["m1"])  # type: ignore[arg-type]
    m2 = _month(g["m2"]) if g.get("m2") else m1
    d1 = _day(g["d1"]) if g.get("d1") else None
    d2 = _day(g["d2"]) if g.get("d2") else d1
    if not (_valid(None, m1, d1) and _valid(None, m2, d2)):
        return None
    y1, y2, inferred = _range_years(g, (m1, d1 or 1), (m2, d2 or 1), base)
    if d1 is None:
        return {"start": _iso(y1, m1, None), "end": _iso(y1, m1, None), "granularity": "month",
                "year_inferred": inferred}
    return {"start": _iso(y1, m1, d1), "end": _iso(y2, m2, d2), "granularity": "day", "year_inferred": inferred}


def _range_years(g: dict[str, str | None], first: tuple[int, int], last: tuple[int, int],
                 base: PartialDate | None) -> tuple[int | None, int | None, bool]:
    """(start year, end year, inferred): the written years, else the document's; a range may cross New Year."""
    wraps = last < first
    y_start = int(g["y1"]) if g.get("y1") else None
    y_end = int(g["y"]) if g.get("y") else None
    if y_start is None and y_end is None:
        year, inferred = resolve_year(first[0], first[1], base)
        return year, (year + 1 if year is not None and wraps else year), inferred
    if y_start is None:
        return (y_end - 1 if wraps else y_end), y_end, False  # type: ignore[operator]
    return y_start, (y_end if y_end is not None else (y_start + 1 if wraps else y_start)), False


def _clock(text: str) -> str | None:
    """A time of day as 24-hour HH:MM, or None when the text does not fix it ("six o'clock")."""
    low = text.lower().replace(" ", "")
    if low in ("noon", "midnight"):
        return "12:00" if low == "noon" else "00:00"
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d\d))?(?::\d\d)?(a\.m\.|p\.m\.|am|pm)?", low)
    if m is None:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group(3).startswith("p") else 0)
    return f"{hour:02d}:{minute:02d}"


def _loose_and(text: str, m: re.Match[str]) -> bool:
    """Whether a range match joins its ends with "and" without a "between": two dates, not a range."""
    if (m.groupdict().get("to") or "").lower() != "and":
        return False
    before = text[max(0, m.start() - 10):m.start()] + m.group()[:8]
    return not re.search(r"\bbetween\s", before, re.IGNORECASE)


def extract(ctx: Context, aliases: Aliases) -> None:
    """Add a date claim for every date expression; the first (longest form) pattern wins a span."""
    text, base = ctx.text, ctx.doc_date
    separated = bool(THOUSANDS.search(text))
    for name, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if ctx.is_taken(m.start(), m.end()) or _loose_and(text, m):
                continue
            value = _value(name, m, base)
            if value is None:
                continue
            rel = RELATION.search(text[max(0, m.start() - 12):m.start()])
            if rel:
                value["relation"] = rel.group(1).lower()
                if value["relation"] == "since" and value.get("granularity") in ("year", "day", "month"):
                    value["end"] = base.iso() if base and base.year else None
                    _since_in_the_past(value)
            if value.get("granularity") == "year" and name == "y" and not _looks_like_year(text, m, separated):
                continue
            claim = ctx.make("date", m.start(), m.end(), value, form=name)
            ctx.taken.add(m.start(), m.end())
            if claim is not None:
                claim.detail["context"] = _context(text, m.start(), m.end())


def _since_in_the_past(value: dict) -> None:
    """"since March" in a January text is last March: an inferred year that puts the start after
    the document's date moves back by one."""
    start, end = value.get("start"), value.get("end")
    if value.get("year_inferred") and start and end and start[:len(end)] > end:
        value["start"] = f"{int(start[:4]) - 1:04d}{start[4:]}"


THOUSANDS = re.compile(r"\d,\d{3}\b")


def _looks_like_year(text: str, m: re.Match[str], separated: bool = False) -> bool:
    """A bare 4-digit number is a year unless a counted noun follows it ("2000 people"); after a
    determiner it is a year all the same ("the 2022 floods"), and so it is in a text that writes its
    thousands with a separator ("31,000 riders ... below 2019 levels": 2019 would be "2,019")."""
    after = text[m.end():m.end() + 20]
    if separated or YEAR_MODIFIER.search(text, max(0, m.start() - 12), m.start()):
        return True
    return not re.match(r"\s+(?!and\b|to\b|in\b|was\b|is\b|were\b|the\b|a\b|an\b|as\b)[a-z]+s\b", after)


def _context(text: str, start: int, end: int) -> str:
    """The clause around a date (between commas, semicolons or sentence ends)."""
    left, reach = -1, 256
    while True:
        lo = max(0, start - reach)
        left = max(text.rfind(c, lo, start) for c in ",;.\n(")
        if left != -1 or lo == 0:
            break
        reach *= 4
    right, reach = len(text), 256
    while True:
        hi = min(len(text), end + reach)
        rights = [i for i in (text.find(c, end, hi) for c in ",;.\n)") if i != -1]
        if rights or hi == len(text):
            right = min(rights) if rights else len(text)
            break
        reach *= 4
    return text[left + 1:right].strip()
