"""Sentence and paragraph segmentation of a normalised view, with offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .normalize import NormText

__all__ = ["Segment", "paragraphs", "sentences", "iter_sentences", "ABBREVIATIONS"]

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
        cached = nt.__dict__["_sentences"] = list(_each_sentence(nt.text))
    return cached


def iter_sentences(nt: NormText) -> Iterator[Segment]:
    """`sentences`, from the kept list when an earlier reader made it, else one at a time and not
    kept: for a reader that needs each once (a long report's need not all be alive at once)."""
    cached = nt.__dict__.get("_sentences")
    return iter(cached) if cached is not None else _each_sentence(nt.text)


def _each_sentence(text: str) -> Iterator[Segment]:
    pos, n = 0, 0
    for end, after in _ends(text):
        seg = _segment(text, pos, end, n)
        if seg is not None:
            yield seg
            n += 1
        pos = after


def _ends(text: str) -> Iterator[tuple[int, int]]:
    """(sentence end, where the next one may start) for each boundary, the text's end last."""
    for m in BOUNDARY.finditer(text):
        if m.group().startswith(".") and len(m.group()) == 1 and _abbreviation(text, m.start()):
            continue
        yield (m.start() if m.group().startswith("\n") else m.end()), m.end()
    yield len(text), len(text)


def _segment(text: str, start: int, end: int, index: int) -> Segment | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end, text[start:end], index) if start < end else None
