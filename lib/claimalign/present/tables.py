"""The tables the notebooks show, built from claims and findings (pandas in, pandas out).

Cells that hold HTML (evidence snippets, word diffs, review menus) come from the templates through
views and html, which escape the text. A table meant for display names its HTML columns, filter
menus and sort keys in `df.attrs`; columns whose names start with `_` are hidden filter data.
"""
from __future__ import annotations

import calendar
import math
import re
from typing import Any, Sequence

import pandas as pd

from ..extract.claim import CLAIM_KINDS
from ..corpus import Corpus
from ..rules import FINDING_TYPES, SEVERITIES, STATUSES
from .html import Markup, fragment
from .labels import (REUSE_LABELS, STATUS_LABELS, doc_labels, human_date, severities_from, severity_label, status_label,
                     type_label, type_legend)
from .views import (CONTEXT, FINDINGS_PAGE, Facet, squash, diff_html, evidence_html, format_count, format_value,
                    side_by_side_link)

__all__ = [
    "documents_table", "claims_by_kind", "evidence_spans", "findings_by_document", "findings_table",
    "findings_summary", "quote_rows", "quotes_table", "unchecked_quotes", "coverage", "coverage_matrix",
    "coverage_table", "single_source", "count_values", "counts_table", "dated_claims", "ordered",
    "at_least", "explain", "reuse_table", "QUOTE_TYPES", "VERDICTS",
]

QUOTE_TYPES = ("verified_quote", "misquote", "unsourced_quote")


VERDICTS = {"verified_quote": "verified", "misquote": "misquote", "unsourced_quote": "unsourced"}


def documents_table(corpus: Corpus) -> pd.DataFrame:
    """One row per document: role, provenance (outlet and how it is known, date, kind) and size.

    What the manifest does not give (an outlet, a date) is left blank.
    """
    rows = []
    for doc in corpus:
        date = doc.date
        rows.append({
            "id": doc.id,
            "role": "primary" if doc.id == corpus.primary_id else "report",
            "kind": doc.kind,
            "title": doc.meta.get("title") or "",
            "outlet": doc.meta.get("outlet") or "",
            "outlet known": doc.meta.get("outlet_basis") or "unknown",
            "author": doc.meta.get("author") or "",
            "date": date.iso() if date else "",
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


def at_least(findings: pd.DataFrame, min_severity: str = "low") -> pd.DataFrame:
    """The findings of `min_severity` or worse: what every table, summary and chart of a page counts."""
    keep = severities_from(min_severity)
    return findings[findings["severity"].isin(keep)] if len(findings) else findings


def explain(text: str, corpus: Corpus, ids: Sequence[str] | None = None) -> Markup:
    """A rule's explanation with each document id shown as the document's name (the id on hover).

    Only the ids of `ids` (the finding's documents; default every document) are replaced, so an id
    that is also a word ("statement") is left alone in findings that do not involve it.
    """
    labels = doc_labels(corpus)
    if not text:
        return Markup("")
    ids = sorted((i for i in (ids if ids is not None else labels) if i in labels), key=len, reverse=True)
    if not ids:
        return Markup("").join([text])
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w-]|\.\w)")
    out: list[Any] = []
    pos = 0
    for m in pattern.finditer(text):
        out += [text[pos:m.start()], fragment("doc")(m.group(1), labels[m.group(1)])]
        pos = m.end()
    out.append(text[pos:])
    return Markup("").join(out)


def _review_cell(f: dict[str, Any]) -> Markup:
    return fragment("review")(f["id"], f["status"], f.get("note") or "", list(STATUS_LABELS.items()))


def _status_cell(f: dict[str, Any]) -> Markup:
    return fragment("status_text")(f["id"], f["status"], status_label(f["status"]))


def _facets(frame: pd.DataFrame, corpus: Corpus, *, types: bool = True, severity: bool = True,
            docs: str = "_docs", status: bool = True) -> list[Facet]:
    labels = doc_labels(corpus)
    out = []
    if types and "_type" in frame:
        present = list(dict.fromkeys(frame["_type"]))
        out.append(Facet("Type", "_type", [(t.name, t.label) for t in type_legend(present)]))
    if severity and "_severity" in frame:
        out.append(Facet("Severity", "_severity", [(s, severity_label(s)) for s in SEVERITIES
                                                   if s in set(frame["_severity"])]))
    if docs and docs in frame:
        present = {d for cell in frame[docs] for d in str(cell).split()}
        out.append(Facet("Document", docs, [(d.id, labels[d.id]) for d in corpus if d.id in present], "token"))
    if status and "_id" in frame:
        out.append(Facet("Status", "_id", list(STATUS_LABELS.items()), "status", "status"))
    return out


def _display(frame: pd.DataFrame, html_columns: list[str], facets: list[Facet], table_id: str,
             sort_by: dict[str, str] | None = None, widths: dict[str, str] | None = None) -> pd.DataFrame:
    frame.attrs.update({"html_columns": html_columns, "facets": facets, "table_id": table_id,
                        "sort_by": sort_by or {}, "widths": widths or {}})
    return frame


FINDING_COLUMNS = ["Finding", "Subject", "Evidence", "Explanation", "Review", "_severity", "_type", "_docs",
                   "_rank", "_id"]


def findings_table(findings: pd.DataFrame, corpus: Corpus, *, min_severity: str = "low",
                   context: int = CONTEXT, links: bool = True) -> pd.DataFrame:
    """The findings to review, most severe first: severity, type and permalink; evidence from each
    document (linked to the side-by-side view); the explanation; a review menu. A row's anchor is its id."""
    shown = ordered(at_least(findings, min_severity)) if not findings.empty else findings
    legend = {t.name: t.legend for t in type_legend()}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows = [{
        "Finding": fragment("finding_head")(f["id"], f["severity"], severity_label(f["severity"]), f["type"],
                                            type_label(f["type"]), legend.get(f["type"], "")),
        "Subject": f["subject"],
        "Evidence": evidence_html(f["evidence"], corpus, context, finding=f["id"] if links else None,
                                  sources=f["sources"]),
        "Explanation": explain(f["explanation"], corpus, f["sources"]),
        "Review": _review_cell(f),
        "_severity": f["severity"], "_type": f["type"], "_docs": " ".join(dict.fromkeys(f["sources"])),
        "_rank": rank.get(f["severity"], len(rank)), "_id": f["id"],
    } for f in shown.to_dict("records")]
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    return _display(frame, ["Finding", "Evidence", "Explanation", "Review"], _facets(frame, corpus),
                    "ca-findings", {"Finding": "_rank"},
                    {"Finding": "9em", "Subject": "13%", "Evidence": "42%", "Explanation": "22%", "Review": "11em"})


def findings_summary(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings counted by type (rows, by label) and severity (columns), with totals and reviews."""
    types = [t for t in FINDING_TYPES if t in set(findings["type"])]
    types += sorted(set(findings["type"]) - set(types))
    table = pd.crosstab(pd.Categorical(findings["type"], categories=types),
                        pd.Categorical(findings["severity"], categories=list(SEVERITIES)), dropna=False)
    table = table.reindex(index=types, columns=list(SEVERITIES), fill_value=0).astype(int)
    table["total"] = table.sum(axis=1)
    statuses = pd.crosstab(findings["type"], findings["status"]).reindex(
        index=types, columns=list(STATUSES), fill_value=0) if len(findings) else None
    if statuses is not None:
        table["needs review"] = statuses["needs_review"].astype(int)
    table.columns = [severity_label(c) if c in SEVERITIES else c.capitalize() for c in table.columns]
    table.index = [type_label(t) for t in types]
    table.index.name, table.columns.name = "Type", None
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
            "diff": diff_html(detail["diff"] if _changed(detail.get("diff")) else [["equal", squash(quote), ""]]),
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


def quotes_table(quotes: pd.DataFrame, corpus: Corpus, *, max_score: float = 100.0) -> pd.DataFrame:
    """The quotes to show: report, verdict, score, speaker, the inline word diff, the source's passage,
    the review status, and links to the finding and to the passage side by side."""
    labels = doc_labels(corpus)
    verdict_types = {v: k for k, v in VERDICTS.items()}
    keep = quotes[quotes["score"].isna() | (quotes["score"] <= max_score)] if len(quotes) else quotes
    rows = [{
        "Report": fragment("doc")(q["report"], labels.get(q["report"], q["report"])),
        "Verdict": fragment("ftype")(verdict_types[q["verdict"]], type_label(verdict_types[q["verdict"]]), ""),
        "Score": "" if q["score"] is None or pd.isna(q["score"]) else f"{q['score']:.1f}",
        "Speaker": q["speaker"],
        "Quote, with its diff": Markup(q["diff"]),
        "Source passage": q["source passage"],
        "Status": fragment("status_text")(q["id"], q["status"], status_label(q["status"])),
        "Finding": fragment("finding_links")(q["id"], FINDINGS_PAGE,
                                             side_by_side_link(q["id"], q["report"], q["start"], [q["report"]], corpus)),
        "_docs": q["report"], "_type": verdict_types[q["verdict"]], "_id": q["id"],
    } for q in keep.to_dict("records")]
    frame = pd.DataFrame(rows, columns=["Report", "Verdict", "Score", "Speaker", "Quote, with its diff",
                                        "Source passage", "Status", "Finding", "_docs", "_type", "_id"])
    return _display(frame, ["Report", "Verdict", "Quote, with its diff", "Status", "Finding"],
                    _facets(frame, corpus, severity=False), "ca-quotes", None,
                    {"Report": "10%", "Verdict": "8%", "Score": "4em", "Speaker": "9%", "Quote, with its diff": "36%",
                     "Source passage": "20%", "Status": "7em", "Finding": "9em"})


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
            rows.append({"item": f["subject"], "report": report, "status": status,
                         "evidence_text": " … ".join(texts or primary_text)[:400],
                         "passage_from": report if texts else corpus.primary_id if primary_text else "",
                         "severity": f["severity"], "review": f["status"], "finding": f["id"]})
    return pd.DataFrame(rows, columns=["item", "report", "status", "evidence_text", "passage_from", "severity",
                                       "review", "finding"])


def coverage_matrix(cov: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """The coverage table as a grid: one row per named item, one column per report."""
    reports = [d.id for d in corpus.reports if d.id in set(cov["report"])]
    if cov.empty:
        return pd.DataFrame(columns=["item", "omitted by"])
    grid = cov.pivot_table(index="item", columns="report", values="status", aggfunc="first",
                           sort=False).reindex(columns=reports).fillna("")
    grid["omitted by"] = (grid == "omitted").sum(axis=1)
    labels = doc_labels(corpus)
    grid.columns = [labels.get(c, c) for c in grid.columns]
    grid.columns.name = None
    return grid.reset_index()


def coverage_table(cov: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Each named item of the primary against each report: mentioned or omitted, the passage, the status."""
    labels = doc_labels(corpus)
    rows = [{
        "Item": c["item"],
        "Report": fragment("doc")(c["report"], labels.get(c["report"], c["report"])),
        "Coverage": fragment("coverage")(c["status"]),
        "Passage": c["evidence_text"],
        "Status": fragment("status_text")(c["finding"], c["review"], status_label(c["review"])),
        "Finding": fragment("permalink")(c["finding"], FINDINGS_PAGE),
        "_docs": c["report"], "_coverage": c["status"], "_id": c["finding"],
    } for c in cov.to_dict("records")]
    frame = pd.DataFrame(rows, columns=["Item", "Report", "Coverage", "Passage", "Status", "Finding", "_docs",
                                        "_coverage", "_id"])
    facets = _facets(frame, corpus, types=False, severity=False)
    facets.insert(1, Facet("Coverage", "_coverage", [("omitted", "omitted"), ("mentioned", "mentioned")]))
    return _display(frame, ["Report", "Coverage", "Status", "Finding"], facets, "ca-coverage")


def single_source(findings: pd.DataFrame, corpus: Corpus, context: int = CONTEXT) -> pd.DataFrame:
    """Claims made by one document only, with the passage that makes them (linked side by side)."""
    items = findings[findings["type"] == "single_source"] if not findings.empty else findings
    labels = doc_labels(corpus)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows = [{"Document": fragment("docs")([(d, labels.get(d, d)) for d in f["sources"]]),
             "Severity": fragment("severity")(f["severity"], severity_label(f["severity"])),
             "Subject": f["subject"],
             "Evidence": evidence_html(f["evidence"], corpus, context, finding=f["id"], sources=f["sources"]),
             "Explanation": explain(f["explanation"], corpus, f["sources"]),
             "Status": _status_cell(f), "Finding": fragment("permalink")(f["id"], FINDINGS_PAGE),
             "_docs": " ".join(f["sources"]), "_severity": f["severity"],
             "_rank": rank.get(f["severity"], len(rank)), "_id": f["id"]}
            for f in (ordered(items).to_dict("records") if len(items) else [])]
    frame = pd.DataFrame(rows, columns=["Document", "Severity", "Subject", "Evidence", "Explanation", "Status",
                                        "Finding", "_docs", "_severity", "_rank", "_id"])
    return _display(frame, ["Document", "Severity", "Evidence", "Explanation", "Status", "Finding"],
                    _facets(frame, corpus, types=False), "ca-single-source", {"Severity": "_rank"})


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
    """Date claims with a known year as [start, end] days (partial dates span their month or year).

    "since 2017" is placed at 2017: its end is not in the text, so none is made up.
    """
    floor = _iso_bounds(since, end=False) if since else None
    rows = []
    for c in claims[claims["kind"] == "date"].to_dict("records"):
        value = c["value"] if isinstance(c["value"], dict) else {}
        start = _iso_bounds(value.get("start"), end=False)
        told = value.get("start") if value.get("relation") == "since" else value.get("end") or value.get("start")
        end = _iso_bounds(told, end=True)
        if start is None or end is None or (floor is not None and max(start, end) < floor):
            continue
        rows.append({"doc": c["doc"], "text": squash(c["text"]), "start": start, "end": max(start, end),
                     "granularity": value.get("granularity", ""),
                     "year inferred": bool(value.get("year_inferred")),
                     "relation": value.get("relation") or "",
                     "sentence": squash(c["sentence"])[:300]})
    return pd.DataFrame(rows, columns=["doc", "text", "start", "end", "granularity", "year inferred",
                                       "relation", "sentence"])


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
    columns = ["subject", "doc", "low", "high", "value", "open", "hedge", "text", "sentence"]
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
    order = {d.id: i for i, d in enumerate(corpus)}
    frame = frame.assign(_o=frame["doc"].map(order)).sort_values(["subject", "_o", "low"])
    return frame[columns].reset_index(drop=True)


def counts_table(counts: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Each counted subject's value per document, as the text reads ("at least 9"), with the passage."""
    labels = doc_labels(corpus)
    rows = [{"Subject": c["subject"], "Document": fragment("doc")(c["doc"], labels.get(c["doc"], c["doc"])),
             "Value": format_count(c), "Passage": c["sentence"] or c["text"], "_docs": c["doc"],
             "_subject": c["subject"]} for c in counts.to_dict("records")]
    frame = pd.DataFrame(rows, columns=["Subject", "Document", "Value", "Passage", "_docs", "_subject"])
    facets = _facets(frame, corpus, types=False, severity=False, status=False)
    facets.insert(0, Facet("Subject", "_subject"))
    return _display(frame, ["Document"], facets, "ca-counts", None,
                    {"Subject": "20%", "Document": "18%", "Value": "10%", "Passage": "52%"})


def reuse_table(alignments: Sequence[Any], corpus: Corpus) -> pd.DataFrame:
    """Per report: the shares of its words verbatim from the primary, paraphrased from it, and new."""
    from ..sentalign import reuse_shares

    shares = reuse_shares(alignments)
    labels = doc_labels(corpus)
    rows = [{"report": labels[d.id], "id": d.id, **{REUSE_LABELS[k]: shares.get(d.id, {}).get(k, 0.0)
                                                       for k in REUSE_LABELS}}
            for d in corpus.reports]
    return pd.DataFrame(rows, columns=["report", "id", *REUSE_LABELS.values()])
