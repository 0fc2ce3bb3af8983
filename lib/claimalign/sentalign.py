"""Sentence alignment: each report sentence tied to the primary sentence or sentences it draws on.

Candidates come from an index, never from all pairs: an inverted index on content-word stems and
numbers (weighted by rarity) and, for meaning without shared words, the top sentences by embedding
cosine (one matrix product per report against the primary). Each candidate (one primary sentence,
or two consecutive ones that a report sentence may combine) gets lexical features (rapidfuzz on
folded tokens, stem coverage, shared numbers) and the embedding cosine; a fitted logistic rule
(`eval/fit_alignment.py`, weights and thresholds in `sentalign.*` settings) turns them into a score
and a relation. A report sentence that no primary sentence fits is compared with the other
reports' sentences the same way (source_kind "report").
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from rapidfuzz import fuzz

from .quotealign import tokenize
from .corpus import Corpus, Document
from .extract.claim import stems
from .segment import sentences
from .settings import Settings, declare
from .values import Span

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["SentenceAlignment", "Unit", "align", "align_sentences", "units", "alignments_frame", "reuse_shares", "RELATIONS",
           "ALIGN_COLUMNS", "embedder", "features", "FEATURES"]

RELATIONS = ("verbatim", "paraphrase", "related", "none")
ALIGN_COLUMNS = ["doc", "start", "end", "text", "sources", "source_kind", "score", "relation"]
FEATURES = ("cover", "back", "set_ratio", "partial", "numbers", "cosine")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")

# Fitted on the labelled pairs by eval/fit_alignment.py; change them there, not by hand.
declare("sentalign.w_cover", 4.0, "weight of stem coverage (report stems found in the source)")
declare("sentalign.w_back", 1.0, "weight of back coverage (source stems found in the report)")
declare("sentalign.w_set_ratio", 2.0, "weight of rapidfuzz token_set_ratio on folded tokens")
declare("sentalign.w_partial", 1.0, "weight of rapidfuzz partial_ratio (the shorter inside the longer)")
declare("sentalign.w_numbers", 0.5, "weight of shared numbers (+1 all shared, -1 none shared)")
declare("sentalign.w_cosine", 3.0, "weight of the embedding cosine")
declare("sentalign.bias", -6.0, "bias of the alignment score's logistic rule")
declare("sentalign.paraphrase_min", 0.5, "score from which an aligned sentence is a paraphrase")
declare("sentalign.related_min", 0.25, "score from which an aligned sentence is related")
declare("sentalign.verbatim_min", 90.0, "partial_ratio (0-100) from which a paraphrase is verbatim")
declare("sentalign.verbatim_words", 6, "fewest words of the shorter side for a verbatim alignment")
declare("sentalign.candidates", 4, "candidate sources per report sentence from each index")
declare("sentalign.max_postings", 200, "stems in more sentences than this are not used to find candidates")
declare("sentalign.embeddings", True, "use sentence embeddings (wordllama) besides lexical similarity")


@dataclass(frozen=True)
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


@dataclass
class Unit:
    """One sentence as alignment compares it: its span, folded tokens, stems and numbers."""

    span: Span
    tokens: str
    stems: frozenset[str]
    numbers: frozenset[str]
    words: int
    index: int = 0
    next: Span | None = None  # the following sentence, when a candidate joins two

    @classmethod
    def of(cls, doc: Document, start: int, end: int, text: str, index: int) -> "Unit":
        rs, re_ = doc.norm.raw_span(start, end)
        toks = tokenize(text)
        nums = frozenset(n.replace(",", "").rstrip(".") for n in NUMBER.findall(text))
        return cls(Span.of(doc.id, doc.raw, rs, re_), " ".join(toks), frozenset(stems(text)), nums, len(toks), index)


def units(doc: Document) -> list[Unit]:
    """The sentences of a document's body that carry words, boilerplate lines left out."""
    nt = doc.norm
    out: list[Unit] = []
    for seg in sentences(nt):
        if nt.is_boilerplate(seg.start) or not re.search(r"[^\W\d_]", seg.text):
            continue
        out.append(Unit.of(doc, seg.start, seg.end, seg.text, len(out)))
    return out


def _join(a: Unit, b: Unit) -> Unit:
    return Unit(a.span, f"{a.tokens} {b.tokens}", a.stems | b.stems, a.numbers | b.numbers, a.words + b.words,
                a.index, b.span)


def features(r: Unit, c: Unit, idf: Callable[[str], float], cosine: float) -> dict[str, float]:
    """What the score reads for report sentence `r` against candidate source `c` (each 0..1 or -1..1)."""
    weight = sum(idf(s) for s in r.stems) or 1.0
    shared = r.stems & c.stems
    cover = sum(idf(s) for s in shared) / weight
    back = sum(idf(s) for s in shared) / (sum(idf(s) for s in c.stems) or 1.0)
    short, long_ = (r.tokens, c.tokens) if len(r.tokens) <= len(c.tokens) else (c.tokens, r.tokens)
    partial = fuzz.partial_ratio(short, long_) / 100 if short else 0.0
    numbers = 0.0 if not r.numbers else (1.0 if r.numbers <= c.numbers else (-1.0 if not r.numbers & c.numbers else 0.0))
    return {"cover": cover, "back": back, "set_ratio": fuzz.token_set_ratio(r.tokens, c.tokens) / 100,
            "partial": partial, "numbers": numbers, "cosine": cosine}


def _score(f: dict[str, float], p: Any) -> float:
    z = p.bias + sum(getattr(p, f"w_{name}") * f[name] for name in FEATURES)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


class _Index:
    """Sentences of some documents: an inverted index on stems and numbers, and their embeddings."""

    def __init__(self, units_: Sequence[Unit], max_postings: int, vectors: "np.ndarray | None"):
        self.units = list(units_)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(self.units):
            for key in u.stems | {"#" + n for n in u.numbers}:
                self.postings[key].append(i)
        self.n = max(1, len(self.units))
        self.max_postings = max_postings
        self.vectors = vectors

    def idf(self, key: str) -> float:
        return math.log(1 + self.n / (1 + len(self.postings.get(key, ()))))

    def lexical(self, u: Unit, k: int, exclude: str = "") -> list[int]:
        votes: Counter[int] = Counter()
        for key in u.stems | {"#" + n for n in u.numbers}:
            post = self.postings.get(key, ())
            if len(post) > self.max_postings:
                continue
            w = self.idf(key)
            for i in post:
                votes[i] += w
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        return [i for i, _ in ranked if self.units[i].span.source != exclude][:k]


@dataclass
class _Aligner:
    settings: Settings
    embed: Callable[[list[str]], "np.ndarray"] | None = None
    params: Any = field(init=False)

    def __post_init__(self) -> None:
        self.params = self.settings.params("sentalign")

    def vectors(self, us: Sequence[Unit]) -> "np.ndarray | None":
        if self.embed is None or not us:
            return None
        return self.embed([u.span.text for u in us])

    def best(self, u: Unit, cands: Iterable[tuple[Unit, float]], idf: Callable[[str], float]
             ) -> tuple[float, float, Unit | None, dict[str, float]]:
        out: tuple[float, float, Unit | None, dict[str, float]] = (0.0, 0.0, None, {})
        for c, cos in cands:
            f = features(u, c, idf, cos)
            s = _score(f, self.params)
            if s > out[0]:
                out = (s, f["partial"], c, f)
        return out

    def candidates(self, u: Unit, row: "np.ndarray | None", index: _Index, exclude: str = ""
                   ) -> list[tuple[Unit, float]]:
        k = self.params.candidates
        picked = index.lexical(u, k, exclude)
        if row is not None:
            import numpy as np

            top = np.argsort(-row, kind="stable")[:k]
            picked += [int(i) for i in top if index.units[int(i)].span.source != exclude]
        picked = list(dict.fromkeys(picked))
        cos = (lambda i: float(row[i])) if row is not None else (lambda i: 0.0)
        out = [(index.units[i], cos(i)) for i in picked]
        for i in picked:  # a report sentence may combine a sentence with its neighbour
            for j in (i - 1, i + 1):
                if 0 <= j < len(index.units) and index.units[j].span.source == index.units[i].span.source:
                    a, b = sorted((i, j))
                    out.append((_join(index.units[a], index.units[b]), max(cos(a), cos(b))))
        return out

    def relation(self, score: float, partial: float, u: Unit, c: Unit) -> str:
        p = self.params
        if score >= p.paraphrase_min:
            if partial * 100 >= p.verbatim_min and min(u.words, c.words) >= p.verbatim_words:
                return "verbatim"
            return "paraphrase"
        return "related" if score >= p.related_min else "none"


def embedder() -> Callable[[list[str]], "np.ndarray"] | None:
    """The sentence embedding function (wordllama, weights inside the package), or None if not installed."""
    from .embeddings import load

    return load()


def align_sentences(corpus: Corpus, settings: Settings | None = None) -> list[SentenceAlignment]:
    """Every report sentence with the primary (or, failing that, report) sentences it draws on."""
    import numpy as np

    settings = settings or Settings()
    aligner = _Aligner(settings)
    p = aligner.params
    if p.embeddings:
        aligner.embed = embedder()
    primary = corpus.primary
    p_units = units(primary)
    reports = corpus.reports
    r_units = {d.id: units(d) for d in reports}
    p_index = _Index(p_units, p.max_postings, aligner.vectors(p_units))
    out: list[SentenceAlignment] = []
    pending: list[tuple[int, Unit]] = []
    for d in reports:
        us = r_units[d.id]
        vecs = aligner.vectors(us)
        sims = vecs @ p_index.vectors.T if vecs is not None and p_index.vectors is not None and len(p_units) else None
        for i, u in enumerate(us):
            row = sims[i] if sims is not None else None
            score, partial, c, _ = aligner.best(u, aligner.candidates(u, row, p_index), p_index.idf)
            rel = aligner.relation(score, partial, u, c) if c is not None else "none"
            if rel not in ("verbatim", "paraphrase"):
                pending.append((len(out), u))
            if c is None or rel == "none":
                out.append(SentenceAlignment(u.span, (), "primary", round(score, 3), "none"))
            else:
                out.append(SentenceAlignment(u.span, (c.span,) if c.next is None else (c.span, c.next), "primary", round(score, 3), rel))
    if pending:
        _from_reports(out, pending, [u for d in reports for u in r_units[d.id]], aligner, np)
    return out


def _from_reports(out: list[SentenceAlignment], pending: list[tuple[int, Unit]], all_units: list[Unit],
                  aligner: _Aligner, np: Any) -> None:
    """Sentences that no primary sentence fits: their best fit among the other reports' sentences."""
    p = aligner.params
    index = _Index(all_units, p.max_postings, None)
    exact: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(all_units):
        if len(exact[u.tokens]) < 2:
            exact[u.tokens].append(i)
    for pos, u in pending:
        same = [i for i in exact.get(u.tokens, ()) if all_units[i].span.source != u.span.source][:1]
        cands = [(all_units[i], 1.0) for i in same] or \
            [(all_units[i], 0.0) for i in index.lexical(u, p.candidates, exclude=u.span.source)]
        score, partial, c, _ = aligner.best(u, cands, index.idf)
        if c is None:
            continue
        rel = aligner.relation(score, partial, u, c)
        if RELATIONS.index(rel) < RELATIONS.index(out[pos].relation) and rel != "none":
            out[pos] = SentenceAlignment(u.span, (c.span,), "report", round(score, 3), rel)


def align(corpus: Corpus, settings: Settings | None = None) -> "pd.DataFrame":
    """The sentence alignment of a corpus as a DataFrame (columns ALIGN_COLUMNS; sources as span dicts)."""
    return alignments_frame(align_sentences(corpus, settings))


def alignments_frame(alignments: list[SentenceAlignment]) -> "pd.DataFrame":
    """One row per report sentence: doc, start, end, text, sources (list of spans), kind, score, relation."""
    import pandas as pd

    return pd.DataFrame([a.to_dict() for a in alignments], columns=ALIGN_COLUMNS)


def reuse_shares(alignments: Iterable[SentenceAlignment]) -> dict[str, dict[str, float]]:
    """Per report, the share of its words in sentences verbatim from the primary, paraphrased from it, or new."""
    words: dict[str, Counter[str]] = defaultdict(Counter)
    for a in alignments:
        n = len(tokenize(a.report.text))
        kind = a.relation if a.source_kind == "primary" and a.relation in ("verbatim", "paraphrase") else "new"
        words[a.report.source][kind] += n
    out = {}
    for doc, c in words.items():
        total = sum(c.values()) or 1
        out[doc] = {k: round(c[k] / total, 4) for k in ("verbatim", "paraphrase", "new")}
    return out
