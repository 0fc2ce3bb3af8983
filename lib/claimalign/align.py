"""Alignment: locate quoted words in other documents (rapidfuzz), and group claims across documents.

Quotes are located with `fuzz.partial_ratio_alignment` on token strings, the hit snapped to word
boundaries and diffed word by word (Levenshtein opcodes on token lists). A token 3-gram index
picks candidate documents first, so no quote is compared with every document.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .extract.claim import content_words
from .corpus import Document
from .normalize import NormText

__all__ = ["TokenView", "QuoteMatch", "QuoteIndex", "tokenize", "match_quote", "overlap_groups"]

TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
ELLIPSIS = re.compile(r"\.\s?\.\s?\.|\u2026|\[\s*\.\.\.\s*\]")


def tokenize(text: str) -> list[str]:
    """Case-folded word tokens: what quote matching compares (punctuation and case ignored)."""
    return [m.group().casefold() for m in TOKEN.finditer(text)]


@dataclass
class TokenView:
    """A document's normalised view as tokens, each with its normalised span."""

    doc: Document
    view: NormText
    tokens: list[str]
    spans: list[tuple[int, int]]
    key: str = ""
    char_token: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Document, view: NormText) -> "TokenView":
        tokens, spans = [], []
        for m in TOKEN.finditer(view.text):
            tokens.append(m.group().casefold())
            spans.append((m.start(), m.end()))
        key = " ".join(tokens)
        char_token = []
        for i, tok in enumerate(tokens):
            char_token.extend([i] * (len(tok) + 1))
        return cls(doc, view, tokens, spans, key, char_token)

    def evidence(self, first: int, last: int) -> dict[str, object]:
        """Raw evidence for tokens [first, last)."""
        start, end = self.view.raw_span(self.spans[first][0], self.spans[last - 1][1])
        return {"source": self.doc.id, "start": start, "end": end, "text": self.doc.raw[start:end]}


@dataclass
class QuoteMatch:
    """Where quoted words sit in a document: token window, score, word diff."""

    target: TokenView
    first: int
    last: int
    score: float
    exact: bool
    diff: list[list[str]]

    def evidence(self) -> dict[str, object]:
        return self.target.evidence(self.first, self.last)


def _segments(text: str) -> list[list[str]]:
    return [toks for toks in (tokenize(part) for part in ELLIPSIS.split(text)) if toks]


def _exact(tokens: list[str], target: TokenView) -> int | None:
    needle = " ".join(tokens)
    pos = (" " + target.key + " ").find(" " + needle + " ")
    return target.char_token[pos] if pos != -1 and pos < len(target.char_token) else None


def _word_diff(quote: list[str], window: list[str]) -> list[list[str]]:
    out = []
    for op in Levenshtein.opcodes(quote, window):
        out.append([op.tag, " ".join(quote[op.src_start:op.src_end]), " ".join(window[op.dest_start:op.dest_end])])
    return out


def _align_segment(tokens: list[str], target: TokenView) -> tuple[int, int, float, bool, list[list[str]]] | None:
    first = _exact(tokens, target)
    if first is not None:
        return first, first + len(tokens), 100.0, True, [["equal", " ".join(tokens), " ".join(tokens)]]
    needle = " ".join(tokens)
    hit = fuzz.partial_ratio_alignment(needle, target.key, score_cutoff=60)
    if hit is None or not target.char_token:
        return None
    a = target.char_token[min(hit.dest_start, len(target.char_token) - 1)]
    b = target.char_token[min(max(hit.dest_end - 1, 0), len(target.char_token) - 1)] + 1
    lo, hi = max(0, a - 3), min(len(target.tokens), b + 3)
    window = target.tokens[lo:hi]
    ops = Levenshtein.opcodes(tokens, window)
    keep = [op for op in ops]
    while keep and keep[0].tag == "insert":
        keep.pop(0)
    while keep and keep[-1].tag == "insert":
        keep.pop()
    if not keep:
        return None
    first, last = lo + keep[0].dest_start, lo + keep[-1].dest_end
    if last <= first:
        return None
    aligned = target.tokens[first:last]
    score = Levenshtein.normalized_similarity(tokens, aligned) * 100
    return first, last, round(score, 1), False, _word_diff(tokens, aligned)


def match_quote(text: str, target: TokenView) -> QuoteMatch | None:
    """Best placement of quoted `text` in `target`; ellipses split it into ordered segments."""
    segments = _segments(text)
    if not segments:
        return None
    placed = [_align_segment(seg, target) for seg in segments]
    if any(p is None for p in placed):
        return None
    first = min(p[0] for p in placed)  # type: ignore[index]
    last = max(p[1] for p in placed)  # type: ignore[index]
    total = sum(len(s) for s in segments)
    score = sum(p[2] * len(s) for p, s in zip(placed, segments)) / total  # type: ignore[index]
    diff = [op for p in placed for op in p[4]]  # type: ignore[index]
    return QuoteMatch(target, first, last, round(score, 1), all(p[3] for p in placed), diff)  # type: ignore[index]


class QuoteIndex:
    """Token 3-gram index over documents: which documents could hold a quote at all."""

    def __init__(self, views: Iterable[TokenView]):
        self.views: list[TokenView] = []
        self.grams: dict[tuple[str, str, str], set[int]] = defaultdict(set)
        for view in views:
            n = len(self.views)
            self.views.append(view)
            t = view.tokens
            for i in range(len(t) - 2):
                self.grams[(t[i], t[i + 1], t[i + 2])].add(n)

    def candidates(self, text: str, *, exclude: str | None = None, limit: int = 3) -> list[TokenView]:
        """Up to `limit` documents sharing the most 3-grams with the quote."""
        tokens = tokenize(text)
        votes: Counter[int] = Counter()
        for i in range(len(tokens) - 2):
            for n in self.grams.get((tokens[i], tokens[i + 1], tokens[i + 2]), ()):
                votes[n] += 1
        out = [self.views[n] for n, _ in votes.most_common() if self.views[n].doc.id != exclude]
        return out[:limit]


def overlap_groups(items: list[tuple[str, set[str]]], *, min_shared: int = 2) -> list[list[int]]:
    """Group items (key, context words) that share a key and at least `min_shared` context words.

    Each item joins the first group whose representative qualifies (an inverted index on words
    keeps this near-linear); otherwise it founds a group.
    """
    groups: list[list[int]] = []
    reps: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rep_words: list[set[str]] = []
    for i, (key, words) in enumerate(items):
        votes: Counter[int] = Counter()
        for w in words:
            for g in reps[key].get(w, ()):
                votes[g] += 1
        best = next((g for g, n in votes.most_common(1) if n >= min_shared), None)
        if best is None:
            best = len(groups)
            groups.append([])
            rep_words.append(words)
            for w in words:
                reps[key][w].append(best)
        groups[best].append(i)
    return groups


def context_of(sentence: str) -> set[str]:
    """Context words of a claim's sentence for grouping."""
    return content_words(sentence)
