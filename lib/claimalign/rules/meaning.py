"""Meaning: what changed between a report sentence and the source sentence it is aligned to.

Only pairs the sentence alignment calls verbatim or paraphrase (or scores at least `min_score`)
are compared, and a report sentence is left alone when it quotes (quotation marks: checked by the
quotation rules) or reports the words of someone who does not speak in the primary (a speech verb or
"according to" with no name of the primary's speakers: another person's view may differ from the
source and be reported rightly). Indirect speech of the primary's own speakers ("Ruiz said the road
will reopen") is the report's account of the source, and is compared. The comparison itself
(`shifts.compare`) reads the cue lists of data/cues.yaml.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Iterator

from ..cues import Cues, load_cues
from ..extract.people import TITLES
from ..extract.speakers import SPEECH_VERBS, turns
from ..sentalign import SentenceAlignment
from ..settings import Params
from ..values import Span
from .base import FindingType, Rule
from .context import RuleContext
from .finding import Finding
from .shifts import Shift, compare

__all__ = ["RULE"]

CONTRADICTION = FindingType(
    "contradiction", "Contradiction", "Contradicts the source",
    "A report sentence asserts the opposite of the source sentence it paraphrases.",
    "high for opposite words or a negation of the same word on a verbatim or paraphrase alignment with "
    "the primary, else medium")
OVERSTATEMENT = FindingType(
    "overstatement", "Overstatement", "Overstates the source",
    "A report states more certainty or causality than its source (a hedge dropped, a link made a cause).",
    "medium")
UNDERSTATEMENT = FindingType(
    "understatement", "Understatement", "Understates the source",
    "A report hedges what its source states firmly.", "low")
VAGUER = FindingType(
    "vaguer_claim", "Vaguer claim", "Vaguer than the source",
    "A precise figure, date or name of the source becomes a vague word in the report.", "low")
TYPES = (CONTRADICTION, OVERSTATEMENT, UNDERSTATEMENT, VAGUER)
ATTRIBUTED = re.compile(r"(?i)\b(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in SPEECH_VERBS)
                        + r"|according\s+to)\b")
QUOTE_MARKS = re.compile(r"[\"\u201c\u201d]")
EXPLAIN = {
    "contradiction": "says \u201c{r}\u201d where {src} says \u201c{s}\u201d",
    "overstatement": "states \u201c{r}\u201d where {src} says \u201c{s}\u201d ({how})",
    "understatement": "hedges with \u201c{r}\u201d where {src} states \u201c{s}\u201d",
    "vaguer_claim": "gives \u201c{r}\u201d where {src} gives \u201c{s}\u201d",
}


@lru_cache(maxsize=65536)
def _speech(text: str) -> tuple[bool, bool]:
    """Whether a sentence quotes (quotation marks), and whether it reports speech (a speech verb,
    "according to"); once per text, as wire copy repeats sentences."""
    return bool(QUOTE_MARKS.search(text)), bool(ATTRIBUTED.search(text))


def _attributed(ctx: RuleContext, span: Span, speakers: frozenset[str] = frozenset()) -> bool:
    """A sentence that quotes, or reports the words of someone other than the primary's speakers
    (`speakers`: their surnames, case folded), rather than asserting them itself."""
    quotes = ctx.quoted.spans.get(span.source)
    quoting, reporting = _speech(span.text)
    if quoting or (quotes is not None and quotes.overlaps(span.start, span.end)):
        return True
    return reporting and not (speakers and speakers & {w.casefold() for w in re.findall(r"[A-Z][\w'\u2019-]+",
                                                                                       span.text)})


def _primary_speakers(ctx: RuleContext) -> frozenset[str]:
    """Surnames of who speaks in the primary: its quotations' speakers, its transcript turns, its author."""
    names = [str(q.detail["speaker"]) for q in ctx.of("quote", ctx.primary) if q.detail.get("speaker")]
    names += [label for _, _, label in turns(ctx.corpus.primary.norm.text) if label != "Q"]
    author = ctx.corpus.primary.meta.get("author")
    if author and len(str(author).split()) <= 4:
        names.append(str(author))
    words = {w.strip(".,").casefold() for n in names for w in n.split()[-1:]}
    return frozenset(w for w in words if len(w) >= 3 and w not in TITLES)


def _cue(src: Span, at: tuple[int, int]) -> dict[str, object]:
    return {"source": src.source, "start": src.start + at[0], "end": src.start + at[1], "text": src.text[at[0]:at[1]]}


def meaning_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """contradiction, overstatement, understatement and vaguer_claim on aligned sentence pairs."""
    cues = load_cues(ctx.corpus.root)
    compared: dict[tuple[str, str], list[Shift]] = {}  # wire copy: one comparison per distinct pair of texts
    speakers = _primary_speakers(ctx)
    for a in ctx.alignments:
        if not a.sources or (a.relation not in ("verbatim", "paraphrase") and a.score < params.min_score):
            continue
        if len(a.report.text.split()) < params.min_words or len(a.report.text) > params.max_chars \
                or _attributed(ctx, a.report, speakers if a.source_kind == "primary" else frozenset()):
            continue
        for src in a.sources:
            if len(src.text) > params.max_chars or (a.source_kind == "report" and _attributed(ctx, src)):
                continue
            key = (a.report.text, src.text)
            if key not in compared:
                compared[key] = compare(a.report.text, src.text, cues)
            yield from _pair(ctx, params, compared[key], a, src)


def _pair(ctx: RuleContext, params: Params, found: list[Shift], a: SentenceAlignment, src: Span
          ) -> Iterator[Finding]:
    by_type: dict[str, list[Shift]] = defaultdict(list)
    for s in found:
        by_type[s.type].append(s)
    primary = src.source == ctx.primary
    for type_, shifts in by_type.items():
        first = shifts[0]
        if type_ == "contradiction":
            strong = first.strong and primary and a.relation in ("verbatim", "paraphrase")
            severity = params.severity_contradiction if strong else params.severity_other
        else:
            severity = getattr(params, f"severity_{type_}")
        what = "; ".join(EXPLAIN[type_].format(r=s.report_cue, s=s.source_cue, src=src.source, how=s.how)
                         for s in shifts)
        yield Finding(
            type_, f"\u201c{first.report_cue}\u201d for \u201c{first.source_cue}\u201d",
            [src.source, a.report.source],
            {src.source: [s.source_cue for s in shifts], a.report.source: [s.report_cue for s in shifts]},
            severity, f"{a.report.source} {what}.", [src, a.report], score=round(a.score * 100, 1),
            confidence=a.score,
            detail={"how": [s.how for s in shifts], "relation": a.relation, "source_kind": a.source_kind,
                    "cues": [{"report": _cue(a.report, s.report), "source": _cue(src, s.source)} for s in shifts]})


RULE = Rule(
    "meaning", meaning_findings, TYPES, needs=("quote",),
    settings={
        "min_words": (6, "shortest report sentence compared (headings and captions are shorter)"),
        "max_chars": (2000, "longest sentence compared, in characters (a text without full stops is one "
                            "huge sentence, and comparing two costs the square of their length)"),
        "min_score": (0.8, "alignment score from which a related pair is compared too (verbatim and paraphrase always are)"),
        "severity_contradiction": ("high", "severity of opposite words or a negation on a paraphrase of the primary"),
        "severity_other": ("medium", "severity of any other contradiction"),
        "severity_overstatement": ("medium", "severity of a report stating more certainty or causality than its source"),
        "severity_understatement": ("low", "severity of a report hedging what its source states"),
        "severity_vaguer_claim": ("low", "severity of a precise figure, date or name made vague"),
    })
