"""Count claims: digits and number words, hedges as intervals, money, percentages, vague amounts.

Each count carries the counted noun phrase ("local organizations") and, where the sentence
says, the subject it attaches to ("a coalition of ...", "X, which represents ...").
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from text_to_num import alpha2digit, text2num

from ..aliases import Aliases
from .claim import DATE_WORDS, STOPWORDS, Context, head_stem, initials, led

__all__ = ["extract", "noun_key", "subject_key", "interval", "HEDGES"]

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
_NUMWORD = "|".join(UNITS + list(SCALES) + ["dozen"])
_WORDNUM = rf"(?:(?:{_NUMWORD})(?:[\s-]+(?:and\s+)?(?:{_NUMWORD}))*)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
CURRENCY = {"$": "USD?", "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "\u20ac": "EUR",
            "\u00a3": "GBP", "\u00a5": "JPY", "\u20b9": "INR"}
_CUR = r"(?:US\$|C\$|CA\$|A\$|\$|\u20ac|\u00a3|\u00a5|\u20b9)"
# Currency names written after a number ("1.2 billion euros"), in the units the symbols above use.
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "dollar": "USD?", "dollars": "USD?", "us dollars": "USD",
                  "u.s. dollars": "USD", "american dollars": "USD", "canadian dollars": "CAD",
                  "australian dollars": "AUD", "pounds sterling": "GBP", "sterling": "GBP", "pounds": "GBP",
                  "pound": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupees": "INR",
                  "swiss francs": "CHF"}
CURRENCY_WORD = re.compile(r"[ \t]+(?P<word>" + "|".join(map(re.escape, sorted(CURRENCY_WORDS, key=len, reverse=True)))
                           + r")\b", re.IGNORECASE)
_VAGUE_WORDS = ("tens", "hundreds", "dozens", "thousands", "millions", "billions")
VAGUE = led(initials(*_VAGUE_WORDS),
            r"\b(?P<v>(?:tens|hundreds|dozens)\s+of\s+(?:thousands|millions|billions)(?=\b)|"
            r"(?:hundreds|thousands|millions|billions|dozens)(?=\s+of\b))", re.IGNORECASE)
_FRACTION = r"(?:\d+[ -])?\d/\d{1,2}(?![\d/])"
FRACTION = re.compile(rf"(?<![\w/.,-])(?P<num>{_FRACTION})")
# Words after which a number names something rather than counts it ("phase 2", "Article 19").
IDENT_NOUNS = re.compile(r"(?i)\b(?:phase|stage|article|section|chapter|page|room|line|step|round|level|grade|"
                         r"category|tier|number|no\.|item|clause|paragraph|exhibit|gate|route|platform|bay|quay|"
                         r"pier|act|season|episode|volume|vol\.|part|question|amendment|rule|figure|table)\s+$")
REFER_BACK = re.compile(r"(?i)\b(?:the|these|those|both)\s+$")
RATIO_BEFORE = re.compile(r"(?i)(?:\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)|"
                          r"(?<![\w.,])\d+\s+of)\s+$")
RATIO_AFTER = re.compile(r"(?i)^\s+(?:in|of|out\s+of)\s+(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b(?![\s,.]*\d)(?!\s*%)")
POINTS = re.compile(r"(?i)^\s*(?P<kind>percentage|pct\.?|basis)\s+points?\b|^\s*(?P<bps>bps?)\b")
# "over four years" spreads something across a span of time; it is no "more than".
TIME_UNIT = re.compile(r"(?i)(?:[\w-]+\s+)?(?:years?|months?|weeks?|days?|decades?|hours?|minutes?|quarters?|"
                       r"centur(?:y|ies)|seasons?|terms?)\b")
PERCENT_OF = re.compile(r"(?i)^\s+(?:(?:more|less|higher|lower)\s+likely\s+to\s+(?:be\s+)?|of\s+(?:the\s+|all\s+|those\s+who\s+)?)"
                        r"(?P<what>[a-z][\w'-]+)")
_CHANGE = (r"(?:rise|rises|rose|risen|jump|jumps|jumped|increase|increases|increased|climb|climbs|climbed|go\s+up|"
           r"goes\s+up|went\s+up|fall|falls|fell|drop|drops|dropped|decrease|decreases|decreased|go|goes|went)")
CHANGE_BEFORE = re.compile(rf"(?i)(?P<np>\b[a-z][\w'-]*)\s+(?:will\s+|would\s+|is\s+set\s+to\s+|is\s+to\s+)?{_CHANGE}"
                           r"\s+(?:from\s+(?P<was>\S+)\s+)?to\s+$")
PASSIVE_EVENT = re.compile(r"^\s+(?:were|was|have\s+been|had\s+been|has\s+been|are|is|got)\s+(?P<verb>[a-z]+ed)\b")
PURPOSE_AFTER = re.compile(r"^(?:\s+to\s+(?:the\s+)?(?!fund\b|pay\b|cover\b|build\b|buy\b)(?:[\w'-]+\s+){0,2}?[\w'-]+(?=\s+for\b))?"
                           r"\s+(?P<prep>for|towards?|from|to\s+(?:fund|pay\s+for|cover|build|buy))\s+"
                           r"(?P<np>(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w'-]+\s+){0,3}?[\w'-]+)")
COST_BEFORE = re.compile(r"(?i)(?P<np>\b[\w'-]+)\s+(?:will|would|could|is\s+expected\s+to|is\s+set\s+to|to)?\s*"
                         r"(?:cost|costs|costing|cost\s+an\s+estimated|totals?|totalled|totaled)\s+(?:an?\s+)?"
                         r"(?:estimated\s+|about\s+|around\s+|roughly\s+|some\s+)?$|"
                         r"\bcost\s+of\s+(?:the\s+)?(?P<np2>[\w'-]+)\s+(?:is|was|at|will\s+be)\s+(?:an?\s+)?(?:estimated\s+)?$|"
                         r"(?P<np3>\b[\w'-]+)\s+to\s+the\s+tune\s+of\s+$|"
                         r"(?P<np4>\b[\w'-]+)\s+(?:are|is|was|were|has\s+been|have\s+been)\s+(?:estimated|valued|put|"
                         r"priced|budgeted|forecast|projected)\s+at\s+(?:about\s+|around\s+|roughly\s+)?$")
NUMBER = re.compile(
    rf"(?<![\w.,/#-])(?P<cur>{_CUR})?\s?(?P<num>{_DIGITS}(?!st\b|nd\b|rd\b|th\b)|{_WORDNUM}\b|a\s+dozen\b)"
    rf"(?:[\s-]*(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|m)\b)?"
    rf"(?:\s*(?P<pct>%|percent\b|per\s+cent\b))?(?![\w-]*\d)",
    re.IGNORECASE)
_NAME_BEFORE = re.compile(r"(?<![\w'&-])(?P<word>[\w'&-]*[A-Z][\w'&-]*)[ \t]+$")
_OPENERS = "\n:\"'([-.!?"
RANGE = re.compile(rf"^\s*(?:to|-|and)\s*(?P<num>{_FRACTION}|{_DIGITS}|{_WORDNUM})\b", re.IGNORECASE)
HEDGES: list[tuple[str, str]] = [
    ("at least", "min"), ("no fewer than", "min"), ("no less than", "min"), ("a minimum of", "min"),
    ("more than", "over"), ("over", "over"), ("upwards of", "over"), ("in excess of", "over"),
    ("just over", "over"), ("nearly", "under"), ("almost", "under"), ("close to", "under"),
    ("just under", "under"), ("about", "approx"), ("around", "approx"), ("approximately", "approx"),
    ("roughly", "approx"), ("some", "approx"), ("an approximate", "approx"), ("circa", "approx"), ("up to", "max"), ("as many as", "max"),
    ("at most", "max"), ("no more than", "max"), ("fewer than", "below"), ("less than", "below"),
    ("under", "below"), ("exactly", "exact"), ("precisely", "exact"),
]
_HEDGE = re.compile(r"(?:\b(?:" + "|".join(re.escape(h) for h, _ in sorted(HEDGES, key=lambda x: -len(x[0])))
                    + r"))\s*$", re.IGNORECASE)
_SUFFIX_MIN = re.compile(r"^\s*(?:or\s+more|or\s+above|plus\b|\+)", re.IGNORECASE)
NOUN_STOP = STOPWORDS | DATE_WORDS | {
    "percent", "per", "cent", "times", "while", "since", "including", "like", "across", "around", "along",
    "against", "toward", "towards", "beyond", "behind", "near", "via", "amid", "throughout", "inside", "outside",
    "despite", "until", "unlike",
    # time expressions and adverbs that follow a counted noun ("euros last year", "villages still have")
    "last", "next", "ago", "every", "earlier", "later", "still", "already", "now", "again", "out", "up",
    "late", "early", "overnight", "tonight", "yesterday", "today", "tomorrow", "recently", "so", "far",
    "down", "off", "away", "even", "never", "always", "often"}
# Common irregular past tenses: after a noun they start the predicate ("60 people came").
PAST_VERBS = frozenset("""came went fell rose took gave made got saw told met ran began became held kept won
grew knew stood sat spent sent brought thought found""".split())
# Words before a number that quantify it rather than name it ("Only 12", "Some 4,000", "Another 30").
QUANTIFIERS = frozenset({w for h, _ in HEDGES for w in h.split()}) | {
    "only", "another", "fully", "barely", "all", "every", "top", "first", "last", "next", "past", "total",
    "additional", "further", "extra"}
SUBJECT_VERBS = r"(?:represents?|comprises?|comprising|includes?|including|has|have|counts?|brings?\s+together|" \
                r"unites?|groups?|gathers?|consists?\s+of|numbers?|totals?|is\s+made\s+up\s+of|made\s+up\s+of)"
_ENTITY = r"(?P<entity>(?:[A-Z][\w'&.-]*)(?:\s+(?:(?:of|for|on|in|the|and|de|du|des|la|le|&)\s+)*[A-Z][\w'&.-]*)*)"
APPOSITIVE = re.compile(_ENTITY + r",\s+(?:a|an|the)\s+(?P<noun>[a-z][\w-]*)\s+of\s+$")
OF_NOUN = re.compile(r"\b(?P<det>a|an|the)\s+(?P<noun>[a-z][\w-]*)\s+of\s+$", re.IGNORECASE)
SUBJECT_WINDOW = 400  # characters before a count searched for its subject (a whole sentence would be quadratic)
RELATIVE = re.compile(_ENTITY + r",?\s+(?:(?:which|who|that)\s+)?" + SUBJECT_VERBS + r"\s+$")


def noun_key(word: str) -> str:
    """Fold a counted noun for grouping: case, British/American -ise/-ize, a plural s."""
    w = word.casefold().replace("isation", "ization").replace("ise", "ize").replace("our", "or")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ss"):
        return w
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def subject_key(subject: str | None) -> str | None:
    """The head noun of a subject: "Riverside Coalition for Clean Water" -> "coalition"."""
    if not subject:
        return None
    words = subject.split()
    for i, w in enumerate(words):
        if i and w.lower() in {"of", "for", "on", "in", "to", "at", "de", "du", "des"}:
            words = words[:i]
            break
    return noun_key(words[-1].strip(".,")) if words else None


@lru_cache(maxsize=8192)
def _word_value(phrase: str) -> float | None:
    phrase = re.sub(r"\s+", " ", phrase.lower().replace("-", " ")).strip()
    if phrase == "a dozen" or phrase == "dozen":
        return 12.0
    if phrase.endswith(" dozen"):
        lead = _word_value(phrase[: -len(" dozen")])
        return None if lead is None else lead * 12
    try:
        return float(text2num(phrase, "en"))
    except (ValueError, KeyError):
        converted = alpha2digit(phrase, "en", threshold=0)
        digits = re.fullmatch(r"\d+(?:\.\d+)?", converted.replace(" ", ""))
        return float(digits.group()) if digits else None


def _number(num: str, scale: str | None) -> float | None:
    frac = re.fullmatch(r"(?:(\d+)[ -])?(\d)/(\d{1,2})", num)
    if frac:
        return float(frac.group(1) or 0) + int(frac.group(2)) / int(frac.group(3))
    if re.match(r"\d", num):
        value = float(num.replace(",", ""))
    else:
        value = _word_value(num)
        if value is None:
            return None
    if scale:
        value *= {"bn": 1e9, "mn": 1e6, "m": 1e6}.get(scale.lower(), SCALES.get(scale.lower(), 1))
    return value


def interval(value: float, hedge: str | None, integral: bool = True) -> tuple[float, float]:
    """The interval a hedged number stands for: "at least 9" -> [9, inf], "about 60" -> [54, 66]."""
    step = 1.0 if integral and float(value).is_integer() else 0.0
    kind = dict(HEDGES).get(hedge.lower()) if hedge else None
    if kind == "min":
        return value, math.inf
    if kind == "over":
        return value + step, math.inf
    if kind == "under":
        return round(value * 0.9, 6), value
    if kind == "approx":
        return round(value * 0.9, 6), round(value * 1.1, 6)
    if kind == "max":
        return 0.0, value
    if kind == "below":
        return 0.0, value - step
    return value, value


def _vague(phrase: str) -> tuple[float, float]:
    words = phrase.lower().split()
    scale = {"dozens": 12, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
             "billions": 1_000_000_000}
    if len(words) == 3:
        lead = {"tens": 10, "hundreds": 100, "dozens": 12}[words[0]]
        base = lead * scale[words[2]]
        return float(base), float(base * 10 - 1) if words[0] != "dozens" else float(base * 12)
    base = scale[words[0]]
    return float(base * 2 if words[0] == "dozens" else base), float(base * 10 - 1 if words[0] != "dozens" else 143)


IRREGULAR_PLURALS = frozenset("people children men women persons".split())


def _plural(word: str) -> bool:
    """A plural head noun by its form: "people", "routes" (not "bus", "status", "analysis")."""
    low = word.lower()
    return low in IRREGULAR_PLURALS or (len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")))


def _noun_phrase(text: str, pos: int) -> tuple[str, int, int]:
    """The counted noun phrase after a number: up to five words, stopping at function words."""
    words: list[tuple[str, int, int]] = []
    for m in re.finditer(r"[ \t]*([A-Za-z\u00c0-\u024f][\w'-]*)", text[pos:pos + 120]):
        word = m.group(1)
        start, end = pos + m.start(1), pos + m.end(1)
        gap = text[(words[-1][2] if words else pos):start]
        if gap.strip() or "\n" in gap:
            break
        low = word.lower()
        if low == "of" and words and words[-1][0][:1].isupper() and text[end + 1:end + 2].isupper():
            words.append((word, start, end))
            continue
        if low in NOUN_STOP or low in SCALES:
            break
        if (low.endswith(("ed", "ing")) or low in PAST_VERBS) and not word[:1].isupper() and words:
            break
        if words and _plural(words[-1][0]) and not word[:1].isupper() and not _plural(word):
            break  # "5,000 people remain": a verb after the plural head ("40 bus routes" runs on)
        words.append((word, start, end))
        if len(words) >= 5:
            break
    while words and words[-1][0].lower() in {"of", "and"}:
        words.pop()
    if not words:
        return "", pos, pos
    return text[words[0][1]:words[-1][2]], words[0][1], words[-1][2]


def _subject(text: str, sent_start: int, start: int) -> tuple[str | None, str | None, int | None]:
    """(subject text, subject head noun, normalised start) from the words before a count."""
    lo = sent_start
    if start - sent_start > SUBJECT_WINDOW:
        space = text.find(" ", start - SUBJECT_WINDOW, start)
        lo = start if space == -1 else space + 1
    before = text[lo:start]
    for pattern in (APPOSITIVE, RELATIVE):
        m = pattern.search(before)
        if m and m.group("entity"):
            entity = re.sub(r"^(?:The|A|An|In|Our|We|As|Its)\s+", "", m.group("entity"))
            if len(entity.split()) >= 2 or entity.isupper():
                offset = lo + m.start("entity") + (len(m.group("entity")) - len(entity))
                return entity, m.groupdict().get("noun") or subject_key(entity), offset
    m = OF_NOUN.search(before)
    if m and m.group("noun").lower() not in {"number", "total", "group", "range", "lot", "couple", "majority",
                                             "minimum", "maximum", "age", "sum"}:
        return m.group("noun"), m.group("noun"), lo + m.start()
    return None, None, None


# "1420 Hollis Ave.": a street number; "6 to 8 p.m.", "9:30 a.m.": a time of day (times are dates' business).
STREET_AFTER = re.compile(r"\s+(?:[A-Z][\w'-]*\s+){1,3}(?:" + "|".join(
    ("Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Drive", "Dr", "Lane", "Ln", "Way",
     "Highway", "Hwy", "Place", "Pl", "Court", "Ct", "Terrace", "Parkway", "Pkwy")) + r")\b")
CLOCK_AFTER = re.compile(r"(?:\s*(?:-|\u2013|to)\s*\d{1,2}(?::\d\d)?)?\s*(?:[ap]\.m\.|[ap]m\b|o'clock\b)",
                         re.IGNORECASE)


def _not_a_figure(ctx: Context, m: re.Match[str], num: str, wordy: bool, value: float) -> bool:
    """Numbers that name, order or point back rather than count: a decade ("1990s"), part of a name
    ("Group of Seven"), an identifier ("phase 2"), a ratio's base ("8 in 10"), "the two countries", a
    street number ("1420 Hollis Ave."), a time of day ("6 to 8 p.m.")."""
    text, start, end = ctx.text, m.start(), m.end()
    before = text[max(0, start - 30):start]
    if re.fullmatch(r"\d{2,4}", num) and re.match(r"['\u2019]?s\b|['\u2019]?s-", text[end:end + 3]):
        return True
    if wordy and num[:1].isupper():
        sent = ctx.sentence_at(start)
        if sent is not None and text[sent.start:start].strip():
            return True
    if not m.group("cur") and IDENT_NOUNS.search(before):
        return True
    if RATIO_BEFORE.search(before) or (not m.group("pct") and not m.group("cur") and not m.group("scale")
                                       and RATIO_AFTER.match(text[end:end + 20])):
        return True
    if wordy and value <= 10 and REFER_BACK.search(before) and text[end:end + 1] != "-":
        return True
    if not wordy and not m.group("cur") and not m.group("pct") and (STREET_AFTER.match(text, end)
                                                                    or CLOCK_AFTER.match(text, end)):
        return True
    return value == 0 and bool(m.group("scale"))


def extract(ctx: Context, aliases: Aliases) -> None:
    """Add a count claim for each number that is not part of a date, an id or an ordinal."""
    text = ctx.text
    for m in VAGUE.finditer(text):
        if ctx.is_taken(m.start(), m.end()):
            continue
        low, high = _vague(m.group("v"))
        noun, _, nend = _noun_phrase(text, m.end())
        _emit(ctx, m.start(), m.end("v"), nend, low, high, None, noun, None, "vague")
    for m in FRACTION.finditer(text):
        if not ctx.is_taken(m.start(), m.end()):
            _number_claim(ctx, m, fraction=True)
    for m in NUMBER.finditer(text):
        if not ctx.is_taken(m.start(), m.end()):
            _number_claim(ctx, m)


def _number_claim(ctx: Context, m: re.Match[str], *, fraction: bool = False) -> None:
    """A count claim for one number match (NUMBER, or FRACTION when `fraction`)."""
    text = ctx.text
    start, end = m.start(), m.end()
    groups = m.groupdict()
    num = groups["num"]
    wordy = not re.match(r"\d", num)
    value = _number(num, groups.get("scale"))
    if value is None:
        return
    after = text[end:end + 40]
    if wordy and re.match(r"\s+of\s+(?:the|our|its|their|his|her|them|us|those|these|few|many)\b", after):
        return
    if wordy and num.lower() in {"one", "a dozen"} and re.match(r"\s*(?:[.,;:!?\"')]|$|another\b|and\b)", after):
        return
    if not fraction and _not_a_figure(ctx, m, num, wordy, value):
        return
    plain = not groups.get("cur") and not groups.get("pct")
    if plain and not fraction and _names_something(ctx, m.start("num")):
        return
    unit = "%" if groups.get("pct") else (CURRENCY.get(groups["cur"], groups["cur"]) if groups.get("cur") else None)
    high_value = None
    rng = RANGE.match(text[end:end + 40]) if not groups.get("pct") else None
    if rng:
        high_value = _number(rng.group("num"), None)
        if high_value is not None and high_value > value:
            end += rng.end()
            pct = re.match(r"\s*(?:%|percent\b|per\s+cent\b)", text[end:end + 12])
            if pct:
                unit, end = "%", end + pct.end()
    factor = 1.0
    points = POINTS.match(text[end:end + 30]) if unit in (None, "%") else None
    if points:
        unit, end = "pp", end + points.end()
        factor = 0.01 if (points.group("kind") or "").lower() == "basis" or points.group("bps") else 1.0
    if plain and unit is None:
        pct = re.match(r"\s*(?:%|percent\b|per\s+cent\b)", text[end:end + 12]) if fraction else None
        if pct:
            unit, end = "%", end + pct.end()
        else:
            unit, end = _currency_word(text, end, bool(groups.get("scale")) or _scaled(m))
    measure = None
    if text[end:end + 1] == "-" and re.match(r"-[a-z]", text[end:end + 2]) and num.lower() != "one":
        unit_word = re.match(r"-(?P<w>[a-z]+)", text[end:end + 30])
        measure = unit_word.group("w") if unit_word else None
    if measure and re.fullmatch(r"(?:quarter|third|half|halve|fifth|tenth)s?", measure):
        return
    if measure:
        of, _, nend = _noun_phrase(text, end + 1 + len(measure))
        noun, nend = measure, max(nend, end + 1 + len(measure))
    else:
        of = None
        noun, _, nend = _noun_phrase(text, end)
    if wordy and not noun and not unit and high_value is None:
        return
    hedge_m = _HEDGE.search(text[max(0, start - 25):start])
    hedge = hedge_m.group().strip() if hedge_m else None
    if hedge and hedge.lower() in {"over", "under", "some", "about", "around"} and not _hedge_ok(text, start, hedge):
        hedge = None
    if hedge and hedge.lower() in {"over", "under"} and TIME_UNIT.match(noun or measure or ""):
        hedge = None
    suffix = _SUFFIX_MIN.match(text[end:end + 12])
    if high_value is not None and high_value > value:
        low, high = value, high_value
    else:
        low, high = interval(value, hedge)
        if suffix:
            low, high, hedge = value, math.inf, suffix.group().strip()
    low, high, value = low * factor, high * factor, value * factor
    hstart = start - len(hedge_m.group()) + (len(hedge_m.group()) - len(hedge_m.group().lstrip())) \
        if hedge_m and hedge else start
    claim = _emit(ctx, hstart, end, nend, low, high, hedge, noun, unit, "fraction" if fraction else "number",
                  value=value)
    if claim is None:
        return
    if of:
        claim.detail["measure_of"] = of
    _keys(ctx, claim, hstart, end, nend, noun, unit)


def _keys(ctx: Context, claim: Any, start: int, end: int, nend: int, noun: str, unit: str | None) -> None:
    """What a count is of, where the counted noun does not say: money's purpose or source ("$X for
    roads", "roads will cost $X", "the pass rises from $X to $Y"), a percentage's following words ("32% more likely"), and the event
    of "N people were arrested" (matching "N arrests")."""
    text = ctx.text
    if unit and unit not in ("%", "pp"):
        m = PURPOSE_AFTER.match(text[max(end, nend):max(end, nend) + 80])
        if m:
            claim.detail["purpose"] = m.group("np")
            claim.detail["purpose_key"] = head_stem(m.group("np"))
        else:
            sent = ctx.sentence_at(start)
            b = COST_BEFORE.search(text[sent.start if sent else max(0, start - 80):start])
            np = b and (b.group("np") or b.group("np2") or b.group("np3") or b.group("np4"))
            if not np:  # "the 31-day pass rises from $70 to $80": the new price of the pass
                change = CHANGE_BEFORE.search(text[sent.start if sent else max(0, start - 80):start])
                np = change.group("np") if change else None
                if change and change.group("was"):
                    claim.detail["changed_from"] = change.group("was").rstrip(",")
            if np and np.lower() not in STOPWORDS:
                claim.detail["purpose"] = np
                claim.detail["purpose_key"] = head_stem(np)
    elif unit in ("%", "pp") and not noun:
        m = PERCENT_OF.match(text[end:end + 80])
        if m:
            claim.detail["percent_of"] = m.group("what")
    if noun:
        event = PASSIVE_EVENT.match(text[nend:nend + 40])
        if event:
            claim.detail["event_key"] = head_stem(event.group("verb"))


def _scaled(m: re.Match[str]) -> bool:
    """Whether a number match is written with a scale word ("2 million", "five billion", "3bn")."""
    scale = m.groupdict().get("scale")  # FRACTION has no scale group
    return bool(scale) or any(w in m.group("num").lower() for w in ("million", "billion", "trillion"))


def _currency_word(text: str, end: int, scaled: bool) -> tuple[str | None, int]:
    """(unit, end) of a currency name right after a number; "pounds" is money only when scaled, not "of" a thing."""
    m = CURRENCY_WORD.match(text, end)
    if m is None:
        return None, end
    word = m.group("word").lower()
    if word in ("pound", "pounds") and (not scaled or re.match(r"\s+of\b", text[m.end():m.end() + 5])):
        return None, end
    return CURRENCY_WORDS[word], m.end()


def _names_something(ctx: Context, start: int) -> bool:
    """Whether the number at `start` follows a capitalised word inside a sentence: an id ("Quay 7", "Article 19")."""
    text = ctx.text
    m = _NAME_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return False
    word, wstart = m.group("word"), m.start("word")
    low = word.lower()
    if low in STOPWORDS or low in QUANTIFIERS or low in DATE_WORDS or low.endswith(("'s", "s'")):
        return False
    prev = text[:wstart].rstrip(" \t")[-1:]
    sent = ctx.sentence_at(wstart)
    return bool(prev) and prev not in _OPENERS and not (sent and not re.search(r"\w", text[sent.start:wstart]))


def _hedge_ok(text: str, start: int, hedge: str) -> bool:
    """Short hedge words are prepositions too ("over 10" vs "over the"): keep only right before a number."""
    return text[max(0, start - len(hedge) - 1):start].strip().lower() == hedge.lower()


def _emit(ctx: Context, start: int, num_end: int, noun_end: int, low: float, high: float,
          hedge: str | None, noun: str, unit: str | None, form: str, value: float | None = None) -> Any:
    sent = ctx.sentence_at(start)
    sent_start = sent.start if sent else start
    subject, head, subj_start = _subject(ctx.text, sent_start, start)
    end = max(num_end, noun_end)
    phrase_start = subj_start if subj_start is not None else start
    claim = ctx.make("count", start, end, {
        "low": low, "high": None if math.isinf(high) else high, "unit": unit,
        "value": value if value is not None else low, "hedge": hedge,
    }, noun=noun, noun_key=noun_key(noun.split()[-1]) if noun else None, subject=subject,
        subject_key=noun_key(head) if head else None, form=form)
    if claim is None:
        return None
    ctx.taken.add(start, end)
    phrase = claim.detail["phrase"] = ctx.evidence(phrase_start, end)
    if phrase["text"] == claim.text:
        phrase["text"] = claim.text
    return claim
