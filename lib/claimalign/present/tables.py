"""The tables the notebooks show, built from claims and findings (pandas in, pandas out).

Cells that hold HTML (evidence snippets, word diffs) are built by views, which escapes the text.
"""
from __future__ import annotations

import calendar
import math
import re
from typing import Any

import pandas as pd

from ..extract.claim import CLAIM_KINDS
from ..corpus import Corpus
from ..rules import FINDING_TYPES, SEVERITIES, STATUSES
from .views import CONTEXT, squash, diff_html, esc, evidence_html, format_value

__all__ = [
    "documents_table", "claims_by_kind", "evidence_spans", "findings_by_document", "findings_table",
    "findings_summary", "quote_rows", "unchecked_quotes", "coverage", "coverage_matrix",
    "single_source", "count_values", "dated_claims", "ordered", "QUOTE_TYPES", "VERDICTS",
]

QUOTE_TYPES = ("verified_quote", "misquote", "unsourced_quote")


VERDICTS = {"verified_quote": "verified", "misquote": "misquote", "unsourced_quote": "unsourced"}


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


def evidence_spans(findings: pd.DataFrame) -> pd.DataFrame:
    """Every evidence span of every finding: finding id, type, severity, source, start, end, text."""
    rows = [{"finding": f["id"], "type": f["type"], "severity": f["severity"], "subject": f["subject"],
             "source": e["source"], "start": e["start"], "end": e["end"], "text": e["text"]}
            for f in findings.to_dict("records") for e in f["evidence"]]
    return pd.DataFrame(rows, columns=["finding", "type", "severity", "subject", "source", "start",
                                       "end", "text"])


def _severity_rank(s: pd.Series) -> pd.Series:
    return s.map({v: i for i, v in enumerate(SEVERITIES)}).fillna(len(SEVERITIES))


def _type_rank(s: pd.Series) -> pd.Series:
    return s.map({v: i for i, v in enumerate(FINDING_TYPES)}).fillna(len(FINDING_TYPES))


def ordered(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings by severity, then type, subject and id: the order every table lists them in."""
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
            texts = [squash(e["text"]) for e in f["evidence"] if e["source"] == doc]
            rows.append({"id": f["id"], "type": f["type"], "severity": f["severity"],
                         "subject": f["subject"], "doc": doc,
                         "evidence_text": " … ".join(texts)[:400] or "(no passage: see the explanation)"})
    return pd.DataFrame(rows, columns=["id", "type", "severity", "subject", "doc", "evidence_text"])


def findings_table(findings: pd.DataFrame, corpus: Corpus, *, min_severity: str = "low",
                   context: int = CONTEXT) -> pd.DataFrame:
    """The findings to review, by severity and type, with evidence snippets from each document."""
    keep = SEVERITIES[: SEVERITIES.index(min_severity) + 1]
    shown = ordered(findings[findings["severity"].isin(keep)]) if not findings.empty else findings
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
            f'<span class="ca-diff">{esc(squash(quote))}</span>',
            "source passage": squash(source["text"]) if source else "",
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
    rows = [{"report": c["doc"], "quote": squash(c["text"]), "start": c["start"], "end": c["end"]}
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
    for f in ordered(items).to_dict("records") if len(items) else []:
        values = f["values"] or {}
        for report in reports:
            status = values.get(report)
            if status not in ("mentioned", "omitted"):
                continue
            texts = [squash(e["text"]) for e in f["evidence"] if e["source"] == report]
            primary_text = [squash(e["text"]) for e in f["evidence"] if e["source"] == corpus.primary_id]
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
            for f in (ordered(items).to_dict("records") if len(items) else [])]
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
        rows.append({"doc": c["doc"], "text": squash(c["text"]), "start": start, "end": max(start, end),
                     "granularity": value.get("granularity", ""),
                     "year inferred": bool(value.get("year_inferred")),
                     "sentence": squash(c["sentence"])[:300]})
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
                     "hedge": value.get("hedge") or "", "text": squash(c["text"]),
                     "sentence": squash(c["sentence"])[:300]})
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
