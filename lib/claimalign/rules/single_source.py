"""Single source: a figure or a date in a report's own words that no other document supports (one
finding per value and document).

Another document supports a figure when it gives a compatible value for the same key (counted noun,
event, purpose), for a noun phrase sharing a word, the same number in the same unit (a range gives
both its ends; a number without a unit must be ten or more), or the same number in a sentence that
shares three word stems ("two installations" and "two bases" struck by the same missiles);
it supports a date when it gives an overlapping date told with a word in common, or when it is the
primary; any mention of a year supports a year, except "since" a year, which needs two words in common. Quotations count as support but are not checked themselves (they are the speakers' words).
Not checked: vague amounts, "one" as an article, hyphenated measures ("a 10-year bond"), times and
weekdays, a document's own dateline, headings and title-case lines, words
run together by scraping ("TrumpSanders"), and numbers that count nothing named.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from itertools import chain
from typing import Iterator

from ..extract.claim import Claim, stem, stems
from ..extract.people import GLUED
from ..settings import Params
from ..values import DateRange, Interval
from .base import FindingType, Rule
from .context import RuleContext, clause
from .counts import count_keys
from .dates import own_date_line
from .finding import Finding

__all__ = ["RULE"]

SINGLE_SOURCE = FindingType(
    "single_source", "Single source", "Single source",
    "A figure or date that no other document of the corpus supports.", "low")
ONE_WORD = re.compile(r"(?i)\W*(?:one|a|an|a single)\b")
YEAR = re.compile(r"\d{4}")
SAME_VALUE_CONTEXT = 3


def _article_one(c: Claim) -> bool:
    """"one analyst", "a single driver": the word one as an article, not a figure worth a second source."""
    v = c.value
    return (v.get("low") == v.get("high") == 1 and not v.get("unit") and not v.get("hedge")
            and bool(ONE_WORD.match(c.text)))


def _heading(c: Claim) -> bool:
    """A claim in a heading or a title-case line ("2021", "5 Habits You Need to Stop")."""
    return _heading_sentence(c.sentence)


@lru_cache(maxsize=4096)
def _heading_sentence(sentence: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'-]*", sentence)
    if len(sentence.split()) < 4:
        return True
    return len(words) >= 4 and sum(w[:1].isupper() for w in words) / len(words) >= 0.7


@lru_cache(maxsize=4096)
def _glued(sentence: str) -> bool:
    return bool(GLUED.search(sentence))


def _checked(c: Claim, ctx: RuleContext) -> bool:
    if c.doc == ctx.primary or c in ctx.quoted or _heading(c):
        return False
    if _glued(c.sentence):
        return False
    if c.kind == "date":
        return c.value.get("granularity") not in ("weekday", "time") and not own_date_line(c, ctx.corpus)
    return (c.detail.get("form") != "vague" and not _article_one(c) and "measure_of" not in c.detail
            and bool(c.detail.get("noun") or c.value.get("unit")))


def _noun_stems(c: Claim) -> set[str]:
    return {stem(w) for w in re.findall(r"[A-Za-z][\w'-]+", c.detail.get("noun") or "") if len(w) > 2}


def _numbers(c: Claim) -> list[float]:
    """The numbers a count states (a range gives both ends), where a number alone can tell the fact:
    any number with a unit (money, percent), else ten or more."""
    v = c.value
    found = {float(x) for x in (v.get("value"), v.get("low"), v.get("high")) if x is not None}
    if v.get("hedge") and v.get("value") is not None:
        found = {float(v["value"])}
    return sorted(x for x in found if v.get("unit") or x >= 10)


def _large(c: Claim) -> bool:
    """A figure of 100 or more: told twice in one document, it is one figure ("nearly 5,000" in the
    headline and in the text); small numbers recur for different things."""
    return (c.value.get("high") or c.value.get("value") or 0) >= 100


def _years(v: DateRange) -> list[str]:
    found = [int(y) for y in YEAR.findall(f"{v.start or ''} {v.end or ''}")]
    return [str(y) for y in range(min(found), max(found) + 1)] if found and max(found) - min(found) < 50 else \
        [str(y) for y in found]


class _ByDoc:
    """Claims filed by key, then by what a support check reads of them (`group`), with the documents
    that give each: a claim looks at each distinct group once, not at every document's copy of it,
    and never at the groups only its own document gives (a long document has many)."""

    def __init__(self) -> None:
        self._items: dict[object, dict[object, list[Claim]]] = defaultdict(dict)
        self._split: dict[object, tuple[list[list[Claim]], dict[str, list[Claim]]]] = {}

    def add(self, key: object, c: Claim, group: object) -> None:
        reps = self._items[key].setdefault(group, [])
        if len(reps) < 2 and all(r.doc != c.doc for r in reps):
            reps.append(c)
        self._split.pop(key, None)

    def others(self, key: object, doc: str) -> Iterator[Claim]:
        """One claim per group filed under `key` that a document other than `doc` gives."""
        split = self._split.get(key)
        if split is None:
            split = self._split[key] = self._by_source(key)
        shared, alone = split
        for reps in shared:
            yield reps[0] if reps[0].doc != doc else reps[1]
        for source, claims in alone.items():
            if source != doc:
                yield from claims

    def _by_source(self, key: object) -> tuple[list[list[Claim]], dict[str, list[Claim]]]:
        """Groups two documents give, and the groups one document alone gives, filed by that document."""
        shared: list[list[Claim]] = []
        alone: dict[str, list[Claim]] = defaultdict(list)
        for reps in self._items.get(key, {}).values():
            if len(reps) > 1:
                shared.append(reps)
            else:
                alone[reps[0].doc].append(reps[0])
        return shared, dict(alone)


def _value_key(c: Claim) -> str:
    return repr(sorted(c.value.items()))


class _Support:
    """Every figure and date of the corpus, indexed by what can make two of them the same fact."""

    def __init__(self, ctx: RuleContext):
        self._stems: dict[str, set[str]] = {}
        self._last: tuple[str, set[str]] = ("", set())
        self.by_key, self.by_noun, self.by_value = _ByDoc(), _ByDoc(), _ByDoc()
        self.by_stated, self.by_year, self.by_day = _ByDoc(), _ByDoc(), _ByDoc()
        for c in ctx.claims:
            if c.kind == "count":
                value = _value_key(c)
                for key in count_keys(c):
                    self.by_key.add(key, c, value)
                for s in _noun_stems(c):
                    self.by_noun.add(s, c, value)
                for number in _numbers(c):
                    self.by_value.add((number, c.value.get("unit")), c, value)
                self.by_stated.add((c.value.get("value"), c.value.get("unit")), c, c.sentence)
            elif c.kind == "date":
                v = DateRange.of(c.value)
                group = (_value_key(c), c.sentence, c.doc == ctx.primary)
                for year in _years(v):
                    self.by_year.add(year, c, group)
                start = (c.value.get("start") or "")[-5:]
                if c.value.get("granularity") == "day" and start:
                    self.by_day.add(start, c, group)

    def count(self, c: Claim) -> bool:
        mine = Interval.of(c.value)
        pool = chain((p for key in count_keys(c) for p in self.by_key.others(key, c.doc)),
                     (p for s in _noun_stems(c) for p in self.by_noun.others(s, c.doc)))
        if any(p.doc != c.doc and p.value.get("unit") == c.value.get("unit")
               and not Interval.of(p.value).conflicts(mine) for p in pool):
            return True
        if any(p.doc != c.doc and not Interval.of(p.value).conflicts(mine)
               for n in _numbers(c) for p in self.by_value.others((n, c.value.get("unit")), c.doc)):
            return True
        return any(p.doc != c.doc and len(self._own(c.sentence) & self._other(p.sentence)) >= SAME_VALUE_CONTEXT
                   for p in self.by_stated.others((c.value.get("value"), c.value.get("unit")), c.doc))

    def _own(self, sentence: str) -> set[str]:
        """Stems of the checked claim's sentence: the claims of one sentence come one after another."""
        if self._last[0] != sentence:
            self._last = (sentence, stems(sentence))
        return self._last[1]

    def _other(self, sentence: str) -> set[str]:
        """Stems of a supporting claim's sentence, once per sentence: the same few sentences are asked
        for again and again, and a bounded cache shared with every checked sentence of a long report
        would forget them."""
        got = self._stems.get(sentence)
        if got is None:
            got = self._stems[sentence] = stems(sentence)
        return got

    def date(self, c: Claim, ctx: RuleContext) -> bool:
        mine = DateRange.of(c.value)
        if mine.relation == "since":
            mine = DateRange(mine.start, mine.start)
        pool = chain((p for y in _years(mine) for p in self.by_year.others(y, c.doc)),
                     self.by_day.others((c.value.get("start") or "")[-5:], c.doc)
                     if c.value.get("granularity") == "day" else ())
        plain_year = c.value.get("granularity") == "year" and c.value.get("relation") != "since"
        for p in pool:
            if p.doc == c.doc or DateRange.of(p.value).disjoint(mine):
                continue
            need = 2 if c.value.get("granularity") == "year" else 1
            if plain_year or p.doc == ctx.primary or len(self._own(c.sentence) & self._other(p.sentence)) >= need:
                return True
        return False


def single_source_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """single_source: a report's figure or date that no other document supports (see the module doc)."""
    support = _Support(ctx)
    unsupported: list[tuple[Claim, str]] = []
    supported: set[tuple[str, str, str]] = set()  # a date or large figure a document repeats: supported once
    for c in ctx.claims:
        if c.kind not in ("count", "date") or not _checked(c, ctx):
            continue
        shown = str(Interval.of(c.value)) if c.kind == "count" else str(DateRange.of(c.value))
        if support.count(c) if c.kind == "count" else support.date(c, ctx):
            if c.kind == "date" or _large(c):
                supported.add((c.doc, c.kind, shown))
        else:
            unsupported.append((c, shown))
    reported: set[tuple[str, str]] = set()
    for c, shown in unsupported:
        if (c.doc, shown) in reported or (c.doc, c.kind, shown) in supported:
            continue
        reported.add((c.doc, shown))
        yield Finding("single_source", f"{c.kind}: {c.text}", [c.doc], {c.doc: shown}, params.severity,
                      f"Only {c.doc} gives this {'figure' if c.kind == 'count' else 'date'} ({shown}); "
                      "no other document of the corpus supports it.", [clause(c, ctx.corpus)],
                      confidence=0.6 if c.kind == "count" else 0.5)


RULE = Rule(
    "single_source", single_source_findings, (SINGLE_SOURCE,), needs=("count", "date"),
    settings={"severity": ("low", "severity of a single-source figure or date")})
