"""`claimalign report`: one offline HTML page per notebook plus index.html, for any corpus given by path."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimalign.present.report import EXECUTED, ReportError, build_report, notebook_paths

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "corpus" / "carney-china-visit-2026"
COUNCIL = REPO / "tests" / "data" / "council-corpus"
CLI = [str(Path(sys.executable).with_name("claimalign"))]
PAGES = [p.stem for p in notebook_paths()]
SCRIPT = "<script>alert(1)</script>"
HOSTILE_NAME = "hostile <script>alert('name')</script>"


def write_hostile_corpus(root: Path) -> Path:
    """A corpus whose texts and manifest carry markup that would run if a page did not escape it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.yaml").write_text(f"""\
corpus: "{HOSTILE_NAME}"
primary: statement
documents:
  - id: statement
    file: statement.txt
    kind: primary
    title: "Statement <img src=x onerror=window.__pwned=1>"
    author: "<script>window.__pwned=2</script>"
    outlet: "Example Council <b onmouseover=window.__pwned=3>"
    outlet_basis: stated
    date: 2026-02-02
    notes: "notes </script><script>window.__pwned=4</script>"
  - id: wire
    file: wire.txt
    kind: report
    title: "Wire </td></tr></table><script>window.__pwned=5</script>"
    outlet: Wire
    outlet_basis: inferred
    date: 2026-02-03
  - id: blog
    file: blog.txt
    kind: report
    outlet_basis: unknown
""", encoding="utf-8")
    (root / "statement.txt").write_text(f"""\
Statement of the Example Council

February 2, 2026

The Example Council {SCRIPT} said on February 2, 2026 that 120 residents signed the petition. Mayor Jane Doe met Councillor John Roe and the Harbour Trust.

"We will not accept {SCRIPT} any closure of the harbour before March 2026," said Jane Doe.

The council counted 40 boats <img src=x onerror=window.__pwned=6> in the harbour.
""", encoding="utf-8")
    (root / "wire.txt").write_text(f"""\
Council rejects closure

The Example Council said on February 3, 2026 that 150 residents signed the petition <img src=x onerror=window.__pwned=7>.

"We will not accept {SCRIPT} the closure of the harbour before April 2026," said Jane Doe, the mayor.

"</script><script>window.__pwned=8</script>," said John Roe.

The council counted 40 boats in the harbour.
""", encoding="utf-8")
    (root / "blog.txt").write_text("""\
Harbour news <svg onload=window.__pwned=9>

Nearly 120 residents signed, the Example Council said. Jane Doe said: "We will not accept any closure of the harbour before March 2026."

About 35 boats <iframe src="javascript:window.__pwned=10"></iframe> sit in the harbour, according to the Harbour Trust.
""", encoding="utf-8")
    return root


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


@pytest.fixture(scope="module")
def seed_run():
    """The README's main command on the seed corpus, with the default output folder."""
    proc = subprocess.run([*CLI, "report", str(SEED.relative_to(REPO))], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc, REPO / "reports" / SEED.name


def test_main_command_writes_index_and_one_page_per_notebook(seed_run):
    proc, out = seed_run
    assert (out / "index.html").is_file()
    for page in PAGES:
        assert (out / f"{page}.html").stat().st_size > 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{page}.html"' in index for page in PAGES)
    assert "findings" in index and "need review" in index
    high = re.search(r'<ul class="top">(.*?)</ul>', index, re.DOTALL).group(1)
    assert "<b>count_conflict</b>" in high and high.count("<b>misquote</b>") == 2


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


def test_the_same_command_works_for_another_corpus_given_by_path(tmp_path):
    out = tmp_path / "council"
    proc = subprocess.run([*CLI, "report", str(COUNCIL), "--out", str(out)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "index.html").is_file() and all((out / f"{p}.html").is_file() for p in PAGES)
    assert "riverton-courier" in (out / "4-side-by-side.html").read_text(encoding="utf-8")


def test_hostile_document_text_is_escaped_everywhere(tmp_path):
    corpus = write_hostile_corpus(tmp_path / "hostile")
    index = build_report(corpus, tmp_path / "out")
    pages = {p.stem: p.read_text(encoding="utf-8") for p in index.parent.glob("*.html")}
    assert set(pages) == {*PAGES, "index"}
    for name, html in pages.items():
        for live in (SCRIPT, "<script>window.__pwned", "<img src=x", "<svg onload", "<iframe src=\"javascript",
                     "<b onmouseover"):
            assert live not in html, f"{name} carries live markup {live!r}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["4-side-by-side"]
    assert "hostile &lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in pages["index"]


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
