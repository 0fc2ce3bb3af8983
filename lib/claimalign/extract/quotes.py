"""Quote claims: quoted spans in every quote style, with the speaker where the text gives it.

Double quotes are speech or scare quotes; single curly quotes mark headlines and scare quotes
and are kept apart. A quote may run over sentences and paragraphs (a paragraph that opens with
a quote mark continues an unclosed quote). Speakers come from `X said`, `said X`, `X, role, said:`,
a following `..., Ruiz said in ...`, a sentence whose subject speaks, and pronouns that point to
the last named speaker; surnames resolve to the full name mentioned earlier.
"""
from __future__ import annotations

import re

from ..aliases import Aliases
from .claim import Claim, Context
from .mentions import split_title

__all__ = ["extract", "SPEECH_VERBS", "quote_spans"]

SPEECH_VERBS = (r"(?:said|says|say|wrote|writes|write|added|adds|noted|notes|told|tells|stated|states|"
                r"argued|argues|warned|warns|explained|explains|continued|urged|urges|asserted|asserts|"
                r"insisted|insists|emphasi[sz]ed|declared|declares|remarked|commented|recalled|acknowledged|"
                r"claimed|claims|observed|observes|announced|announces|highlighted|stressed|stresses|"
                r"concluded|replied|responded|pointed\s+out)")
_WHO = (r"(?P<who>(?:[A-Z][\w'-]*\.?\s+){0,3}[A-Z][\w'-]*|[Tt]he\s+(?:[a-z-]+\s+){0,2}[a-z-]+|"
        r"[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)")
AFTER_WHO_VERB = re.compile(rf"^[,.!?]?\s*{_WHO}\s+(?:also\s+)?(?P<verb>{SPEECH_VERBS})\b")
AFTER_VERB_WHO = re.compile(rf"^[,.!?]?\s*(?P<verb>{SPEECH_VERBS})\s+{_WHO}")
BEFORE = re.compile(rf"{_WHO}(?P<appos>,[^,\"]{{2,140}},)?\s+(?:also\s+)?(?P<verb>{SPEECH_VERBS})"
                    r"(?:\s+(?:that|in\s+a\s+[\w\s.]{0,40}?))?\s*[:,]?\s*$")
ACCORDING = re.compile(rf"according\s+to\s+{_WHO}", re.IGNORECASE)
PRONOUNS = {"he", "she", "they", "it", "we", "i"}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the content inside each pair of double quotes, across paragraphs."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in re.finditer('"', text):
        pos = m.start()
        if open_at is None:
            open_at = pos + 1
        elif (pos == 0 or text[pos - 1] == "\n") and "\n" in text[open_at:pos]:
            continue
        else:
            spans.append((open_at, pos))
            open_at = None
    return spans


def _single_spans(ctx: Context) -> list[tuple[int, int]]:
    text, raw, starts = ctx.text, ctx.doc.raw, ctx.view.starts
    out = []
    for m in re.finditer(r"'", text):
        i = m.start()
        if raw[starts[i]] != "\u2018":
            continue
        for j in range(i + 1, min(len(text), i + 200)):
            if text[j] == "\n":
                break
            if text[j] == "'" and raw[starts[j]] == "\u2019" and (j + 1 == len(text) or not text[j + 1].isalpha()):
                out.append((i + 1, j))
                break
    return out


def _resolve(who: str, ctx: Context, last: dict[str, str], at: int) -> str | None:
    word = who.strip()
    if word.lower() in {"he", "she"}:
        raw_at = ctx.view.raw_span(at, at + 1)[0]
        named = [c for c in ctx.claims if c.kind == "mention" and c.detail.get("type") == "person"
                 and c.start < raw_at]
        return str(named[-1].detail.get("name") or named[-1].value) if named else last.get("person")
    if word.lower() in PRONOUNS:
        return last.get("any")
    word = split_title(word)[1] or word
    if word[:1].islower() or word.lower().startswith("the "):
        return word[:1].lower() + word[1:]
    people = [c for c in ctx.claims if c.kind == "mention" and c.detail.get("type") in ("person", "name")]
    for claim in reversed(people):
        name = claim.detail.get("name") or claim.value
        if word == name or word in name.split():
            return str(name)
    return word


def _speaker_detail(name: str | None, ctx: Context) -> dict[str, object]:
    if not name:
        return {}
    for claim in ctx.claims:
        if claim.kind == "mention" and (claim.detail.get("name") == name) and claim.detail.get("role"):
            return {"speaker_role": claim.detail.get("role"), "speaker_org": claim.detail.get("org")}
    return {}


def _attribute(ctx: Context, start: int, end: int) -> tuple[str | None, str | None]:
    """(speaker as written, verb) from the text around the quote at [start, end)."""
    text = ctx.text
    after = text[end + 1:end + 160].split("\n")[0]
    for pattern in (AFTER_WHO_VERB, AFTER_VERB_WHO):
        m = pattern.match(after)
        if m:
            return m.group("who"), m.group("verb")
    sent = ctx.sentence_at(max(0, start - 1))
    line_start = text.rfind("\n", 0, start - 1) + 1
    sent_start = max(sent.start if sent else line_start, line_start)
    before = text[sent_start:max(sent_start, start - 1)]
    m = BEFORE.search(before)
    if m:
        return m.group("who"), m.group("verb")
    m = re.match(rf"^(?:Meanwhile,\s+|However,\s+|But\s+|And\s+)?{_WHO}(?:,[^\"]{{2,140}}?,)?\s+(?:also\s+)?"
                 rf"(?P<verb>{SPEECH_VERBS}|insists|insisted|urged|argued)\b", before)
    if m:
        return m.group("who"), m.group("verb")
    m = ACCORDING.search(before)
    if m:
        return m.group("who"), "according to"
    return None, None


def extract(ctx: Context, aliases: Aliases) -> None:
    """Add a quote claim per quoted span; speech gets a speaker where the text names one."""
    last: dict[str, str] = {}
    spans = [(a, b, "double") for a, b in quote_spans(ctx.text)] + \
            [(a, b, "single") for a, b in _single_spans(ctx)]
    previous: tuple[int, str | None, str | None] = (-1, None, None)
    for start, end, style in sorted(spans):
        content = ctx.text[start:end]
        words = len(re.findall(r"\w+", content))
        if words == 0:
            continue
        who, verb = _attribute(ctx, start, end)
        speaker = _resolve(who, ctx, last, start) if who else None
        gap = ctx.text[previous[0]:start] if previous[0] >= 0 else "\n"
        if who is None and style == "double" and previous[1] and "\n" not in gap and len(gap) < 200:
            speaker, who, verb = previous[1], "(continued)", previous[2]
        line = ctx.text[ctx.text.rfind("\n", 0, start) + 1:]
        line = line.split("\n")[0]
        if style == "single":
            role = "headline" if line.strip(" '\"") == content.strip() else "scare"
        elif speaker is None and words <= 3:
            role = "scare"
        else:
            role = "speech"
        claim: Claim | None = ctx.make("quote", start, end, content.strip(), style=style, role=role,
                                       speaker=speaker, speaker_as_written=who, verb=verb, words=words,
                                       **_speaker_detail(speaker, ctx))
        if style == "double":
            previous = (end + 1, speaker, verb)
        if claim is not None and speaker:
            last["any"] = speaker
            if speaker[:1].isupper():
                last["person"] = speaker
