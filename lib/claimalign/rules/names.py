"""Names: one person or organization spelled two ways, across documents or within one."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..aliases import name_key
from ..extract.claim import Claim
from ..settings import Params
from .base import FindingType, Rule
from .context import RuleContext, evidence
from .finding import Finding

__all__ = ["RULE"]

NAME_VARIANT = FindingType(
    "name_variant", "Name variant", "Name differs from the source",
    "One person or organization is named two ways.",
    "medium within one document, else low")


def name_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """name_variant: two names differing in one word, similar in spelling, not listed as aliases."""
    kinds = ctx.entity_kinds
    uses: dict[str, dict[str, Claim]] = defaultdict(dict)
    for m in ctx.of("mention"):
        key = name_key(m.value)
        if kinds.get(key) in ("org", "person") and len(key.split()) >= 2:
            uses[key].setdefault(m.doc, m)
    by_token: dict[str, list[str]] = defaultdict(list)
    for k in sorted(uses):
        for tok in set(k.split()):
            if len(tok) > 3:
                by_token[tok].append(k)
    seen = set()
    for k in sorted(uses):
        for other in sorted({o for tok in set(k.split()) for o in by_token.get(tok, ()) if o > k}):
            first_a, first_b = next(iter(uses[k].values())), next(iter(uses[other].values()))
            if (k, other) in seen or ctx.aliases.same(first_a.value, first_b.value):
                continue
            seen.add((k, other))
            ta, tb = k.split(), other.split()
            if len(ta) != len(tb) or Levenshtein.distance(ta, tb) > 1:
                continue
            score = fuzz.ratio(k, other)
            if score < params.min_similarity:
                continue
            within = sorted(set(uses[k]) & set(uses[other]))
            docs = sorted(set(uses[k]) | set(uses[other]), key=lambda d: ctx.order[d])
            values = {d: [m.text for m in (uses[k].get(d), uses[other].get(d)) if m] for d in docs}
            spans = [evidence(m) for d in docs for m in (uses[k].get(d), uses[other].get(d)) if m]
            where = f"within {', '.join(within)}" if within else "across documents"
            yield Finding("name_variant", first_a.value, docs, values,
                          params.severity_within if within else params.severity_across,
                          f"\u201c{first_a.text}\u201d and \u201c{first_b.text}\u201d name one "
                          f"{kinds[k]} two ways ({where}).", spans, score=round(score, 1))


RULE = Rule(
    "names", name_findings, (NAME_VARIANT,), needs=("mention",),
    settings={
        "min_similarity": (85.0, "character similarity (0-100) of two differing names of one entity"),
        "severity_within": ("medium", "severity of two spellings within one document"),
        "severity_across": ("low", "severity of two spellings in different documents"),
    })
