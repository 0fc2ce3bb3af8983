"""What the notebooks show: values read as a person writes them, diffs marked, untrusted text escaped."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import claimalign
from claimalign.present import sidebyside, tables, views
from claimalign.corpus import load_corpus

REPO = Path(__file__).resolve().parents[1]
COUNCIL = REPO / "tests" / "data" / "council-corpus"


def test_values_read_as_a_person_writes_them():
    assert views.format_value({"low": 9.0, "high": None, "hedge": "at least", "value": 9.0}) == "at least 9"
    assert views.format_value({"low": 10.0, "high": 10.0}) == "10"
    assert views.format_value({"low": 70.2, "high": 78.0, "unit": "%"}) == "70.2–78%"
    assert views.format_value({"low": 1375000000.0, "high": 1375000000.0, "unit": "CAD"}) == "1,375,000,000 CAD"
    assert views.format_value({"start": "2026-01-13", "end": "2026-01-17"}) == "2026-01-13 to 2026-01-17"
    assert views.format_value({"start": "2026-01-12", "end": "2026-01-12"}) == "2026-01-12"
    assert views.format_value(math.inf) == "∞"


def test_word_diff_marks_the_source_words_deleted_and_the_report_words_inserted():
    diff = [["replace", "feature", "figure"], ["equal", "prominently", "prominently"],
            ["delete", "", "very"], ["insert", "<b>new</b>", ""]]
    assert views.diff_html(diff) == (
        '<span class="ca-diff"><del title="in the source, not in the report">figure</del> '
        '<ins title="in the report, not in the source">feature</ins> prominently '
        '<del title="in the source, not in the report">very</del> '
        '<ins title="in the report, not in the source">&lt;b&gt;new&lt;/b&gt;</ins></span>')


def test_snippet_marks_the_span_in_escaped_context_cut_at_words():
    raw = "Before words <i>x</i> said 120 <b>residents</b> signed & left after that."
    start = raw.index("120")
    assert views.snippet(raw, start, start + 3, context=20) == (
        "…&lt;i&gt;x&lt;/i&gt; said <mark>120</mark> &lt;b&gt;residents&lt;/b&gt;…")
    assert views.snippet(raw, 0, 6, context=12) == "<mark>Before</mark> words…"


def test_static_table_escapes_every_cell_not_declared_html():
    df = pd.DataFrame({"text": ["<img src=x onerror=alert(1)>"], "evidence": ["<mark>ok</mark>"],
                       "severity": ["high"], "score": [66.66]})
    html = views.static_table(df, html_columns=["evidence"])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<td><mark>ok</mark></td>" in html
    assert '<td class="ca-severity-high">high</td>' in html
    assert "<td>66.7</td>" in html


def test_static_table_groups_rows_with_their_count():
    df = pd.DataFrame({"severity": ["high", "high", "low"], "subject": ["a", "b", "c"]})
    html = views.static_table(df, group_by=["severity"])
    assert html.count('class="ca-group"') == 2
    assert "high (2)</th>" in html and "low (1)</th>" in html


def test_council_coverage_and_side_by_side_come_from_the_findings():
    corpus = load_corpus(COUNCIL)
    findings = claimalign.findings(corpus)
    cov = tables.coverage(findings, corpus)
    omitted = findings[findings["type"] == "omission"]
    assert set(cov["finding"]) == set(omitted["id"])
    assert set(cov["status"]) <= {"mentioned", "omitted"}
    grid = tables.coverage_matrix(cov, corpus)
    assert list(grid.columns[:1]) == ["item"] and grid.columns[-1] == "omitted by"
    assert (grid["omitted by"] >= 1).all()
    page = sidebyside.side_by_side(corpus, findings)
    reports = [d.id for d in corpus.reports]
    assert page.count('class="ca-sbs"') == len(reports)
    assert page.count('hidden="hidden"') == len(reports) - 1


def test_quote_rows_give_each_report_quote_one_verdict_on_the_report_text():
    corpus = load_corpus(COUNCIL)
    quotes = tables.quote_rows(claimalign.findings(corpus), corpus)
    assert not quotes.empty and set(quotes["verdict"]) <= {"verified", "misquote", "unsourced"}
    assert (quotes["report"] != corpus.primary_id).all()
    for q in quotes.itertuples():
        assert corpus[q.report].raw[q.start:q.end] == q.quote
    assert "misquote" in set(quotes["verdict"])
