"""Coverage: what the primary names that reports leave out."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from rapidfuzz import fuzz

from ..aliases import name_key
from ..extract.claim import Claim
from ..settings import Params
from .base import FindingType, Rule
from .context import RuleContext, evidence
from .entities import name_tokens
from .finding import Finding

__all__ = ["RULE"]

OMISSION = FindingType(
    "omission", "Omission", "Leaves out part of the source",
    "Something the primary names that reports leave out.",
    "medium when every report omits it, else low")


def _names(ids: list[str], most: int = 5) -> str:
    return ", ".join(ids) if len(ids) <= most else f"{', '.join(ids[:most])} and {len(ids) - most} more"


def omission_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """omission: a person or organization the primary names that some reports leave out."""
    corpus, aliases, kinds = ctx.corpus, ctx.aliases, ctx.entity_kinds
    reports = [d for d in corpus.reports if d.kind == "report"] or corpus.reports
    if not reports:
        return
    items: dict[str, tuple[Claim, str]] = {}
    for m in ctx.of("mention"):
        if m.doc != corpus.primary_id:
            continue
        key = name_key(aliases.resolve(m.value))
        kind = kinds.get(name_key(m.value), m.detail.get("type"))
        if kind in ("person", "org") and len(key.split()) >= 2 and not any(
                fuzz.ratio(key, k) >= params.same_name_similarity for k in items):
            items.setdefault(key, (m, kind))
    fuller = {" ".join(k.split()[i:]) for k, (_, kind) in items.items() if kind == "person"
              for i in range(1, len(k.split()) - 1)}
    items = {k: v for k, v in items.items() if k not in fuller}
    found: dict[str, dict[str, Claim]] = defaultdict(dict)
    tokens_of = {key: set(name_tokens(m.value, kind)) for key, (m, kind) in items.items()}
    by_token: dict[str, list[str]] = defaultdict(list)
    for key, toks in tokens_of.items():
        for t in sorted(toks):
            by_token[t].append(key)
    for m in ctx.of("mention"):
        if m.doc == corpus.primary_id:
            continue
        mk = name_key(aliases.resolve(m.value))
        hits = {mk} & set(items) | {k for t in mk.split() for k in by_token.get(t, ())}
        if not hits and m.detail.get("type") == "org":
            hits = {k for k, (it, kind) in items.items() if kind == "org" and fuzz.token_set_ratio(mk, k) >= 95}
        for k in hits:
            found[k].setdefault(m.doc, m)
    spellings = {key: [" " + re.sub(r"\W+", " ", s) + " " for s in aliases.names_of(m.value)] +
                 [f" {t} " for t in sorted(tokens_of[key])] for key, (m, _) in items.items()}
    for key, (item, kind) in items.items():
        values, spans = {}, [evidence(item)]
        for doc in reports:
            hit = found[key].get(doc.id)
            if hit is None:
                text = ctx.folded(doc)
                values[doc.id] = "mentioned" if any(s in text for s in spellings[key]) else "omitted"
            else:
                values[doc.id] = "mentioned"
                spans.append(evidence(hit))
        omitted = [d for d, v in values.items() if v == "omitted"]
        if not omitted:
            continue
        severity = params.severity_all if len(omitted) == len(values) else params.severity_some
        mentioned = [d for d, v in values.items() if v == "mentioned"]
        yield Finding(
            "omission", item.value, [corpus.primary_id, *values], {corpus.primary_id: "named", **values}, severity,
            f"{corpus.primary_id} names {item.value} ({kind}); " +
            (f"{_names(mentioned)} mention{'s' if len(mentioned) == 1 else ''} it, " if mentioned else "") +
            f"{_names(omitted)} leave{'s' if len(omitted) == 1 else ''} it out.", spans,
            detail={"entity_type": kind})


RULE = Rule(
    "coverage", omission_findings, (OMISSION,), needs=("mention",),
    settings={
        "same_name_similarity": (85.0, "character similarity from which two primary names are one item"),
        "severity_all": ("medium", "severity when every report omits the item"),
        "severity_some": ("low", "severity when some reports omit the item"),
    })
