"""Names: one person or organization spelled two ways, across documents or within one.

Three shapes of variant:
- two names that differ in one word and are spelled alike overall (character similarity ≥ 85),
  not listed as aliases ("Canadian Coalition on / for Human Rights");
- a surname written alone in one document and spelled differently from the full name another
  document gives ("Okafur" against "Tunde Okafor");
- an organization's name translated word by word or without its last word ("Ligue des Droits
  Civiques (Section Nord)" against "Civic Rights League"): low, even when the alias table
  pairs them, since a reader may not know they are one body.
A middle initial or a title more or less is no variant.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..aliases import name_key
from ..corpus import Document
from ..extract.claim import Claim
from ..extract.mentions import ORG_WORDS
from ..settings import Params
from ..values import Span
from .base import FindingType, Rule
from .context import RuleContext, evidence
from .finding import Finding

__all__ = ["RULE"]

NAME_VARIANT = FindingType(
    "name_variant", "Name variant", "Name differs from the source",
    "One person or organization is named two ways.",
    "medium within one document, else low; translations and shortened names low")
LEGAL_SUFFIXES = frozenset("inc ltd corp corps co llc plc sa ag gmbh nv bv lp llp pty".split())
QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def _uses(ctx: RuleContext) -> tuple[dict[str, dict[str, Claim]], dict[str, str]]:
    """First mention per document of every person or organization name of two words or more, keyed by
    the name as written (so that spellings the alias table joins stay apart)."""
    uses: dict[str, dict[str, Claim]] = defaultdict(dict)
    kinds: dict[str, str] = {}
    for m in ctx.of("mention"):
        key = name_key(m.text)
        kind = ctx.entity_kinds.get(name_key(m.value)) or ctx.entity_kinds.get(key)
        if kind in ("org", "person") and len(key.split()) >= 2:
            kinds.setdefault(key, kind)
            uses[key].setdefault(m.doc, m)
    return uses, kinds


def _finding(ctx: RuleContext, params: Params, a: dict[str, Claim], b: dict[str, Claim], kind: str | None,
             how: str, score: float, *, severity: str | None = None) -> Finding:
    first_a, first_b = next(iter(a.values())), next(iter(b.values()))
    within = sorted(set(a) & set(b))
    docs = sorted(set(a) | set(b), key=lambda d: ctx.order[d])
    values = {d: [m.text for m in (a.get(d), b.get(d)) if m] for d in docs}
    spans = [evidence(m) for d in docs for m in (a.get(d), b.get(d)) if m]
    where = f"within {', '.join(within)}" if within else "across documents"
    sev = severity or (params.severity_within if within else params.severity_across)
    return Finding("name_variant", first_a.value, docs, values, sev,
                   f"\u201c{first_a.text}\u201d and \u201c{first_b.text}\u201d name one {kind} two ways "
                   f"({how}{', ' if how else ''}{where}).", spans, score=round(score, 1),
                   confidence=min(1.0, score / 100), detail={"how": how or "spelling"})


def _translated(a: str, b: str) -> bool:
    """Word-by-word near matches (a qualifier in brackets set aside), at least one word differing."""
    ta, tb = name_key(QUALIFIER.sub("", a)).split(), name_key(QUALIFIER.sub("", b)).split()
    if len(ta) != len(tb) or len(ta) < 2 or ta == tb:
        return False
    pairs = [(x, y) for x, y in zip(ta, tb) if x != y]
    return (all(len(x) > 3 and fuzz.ratio(x, y) >= 60 for x, y in pairs) and fuzz.ratio(" ".join(ta), " ".join(tb)) >= 80
            and any(fuzz.ratio(x, y) < 90 for x, y in pairs)
            and not any(x.strip(".") in LEGAL_SUFFIXES or y.strip(".") in LEGAL_SUFFIXES for x, y in pairs))


def _shortened(a: str, b: str) -> bool:
    """One name is the other without its last word, a word that says what kind of body it is ("Project")."""
    ta, tb = a.split(), b.split()
    if len(ta) < len(tb):
        ta, tb = tb, ta
    return len(ta) == len(tb) + 1 and len(tb) >= 2 and ta[:-1] == tb and ta[-1] in ORG_WORDS


def name_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """name_variant in its three shapes (see the module doc)."""
    uses, kinds = _uses(ctx)
    by_token: dict[str, list[str]] = defaultdict(list)
    for k in sorted(uses):
        for tok in set(k.split()):
            if len(tok) > 3:
                by_token[tok].append(k)
    seen = set()
    for k in sorted(uses):
        for other in sorted({o for tok in set(k.split()) for o in by_token.get(tok, ()) if o > k}):
            if (k, other) in seen:
                continue
            seen.add((k, other))
            a, b = uses[k], uses[other]
            first_a, first_b = next(iter(a.values())), next(iter(b.values()))
            kind = kinds[k]
            if kind == "org" and kinds.get(other) == "org" and _translated(first_a.text, first_b.text):
                yield _finding(ctx, params, a, b, kind, "translated", fuzz.ratio(k, other),
                               severity=params.severity_translated)
                continue
            if ctx.aliases.same(first_a.value, first_b.value):
                continue
            if kind == "org" and kinds.get(other) == "org" and _shortened(k, other):
                yield _finding(ctx, params, a, b, kind, "shortened", fuzz.ratio(k, other),
                               severity=params.severity_translated)
                continue
            ta, tb = k.split(), other.split()
            if len(ta) != len(tb) or Levenshtein.distance(ta, tb) > 1:
                continue
            score = fuzz.ratio(k, other)
            if score >= params.min_similarity:
                yield _finding(ctx, params, a, b, kind, "", score)
    yield from _surname_variants(ctx, params, uses, kinds)


def _prepare(doc: Document) -> None:
    _capitalised(doc)


def _capitalised(doc: Document) -> dict[str, int]:
    """Capitalised words used inside sentences (not first), with their first normalised offset."""
    cached = doc.norm.__dict__.get("_capitalised")
    if cached is None:
        cached = {}
        for m in re.finditer(r"(?<=[a-z,;] )[A-Z][a-z][\w'-]{3,}\b", doc.norm.text):
            cached.setdefault(m.group(), m.start())
        doc.norm.__dict__["_capitalised"] = cached
    return cached


def _surname_variants(ctx: RuleContext, params: Params, uses: dict[str, dict[str, Claim]],
                      kinds: dict[str, str]) -> Iterator[Finding]:
    """A surname another document spells differently, where that document never writes it the first way."""
    people = {k: ds for k, ds in uses.items() if kinds.get(k) == "person"}
    surnames = {k.split()[-1] for k in people}
    holders: dict[str, str] = {}
    for key in sorted(people, key=lambda k: (ctx.primary not in people[k], k)):
        holders.setdefault(key.split()[-1], key)
    for surname, key in sorted(holders.items()):
        if len(surname) < 6:
            continue
        named_in = {d for k in people if k.split()[-1] == surname for d in people[k]}
        holder = people[key].get(ctx.primary) or next(iter(people[key].values()))
        for doc in ctx.corpus:
            if doc.id in named_in:
                continue
            words = _capitalised(doc)
            if any(w.casefold() == surname for w in words):
                continue
            near = sorted((fuzz.ratio(surname, w.casefold()), w) for w in words
                          if w[0].casefold() == surname[0] and w.casefold() not in surnames
                          and not w.casefold().startswith(surname) and not surname.startswith(w.casefold()))
            near = [(s, w) for s, w in near if s >= params.min_similarity]
            if not near or re.search(rf"\b{re.escape(near[-1][1].casefold())}\b", doc.norm.text):
                continue
            score, word = near[-1]
            at = words[word]
            rs, re_ = doc.norm.raw_span(at, at + len(word))
            spans = [evidence(holder), Span.of(doc.id, doc.raw, rs, re_)]
            yield Finding("name_variant", holder.value, [holder.doc, doc.id],
                          {holder.doc: [holder.text], doc.id: [word]}, params.severity_across,
                          f"\u201c{holder.text}\u201d is spelled \u201c{word}\u201d in {doc.id}.", spans,
                          score=round(score, 1), confidence=0.7, detail={"how": "surname"})


RULE = Rule(
    "names", name_findings, (NAME_VARIANT,), needs=("mention",), prepare=_prepare,
    settings={
        "min_similarity": (85.0, "character similarity (0-100) of two differing names of one entity"),
        "severity_within": ("medium", "severity of two spellings within one document"),
        "severity_across": ("low", "severity of two spellings in different documents"),
        "severity_translated": ("low", "severity of a translated or shortened organization name"),
    })
