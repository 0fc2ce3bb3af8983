"""`claimalign report`: one offline HTML page per notebook plus index.html, for any corpus given by path."""
from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from claimalign.corpus import load_corpus
from claimalign.present.report import EXECUTED, ReportError, build_report, notebook_paths
from claimalign.rules.finding import COLUMNS
from conftest import CLI, REPO, SEED
from hostile import HOSTILE_NAME, SCRIPT

COUNCIL = REPO / "tests" / "data" / "council-corpus"
PAGES = [p.stem for p in notebook_paths()]
FINDING_LINK = re.compile(r'href="1-discrepancies\.html#(F-[0-9a-f]{10})"')


class _Loads(HTMLParser):
    """Every URL a page would load by itself: src of scripts, images, frames; stylesheet links."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "embed", "source", "audio", "video", "input") and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"] or "")
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def _remote_loads(html: str) -> list[str]:
    parser = _Loads()
    parser.feed(html)
    remote = [u for u in parser.urls if re.match(r"\s*(https?:|//|ftp:|wss?:)", u, re.IGNORECASE)]
    remote += re.findall(r"(?:@import|url\()\s*['\"]?\s*(?:https?:)?//[^'\")\s]+", "".join(parser.styles))
    return remote


def test_main_command_writes_index_and_one_page_per_notebook(seed_run):
    proc, out = seed_run
    assert (out / "index.html").is_file()
    for page in PAGES:
        assert (out / f"{page}.html").stat().st_size > 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{page}.html"' in index for page in PAGES)
    assert "findings" in index and "need review" in index


def test_index_shows_each_reports_reuse_of_the_primary(seed_run):
    from claimalign.sentalign import align_sentences, reuse_shares

    _, out = seed_run
    index = (out / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="ca-summary ca-reuse">(.*?)</table>', index, re.DOTALL).group(1)
    rows = re.findall(r'<tr><th title="([^"]+)">[^<]*</th>(.*?)</tr>', table, re.DOTALL)
    shares = reuse_shares(align_sentences(load_corpus(SEED)))
    assert {rid for rid, _ in rows} == set(shares) == {"uyghur-times", "phayul", "unattributed-report",
                                                       "jfa-saveuyghur"}
    for rid, cells in rows:
        shown = [int(x) for x in re.findall(r'<td class="ca-n">(\d+)%</td>', cells)]
        assert shown == [round(100 * shares[rid][k]) for k in ("verbatim", "paraphrase", "new")]


def test_index_lists_the_findings_to_read_first_each_a_permalink(seed_run):
    _, out = seed_run
    index = (out / "index.html").read_text(encoding="utf-8")
    first = re.search(r'<ol class="ca-first">(.*?)</ol>', index, re.DOTALL).group(1)
    items = re.findall(r"<li>(.*?)</li>", first, re.DOTALL)
    assert 3 <= len(items) <= 10
    assert all(FINDING_LINK.search(item) for item in items), "every finding listed is a link to its row"
    findings = json.loads(subprocess.run([*CLI, "findings", str(SEED), "--format", "json"], capture_output=True,
                                         text=True, check=True).stdout)
    high = [f["id"] for f in findings if f["severity"] == "high"]
    assert [FINDING_LINK.search(i).group(1) for i in items[:len(high)]] == high, "the high ones come first"
    heads = [re.search(r'<span class="ca-type"[^>]*>([^<]+)</span>', i).group(1) for i in items[:3]]
    assert heads == ["Count conflict", "Name variant", "Name variant"], "labels, not snake_case names"


class _Nav(HTMLParser):
    """The links of the page's navigation bar (nav.ca-nav), each as its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and "ca-nav" in (a.get("class") or "").split():
            self._in = True
        elif tag == "a" and self._in:
            self.links.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in = False


def test_every_page_has_the_header_and_the_navigation_bar(seed_run):
    from claimalign import __version__

    _, out = seed_run
    for page in [*PAGES, "index"]:
        html = (out / f"{page}.html").read_text(encoding="utf-8")
        header = re.search(r'<header class="ca-header">(.*?</nav>)', html, re.DOTALL)
        assert header, page
        assert "carney-china-visit-2026" in header.group(1) and f"claimalign {__version__}" in header.group(1)
        assert re.search(r"run \d{4}-\d{2}-\d{2} \d{2}:\d{2}", header.group(1)), page
        assert "<code>primary</code> = <span class=\"ca-value\">coalition-letter</span>" in header.group(1), page
        nav = _Nav()
        nav.feed(header.group(1))
        hrefs = [a["href"] for a in nav.links if not a.get("rel")]
        assert hrefs == [f"{p}.html" for p in ["index", *PAGES]], page
        assert [a["href"] for a in nav.links if a.get("aria-current") == "page"] == [f"{page}.html"]
        steps = {a["rel"]: a["href"] for a in nav.links if a.get("rel")}
        order = ["index", *PAGES]
        at = order.index(page)
        assert steps == {**({"prev": f"{order[at - 1]}.html"} if at else {}),
                         **({"next": f"{order[at + 1]}.html"} if at < len(order) - 1 else {})}, page
    overview = (out / f"{PAGES[1]}.html").read_text(encoding="utf-8")
    assert "<code>min_severity</code> = <span class=\"ca-value\">low</span>" in overview


def test_main_command_shows_progress_and_its_wall_time(seed_run):
    proc, _ = seed_run
    for page in PAGES:
        assert re.search(rf"\[\d/{len(PAGES)}\] {re.escape(page)}: ok \(\d+\.\d s\)", proc.stdout)
    wall = re.search(r"in (\d+\.\d) s \(wall time\)", proc.stdout)
    assert wall, proc.stdout
    print(f"seed corpus report: {wall.group(1)} s wall time")


def test_pages_load_nothing_from_the_network(seed_run):
    _, out = seed_run
    for page in [*PAGES, "index"]:
        html = (out / f"{page}.html").read_text(encoding="utf-8")
        assert _remote_loads(html) == [], page
        assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "unpkg.com" not in html, page


def test_pages_show_no_input_code_and_no_errors(seed_run):
    _, out = seed_run
    for page in PAGES:
        html = (out / f"{page}.html").read_text(encoding="utf-8")
        assert "Traceback" not in html and "<div class=\"jp-CodeMirrorEditor" not in html, page
        executed = json.loads((out / EXECUTED / f"{page}.ipynb").read_text(encoding="utf-8"))
        assert not [o for c in executed["cells"] for o in c.get("outputs", [])
                    if o.get("output_type") == "error"], page


def test_report_tables_are_written_beside_the_pages(seed_run):
    _, out = seed_run
    names = {p.name for p in (out / "tables").glob("*.csv")}
    assert {"documents.csv", "findings.csv", "quotes.csv", "coverage.csv"} <= names


def test_findings_csv_keeps_every_piece_of_evidence_as_export_writes_it(seed_run):
    _, out = seed_run
    written = (out / "tables" / "findings.csv").read_text(encoding="utf-8")
    exported = subprocess.run([*CLI, "export", str(SEED), "--to", "csv"], capture_output=True, text=True,
                              check=True).stdout
    assert written == exported, "the same flat form as `claimalign export --to csv`"
    frame = pd.read_csv(out / "tables" / "findings.csv", keep_default_na=False)
    assert list(frame.columns) == COLUMNS
    corpus = load_corpus(SEED)
    pieces = [e for cell in frame["evidence"] for e in json.loads(cell)]
    assert len(pieces) >= len(frame) > 0
    for e in pieces:
        assert set(e) == {"source", "start", "end", "text"}
        assert corpus[e["source"]].raw[e["start"]:e["end"]] == e["text"]


def test_parameters_reach_every_notebook_the_pages_and_the_index(tmp_path):
    out = tmp_path / "council"
    proc = subprocess.run([*CLI, "report", str(COUNCIL), "--out", str(out), "--min-severity", "high",
                           "--set", "quotes.severity_unsourced=high"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "index.html").is_file() and all((out / f"{p}.html").is_file() for p in PAGES)
    assert "riverton-courier" in (out / "4-side-by-side.html").read_text(encoding="utf-8")
    for page in PAGES:
        ran = json.loads((out / EXECUTED / f"{page}.ipynb").read_text(encoding="utf-8"))
        given = ran["metadata"]["papermill"]["parameters"]
        assert given["primary"] == "council-release" and given["min_severity"] == "high", page
        assert given["settings"] == {"quotes.severity_unsourced": "high"}, page
        assert ran["metadata"]["kernelspec"]["name"] == "claimalign", page
        html = (out / f"{page}.html").read_text(encoding="utf-8")
        assert "<code>min_severity</code> = <span class=\"ca-value\">high</span>" in html, page
    findings = pd.read_csv(out / "tables" / "findings.csv")
    assert set(findings["severity"]) == {"high"}, "min_severity filters what the pages count"
    assert set(findings["type"]) == {"count_conflict", "misquote", "unsourced_quote"}, "--set reached the rules"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"<b>{len(findings)}</b> findings of high severity" in index
    summary = re.search(r'<table class="ca-summary">(.*?)</table>', index, re.DOTALL).group(1)
    assert "Unsourced quote" in summary and "Omission" not in summary and "Verified quote" not in summary


def test_hostile_document_text_is_escaped_everywhere(hostile_pages):
    pages = {p.stem: p.read_text(encoding="utf-8") for p in hostile_pages.glob("*.html")}
    assert set(pages) == {*PAGES, "index"}
    for name, html in pages.items():
        for live in (SCRIPT, "<script>window.__pwned", "<img src=x", "<svg onload", "<iframe src=\"javascript",
                     "<b onmouseover"):
            assert live not in html, f"{name} carries live markup {live!r}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["4-side-by-side"]
    assert "hostile &lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in pages["index"]


def test_a_failing_notebook_raises_and_keeps_its_executed_copy(tmp_path):
    broken = tmp_path / "9-broken.ipynb"
    broken.write_text(json.dumps({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Broken\n\n**Does it fail?**"},
            {"cell_type": "code", "id": "b", "metadata": {"tags": ["parameters"]}, "outputs": [],
             "execution_count": None, "source": 'corpus_dir: str = ""  # corpus'},
            {"cell_type": "code", "id": "c", "metadata": {}, "outputs": [], "execution_count": None,
             "source": "raise ValueError('boom in the notebook')"},
        ]}), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(ReportError, match=r"9-broken failed at cell \d+: ValueError: boom in the notebook"):
        build_report(SEED, out, notebooks=[broken])
    kept = json.loads((out / EXECUTED / "9-broken.ipynb").read_text(encoding="utf-8"))
    assert any(o.get("ename") == "ValueError" for c in kept["cells"] for o in c.get("outputs", []))
    assert "boom in the notebook" in (out / "9-broken.html").read_text(encoding="utf-8")


def test_a_missing_corpus_is_one_clear_error(tmp_path):
    proc = subprocess.run([*CLI, "report", str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "no such corpus folder" in proc.stderr and "Traceback" not in proc.stderr
