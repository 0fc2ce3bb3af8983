"""Quotations: verified word for word, misquoted, or found in no other document.

A report's quotation is compared with the primary's text, and with the words other reports put
inside quotation marks (never with their narration). A quotation of several sentences is matched
piece by piece, so a report that quotes part of a passage is verified for that part. Quotations of
one to three words are looked up word for word in every document, and verified only when the
primary gives those words to a compatible speaker. Words the primary quotes from one named person
and a report gives to another person the primary names are a misquote; so are, in a transcript,
words of a questioner's turn attributed to a named speaker.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterator

from ..quotealign import BARRIER, QuoteIndex, QuoteMatch, TokenView, find_exact, match_quote, tokenize
from ..aliases import name_key
from ..corpus import Corpus
from ..extract.claim import Claim
from ..extract.people import TITLES, same_person
from ..extract.speakers import turns
from ..segment import sentences
from ..settings import Params
from ..values import Span
from .base import FindingType, Rule
from .context import RuleContext, evidence, norm_span
from .finding import Finding

__all__ = ["RULE"]

MISQUOTE = FindingType(
    "misquote", "Misquote", "Misquoted",
    "Quoted words differ from the passage they quote, or are given to someone the source does not give them to.",
    "high against the primary with strong evidence (six words or more, similarity 75 or more), "
    "else medium; medium against another report")
VERIFIED = FindingType(
    "verified_quote", "Verified quote", "Accurate quote",
    "Quoted words found word for word in the source.", "low (information)")
UNSOURCED = FindingType(
    "unsourced_quote", "Unsourced quote", "Quote not found in the source",
    "Quoted words that no other document of the corpus contains.", "medium; low for three words or fewer")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"']?\s+(?=[\"'(]?[A-Z0-9])")
QUESTIONER = "questioner"


@dataclass
class Piece:
    """A sentence of a report's quotation: its text and raw span."""

    text: str
    span: Span


class _Targets:
    """The primary as tokens, the quoted parts of every report, and every document's full text."""

    def __init__(self, ctx: RuleContext):
        self.ctx = ctx
        corpus = ctx.corpus
        self.primary = TokenView.of(corpus.primary, corpus.primary.norm)

    @cached_property
    def quoted(self) -> QuoteIndex:
        """Each report's quotations (not its narration), as one token view per report."""
        parts: dict[str, list[tuple[int, int]]] = {}
        for q in self.ctx.of("quote"):
            if q.doc != self.ctx.primary and q.detail.get("style") == "double":
                view, a, b = norm_span(q, self.ctx.corpus)
                if view is self.ctx.corpus[q.doc].norm:
                    parts.setdefault(q.doc, []).append((a, b))
        return QuoteIndex(TokenView.of(d, d.norm, sorted(parts[d.id])) for d in self.ctx.corpus.reports
                          if d.id in parts)

    @cached_property
    def full(self) -> dict[str, TokenView]:
        """Every document's whole text as tokens, for exact look-ups of short quotations."""
        return {d.id: (self.primary if d.id == self.ctx.primary else TokenView.of(d, d.norm)) for d in self.ctx.corpus}

    @cached_property
    def turns(self) -> tuple[list[int], list[tuple[int, int, str]]]:
        found = turns(self.primary.view.text)
        return [t[0] for t in found], found

    def turn_label(self, pos: int) -> str | None:
        """The speaker label of the primary's transcript turn holding normalised `pos`, if any."""
        starts, found = self.turns
        i = bisect.bisect_right(starts, pos) - 1
        return found[i][2] if i >= 0 and found[i][0] <= pos < found[i][1] else None

    @cached_property
    def primary_quotes(self) -> list[tuple[int, int, str | None, Claim]]:
        """(start, end, who, quotation) of the primary's own quotations, in normalised offsets: who is
        the speaker's name, else the description the primary gives ("my deputy")."""
        out = []
        for q in self.ctx.of("quote"):
            if q.doc == self.ctx.primary and q.detail.get("style") == "double":
                view, a, b = norm_span(q, self.ctx.corpus)
                if view is self.primary.view:
                    out.append((a, b, q.detail.get("speaker") or q.detail.get("speaker_description"), q))
        return out

    def _turn(self, pos: int) -> str | None:
        label = self.turn_label(pos)
        if label is None:
            return None
        if label == "Q":
            return QUESTIONER
        words = [w for w in label.split() if w.lower().rstrip(".") not in TITLES and w != "THE"]
        return words[-1].title() if words else None

    @cached_property
    def primary_people(self) -> list[str]:
        """The people the primary names."""
        kinds = self.ctx.entity_kinds
        return list(dict.fromkeys(str(m.value) for m in self.ctx.of("mention", self.ctx.primary)
                                  if (kinds.get(name_key(m.value)) or m.detail.get("type")) == "person"))

    def names_person(self, name: str) -> bool:
        """Whether the primary names this person (under any form of the name)."""
        return any(same_person(name, p) for p in self.primary_people)

    def _quote_at(self, match: QuoteMatch) -> tuple[int, int, str | None, Claim] | None:
        pos = match.target.starts[match.first]
        return next((found for found in self.primary_quotes if found[0] <= pos < found[1]), None)

    def primary_quote(self, match: QuoteMatch) -> Claim | None:
        """The primary's own quotation holding the matched words, if any."""
        found = self._quote_at(match)
        return found[3] if found else None

    def primary_speaker(self, match: QuoteMatch) -> tuple[str | None, str, str | None]:
        """Who the primary gives the matched words to, how it knows (its own quotation, a transcript
        turn, its author), and who relays them when they are a quotation inside a turn or the text."""
        pos = match.target.starts[match.first]
        author = self.ctx.corpus.primary.meta.get("author")
        relay = self._turn(pos) or (str(author) if author else None)
        quoted = self._quote_at(match)
        if quoted is not None:
            return quoted[2], "quote", relay
        turn = self._turn(pos)
        if turn is not None:
            return turn, "turn", None
        return (str(author) if author else None), "author", None


def _pieces(q: Claim, ctx: RuleContext) -> list[Piece]:
    """A quotation split at its sentence ends (pieces of three words or more), with raw spans."""
    view, start, end = norm_span(q, ctx.corpus)
    text = view.text[start:end]
    raw = ctx.corpus[q.doc].raw
    bounds, pos = [], 0
    for m in SENTENCE_BREAK.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    merged: list[tuple[int, int]] = []
    for a, b in bounds:
        if merged and (len(tokenize(text[a:b])) < 3 or len(tokenize(text[merged[-1][0]:merged[-1][1]])) < 3):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    out = []
    for a, b in merged:
        piece = text[a:b].strip()
        if not piece:
            continue
        a += len(text[a:b]) - len(text[a:b].lstrip())
        rs, re_ = view.raw_span(start + a, start + a + len(piece))
        out.append(Piece(piece, Span.of(q.doc, raw, rs, re_)))
    return out


def _near(match: QuoteMatch, params: Params) -> bool:
    return match.score >= params.misquote_min and match.equal_words >= params.misquote_min_equal


def _changes(diff: list[list[str]]) -> str:
    changed = [op for op in diff if op[0] != "equal"]
    return "; ".join(f"\u201c{o[2]}\u201d \u2192 \u201c{o[1]}\u201d" if o[0] == "replace" else
                     (f"added \u201c{o[1]}\u201d" if o[0] == "delete" else f"dropped \u201c{o[2]}\u201d")
                     for o in changed[:4])


def _contains_other_quote(text: str, doc: str, targets: _Targets) -> bool:
    """Whether another report's whole quotation (three words or more) sits word for word inside this one."""
    key = " " + " ".join(tokenize(text)) + " "
    for view in targets.quoted.candidates(text, exclude=doc):
        for part in " ".join(view.tokens).split(BARRIER):
            part = part.strip()
            if part.count(" ") >= 2 and f" {part} " in key:
                return True
    return False


def _ends_only(match: QuoteMatch) -> bool:
    """A match whose only differences are words before or after the matched run (containment, not change)."""
    inner = [op[0] for op in match.diff]
    while inner and inner[0] != "equal":
        inner.pop(0)
    while inner and inner[-1] != "equal":
        inner.pop()
    return all(tag == "equal" for tag in inner)


def quote_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """verified_quote, misquote and unsourced_quote for every double-quoted span of a report."""
    targets = _Targets(ctx)
    for q in ctx.of("quote"):
        if q.doc == ctx.primary or q.detail.get("style") != "double":
            continue
        if q.detail.get("words", 0) <= params.short_words:
            yield from _short(q, ctx, params, targets)
            continue
        pieces = _pieces(q, ctx)
        verdicts = [(piece, _best(piece.text, q.doc, params, targets)) for piece in pieces]
        if len(pieces) > 1 and all(m is not None and m.exact and m.target is targets.primary for _, m in verdicts):
            if not any(m is not None and _misattributed(q, m, targets) for _, m in verdicts):
                yield _verified(q, [evidence(q)] + [Span.from_dict(m.evidence()) for _, m in verdicts if m], targets,
                                ctx)
                continue
            verdicts = verdicts[:1]  # given to the wrong person: one finding for the whole quotation
        if len(pieces) > 1 and all(m is None for _, m in verdicts):
            verdicts = [(Piece(q.norm, evidence(q)), None)]
        for piece, match in verdicts:
            yield from _judge(q, piece if len(verdicts) > 1 else Piece(q.norm, evidence(q)), match, ctx, params,
                              targets)


def _best(text: str, doc: str, params: Params, targets: _Targets) -> QuoteMatch | None:
    """The primary's placement when exact, or near on strong evidence (a misquote other reports may
    repeat); else an exact one in another report's quotations; else a near one in the primary; else
    the best near one in the reports' quotations; None when nothing comes close."""
    primary = match_quote(text, targets.primary)
    if primary is not None and (primary.exact or (_near(primary, params) and _strong(primary, text, params))):
        return primary
    others = [m for m in (match_quote(text, v) for v in targets.quoted.candidates(text, exclude=doc)) if m]
    exact = [m for m in others if m.exact]
    if exact:
        return exact[0]
    if primary is not None and _near(primary, params):
        return primary
    near = [m for m in others if _near(m, params) and not _ends_only(m)]
    return max(near, key=lambda m: m.score) if near else None


def _strong(match: QuoteMatch, text: str, params: Params) -> bool:
    """Strong evidence for a misquote: a long enough quotation, close enough to its source."""
    return len(tokenize(text)) >= params.strong_words and match.score >= params.strong_score


def _speaker(q: Claim) -> str | None:
    speaker = q.detail.get("speaker")
    return str(speaker) if speaker else None


def _subject(q: Claim) -> str:
    who = _speaker(q) or q.detail.get("speaker_description")
    return f"quote of {who}" if who else "quote"


def _verified(q: Claim, spans: list[Span], targets: _Targets, ctx: RuleContext,
              detail: dict[str, Any] | None = None) -> Finding:
    src = ctx.primary
    return Finding("verified_quote", _subject(q), [q.doc, src], {q.doc: q.norm, src: spans[1].text}, "low",
                   f"{q.doc}'s quotation matches {src} word for word.", spans, score=100.0,
                   confidence=1.0, detail={"speaker": _speaker(q), "matched_in": src, **(detail or {})})


def _misattributed(q: Claim, match: QuoteMatch, targets: _Targets) -> str | None:
    """Who the primary gives these words to, when that cannot be the report's named speaker."""
    speaker = _speaker(q)
    if match.target is not targets.primary or not speaker or q.detail.get("attribution") not in (
            "cue", "according", "trailing"):
        return None
    theirs, how, relay = targets.primary_speaker(match)
    if theirs == QUESTIONER:
        return "a questioner"
    if how == "turn" and theirs and not same_person(speaker, theirs):
        return theirs
    if how == "quote" and theirs and relay and same_person(speaker, relay) and not same_person(speaker, theirs):
        return theirs
    if how == "quote" and theirs and theirs[:1].isupper() and not same_person(speaker, theirs) \
            and targets.names_person(speaker):
        return theirs
    return None


def _with_attribution(q: Claim, corpus: Corpus) -> Span:
    """A quotation with the words around it that say who speaks: from the start of the sentence it
    opens in to the end of the sentence it closes in."""
    view, _, end = norm_span(q, corpus)
    segments = sentences(view)
    i = bisect.bisect_right(segments, max(0, end - 1), key=lambda s: s.start) - 1
    closing = view.raw_span(segments[i].start, segments[i].end)[1] if i >= 0 else q.end
    raw = corpus[q.doc].raw
    return Span.of(q.doc, raw, min(q.sentence_start, q.start), max(q.sentence_end, q.end, closing))


def _possessive(who: str) -> str:
    return who + ("'" if who.endswith("s") else "'s")


def _judge(q: Claim, piece: Piece, match: QuoteMatch | None, ctx: RuleContext, params: Params,
           targets: _Targets) -> Iterator[Finding]:
    speaker = _speaker(q)
    if match is None:
        if q.detail.get("role") == "speech" and not _contains_other_quote(piece.text, q.doc, targets):
            who = speaker or q.detail.get("speaker_description")
            yield Finding("unsourced_quote", _subject(q), [q.doc], {q.doc: piece.text}, params.severity_unsourced,
                          f"{q.doc} quotes words{' of ' + who if who else ''} that no other "
                          "document of the corpus contains.", [piece.span], confidence=0.8,
                          detail={"speaker": speaker, "role": q.detail.get("role")})
        return
    found = Span.from_dict(match.evidence())
    src = match.target.doc.id
    spans = [piece.span, found]
    detail: dict[str, Any] = {"speaker": speaker, "diff": match.diff, "matched_in": src}
    other = _misattributed(q, match, targets)
    if other is not None:  # the sentences that say who speaks, on both sides
        theirs = targets.primary_quote(match)
        said = [_with_attribution(c, ctx.corpus) for c in (q, theirs) if c]
        yield Finding("misquote", _subject(q), [q.doc, src], {q.doc: speaker, src: other}, params.severity_primary,
                      f"{q.doc} gives these words to {speaker}; in {src} they are {_possessive(other)}.",
                      spans + [s for s in said if s not in spans], score=match.score, confidence=0.85,
                      detail={**detail, "source_speaker": other})
        return
    if match.exact:
        if src == ctx.primary:
            yield _verified(q, spans, targets, ctx, {"diff": match.diff})
        return
    strong = _strong(match, piece.text, params)
    confidence = 0.9 if strong else 0.6
    severity = (params.severity_primary if strong else params.severity_other) if src == ctx.primary \
        else params.severity_other
    yield Finding("misquote", _subject(q), [q.doc, src], {q.doc: piece.text, src: found.text}, severity,
                  f"{q.doc}'s quotation differs from {src}: {_changes(match.diff)}.", spans,
                  score=match.score, confidence=confidence, detail=detail)


def _short(q: Claim, ctx: RuleContext, params: Params, targets: _Targets) -> Iterator[Finding]:
    """A quotation of one to three words: looked up word for word in every document."""
    toks = tokenize(q.norm)
    if not toks:
        return
    first = find_exact(toks, targets.primary)
    if first is not None:
        match = QuoteMatch(targets.primary, first, first + len(toks), 100.0, True,
                           [["equal", " ".join(toks), " ".join(toks)]])
        theirs, _, _ = targets.primary_speaker(match)
        mine = _speaker(q)
        if theirs == QUESTIONER or (mine and theirs and not same_person(mine, theirs)):
            return
        yield _verified(q, [evidence(q), Span.from_dict(match.evidence())], targets, ctx)
        return
    if any(find_exact(toks, view) is not None for doc, view in targets.full.items() if doc != q.doc):
        return
    if q.detail.get("role") == "speech" and _speaker(q):
        yield Finding("unsourced_quote", _subject(q), [q.doc], {q.doc: q.norm}, params.severity_unsourced_short,
                      f"{q.doc} quotes words of {_speaker(q)} that no other document of the corpus contains.",
                      [evidence(q)], confidence=0.6, detail={"speaker": _speaker(q), "role": q.detail.get("role")})


RULE = Rule(
    "quotes", quote_findings, (MISQUOTE, VERIFIED, UNSOURCED), needs=("quote",),
    settings={
        "misquote_min": (70.0, "token similarity (0-100) from which a near match is a misquote"),
        "misquote_min_equal": (3, "equal words a misquote must share with its source"),
        "short_words": (3, "quotations of this many words or fewer are looked up word for word only"),
        "strong_words": (6, "words a misquote needs for strong evidence (high severity against the primary)"),
        "strong_score": (75.0, "similarity a misquote needs for strong evidence"),
        "severity_primary": ("high", "severity of a misquote of the primary with strong evidence"),
        "severity_other": ("medium", "severity of any other misquote"),
        "severity_unsourced": ("medium", "severity of an unsourced quote"),
        "severity_unsourced_short": ("low", "severity of an unsourced quote of three words or fewer"),
    })
