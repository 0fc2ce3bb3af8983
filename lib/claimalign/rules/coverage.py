"""Coverage: what the primary names or announces that reports leave out.

Items are the primary's people and organizations (two words or more) and the items it announces in
lists (demands, measures, the parts of a plan), outside a release's closing "About …" matter. A
report mentions a name under any spelling the alias table gives, a person by a name word ("Mr.
Ruiz") or a surname spelled nearly alike, an organization by its name without a leading qualifier
("the Senate" for "United States Senate") or by its defined acronym; it covers a list item when
one of its sentences holds half the item's key words (those the item emphasises, else those of its
first clause). Short words (acronyms, surnames) are matched case-sensitively. Severity follows how prominent the item is
in the primary (named twice or more, quoted, announced), not how many reports omit it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..aliases import name_key
from ..corpus import Document
from ..extract.claim import STOPWORDS, Claim, stems
from ..extract.mentions import ORG_WORDS
from ..extract.people import same_person
from ..values import Span
from ..segment import sentences
from ..settings import Params
from .base import FindingType, Rule
from .context import RuleContext, evidence, folded
from .entities import name_tokens
from .finding import Finding

__all__ = ["RULE"]

OMISSION = FindingType(
    "omission", "Omission", "Leaves out part of the source",
    "Something the primary names or announces that reports leave out.",
    "medium when the item is prominent in the primary (named twice or more, quoted, announced in a list), "
    "else low")
ABOUT = re.compile(r"^(?:About|ABOUT)\s+[A-Z][^\n]{0,80}$|^(?:###|-30-|- 30 -|ENDS)\s*$", re.MULTILINE)
EMPHASIS = re.compile(r"\*\*(?P<a>[^*]{3,120})\*\*|(?<![*\w])\*(?P<b>[^*\n]{3,120})\*(?![*\w])|"
                      r"(?<![_\w])__?(?P<c>[^_\n]{3,120})__?(?![_\w])")
KEY_STEMS = 8
ITEM_WORDS = 12  # announced items longer than this are paragraphs, covered in too many other words to judge


@dataclass
class Item:
    """Something of the primary that a report may leave out."""

    key: str
    kind: str  # person, org, acronym, announced
    span: Span
    label: str
    spellings: list[str] = field(default_factory=list)  # folded, padded with spaces
    exact: list[str] = field(default_factory=list)  # case-sensitive words (short acronyms, short surnames)
    stems: set[str] = field(default_factory=set)  # list items: key word stems
    prominent: bool = False


def _padded(text: str) -> str:
    return " " + re.sub(r"\W+", " ", text.casefold()).strip() + " "


def _body_end(doc: Document) -> int:
    """Where a release's closing matter starts (an "About X" heading, "###", "-30-"): raw offset."""
    m = ABOUT.search(doc.raw)
    return m.start() if m and m.start() > len(doc.raw) // 3 else len(doc.raw)


def _in_headline(m: Claim, doc: Document) -> bool:
    """A mention on the line that is the document's title (its headline): "Transit Authority Board
    Approves Fare Update" is no body's name."""
    title = doc.meta.get("title")
    if not title:
        return False
    a = doc.raw.rfind("\n", 0, m.start) + 1
    b = doc.raw.find("\n", m.end)
    return _padded(doc.raw[a:len(doc.raw) if b == -1 else b]) == _padded(str(title))


def _name_items(ctx: RuleContext, params: Params) -> dict[str, Item]:
    corpus, aliases, kinds = ctx.corpus, ctx.aliases, ctx.entity_kinds
    items: dict[str, Item] = {}
    end = _body_end(corpus.primary)
    for m in ctx.of("mention"):
        if m.doc != corpus.primary_id or m.start >= end or _in_headline(m, corpus.primary):
            continue
        key = name_key(aliases.resolve(m.value))
        kind = kinds.get(name_key(m.value), m.detail.get("type"))
        if kind not in ("person", "org") or len(key.split()) < 2:
            continue
        if any(fuzz.ratio(key, k) >= params.same_name_similarity for k in items):
            continue
        item = Item(key, kind, evidence(m), m.value)
        item.spellings = [_padded(s) for s in aliases.names_of(m.value)]
        words = m.value.split()
        if kind == "person":
            surname = words[-1]
            if len(surname) >= 4:
                item.spellings.append(_padded(surname))
            elif surname[:1].isupper():
                item.exact.append(surname)
        elif words[-1].lower() in ORG_WORDS and len(words) >= 2 and words[-1][:1].isupper():
            item.exact += ["the " + words[-1], "The " + words[-1]]
            if len(words) >= 3:
                item.spellings.append(_padded(" ".join(words[:-1])))
        if kind == "org":
            initials = "".join(w[0] for w in words if w[:1].isupper())
            if len(initials) >= 3:
                item.exact.append(initials)
            if m.detail.get("acronym"):
                item.exact.append(str(m.detail["acronym"]))
        items[key] = item
    fuller = {" ".join(k.split()[i:]) for k, it in items.items() if it.kind == "person"
              for i in range(1, len(k.split()) - 1)}
    return {k: v for k, v in items.items() if k not in fuller}


def _announced(ctx: RuleContext) -> dict[str, Item]:
    """Items of the primary's lists that are phrases (demands, measures), not lists of names. An item's
    key words are those it emphasises (**bold**, *italic*), else those of its first clause."""
    out: dict[str, Item] = {}
    primary = ctx.corpus.primary
    for lst in ctx.of("list"):
        if lst.doc != ctx.primary or lst.start >= _body_end(primary):
            continue
        for i, entry in enumerate(lst.detail.get("items") or []):
            words = [w for w in re.findall(r"[A-Za-z][\w'-]*", entry["text"]) if w.lower() not in STOPWORDS]
            if not 3 <= len(words) <= ITEM_WORDS or sum(w[:1].isupper() for w in words) / len(words) >= 0.6:
                continue
            raw = primary.raw[entry["start"]:entry["end"]]
            emphasised = " ".join(next(g for g in m.groups() if g) for m in EMPHASIS.finditer(raw))
            first = re.split(r"[.;:,(]", raw, maxsplit=1)[0]
            key_stems = set(sorted(stems(emphasised or first))[:KEY_STEMS]) if (emphasised or first) else set()
            if len(key_stems) < 2:
                continue
            out[f"item:{lst.id}#{i}"] = Item(f"item:{lst.id}#{i}", "announced", evidence(lst, entry), entry["text"],
                                            stems=key_stems, prominent=True)
    return out


def _mentions_of(ctx: RuleContext, names: dict[str, Item]) -> dict[str, dict[str, Claim]]:
    """For each name item, one mention per report that names it (by key, name word or similar org name)."""
    aliases = ctx.aliases
    by_token: dict[str, list[str]] = defaultdict(list)
    for key, it in names.items():
        surname = name_tokens(it.label, it.kind)[-1:]
        for t in surname:
            by_token[t].append(key)
    found: dict[str, dict[str, Claim]] = defaultdict(dict)
    known: dict[str, set[str]] = {}  # items a mention's value names: a name repeats, its look-up does not
    for m in ctx.of("mention"):
        if m.doc == ctx.primary:
            continue
        hits = known.get(m.value)
        if hits is None:
            mk = name_key(aliases.resolve(m.value))
            hits = ({mk} & set(names)) | {k for t in mk.split() for k in by_token.get(t, ())
                                          if names[k].kind != "person" or same_person(names[k].label, m.value)}
            if not hits:
                hits = {k for k, it in names.items() if it.kind == "org" and _same_body(k, mk)}
            known[m.value] = hits
        for k in sorted(hits):
            found[k].setdefault(m.doc, m)
    return found


def _same_body(item: str, other: str) -> bool:
    """An organization named with a word more or less ("Northgate University" / "Northgate State
    University", "Northgate's School of Public Health"): two names of bodies with the same
    distinctive first word, one's words all in the other; or spelled alike."""
    a, b = re.sub(r"'s\b", "", item).split(), re.sub(r"'s\b", "", other).split()
    if fuzz.ratio(item, other) >= 92:
        return True
    if len(a) < 2 or len(b) < 2 or a[0] != b[0] or a[0] in ORG_WORDS or not (set(a) & ORG_WORDS and set(b) & ORG_WORDS):
        return False
    return set(a) <= set(b) or set(b) <= set(a)


def _prominence(ctx: RuleContext, items: dict[str, Item]) -> None:
    """A name is prominent when the primary names it twice or more or quotes it."""
    text = _padded(ctx.corpus.primary.norm.text)
    speakers = {name_key(str(q.detail.get("speaker"))) for q in ctx.of("quote")
                if q.doc == ctx.primary and q.detail.get("speaker")}
    for it in items.values():
        if it.kind == "announced":
            continue
        count = max([text.count(s) for s in it.spellings] + [ctx.corpus.primary.norm.text.count(e) for e in it.exact]
                    + [0])
        it.prominent = count >= 2 or it.key in speakers


def _announced_in(doc: Document, announced: list[Item]) -> set[str]:
    """Keys of the announced items a document covers: a sentence holding half an item's key words
    (two or three). One pass over the sentences, each one's stems computed once."""
    need = {it.key: min(3, max(2, (len(it.stems) + 1) // 2)) for it in announced}
    hits: set[str] = set()
    for s in sentences(doc.norm):
        if len(hits) == len(announced):
            break
        words = stems(s.text)
        hits.update(it.key for it in announced if it.key not in hits and len(it.stems & words) >= need[it.key])
    return hits


@lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(_padded(name).split())


def _covers(item: Item, doc: Document, ctx: RuleContext, folded: str, announced_hits: set[str],
            named: dict[str, dict[str, list[tuple[str, ...]]]]) -> bool:
    if any(s in folded for s in item.spellings):
        return True
    text = doc.norm.text
    if any(e in text and re.search(rf"(?<![\w-]){re.escape(e)}(?![\w-])", text) for e in item.exact):
        return True
    if item.kind == "announced":
        return item.key in announced_hits
    if item.kind == "person":
        words = _name_words(item.label)
        if len(words[-1]) >= 6 and process.extractOne(words[-1], _vocabulary(doc), scorer=fuzz.ratio,
                                                      score_cutoff=85):
            return True
        if doc.id not in named:  # each distinct name of two words or more a document mentions, by first word
            by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
            for value in dict.fromkeys(m.value for m in ctx.of("mention", doc.id)):
                other = _name_words(value)
                if len(other) >= 2:
                    by_first[other[0]].append(other)
            named[doc.id] = by_first
        return any(_same_but_spelling(words, other) for other in named[doc.id].get(words[0], ()) if words)
    return False


def _same_but_spelling(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names with the same first name and surnames a letter or two apart ("Priya Raman", "Priya Ramen")."""
    return (len(a) >= 2 and len(b) >= 2 and a[0] == b[0]
            and Levenshtein.distance(a[-1], b[-1]) <= 2 and fuzz.ratio(a[-1], b[-1]) >= 75)


def _vocabulary(doc: Document) -> list[str]:
    """A document's distinct capitalised words, folded: where a differently spelled surname may stand."""
    cached = doc.norm.__dict__.get("_names_vocab")
    if cached is None:
        cached = doc.norm.__dict__["_names_vocab"] = sorted(  # a set as it goes: no list of every word
            {m.group().casefold() for m in re.finditer(r"\b[A-Z][\w'-]{4,}", doc.norm.text)})
    return cached


def _prepare(doc: Document) -> None:
    """What `_covers` reads of a report alone: its folded text and its capitalised words."""
    folded(doc)
    _vocabulary(doc)


def omission_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """omission: a name, acronym or announced item of the primary that some reports leave out."""
    corpus = ctx.corpus
    reports = [d for d in corpus.reports if d.kind == "report"] or corpus.reports
    if not reports:
        return
    names = _name_items(ctx, params)
    items = {**names, **_announced(ctx)}
    _prominence(ctx, items)
    found = _mentions_of(ctx, names)
    announced = [it for it in items.values() if it.kind == "announced"]
    announced_hits: dict[str, set[str]] = {}
    named: dict[str, dict[str, list[tuple[str, ...]]]] = {}
    for key, item in items.items():
        values, spans = {}, [item.span]
        for doc in reports:
            hit = found.get(key, {}).get(doc.id)
            if hit is not None:
                values[doc.id] = "mentioned"
                spans.append(evidence(hit))
            else:
                if item.kind == "announced" and doc.id not in announced_hits:
                    announced_hits[doc.id] = _announced_in(doc, announced)
                covered = _covers(item, doc, ctx, ctx.folded(doc), announced_hits.get(doc.id, set()), named)
                values[doc.id] = "mentioned" if covered else "omitted"
        omitted = [d for d, v in values.items() if v == "omitted"]
        if not omitted:
            continue
        mentioned = [d for d, v in values.items() if v == "mentioned"]
        what = {"person": "names", "org": "names", "acronym": "names", "announced": "announces"}[item.kind]
        yield Finding(
            "omission", item.label, [corpus.primary_id, *values], {corpus.primary_id: "named", **values},
            params.severity_prominent if item.prominent else params.severity_minor,
            f"{corpus.primary_id} {what} {item.label} ({item.kind}); " +
            (f"{_names(mentioned)} mention{'s' if len(mentioned) == 1 else ''} it, " if mentioned else "") +
            f"{_names(omitted)} leave{'s' if len(omitted) == 1 else ''} it out.", spans,
            confidence=0.8 if item.kind in ("person", "org") else 0.6,
            detail={"entity_type": item.kind, "prominent": item.prominent})


def _names(ids: list[str], most: int = 5) -> str:
    return ", ".join(ids) if len(ids) <= most else f"{', '.join(ids[:most])} and {len(ids) - most} more"


RULE = Rule(
    "coverage", omission_findings, (OMISSION,), needs=("mention", "list"), prepare=_prepare,
    settings={
        "same_name_similarity": (85.0, "character similarity from which two primary names are one item"),
        "severity_prominent": ("medium", "severity of omitting a prominent item (named twice, quoted, announced)"),
        "severity_minor": ("low", "severity of omitting an item the primary names once"),
    })
