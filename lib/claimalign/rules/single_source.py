"""Single source: a figure or a date that only one document gives."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ..extract.claim import Claim, content_words
from ..settings import Params
from ..values import DateRange, Interval
from .base import FindingType, Rule
from .context import RuleContext, clause
from .dates import own_date_line
from .finding import Finding

__all__ = ["RULE"]

SINGLE_SOURCE = FindingType(
    "single_source", "Single source", "Single source",
    "A figure or date that no other document of the corpus supports.", "low")
ONE_WORD = re.compile(r"(?i)\W*(?:one|a|an|a single)\b")


def _article_one(c: Claim) -> bool:
    """"one analyst", "a single driver": the word one as an article, not a figure worth a second source."""
    v = c.value
    return (v.get("low") == v.get("high") == 1 and not v.get("unit") and not v.get("hedge")
            and bool(ONE_WORD.match(c.text)))


def _key(c: Claim) -> tuple:
    """Claims that can be the same fact: counts of one noun, dates with one start."""
    if c.kind == "count":
        unit = c.value.get("unit")
        return ("count", f"money:{unit}") if unit and unit != "%" else ("count", c.detail.get("noun_key"))
    start = c.value.get("start") or ""
    return ("date", c.value.get("granularity"), start[-5:] if c.value.get("granularity") == "day" else start)


def single_source_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """single_source: a figure or a date outside quotes that no other document gives in the same context."""
    corpus = ctx.corpus
    facts = [c for c in ctx.claims if c.kind in ("count", "date") and c not in ctx.quoted
             and not (c.kind == "date" and (c.value.get("granularity") in ("weekday", "time")
                                            or own_date_line(c, corpus)))
             and not (c.kind == "count" and _article_one(c))]
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for c in facts:
        by_key[_key(c)].append(c)
    for c in facts:
        if c.doc == corpus.primary_id:
            continue
        where = clause(c, corpus)
        words = content_words(where.text) | content_words(c.sentence)
        if any(p.doc != c.doc and (c.kind == "count" and not Interval.of(p.value).disjoint(Interval.of(c.value))
                                   or c.kind == "date" and len(words & content_words(p.sentence)) >= params.context_shared)
               for p in by_key[_key(c)]):
            continue
        shown = str(Interval.of(c.value)) if c.kind == "count" else str(DateRange.of(c.value))
        yield Finding("single_source", f"{c.kind}: {c.text}", [c.doc], {c.doc: shown}, params.severity,
                      f"Only {c.doc} gives this {'figure' if c.kind == 'count' else 'date'} ({shown}); "
                      "no other document of the corpus supports it.", [where])


RULE = Rule(
    "single_source", single_source_findings, (SINGLE_SOURCE,), needs=("count", "date"),
    settings={
        "context_shared": (2, "context words a date must share with another document's to be supported"),
        "severity": ("low", "severity of a single-source figure or date"),
    })
