"""Alignment: locate quoted words in other documents (rapidfuzz), and group claims across documents.

Quotes are located with `fuzz.partial_ratio_alignment` on token strings, the hit snapped to word
boundaries and diffed word by word (Levenshtein opcodes on token lists). Tokens fold what quoting
style changes (case, punctuation, hyphens, dotted acronyms, contractions, a stammered word), and
ellipses and editorial brackets split a quotation into pieces matched in order. A token 3-gram
index picks candidate documents first, so no quote is compared with every document.
"""
from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from itertools import combinations, repeat
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .extract.claim import content_words
from .corpus import Document
from .normalize import NormText

__all__ = ["TokenView", "QuoteMatch", "QuoteIndex", "tokenize", "tokens_with_spans", "segments",
           "find_exact", "match_quote", "overlap_groups"]

TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:'[^\W_]+)*")
# Pieces of a quotation matched in order but apart: ellipses, and editorial brackets ("[the]").
SEGMENT_BREAK = re.compile(r"\.\s?\.\s?\.|\u2026|\[[^\]]{0,60}\]|\(\s*\.\.\.\s*\)")
# Contractions written out, so "I'm" matches "I am" (only the unambiguous ones).
CONTRACTIONS = {"i'm": ["i", "am"], "can't": ["can", "not"], "won't": ["will", "not"], "shan't": ["shall", "not"],
                "let's": ["let", "us"], "it's": ["it", "is"], "that's": ["that", "is"], "there's": ["there", "is"],
                "here's": ["here", "is"], "what's": ["what", "is"], "he's": ["he", "is"], "she's": ["she", "is"]}
SUFFIXES = (("n't", ["not"]), ("'re", ["are"]), ("'ll", ["will"]), ("'ve", ["have"]), ("'d", ["would"]))
BARRIER = "\u2016"
SLACK = 3  # tokens by which a fuzzy placement's ends may move to fit the quotation best


def _fold(word: str) -> list[str]:
    """One written word as the tokens quote matching compares: case folded, contractions written out,
    dotted acronyms joined ("U.S." = "US")."""
    low = word.casefold()
    if "." in low:
        return [low.replace(".", "")]
    if low in CONTRACTIONS:
        return list(CONTRACTIONS[low])
    for suffix, rest in SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix):
            stem = low[: -len(suffix)]
            return [{"ca": "can", "wo": "will", "sha": "shall"}.get(stem, stem)] + rest
    return [low]


def tokens_with_spans(text: str, offset: int = 0) -> Iterator[tuple[str, int, int]]:
    """(token, start, end) of every word of `text`; a word repeated at once (a stammer) counts once."""
    previous = None
    for m in TOKEN.finditer(text):
        for tok in _fold(m.group()):
            if tok == previous and not tok.isdigit():
                continue
            previous = tok
            yield tok, offset + m.start(), offset + m.end()


def tokenize(text: str) -> list[str]:
    """Folded word tokens: what quote matching compares (punctuation, case, hyphens, contractions ignored)."""
    return [tok for tok, _, _ in tokens_with_spans(text)]


@dataclass
class TokenView:
    """A document's normalised view (or the quoted parts of it) as tokens, each with its normalised span."""

    doc: Document
    view: NormText
    tokens: list[str]
    starts: array  # normalised span of each token: [starts[i], ends[i])
    ends: array
    key: str = ""
    char_token: array = field(default_factory=lambda: array("i"))  # the token of each character of `key`

    @classmethod
    def of(cls, doc: Document, view: NormText, parts: Iterable[tuple[int, int]] | None = None) -> "TokenView":
        """Tokens of the whole view, or only of `parts` (normalised spans) kept apart by a barrier.
        Offsets go in arrays and a word written many times is one string: a long report's quoted
        words took hundreds of bytes each as lists of objects."""
        tokens: list[str] = []
        starts, ends, pool = array("q"), array("q"), {}
        for a, b in (parts if parts is not None else [(0, len(view.text))]):
            if tokens and parts is not None:
                tokens.append(BARRIER)
                starts.append(a)
                ends.append(a)
            for tok, s, e in tokens_with_spans(view.text[a:b], a):
                tokens.append(pool.setdefault(tok, tok))
                starts.append(s)
                ends.append(e)
        key = " ".join(tokens)
        char_token = array("i" if len(tokens) < 2**31 else "q")
        for i, tok in enumerate(tokens):
            char_token.extend(repeat(i, len(tok) + 1))
        return cls(doc, view, tokens, starts, ends, key, char_token)

    def evidence(self, first: int, last: int) -> dict[str, object]:
        """Raw evidence for tokens [first, last)."""
        start, end = self.view.raw_span(self.starts[first], self.ends[last - 1])
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

    @property
    def equal_words(self) -> int:
        return sum(len(op[1].split()) for op in self.diff if op[0] == "equal")


def segments(text: str) -> list[list[str]]:
    """The token lists of a quotation's pieces between ellipses and editorial brackets."""
    return [toks for toks in (tokenize(part) for part in SEGMENT_BREAK.split(text)) if toks]


def find_exact(tokens: list[str], target: TokenView) -> int | None:
    """Index of the first token of `tokens` found word for word in `target`, or None."""
    needle = " ".join(tokens)
    pos = (" " + target.key + " ").find(" " + needle + " ")
    return target.char_token[pos] if pos != -1 and pos < len(target.char_token) else None


def _word_diff(quote: list[str], window: list[str]) -> list[list[str]]:
    out = []
    for op in Levenshtein.opcodes(quote, window):
        out.append([op.tag, " ".join(quote[op.src_start:op.src_end]), " ".join(window[op.dest_start:op.dest_end])])
    return out


def _align_segment(tokens: list[str], target: TokenView) -> tuple[int, int, float, bool, list[list[str]]] | None:
    first = find_exact(tokens, target)
    if first is not None:
        return first, first + len(tokens), 100.0, True, [["equal", " ".join(tokens), " ".join(tokens)]]
    needle = " ".join(tokens)
    hit = fuzz.partial_ratio_alignment(needle, target.key, score_cutoff=60)
    if hit is None or not target.char_token:
        return None
    a = target.char_token[min(hit.dest_start, len(target.char_token) - 1)]
    b = target.char_token[min(max(hit.dest_end - 1, 0), len(target.char_token) - 1)] + 1
    best: tuple[tuple[float, int, int, int], int, int] | None = None
    for first in range(max(0, a - SLACK), min(len(target.tokens), a + SLACK + 1)):
        for last in range(max(first + 1, b - SLACK), min(len(target.tokens), b + SLACK) + 1):
            window = target.tokens[first:last]
            if BARRIER in window:
                continue
            score = Levenshtein.normalized_similarity(tokens, window) * 100
            key = (round(score, 6), -abs(len(window) - len(tokens)), -first, -last)
            if best is None or key > best[0]:
                best = (key, first, last)
    if best is None:
        return None
    (score, *_), first, last = best
    aligned = target.tokens[first:last]
    return first, last, round(score, 1), False, _word_diff(tokens, aligned)


def match_quote(text: str, target: TokenView) -> QuoteMatch | None:
    """Best placement of quoted `text` in `target`; ellipses and brackets split it into ordered pieces."""
    pieces = segments(text)
    if not pieces:
        return None
    placed = [_align_segment(seg, target) for seg in pieces]
    if any(p is None for p in placed):
        return None
    first = min(p[0] for p in placed)  # type: ignore[index]
    last = max(p[1] for p in placed)  # type: ignore[index]
    total = sum(len(s) for s in pieces)
    score = sum(p[2] * len(s) for p, s in zip(placed, pieces)) / total  # type: ignore[index]
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


PAIR_WORDS = 40  # context sets up to this size are also indexed by word pairs (at most 780 pairs each)


def overlap_groups(items: list[tuple[str, set[str]]], *, min_shared: int = 2) -> list[list[int]]:
    """Group items (key, context words) that share a key and at least `min_shared` context words.

    Each item joins the group whose representative shares the most words with it (the first on a
    tie), if it shares at least `min_shared`; otherwise it founds a group. Representatives are found
    through an inverted index: on word pairs where two shared words are needed and the key has many
    groups (a common word alone would list most groups of a long text), on single words otherwise.
    """
    groups: list[list[int]] = []
    rep_words: list[set[str]] = []
    by_word: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_pair: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(list))
    wide: dict[str, list[int]] = defaultdict(list)  # representatives too big to index by pairs
    per_key: Counter[str] = Counter()  # groups founded under each key
    paired = min_shared >= 2
    for i, (key, words) in enumerate(items):
        shared: dict[int, int]
        if paired and len(words) <= PAIR_WORDS and per_key[key] > 2 * len(words):  # else few to visit
            found = {g for pair in combinations(sorted(words), 2) for g in by_pair[key].get(pair, ())}
            found.update(wide[key])
            shared = {g: len(words & rep_words[g]) for g in found}
        else:
            shared = Counter()
            for w in words:
                for g in by_word[key].get(w, ()):
                    shared[g] += 1
        best = min((g for g, n in shared.items() if n >= min_shared), key=lambda g: (-shared[g], g), default=None)
        if best is None:
            best = len(groups)
            groups.append([])
            rep_words.append(words)
            per_key[key] += 1
            for w in words:
                by_word[key][w].append(best)
            if len(words) <= PAIR_WORDS:
                for pair in combinations(sorted(words), 2):
                    by_pair[key][pair].append(best)
            else:
                wide[key].append(best)
        groups[best].append(i)
    return groups


def context_of(sentence: str) -> set[str]:
    """Context words of a claim's sentence for grouping."""
    return content_words(sentence)
