"""What the notebooks show: styled and interactive tables, evidence snippets, word diffs.

Every piece of HTML comes from a template (`templates/`, autoescaped). Document text is untrusted:
it reaches a page as template text, or through `esc` (the cells of interactive tables), or as
chart data (see charts).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from ..corpus import Corpus, load_corpus
from ..normalize import PROJECT_ROOT
from ..values import DateRange
from .html import Markup, escape, fragment, render
from .labels import doc_labels

__all__ = [
    "esc", "open_corpus", "page_setup", "show_table", "static_table", "interactive_table", "save_table",
    "html", "save_html", "format_value", "squash", "snippet", "evidence_html", "diff_html", "Facet",
    "side_by_side_link", "format_count", "legend", "SIDE_BY_SIDE_PAGE", "FINDINGS_PAGE", "CONTEXT",
]

CONTEXT = 60
PAGE_LENGTH = 25
SIDE_BY_SIDE_PAGE = "4-side-by-side.html"
FINDINGS_PAGE = "1-discrepancies.html"


def esc(value: Any) -> str:
    """HTML-escaped text of a cell; missing values become empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(escape(str(value)))


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


def _itables_bundle() -> Markup:
    """itables' offline set-up: the DataTables bundle inlined (base64) once per page."""
    import itables.options as itables_options
    from itables.javascript import generate_init_offline_itables_html

    return Markup(generate_init_offline_itables_html(itables_options.dt_bundle))


def page_setup(*, interactive: bool = True, charts: bool = True) -> Any:
    """Once per notebook: styles and the report's script, the chart library, the table library."""
    from IPython.display import HTML

    vega = None
    if charts:
        from . import charts as chart_module

        vega = chart_module.enable()
    return HTML(render("ca_setup.html.j2", vega=vega, tables=_itables_bundle() if interactive else None))


@dataclass(frozen=True)
class Facet:
    """A filter menu over a table: rows whose `column` matches the chosen value (exact, token, status)."""

    label: str
    column: str
    options: Sequence[tuple[str, str]] = ()
    match: str = "exact"  # exact | token (space-separated ids) | status (the live review status)
    name: str = field(default="")


def _display(column: str, value: Any, html_columns: Sequence[str]) -> str:
    if column in html_columns:
        return "" if value is None else str(value)
    if isinstance(value, float) and not math.isnan(value):
        return esc(f"{value:.1f}")
    return esc(value)


def _cell_class(column: str, value: Any) -> str:
    if column in ("severity", "status", "verdict") and isinstance(value, str):
        return f'ca-{column}-{re.sub(r"[^a-z_]", "", value.lower())}'
    if value in ("mentioned", "omitted"):
        return f"ca-cov-{value}"
    return ""


def _shown_columns(df: pd.DataFrame, group_by: Sequence[str] = ()) -> list[str]:
    return [c for c in df.columns if c not in group_by and not str(c).startswith("_")]


def static_table(df: pd.DataFrame, *, html_columns: Sequence[str] = (),
                 group_by: Sequence[str] = (), row_id: str | None = None) -> str:
    """A styled HTML table; columns in `html_columns` are trusted HTML, all others are escaped."""
    html_columns = list(html_columns) or list(df.attrs.get("html_columns", ()))
    columns = _shown_columns(df, group_by)
    rows: list[dict[str, Any]] = []
    last: tuple[Any, ...] | None = None
    for record in df.to_dict("records"):
        key = tuple(record[g] for g in group_by)
        if group_by and key != last:
            size = int((df[list(group_by)] == pd.Series(dict(zip(group_by, key)))).all(axis=1).sum())
            rows.append({"group": " · ".join(str(k) for k in key) + f" ({size})"})
            last = key
        cells = [(Markup(_display(c, record[c], html_columns)), _cell_class(c, record[c])) for c in columns]
        rows.append({"group": None, "id": record.get(row_id) if row_id else None, "cells": cells})
    return str(fragment("table")(columns, rows))


def _facet_options(df: pd.DataFrame, facet: Facet) -> list[tuple[str, str]]:
    if facet.options:
        return [(str(v), str(label)) for v, label in facet.options]
    values: list[str] = []
    for cell in df[facet.column]:
        values += str(cell).split() if facet.match == "token" else [str(cell)]
    return [(v, v) for v in dict.fromkeys(v for v in values if v)]


def interactive_table(df: pd.DataFrame, *, html_columns: Sequence[str] = (), facets: Sequence[Facet] = (),
                      table_id: str | None = None, sort_by: dict[str, str] | None = None,
                      widths: dict[str, str] | None = None, page_length: int = PAGE_LENGTH) -> str:
    """A searchable, sortable, filterable table (itables' DataTables, offline), headers kept in view.

    Columns named with a leading `_` are hidden but searchable: they carry the values the filter
    menus match (`_id` becomes the row's anchor, `#F-…`).
    """
    from itables.javascript import to_html_datatable
    from itables.typing import JavascriptFunction

    names = [str(c) for c in df.columns]
    safe = pd.DataFrame({esc(c): [_display(c, v, html_columns).replace("\n", " ") for v in df[c]]
                         for c in df.columns})
    hidden = [i for i, c in enumerate(names) if c.startswith("_")]
    defs: list[dict[str, Any]] = [{"className": "dt-left", "targets": "_all"}]
    if hidden:
        defs.append({"targets": hidden, "visible": False})
    for shown, key in (sort_by or {}).items():
        if shown in names and key in names:
            defs.append({"targets": names.index(shown), "orderData": [names.index(key)]})
    for shown, width in (widths or {}).items():
        if shown in names:
            defs.append({"targets": names.index(shown), "width": width})
    table_id = table_id or "ca-t-" + re.sub(r"[^a-z0-9]+", "-", "-".join(names).lower())[:40]
    config = {"id": names.index("_id") if "_id" in names else None,
              "labels": [n for n in names]}
    # itables 2.9 drops an initComplete it is given, so the set-up runs from the first draw.
    ready = JavascriptFunction("function (settings) { if (window.claimalign) "
                               f"window.claimalign.tableDrawn(settings, {json.dumps(config)}); }}")
    table = to_html_datatable(
        safe, connected=False, allow_html=True, showIndex=False, display_logo_when_loading=False,
        maxBytes=0, pageLength=page_length, lengthMenu=[10, 25, 50, 100, {"label": "all", "value": -1}],
        classes="display compact ca-dt", style="width:100%", autoWidth=False, deferRender=False,
        order=[], columnDefs=defs, fixedHeader=True, drawCallback=ready, table_id=table_id)
    bars = [{"name": f.name or f.column.strip("_"), "label": f.label, "column": names.index(f.column),
             "match": f.match, "options": _facet_options(df, f)} for f in facets if f.column in names]
    return str(render("ca_table.html.j2", table_id=table_id, facets=bars, table=Markup(table)))


def show_table(df: pd.DataFrame, *, interactive: bool, html_columns: Sequence[str] = (),
               group_by: Sequence[str] = (), facets: Sequence[Facet] | None = None,
               table_id: str | None = None) -> Any:
    """Searchable and filterable (itables, offline) when interactive; else a styled static table.

    A table built by `tables` carries its HTML columns, filters and sort keys in `df.attrs`.
    """
    from IPython.display import HTML

    html_columns = list(html_columns) or list(df.attrs.get("html_columns", ()))
    if not interactive:
        return HTML(static_table(df, html_columns=html_columns, group_by=group_by,
                                 row_id="_id" if "_id" in df.columns else None))
    facets = list(facets if facets is not None else df.attrs.get("facets", ()))
    return HTML(interactive_table(df, html_columns=html_columns, facets=facets,
                                  table_id=table_id or df.attrs.get("table_id"),
                                  sort_by=df.attrs.get("sort_by"), widths=df.attrs.get("widths")))


def save_table(df: pd.DataFrame, output_dir: str | Path | None, name: str) -> Path | None:
    """Write a table as CSV into output_dir (nothing when output_dir is empty); return its path.

    Lists and mappings are written as compact JSON, as `claimalign export --to csv` writes them,
    so evidence keeps its document, offsets and text.
    """
    if not output_dir:
        return None
    from ..export import to_csv

    path = Path(output_dir) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_csv(df[[c for c in df.columns if not str(c).startswith("_")]]), encoding="utf-8")
    return path


def html(fragment_html: str) -> Any:
    """Show an HTML fragment built from the templates (its document text is already escaped)."""
    from IPython.display import HTML

    return HTML(fragment_html)


def save_html(fragment_html: str, output_dir: str | Path | None, name: str) -> Path | None:
    """Write an HTML fragment as a page into output_dir (nothing when output_dir is empty)."""
    if not output_dir:
        return None
    path = Path(output_dir) / f"{name}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render("ca_fragment_page.html.j2", body=Markup(fragment_html)) + "\n", encoding="utf-8")
    return path


def _number(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isinf(x)):
        return "∞"
    x = float(x)
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


def format_value(value: Any) -> str:
    """A claim or finding value as short text: `at least 10`, `since 2017`, `2026-01-13 to 2026-01-17`."""
    if isinstance(value, dict):
        if "low" in value:
            unit = value.get("unit") or ""
            unit = unit if unit == "%" else (f" {unit}" if unit else "")
            if value.get("hedge"):
                return f"{value['hedge']} {_number(value.get('value', value['low']))}{unit}".strip()
            if value.get("high") is None:
                return f"at least {_number(value['low'])}{unit}"
            if value["low"] == value["high"]:
                return f"{_number(value['low'])}{unit}"
            return f"{_number(value['low'])}–{_number(value['high'])}{unit}"
        if "start" in value or "end" in value:
            return str(DateRange.of(value))
        return "; ".join(f"{k}: {format_value(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, float):
        return "" if math.isnan(value) else _number(value)
    return "" if value is None else str(value)


def format_count(row: dict[str, Any]) -> str:
    """A count row as it reads: "10", "at least 9", "nearly 78" (hedge kept)."""
    high = row.get("high")
    high = None if row.get("open") or high is None or (isinstance(high, float) and math.isnan(high)) else high
    return format_value({"low": row["low"], "high": high, "value": row["value"], "hedge": row.get("hedge")})


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
    return str(fragment("snippet")(squash(before), squash(raw[start:end]), squash(after), a > 0, b < len(raw)))


def side_by_side_link(finding: str, source: str, start: int, sources: Sequence[str], corpus: Corpus) -> str:
    """The side-by-side page's address showing this passage: the report's panel, the finding lit."""
    reports = [d.id for d in corpus.reports]
    panel = source if source in reports else next((s for s in sources if s in reports),
                                                  reports[0] if reports else "")
    return f"{SIDE_BY_SIDE_PAGE}#report={panel}&finding={finding}&at={source}:{start}"


def evidence_html(evidence: Iterable[dict[str, Any]], corpus: Corpus, context: int = CONTEXT, *,
                  limit: int = 4, finding: str | None = None, sources: Sequence[str] = ()) -> str:
    """HTML: each evidence span (the first `limit`) in its context, under its document's name.

    With `finding` given, each snippet links to that passage in the side-by-side view.
    """
    spans = list(evidence)
    labels = doc_labels(corpus)
    items = []
    for e in spans[:limit]:
        known = e["source"] in corpus
        raw = corpus[e["source"]].raw if known else e["text"]
        start, end = (e["start"], e["end"]) if known else (0, len(raw))
        href = side_by_side_link(finding, e["source"], e["start"], sources, corpus) if finding and known else ""
        items.append({"source": e["source"], "label": labels.get(e["source"], e["source"]),
                      "snippet": Markup(snippet(raw, start, end, context)), "href": href})
    return str(fragment("evidence")(items, max(0, len(spans) - limit)))


def _words(words: Any) -> str:
    if words is None:
        return ""
    return " ".join(str(w) for w in words) if isinstance(words, (list, tuple)) else str(words)


def diff_html(diff: Iterable[Sequence[Any]]) -> str:
    """HTML of a word diff: the source's words the report lacks in <del>, the report's own in <ins>."""
    parts: list[tuple[str, str]] = []
    for op, quote_words, source_words in diff:
        quoted, source = _words(quote_words), _words(source_words)
        if op == "equal":
            if quoted or source:
                parts.append(("equal", quoted or source))
            continue
        if source:
            parts.append(("del", source))
        if quoted:
            parts.append(("ins", quoted))
    return str(fragment("diff")(parts))


def legend(findings: pd.DataFrame) -> str:
    """HTML: what each finding type present means (label, one line, how its severity is set)."""
    from .labels import SEVERITY_LABELS, type_legend

    present = list(dict.fromkeys(findings["type"])) if len(findings) else []
    return str(fragment("legend")(type_legend(present), list(SEVERITY_LABELS.items())))
