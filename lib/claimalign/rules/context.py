"""What every rule reads: the corpus, its claims, the alias table, the settings, and shared derived data."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

from ..aliases import Aliases
from ..corpus import Corpus, Document
from ..normalize import NormText
from ..extract.claim import Claim
from ..settings import Settings
from ..values import Span, SpanIndex

if TYPE_CHECKING:
    from ..sentalign import SentenceAlignment

__all__ = ["RuleContext", "Quoted", "evidence", "clause", "short_evidence", "norm_span", "folded",
           "SHORT_EVIDENCE_WORDS"]

SHORT_EVIDENCE_WORDS = 6
LONG_SENTENCE = 1000  # characters; evidence from a longer sentence is the words around the claim


class Quoted:
    """Which claims sit inside a quotation (they are a speaker's words, not the outlet's)."""

    def __init__(self, claims: list[Claim]):
        self.spans: dict[str, SpanIndex] = defaultdict(SpanIndex)
        for c in claims:
            if c.kind == "quote":
                self.spans[c.doc].add(c.start, c.end)

    def __contains__(self, claim: Claim) -> bool:
        index = self.spans.get(claim.doc)
        return index is not None and index.covers(claim.start, claim.end)


@dataclass
class RuleContext:
    """One run's inputs; derived data is computed once, on first use, and shared by the rules."""

    corpus: Corpus
    claims: list[Claim]
    aliases: Aliases
    settings: Settings = field(default_factory=Settings)
    alignment_job: Callable[[], list[SentenceAlignment]] | None = None  # from sentalign.start_alignment

    @cached_property
    def by_kind(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = defaultdict(list)
        for c in self.claims:
            out[c.kind].append(c)
        return out

    def of(self, kind: str, doc: str | None = None) -> list[Claim]:
        """The claims of one kind (of one document when `doc` is given), in corpus order."""
        if doc is None:
            return self.by_kind.get(kind, [])
        return self.by_doc_kind.get((doc, kind), [])

    @cached_property
    def by_doc_kind(self) -> dict[tuple[str, str], list[Claim]]:
        out: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for c in self.claims:
            out[(c.doc, c.kind)].append(c)
        return out

    @cached_property
    def alignments(self) -> list[SentenceAlignment]:
        """The corpus's sentence alignment, computed once per run and shared by the rules that read it."""
        if self.alignment_job is not None:
            return self.alignment_job()
        from ..sentalign import align_sentences

        return align_sentences(self.corpus, self.settings)

    @cached_property
    def quoted(self) -> Quoted:
        return Quoted(self.claims)

    @cached_property
    def order(self) -> dict[str, int]:
        """Manifest position of each document (primary first), for stable output order."""
        ids = [self.corpus.primary_id] + [d.id for d in self.corpus.documents if d.id != self.corpus.primary_id]
        return {d: i for i, d in enumerate(ids)}

    @property
    def primary(self) -> str:
        return self.corpus.primary_id

    @cached_property
    def entity_kinds(self) -> dict[str, str]:
        from .entities import entity_kinds

        return entity_kinds(self.claims, self.aliases)

    def folded(self, doc: Document) -> str:
        """A document's text folded for whole-word look-ups, cached on its normalised view."""
        return folded(doc)


def folded(doc: Document) -> str:
    """A document's text folded for whole-word look-ups ("Mr. Ruiz's" -> " mr ruiz s "), cached on its
    normalised view."""
    cached = doc.norm.__dict__.get("_folded")
    if cached is None:
        cached = doc.norm.__dict__["_folded"] = " " + _fold_words(doc.norm.text.casefold()) + " "
    return cached


NON_WORD = re.compile(r"\W+")


def _fold_words(text: str, chunk: int = 1 << 20) -> str:
    r"""`re.sub(r"\W+", " ", text)` a chunk at a time, each cut just after a run of non-word characters
    (the run stays whole), so a long text never has all its pieces in one list."""
    parts, pos = [], 0
    while pos < len(text):
        m = NON_WORD.search(text, min(pos + chunk, len(text)))
        end = m.end() if m else len(text)
        parts.append(NON_WORD.sub(" ", text[pos:end]))
        pos = end
    return "".join(parts)


def norm_span(claim: Claim, corpus: Corpus) -> tuple[NormText, int, int]:
    """The normalised view holding a claim and the claim's [start, end) in it."""
    doc = corpus[claim.doc]
    views = doc.norm.views()
    view = next((v for v in views if len(v.starts) and v.starts[0] <= claim.start <= v.ends[-1]), views[0])
    start = view.starts.position(claim.start)
    end = view.starts.position(claim.end, lo=start)
    return view, start, end


def evidence(claim: Claim, span: dict[str, Any] | None = None) -> Span:
    """A claim's own span, or a span of its document given as {start, end, text}."""
    if span is None:
        return Span(claim.doc, claim.start, claim.end, claim.text)
    return Span(claim.doc, int(span["start"]), int(span["end"]), str(span["text"]))


def clause(claim: Claim, corpus: Corpus) -> Span:
    """The comma/semicolon clause holding a claim, as raw evidence (a sentence at most)."""
    raw = corpus[claim.doc].raw
    ss, se = claim.sentence_start, claim.sentence_end
    if se - ss > LONG_SENTENCE:
        ss, se = _around(raw, claim, ss, se)
    left = max([raw.rfind(c, ss, claim.start) for c in ",;(\u2014"] + [ss - 1]) + 1
    rights = [i for i in (raw.find(c, claim.end, se) for c in ",;)\u2014") if i != -1]
    right = min(rights) if rights else se
    while left < claim.start and raw[left].isspace():
        left += 1
    if len(raw[left:right].split()) < 4:
        left, right = ss, se
    return Span.of(claim.doc, raw, left, right)


def _around(raw: str, claim: Claim, ss: int, se: int) -> tuple[int, int]:
    """The words within a few hundred characters of a claim, for evidence from an over-long sentence."""
    reach = LONG_SENTENCE // 4
    left, right = max(ss, claim.start - reach), min(se, claim.end + reach)
    if left > ss:
        space = raw.find(" ", left, claim.start)
        left = space + 1 if space != -1 else claim.start
    if right < se:
        space = raw.rfind(" ", claim.end, right)
        right = space if space != -1 else claim.end
    return left, right


def short_evidence(claim: Claim, corpus: Corpus) -> Span:
    """A claim's phrase as evidence, or its clause when the phrase is too short to read alone."""
    phrase = claim.detail.get("phrase")
    span = evidence(claim, phrase)
    return span if len(span.text.split()) >= SHORT_EVIDENCE_WORDS else clause(claim, corpus)
