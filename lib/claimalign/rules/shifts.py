"""What changed in meaning between a report sentence and the source sentence it is aligned to.

Pure functions on two strings and the cue lists (data/cues.yaml); offsets are into those strings.
- contradiction: the sentences take different poles of one group of opposites ("deferred" /
  "rejected", "rise" / "falls"), or one denies a word the other asserts ("did not approve" / "approved");
- overstatement: a hedge of the source dropped on the same predicate ("may reduce" / "reduces",
  "may" / "will"), or an association stated as a cause ("linked to" / "prevents"); understatement
  is the reverse;
- vaguer_claim: a precise figure, date or name of the source stands in the report as a vague word
  ("for 18 months" / "for months", "$2.4 million grant" / "funding", "Ashworth Heart Foundation" /
  "a heart charity").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..cues import Cues, Phrase
from ..extract.claim import DATE_WORDS, NUMBER_WORDS, STOPWORDS, stem
from ..extract.counts import CURRENCY_WORDS, NUMBER

__all__ = ["Shift", "Token", "tokens", "compare", "contradictions", "firmer", "vaguer"]

_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
PUNCT = re.compile(r"[.,;:!?()\"\u201c\u201d\u2014]")
WINDOW = 6  # tokens before a duration that must share a word with the other sentence's
NEAR = 3  # tokens between a cue and the word it bears on
BETWEEN = frozenset("be been being have has had yet ever even always really necessarily to".split())
LINKING = frozenset("help helps helped to be been being have has had the a an also even further because though although "
                    "if whether unless so".split())
VERBAL = frozenset({"not", "never", "cannot", "n't"})  # negations of a verb; "no" and "none" deny a noun's existence
MONTHS = frozenset(w for w in DATE_WORDS if w not in {"today", "yesterday", "tomorrow", "tonight"}
                   and not w.endswith("day")) | frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_CURRENCY = re.compile(r"[$\u20ac\u00a3\u00a5\u20b9]|\b(?:" + "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
                       + r")\b", re.IGNORECASE)
_NAME = re.compile(r"(?<![\w'])(?:[A-Z][\w'\u2019-]+)(?:\s+(?:of|for|on|and|the|de|&)?\s*[A-Z][\w'\u2019-]+)+")
_INDEFINITE = re.compile(r"\b(?:a|an)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}")


@dataclass(frozen=True, order=True)
class Token:
    """A word of a sentence: as written (lower case), its stem, and its offsets."""

    word: str
    stem: str
    start: int
    end: int


@dataclass(frozen=True)
class Shift:
    """One change of meaning: its type, how it shows, and the cue's offsets in each sentence."""

    type: str
    how: str
    report: tuple[int, int]
    source: tuple[int, int]
    report_cue: str
    source_cue: str
    strong: bool = True


def tokens(text: str) -> list[Token]:
    """The words of a sentence, lower case, with stems and offsets."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group().casefold().replace("\u2019", "'")
        out.append(Token(word, stem(word), m.start(), m.end()))
    return out


def _find(toks: list[Token], phrases: Iterable[Phrase], *, written: bool = False) -> list[tuple[int, int]]:
    """Token ranges [i, j) where a cue phrase occurs (by stems, or as written)."""
    keys = [t.word if written else t.stem for t in toks]
    hits = []
    for cue in phrases:
        n = len(cue)
        hits += [(i, i + n) for i in range(len(keys) - n + 1) if tuple(keys[i:i + n]) == cue]
    return sorted(set(hits))


def _negated(toks: list[Token], i: int, cues: Cues) -> bool:
    """Whether a negation bears on token i: right before it, or with only auxiliaries and adverbs
    between ("did not approve", "has never been opened"; not "not a bridge")."""
    k = i - 1
    while k >= 0 and i - k <= NEAR and toks[k].word in BETWEEN:
        k -= 1
    if k >= 1 and toks[k].word == "of":
        return _negated(toks, k - 1, cues) or toks[k - 1].word in cues.negations
    return k >= 0 and i - k <= NEAR and (toks[k].word in cues.negations or (
        "n't" in cues.negations and toks[k].word.endswith("n't")))


def _span(toks: list[Token], rng: tuple[int, int]) -> tuple[int, int]:
    return toks[rng[0]].start, toks[rng[1] - 1].end


def _text(text: str, span: tuple[int, int]) -> str:
    return text[span[0]:span[1]]


def _poles(toks: list[Token], group: list[set[Phrase]], cues: Cues) -> dict[int, list[tuple[int, int]]]:
    """The poles of a group a sentence asserts (not negated), with where; a negated pole counts as none."""
    found: dict[int, list[tuple[int, int]]] = {}
    for p, pole in enumerate(group):
        hits = _find(toks, pole)
        if hits:
            found[p] = [h for h in hits if not _negated(toks, h[0], cues)]
    return found


def contradictions(report: str, source: str, cues: Cues) -> list[Shift]:
    """Opposite poles of one group, or one word asserted in one sentence and denied in the other."""
    rt, st = tokens(report), tokens(source)
    out = []
    for group in cues.opposites:
        rp, sp = _poles(rt, group, cues), _poles(st, group, cues)
        if len(rp) == 1 and len(sp) == 1 and set(rp) != set(sp):
            (a,), (b,) = rp.values(), sp.values()
            if len(a) and len(b):
                rs, ss = _span(rt, a[0]), _span(st, b[0])
                out.append(Shift("contradiction", "opposite", rs, ss, _text(report, rs), _text(source, ss)))
    cue_stems = {w for ph in (*cues.causal, *cues.hedges, *cues.associations, *cues.certainty) for w in ph}
    for flip in _negation_flips(rt, st, report, source, cues):
        i, j = flip
        kind = "overstatement" if rt[i].stem in cue_stems and not _negated(rt, i, cues) else "contradiction"
        if kind == "overstatement" and rt[i].stem not in {w for ph in cues.causal for w in ph}:
            continue
        rs, ss = _negation_span(rt, i), _negation_span(st, j)
        out.append(Shift(kind, "negation" if kind == "contradiction" else "cause the source denies", rs, ss,
                         _text(report, rs), _text(source, ss)))
    return out


def _content(t: Token) -> bool:
    return len(t.word) > 3 and t.word not in STOPWORDS and not t.word.isdigit()


def _predicate_word(t: Token) -> bool:
    """A word whose denial changes what is asserted: a content word, not an adverb ("not immediately clear")."""
    return _content(t) and not t.word.endswith("ly")


def _negation_flips(rt: list[Token], st: list[Token], report: str, source: str,
                    cues: Cues) -> Iterator[tuple[int, int]]:
    """(i, j): a lower-case word both sentences use, every use denied by a verbal negation ("not",
    "never", "n't") in one and asserted in the other; a word after "no" or "without" is left out."""
    verbal = Cues(negations=cues.negations & VERBAL)
    other = Cues(negations=cues.negations - VERBAL)

    def uses(toks: list[Token], text: str) -> dict[str, list[tuple[int, bool]]]:
        out: dict[str, list[tuple[int, bool]]] = {}
        for i, t in enumerate(toks):
            if _predicate_word(t) and not text[t.start].isupper() and not _negated(toks, i, other):
                out.setdefault(t.stem, []).append((i, _negated(toks, i, verbal)))
        return out

    ru, su = uses(rt, report), uses(st, source)
    for key in sorted(set(ru) & set(su), key=lambda k: ru[k][0][0]):
        rneg, sneg = {n for _, n in ru[key]}, {n for _, n in su[key]}
        if len(rneg) == 1 and len(sneg) == 1 and rneg != sneg:
            yield ru[key][0][0], su[key][0][0]


def _negation_span(toks: list[Token], i: int) -> tuple[int, int]:
    """A word with the negation before it, if any."""
    first = next((k for k in range(max(0, i - 2), i)
                  if toks[k].word.endswith("n't") or toks[k].word in ("not", "no", "never", "cannot")), i)
    return toks[first].start, toks[i].end


def _hedged(toks: list[Token], i: int, hedges: list[tuple[int, int]]) -> bool:
    return any(0 < i - (b - 1) <= NEAR for a, b in hedges)


def _predicate(toks: list[Token], after: int, text: str) -> int | None:
    """The first word after a hedge that carries its meaning ("may help protect" -> protect), in the
    same clause (no punctuation between)."""
    for k in range(after, min(len(toks), after + NEAR + 1)):
        if PUNCT.search(text, toks[after - 1].end, toks[k].start):
            return None
        if toks[k].word not in LINKING and _content(toks[k]):
            return k
    return None


def firmer(a: str, b: str, cues: Cues) -> list[Shift]:
    """How sentence `a` states more certainty or causality than `b` (offsets: report = a, source = b)."""
    at, bt = tokens(a), tokens(b)
    a_hedges = _find(at, cues.hedges, written=True) + _find(at, cues.associations)
    if a_hedges:
        return []
    out = []
    b_hedges = _find(bt, cues.hedges, written=True)
    for h in b_hedges:
        k = _predicate(bt, h[1], b)
        if k is None:
            continue
        for i, t in enumerate(at):
            if t.stem == bt[k].stem and not _negated(at, i, cues) and not _negated(bt, k, cues):
                will = i > 0 and at[i - 1].word == "will"
                rs = (at[i - 1].start if will else t.start, t.end)
                ss = (bt[h[0]].start, bt[k].end)
                out.append(Shift("overstatement", "may to will" if will else "hedge dropped", rs, ss,
                                 _text(a, rs), _text(b, ss)))
                break
    if out:
        return out[:1]
    assoc = _find(bt, cues.associations)
    causal = [c for c in _find(at, cues.causal) if not _negated(at, c[0], cues)]
    if assoc and causal and not _find(bt, cues.causal):
        rs, ss = _span(at, causal[0]), _span(bt, assoc[0])
        out.append(Shift("overstatement", "association stated as cause", rs, ss, _text(a, rs), _text(b, ss)))
    return out


def _figures(text: str) -> list[re.Match[str]]:
    return [m for m in NUMBER.finditer(text) if m.group("num").casefold() not in ("one", "a dozen")]


def vaguer(report: str, source: str, cues: Cues) -> list[Shift]:
    """Precise figures, dates and names of the source that the report gives as vague words."""
    rt, st = tokens(report), tokens(source)
    out = []
    r_figures = _figures(report)
    for m in _figures(source):
        after = [t for t in st if t.start >= m.end()][:3]
        if not after:
            continue
        unit = after[0]
        if (unit.word,) in cues.vague["durations"] or (unit.word + "s",) in cues.vague["durations"]:
            plural = unit.word if unit.word.endswith("s") else unit.word + "s"
            before = _before(st, next(k for k, x in enumerate(st) if x.start >= m.start()))
            for i, t in enumerate(rt):
                if t.word == plural and not any(f.end() <= t.start and t.start - f.end() <= 2 for f in r_figures) \
                        and before & _before(rt, i):
                    rs, ss = _duration_span(rt, i), (m.start(), unit.end)
                    out.append(Shift("vaguer_claim", "duration", rs, ss, _text(report, rs), _text(source, ss)))
                    break
            continue
        if m.group("cur") or _CURRENCY.match(source, m.end() + 1) or "$" in m.group():
            if not any(f.group("cur") for f in r_figures) and not _CURRENCY.search(report):
                hit = _find(rt, cues.vague["money"], written=True)
                if hit:
                    noun = next((t for t in after if t.word not in LINKING), unit)
                    rs, ss = _span(rt, hit[0]), (m.start(), noun.end if noun.start - m.end() < 12 else m.end())
                    out.append(Shift("vaguer_claim", "money", rs, ss, _text(report, rs), _text(source, ss)))
            continue
        nouns = [t for t in after if _content(t)][:2]
        if not nouns or nouns[0].word in MONTHS:
            continue
        for a, b in _find(rt, cues.vague["amounts"], written=True):
            follow = [t for t in rt[b:b + NEAR] if t.stem in {n.stem for n in nouns}]
            if follow and not any(f.end() <= rt[a].start + 1 and rt[a].start - f.end() <= 2 for f in r_figures):
                last = max(n for n in nouns if n.stem in {t.stem for t in follow})
                rs, ss = (rt[a].start, follow[-1].end), (m.start(), last.end)
                out.append(Shift("vaguer_claim", "amount", rs, ss, _text(report, rs), _text(source, ss)))
                break
    out += _vaguer_date(report, source, rt, st, cues)
    out += _vaguer_name(report, source, cues)
    return out


def _before(toks: list[Token], i: int) -> set[str]:
    """Stems of the content words just before token i: what a duration or figure is told of."""
    return {t.stem for t in toks[max(0, i - WINDOW):i] if _content(t) and t.word not in NUMBER_WORDS}


def _duration_span(toks: list[Token], i: int) -> tuple[int, int]:
    start = toks[i - 1].start if i and toks[i - 1].word in ("for", "over", "in", "after", "within") else toks[i].start
    return start, toks[i].end


def _vaguer_date(report: str, source: str, rt: list[Token], st: list[Token], cues: Cues) -> list[Shift]:
    """A day and month in the source ("Oct. 14"), none in the report, and a vague time word there."""
    day = re.search(r"\b(?P<m>[A-Z][a-z]{2,8})\.?\s+\d{1,2}\b(?:,\s+\d{4})?|\b\d{1,2}\s+(?P<m2>[A-Z][a-z]{2,8})\b(?:\s+\d{4})?",
                    source)
    if day is None or (day.group("m") or day.group("m2")).casefold() not in MONTHS:
        return []
    if any(t.word in MONTHS for t in rt) or re.search(r"\b\d{4}\b", report):
        return []
    hit = _find(rt, cues.vague["times"], written=True)
    if not hit:
        return []
    rs, ss = _span(rt, hit[0]), (day.start(), day.end())
    return [Shift("vaguer_claim", "date", rs, ss, _text(report, rs), _text(source, ss))]


def _vaguer_name(report: str, source: str, cues: Cues) -> list[Shift]:
    """A name of the source missing from the report, where the report has "a/an … <generic noun>"
    sharing a word with the name ("Ashworth Heart Foundation" / "a heart charity")."""
    out = []
    for m in _NAME.finditer(source):
        if m.start() == 0 or source[:m.start()].rstrip().endswith((".", "\n", '"', "\u201c")):
            continue
        written = [w for w in _WORD.findall(m.group()) if w[:1].isupper()]
        words = [w.casefold() for w in written]
        if len(words) < 2 or any(re.search(rf"\b{re.escape(w)}\b", report) for w in written):
            continue
        for g in _INDEFINITE.finditer(report):
            found = [w for w in _WORD.finditer(g.group())][1:]
            k = next((k for k, w in enumerate(found) if (w.group(),) in cues.vague["names"]), None)
            if k is None:
                continue
            generic, mods = found[k].group(), [w.group() for w in found[:k]]
            if generic in words or any(stem(x) in {stem(w) for w in words} for x in mods):
                rs, ss = (g.start(), g.start() + found[k].end()), (m.start(), m.end())
                out.append(Shift("vaguer_claim", "name", rs, ss, _text(report, rs), _text(source, ss)))
                return out
    return out


def compare(report: str, source: str, cues: Cues) -> list[Shift]:
    """Every shift of meaning from `source` to `report`: contradictions, over- and understatements,
    vaguer claims (at most one overstatement or understatement per pair)."""
    shifts = contradictions(report, source, cues)
    if not any(s.type == "overstatement" for s in shifts):
        shifts += firmer(report, source, cues)
    if not any(s.type in ("overstatement", "contradiction") for s in shifts):
        shifts += [Shift("understatement", {"hedge dropped": "hedge added", "may to will": "will to may",
                                            "association stated as cause": "cause stated as association"}[s.how],
                         s.source, s.report, s.source_cue, s.report_cue, s.strong)
                   for s in firmer(source, report, cues)]
    return shifts + vaguer(report, source, cues)
