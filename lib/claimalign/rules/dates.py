"""Dates: the same event dated differently in two documents."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterator

from ..align import overlap_groups
from ..corpus import Corpus
from ..extract.claim import Claim, content_words
from ..settings import Params
from ..values import DateRange
from .base import FindingType, Rule
from .context import RuleContext, short_evidence
from .finding import Finding

__all__ = ["RULE", "own_date_line"]

DATE_CONFLICT = FindingType(
    "date_conflict", "Date conflict", "Date differs from the source",
    "Documents date the same event differently.",
    "high with the primary, else medium")


def own_date_line(claim: Claim, corpus: Corpus) -> bool:
    """A dateline or byline date: the document's own date near its top."""
    date = corpus[claim.doc].date
    start = (claim.value.get("start") or "").lstrip("-")
    return bool(date and start and date.iso().endswith(start) and claim.start < 400)


def _context(claim: Claim, per_sentence: Counter) -> set[str]:
    """Words that say which event a date is about: its sentence when it holds one date, else its clause."""
    if per_sentence[(claim.doc, claim.sentence_start)] == 1:
        return content_words(claim.sentence)
    return content_words(claim.detail.get("context") or claim.sentence)


def date_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """date_conflict: a pair of dates told in the same words, disjoint, neither document giving the other's."""
    corpus = ctx.corpus
    dates = [c for c in ctx.of("date") if c.value.get("granularity") in ("day", "month")
             and not own_date_line(c, corpus) and c not in ctx.quoted]
    per_sentence = Counter((c.doc, c.sentence_start) for c in dates)
    items = [("date", _context(c, per_sentence)) for c in dates]
    context = {id(dates[i]): words for i, (_, words) in enumerate(items)}
    said: dict[str, list[DateRange]] = defaultdict(list)
    for c in dates:
        said[c.doc].append(DateRange.of(c.value))
    for g in overlap_groups(items, min_shared=params.context_shared):
        group = [dates[i] for i in g]
        by_doc: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_doc[c.doc].append(c)
        if any(DateRange.of(x.value).disjoint(DateRange.of(y.value)) for cs in by_doc.values()
               for i, x in enumerate(cs) for y in cs[i + 1:]):
            continue
        docs = list(by_doc.values())
        if not any(_conflict(a, b, context, said, params.context_shared) for i, a in enumerate(docs)
                   for b in docs[i + 1:]):
            continue
        values: dict[str, Any] = defaultdict(list)
        for c in group:
            values[c.doc].append(str(DateRange.of(c.value)))
        common = set.intersection(*[content_words(c.detail.get("context") or c.sentence) for c in group])
        subject = " ".join(sorted(common)[:4]) or "date"
        high = ctx.primary in by_doc
        yield Finding("date_conflict", subject, list(values), dict(values),
                      params.severity_primary if high else params.severity_other,
                      "The documents date the same event differently: "
                      + "; ".join(f"{d}: {', '.join(v)}" for d, v in values.items()) + ".",
                      [short_evidence(c, corpus) for c in group])


def _conflict(a: list[Claim], b: list[Claim], context: dict[int, set[str]],
              said: dict[str, list[DateRange]], shared: int) -> bool:
    """Two documents date one event differently: some pair of their dates is told in the same words
    (not just chained through a third), and neither document gives the other's date anywhere."""
    return (any(len(context[id(x)] & context[id(y)]) >= shared for x in a for y in b)
            and all(DateRange.of(x.value).disjoint(v) for x in a for v in said[b[0].doc])
            and all(DateRange.of(y.value).disjoint(v) for y in b for v in said[a[0].doc]))


RULE = Rule(
    "dates", date_findings, (DATE_CONFLICT,), needs=("date",),
    settings={
        "context_shared": (3, "context words two dates must share to be about the same event"),
        "severity_primary": ("high", "severity of a date conflict involving the primary"),
        "severity_other": ("medium", "severity of a date conflict between reports only"),
    })
