"""List claims: enumerations with their items and item count.

Three forms: a series introduced by "the following ...:", a semicolon series, and bullet lines.
"""
from __future__ import annotations

import re

from ..aliases import Aliases
from .claim import Context

__all__ = ["extract"]

FULL_STOP = re.compile(r"\.(?:\s|$)")
FOLLOWING = re.compile(r"\bthe\s+following\b[^:\n]{0,200}:[ \t]*", re.IGNORECASE)
BULLET = re.compile(r"^[ \t]*(?:[-*\u2022\u25aa\u25cf]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
INTRO_END = re.compile(r"(?:\bincluding(?:\s+of)?|\bsuch\s+as|\bnamely|:)\s*", re.IGNORECASE)


def _split(text: str, start: int, end: int, sep: str) -> list[tuple[int, int]]:
    items, pos = [], start
    for m in re.finditer(re.escape(sep) if sep != "," else r",(?![^()]*\))", text[start:end]):
        items.append((pos, start + m.start()))
        pos = start + m.end()
    items.append((pos, end))
    out = []
    for a, b in items:
        piece = text[a:b]
        lead = re.match(r"\s*(?:(?:and|or)\s+)?", piece)
        a += lead.end() if lead else 0
        b = a + len(text[a:b].rstrip(" .;,"))
        if b > a:
            out.append((a, b))
    return out


def _emit(ctx: Context, intro: tuple[int, int], items: list[tuple[int, int]], form: str) -> None:
    if len(items) < 2:
        return
    rs, re_ = ctx.view.raw_span(items[0][0], items[-1][1])
    if any(c.kind == "list" and c.start < re_ and rs < c.end for c in ctx.claims):
        return
    evidence = [ctx.evidence(a, b) for a, b in items]
    claim = ctx.make("list", intro[0], items[-1][1], len(items), form=form,
                     intro=ctx.text[intro[0]:intro[1]].strip(), items=evidence, item_count=len(items))
    if claim is not None:
        claim.detail["intro_span"] = ctx.evidence(*intro)


def extract(ctx: Context, aliases: Aliases) -> None:
    """Add a list claim for each enumeration of two or more items."""
    text = ctx.text
    for m in FOLLOWING.finditer(text):
        end = ctx.view.newline_after(m.end())
        end = len(text) if end == -1 else end
        sent_end = FULL_STOP.search(text, m.end(), end)
        end = sent_end.start() if sent_end else end
        sep = ";" if ";" in text[m.end():end] else ","
        intro_start = ctx.view.newline_before(m.start()) + 1
        sent = ctx.sentence_at(m.start())
        if sent:
            intro_start = max(intro_start, sent.start)
        _emit(ctx, (intro_start, m.end()), _split(text, m.end(), end, sep), "following")
    for sent in ctx.sentences:
        body = text[sent.start:sent.end]
        if body.count(";") < 2:
            continue
        first = body.index(";")
        intro = None
        for im in INTRO_END.finditer(body, 0, first):
            intro = im
        if intro is None:
            continue
        start = sent.start + intro.end()
        _emit(ctx, (sent.start, start), _split(text, start, sent.end, ";"), "semicolon")
    _bullets(ctx)


def _bullets(ctx: Context) -> None:
    text = ctx.text
    run: list[tuple[int, int]] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for i, (a, b) in enumerate(lines + [(len(text), len(text))]):
        bullet = BULLET.match(text, a, b) if a < b else None
        contiguous = run and text[run[-1][1]:a] == "\n"
        if bullet and (not run or contiguous):
            run.append((a, b))
            continue
        if len(run) >= 2:
            prev = [ln for ln in lines if ln[1] < run[0][0]]
            intro = prev[-1] if prev else (run[0][0], run[0][0])
            items = [(BULLET.match(text, x, y).end(), y) for x, y in run]  # type: ignore[union-attr]
            items = [(x, x + len(text[x:y].rstrip(" .;,"))) for x, y in items]
            _emit(ctx, intro, items, "bullets")
        run = [(a, b)] if bullet else []
