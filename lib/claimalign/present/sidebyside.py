"""The primary beside one report, each finding's passages marked and numbered alike on both sides,
and every aligned passage underlined by its relation (verbatim, paraphrase, related).

Marks may overlap (a quote inside a counted sentence): the text is cut at every mark's and every
aligned passage's edges and each piece is marked with every finding that covers it, so no mark is
dropped. An aligned passage carries the keys of its alignments; its partner on the other side
carries the same keys, so a click on one lights the other.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import pandas as pd

from ..corpus import Corpus
from ..rules.finding import SEVERITIES
from ..sentalign import SentenceAlignment, align_sentences
from .html import render
from .labels import RELATION_COLORS, RELATION_LABELS, doc_labels, severity_label, type_label
from .tables import at_least, ordered
from .views import FINDINGS_PAGE

__all__ = ["side_by_side", "segments", "Mark", "Aligned"]

RELATION_RANK = {"verbatim": 0, "paraphrase": 1, "related": 2}


@dataclass(frozen=True)
class Mark:
    """One evidence span to mark: where, which finding, its number in the panel, severity and hover text."""

    start: int
    end: int
    finding: str
    number: int
    severity: str
    title: str


@dataclass(frozen=True)
class Aligned:
    """One side of a sentence alignment to underline: where, the alignment's key, relation and hover text."""

    start: int
    end: int
    key: str
    relation: str
    title: str


def segments(raw: str, marks: Iterable[Mark], aligned: Iterable[Aligned] = ()) -> list[dict[str, Any]]:
    """The text cut at every mark's and aligned passage's edges: each piece with the findings covering
    it, the numbers of the marks that end there (shown after it), and the alignments covering it
    (keys, and the strongest relation)."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(raw)]
    aligned = [a for a in aligned if 0 <= a.start < a.end <= len(raw)]
    cuts = sorted({0, len(raw), *(m.start for m in marks), *(m.end for m in marks),
                   *(a.start for a in aligned), *(a.end for a in aligned)})
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    out = []
    for a, b in zip(cuts, cuts[1:]):
        cover = [m for m in marks if m.start <= a and m.end >= b]
        ending = sorted({m.number for m in marks if m.end == b})
        starting = sorted({m.start for m in cover if m.start == a})
        worst = min((m.severity for m in cover), key=lambda s: rank.get(s, len(rank)), default="")
        findings = list(dict.fromkeys(m.finding for m in cover))
        over = sorted((x for x in aligned if x.start <= a and x.end >= b), key=lambda x: RELATION_RANK[x.relation])
        out.append({"text": raw[a:b], "findings": " ".join(findings), "multi": len(findings) > 1,
                    "align": " ".join(x.key for x in over), "relation": over[0].relation if over else "",
                    "align_title": "\n".join(dict.fromkeys(x.title for x in over)),
                    "severity": worst, "title": "\n".join(dict.fromkeys(m.title for m in cover)),
                    "starts": " ".join(str(s) for s in starting), "sups": ",".join(str(n) for n in ending)})
    return out


def _aligned(alignments: Sequence[SentenceAlignment], rid: str, primary: str) -> tuple[list[Aligned], list[Aligned]]:
    """The underlines of one pair: the report's aligned sentences and their primary partners."""
    left: list[Aligned] = []
    right: list[Aligned] = []
    for n, a in enumerate(x for x in alignments if x.report.source == rid and x.source_kind == "primary"
                          and x.relation in RELATION_RANK):
        key = f"a{n + 1}"
        label = RELATION_LABELS[a.relation]
        right.append(Aligned(a.report.start, a.report.end, key, a.relation,
                             f"{label} of the primary (score {a.score:.2f}): click to see its source"))
        left += [Aligned(s.start, s.end, key, a.relation, f"{label} in the report: click to see it")
                 for s in a.sources if s.source == primary]
    return left, right


def _panel(corpus: Corpus, records: list[dict[str, Any]], rid: str, labels: dict[str, str],
           alignments: Sequence[SentenceAlignment] = ()) -> dict[str, Any]:
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
    a_left, a_right = _aligned(alignments, rid, primary)
    return {"id": rid, "label": labels[rid], "left": segments(corpus.primary.raw, left, a_left),
            "right": segments(corpus[rid].raw, right, a_right), "findings": listed,
            "aligned": len(a_right)}


def side_by_side(corpus: Corpus, findings: pd.DataFrame, report: str | None = None, *,
                 min_severity: str = "low", alignments: Sequence[SentenceAlignment] | None = None) -> str:
    """HTML: the primary beside one report (a menu picks another), each finding's passages numbered alike.

    A report's panel marks the findings that involve it, and those of the primary alone, and
    underlines every sentence aligned with the primary (`alignments`; computed when not given).
    """
    if alignments is None:
        alignments = align_sentences(corpus)
    findings = at_least(findings, min_severity)
    reports = [d.id for d in corpus.reports]
    if report and report not in reports:
        raise ValueError(f"report {report!r} is not a report of this corpus (reports: {', '.join(reports)})")
    chosen = report or (reports[0] if reports else None)
    uid = "ca-sbs-" + hashlib.sha1(f"{corpus.name}|{chosen}".encode("utf-8")).hexdigest()[:10]
    records = ordered(findings).to_dict("records") if len(findings) else []
    labels = doc_labels(corpus)
    panels = [_panel(corpus, records, rid, labels, alignments) for rid in reports]
    relations = [{"name": r, "label": RELATION_LABELS[r], "color": RELATION_COLORS[r]} for r in RELATION_RANK]
    return str(render("ca_sidebyside.html.j2", uid=uid, chosen=chosen, panels=panels, relations=relations,
                      primary={"id": corpus.primary_id, "label": labels[corpus.primary_id]},
                      findings_page=FINDINGS_PAGE))
