"""Altair charts of claims and findings, drawn offline: Vega's JavaScript is embedded, never fetched.

`enable()` returns the page set-up (the vl-convert bundle, once per page) and switches Altair to
a renderer whose spec JSON cannot close its <script> tag, so untrusted text stays text. Charts
fill the width of their container and carry Vega-Embed's menu to save them as PNG or SVG. Each
document keeps one colour (colour-blind-safe) in every chart, and a finding counts once unless a
chart's title says otherwise.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import altair as alt
import pandas as pd

from ..corpus import Corpus
from ..rules import SEVERITIES
from .html import Markup, fragment, render, script_json
from .tables import VERDICTS
from .views import format_count
from .labels import RELATION_COLORS, REUSE_LABELS, doc_colors, doc_labels, human_date, severity_label, type_label

__all__ = [
    "enable", "javascript_bundle", "chart_html", "findings_chart", "documents_chart",
    "quote_fidelity_chart", "reuse_chart", "coverage_chart", "counts_chart", "timeline_chart", "document_scale",
    "ChartGroup", "RENDERER", "EMBED_OPTIONS", "script_json",
]

RENDERER = "claimalign"
EMBED_OPTIONS: dict[str, Any] = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
    "i18n": {"PNG_ACTION": "Save as PNG", "SVG_ACTION": "Save as SVG"},
}
WIDTH = "container"
SEVERITY_COLORS = {"high": "#D55E00", "medium": "#E69F00", "low": "#56B4E9"}
VERDICT_COLORS = {"verified_quote": "#0072B2", "misquote": "#D55E00", "unsourced_quote": "#E69F00"}
COVERAGE_COLORS = {"mentioned": "#56B4E9", "omitted": "#E69F00"}
COVERAGE_MARKS = {"mentioned": "✓", "omitted": "✗"}
FOCUS_MARGIN_DAYS = 30
NARROW = 520  # px: below this container width, axis labels are cut shorter so the marks keep room
EDGE_DAYS = 2


def _vegalite_version() -> str | None:
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vlc.get_vegalite_versions() else None


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claimalign"


@lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """vl-convert's Vega + Vega-Lite + Vega-Embed bundle, cached on disk (building it takes seconds)."""
    import vl_convert as vlc

    version = _vegalite_version()
    path = _cache_dir() / f"vega-bundle-{vlc.__version__}-{version or 'latest'}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle(vl_version=version) if version else vlc.javascript_bundle()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return bundle


def bundle_script() -> Markup:
    """A <script> that defines vegaEmbed once per page and tells Altair's own renderer it is loaded."""
    bundle = javascript_bundle()
    if re.search(r"</script|<!--", bundle, re.IGNORECASE):
        raise RuntimeError("the vl-convert bundle cannot be inlined: it contains </script or <!--")
    debug = {"vega_version": alt.VEGA_VERSION, "vegalite_version": alt.VEGALITE_VERSION,
             "vegaembed_version": alt.VEGAEMBED_VERSION}
    return render("ca_vega.html.j2", debug=debug, bundle=Markup(bundle))


def chart_html(spec: dict[str, Any], **metadata: Any) -> str:
    """A chart as an HTML fragment that draws with the page's vegaEmbed (see `enable`)."""
    div = "ca-chart-" + hashlib.sha1(str(script_json(spec)).encode("utf-8")).hexdigest()[:12]
    options = {**EMBED_OPTIONS, **metadata.get("embed_options", {})}
    return str(fragment("chart")(div, spec, options))


def _renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    return {"text/html": chart_html(spec, **metadata), "text/plain": "<claimalign chart>"}


def enable() -> Markup:
    """Switch Altair to the offline renderer; return the bundle <script> to show once per page."""
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _renderer)
    alt.renderers.enable(RENDERER)
    alt.data_transformers.disable_max_rows()
    return bundle_script()


class ChartGroup:
    """Several charts shown one after another, each as wide as the page."""

    def __init__(self, charts: Iterable[alt.TopLevelMixin]):
        self.charts = list(charts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": "\n".join(chart_html(c.to_dict()) for c in self.charts),
                "text/plain": f"<{len(self.charts)} claimalign charts>"}


def _labels(wide: int, narrow: int = 110) -> alt.ExprRef:
    """A label length that follows the chart's width: long names on a desktop, short on a phone."""
    return alt.ExprRef(f"containerSize()[0] < {NARROW} ? {narrow} : {wide}")


def _title(text: str, note: str = "") -> alt.Title:
    """A chart title, with what it counts on a second line."""
    return alt.Title(text, subtitle=note, anchor="start", subtitleColor="#555") if note else \
        alt.Title(text, anchor="start")


def _empty(message: str) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"message": [message]})).mark_text(
        align="left", fontSize=13, color="#555").encode(text="message:N").properties(
        width=WIDTH, height=30)


def document_scale(corpus: Corpus) -> alt.Scale:
    """The colour scale of documents: each document's label keeps its colour in every chart."""
    labels, colors = doc_labels(corpus), doc_colors(corpus)
    return alt.Scale(domain=[labels[d.id] for d in corpus], range=[colors[d.id] for d in corpus])


def _severity_scale(present: Iterable[str]) -> alt.Scale:
    shown = [s for s in SEVERITIES if s in set(present)]
    return alt.Scale(domain=[severity_label(s) for s in shown], range=[SEVERITY_COLORS[s] for s in shown])


def findings_chart(findings: pd.DataFrame) -> alt.Chart:
    """Findings by type, counted once each, stacked by severity; the most severe types first."""
    if findings.empty:
        return _empty("No findings.")
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    data = (findings.groupby(["type", "severity"]).size().rename("findings").reset_index())
    data["type label"] = data["type"].map(type_label)
    data["severity label"] = data["severity"].map(severity_label)
    data["order"] = data["severity"].map(rank)
    worst = data.groupby("type")["order"].min()
    total = data.groupby("type")["findings"].sum()
    types = sorted(worst.index, key=lambda t: (worst[t], -total[t], type_label(t)))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("findings:Q", title="findings (each counted once)", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("type label:N", title=None, sort=[type_label(t) for t in types],
                axis=alt.Axis(labelLimit=_labels(220))),
        color=alt.Color("severity label:N", title="severity", scale=_severity_scale(data["severity"]),
                        legend=alt.Legend(orient="top")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("type label:N", title="type"), alt.Tooltip("severity label:N", title="severity"),
                 alt.Tooltip("findings:Q")],
    ).properties(width=WIDTH, title=_title("Findings by type, most severe first", "each finding counted once"))


def documents_chart(findings: pd.DataFrame, corpus: Corpus) -> alt.Chart:
    """Findings per document: a finding that involves three documents counts once for each (title says so)."""
    if findings.empty:
        return _empty("No findings.")
    labels = doc_labels(corpus)
    rows = [{"document": labels.get(doc, doc), "id": doc, "severity label": severity_label(f["severity"])}
            for f in findings.to_dict("records") for doc in dict.fromkeys(f["sources"])]
    data = pd.DataFrame(rows).groupby(["document", "id"]).size().rename("findings").reset_index()
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("findings:Q", title="findings that involve the document", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("document:N", title=None, sort=[labels[d.id] for d in corpus], axis=alt.Axis(labelLimit=_labels(260))),
        color=alt.Color("document:N", scale=document_scale(corpus), legend=None),
        tooltip=[alt.Tooltip("document:N"), alt.Tooltip("id:N", title="id"), alt.Tooltip("findings:Q")],
    ).properties(width=WIDTH, title=_title("Findings per document",
                                           "a finding counts once for each document it involves"))


def reuse_chart(reuse: pd.DataFrame) -> alt.Chart:
    """Each report's words as one bar: verbatim from the primary, paraphrased from it, new (from reuse_table)."""
    if reuse.empty:
        return _empty("No reports.")
    parts = list(REUSE_LABELS.values())
    data = reuse.melt(id_vars=["report", "id"], value_vars=parts, var_name="words", value_name="share")
    data["order"] = data["words"].map(parts.index)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("share:Q", title="share of the report's words", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("report:N", title=None, sort=list(reuse["report"]), axis=alt.Axis(labelLimit=_labels(260))),
        color=alt.Color("words:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=parts, range=[RELATION_COLORS[k] for k in REUSE_LABELS])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("report:N"), alt.Tooltip("id:N", title="id"), alt.Tooltip("words:N"),
                 alt.Tooltip("share:Q", format=".0%")],
    ).properties(width=WIDTH, title=_title("How much of each report is the primary's",
                                           "words of sentences aligned verbatim or as a paraphrase"))


def quote_fidelity_chart(quotes: pd.DataFrame, corpus: Corpus | None = None) -> alt.Chart:
    """Quote fidelity per report: one block per quote, coloured by verdict, the quote in the tooltip."""
    if quotes.empty:
        return _empty("No quotes in the reports.")
    labels = doc_labels(corpus) if corpus is not None else {}
    data = quotes[["report", "verdict", "score", "speaker", "quote", "id"]].copy()
    data["document"] = data["report"].map(lambda r: labels.get(r, r))
    types = {v: k for k, v in VERDICTS.items()}
    data["verdict label"] = data["verdict"].map(lambda v: type_label(types.get(v, v)))
    data["score"] = data["score"].map(lambda s: None if s is None or (isinstance(s, float) and math.isnan(s)) else s)
    shown = [t for t in VERDICT_COLORS if VERDICTS[t] in set(data["verdict"])]
    order = [labels.get(d.id, d.id) for d in corpus] if corpus is not None else None
    return alt.Chart(data).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("count():Q", title="quotes", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("document:N", title=None, sort=order, axis=alt.Axis(labelLimit=_labels(260))),
        color=alt.Color("verdict label:N", title="verdict", scale=alt.Scale(
            domain=[type_label(t) for t in shown], range=[VERDICT_COLORS[t] for t in shown]),
            legend=alt.Legend(orient="top")),
        detail="id:N",
        tooltip=[alt.Tooltip("document:N"), alt.Tooltip("report:N", title="id"),
                 alt.Tooltip("verdict label:N", title="verdict"), alt.Tooltip("score:Q", format=".1f"),
                 alt.Tooltip("speaker:N"), alt.Tooltip("quote:N")],
    ).properties(width=WIDTH, title=_title("Quote fidelity per report", "one block per quote"))



def coverage_chart(coverage: pd.DataFrame, corpus: Corpus | None = None) -> alt.LayerChart | alt.Chart:
    """The primary's named items × reports: mentioned (✓, blue) or omitted (✗, orange)."""
    if coverage.empty:
        return _empty("No named items to check.")
    labels = doc_labels(corpus) if corpus is not None else {}
    data = coverage[["item", "report", "status", "evidence_text"]].copy()
    data["document"] = data["report"].map(lambda r: labels.get(r, r))
    data["mark"] = data["status"].map(COVERAGE_MARKS)
    states = [s for s in COVERAGE_COLORS if s in set(data["status"])]
    base = alt.Chart(data).encode(
        x=alt.X("document:N", title=None, sort=list(dict.fromkeys(data["document"])),
                axis=alt.Axis(labelAngle=alt.ExprRef(f"containerSize()[0] < {NARROW} ? -40 : 0"), orient="top",
                              labelLimit=_labels(180, 90))),
        y=alt.Y("item:N", title=None, sort=None, axis=alt.Axis(labelLimit=_labels(320, 120))),
        tooltip=[alt.Tooltip("item:N"), alt.Tooltip("document:N"), alt.Tooltip("report:N", title="id"),
                 alt.Tooltip("status:N"), alt.Tooltip("evidence_text:N", title="evidence")])
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("status:N", title=None, scale=alt.Scale(domain=states,
                                                                 range=[COVERAGE_COLORS[s] for s in states]),
                        legend=alt.Legend(orient="bottom")))
    marks = base.mark_text(fontSize=13, color="#222").encode(text="mark:N")
    return alt.layer(cells, marks).properties(width=WIDTH, title=_title("Named items of the primary",
                                                                        "mentioned (✓) or omitted (✗), report by report"))


def _count_domain(rows: pd.DataFrame) -> tuple[float, float, bool]:
    """The x range that shows a subject's values (and room for an open interval's arrow); whole numbers?"""
    finite = [x for x in list(rows["low"]) + list(rows["high"]) + list(rows["value"])
              if x is not None and not (isinstance(x, float) and (math.isnan(x) or math.isinf(x)))]
    lo, hi = min(finite), max(finite)
    whole = all(float(x).is_integer() for x in finite)
    span = hi - lo
    pad = span * 0.25 if span else max(abs(hi) * 0.1, 1.0)
    pad = max(pad, 0.5) if whole else pad
    if rows["open"].any():
        hi += pad * 2
    return lo - pad, hi + pad, whole


def counts_chart(counts: pd.DataFrame, corpus: Corpus | None = None) -> ChartGroup | alt.Chart:
    """Each counted subject's value per document, zoomed to the values; hedged counts as intervals.

    An open-ended count ("at least 9") is a line running off the right edge with an arrow head.
    """
    if counts.empty:
        return _empty("No subject is counted in more than one document.")
    labels = doc_labels(corpus) if corpus is not None else {}
    scale = document_scale(corpus) if corpus is not None else alt.Scale()
    charts = []
    for subject, rows in counts.groupby("subject", sort=True):
        lo, hi, whole = _count_domain(rows)
        data = rows[["doc", "low", "high", "value", "open", "hedge", "text", "sentence"]].copy()
        data["document"] = data["doc"].map(lambda d: labels.get(d, d))
        data["to"] = [hi if o else (h if h is not None and not math.isnan(h) else v)
                      for o, h, v in zip(data["open"], data["high"], data["value"])]
        data["reads"] = [format_count(r) for r in data.to_dict("records")]
        data = data.drop(columns=["high"])
        tooltip = [alt.Tooltip("document:N"), alt.Tooltip("doc:N", title="id"),
                   alt.Tooltip("reads:N", title="value"), alt.Tooltip("text:N"),
                   alt.Tooltip("sentence:N")]
        base = alt.Chart(data).encode(
            y=alt.Y("document:N", title=None, axis=alt.Axis(labelLimit=_labels(260))),
            color=alt.Color("document:N", scale=scale, legend=None))
        axis = alt.Axis(tickMinStep=1, format=",d") if whole else alt.Axis()
        x = alt.X("low:Q", title=str(subject), axis=axis,
                  scale=alt.Scale(domain=[lo, hi], zero=False, nice=False, clamp=True))
        interval = base.mark_rule(strokeWidth=3, opacity=0.7).encode(x=x, x2="to:Q", tooltip=tooltip)
        point = base.mark_point(filled=True, size=80, opacity=1).encode(
            x=alt.X("value:Q"), tooltip=tooltip)
        arrow = base.transform_filter("datum.open").mark_point(
            shape="triangle-right", filled=True, size=90).encode(x=alt.X("to:Q"), tooltip=tooltip)
        charts.append(alt.layer(interval, point, arrow).properties(
            width=WIDTH, title=_title(str(subject), "the value each document gives")))
    return ChartGroup(charts)


def _focus(dates: pd.DataFrame, corpus: Corpus | None) -> tuple[pd.Timestamp, pd.Timestamp, list[pd.Timestamp]]:
    """The days the corpus is about: its documents' dates (else the middle half of the claims), with a margin."""
    anchors = [pd.Timestamp(d.date.year, d.date.month or 1, d.date.day or 1)
               for d in (corpus or []) if d.date and d.date.year]
    if anchors:
        lo, hi = min(anchors), max(anchors)
    else:
        starts = pd.to_datetime(dates["start"])
        lo, hi = starts.quantile(0.25), starts.quantile(0.75)
    margin = max(pd.Timedelta(days=FOCUS_MARGIN_DAYS), hi - lo)
    return lo - margin, hi + margin, anchors


def timeline_chart(dates: pd.DataFrame, corpus: Corpus | None = None) -> alt.LayerChart | alt.Chart:
    """The dated claims around the corpus's own dates, one row per document; what lies outside is
    marked ◀ or ▶ at the edge (its date in the tooltip), a range running out of view is cut there.

    A point is a day, a bar a range; a hollow point a day whose year the text did not give.
    """
    if dates.empty:
        return _empty("No dated claims with a known year.")
    labels = doc_labels(corpus) if corpus is not None else {}
    lo, hi, anchors = _focus(dates, corpus)
    data = dates.copy()
    data["start"], data["end"] = pd.to_datetime(data["start"]), pd.to_datetime(data["end"])
    inside = data[(data["start"] >= lo) & (data["end"] <= hi)]
    edge = pd.Timedelta(days=EDGE_DAYS)
    left = min([*anchors, *inside["start"]], default=lo) - edge
    right = max([*anchors, *inside["end"]], default=hi) + edge
    if right - left < pd.Timedelta(days=14):
        middle = left + (right - left) / 2
        left, right = middle - pd.Timedelta(days=7), middle + pd.Timedelta(days=7)
    data["side"] = ["before" if e < left else "after" if s > right else "" for s, e in zip(data["start"], data["end"])]
    data["x"] = [left if side == "before" or s < left else right if side == "after" else s
                 for s, side in zip(data["start"], data["side"])]
    data["x2"] = [x if side else min(e, right) for x, e, side in zip(data["x"], data["end"], data["side"])]
    data["document"] = data["doc"].map(lambda d: labels.get(d, d))
    data["when"] = [_when(r) for r in data.to_dict("records")]
    data["year"] = ["inferred from the document's date (the text does not give it)" if i else "in the text"
                    for i in data["year inferred"]]
    for column in ("x", "x2"):
        data[column] = pd.to_datetime(data[column]).dt.strftime("%Y-%m-%d")
    data = data.drop(columns=["start", "end"])
    outside = int((data["side"] != "").sum())
    scale = document_scale(corpus) if corpus is not None else alt.Scale()
    domain = [left.strftime("%Y-%m-%d"), right.strftime("%Y-%m-%d")]
    tooltip = [alt.Tooltip("document:N"), alt.Tooltip("doc:N", title="id"), alt.Tooltip("text:N"),
               alt.Tooltip("when:N", title="date"), alt.Tooltip("year:N", title="year"),
               alt.Tooltip("sentence:N")]
    base = alt.Chart(data).encode(
        y=alt.Y("document:N", title=None, axis=alt.Axis(labelLimit=_labels(260))),
        color=alt.Color("document:N", scale=scale, legend=None))
    days = (right - left).days
    ticks = ({"interval": "day", "step": max(1, math.ceil(days / 10))} if days <= 70 else
             {"interval": "month", "step": max(1, math.ceil(days / 300))})
    x = alt.X("x:T", title=None, scale=alt.Scale(domain=domain),
              axis=alt.Axis(format="%-d %b" if days <= 70 else "%b %Y", tickCount=ticks, labelOverlap=True))
    shown = base.transform_filter("datum.side == ''")
    spans = shown.mark_rule(strokeWidth=6, opacity=0.5).encode(x=x, x2="x2:T", tooltip=tooltip)
    points = shown.mark_point(size=60, filled=False, strokeWidth=2).encode(x=x, tooltip=tooltip)
    told = shown.transform_filter("!datum['year inferred']").mark_point(size=60, filled=True).encode(
        x=x, tooltip=tooltip)
    edges = base.transform_filter("datum.side != ''").mark_point(filled=True, size=90, opacity=0.8).encode(
        x=x, shape=alt.Shape("side:N", scale=alt.Scale(domain=["before", "after"],
                                                        range=["triangle-left", "triangle-right"]), legend=None),
        tooltip=tooltip)
    note = f"{outside} further out, marked ◀ ▶ at the edges" if outside else ""
    title = _title(f"Dated claims, {human_date(domain[0])} to {human_date(domain[1])}", note)
    return alt.layer(spans, points, told, edges).properties(width=WIDTH, title=title)


def _when(row: dict[str, Any]) -> str:
    start = pd.Timestamp(row["start"]).strftime("%Y-%m-%d")
    end = pd.Timestamp(row["end"]).strftime("%Y-%m-%d")
    if row.get("granularity") == "year":
        start, end = start[:4], end[:4]
    elif row.get("granularity") == "month":
        start, end = start[:7], end[:7]
    if row.get("year inferred"):
        start, end = human_date(start, year=False), human_date(end, year=False)
    if row.get("relation") == "since":
        return f"since {start}"
    return start if start == end else f"{start} to {end}"
