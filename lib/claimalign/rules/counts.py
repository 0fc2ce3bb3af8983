"""Counts: the same quantity given different values across documents, or within one.

What a count is of are its keys: the counted noun ("organizations") and the event of "N people were
arrested" (so it meets "N arrests"), money's purpose or source ("$X for roads"), a percentage's object
("32% more likely to develop …"). Counts of one key are the same quantity when their sentences
share context (word stems, the counted noun and number words left out; a shared subject counts
double). Two documents conflict when such a pair gives values that cannot both be right and
neither document gives the other's value for that key anywhere.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Iterator

from rapidfuzz import fuzz

from ..quotealign import overlap_groups
from ..extract.claim import Claim, stem, stems
from ..settings import Params
from ..values import Interval, Span
from .base import FindingType, Rule
from .context import RuleContext, evidence, short_evidence
from .finding import Finding

__all__ = ["RULE", "count_keys", "count_context"]

COUNT_CONFLICT = FindingType(
    "count_conflict", "Count conflict", "Count differs from the source",
    "Documents give incompatible numbers for the same counted thing.",
    "high when the primary's value is involved on strong evidence (three context words, a subject or the "
    "same noun phrase in common), else medium")
INTERNAL = FindingType(
    "internal_inconsistency", "Inconsistent with itself", "Inconsistent with itself",
    "A document contradicts itself: a stated count against the list it gives, or two values for one thing.",
    "medium")
PAIRWISE_LIMIT = 300  # claims of one key compared pair by pair; beyond, grouped through an index
INTERNAL_PAIR_BUDGET = 200_000  # pairs of one document's counts compared in one group, at most


def count_keys(c: Claim) -> list[str]:
    """What a count is of (see the module doc), with its unit; none when the text does not say."""
    d, unit = c.detail, c.value.get("unit")
    bases = []
    if d.get("noun_key"):
        bases.append("k:" + stem(d["noun_key"]))
    if d.get("event_key"):
        bases.append("k:" + d["event_key"])
    if unit not in (None, "%", "pp") and d.get("purpose_key"):
        bases.append("p:" + d["purpose_key"])
    if unit in ("%", "pp") and d.get("percent_of"):
        bases.append("o:" + stem(d["percent_of"]))
    return [f"{b}|{unit}" for b in dict.fromkeys(bases)]


def count_context(c: Claim) -> set[str]:
    """Stems of the count's sentence without the counted noun and number words; the subject counts twice,
    and the old value of a change ("from $70 to $80") once."""
    drop = {w.casefold() for w in (c.detail.get("noun") or "").split()} | _long_name_words(c.sentence)
    words = stems(c.sentence, drop=drop)
    if c.detail.get("subject_key"):
        words |= {"\u00a7" + c.detail["subject_key"], "\u00a7\u00a7" + c.detail["subject_key"]}
    if c.detail.get("changed_from"):  # two new prices of one thing from the same old price: one change
        words.add("\u00a7from " + str(c.detail["changed_from"]))
    return words


NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z][\w'-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][a-z][\w'-]*){2,}")


@lru_cache(maxsize=4096)
def _long_name_words(sentence: str) -> frozenset[str]:
    """Words of the names of three words or more in a sentence ("Cold River Transit Authority"):
    they say who acts in every sentence about that body, not what a count is of."""
    return frozenset(w.casefold() for m in NAME_RUN.finditer(sentence) for w in m.group().split())


def _contexts(claims: list[Claim]) -> dict[int, frozenset[str]]:
    """`count_context` of each claim by id; counts told in the same sentence of the same noun and
    subject share one set."""
    made: dict[tuple[str, str | None, str | None], frozenset[str]] = {}
    out = {}
    for c in claims:
        key = (c.sentence, c.detail.get("noun"), c.detail.get("subject_key"))
        words = made.get(key)
        if words is None:
            words = made[key] = frozenset(count_context(c))
        out[id(c)] = words
    return out


def _label(group: list[Claim], primary: str) -> tuple[str | None, str]:
    """Subject and noun of a group, from the primary when it takes part, else the smallest: order-free."""
    pool = [c for c in group if c.doc == primary] or group
    subjects = sorted(c.detail["subject"] for c in pool if c.detail.get("subject"))
    nouns = sorted(c.detail.get("noun") or c.detail.get("purpose") or c.detail.get("percent_of") or ""
                   for c in pool)
    nouns = [n for n in nouns if n]
    return (subjects[0] if subjects else None), (nouns[0] if nouns else "count")


def _linked(a: Claim, b: Claim, context: dict[int, frozenset[str]], shared: int) -> bool:
    """Two counts of one key that can be the same quantity: told in the same words, or giving the same
    value with a word in common."""
    if _other_changes(a, b):
        return False
    common = len(context[id(a)] & context[id(b)])
    return common >= shared or (common >= 1 and _same_value(a, b))


def _other_changes(a: Claim, b: Claim) -> bool:
    """Two new prices changed from different old ones ("from $70 to $80", "from $5 to $6"): two things."""
    was_a, was_b = a.detail.get("changed_from"), b.detail.get("changed_from")
    return bool(was_a and was_b and was_a != was_b)


def _same_value(a: Claim, b: Claim) -> bool:
    return (a.value.get("low"), a.value.get("high")) == (b.value.get("low"), b.value.get("high"))


def _groups(claims: list[Claim], context: dict[int, frozenset[str]], shared: int) -> list[list[Claim]]:
    """Claims of one key, linked pair by pair (`_linked`), as connected groups; many claims of one key
    are grouped through an inverted index instead (near-linear)."""
    if len(claims) > PAIRWISE_LIMIT:
        items = [("k", context[id(c)]) for c in claims]
        return [[claims[i] for i in g] for g in overlap_groups(items, min_shared=shared)]
    parent = list(range(len(claims)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            if _linked(a, claims[j], context, shared):
                parent[find(i)] = find(j)
    groups: dict[int, list[Claim]] = defaultdict(list)
    for i, c in enumerate(claims):
        groups[find(i)].append(c)
    return list(groups.values())


def count_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """count_conflict across documents, internal_inconsistency within one."""
    counts = [c for c in ctx.of("count") if c.detail.get("form") != "vague" and c not in ctx.quoted]
    keyed: dict[str, list[Claim]] = defaultdict(list)
    for c in counts:
        for key in count_keys(c):
            keyed[key].append(c)
    said: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for key, cs in keyed.items():
        for c in cs:
            said[(c.doc, key)].append(Interval.of(c.value))
    for key in sorted(keyed):
        context = _contexts(keyed[key])  # one key's at a time: a long report's counts would hold them all
        for group in _groups(keyed[key], context, params.context_shared):
            yield from _conflict(ctx, params, key, group, said, context)
            yield from _internal(ctx, params, group, context)
    yield from _list_findings(ctx, params)


def _gives(said: dict[tuple[str, str], list[Interval]], doc: str, key: str, value: Interval) -> bool:
    return any(not v.conflicts(value) for v in said.get((doc, key), ()))


def _pairs(group: list[Claim], key: str, said: dict[tuple[str, str], list[Interval]],
           context: dict[int, frozenset[str]], shared: int) -> list[tuple[Claim, Claim]]:
    """Conflicting pairs of a group: told alike, values that cannot both be right, and neither document
    giving the other's value. Claims are compared by distinct value, then document by document, so
    that a group of thousands of copies costs little more than its distinct values."""
    by_value: dict[tuple, list[Claim]] = defaultdict(list)
    for c in group:
        by_value[(c.value.get("low"), c.value.get("high"), c.value.get("value"), c.value.get("hedge"))].append(c)
    values = list(by_value)
    out = []
    for i, va in enumerate(values):
        ia = Interval.of(by_value[va][0].value)
        for vb in values[i + 1:]:
            ib = Interval.of(by_value[vb][0].value)
            if not ia.conflicts(ib):
                continue
            firsts_a = {c.doc: c for c in reversed(by_value[va])}
            firsts_b = {c.doc: c for c in reversed(by_value[vb])}
            for da, a in firsts_a.items():
                if _gives(said, da, key, ib):
                    continue
                for db, b in firsts_b.items():
                    if da != db and not _gives(said, db, key, ia) and len(context[id(a)] & context[id(b)]) >= shared \
                            and not _other_changes(a, b):
                        out.append((a, b))
                    if len(out) > PAIRWISE_LIMIT:
                        return out
    return out


def _conflict(ctx: RuleContext, params: Params, key: str, group: list[Claim],
              said: dict[tuple[str, str], list[Interval]], context: dict[int, frozenset[str]]) -> Iterator[Finding]:
    """One finding per group with a conflicting pair: the pairs' claims and the counts linked to them."""
    if len({c.doc for c in group}) < 2:
        return
    pairs = _pairs(group, key, said, context, params.context_shared)
    if not pairs:
        return
    primary = ctx.primary
    parts = {id(c) for pair in pairs for c in pair}
    members = list({id(p): p for pair in pairs for p in pair}.values())
    shown_claims = group if len(group) > PAIRWISE_LIMIT else [
        c for c in group if id(c) in parts or any(_linked(c, p, context, params.context_shared) for p in members)]
    ordered = sorted(shown_claims, key=lambda c: (ctx.order[c.doc], c.start))
    subject, noun = _label(ordered, primary)
    label = f"{noun} ({subject})" if subject else noun
    shown: dict[str, list[str]] = defaultdict(list)
    for c in ordered:
        shown[c.doc].append(str(Interval.of(c.value)))
    primary_values = [Interval.of(c.value) for c in ordered if c.doc == primary]
    high = any(primary in (a.doc, b.doc) for a, b in pairs) or any(
        not pv.conflicts(Interval.of(x.value)) and Interval.of(x.value).conflicts(Interval.of(y.value))
        for pv in primary_values for a, b in pairs for x, y in ((a, b), (b, a)))
    best = max(len(context[id(a)] & context[id(b)]) for a, b in pairs)
    strong = best >= params.strong_shared or any(_same_phrase(a, b) for a, b in pairs)
    text = "; ".join(f"{d}: {', '.join(v)}" for d, v in shown.items())
    yield Finding("count_conflict", label, list(shown), dict(shown),
                  params.severity_primary if high and strong else params.severity_other,
                  f"The documents give different numbers for {label}: {text}.",
                  [short_evidence(c, ctx.corpus) for c in ordered],
                  confidence=min(1.0, 0.5 + 0.1 * best), detail={"key": key})


def _same_phrase(a: Claim, b: Claim) -> bool:
    """The same counted noun phrase of two words or more ("new bus routes")."""
    na, nb = (a.detail.get("noun") or "").casefold(), (b.detail.get("noun") or "").casefold()
    return na == nb and len(na.split()) >= 2


def _same_quantity(a: Claim, b: Claim) -> bool:
    """Two counts of one document, in different sentences, measure the same thing: same subject."""
    if a.sentence_start == b.sentence_start:
        return False
    return bool(a.detail.get("subject_key")) and a.detail.get("subject_key") == b.detail.get("subject_key")


def _internal(ctx: RuleContext, params: Params, group: list[Claim],
              context: dict[int, frozenset[str]]) -> Iterator[Finding]:
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in group:
        by_doc[c.doc].append(c)
    subject, noun = _label(group, ctx.primary)
    label = f"{noun} ({subject})" if subject else noun
    for doc, cs in by_doc.items():
        pair = _first_internal_pair(cs)
        if pair:
            a, b = pair
            va, vb = Interval.of(a.value), Interval.of(b.value)
            yield Finding("internal_inconsistency", label, [doc], {doc: [str(va), str(vb)]},
                          params.severity_internal, f"{doc} gives {va} and later {vb} for {label}.",
                          [_phrase(a), _phrase(b)], confidence=0.7)


def _first_internal_pair(cs: list[Claim]) -> tuple[Claim, Claim] | None:
    """The first pair (in document order) of one document's counts that measure the same thing with
    values that cannot both be right. Only counts with a subject can pair, and a count that repeats an
    earlier one's value in the same sentence adds nothing, so the pairs looked at are few."""
    distinct: dict[tuple, Claim] = {}
    for c in cs:
        if c.detail.get("subject_key"):
            key = (c.detail["subject_key"], c.sentence_start, *_value_key(c))
            distinct.setdefault(key, c)
    by_subject: dict[str, list[tuple[Claim, Interval]]] = defaultdict(list)
    for c in distinct.values():
        by_subject[c.detail["subject_key"]].append((c, Interval.of(c.value)))
    best: tuple[Claim, Claim] | None = None
    budget = INTERNAL_PAIR_BUDGET
    position = {id(c): i for i, c in enumerate(cs)}
    for members in by_subject.values():
        for i, (a, ia) in enumerate(members):
            if best is not None and position[id(a)] > position[id(best[0])]:
                break
            for b, ib in members[i + 1:]:
                budget -= 1
                if budget < 0:
                    return best
                if a.sentence_start != b.sentence_start and ia.conflicts(ib):
                    if best is None or (position[id(a)], position[id(b)]) < (position[id(best[0])],
                                                                             position[id(best[1])]):
                        best = (a, b)
                    break
    return best


def _value_key(c: Claim) -> tuple:
    return c.value.get("low"), c.value.get("high"), c.value.get("value"), c.value.get("hedge"), c.value.get("unit")


def _phrase(c: Claim) -> Span:
    return evidence(c, c.detail.get("phrase"))


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
                [_phrase(cnt), evidence(lst, lst.detail["intro_span"])], confidence=0.8,
                detail={"items": [i["text"] for i in lst.detail["items"]]})


RULE = Rule(
    "counts", count_findings, (COUNT_CONFLICT, INTERNAL), needs=("count", "list"),
    settings={
        "context_shared": (2, "context word stems two counts of one key must share to be the same quantity"),
        "strong_shared": (3, "context stems (a shared subject counts two) that make a conflict strong evidence"),
        "severity_primary": ("high", "severity of a count conflict involving the primary's value, on strong evidence"),
        "severity_other": ("medium", "severity of a count conflict between reports only"),
        "severity_internal": ("medium", "severity of an internal inconsistency"),
    })
