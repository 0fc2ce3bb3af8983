"""Tables and HTML fragments the notebooks show; every piece of document text is HTML-escaped.

Document text is untrusted: it reaches a page only through `esc`, through `static_table` /
`show_table` (which escape every column not built here as HTML), or as chart data (see charts).
"""
from __future__ import annotations

import calendar
import hashlib
from html import escape as _escape
import math
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from .claims import CLAIM_KINDS
from .corpus import Corpus, load_corpus
from .finding import FINDING_TYPES, SEVERITIES, STATUSES
from .normalize import PROJECT_ROOT

__all__ = [
    "esc", "open_corpus", "page_setup", "show_table", "static_table", "save_table",
    "documents_table", "claims_by_kind", "format_value", "snippet", "evidence_spans",
    "findings_by_document", "findings_table", "findings_summary", "diff_html", "quote_rows",
    "unchecked_quotes", "coverage", "coverage_matrix", "single_source", "count_values", "dated_claims",
    "html", "save_html", "side_by_side",
    "QUOTE_TYPES", "VERDICTS",
]

QUOTE_TYPES = ("verified_quote", "misquote", "unsourced_quote")
VERDICTS = {"verified_quote": "verified", "misquote": "misquote", "unsourced_quote": "unsourced"}
CONTEXT = 60

CSS = """
.ca-table { border-collapse: collapse; font-size: 13px; margin: 0.5em 0 1.5em; }
.ca-wrap table.ca-table th, .ca-wrap table.ca-table td { border: 1px solid #ddd; padding: 4px 8px;
  vertical-align: top; text-align: left; max-width: 36em; }
.ca-table thead th { background: #f3f3f3; position: sticky; top: 0; }
.ca-table tr.ca-group th { background: #e8eef6; font-weight: 600; }
.ca-wrap .ca-table tbody tr:nth-child(even) { background: #fafafa; }
.ca-severity-high { color: #a93226; font-weight: 600; }
.ca-severity-medium { color: #b9770e; font-weight: 600; }
.ca-severity-low { color: #616a6b; }
.ca-verdict-verified, .ca-status-confirmed { color: #1e8449; font-weight: 600; }
.ca-verdict-misquote, .ca-status-false_positive { color: #a93226; font-weight: 600; }
.ca-verdict-unsourced, .ca-status-needs_review { color: #b9770e; }
.ca-cov-mentioned { background: #d5f5e3; }
.ca-cov-omitted { background: #fadbd8; }
.ca-ev { margin: 0 0 4px; }
.ca-ev b { color: #34495e; }
.ca-ev mark, .ca-sbs mark { background: #fff3a8; padding: 0 1px; }
.ca-diff del { background: #fadbd8; color: #922b21; text-decoration: line-through; }
.ca-diff ins { background: #d5f5e3; color: #145a32; text-decoration: underline; }
.ca-sbs { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.ca-sbs[hidden] { display: none; }
.ca-sbs .ca-doc { white-space: pre-wrap; font: 13px/1.45 Georgia, serif; border: 1px solid #ddd;
  padding: 8px 12px; max-height: 42em; overflow-y: auto; }
.ca-sbs h4 { margin: 4px 0; font: 600 14px sans-serif; }
.ca-sbs mark { cursor: pointer; }
.ca-sbs mark.ca-t-misquote, .ca-sbs mark.ca-t-count_conflict, .ca-sbs mark.ca-t-date_conflict { background: #fadbd8; }
.ca-sbs mark.ca-t-verified_quote { background: #d5f5e3; }
.ca-sbs mark.ca-flash { outline: 2px solid #2e86c1; }
.ca-sbs sup { color: #2e86c1; font: 600 10px sans-serif; }
.ca-pick { margin: 6px 0 10px; font-size: 14px; }
"""


def esc(value: Any) -> str:
    """HTML-escaped text of a cell; missing values become empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _escape(str(value), quote=True)


def open_corpus(corpus_dir: str | Path, primary: str | None = None) -> Corpus:
    """Load a corpus; a relative folder is found from the working directory, else the project root.

    Notebooks run with notebooks/ as their working directory, so their default corpus path is
    written from the project root, as a user types it in the shell.
    """
    path = Path(corpus_dir).expanduser()
    if not path.is_absolute() and not path.is_dir():
        path = PROJECT_ROOT / path
    corpus = load_corpus(path)
    return corpus.with_primary(primary) if primary else corpus


def page_setup(*, interactive: bool = True, charts: bool = True) -> Any:
    """Once per notebook: styles, the offline chart library and (interactive) the table library."""
    from IPython.display import HTML

    if interactive:
        import itables

        itables.init_notebook_mode(all_interactive=False, connected=False)
    if not charts:
        return HTML(f"<style>{CSS}</style>")
    from . import charts as chart_module

    return HTML(f"<style>{CSS}</style>\n{chart_module.enable()}")


def _cell(column: str, value: Any, html_columns: Sequence[str]) -> str:
    if column in html_columns:
        return "" if value is None else str(value)
    if isinstance(value, float) and not math.isnan(value):
        return esc(f"{value:.1f}")
    return esc(value)


def _cell_class(column: str, value: Any) -> str:
    if column in ("severity", "status", "verdict") and isinstance(value, str):
        return f' class="ca-{column}-{re.sub(r"[^a-z_]", "", value.lower())}"'
    if value in ("mentioned", "omitted"):
        return f' class="ca-cov-{value}"'
    return ""


def static_table(df: pd.DataFrame, *, html_columns: Sequence[str] = (),
                 group_by: Sequence[str] = ()) -> str:
    """A styled HTML table; columns in `html_columns` are trusted HTML, all others are escaped."""
    columns = [c for c in df.columns if c not in group_by]
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    rows: list[str] = []
    last: tuple[Any, ...] | None = None
    for record in df.to_dict("records"):
        key = tuple(record[g] for g in group_by)
        if group_by and key != last:
            size = int((df[list(group_by)] == pd.Series(dict(zip(group_by, key)))).all(axis=1).sum())
            label = " · ".join(esc(k) for k in key)
            rows.append(f'<tr class="ca-group"><th colspan="{len(columns)}">{label} ({size})</th></tr>')
            last = key
        cells = "".join(f"<td{_cell_class(c, record[c])}>{_cell(c, record[c], html_columns)}</td>"
                        for c in columns)
        rows.append(f"<tr>{cells}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{max(1, len(columns))}">(none)</td></tr>')
    return (f'<div class="ca-wrap"><table class="ca-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def show_table(df: pd.DataFrame, *, interactive: bool, html_columns: Sequence[str] = (),
               group_by: Sequence[str] = ()) -> Any:
    """Sortable, filterable (itables, offline) when interactive; else a styled static table."""
    from IPython.display import HTML

    if not interactive:
        return HTML(static_table(df, html_columns=html_columns, group_by=group_by))
    from itables import to_html_datatable

    safe = pd.DataFrame({esc(c): [_cell(c, v, html_columns) for v in df[c]] for c in df.columns})
    return HTML(to_html_datatable(safe, connected=False, allow_html=True, showIndex=False,
                                  display_logo_when_loading=False, maxBytes=0, pageLength=25,
                                  classes="display compact",
                                  columnDefs=[{"className": "dt-left", "targets": "_all"}]))


def save_table(df: pd.DataFrame, output_dir: str | Path | None, name: str) -> Path | None:
    """Write a table as CSV into output_dir (nothing when output_dir is empty); return its path."""
    if not output_dir:
        return None
    path = Path(output_dir) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, (dict, list))).any():
            out[column] = out[column].map(format_value)
    out.to_csv(path, index=False, float_format="%.4g")
    return path


def documents_table(corpus: Corpus) -> pd.DataFrame:
    """One row per document: role, provenance (outlet and how it is known, date, kind) and size."""
    rows = []
    for doc in corpus:
        date = doc.date
        rows.append({
            "id": doc.id,
            "role": "primary" if doc.id == corpus.primary_id else "report",
            "kind": doc.kind,
            "title": doc.meta.get("title") or "",
            "outlet": doc.meta.get("outlet") or "(unknown)",
            "outlet known": doc.meta.get("outlet_basis") or "unknown",
            "author": doc.meta.get("author") or "",
            "date": date.iso() if date else "(undated)",
            "characters": len(doc.raw),
            "words": len(doc.raw.split()),
            "notes": doc.meta.get("notes") or "",
            "sha256": doc.sha256[:12],
        })
    return pd.DataFrame(rows)


def claims_by_kind(claims: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Claims counted per document (rows, manifest order) and kind (columns), with a total."""
    ids = [d.id for d in corpus]
    table = pd.crosstab(pd.Categorical(claims["doc"], categories=ids),
                        pd.Categorical(claims["kind"], categories=list(CLAIM_KINDS)), dropna=False)
    table = table.reindex(index=ids, columns=list(CLAIM_KINDS), fill_value=0).astype(int)
    table["total"] = table.sum(axis=1)
    table.index.name, table.columns.name = "document", None
    return table.reset_index()


def _number(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isinf(x)):
        return "∞"
    x = float(x)
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


def format_value(value: Any) -> str:
    """A claim or finding value as short text: `at least 10`, `2026-01-13 to 2026-01-17`, …"""
    if isinstance(value, dict):
        if "low" in value:
            unit = value.get("unit") or ""
            unit = unit if unit in ("%",) else (f" {unit}" if unit else "")
            hedge = value.get("hedge")
            shown = value.get("value", value["low"])
            if hedge:
                return f"{hedge} {_number(shown)}{unit}".strip()
            if value.get("high") is None:
                return f"{_number(value['low'])}+{unit}"
            if value["low"] == value["high"]:
                return f"{_number(value['low'])}{unit}"
            return f"{_number(value['low'])}–{_number(value['high'])}{unit}"
        if "start" in value:
            start, end = value.get("start"), value.get("end")
            return str(start) if not end or end == start else f"{start} to {end}"
        return "; ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, float):
        return _number(value)
    return "" if value is None else str(value)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def snippet(raw: str, start: int, end: int, context: int = CONTEXT) -> str:
    """HTML: the span marked inside `context` characters either side, cut at word boundaries."""
    a, b = max(0, start - context), min(len(raw), end + context)
    before, after = raw[a:start], raw[end:b]
    if a > 0 and " " in before:
        before = before[before.index(" ") + 1:]
    if b < len(raw) and " " in after:
        after = after[:after.rindex(" ")]
    return (("…" if a > 0 else "") + esc(_squash(before)) + "<mark>" + esc(_squash(raw[start:end]))
            + "</mark>" + esc(_squash(after)) + ("…" if b < len(raw) else ""))


def evidence_spans(findings: pd.DataFrame) -> pd.DataFrame:
    """Every evidence span of every finding: finding id, type, severity, source, start, end, text."""
    rows = [{"finding": f["id"], "type": f["type"], "severity": f["severity"], "subject": f["subject"],
             "source": e["source"], "start": e["start"], "end": e["end"], "text": e["text"]}
            for f in findings.to_dict("records") for e in f["evidence"]]
    return pd.DataFrame(rows, columns=["finding", "type", "severity", "subject", "source", "start",
                                       "end", "text"])


def evidence_html(evidence: Iterable[dict[str, Any]], corpus: Corpus, context: int = CONTEXT, *,
                  limit: int = 4) -> str:
    """HTML: each evidence span (the first `limit`) in its context, labelled with its document id."""
    parts = []
    spans = list(evidence)
    for e in spans[:limit]:
        raw = corpus[e["source"]].raw if e["source"] in _ids(corpus) else e["text"]
        start, end = (e["start"], e["end"]) if e["source"] in _ids(corpus) else (0, len(raw))
        parts.append(f'<div class="ca-ev"><b>{esc(e["source"])}</b>: {snippet(raw, start, end, context)}</div>')
    if len(spans) > limit:
        parts.append(f'<div class="ca-ev">… and {len(spans) - limit} more passages</div>')
    return "".join(parts)


def _ids(corpus: Corpus) -> set[str]:
    return {d.id for d in corpus}


def _severity_rank(s: pd.Series) -> pd.Series:
    return s.map({v: i for i, v in enumerate(SEVERITIES)}).fillna(len(SEVERITIES))


def _type_rank(s: pd.Series) -> pd.Series:
    return s.map({v: i for i, v in enumerate(FINDING_TYPES)}).fillna(len(FINDING_TYPES))


def _ordered(findings: pd.DataFrame) -> pd.DataFrame:
    if findings.empty:
        return findings
    keys = pd.DataFrame({"s": _severity_rank(findings["severity"]), "t": _type_rank(findings["type"]),
                         "subject": findings["subject"].astype(str).str.casefold(), "id": findings["id"]})
    return findings.loc[keys.sort_values(["s", "t", "subject", "id"]).index]


def findings_by_document(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per finding and document it involves, with that document's evidence as plain text."""
    rows = []
    for f in findings.to_dict("records"):
        for doc in f["sources"]:
            texts = [_squash(e["text"]) for e in f["evidence"] if e["source"] == doc]
            rows.append({"id": f["id"], "type": f["type"], "severity": f["severity"],
                         "subject": f["subject"], "doc": doc,
                         "evidence_text": " … ".join(texts)[:400] or "(no passage: see the explanation)"})
    return pd.DataFrame(rows, columns=["id", "type", "severity", "subject", "doc", "evidence_text"])


def findings_table(findings: pd.DataFrame, corpus: Corpus, *, min_severity: str = "low",
                   context: int = CONTEXT) -> pd.DataFrame:
    """The findings to review, by severity and type, with evidence snippets from each document."""
    keep = SEVERITIES[: SEVERITIES.index(min_severity) + 1]
    shown = _ordered(findings[findings["severity"].isin(keep)]) if not findings.empty else findings
    rows = [{
        "severity": f["severity"], "type": f["type"], "subject": f["subject"],
        "documents": ", ".join(f["sources"]),
        "values": "; ".join(f"{k}: {format_value(v)}" for k, v in (f["values"] or {}).items()),
        "evidence": evidence_html(f["evidence"], corpus, context),
        "explanation": f["explanation"],
        "status": f["status"] + (f" ({f['note']})" if f.get("note") else ""),
        "score": f["score"], "id": f["id"],
    } for f in shown.to_dict("records")]
    return pd.DataFrame(rows, columns=["severity", "type", "subject", "documents", "values",
                                       "evidence", "explanation", "status", "score", "id"])


def findings_summary(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings counted by type (rows) and severity (columns), with totals."""
    types = [t for t in FINDING_TYPES if t in set(findings["type"])]
    table = pd.crosstab(pd.Categorical(findings["type"], categories=types),
                        pd.Categorical(findings["severity"], categories=list(SEVERITIES)), dropna=False)
    table = table.reindex(index=types, columns=list(SEVERITIES), fill_value=0).astype(int)
    table["total"] = table.sum(axis=1)
    statuses = pd.crosstab(findings["type"], findings["status"]).reindex(
        index=types, columns=list(STATUSES), fill_value=0) if len(findings) else None
    if statuses is not None:
        table["needs review"] = statuses["needs_review"].astype(int)
    table.index.name, table.columns.name = "type", None
    return table.reset_index()


def _words(words: Any) -> str:
    if words is None:
        return ""
    return " ".join(str(w) for w in words) if isinstance(words, (list, tuple)) else str(words)


def diff_html(diff: Iterable[Sequence[Any]]) -> str:
    """HTML of a word diff: the source's words the report lacks in <del>, the report's own in <ins>."""
    parts = []
    for op, quote_words, source_words in diff:
        quoted, source = esc(_words(quote_words)), esc(_words(source_words))
        if op == "equal":
            parts.append(quoted or source)
            continue
        if source:
            parts.append(f'<del title="in the source, not in the report">{source}</del>')
        if quoted:
            parts.append(f'<ins title="in the report, not in the source">{quoted}</ins>')
    return '<span class="ca-diff">' + " ".join(p for p in parts if p) + "</span>"


def _changed(diff: Any) -> bool:
    return bool(diff) and any(op[0] != "equal" for op in diff)


def quote_rows(findings: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Every quote of every report: verdict (verified, misquote, unsourced), score and inline diff."""
    primary = corpus.primary_id
    rows = []
    quotes = findings[findings["type"].isin(QUOTE_TYPES)] if not findings.empty else findings
    for f in quotes.to_dict("records"):
        report = next((s for s in f["sources"] if s != primary), f["sources"][0] if f["sources"] else "")
        said = next((e for e in f["evidence"] if e["source"] == report), None)
        source = next((e for e in f["evidence"] if e["source"] == primary), None)
        detail = f["detail"] or {}
        quote = said["text"] if said else f["subject"]
        rows.append({
            "report": report, "verdict": VERDICTS[f["type"]], "score": f["score"],
            "speaker": detail.get("speaker") or "",
            "quote": quote,
            "diff": diff_html(detail["diff"]) if _changed(detail.get("diff")) else
            f'<span class="ca-diff">{esc(_squash(quote))}</span>',
            "source passage": _squash(source["text"]) if source else "",
            "start": said["start"] if said else -1, "end": said["end"] if said else -1,
            "status": f["status"], "id": f["id"],
        })
    order = {d.id: i for i, d in enumerate(corpus)}
    out = pd.DataFrame(rows, columns=["report", "verdict", "score", "speaker", "quote", "diff",
                                      "source passage", "start", "end", "status", "id"])
    if out.empty:
        return out
    out = out.assign(_o=out["report"].map(order)).sort_values(["_o", "start", "id"]).drop(columns="_o")
    return out.reset_index(drop=True)


def unchecked_quotes(claims: pd.DataFrame, quotes: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Double-quoted passages of the reports that have no verdict in `quotes`."""
    checked = set(zip(quotes["report"], quotes["start"], quotes["end"]))
    rows = [{"report": c["doc"], "quote": _squash(c["text"]), "start": c["start"], "end": c["end"]}
            for c in claims[claims["kind"] == "quote"].to_dict("records")
            if c["doc"] != corpus.primary_id and (c["detail"] or {}).get("style") == "double"
            and (c["doc"], c["start"], c["end"]) not in checked]
    return pd.DataFrame(rows, columns=["report", "quote", "start", "end"])


def coverage(findings: pd.DataFrame, corpus: Corpus, *, min_omitted: int = 1) -> pd.DataFrame:
    """The primary's named items × reports (long form): mentioned or omitted, with the evidence."""
    rows = []
    reports = [d.id for d in corpus.reports]
    items = findings[findings["type"] == "omission"] if not findings.empty else findings
    if len(items):
        omitted = items["values"].map(lambda v: sum(1 for s in (v or {}).values() if s == "omitted"))
        items = items[omitted >= min_omitted]
    for f in _ordered(items).to_dict("records") if len(items) else []:
        values = f["values"] or {}
        for report in reports:
            status = values.get(report)
            if status not in ("mentioned", "omitted"):
                continue
            texts = [_squash(e["text"]) for e in f["evidence"] if e["source"] == report]
            primary_text = [_squash(e["text"]) for e in f["evidence"] if e["source"] == corpus.primary_id]
            evidence = (f"{report}: {' … '.join(texts)}" if texts else
                        f"{corpus.primary_id}: {' … '.join(primary_text)}" if primary_text else "")
            rows.append({"item": f["subject"], "report": report, "status": status,
                         "evidence_text": evidence[:400], "finding": f["id"]})
    return pd.DataFrame(rows, columns=["item", "report", "status", "evidence_text", "finding"])


def coverage_matrix(cov: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """The coverage table as a grid: one row per named item, one column per report."""
    reports = [d.id for d in corpus.reports if d.id in set(cov["report"])]
    if cov.empty:
        return pd.DataFrame(columns=["item", "omitted by"])
    grid = cov.pivot_table(index="item", columns="report", values="status", aggfunc="first",
                           sort=False).reindex(columns=reports).fillna("")
    grid["omitted by"] = (grid == "omitted").sum(axis=1)
    grid.columns.name = None
    return grid.reset_index()


def single_source(findings: pd.DataFrame, corpus: Corpus, context: int = CONTEXT) -> pd.DataFrame:
    """Claims made by one document only, with the passage that makes them."""
    items = findings[findings["type"] == "single_source"] if not findings.empty else findings
    rows = [{"source": ", ".join(f["sources"]), "severity": f["severity"], "subject": f["subject"],
             "evidence": evidence_html(f["evidence"], corpus, context), "explanation": f["explanation"],
             "status": f["status"], "id": f["id"]}
            for f in (_ordered(items).to_dict("records") if len(items) else [])]
    return pd.DataFrame(rows, columns=["source", "severity", "subject", "evidence", "explanation",
                                       "status", "id"])


def _iso_bounds(text: str | None, end: bool) -> pd.Timestamp | None:
    if not text or str(text).startswith("--"):
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(text))
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is None:
        month, day = (12, 31) if end else (1, 1)
    elif day is None:
        day = calendar.monthrange(year, month)[1] if end else 1
    return pd.Timestamp(year, month, day)


def dated_claims(claims: pd.DataFrame, *, since: str = "") -> pd.DataFrame:
    """Date claims with a known year as [start, end] days (partial dates span their month or year)."""
    floor = _iso_bounds(since, end=False) if since else None
    rows = []
    for c in claims[claims["kind"] == "date"].to_dict("records"):
        value = c["value"] if isinstance(c["value"], dict) else {}
        start = _iso_bounds(value.get("start"), end=False)
        end = _iso_bounds(value.get("end") or value.get("start"), end=True)
        if start is None or end is None or (floor is not None and max(start, end) < floor):
            continue
        rows.append({"doc": c["doc"], "text": _squash(c["text"]), "start": start, "end": max(start, end),
                     "granularity": value.get("granularity", ""),
                     "year inferred": bool(value.get("year_inferred")),
                     "sentence": _squash(c["sentence"])[:300]})
    return pd.DataFrame(rows, columns=["doc", "text", "start", "end", "granularity", "year inferred",
                                       "sentence"])


def count_values(claims: pd.DataFrame, corpus: Corpus, *, min_documents: int = 2) -> pd.DataFrame:
    """Count claims per counted subject and document, for subjects counted in `min_documents` or more."""
    rows = []
    for c in claims[claims["kind"] == "count"].to_dict("records"):
        value, detail = c["value"] or {}, c["detail"] or {}
        key = detail.get("subject_key") or detail.get("noun_key")
        if not key or value.get("low") is None:
            continue
        high = value.get("high")
        is_open = high is None or (isinstance(high, float) and math.isinf(high))
        rows.append({"key": key, "label": detail.get("subject") or detail.get("noun") or key,
                     "doc": c["doc"], "low": float(value["low"]),
                     "high": None if is_open else float(high), "open": is_open,
                     "value": float(value.get("value", value["low"])),
                     "hedge": value.get("hedge") or "", "text": _squash(c["text"]),
                     "sentence": _squash(c["sentence"])[:300]})
    columns = ["subject", "doc", "low", "high", "high_shown", "value", "open", "hedge", "text",
               "sentence"]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    spread = frame.groupby("key")["doc"].nunique()
    frame = frame[frame["key"].isin(spread[spread >= min_documents].index)].copy()
    if frame.empty:
        return pd.DataFrame(columns=columns)
    primary_first = frame.assign(_p=frame["doc"] != corpus.primary_id).sort_values(["_p"])
    labels = primary_first.groupby("key")["label"].first()
    frame["subject"] = frame["key"].map(labels)
    top = frame.groupby("key")[["low", "high", "value"]].max().max(axis=1)
    frame["high_shown"] = [h if h is not None and not math.isnan(h) else max(lo * 1.25, top[k])
                           for h, lo, k in zip(frame["high"], frame["low"], frame["key"])]
    order = {d.id: i for i, d in enumerate(corpus)}
    frame = frame.assign(_o=frame["doc"].map(order)).sort_values(["subject", "_o", "low"])
    return frame[columns].reset_index(drop=True)


def html(fragment: str) -> Any:
    """Show an HTML fragment built by this module (its document text is already escaped)."""
    from IPython.display import HTML

    return HTML(fragment)


def save_html(fragment: str, output_dir: str | Path | None, name: str) -> Path | None:
    """Write an HTML fragment as a page into output_dir (nothing when output_dir is empty)."""
    if not output_dir:
        return None
    path = Path(output_dir) / f"{name}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}</style></head>'
                    f"<body>{fragment}</body></html>\n", encoding="utf-8")
    return path


def _marked(raw: str, spans: list[tuple[int, int, str, str, str]]) -> str:
    out, pos = [], 0
    for start, end, key, css, title in sorted(spans):
        if start < pos or end <= start:
            continue
        out.append(esc(raw[pos:start]))
        out.append(f'<mark class="{css}" data-pair="{esc(key)}" title="{esc(title)}">'
                   f"{esc(raw[start:end])}</mark><sup>{esc(key)}</sup>")
        pos = end
    out.append(esc(raw[pos:]))
    return "".join(out)


def side_by_side(corpus: Corpus, findings: pd.DataFrame, report: str | None = None, *,
                 min_severity: str = "low") -> str:
    """HTML: the primary beside one report (a menu picks another), passages aligned by findings."""
    keep = SEVERITIES[: SEVERITIES.index(min_severity) + 1]
    findings = findings[findings["severity"].isin(keep)] if len(findings) else findings
    reports = [d.id for d in corpus.reports]
    if report and report not in reports:
        raise ValueError(f"report {report!r} is not a report of this corpus (reports: {', '.join(reports)})")
    chosen = report or (reports[0] if reports else None)
    uid = "ca-sbs-" + hashlib.sha1(f"{corpus.name}|{chosen}".encode("utf-8")).hexdigest()[:10]
    records = _ordered(findings).to_dict("records") if len(findings) else []
    panels = []
    for rid in reports:
        left: list[tuple[int, int, str, str, str]] = []
        right: list[tuple[int, int, str, str, str]] = []
        n = 0
        for f in records:
            ours = [e for e in f["evidence"] if e["source"] == rid]
            theirs = [e for e in f["evidence"] if e["source"] == corpus.primary_id]
            if not ours or not theirs:
                continue
            n += 1
            title = f"{f['type']} ({f['severity']}): {f['explanation']}"
            for side, spans in ((left, theirs), (right, ours)):
                side.extend((e["start"], e["end"], str(n), f"ca-t-{f['type']}", title) for e in spans)
        hidden = "" if rid == chosen else ' hidden="hidden"'
        panels.append(
            f'<div class="ca-sbs" data-report="{esc(rid)}"{hidden}>'
            f'<div><h4>{esc(corpus.primary_id)} (primary)</h4>'
            f'<div class="ca-doc">{_marked(corpus.primary.raw, left)}</div></div>'
            f'<div><h4>{esc(rid)} — {n} aligned passage{"s" if n != 1 else ""}</h4>'
            f'<div class="ca-doc">{_marked(corpus[rid].raw, right)}</div></div></div>')
    options = "".join(f'<option value="{esc(r)}"{" selected" if r == chosen else ""}>{esc(r)}</option>'
                      for r in reports)
    script = (
        "<script>(function () {\n"
        f"  var root = document.getElementById(\"{uid}\"); if (!root) return;\n"
        "  var pick = root.querySelector('select');\n"
        "  pick.addEventListener('change', function () {\n"
        "    root.querySelectorAll('.ca-sbs').forEach(function (p) {\n"
        "      p.hidden = p.getAttribute('data-report') !== pick.value; });\n  });\n"
        "  root.addEventListener('click', function (ev) {\n"
        "    var m = ev.target.closest('mark'); if (!m) return;\n"
        "    var panel = m.closest('.ca-sbs'), key = m.getAttribute('data-pair');\n"
        "    panel.querySelectorAll('mark').forEach(function (o) {\n"
        "      var hit = o.getAttribute('data-pair') === key; o.classList.toggle('ca-flash', hit);\n"
        "      if (hit && o.closest('.ca-doc') !== m.closest('.ca-doc')) o.scrollIntoView({block: 'nearest'});\n"
        "    });\n  });\n})();</script>")
    return (f'<div id="{uid}"><div class="ca-pick"><label>Report: <select>{options}</select></label> '
            "· numbered marks pair a passage of the primary with the report's; click one to find its "
            f"partner</div>{''.join(panels)}</div>{script}")
