"""The claim schema and the context every extractor receives."""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ..corpus import Document, PartialDate
from ..normalize import NormText
from ..segment import Segment, sentences
from ..values import SpanIndex

__all__ = ["Claim", "Context", "CLAIM_KINDS", "WORD", "STOPWORDS", "DATE_WORDS", "content_words", "stems",
           "stem", "head_stem", "words_before", "words_after", "led", "initials"]

CLAIM_KINDS = ("date", "count", "mention", "quote", "list")
WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['\-][A-Za-z0-9\u00c0-\u024f]+)*")
STOPWORDS = frozenset("""
a an the and or but nor so yet of in on at to for from by with without within into onto upon about
above below over under between among through during before after since until as than then that this
these those which who whom whose what when where why how is are was were be been being am do does did
have has had having will would shall should can could may might must it its it's they them their
there here he him his she her we us our you your i me my not no also too very more most such
only just both each all any some other another own same s said says say
""".split())
# Lower-case words that name a day, a month or a day relative to today.
NUMBER_WORDS = frozenset("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand
thousands million millions billion billions trillion dozen dozens half quarter
""".split())
SHARED_MOST = 64  # longest claim text looked up among the document's earlier ones (longer ones rarely repeat)
DATE_WORDS = frozenset({m.lower() for m in calendar.month_name if m} | {d.lower() for d in calendar.day_name}
                       | {"today", "yesterday", "tomorrow", "tonight"})


@dataclass(slots=True)
class Claim:
    """One extracted claim with its evidence: `raw[start:end] == text` in document `doc`."""

    doc: str
    kind: str
    start: int
    end: int
    text: str
    norm: str
    value: Any
    sentence: str
    sentence_start: int
    sentence_end: int
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """`doc:kind@start`, made when asked: a long report has a million claims and few are asked."""
        return f"{self.doc}:{self.kind}@{self.start}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the documented stable keys."""
        return {"doc": self.doc, "id": self.id, **asdict(self)}


def initials(*words: str) -> str:
    """The first characters of `words`, escaped for a regex character set."""
    return "".join(re.escape(c) for c in sorted({w[0] for w in words if w}))


def led(first: str, source: str, flags: int = 0) -> re.Pattern[str]:
    """`source` compiled behind a look-ahead for the characters (a regex set's content) a match can
    begin with: the engine then skips most positions of a long text at once instead of trying every
    alternative there. The matches are the same."""
    return re.compile(f"(?=[{first}])(?:{source})", flags)


def content_words(text: str) -> set[str]:
    """Lower-case words of a text that are not stopwords or numbers: a cheap context signature."""
    return set(_content_words(text))


@lru_cache(maxsize=32768)
def _content_words(text: str) -> frozenset[str]:
    """content_words, once per text: the claims of one sentence share it."""
    return frozenset(w for w in (m.group().lower() for m in WORD.finditer(text))
                     if w not in STOPWORDS and not any(ch.isdigit() for ch in w) and len(w) > 2)


def words_before(text: str, lo: int, hi: int, n: int) -> list[str]:
    """`text[lo:hi].split()[-n:]`, reading only as far back as the last n words need."""
    size = 16 * n
    while n > 0:
        a = max(lo, hi - size)
        parts = text[a:hi].split()
        if a == lo or len(parts) > n:
            return parts[-n:]
        size *= 4
    return text[lo:hi].split()[-n:]


def words_after(text: str, lo: int, hi: int, n: int) -> list[str]:
    """`text[lo:hi].split()[:n]`, reading only as far as the first n words need."""
    size = 16 * n
    while n > 0:
        b = min(hi, lo + size)
        parts = text[lo:b].split()
        if b == hi or len(parts) > n:
            return parts[:n]
        size *= 4
    return text[lo:hi].split()[:n]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """Snowball's English stemmer, from PyStemmer (compiled; the pure-Python snowballstemmer package
    gives the same stems but imports all its 34 languages to use one)."""
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's Snowball stem, British -is- spellings folded ("organisations" = "organizations")."""
    w = word.casefold().replace("isation", "ization").replace("ise", "ize")
    return _stemmer().stemWord(w)


def stems(text: str, *, drop: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Stems of a text's content words (not stopwords, numbers, number words or the words in `drop`)."""
    return {stem(w) for w in _content_words(text) if w not in drop and w not in NUMBER_WORDS}


def head_stem(phrase: str) -> str:
    """The stem of a noun phrase's last word: "the new flood gauges" -> "gaug"."""
    words = [w for w in WORD.findall(phrase) if w.lower() not in STOPWORDS]
    return stem(words[-1]) if words else ""


@dataclass
class Context:
    """What an extractor reads: one view of one document, its sentences, and shared state."""

    doc: Document
    view: NormText
    sentences: list[Segment]
    taken: SpanIndex = field(default_factory=SpanIndex)
    claims: list[Claim] = field(default_factory=list)
    pool: dict[str, str] = field(default_factory=dict)  # the document's short texts, each held once

    @classmethod
    def of(cls, doc: Document, view: NormText, pool: dict[str, str] | None = None) -> "Context":
        return cls(doc, view, sentences(view), pool=pool if pool is not None else {})

    @property
    def text(self) -> str:
        return self.view.text

    @property
    def doc_date(self) -> PartialDate | None:
        return self.doc.date

    def sentence_at(self, pos: int) -> Segment | None:
        """The sentence holding normalised offset `pos`."""
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self.__dict__["_starts"] = [s.start for s in self.sentences]
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < max(self.sentences[i].end, pos + 1):
            return self.sentences[i]
        return None

    def is_taken(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a span an earlier extractor claimed (e.g. a date)."""
        return self.taken.overlaps(start, end)

    def raw_piece(self, start: int, end: int) -> tuple[int, int, str]:
        """Raw span and raw text for normalised [start, end)."""
        rs, re_ = self.view.raw_span(start, end)
        return rs, re_, self.shared(self.doc.raw[rs:re_])

    def shared(self, text: str) -> str:
        """One string object for equal short texts of this document: a long report repeats its names,
        nouns and dates, and each claim kept its own copy."""
        return text if len(text) > SHARED_MOST else self.pool.setdefault(text, text)

    def _share_values(self, values: dict[str, Any]) -> None:
        for key, v in values.items():
            if type(v) is str:
                values[key] = self.shared(v)

    def make(self, kind: str, start: int, end: int, value: Any, **detail: Any) -> Claim | None:
        """Build a claim for normalised [start, end), or None on a boilerplate line."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end or self.view.is_boilerplate(start):
            return None
        rs, re_, raw = self.raw_piece(start, end)
        sent = self.sentence_at(start)
        if sent is None:
            sent = Segment(start, end, self.text[start:end], -1)
        spans = self.__dict__.setdefault("_sentence_spans", {})
        key = (sent.start, sent.end)
        ss, se = spans.get(key) or spans.setdefault(key, self.view.raw_span(sent.start, sent.end))
        norm = self.text[start:end]
        norm = raw if norm == raw else self.shared(norm)  # one string object where equal: a long text has many claims
        if isinstance(value, str):
            value = norm if value == norm else self.shared(value)
        elif type(value) is dict:
            self._share_values(value)
        self._share_values(detail)
        claim = Claim(self.doc.id, kind, rs, re_, raw,
                      norm, value, sent.text, ss, se, detail)
        self.claims.append(claim)
        return claim

    def evidence(self, start: int, end: int) -> dict[str, Any]:
        """An evidence span {start, end, text} in raw offsets for normalised [start, end)."""
        rs, re_, raw = self.raw_piece(start, end)
        return {"start": rs, "end": re_, "text": raw}
