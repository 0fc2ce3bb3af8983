"""Counts: the same quantity given different values across documents, or within one."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from rapidfuzz import fuzz

from ..align import overlap_groups
from ..extract.claim import Claim, content_words
from ..settings import Params
from ..values import Interval, Span
from .base import FindingType, Rule
from .context import RuleContext, evidence, short_evidence
from .finding import Finding

__all__ = ["RULE"]

COUNT_CONFLICT = FindingType(
    "count_conflict", "Count conflict", "Count differs from the source",
    "Documents give incompatible numbers for the same counted thing.",
    "high when the primary's value is involved, else medium")
INTERNAL = FindingType(
    "internal_inconsistency", "Inconsistent with itself", "Inconsistent with itself",
    "A document contradicts itself: a stated count against the list it gives, or two values for one thing.",
    "medium")


def _label(group: list[Claim], primary: str) -> tuple[str | None, str]:
    """Subject and noun of a group, from the primary when it takes part, else the smallest: order-free."""
    pool = [c for c in group if c.doc == primary] or group
    subjects = sorted(c.detail["subject"] for c in pool if c.detail.get("subject"))
    nouns = sorted(c.detail["noun"] for c in pool if c.detail.get("noun"))
    return (subjects[0] if subjects else None), (nouns[0] if nouns else "count")


def _groups(ctx: RuleContext, params: Params) -> list[list[Claim]]:
    counts = [c for c in ctx.of("count") if c.detail.get("noun_key") and c not in ctx.quoted]
    items = []
    for c in counts:
        words = content_words(c.sentence)
        if c.detail.get("subject_key"):
            words = words | {"\u00a7" + c.detail["subject_key"], "\u00a7" + c.detail["subject_key"] + "2"}
        items.append((f"{c.detail['noun_key']}|{c.value.get('unit')}", words))
    return [[counts[i] for i in g] for g in overlap_groups(items, min_shared=params.context_shared)]


def _values(group: list[Claim]) -> list[tuple[Interval, set[str]]]:
    """Distinct intervals of a group, each with the documents giving it."""
    out: dict[Interval, set[str]] = {}
    for c in group:
        out.setdefault(Interval.of(c.value), set()).add(c.doc)
    return list(out.items())


def _cross_disjoint(values: list[tuple[Interval, set[str]]]) -> bool:
    """Two documents of the group give disjoint values (checked on distinct values, not pairs of claims)."""
    return any(a.disjoint(b) and (da | db) - (da & db) for i, (a, da) in enumerate(values)
               for b, db in values[i + 1:])


def _same_quantity(a: Claim, b: Claim) -> bool:
    """Two counts of one document measure the same thing: same subject, or same noun phrase elsewhere."""
    if a.detail.get("subject_key") and a.detail.get("subject_key") == b.detail.get("subject_key"):
        return True
    return (a.sentence_start != b.sentence_start
            and (a.detail.get("noun") or "").casefold() == (b.detail.get("noun") or "").casefold())


def _phrase(c: Claim) -> Span:
    return evidence(c, c.detail.get("phrase"))


def count_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """count_conflict across documents, internal_inconsistency within one."""
    primary = ctx.primary
    for group in _groups(ctx, params):
        docs = {c.doc for c in group}
        subject, noun = _label(group, primary)
        label = f"{noun} ({subject})" if subject else noun
        values = _values(group)
        if len(docs) >= 2 and _cross_disjoint(values):
            ordered = sorted(group, key=lambda c: (ctx.order[c.doc], c.start))
            shown: dict[str, list[str]] = defaultdict(list)
            for c in ordered:
                shown[c.doc].append(str(Interval.of(c.value)))
            prim = [Interval.of(c.value) for c in group if c.doc == primary]
            high = any(p.disjoint(v) for p in prim for v, _ in values)
            text = "; ".join(f"{d}: {', '.join(v)}" for d, v in shown.items())
            yield Finding("count_conflict", label, list(shown), dict(shown),
                          params.severity_primary if high else params.severity_other,
                          f"The documents give different numbers for {label}: {text}.",
                          [short_evidence(c, ctx.corpus) for c in ordered])
        by_doc: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_doc[c.doc].append(c)
        for doc, cs in by_doc.items():
            pairs = [(a, b) for i, a in enumerate(cs) for b in cs[i + 1:]
                     if Interval.of(a.value).disjoint(Interval.of(b.value)) and _same_quantity(a, b)]
            if pairs:
                a, b = pairs[0]
                va, vb = Interval.of(a.value), Interval.of(b.value)
                yield Finding("internal_inconsistency", label, [doc], {doc: [str(va), str(vb)]},
                              params.severity_internal, f"{doc} gives {va} and later {vb} for {label}.",
                              [_phrase(a), _phrase(b)])
    yield from _list_findings(ctx, params)


def _list_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """internal_inconsistency: a stated count against the length of the list the document gives."""
    counts_by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in ctx.of("count"):
        counts_by_doc[c.doc].append(c)
    for lst in ctx.of("list"):
        n = lst.value
        intro = lst.detail.get("intro", "")
        for cnt in counts_by_doc[lst.doc]:
            in_intro = lst.start <= cnt.start < lst.detail["intro_span"]["end"]
            subject = cnt.detail.get("subject") or ""
            named = len(subject.split()) >= 2 and fuzz.partial_ratio(subject.casefold(), intro.casefold()) >= 90
            if not (in_intro or named):
                continue
            v = Interval.of(cnt.value)
            if v.contains(n):
                continue
            noun = cnt.detail.get("noun") or "items"
            label = f"{noun} ({subject})" if subject else noun
            yield Finding(
                "internal_inconsistency", label, [lst.doc], {lst.doc: [str(v), f"{n} listed"]},
                params.severity_internal,
                f"{lst.doc} states {v} {cnt.detail.get('noun') or ''} but its list names {n}.".replace("  ", " "),
                [_phrase(cnt), evidence(lst, lst.detail["intro_span"])],
                detail={"items": [i["text"] for i in lst.detail["items"]]})


RULE = Rule(
    "counts", count_findings, (COUNT_CONFLICT, INTERNAL), needs=("count", "list"),
    settings={
        "context_shared": (2, "context words two counts of one noun must share to be the same quantity"),
        "severity_primary": ("high", "severity of a count conflict involving the primary's value"),
        "severity_other": ("medium", "severity of a count conflict between reports only"),
        "severity_internal": ("medium", "severity of an internal inconsistency"),
    })
