"""The primary beside one report, passages tied by a finding highlighted and numbered alike."""
from __future__ import annotations

import hashlib

import pandas as pd

from ..corpus import Corpus
from ..rules.finding import SEVERITIES
from .tables import ordered
from .views import esc

__all__ = ["side_by_side"]

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
    records = ordered(findings).to_dict("records") if len(findings) else []
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
