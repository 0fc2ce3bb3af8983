"""Rows of a sentence alignment, as objects and packed in arrays for sending between processes."""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Any, Iterator

from .values import Span

__all__ = ["SentenceAlignment", "PackedAlignments", "RELATIONS", "SOURCE_KINDS"]

RELATIONS = ("verbatim", "paraphrase", "related", "none")
SOURCE_KINDS = ("primary", "report")


@dataclass(frozen=True, slots=True)
class SentenceAlignment:
    """A report sentence, the source sentence(s) it draws on, the kind of source, a score and a relation."""

    report: Span
    sources: tuple[Span, ...]
    source_kind: str
    score: float
    relation: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the report span's fields, the sources as spans, kind, score, relation."""
        return {"doc": self.report.source, "start": self.report.start, "end": self.report.end,
                "text": self.report.text, "sources": [s.to_dict() for s in self.sources],
                "source_kind": self.source_kind, "score": self.score, "relation": self.relation}


class PackedAlignments:
    """Alignment rows in arrays: about 40 bytes a row where the objects took hundreds, and no text,
    which the receiving process cuts from the raw texts it holds. A big report's aligning process
    keeps its rows this way and sends them so."""

    def __init__(self, raws: dict[str, str]) -> None:
        self.raws = raws  # document id -> raw text; not sent (the receiver gives its own to `unpack`)
        self.docs: list[str] = []
        self._doc_index: dict[str, int] = {}
        self.doc, self.kind, self.relation = array("i"), array("b"), array("b")
        self.start, self.end = array("q"), array("q")
        self.score = array("d")
        self.spans: list[tuple[int, int, int]] = []  # distinct source spans: (doc index, start, end)
        self._span_index: dict[tuple[int, int, int], int] = {}
        self.first, self.second = array("i"), array("i")  # source span indexes of a row, -1 for none

    def _doc(self, doc: str) -> int:
        n = self._doc_index.get(doc)
        if n is None:
            n = self._doc_index[doc] = len(self.docs)
            self.docs.append(doc)
        return n

    def _span(self, span: Span) -> int:
        key = (self._doc(span.source), span.start, span.end)
        n = self._span_index.get(key)
        if n is None:
            n = self._span_index[key] = len(self.spans)
            self.spans.append(key)
        return n

    def _values(self, a: SentenceAlignment) -> tuple[int, int, int, float, int, int, int, int]:
        if len(a.sources) > 2:
            raise ValueError("an alignment row has at most two source sentences")
        first, second = ([self._span(s) for s in a.sources] + [-1, -1])[:2]
        return (self._doc(a.report.source), a.report.start, a.report.end, a.score, RELATIONS.index(a.relation),
                SOURCE_KINDS.index(a.source_kind), first, second)

    def append(self, a: SentenceAlignment) -> None:
        """Add a row at the end."""
        for column, value in zip(self._columns(), self._values(a)):
            column.append(value)

    def __setitem__(self, i: int, a: SentenceAlignment) -> None:
        for column, value in zip(self._columns(), self._values(a)):
            column[i] = value

    def _columns(self) -> tuple[array, ...]:
        return self.doc, self.start, self.end, self.score, self.relation, self.kind, self.first, self.second

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i: int) -> SentenceAlignment:
        return self._row(i, self.raws, {})

    def _row(self, i: int, raws: dict[str, str], made: dict[int, Span]) -> SentenceAlignment:
        def span(n: int) -> Span:
            got = made.get(n)
            if got is None:
                d, s, e = self.spans[n]
                got = made[n] = Span(self.docs[d], s, e, raws[self.docs[d]][s:e])
            return got

        doc = self.docs[self.doc[i]]
        sources = tuple(span(n) for n in (self.first[i], self.second[i]) if n >= 0)
        return SentenceAlignment(Span(doc, self.start[i], self.end[i], raws[doc][self.start[i]:self.end[i]]),
                                 sources, SOURCE_KINDS[self.kind[i]], self.score[i], RELATIONS[self.relation[i]])

    def unpack(self, raws: dict[str, str]) -> list[SentenceAlignment]:
        """The rows as objects, their texts cut from `raws` (document id -> raw text); a source
        sentence shared by many rows is one object, as it was where the rows were made."""
        return list(self._rows(raws))

    def __iter__(self) -> Iterator[SentenceAlignment]:
        return self._rows(self.raws)

    def _rows(self, raws: dict[str, str]) -> Iterator[SentenceAlignment]:
        made: dict[int, Span] = {}
        return (self._row(i, raws, made) for i in range(len(self)))

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_") and k != "raws"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.raws = {}
        self._doc_index = {d: n for n, d in enumerate(self.docs)}
        self._span_index = {key: n for n, key in enumerate(self.spans)}
