"""The report as people read it: labels from the rule registry, documents by outlet and date, marks
that overlap kept, charts that count and colour right, HTML only from the templates."""
from __future__ import annotations

import ast
import fnmatch
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import claimalign
from claimalign.corpus import load_corpus
from claimalign.present import charts, labels, review, sidebyside, tables, views
from claimalign.present.html import TEMPLATES, fragment
from claimalign.rules import REGISTRY, FindingType
from conftest import CLI, REPO, SEED

COUNCIL = REPO / "tests" / "data" / "council-corpus"
LIB = REPO / "lib" / "claimalign"
HTML_TAG = re.compile(r"<(/?)(html|head|body|div|span|table|thead|tbody|tr|td|th|a|p|b|i|mark|script|style|li|ul|"
                      r"ol|sup|del|ins|br|h[1-6]|select|option|textarea|button|details|summary|code|label)(\s[^<>]*)?/?>")


@pytest.fixture(scope="module")
def seed():
    corpus = load_corpus(SEED)
    claims = claimalign.extract_claims(corpus)
    return corpus, claims, claimalign.findings(corpus, claims=claims)


def _finding(fid: str, type_: str, severity: str, evidence: list[tuple[str, int, int]], corpus) -> dict:
    spans = [{"source": s, "start": a, "end": b, "text": corpus[s].raw[a:b]} for s, a, b in evidence]
    return {"id": fid, "type": type_, "severity": severity, "confidence": 1.0, "subject": f"subject {fid}",
            "sources": list(dict.fromkeys(s for s, _, _ in evidence)), "values": {}, "explanation": "why",
            "evidence": spans, "score": None, "status": "needs_review", "note": "", "detail": {}}


def test_open_ranges_and_missing_values_read_as_words():
    assert views.format_value({"start": "2017", "end": None, "granularity": "year", "relation": "since"}) == "since 2017"
    assert views.format_value({"start": "2017", "end": "2026-01-13", "relation": "since"}) == "since 2017"
    assert views.format_value({"low": 9.0, "high": None}) == "at least 9"
    assert views.format_value({"low": 9.0, "high": None, "hedge": "nearly", "value": 9.0}) == "nearly 9"
    assert views.format_value(None) == "" and views.format_value(float("nan")) == ""
    assert views.format_count({"low": 9.0, "high": None, "open": True, "value": 9.0, "hedge": ""}) == "at least 9"


def test_documents_read_by_outlet_and_date_with_the_id_on_hover(seed, tmp_path):
    corpus = seed[0]
    assert labels.doc_labels(corpus) == {
        "coalition-letter": "Canadian Coalition on Human Rights in China, 9 Jan 2026",
        "uyghur-times": "Uyghur Times, 13 Jan 2026",
        "phayul": "Phayul, 13 Jan 2026",
        "unattributed-report": "unattributed-report",
        "jfa-saveuyghur": "Justice For All Canada",
    }
    assert str(fragment("doc")("phayul", "Phayul, 13 Jan 2026")) == \
        '<span class="ca-doc-name" title="phayul">Phayul, 13 Jan 2026</span>'
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "a.txt").write_text("The council met on Monday and agreed the budget.", encoding="utf-8")
    (twin / "b.txt").write_text("The council met on Monday and rejected the budget.", encoding="utf-8")
    (twin / "manifest.yaml").write_text(
        "primary: a\ndocuments:\n  - {id: a, file: a.txt, outlet: Wire, date: 2026-03-02}\n"
        "  - {id: b, file: b.txt, outlet: Wire, date: 2026-03-02}\n", encoding="utf-8")
    assert labels.doc_labels(load_corpus(twin)) == {"a": "Wire, 2 Mar 2026 (a)", "b": "Wire, 2 Mar 2026 (b)"}


def test_explanations_name_documents_not_ids(seed):
    corpus = seed[0]
    shown = str(tables.explain("phayul's quotation differs from coalition-letter: “and” → “or”.", corpus))
    assert shown.startswith('<span class="ca-doc-name" title="phayul">Phayul, 13 Jan 2026</span>&#39;s quotation')
    assert 'title="coalition-letter">Canadian Coalition on Human Rights in China, 9 Jan 2026</span>' in shown
    assert str(tables.explain("a <b>bold</b> claim", corpus)) == "a &lt;b&gt;bold&lt;/b&gt; claim"


def test_any_registered_finding_type_shows_its_label_and_legend(monkeypatch):
    corpus = load_corpus(COUNCIL)
    new = FindingType("contradiction", "Contradiction", "Contradicts the source",
                      "A report says the opposite of the primary.", "high")
    monkeypatch.setitem(REGISTRY.types, "contradiction", new)
    primary, report = corpus.primary_id, corpus.reports[0].id
    found = pd.DataFrame([_finding("F-0000000001", "contradiction", "high",
                                   [(primary, 0, 20), (report, 0, 20)], corpus)])
    table = tables.findings_table(found, corpus)
    assert 'data-type="contradiction" title="A report says the opposite of the primary.">Contradiction<' \
        in table["Finding"][0]
    facet = next(f for f in table.attrs["facets"] if f.label == "Type")
    assert list(facet.options) == [("contradiction", "Contradiction")]
    assert "<dt><span class=\"ca-type\" data-type=\"contradiction\"" in views.legend(found)
    spec = charts.findings_chart(found).to_dict()
    assert spec["encoding"]["y"]["sort"] == ["Contradiction"]


def test_segments_keep_overlapping_marks_and_number_where_each_ends():
    marks = [sidebyside.Mark(2, 6, "F-a", 1, "high", "1 · a"), sidebyside.Mark(4, 8, "F-b", 2, "low", "2 · b")]
    pieces = sidebyside.segments("abcdefghij", marks)
    assert [(p["text"], p["findings"], p["sups"]) for p in pieces] == [
        ("ab", "", ""), ("cd", "F-a", ""), ("ef", "F-a F-b", "1"), ("gh", "F-b", "2"), ("ij", "", "")]
    assert [p["multi"] for p in pieces] == [False, False, True, False, False]
    assert pieces[2]["severity"] == "high", "an overlap takes the more severe colour"


def test_side_by_side_numbers_a_pair_alike_and_drops_no_mark():
    corpus = load_corpus(COUNCIL)
    primary, report = corpus.primary_id, corpus.reports[0].id
    found = pd.DataFrame([_finding("F-000000000a", "misquote", "high", [(primary, 0, 40), (report, 10, 50)], corpus),
                          _finding("F-000000000b", "count_conflict", "high", [(primary, 20, 60), (report, 30, 70)],
                                   corpus)])
    page = sidebyside.side_by_side(corpus, found, report)
    panel = re.search(rf'<div class="ca-sbs" data-report="{report}">(.*?)<details', page, re.DOTALL).group(1)
    left, right = re.findall(r'<div class="ca-doc" data-doc="[^"]+">(.*?)</div></div>', panel, re.DOTALL)
    numbers = []
    for side in (left, right):
        marks = re.findall(r'<mark [^>]*data-findings="([^"]+)"[^>]*title="(\d+) · ', side)
        assert {frozenset(ids.split()) for ids, _ in marks} == {
            frozenset({"F-000000000a"}), frozenset({"F-000000000a", "F-000000000b"}), frozenset({"F-000000000b"})}, \
            "three pieces: each finding alone and the overlap, marked with both"
        numbers.append({ids: n for ids, n in marks if " " not in ids})
        assert "<sup>1</sup>" in side and "<sup>2</sup>" in side
    assert numbers[0] == numbers[1] and set(numbers[0].values()) == {"1", "2"}, "numbered alike on both sides"


def test_evidence_links_open_the_report_s_pair_at_the_passage(seed):
    corpus = seed[0]
    assert views.side_by_side_link("F-1", "phayul", 120, ["phayul", "coalition-letter"], corpus) == \
        "4-side-by-side.html#report=phayul&finding=F-1&at=phayul:120"
    assert views.side_by_side_link("F-1", "coalition-letter", 5, ["coalition-letter", "phayul"], corpus) == \
        "4-side-by-side.html#report=phayul&finding=F-1&at=coalition-letter:5"
    html = views.evidence_html([{"source": "phayul", "start": 0, "end": 6, "text": corpus["phayul"].raw[:6]}],
                               corpus, finding="F-1", sources=["phayul"])
    assert 'href="4-side-by-side.html#report=phayul&amp;finding=F-1&amp;at=phayul:0"' in html


def _color_scales(spec: dict) -> list[tuple[tuple, tuple]]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            color = node.get("color")
            if isinstance(color, dict) and color.get("field") == "document" and "scale" in color:
                found.append((tuple(color["scale"]["domain"]), tuple(color["scale"]["range"])))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(spec)
    return found


def test_every_document_keeps_one_colour_in_every_chart(seed):
    corpus, claims, found = seed
    frame = claimalign.claims_frame(claims)
    specs = [charts.timeline_chart(tables.dated_claims(frame), corpus).to_dict(),
             charts.documents_chart(found, corpus).to_dict(),
             *[c.to_dict() for c in charts.counts_chart(tables.count_values(frame, corpus), corpus).charts]]
    scales = [s for spec in specs for s in _color_scales(spec)]
    assert len(scales) >= 3 and len(set(scales)) == 1
    domain, colours = scales[0]
    assert domain[0] == "Canadian Coalition on Human Rights in China, 9 Jan 2026" and len(domain) == len(corpus)
    assert len(set(colours)) == len(corpus) and set(colours) <= set(labels.PALETTE)


def test_findings_chart_counts_each_finding_once_most_severe_first(seed):
    found = seed[2]
    spec = charts.findings_chart(found).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert sum(r["findings"] for r in rows) == len(found)
    order = spec["encoding"]["y"]["sort"]
    worst = {r["type label"]: min(s["order"] for s in rows if s["type label"] == r["type label"]) for r in rows}
    assert [worst[t] for t in order] == sorted(worst[t] for t in order)
    assert order[0] == "Count conflict"  # the seed's one high-severity finding


def test_count_charts_zoom_to_the_values_and_draw_open_intervals(seed):
    corpus, claims, _ = seed
    counts = tables.count_values(claimalign.claims_frame(claims), corpus)
    group = charts.counts_chart(counts, corpus)
    spec = group.charts[0].to_dict()
    scale = spec["layer"][0]["encoding"]["x"]["scale"]
    low, high = scale["domain"]
    assert scale["zero"] is False and 8 < low < 9 and 10 < high < 12, scale
    assert any(layer["mark"].get("shape") == "triangle-right" for layer in spec["layer"]), "the open interval's arrow"
    assert list(tables.counts_table(counts, corpus)["Value"]) == ["10", "10", "at least 9", "9"]


def test_timeline_focuses_on_the_corpus_dates_and_marks_what_lies_outside(seed):
    corpus, claims, _ = seed
    spec = charts.timeline_chart(tables.dated_claims(claimalign.claims_frame(claims)), corpus).to_dict()
    domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert "2025-12-01" <= domain[0] <= "2026-01-09" and "2026-01-17" <= domain[1] <= "2026-02-28", domain
    rows = next(iter(spec["datasets"].values()))
    early = [r for r in rows if r["side"] == "before"]
    assert any(r["when"] == "since 2017" for r in early), "'since 2017' stays at 2017, marked at the edge"
    assert all(r["x"] == domain[0] for r in early)
    assert "further out" in str(spec["title"])


def test_review_payload_carries_built_statuses_and_keeps_unknown_entries(tmp_path):
    corpus_dir = tmp_path / "council"
    shutil.copytree(COUNCIL, corpus_dir)
    first = claimalign.findings(load_corpus(corpus_dir)).iloc[0]["id"]
    (corpus_dir / "reviews.yaml").write_text(
        f"reviews:\n  - id: {first}\n    status: explained\n    note: the wire rounds\n"
        "  - id: F-ffffffffff\n    status: confirmed\n    note: from an older run\n", encoding="utf-8")
    corpus = load_corpus(corpus_dir)
    with pytest.warns(Warning, match="F-ffffffffff"):
        found = claimalign.findings(corpus)
    payload = review.review_payload(found, corpus)
    assert payload["key"] == f"claimalign:reviews:{corpus.name}:{corpus.primary_id}"
    assert [first, "explained", "the wire rounds"] in payload["findings"]
    assert payload["extra"] == [["F-ffffffffff", "confirmed", "from an older run"]]
    assert review.status_counts(found)["explained"] == 1


def _strings_outside_docstrings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_html_is_built_outside_the_templates():
    built = [f"{path.relative_to(LIB)}:{line}: {text[:60]!r}" for path in LIB.rglob("*.py")
             for line, text in _strings_outside_docstrings(path) if HTML_TAG.search(text) and "(?P<" not in text]
    assert built == []


def test_the_package_ships_every_template():
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["claimalign"]
    files = [p.relative_to(LIB).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()]
    assert len(files) >= 10
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []


def test_version_report_options_and_bad_settings_on_the_command_line(tmp_path):
    version = subprocess.run([*CLI, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip() == f"claimalign {claimalign.__version__}"
    helps = subprocess.run([*CLI, "report", "--help"], capture_output=True, text=True).stdout
    assert all(option in helps for option in ("--primary", "--min-severity", "--set", "--settings"))
    bad = subprocess.run([*CLI, "report", str(COUNCIL), "--out", str(tmp_path / "out"), "--set", "quotes.nope=1"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == ["claimalign: error: --set: unknown setting 'quotes.nope' "
                                               "(see `claimalign settings` for the list)"]


def test_the_documents_the_help_texts_cite_exist():
    cited = {m for path in LIB.rglob("*.py") for m in re.findall(r"docs/[\w./-]+\.md", path.read_text("utf-8"))}
    assert "docs/formats.md" in cited
    assert [c for c in cited if not (REPO / c).is_file()] == []
