"""Referents: one sum of money attached to different things in the primary and in a report.

A sum's referent is the noun phrase its clause says it is for ("$2 million for school repairs",
"$2 million to the district for school repairs", "$2 million to upgrade roads", "$2 million on
roads", "$2 million road fund"). A report's sum
shifts referent when the primary gives the same sum (same value and unit, not in a quotation)
only for other things: no content word is shared between the referents, and neither document's
sentences with that sum name the other's referent.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ..extract.claim import Claim, stems
from ..settings import Params
from .base import FindingType, Rule
from .context import RuleContext, clause
from .finding import Finding

__all__ = ["RULE", "referent"]

REFERENT_SHIFT = FindingType(
    "referent_shift", "Referent shift", "Figure attached to something else",
    "The same sum is attached to different things in the primary and in a report.", "medium")
FOR = re.compile(r"^\s+(?:(?:is|was|will\s+go|goes|went|earmarked|allocated|set\s+aside|budgeted)\s+)?"
                 r"(?:to\s+(?:the\s+)?(?!fund\b|pay\b|build\b|buy\b|upgrade\b|repair\b|cover\b|hire\b|expand\b|"
                 r"improve\b)(?:[\w'-]+\s+){0,2}?[\w'-]+\s+(?=for\b))?"  # a recipient: "to the regional district for"
                 r"(?P<prep>for|on|towards?|to\s+(?:fund|pay\s+for|build|buy|upgrade|repair|cover|hire|expand|improve))\s+"
                 r"(?P<np>(?:the\s+|a\s+|an\s+|new\s+)?(?!hold\b|top\b|end\b|average\b)[A-Za-z][\w'-]*(?:\s+(?!and\b|in\b|over\b|from\b|by\b|"
                 r"to\b|with\b|at\b|this\b|next\b|last\b|per\b|until\b|before\b)[A-Za-z][\w'-]*){0,4})")
TIME = frozenset("year years month months week weeks day days decade decades annually term period".split())


def referent(c: Claim, raw: str) -> str | None:
    """The phrase a sum is said to be for, read after it in the raw text; None when the text does not say."""
    m = FOR.match(raw[c.end:min(c.sentence_end, c.end + 120)])
    if m is None:
        return None
    words = m.group("np").split()
    if not words or words[-1].casefold() in TIME or words[0].casefold() in TIME:
        return None
    return f"{m.group('prep')} {m.group('np')}"


def _money(c: Claim) -> bool:
    unit = c.value.get("unit")
    return unit not in (None, "%", "pp") and c.value.get("low") is not None and c.value.get("low") == c.value.get("high")


def referent_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """referent_shift (see the module doc); one finding per report sum."""
    sums: dict[tuple, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for c in ctx.of("count"):
        if _money(c) and c not in ctx.quoted and c.detail.get("form") != "vague":
            sums[(c.value["unit"], c.value["low"])][c.doc].append(c)
    for key in sorted(sums, key=str):
        docs = sums[key]
        primary = docs.get(ctx.primary, [])
        theirs = [(c, r) for c, r in ((c, referent(c, ctx.corpus[c.doc].raw)) for c in primary) if r is not None]
        if not theirs:  # the primary's tellings that say what the sum is for ("Is $3 million enough?" does not)
            continue
        p_sentences = set().union(*(stems(c.sentence) for c in primary))
        p_refs = set().union(*(stems(r) for _, r in theirs))
        for doc in sorted(docs, key=lambda d: ctx.order[d]):
            if doc == ctx.primary:
                continue
            for c in docs[doc]:
                mine = referent(c, ctx.corpus[doc].raw)
                if mine is None:
                    continue
                r_refs = stems(mine) - {"fund", "pay", "cover"}
                r_sentences = set().union(*(stems(x.sentence) for x in docs[doc]))
                if not r_refs or r_refs & p_sentences or p_refs & r_sentences:
                    continue
                yield _finding(ctx, params, theirs, c, mine)
                break


def _finding(ctx: RuleContext, params: Params, theirs: list[tuple[Claim, str | None]], c: Claim,
             mine: str) -> Finding:
    values = {ctx.primary: [f"{p.text} {r}" for p, r in theirs], c.doc: [f"{c.text} {mine}"]}
    spans = [clause(p, ctx.corpus) for p, _ in theirs] + [clause(c, ctx.corpus)]
    said = "; ".join(values[ctx.primary])
    return Finding("referent_shift", c.text, [ctx.primary, c.doc], values, params.severity,
                   f"{c.doc} gives {c.text} {mine}, where {ctx.primary} gives the same sum {said}.",
                   spans, confidence=0.7, detail={"report_referent": mine,
                                                  "primary_referents": [r for _, r in theirs]})


RULE = Rule(
    "referents", referent_findings, (REFERENT_SHIFT,), needs=("count",),
    settings={"severity": ("medium", "severity of one sum attached to different things in the primary and a report")})
