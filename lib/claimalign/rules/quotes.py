"""Quotations: verified word for word, misquoted, or found in no other document."""
from __future__ import annotations

from functools import cached_property
from typing import Any, Iterator

from ..align import QuoteIndex, QuoteMatch, TokenView, match_quote
from ..settings import Params
from ..values import Span
from .base import FindingType, Rule
from .context import RuleContext, evidence
from .finding import Finding

__all__ = ["RULE"]

MISQUOTE = FindingType(
    "misquote", "Misquote", "Misquoted",
    "Quoted words differ from the passage they quote.",
    "high against the primary, medium against another report")
VERIFIED = FindingType(
    "verified_quote", "Verified quote", "Accurate quote",
    "Quoted words found word for word in the source.", "low (information)")
UNSOURCED = FindingType(
    "unsourced_quote", "Unsourced quote", "Quote not found in the source",
    "Quoted words that no other document of the corpus contains.", "medium")


class _Targets:
    """The primary as tokens, and a lazily built index of the reports for quotes not in the primary."""

    def __init__(self, ctx: RuleContext):
        self.ctx = ctx
        self.primary = TokenView.of(ctx.corpus.primary, ctx.corpus.primary.norm)

    @cached_property
    def index(self) -> QuoteIndex:
        return QuoteIndex(TokenView.of(d, d.norm) for d in self.ctx.corpus.reports)


def _near(match: QuoteMatch, short: bool, params: Params) -> bool:
    equal = sum(len(op[1].split()) for op in match.diff if op[0] == "equal")
    return not short and match.score >= params.misquote_min and equal >= params.misquote_min_equal


def _changes(diff: list[list[str]]) -> str:
    changed = [op for op in diff if op[0] != "equal"]
    return "; ".join(f"\u201c{o[2]}\u201d \u2192 \u201c{o[1]}\u201d" if o[0] == "replace" else
                     (f"added \u201c{o[1]}\u201d" if o[0] == "delete" else f"dropped \u201c{o[2]}\u201d")
                     for o in changed[:4])


def quote_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """verified_quote, misquote and unsourced_quote for every double-quoted span of a report."""
    targets = _Targets(ctx)
    for q in ctx.of("quote"):
        if q.doc == ctx.primary or q.detail.get("style") != "double":
            continue
        speaker = q.detail.get("speaker")
        subject = f"quote of {speaker}" if speaker else "quote"
        match = match_quote(q.norm, targets.primary)
        short = q.detail.get("words", 0) < 3
        if match is None or not (match.exact or _near(match, short, params)):
            others = targets.index.candidates(q.norm, exclude=q.doc)
            alt = [m for m in (match_quote(q.norm, v) for v in others) if m is not None]
            alt = [m for m in alt if m.exact or _near(m, short, params)]
            if alt:
                match = max(alt, key=lambda m: m.score)
                if match.exact:
                    continue
            else:
                yield Finding("unsourced_quote", subject, [q.doc], {q.doc: q.norm}, params.severity_unsourced,
                              f"{q.doc} quotes words{' of ' + speaker if speaker else ''} that no other "
                              "document of the corpus contains.", [evidence(q)],
                              score=round(match.score, 1) if match else None,
                              detail={"speaker": speaker, "role": q.detail.get("role")})
                continue
        found = Span.from_dict(match.evidence())
        src = match.target.doc.id
        ev = [evidence(q), found]
        detail: dict[str, Any] = {"speaker": speaker, "diff": match.diff, "matched_in": src}
        if match.exact:
            yield Finding("verified_quote", subject, [q.doc, src], {q.doc: q.norm, src: found.text}, "low",
                          f"{q.doc}'s quotation matches {src} word for word.", ev, score=100.0, detail=detail)
        else:
            yield Finding("misquote", subject, [q.doc, src], {q.doc: q.norm, src: found.text},
                          params.severity_primary if src == ctx.primary else params.severity_other,
                          f"{q.doc}'s quotation differs from {src}: {_changes(match.diff)}.", ev,
                          score=match.score, detail=detail)


RULE = Rule(
    "quotes", quote_findings, (MISQUOTE, VERIFIED, UNSOURCED), needs=("quote",),
    settings={
        "misquote_min": (60.0, "token similarity (0-100) from which a near match is a misquote"),
        "misquote_min_equal": (3, "equal words a misquote must share with its source"),
        "severity_primary": ("high", "severity of a misquote of the primary"),
        "severity_other": ("medium", "severity of a misquote of another report"),
        "severity_unsourced": ("medium", "severity of an unsourced quote"),
    })
