"""Dates: the same event dated differently in two documents."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterator

from ..quotealign import overlap_groups
from ..corpus import Corpus
from ..extract.claim import DATE_WORDS, Claim, content_words, stems, words_after, words_before
from ..settings import Params
from ..values import DateRange
from .base import FindingType, Rule
from .context import RuleContext, short_evidence
from .finding import Finding

__all__ = ["RULE", "own_date_line"]

YEAR_WINDOW = 8
FINENESS = {"year": 1, "month": 2, "day": 3}  # a document gives a date only at least as finely
DATE_CONFLICT = FindingType(
    "date_conflict", "Date conflict", "Date differs from the source",
    "Documents date the same event differently.",
    "high with the primary (medium for years, told in fewer words), else medium")


def own_date_line(claim: Claim, corpus: Corpus) -> bool:
    """A dateline or byline date: the document's own date near its top."""
    date = corpus[claim.doc].date
    start = (claim.value.get("start") or "").lstrip("-")
    return bool(date and start and date.iso().endswith(start) and claim.start < 400)


def _context(claim: Claim, per_sentence: Counter) -> set[str]:
    """Words that say which event a date is about: its sentence when it holds one date, else its clause."""
    if per_sentence[(claim.doc, claim.sentence_start)] == 1:
        return stems(claim.sentence, drop=DATE_WORDS)
    return stems(claim.detail.get("context") or claim.sentence, drop=DATE_WORDS)


def _window(claim: Claim, corpus: Corpus, words: int = YEAR_WINDOW) -> set[str]:
    """Stems of the words right around a year: the event it dates ("the 2015 nuclear deal")."""
    raw = corpus[claim.doc].raw
    before = words_before(raw, claim.sentence_start, claim.start, words)
    after = words_after(raw, claim.end, claim.sentence_end, words)
    return stems(" ".join(before + after), drop=DATE_WORDS)


def date_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """date_conflict: a pair of dates told in the same words, disjoint, neither document giving the other's.
    Days and months are told in their sentence (or clause); a year in the words right around it, with
    more of them in common, since years date many events."""
    corpus = ctx.corpus
    usable = [c for c in ctx.of("date") if not own_date_line(c, corpus) and c not in ctx.quoted]
    said: dict[str, list[tuple[int, DateRange]]] = defaultdict(list)
    for c in usable:
        if c.value.get("granularity") in FINENESS and c.value.get("start"):
            said[c.doc].append((FINENESS[c.value["granularity"]], DateRange.of(c.value)))
    for doc in corpus:  # a document gives its own date ("its June 12 meeting" in a release of June 12)
        if doc.date is not None and doc.date.year and doc.date.day:
            said[doc.id].append((FINENESS["day"], DateRange(doc.date.iso(), doc.date.iso())))
    for doc_id, given in said.items():
        said[doc_id] = list(dict.fromkeys(given))  # each distinct date once: a long text repeats them
    days = [c for c in usable if c.value.get("granularity") in ("day", "month")]
    per_sentence = Counter((c.doc, c.sentence_start) for c in days)
    yield from _scan(ctx, params, days, {id(c): _context(c, per_sentence) for c in days}, said,
                     params.context_shared, params.severity_primary)
    years = [c for c in usable if c.value.get("granularity") == "year" and c.value.get("relation") in (None, "in", "on")
             and c.value.get("start") == c.value.get("end")]
    yield from _scan(ctx, params, years, {id(c): _window(c, corpus) for c in years}, said,
                     params.year_context_shared, params.severity_year)


def _scan(ctx: RuleContext, params: Params, dates: list[Claim], context: dict[int, set[str]],
          said: dict[str, list[tuple[int, DateRange]]], shared: int, severity_primary: str) -> Iterator[Finding]:
    """One finding per group of dates told alike that holds a conflicting pair: the pairs' dates and
    the group's dates equal to one of them."""
    items = [("date", context[id(c)]) for c in dates]
    for g in overlap_groups(items, min_shared=shared):
        group = [dates[i] for i in g]
        if len({(c.value.get("start"), c.value.get("end")) for c in group}) < 2:
            continue
        by_doc: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_doc[c.doc].append(c)
        docs = list(by_doc.values())
        pairs = [p for i, a in enumerate(docs) for b in docs[i + 1:] for p in _conflicts(a, b, context, said, shared)]
        if not pairs:
            continue
        values_in = {(c.value.get("start"), c.value.get("end")) for pair in pairs for c in pair}
        shown = sorted((c for c in group if (c.value.get("start"), c.value.get("end")) in values_in),
                       key=lambda c: (ctx.order[c.doc], c.start))
        values: dict[str, Any] = defaultdict(list)
        for c in shown:
            values[c.doc].append(str(DateRange.of(c.value)))
        common = set.intersection(*[content_words(c.detail.get("context") or c.sentence) for c in shown])
        subject = " ".join(sorted(common - DATE_WORDS)[:4]) or "date"
        high = any(ctx.primary in (x.doc, y.doc) for x, y in pairs)
        yield Finding("date_conflict", subject, list(values), dict(values),
                      severity_primary if high else params.severity_other,
                      "The documents date the same event differently: "
                      + "; ".join(f"{d}: {', '.join(v)}" for d, v in values.items()) + ".",
                      [short_evidence(c, ctx.corpus) for c in shown], confidence=0.8 if shared < 3 else 0.6)


def _conflicts(a: list[Claim], b: list[Claim], context: dict[int, set[str]],
               said: dict[str, list[tuple[int, DateRange]]], shared: int) -> list[tuple[Claim, Claim]]:
    """Two documents date one event differently: some pair of their dates is told in the same words
    (not just chained through a third), neither document gives the other's date anywhere (as finely:
    a year does not give a day), and no third document gives both dates (then they date two events);
    of several dates of one document, only the one told most alike is compared."""
    docs = {a[0].doc, b[0].doc}
    out = []

    def gives(doc: str, value: DateRange, fineness: int) -> bool:
        return any(fine >= fineness and not value.disjoint(v) for fine, v in said[doc])

    for x in a:
        vx, fx = DateRange.of(x.value), FINENESS.get(x.value.get("granularity"), 0)
        for y in b:
            vy, fy = DateRange.of(y.value), FINENESS.get(y.value.get("granularity"), 0)
            if len(context[id(x)] & context[id(y)]) < shared or not vx.disjoint(vy):
                continue
            if (vx.start or "").startswith("-") or (vy.start or "").startswith("-"):
                continue
            if gives(y.doc, vx, fx) or gives(x.doc, vy, fy):
                continue
            if any(gives(d, vx, fx) and gives(d, vy, fy) for d in said if d not in docs):
                continue
            out.append((x, y))
    common = {(id(x), id(y)): len(context[id(x)] & context[id(y)]) for x in a for y in b}
    return [(x, y) for x, y in out
            if common[(id(x), id(y))] == max(common[(id(x), id(o))] for o in b)
            and common[(id(x), id(y))] == max(common[(id(o), id(y))] for o in a)]


RULE = Rule(
    "dates", date_findings, (DATE_CONFLICT,), needs=("date",),
    settings={
        "context_shared": (2, "context word stems two days or months must share to date the same event"),
        "year_context_shared": (3, "word stems around two years that must agree for them to date one event"),
        "severity_year": ("medium", "severity of a conflict of years involving the primary"),
        "severity_primary": ("high", "severity of a date conflict involving the primary"),
        "severity_other": ("medium", "severity of a date conflict between reports only"),
    })
