"""The report's pages as a whole: the header every page carries (corpus, run date, version, the
parameters it ran with), the navigation bar with previous/next, and index.html."""
from __future__ import annotations

import ast
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from ..corpus import Corpus
from ..rules import SEVERITIES
from .html import Markup, asset, render
from .labels import RELATION_COLORS, REUSE_LABELS, SEVERITY_LABELS, doc_labels, severity_label, type_label, type_legend
from .review import review_bar
from .tables import at_least, explain
from .views import FINDINGS_PAGE

__all__ = ["Page", "run_stamp", "notebook_title", "notebook_defaults", "page_context", "shown_value",
           "write_index", "INDEX", "READ_FIRST"]

INDEX = "index"
READ_FIRST = 10
TABLES = "tables"


@dataclass(frozen=True)
class Page:
    """One page of the report: its file stem, title and the question it answers."""

    name: str
    title: str
    question: str = ""

    @property
    def href(self) -> str:
        return f"{self.name}.html"


def run_stamp(now: dt.datetime | None = None) -> str:
    """The run's date and time as every page shows it: 2026-01-14 09:30 UTC+01:00."""
    now = (now or dt.datetime.now()).astimezone()
    return now.strftime("%Y-%m-%d %H:%M ") + (now.tzname() or "")


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def notebook_title(path: Path) -> tuple[str, str]:
    """The notebook's title (its first heading) and the question it answers (its first bold text)."""
    for cell in _read(path).get("cells", []):
        if cell.get("cell_type") == "markdown":
            text = _source(cell)
            title = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
            question = re.search(r"\*\*(.+?)\*\*", text, re.DOTALL)
            return ((title.group(1).strip() if title else path.stem),
                    (" ".join(question.group(1).split()) if question else ""))
    return path.stem, ""


def notebook_defaults(path: Path) -> dict[str, Any]:
    """The parameters a notebook declares in its cell tagged `parameters`, with their default values."""
    for cell in _read(path).get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            out: dict[str, Any] = {}
            for node in ast.parse(_source(cell)).body:
                targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
                value = getattr(node, "value", None)
                for t in targets:
                    if isinstance(t, ast.Name):
                        try:
                            out[t.id] = ast.literal_eval(value) if value is not None else None
                        except ValueError:
                            out[t.id] = ast.unparse(value)
            return out
    return {}


def shown_value(value: Any) -> str:
    """A parameter's value as the header shows it; empty ones read "(default)", never "None"."""
    if value is None or value == "" or value == {} or value == []:
        return "(default)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={shown_value(v)}" for k, v in value.items())
    return str(value)


def page_context(current: str, pages: Sequence[Page], *, corpus: str, run: str, version: str,
                 parameters: Mapping[str, Any]) -> dict[str, Any]:
    """What the header, navigation bar and pager of page `current` show."""
    names = [p.name for p in pages]
    at = names.index(current) if current in names else -1
    prev = pages[at - 1] if at > 0 else None
    nxt = pages[at + 1] if 0 <= at < len(pages) - 1 else None
    return {
        "name": current, "corpus": corpus, "run_date": run, "version": version,
        "parameters": [(k, shown_value(v)) for k, v in parameters.items()],
        "pages": [{"href": p.href, "title": p.title, "question": p.question, "current": p.name == current}
                  for p in pages],
        "prev": {"href": prev.href, "title": prev.title} if prev else None,
        "next": {"href": nxt.href, "title": nxt.title} if nxt else None,
        "chrome_css": asset("chrome.css"),
    }


def _summary(findings: pd.DataFrame) -> dict[str, Any]:
    rows = []
    for name in dict.fromkeys(findings["type"]) if len(findings) else []:
        of_type = findings[findings["type"] == name]
        counts = {s: int((of_type["severity"] == s).sum()) for s in SEVERITIES}
        rows.append({"name": name, "label": type_label(name), "counts": counts, "total": len(of_type),
                     "legend": next((t.legend for t in type_legend([name])), "")})
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows.sort(key=lambda r: (min((rank[s] for s in SEVERITIES if r["counts"][s]), default=9), -r["total"]))
    by_severity = {s: int((findings["severity"] == s).sum()) if len(findings) else 0 for s in SEVERITIES}
    return {"total": len(findings), "high": by_severity["high"], "by_severity": by_severity, "rows": rows,
            "needs_review": int((findings["status"] == "needs_review").sum()) if len(findings) else 0}


def _read_first(findings: pd.DataFrame, corpus: Corpus) -> list[dict[str, Any]]:
    legend = {t.name: t.legend for t in type_legend()}
    urgent = findings[findings["severity"].isin(SEVERITIES[:2]) & (findings["status"] == "needs_review")] \
        if len(findings) else findings
    return [{"id": f["id"], "severity": f["severity"], "severity_label": severity_label(f["severity"]),
             "type": f["type"], "label": type_label(f["type"]), "legend": legend.get(f["type"], ""),
             "subject": f["subject"], "explanation": explain(f["explanation"], corpus, f["sources"]),
             "href": f"{FINDINGS_PAGE}#{f['id']}"}
            for f in urgent.head(READ_FIRST).to_dict("records")]


def _reuse_rows(reuse: pd.DataFrame | None) -> list[dict[str, Any]]:
    if reuse is None or reuse.empty:
        return []
    return [{"report": r["report"], "id": r["id"],
             "parts": [{"kind": kind, "label": label, "share": float(r[label]),
                        "color": RELATION_COLORS[kind]} for kind, label in REUSE_LABELS.items()]}
            for r in reuse.to_dict("records")]


def write_index(out_dir: Path, corpus: Corpus, pages: Sequence[Page], findings: pd.DataFrame, *,
                page: dict[str, Any], errors: Mapping[str, str | None], min_severity: str = "low",
                reuse: pd.DataFrame | None = None) -> Path:
    """index.html: the corpus, its findings by type and severity, the ones to read first, the review
    summary with the download button, each report's reuse of the primary (tables.reuse_table), and a
    link to every page."""
    shown = at_least(findings, min_severity)
    labels = doc_labels(corpus)
    tables = sorted(p.name for p in (out_dir / TABLES).glob("*.csv")) if (out_dir / TABLES).is_dir() else []
    body = render(
        "ca_index.html.j2", page=page, corpus=corpus.name, findings_page=FINDINGS_PAGE,
        primary={"id": corpus.primary_id, "label": labels[corpus.primary_id]},
        reports=[(d.id, labels[d.id]) for d in corpus.reports],
        summary=_summary(shown), severities=list(SEVERITY_LABELS.items()), min_severity=min_severity,
        review_bar=Markup(review_bar(shown, corpus)), first=_read_first(shown, corpus),
        types=type_legend(list(dict.fromkeys(shown["type"])) if len(shown) else []),
        pages=[{"href": p.href, "title": p.title, "question": p.question, "ran": p.name in errors,
                "error": errors.get(p.name)} for p in pages if p.name != INDEX],
        documents=[{"id": d.id, "label": labels[d.id], "role": "primary" if d.id == corpus.primary_id else d.kind,
                    "basis": d.meta.get("outlet_basis") or "unknown"} for d in corpus],
        tables=tables, tables_dir=TABLES, reuse=_reuse_rows(reuse))
    path = out_dir / f"{INDEX}.html"
    path.write_text(body + "\n", encoding="utf-8")
    return path
