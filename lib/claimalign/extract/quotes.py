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
from .speakers import Attribution, Speakers

__all__ = ["extract", "quote_spans"]

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


def _title_case(content: str) -> bool:
    """A name of a work or a show ("Morning Joe"), not speech: most words capitalised, no sentence inside."""
    words = re.findall(r"[A-Za-z][\w'\u2019-]*", content)
    body = re.sub(r"\.\s?\.\s?\.|\u2026", " ", content).rstrip().rstrip(".,")
    if len(words) < 2 or re.search(r"[.!?,;]", body) or len(words) > 10:
        return False
    return sum(w[:1].isupper() for w in words) / len(words) >= 0.6


def _named_work(text: str, start: int) -> bool:
    """A short quotation right after a possessive or "on"/"in" a medium ("told MSNBC's "Morning Joe"")."""
    return bool(re.search(r"(?:['\u2019]s|\b(?:on|in|the|film|show|book|programme|program|series|song|album))\s+\W?$",
                          text[max(0, start - 30):start - 1]))


def _roles(ctx: Context) -> dict[str, dict[str, object]]:
    """The role and organization of each name, from its first mention that gives a role."""
    out: dict[str, dict[str, object]] = {}
    for claim in ctx.claims:
        if claim.kind == "mention" and claim.detail.get("role"):
            out.setdefault(claim.detail.get("name"), {"speaker_role": claim.detail.get("role"),
                                                      "speaker_org": claim.detail.get("org")})
    return out


def extract(ctx: Context, aliases: Aliases) -> None:
    """Add a quote claim per quoted span; speech gets a speaker where the text names one (speakers)."""
    doubles = quote_spans(ctx.text)
    spans = [(a, b, "double") for a, b in doubles] + [(a, b, "single") for a, b in _single_spans(ctx)]
    speakers = Speakers(ctx, doubles)
    roles = _roles(ctx)
    previous: Attribution | None = None
    previous_end = -1
    for start, end, style in sorted(spans):
        content = ctx.text[start:end]
        words = len(re.findall(r"\w+", content))
        if words == 0:
            continue
        found = speakers.attribute(start, end, previous, previous_end) if style == "double" else Attribution(None)
        line_end = ctx.view.newline_after(start)
        line = ctx.text[ctx.view.newline_before(start) + 1:line_end if line_end != -1 else len(ctx.text)]
        if style == "single":
            role = "headline" if line.strip(" '\"") == content.strip() else "scare"
        elif _title_case(content) and (found.how not in ("cue", "according", "trailing", "turn")
                                       or _named_work(ctx.text, start)):
            role = "title"
        elif found.speaker is None and found.description is None and words <= 3:
            role = "scare"
        else:
            role = "speech"
        claim: Claim | None = ctx.make("quote", start, end, content.strip(), style=style, role=role,
                                       speaker=found.speaker, speaker_description=found.description,
                                       speaker_as_written=found.as_written,
                                       verb=found.verb, attribution=found.how, words=words,
                                       **(roles.get(found.speaker, {}) if found.speaker else {}))
        if style == "double":
            previous, previous_end = found, end + 1
            speakers.note_speaker(end, found.speaker)
        del claim
