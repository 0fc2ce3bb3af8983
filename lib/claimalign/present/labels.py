"""Human wording for the pages: finding types, severities, statuses and documents as an editor reads them.

Finding types come from the rule registry (`REGISTRY.types`), so a newly registered type is shown
with its own label and legend without a change here. Documents are named by outlet and date, with
the id kept for hover text; each document keeps one colour in every chart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..corpus import Corpus, Document
from ..rules import REGISTRY, SEVERITIES

__all__ = ["SEVERITY_LABELS", "STATUS_LABELS", "PALETTE", "TypeLabel", "type_label", "type_legend",
           "severity_label", "status_label", "doc_label", "doc_labels", "doc_colors", "human_date",
           "severities_from", "RELATION_LABELS", "RELATION_COLORS", "REUSE_LABELS"]

SEVERITY_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}
STATUS_LABELS = {"needs_review": "Needs review", "confirmed": "Confirmed", "explained": "Explained",
                 "false_positive": "False positive"}
# Okabe & Ito's colour-blind-safe qualitative palette (yellow left out: it reads badly on white).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999")
TITLE_WORDS = 6
# How a report sentence relates to its source, with colours from the same palette (orange, blue,
# bluish green: told apart by every common form of colour blindness); "new" words are grey.
RELATION_LABELS = {"verbatim": "Verbatim", "paraphrase": "Paraphrase", "related": "Related"}
RELATION_COLORS = {"verbatim": "#E69F00", "paraphrase": "#56B4E9", "related": "#009E73", "new": "#BBBBBB"}
REUSE_LABELS = {"verbatim": "verbatim from the primary", "paraphrase": "paraphrased from it", "new": "new"}


@dataclass(frozen=True)
class TypeLabel:
    """A finding type as the legend shows it: name, label, one-line legend and severity rule."""

    name: str
    label: str
    legend: str
    severity: str


def type_label(name: str) -> str:
    """The registered label of a finding type ("Count conflict"); an unknown type reads as words."""
    known = REGISTRY.types.get(name)
    return known.label if known else str(name).replace("_", " ").capitalize()


def type_legend(names: Any = None) -> list[TypeLabel]:
    """Every registered type (or those in `names`, registry order first) with its label and legend."""
    wanted = None if names is None else list(dict.fromkeys(names))
    out = [TypeLabel(t.name, t.label, t.legend, t.severity) for t in REGISTRY.types.values()
           if wanted is None or t.name in wanted]
    out += [TypeLabel(n, type_label(n), "", "") for n in (wanted or []) if n not in REGISTRY.types]
    return out


def severity_label(severity: str) -> str:
    """"High", "Medium" or "Low"."""
    return SEVERITY_LABELS.get(severity, str(severity).capitalize())


def status_label(status: str) -> str:
    """A review status in words: "Needs review", "False positive", …"""
    return STATUS_LABELS.get(status, str(status).replace("_", " ").capitalize())


def severities_from(min_severity: str) -> tuple[str, ...]:
    """The severities shown when the lowest one listed is `min_severity` (high → only high)."""
    if min_severity not in SEVERITIES:
        raise ValueError(f"min_severity must be one of {', '.join(SEVERITIES)}, not {min_severity!r}")
    return SEVERITIES[: SEVERITIES.index(min_severity) + 1]


def human_date(iso: str | None, *, year: bool = True) -> str:
    """A date as people write it: "13 Jan 2026", "Jan 2026", "2026"; empty when unknown.

    `year=False` leaves the year out, for a date whose year the text did not give ("12 Jan").
    """
    if not iso:
        return ""
    parts = str(iso).split("-")
    try:
        if len(parts) == 3 and parts[0]:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")
        if len(parts) == 2:
            month = dt.date(int(parts[0]), int(parts[1]), 1)
            return f"{month:%b}" + (f" {month.year}" if year else "")
    except ValueError:
        return str(iso)
    return str(iso)


def _name(doc: Document) -> str:
    for key in ("outlet", "title", "author"):
        value = " ".join(str(doc.meta.get(key) or "").split())
        if value and key == "outlet":
            return value
        if value:
            words = value.split()
            return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    return doc.id


def doc_label(doc: Document) -> str:
    """A document by outlet (else title, author, id) and date: "Valley Courier, 4 Mar 2025"."""
    date = doc.date.iso() if doc.date else ""
    return ", ".join(p for p in (_name(doc), human_date(date)) if p)


def doc_labels(corpus: Corpus) -> dict[str, str]:
    """Every document's label, by id; two documents that would read alike get their ids added."""
    labels = {d.id: doc_label(d) for d in corpus}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {i: (f"{label} ({i})" if seen[label] > 1 else label) for i, label in labels.items()}


def doc_colors(corpus: Corpus) -> dict[str, str]:
    """One colour per document id, in manifest order, from the colour-blind-safe palette."""
    return {d.id: PALETTE[i % len(PALETTE)] for i, d in enumerate(corpus)}

