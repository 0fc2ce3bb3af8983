"""Altair charts of claims and findings, drawn offline: Vega's JavaScript is embedded, never fetched.

`enable()` returns the page set-up (the vl-convert bundle, once per page) and switches Altair to
a renderer whose spec JSON cannot close its <script> tag, so untrusted text stays text.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

__all__ = [
    "enable", "javascript_bundle", "chart_html", "findings_chart", "quote_fidelity_chart",
    "coverage_chart", "counts_chart", "timeline_chart", "RENDERER", "EMBED_OPTIONS",
]

RENDERER = "claimalign"
EMBED_OPTIONS: dict[str, Any] = {"renderer": "svg", "actions": False}
WIDTH = 560
SEVERITY_COLORS = {"high": "#c0392b", "medium": "#e67e22", "low": "#7f8c8d"}
VERDICT_COLORS = {"verified": "#2e8b57", "misquote": "#c0392b", "unsourced": "#e6a23c",
                  "unmatched": "#95a5a6"}
COVERAGE_COLORS = {"mentioned": "#2e8b57", "omitted": "#c0392b"}
_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
               "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """JSON safe inside an HTML <script>: no `<`, `>` or `&` survives to end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return "".join(_JS_ESCAPES.get(ch, ch) for ch in text)


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


def bundle_script() -> str:
    """A <script> that defines vegaEmbed once per page and tells Altair's own renderer it is loaded."""
    debug = script_json({"vega_version": alt.VEGA_VERSION, "vegalite_version": alt.VEGALITE_VERSION,
                         "vegaembed_version": alt.VEGAEMBED_VERSION})
    bundle = javascript_bundle()
    if re.search(r"</script|<!--", bundle, re.IGNORECASE):
        raise RuntimeError("the vl-convert bundle cannot be inlined: it contains </script or <!--")
    return ("<script type=\"text/javascript\">\n"
            f"window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {{}}, {debug});\n"
            f"if (typeof window.vegaEmbed === \"undefined\") {{ (function () {{\n{bundle}\n}})(); }}\n"
            "</script>")


def chart_html(spec: dict[str, Any], **metadata: Any) -> str:
    """A chart as an HTML fragment that draws with the page's vegaEmbed (see `enable`)."""
    payload = script_json(spec)
    div = "ca-chart-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]
    options = script_json({**EMBED_OPTIONS, **metadata.get("embed_options", {})})
    return (f'<div class="ca-chart" id="{div}"></div>\n'
            "<script type=\"text/javascript\">\n(function () {\n"
            "  var me = document.currentScript, el = me && me.previousElementSibling;\n"
            f"  if (!el || el.id !== \"{div}\") {{ var els = document.querySelectorAll(\"#{div}\"); el = els[els.length - 1]; }}\n"
            "  if (typeof window.vegaEmbed === \"undefined\") {\n"
            "    el.textContent = \"The chart library is not loaded: run the notebook's first cell.\";\n"
            "    return;\n  }\n"
            f"  window.vegaEmbed(el, {payload}, {options}).catch(function (err) {{\n"
            "    el.textContent = \"Chart error: \" + err.message;\n  });\n"
            "})();\n</script>")


def _renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    return {"text/html": chart_html(spec, **metadata), "text/plain": "<claimalign chart>"}


def enable() -> str:
    """Switch Altair to the offline renderer; return the bundle <script> to show once per page."""
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _renderer)
    alt.renderers.enable(RENDERER)
    alt.data_transformers.disable_max_rows()
    return bundle_script()


def _empty(message: str) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"message": [message]})).mark_text(
        align="left", fontSize=13, color="#555").encode(text="message:N").properties(
        width=WIDTH, height=30)


def findings_chart(findings: pd.DataFrame) -> alt.Chart:
    """Findings by type and document: one block per finding and document, evidence in the tooltip."""
    if findings.empty:
        return _empty("No findings.")
    data = findings[["doc", "type", "severity", "subject", "evidence_text", "id"]]
    return alt.Chart(data).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("count():Q", title="findings"),
        y=alt.Y("type:N", title=None, sort="-x"),
        color=alt.Color("doc:N", title="document"),
        detail="id:N",
        tooltip=[alt.Tooltip("type:N"), alt.Tooltip("severity:N"), alt.Tooltip("doc:N", title="document"),
                 alt.Tooltip("subject:N"), alt.Tooltip("evidence_text:N", title="evidence")],
    ).properties(width=WIDTH, title="Findings by type and document")


def quote_fidelity_chart(quotes: pd.DataFrame) -> alt.Chart:
    """Quote fidelity per report: one block per quote, coloured by verdict, the quote in the tooltip."""
    if quotes.empty:
        return _empty("No quotes in the reports.")
    verdicts = [v for v in VERDICT_COLORS if v in set(quotes["verdict"])]
    return alt.Chart(quotes[["report", "verdict", "score", "speaker", "quote", "id"]]).mark_bar(
        stroke="white", strokeWidth=0.5).encode(
        x=alt.X("count():Q", title="quotes"),
        y=alt.Y("report:N", title=None),
        color=alt.Color("verdict:N", scale=alt.Scale(domain=verdicts,
                                                      range=[VERDICT_COLORS[v] for v in verdicts])),
        detail="id:N",
        tooltip=["report:N", "verdict:N", alt.Tooltip("score:Q", format=".1f"), "speaker:N", "quote:N"],
    ).properties(width=WIDTH, title="Quote fidelity per report")


def coverage_chart(coverage: pd.DataFrame) -> alt.Chart:
    """The primary's named items × reports: mentioned or omitted, with the evidence in the tooltip."""
    if coverage.empty:
        return _empty("No named items to check.")
    states = [s for s in COVERAGE_COLORS if s in set(coverage["status"])]
    return alt.Chart(coverage[["item", "report", "status", "evidence_text"]]).mark_rect(
        stroke="white").encode(
        x=alt.X("report:N", title=None, sort=list(dict.fromkeys(coverage["report"])),
                axis=alt.Axis(labelAngle=-30, orient="top")),
        y=alt.Y("item:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("status:N", scale=alt.Scale(domain=states,
                                                     range=[COVERAGE_COLORS[s] for s in states])),
        tooltip=["item:N", "report:N", "status:N", alt.Tooltip("evidence_text:N", title="evidence")],
    ).properties(width=min(WIDTH, 110 * coverage["report"].nunique()), title="Coverage of named items")


def counts_chart(counts: pd.DataFrame) -> alt.Chart | alt.VConcatChart:
    """Each counted subject's value per document; hedged counts drawn as intervals."""
    if counts.empty:
        return _empty("No subject is counted in more than one document.")
    tooltip = ["doc:N", "text:N", "hedge:N", alt.Tooltip("sentence:N", title="sentence")]
    panels = []
    for subject, rows in counts.groupby("subject", sort=True):
        data = rows[["doc", "low", "high_shown", "value", "open", "hedge", "text", "sentence"]]
        base = alt.Chart(data).encode(y=alt.Y("doc:N", title=None),
                                      color=alt.Color("doc:N", title="document"))
        interval = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
            x=alt.X("low:Q", title=str(subject)), x2="high_shown:Q", tooltip=tooltip)
        point = base.mark_point(filled=True, size=70).encode(
            x="value:Q", shape=alt.Shape("open:N", title="open-ended", scale=alt.Scale(
                domain=[False, True], range=["circle", "triangle-right"])), tooltip=tooltip)
        panels.append(alt.layer(interval, point).properties(width=WIDTH - 120))
    return alt.vconcat(*panels).properties(
        title="Counted subjects per document (a line is a hedged or open-ended count)")


def timeline_chart(dates: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    """A timeline of the dated claims: points for days, bars for ranges, one row per document."""
    if dates.empty:
        return _empty("No dated claims with a known year.")
    data = dates[["doc", "start", "end", "text", "sentence", "granularity"]].copy()
    data["start"] = pd.to_datetime(data["start"]).dt.strftime("%Y-%m-%d")
    data["end"] = pd.to_datetime(data["end"]).dt.strftime("%Y-%m-%d")
    tooltip = ["doc:N", "text:N", alt.Tooltip("start:T", format="%Y-%m-%d"),
               alt.Tooltip("end:T", format="%Y-%m-%d"), "sentence:N"]
    base = alt.Chart(data).encode(y=alt.Y("doc:N", title=None), color=alt.Color("doc:N", legend=None))
    spans = base.mark_rule(strokeWidth=6, opacity=0.5).encode(
        x=alt.X("start:T", title="date"), x2="end:T", tooltip=tooltip)
    points = base.mark_point(filled=True, size=60).encode(x="start:T", tooltip=tooltip)
    return alt.layer(spans, points).properties(width=WIDTH, title="Dated claims")
