"""HTML the notebooks show: styled and interactive tables, evidence snippets, word diffs.

Document text is untrusted: it reaches a page only through `esc`, through `static_table` /
`show_table` (which escape every column not declared HTML), or as chart data (see charts).
"""
from __future__ import annotations

from html import escape as _escape
import math
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from ..corpus import Corpus, load_corpus
from ..normalize import PROJECT_ROOT

__all__ = [
    "esc", "open_corpus", "page_setup", "show_table", "static_table", "save_table", "html",
    "save_html", "format_value", "squash", "snippet", "evidence_html", "diff_html", "CSS",
]

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


def squash(text: str) -> str:
    """Runs of whitespace, line breaks included, as one space: a passage on one line."""
    return re.sub(r"\s+", " ", text)


def snippet(raw: str, start: int, end: int, context: int = CONTEXT) -> str:
    """HTML: the span marked inside `context` characters either side, cut at word boundaries."""
    a, b = max(0, start - context), min(len(raw), end + context)
    before, after = raw[a:start], raw[end:b]
    if a > 0 and " " in before:
        before = before[before.index(" ") + 1:]
    if b < len(raw) and " " in after:
        after = after[:after.rindex(" ")]
    return (("…" if a > 0 else "") + esc(squash(before)) + "<mark>" + esc(squash(raw[start:end]))
            + "</mark>" + esc(squash(after)) + ("…" if b < len(raw) else ""))


def evidence_html(evidence: Iterable[dict[str, Any]], corpus: Corpus, context: int = CONTEXT, *,
                  limit: int = 4) -> str:
    """HTML: each evidence span (the first `limit`) in its context, labelled with its document id."""
    parts = []
    spans = list(evidence)
    for e in spans[:limit]:
        known = e["source"] in corpus
        raw = corpus[e["source"]].raw if known else e["text"]
        start, end = (e["start"], e["end"]) if known else (0, len(raw))
        parts.append(f'<div class="ca-ev"><b>{esc(e["source"])}</b>: {snippet(raw, start, end, context)}</div>')
    if len(spans) > limit:
        parts.append(f'<div class="ca-ev">… and {len(spans) - limit} more passages</div>')
    return "".join(parts)


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
