"""The primary beside one report, each finding's passages marked and numbered alike on both sides.

Marks may overlap (a quote inside a counted sentence): the text is cut at every mark's edges and
each piece is marked with every finding that covers it, so no mark is dropped.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable

import pandas as pd

from ..corpus import Corpus
from ..rules.finding import SEVERITIES
from .html import render
from .labels import doc_labels, severity_label, type_label
from .tables import at_least, ordered
from .views import FINDINGS_PAGE

__all__ = ["side_by_side", "segments", "Mark"]


@dataclass(frozen=True)
class Mark:
    """One evidence span to mark: where, which finding, its number in the panel, severity and hover text."""

    start: int
    end: int
    finding: str
    number: int
    severity: str
    title: str


def segments(raw: str, marks: Iterable[Mark]) -> list[dict[str, Any]]:
    """The text cut at every mark's edges: each piece with the findings covering it and the numbers
    of the marks that end there (shown after it)."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(raw)]
    cuts = sorted({0, len(raw), *(m.start for m in marks), *(m.end for m in marks)})
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    out = []
    for a, b in zip(cuts, cuts[1:]):
        cover = [m for m in marks if m.start <= a and m.end >= b]
        ending = sorted({m.number for m in marks if m.end == b})
        starting = sorted({m.start for m in cover if m.start == a})
        worst = min((m.severity for m in cover), key=lambda s: rank.get(s, len(rank)), default="")
        findings = list(dict.fromkeys(m.finding for m in cover))
        out.append({"text": raw[a:b], "findings": " ".join(findings), "multi": len(findings) > 1,
                    "severity": worst, "title": "\n".join(dict.fromkeys(m.title for m in cover)),
                    "starts": " ".join(str(s) for s in starting), "sups": ",".join(str(n) for n in ending)})
    return out


def _panel(corpus: Corpus, records: list[dict[str, Any]], rid: str, labels: dict[str, str]) -> dict[str, Any]:
    primary = corpus.primary_id
    left: list[Mark] = []
    right: list[Mark] = []
    listed = []
    for f in records:
        sources = set(f["sources"])
        if rid not in sources and sources != {primary}:
            continue
        ours = [e for e in f["evidence"] if e["source"] == rid]
        theirs = [e for e in f["evidence"] if e["source"] == primary]
        if not ours and not theirs:
            continue
        n = len(listed) + 1
        label = type_label(f["type"])
        title = f"{n} · {label} ({severity_label(f['severity'])}): {f['subject']}"
        left += [Mark(e["start"], e["end"], f["id"], n, f["severity"], title) for e in theirs]
        right += [Mark(e["start"], e["end"], f["id"], n, f["severity"], title) for e in ours]
        listed.append({"n": n, "id": f["id"], "type": f["type"], "label": label, "severity": f["severity"],
                       "severity_label": severity_label(f["severity"]), "subject": f["subject"],
                       "sides": ("both" if ours and theirs else "report" if ours else "primary")})
    return {"id": rid, "label": labels[rid], "left": segments(corpus.primary.raw, left),
            "right": segments(corpus[rid].raw, right), "findings": listed}


def side_by_side(corpus: Corpus, findings: pd.DataFrame, report: str | None = None, *,
                 min_severity: str = "low") -> str:
    """HTML: the primary beside one report (a menu picks another), each finding's passages numbered alike.

    A report's panel marks the findings that involve it, and those of the primary alone.
    """
    findings = at_least(findings, min_severity)
    reports = [d.id for d in corpus.reports]
    if report and report not in reports:
        raise ValueError(f"report {report!r} is not a report of this corpus (reports: {', '.join(reports)})")
    chosen = report or (reports[0] if reports else None)
    uid = "ca-sbs-" + hashlib.sha1(f"{corpus.name}|{chosen}".encode("utf-8")).hexdigest()[:10]
    records = ordered(findings).to_dict("records") if len(findings) else []
    labels = doc_labels(corpus)
    panels = [_panel(corpus, records, rid, labels) for rid in reports]
    return str(render("ca_sidebyside.html.j2", uid=uid, chosen=chosen, panels=panels,
                      primary={"id": corpus.primary_id, "label": labels[corpus.primary_id]},
                      findings_page=FINDINGS_PAGE))
