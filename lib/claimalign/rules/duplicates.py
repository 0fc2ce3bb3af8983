"""Duplicated passages: a run of sentences a document prints twice."""
from __future__ import annotations

import re
from typing import Iterator

from ..segment import sentences
from ..settings import Params
from ..values import Span
from .base import FindingType, Rule
from .context import RuleContext
from .finding import Finding

__all__ = ["RULE"]

DUPLICATE = FindingType(
    "duplicate_passage", "Duplicated passage", "Passage copied from another text",
    "A document repeats a run of sentences word for word.", "low")


def duplicate_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """duplicate_passage: a run of sentences (8 words or more each) that a document repeats."""
    for doc in ctx.corpus:
        seen: dict[str, int] = {}
        spans: list[tuple[int, int]] = []
        pairs: list[tuple[int, int]] = []
        for view in doc.norm.views():
            for s in sentences(view):
                words = re.findall(r"\w+", s.text.casefold())
                spans.append(view.raw_span(s.start, s.end))
                key = " ".join(words)
                if len(words) < params.min_words:
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
            found = [Span.of(doc.id, doc.raw, *spans[i]) for pair in run for i in pair]
            yield Finding("duplicate_passage", " ".join(found[0].text.split())[:80], [doc.id], {doc.id: 2},
                          params.severity, f"{doc.id} repeats a passage of {len(run)} sentence"
                          f"{'s' if len(run) > 1 else ''} word for word.", found, detail={"sentences": len(run)})


RULE = Rule(
    "duplicates", duplicate_findings, (DUPLICATE,),
    settings={
        "min_words": (8, "shortest sentence counted as a repeated passage"),
        "severity": ("low", "severity of a duplicated passage"),
    })
