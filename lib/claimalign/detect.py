"""Findings: what the reports changed, dropped or added compared with the primary and each other.

One function per finding type; `find_findings` runs them all, applies reviews.yaml and sorts.
Rules and severities are documented in the README ("Finding types").
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Any

import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .aliases import Aliases, load_aliases, name_key
from .align import QuoteIndex, TokenView, match_quote, overlap_groups
from .claims import Claim, content_words
from .corpus import Corpus
from .errors import ClaimalignError
from .extract import extract_claims
from .finding import Finding, findings_frame
from .gcpause import gc_paused

__all__ = ["find_findings", "findings", "Thresholds", "SEVERITY_ORDER"]

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
TYPE_ORDER = {t: i for i, t in enumerate([
    "count_conflict", "date_conflict", "internal_inconsistency", "misquote", "unsourced_quote",
    "name_variant", "omission", "single_source", "duplicate_passage", "verified_quote"])}


class Thresholds:
    """Tunable cut-offs (documented in the README); defaults suit news reports."""

    misquote_min = 60.0         # token similarity (0-100) from which near-matches are misquotes
    misquote_min_equal = 3      # equal words a misquote must share with its source
    name_variant_min = 85.0     # character similarity of two differing names of one entity
    duplicate_min_words = 8     # shortest sentence counted as a repeated passage
    context_shared = 2          # context words two claims must share to be "the same claim"


SHORT_EVIDENCE_WORDS = 4
DATE_CONTEXT_SHARED = 3
ONE_WORD = re.compile(r"(?i)\W*(?:one|a|an|a single)\b")


def _ev(claim: Claim, span: dict[str, Any] | None = None) -> dict[str, Any]:
    span = span or {"start": claim.start, "end": claim.end, "text": claim.text}
    return {"source": claim.doc, "start": span["start"], "end": span["end"], "text": span["text"]}


def _fmt_count(v: dict[str, Any]) -> str:
    low, high, unit = v["low"], v["high"], v.get("unit") or ""
    num = lambda x: f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"  # noqa: E731
    unit = "%" if unit == "%" else (f" {unit}" if unit else "")
    if high is None:
        return f"\u2265{num(low)}{unit}"
    if low == high:
        return f"{num(low)}{unit}"
    return f"{num(low)}\u2013{num(high)}{unit}"


def _disjoint(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ah = math.inf if a["high"] is None else a["high"]
    bh = math.inf if b["high"] is None else b["high"]
    return ah < b["low"] or bh < a["low"]


def _short_ev(claim: Claim, corpus: Corpus) -> dict[str, Any]:
    """A claim's phrase as evidence, or its clause when the phrase is too short to read alone."""
    phrase = claim.detail.get("phrase") or {"start": claim.start, "end": claim.end, "text": claim.text}
    return phrase if len(phrase["text"].split()) >= SHORT_EVIDENCE_WORDS else _clause(claim, corpus)


def _clause(claim: Claim, corpus: Corpus) -> dict[str, Any]:
    """The comma/semicolon clause holding a claim, as raw evidence (a sentence at most)."""
    raw = corpus[claim.doc].raw
    ss, se = claim.sentence_start, claim.sentence_end
    left = max([raw.rfind(c, ss, claim.start) for c in ",;(\u2014"] + [ss - 1]) + 1
    rights = [i for i in (raw.find(c, claim.end, se) for c in ",;)\u2014") if i != -1]
    right = min(rights) if rights else se
    while left < claim.start and raw[left].isspace():
        left += 1
    if len(raw[left:right].split()) < 4:
        left, right = ss, se
    return {"start": left, "end": right, "text": raw[left:right]}


# ---------------------------------------------------------------- counts

def _count_groups(claims: list[Claim], quoted: Quoted) -> list[list[Claim]]:
    counts = [c for c in claims if c.kind == "count" and c.detail.get("noun_key") and c not in quoted]
    items = []
    for c in counts:
        words = content_words(c.sentence)
        if c.detail.get("subject_key"):
            words = words | {"\u00a7" + c.detail["subject_key"]} | {"\u00a7" + c.detail["subject_key"] + "2"}
        items.append((f"{c.detail['noun_key']}|{c.value.get('unit')}", words))
    return [[counts[i] for i in g] for g in overlap_groups(items, min_shared=Thresholds.context_shared)]


class Quoted:
    """Which claims sit inside a quotation (they are a speaker's words, not the outlet's)."""

    def __init__(self, claims: list[Claim]):
        self.spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for c in claims:
            if c.kind == "quote":
                self.spans[c.doc].append((c.start, c.end))

    def __contains__(self, claim: Claim) -> bool:
        return any(a <= claim.start and claim.end <= b for a, b in self.spans.get(claim.doc, ()))


def _label(group: list[Claim], primary: str) -> tuple[str | None, str]:
    """Subject and noun of a group, from the primary when it takes part, else the smallest: order-free."""
    pool = [c for c in group if c.doc == primary] or group
    subjects = sorted(c.detail["subject"] for c in pool if c.detail.get("subject"))
    nouns = sorted(c.detail["noun"] for c in pool if c.detail.get("noun"))
    return (subjects[0] if subjects else None), (nouns[0] if nouns else "count")


def _value_docs(group: list[Claim]) -> dict[tuple, tuple[dict[str, Any], set[str]]]:
    out: dict[tuple, tuple[dict[str, Any], set[str]]] = {}
    for c in group:
        key = (c.value["low"], c.value["high"])
        out.setdefault(key, (c.value, set()))[1].add(c.doc)
    return out


def _cross_disjoint(group: list[Claim]) -> bool:
    """Two documents of the group give disjoint values (checked on distinct values, not pairs of claims)."""
    values = list(_value_docs(group).values())
    return any(_disjoint(a, b) and (da | db) - (da & db) for i, (a, da) in enumerate(values)
               for b, db in values[i + 1:])


def count_findings(claims: list[Claim], corpus: Corpus, quoted: Quoted) -> list[Finding]:
    """count_conflict across documents, internal_inconsistency within one."""
    out = []
    order = {d.id: i for i, d in enumerate(corpus.documents)}
    for group in _count_groups(claims, quoted):
        docs = {c.doc for c in group}
        subject, noun = _label(group, corpus.primary_id)
        label = f"{noun} ({subject})" if subject else noun
        if len(docs) >= 2 and _cross_disjoint(group):
            ordered = sorted(group, key=lambda c: (c.doc != corpus.primary_id, order[c.doc], c.start))
            values: dict[str, Any] = defaultdict(list)
            for c in ordered:
                values[c.doc].append(_fmt_count(c.value))
            prim = [c.value for c in group if c.doc == corpus.primary_id]
            high = any(_disjoint(p, v) for p in prim for v, _ in _value_docs(group).values())
            shown = "; ".join(f"{d}: {', '.join(v)}" for d, v in values.items())
            out.append(Finding(
                "count_conflict", label, list(values), dict(values), "high" if high else "medium",
                f"The documents give different numbers for {label}: {shown}.",
                [_ev(c, _short_ev(c, corpus)) for c in ordered]))
        by_doc: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_doc[c.doc].append(c)
        for doc, cs in by_doc.items():
            if len(cs) < 2:
                continue
            pairs = [(a, b) for i, a in enumerate(cs) for b in cs[i + 1:]
                     if _disjoint(a.value, b.value) and _same_quantity(a, b)]
            if pairs:
                a, b = pairs[0]
                out.append(Finding(
                    "internal_inconsistency", label, [doc], {doc: [_fmt_count(a.value), _fmt_count(b.value)]},
                    "medium", f"{doc} gives {_fmt_count(a.value)} and later {_fmt_count(b.value)} for {label}.",
                    [_ev(a, a.detail.get("phrase")), _ev(b, b.detail.get("phrase"))]))
    return out


def _same_quantity(a: Claim, b: Claim) -> bool:
    """Two counts of one document measure the same thing: same subject, or same noun phrase elsewhere."""
    if a.detail.get("subject_key") and a.detail.get("subject_key") == b.detail.get("subject_key"):
        return True
    return (a.sentence_start != b.sentence_start
            and (a.detail.get("noun") or "").casefold() == (b.detail.get("noun") or "").casefold())


def list_findings(claims: list[Claim], corpus: Corpus) -> list[Finding]:
    """internal_inconsistency: a stated count against the length of the list the document gives."""
    out = []
    for lst in (c for c in claims if c.kind == "list"):
        n = lst.value
        intro = lst.detail.get("intro", "")
        for cnt in (c for c in claims if c.kind == "count" and c.doc == lst.doc):
            in_intro = lst.start <= cnt.start < lst.detail["intro_span"]["end"]
            subject = cnt.detail.get("subject") or ""
            named = len(subject.split()) >= 2 and fuzz.partial_ratio(subject.casefold(), intro.casefold()) >= 90
            if not (in_intro or named):
                continue
            v = cnt.value
            high = math.inf if v["high"] is None else v["high"]
            if v["low"] <= n <= high:
                continue
            label = f"{cnt.detail.get('noun') or 'items'} ({subject})" if subject else (cnt.detail.get("noun") or "items")
            out.append(Finding(
                "internal_inconsistency", label, [lst.doc], {lst.doc: [_fmt_count(v), f"{n} listed"]}, "medium",
                f"{lst.doc} states {_fmt_count(v)} {cnt.detail.get('noun') or ''} but its list names {n}.".replace("  ", " "),
                [_ev(cnt, cnt.detail.get("phrase")), {"source": lst.doc, **lst.detail["intro_span"]}],
                detail={"items": [i["text"] for i in lst.detail["items"]]}))
    return out


# ---------------------------------------------------------------- dates

def _doc_date_line(claim: Claim, corpus: Corpus) -> bool:
    """A dateline or byline date: the document's own date near its top."""
    date = corpus[claim.doc].date
    return bool(date and claim.value.get("start", "").lstrip("-") and
                date.iso().endswith(claim.value["start"].lstrip("-")) and claim.start < 400)


def date_findings(claims: list[Claim], corpus: Corpus, quoted: Quoted) -> list[Finding]:
    """date_conflict: the same event dated differently in two documents."""
    dates = [c for c in claims if c.kind == "date" and c.value.get("granularity") in ("day", "month")
             and not _doc_date_line(c, corpus) and c not in quoted]
    per_sentence = Counter((c.doc, c.sentence_start) for c in dates)
    items = [("date", _date_context(c, per_sentence)) for c in dates]
    context = {id(dates[i]): words for i, (_, words) in enumerate(items)}
    said: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in dates:
        said[c.doc].append(c.value)
    out = []
    for g in overlap_groups(items, min_shared=DATE_CONTEXT_SHARED):
        group = [dates[i] for i in g]
        by_doc: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_doc[c.doc].append(c)
        if any(_dates_disjoint(x.value, y.value) for cs in by_doc.values()
               for i, x in enumerate(cs) for y in cs[i + 1:]):
            continue
        if not any(_dates_conflict(a, b, context, said) for i, a in enumerate(by_doc.values())
                   for b in list(by_doc.values())[i + 1:]):
            continue
        values: dict[str, Any] = defaultdict(list)
        for c in group:
            values[c.doc].append(_fmt_date(c.value))
        subject = " ".join(sorted(set.intersection(*[content_words(c.detail.get("context") or c.sentence) for c in group]))[:4]) or "date"
        high = corpus.primary_id in by_doc
        out.append(Finding("date_conflict", subject, list(values), dict(values), "high" if high else "medium",
                           "The documents date the same event differently: "
                           + "; ".join(f"{d}: {', '.join(v)}" for d, v in values.items()) + ".",
                           [_ev(c, _short_ev(c, corpus)) for c in group]))
    return out


def _date_context(claim: Claim, per_sentence: Counter) -> set[str]:
    """Words that say which event a date is about: its sentence when it holds one date, else its clause."""
    if per_sentence[(claim.doc, claim.sentence_start)] == 1:
        return content_words(claim.sentence)
    return content_words(claim.detail.get("context") or claim.sentence)


def _dates_conflict(a: list[Claim], b: list[Claim], context: dict[int, set[str]],
                    said: dict[str, list[dict[str, Any]]]) -> bool:
    """Two documents date one event differently: some pair of their dates is told in the same words
    (not just chained through a third), and neither document gives the other's date anywhere."""
    return (any(len(context[id(x)] & context[id(y)]) >= DATE_CONTEXT_SHARED for x in a for y in b)
            and all(_dates_disjoint(x.value, v) for x in a for v in said[b[0].doc])
            and all(_dates_disjoint(y.value, v) for y in b for v in said[a[0].doc]))


def _fmt_date(v: dict[str, Any]) -> str:
    return v["start"] if v.get("start") == v.get("end") else f"{v.get('start')} to {v.get('end')}"


def _date_parts(iso: str | None) -> tuple[int | None, int | None, int | None]:
    if not iso:
        return None, None, None
    m = re.fullmatch(r"(\d{4}|-)-?(\d{2})?-?(\d{2})?", iso.replace("--", "-"))
    if not m:
        return None, None, None
    y = int(m.group(1)) if m.group(1) != "-" else None
    return y, int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None


def _dates_disjoint(a: dict[str, Any], b: dict[str, Any]) -> bool:
    a1, a2 = _date_parts(a.get("start")), _date_parts(a.get("end") or a.get("start"))
    b1, b2 = _date_parts(b.get("start")), _date_parts(b.get("end") or b.get("start"))

    def key(p: tuple[int | None, ...], fill: int, both: bool) -> tuple[int, ...]:
        return tuple((x if x is not None else fill) for x in p[(0 if both else 1):])

    both = None not in (a1[0], b1[0])
    lo_a, hi_a = key(a1, 0, both), key(a2, 99, both)
    lo_b, hi_b = key(b1, 0, both), key(b2, 99, both)
    return hi_a < lo_b or hi_b < lo_a


# ---------------------------------------------------------------- quotes

def quote_findings(claims: list[Claim], corpus: Corpus) -> list[Finding]:
    """verified_quote, misquote and unsourced_quote for every double-quoted span of a report."""
    out: list[Finding] = []
    primary = TokenView.of(corpus.primary, corpus.primary.norm)
    lazy: list[QuoteIndex] = []

    def index() -> QuoteIndex:
        if not lazy:
            lazy.append(QuoteIndex(TokenView.of(d, d.norm) for d in corpus.reports))
        return lazy[0]

    for q in claims:
        if q.kind != "quote" or q.doc == corpus.primary_id or q.detail.get("style") != "double":
            continue
        speaker = q.detail.get("speaker")
        subject = f"quote of {speaker}" if speaker else "quote"
        match = match_quote(q.norm, primary)
        short = q.detail.get("words", 0) < 3
        if match is None or not (match.exact or _near(match, short)):
            others = index().candidates(q.norm, exclude=q.doc)
            alt = [m for m in (match_quote(q.norm, v) for v in others) if m is not None]
            alt = [m for m in alt if m.exact or _near(m, short)]
            if alt:
                match = max(alt, key=lambda m: m.score)
                if match.exact:
                    continue
            else:
                out.append(Finding("unsourced_quote", subject, [q.doc], {q.doc: q.norm}, "medium",
                                   f"{q.doc} quotes words{' of ' + speaker if speaker else ''} that no other "
                                   "document of the corpus contains.", [_ev(q)],
                                   score=round(match.score, 1) if match else None,
                                   detail={"speaker": speaker, "role": q.detail.get("role")}))
                continue
        ev = [_ev(q), match.evidence()]
        src = match.target.doc.id
        detail = {"speaker": speaker, "diff": match.diff, "matched_in": src}
        if match.exact:
            out.append(Finding("verified_quote", subject, [q.doc, src], {q.doc: q.norm, src: ev[1]["text"]}, "low",
                               f"{q.doc}'s quotation matches {src} word for word.", ev, score=100.0, detail=detail))
        else:
            changed = [op for op in match.diff if op[0] != "equal"]
            words = "; ".join(f"\u201c{o[2]}\u201d \u2192 \u201c{o[1]}\u201d" if o[0] == "replace" else
                              (f"added \u201c{o[1]}\u201d" if o[0] == "delete" else f"dropped \u201c{o[2]}\u201d")
                              for o in changed[:4])
            out.append(Finding("misquote", subject, [q.doc, src], {q.doc: q.norm, src: ev[1]["text"]}, "high",
                               f"{q.doc}'s quotation differs from {src}: {words}.", ev, score=match.score,
                               detail=detail))
    return out


def _near(match: Any, short: bool) -> bool:
    equal = sum(len(op[1].split()) for op in match.diff if op[0] == "equal")
    return (not short and match.score >= Thresholds.misquote_min and equal >= Thresholds.misquote_min_equal)


# ---------------------------------------------------------------- names

def _mentions(claims: list[Claim]) -> list[Claim]:
    return [c for c in claims if c.kind == "mention"]


def name_findings(claims: list[Claim], aliases: Aliases, kinds: dict[str, str]) -> list[Finding]:
    """name_variant: one entity named two ways (across or within documents)."""
    uses: dict[str, dict[str, Claim]] = defaultdict(dict)
    for m in _mentions(claims):
        if kinds.get(name_key(m.value)) in ("org", "person") and len(name_key(m.value).split()) >= 2:
            uses[name_key(m.value)].setdefault(m.doc, m)
    by_token: dict[str, list[str]] = defaultdict(list)
    for k in sorted(uses):
        for tok in set(k.split()):
            if len(tok) > 3:
                by_token[tok].append(k)
    seen, out = set(), []
    for k in sorted(uses):
        for other in sorted({o for tok in set(k.split()) for o in by_token.get(tok, ()) if o > k}):
            first_a, first_b = next(iter(uses[k].values())), next(iter(uses[other].values()))
            if (k, other) in seen or aliases.same(first_a.value, first_b.value):
                continue
            seen.add((k, other))
            ta, tb = k.split(), other.split()
            if len(ta) != len(tb) or Levenshtein.distance(ta, tb) > 1:
                continue
            score = fuzz.ratio(k, other)
            if score < Thresholds.name_variant_min:
                continue
            within = sorted(set(uses[k]) & set(uses[other]))
            docs = sorted(set(uses[k]) | set(uses[other]))
            values = {d: [m.text for m in (uses[k].get(d), uses[other].get(d)) if m] for d in docs}
            evidence = [_ev(m) for d in docs for m in (uses[k].get(d), uses[other].get(d)) if m]
            where = f"within {', '.join(within)}" if within else "across documents"
            out.append(Finding("name_variant", first_a.value, docs, values, "medium" if within else "low",
                               f"\u201c{first_a.text}\u201d and \u201c{first_b.text}\u201d name one "
                               f"{kinds[k]} two ways ({where}).", evidence, score=round(score, 1)))
    return out


def entity_kinds(claims: list[Claim]) -> dict[str, str]:
    """org or person for each name key, pooled over the corpus: one document's appositive, title or
    quotation ("…," Ruiz said) types the name everywhere; a surname typed person types the full name."""
    kinds: dict[str, str] = {}
    for m in _mentions(claims):
        kind = m.detail.get("type")
        if kind in ("org", "person") and kinds.get(name_key(m.value)) != "org":
            kinds[name_key(m.value)] = kind
    for q in claims:
        speaker = q.detail.get("speaker") if q.kind == "quote" else None
        if isinstance(speaker, str) and speaker[:1].isupper():
            kinds.setdefault(name_key(speaker), "person")
    persons = {k for k, v in kinds.items() if v == "person"}
    for m in _mentions(claims):
        key = name_key(m.value)
        tokens = key.split()
        if key not in kinds and any(" ".join(tokens[i:]) in persons for i in range(1, len(tokens))):
            kinds[key] = "person"
    return kinds


def omission_findings(claims: list[Claim], corpus: Corpus, aliases: Aliases,
                      kinds: dict[str, str]) -> list[Finding]:
    """omission: a person or organization the primary names that some reports leave out."""
    reports = [d for d in corpus.reports if d.kind == "report"] or corpus.reports
    if not reports:
        return []
    items: dict[str, tuple[Claim, str]] = {}
    for m in _mentions(claims):
        if m.doc != corpus.primary_id:
            continue
        key = name_key(aliases.resolve(m.value))
        kind = kinds.get(name_key(m.value), m.detail.get("type"))
        if kind in ("person", "org") and len(key.split()) >= 2 and not any(
                fuzz.ratio(key, k) >= Thresholds.name_variant_min for k in items):
            items.setdefault(key, (m, kind))
    fuller = {" ".join(k.split()[i:]) for k, (_, kind) in items.items() if kind == "person"
              for i in range(1, len(k.split()) - 1)}
    items = {k: v for k, v in items.items() if k not in fuller}
    found: dict[str, dict[str, Claim]] = defaultdict(dict)
    tokens_of = {key: set(_name_tokens(m.value, kind)) for key, (m, kind) in items.items()}
    by_token: dict[str, list[str]] = defaultdict(list)
    for key, toks in tokens_of.items():
        for t in toks:
            by_token[t].append(key)
    for m in _mentions(claims):
        if m.doc == corpus.primary_id:
            continue
        mk = name_key(aliases.resolve(m.value))
        hits = {mk} & set(items) | {k for t in mk.split() for k in by_token.get(t, ())}
        if not hits and m.detail.get("type") == "org":
            hits = {k for k, (it, kind) in items.items() if kind == "org" and fuzz.token_set_ratio(mk, k) >= 95}
        for k in hits:
            found[k].setdefault(m.doc, m)
    spellings = {key: [" " + re.sub(r"\W+", " ", s) + " " for s in aliases.names_of(m.value)] +
                 [f" {t} " for t in tokens_of[key]] for key, (m, _) in items.items()}
    out = []
    for key, (item, kind) in items.items():
        values, evidence = {}, [_ev(item)]
        for doc in reports:
            hit = found[key].get(doc.id)
            if hit is None:
                text = _folded(doc)
                values[doc.id] = "mentioned" if any(s in text for s in spellings[key]) else "omitted"
            else:
                values[doc.id] = "mentioned"
                evidence.append(_ev(hit))
        omitted = [d for d, v in values.items() if v == "omitted"]
        if not omitted:
            continue
        severity = "medium" if len(omitted) == len(values) else "low"
        mentioned = [d for d, v in values.items() if v == "mentioned"]
        out.append(Finding(
            "omission", item.value, [corpus.primary_id, *values], {corpus.primary_id: "named", **values}, severity,
            f"{corpus.primary_id} names {item.value} ({kind}); " +
            (f"{_names(mentioned)} mention{'s' if len(mentioned) == 1 else ''} it, " if mentioned else "") +
            f"{_names(omitted)} leave{'s' if len(omitted) == 1 else ''} it out.", evidence,
            detail={"entity_type": kind}))
    return out


def _names(ids: list[str], most: int = 5) -> str:
    return ", ".join(ids) if len(ids) <= most else f"{', '.join(ids[:most])} and {len(ids) - most} more"


def _folded(doc: Any) -> str:
    """A document's text folded for whole-word look-ups, cached on its normalised view."""
    cached = doc.norm.__dict__.get("_folded")
    if cached is None:
        cached = doc.norm.__dict__["_folded"] = " " + re.sub(r"\W+", " ", doc.norm.text.casefold()) + " "
    return cached


def _name_tokens(name: str, kind: str | None) -> list[str]:
    tokens = [t for t in re.sub(r"\W+", " ", name.casefold()).split() if len(t) >= 4]
    return tokens if kind == "person" else []


# ---------------------------------------------------------------- single source, duplicates

def single_source_findings(claims: list[Claim], corpus: Corpus, quoted: Quoted) -> list[Finding]:
    """single_source: a figure or a date that no other document gives in the same context."""
    facts = [c for c in claims if c.kind in ("count", "date") and c not in quoted
             and not (c.kind == "date" and (c.value.get("granularity") in ("weekday", "time") or _doc_date_line(c, corpus)))
             and not (c.kind == "count" and _article_one(c))]
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for c in facts:
        by_key[_fact_key(c)].append(c)
    out = []
    for c in facts:
        if c.doc == corpus.primary_id:
            continue
        words = content_words(_clause(c, corpus)["text"]) | content_words(c.sentence)
        if any(p.doc != c.doc and (c.kind == "count" and not _disjoint(p.value, c.value)
                                   or c.kind == "date" and len(words & content_words(p.sentence)) >= Thresholds.context_shared)
               for p in by_key[_fact_key(c)]):
            continue
        shown = _fmt_count(c.value) if c.kind == "count" else _fmt_date(c.value)
        out.append(Finding("single_source", f"{c.kind}: {c.text}", [c.doc], {c.doc: shown}, "low",
                           f"Only {c.doc} gives this {'figure' if c.kind == 'count' else 'date'} ({shown}); "
                           "no other document of the corpus supports it.", [_ev(c, _clause(c, corpus))]))
    return out


def _article_one(c: Claim) -> bool:
    """"one analyst", "a single driver": the word one as an article, not a figure worth a second source."""
    v = c.value
    return (v.get("low") == v.get("high") == 1 and not v.get("unit") and not v.get("hedge")
            and bool(ONE_WORD.match(c.text)))


def _fact_key(c: Claim) -> tuple:
    """Claims that can be the same fact: counts of one noun, dates with one start."""
    if c.kind == "count":
        unit = c.value.get("unit")
        return ("count", f"money:{unit}") if unit and unit != "%" else ("count", c.detail.get("noun_key"))
    start = c.value.get("start") or ""
    return ("date", c.value.get("granularity"), start[-5:] if c.value.get("granularity") == "day" else start)


def duplicate_findings(corpus: Corpus) -> list[Finding]:
    """duplicate_passage: a run of sentences (8 words or more each) that a document repeats."""
    from .segment import sentences

    out = []
    for doc in corpus:
        seen: dict[str, int] = {}
        spans: list[tuple[int, int]] = []
        pairs: list[tuple[int, int]] = []
        for view in doc.norm.views():
            for s in sentences(view):
                words = re.findall(r"\w+", s.text.casefold())
                spans.append(view.raw_span(s.start, s.end))
                key = " ".join(words)
                if len(words) < Thresholds.duplicate_min_words:
                    continue
                if key in seen:
                    pairs.append((seen[key], len(spans) - 1))
                else:
                    seen[key] = len(spans) - 1
        runs: list[list[tuple[int, int]]] = []
        for pair in pairs:
            if runs and pair[0] == runs[-1][-1][0] + 1 and pair[1] == runs[-1][-1][1] + 1:
                runs[-1].append(pair)
            else:
                runs.append([pair])
        for run in runs:
            evidence = [{"source": doc.id, "start": spans[i][0], "end": spans[i][1],
                         "text": doc.raw[spans[i][0]:spans[i][1]]} for pair in run for i in pair]
            first = evidence[0]["text"]
            out.append(Finding("duplicate_passage", " ".join(first.split())[:80], [doc.id], {doc.id: 2}, "low",
                               f"{doc.id} repeats a passage of {len(run)} sentence{'s' if len(run) > 1 else ''} "
                               "word for word.", evidence, detail={"sentences": len(run)}))
    return out


# ---------------------------------------------------------------- entry points

def find_findings(corpus: Corpus, primary: str | None = None, *, claims: list[Claim] | None = None,
                  aliases: Aliases | None = None, reviews: bool = True) -> list[Finding]:
    """Every finding of a corpus, review statuses applied, in a stable order."""
    if primary:
        corpus = corpus.with_primary(primary)
    if len(corpus) < 2:
        raise ClaimalignError(f"{corpus.root}: the corpus needs a primary and at least one other document to compare")
    aliases = aliases if aliases is not None else load_aliases(corpus.root)
    claims = claims if claims is not None else extract_claims(corpus, aliases)
    with gc_paused():
        ordered = _run_rules(corpus, claims, aliases)
    if reviews:
        from .reviews import apply_reviews
        apply_reviews(ordered, corpus.root)
    return ordered


def _run_rules(corpus: Corpus, claims: list[Claim], aliases: Aliases) -> list[Finding]:
    quoted = Quoted(claims)
    kinds = entity_kinds(claims)
    out = (count_findings(claims, corpus, quoted) + list_findings(claims, corpus)
           + date_findings(claims, corpus, quoted) + quote_findings(claims, corpus)
           + name_findings(claims, aliases, kinds) + omission_findings(claims, corpus, aliases, kinds)
           + single_source_findings(claims, corpus, quoted) + duplicate_findings(corpus))
    unique = {f.id: f for f in out}
    return sorted(unique.values(), key=lambda f: (TYPE_ORDER[f.type], SEVERITY_ORDER[f.severity],
                                                  f.subject.casefold(), f.id))


def findings(corpus: Corpus, primary: str | None = None, *, claims: list[Claim] | None = None) -> pd.DataFrame:
    """The findings of a corpus as a tidy DataFrame (one row per finding); pass claims already extracted."""
    return findings_frame(find_findings(corpus, primary, claims=claims))
