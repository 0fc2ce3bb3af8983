"""Sentence and paragraph segmentation of a normalised view, with offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import NormText

__all__ = ["Segment", "paragraphs", "sentences", "ABBREVIATIONS"]

ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt gen gov sen rep hon rev lt col capt sgt cpl maj adm pres supt insp det
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
no nos vs etc e.g i.e approx inc ltd corp co dept est fig vol ed eds al cf ca op univ assn bros
""".split())
BOUNDARY = re.compile(r'[.!?]+["\')\]]*(?=\s+["\'(\[]?[A-Z0-9\-])|\n+')


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of a normalised view: [start, end) and its text; `index` counts from 0."""

    start: int
    end: int
    text: str
    index: int


def paragraphs(nt: NormText) -> list[Segment]:
    """Paragraphs: blocks separated by a blank line in the normalised text."""
    out, pos = [], 0
    for m in list(re.finditer(r"\n\n+", nt.text)) + [None]:
        end = m.start() if m else len(nt.text)
        if nt.text[pos:end].strip():
            out.append(Segment(pos, end, nt.text[pos:end], len(out)))
        pos = m.end() if m else end
    return out


def _abbreviation(text: str, dot: int) -> bool:
    m = re.search(r"(\S+)$", text[max(0, dot - 40):dot])
    if not m:
        return False
    word = m.group(1).lstrip("(\"'").lower()
    return word in ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word))


def sentences(nt: NormText) -> list[Segment]:
    """Sentences: ends at . ! ? before a capital, and at every line break; abbreviations kept."""
    cached = nt.__dict__.get("_sentences")
    if cached is None:
        cached = nt.__dict__["_sentences"] = _sentences(nt)
    return cached


def _sentences(nt: NormText) -> list[Segment]:
    text, out, pos = nt.text, [], 0
    for m in BOUNDARY.finditer(text):
        if m.group().startswith(".") and len(m.group()) == 1 and _abbreviation(text, m.start()):
            continue
        end = m.start() if m.group().startswith("\n") else m.end()
        _add(out, text, pos, end)
        pos = m.end()
    _add(out, text, pos, len(text))
    return out


def _add(out: list[Segment], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Segment(start, end, text[start:end], len(out)))
