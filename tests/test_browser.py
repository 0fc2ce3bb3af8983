"""The reports in a real browser (Debian's chromium, driven by Playwright, offline): nothing leaves the
file, every chart draws, no error shows, the findings can be searched, filtered, linked and reviewed,
and a hostile corpus's markup stays text that runs nothing. Screenshots of every page, at desktop
width and at 390 px, go to reports/screenshots/ (printed at the end of the run)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from claimalign.present.report import notebook_paths
from conftest import CLI, REPO, SEED
from hostile import HOSTILE_NAME, SCRIPT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LOCAL = ("file:", "data:", "blob:", "about:")
ERROR_TEXT = ("Traceback", "Javascript Error", "Chart error", "The chart library is not loaded",
              "Loading ITables", "Error loading script")
LEAKED = re.compile(r"\b(None|nan|NaN|NaT|undefined|null)\b")
WIDTHS = {"desktop": 1280, "phone": 390}
SHOTS = REPO / "reports" / "screenshots"
CHART_MARKS = """() => Array.from(document.querySelectorAll('.ca-chart')).map(c => ({
    svg: c.querySelectorAll('svg.marks').length,
    marks: c.querySelectorAll('svg.marks g.role-mark > *').length,
    menu: c.querySelectorAll('details a[download]').length,
    text: c.innerText.slice(0, 120)}))"""
TABLES_READY = """() => Array.from(document.querySelectorAll('.ca-itable')).every(
    d => window.claimalign && window.claimalign.tables[d.dataset.table] && window.claimalign.tables[d.dataset.table].ready)"""
FINDINGS = "ca-findings"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup)")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is missing: run `make browser` (make test does)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with playwright_api.sync_playwright() as p:
        profile = tmp_path_factory.mktemp("chromium-profile")
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True, offline=True,
            viewport={"width": WIDTHS["desktop"], "height": 1000}, service_workers="block",
            accept_downloads=True)
        yield context
        context.close()


@pytest.fixture(scope="module")
def seed_pages(seed_run):
    return seed_run[1]


@pytest.fixture(scope="module")
def seed_findings():
    out = subprocess.run([*CLI, "findings", str(SEED), "--format", "json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def screenshots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    yield SHOTS
    print(f"\nscreenshots: {SHOTS}")


class Visit:
    """One page opened in the browser, with every request, error and dialog it caused."""

    def __init__(self, context, path: Path, *, hash: str = "", width: int = WIDTHS["desktop"], settle: bool = True):
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": 1000 if width > 600 else 844})
        self.page.route(re.compile(r"^(?!file:|data:|blob:|about:)"), self._block)
        self.page.on("request", lambda r: None if r.url.startswith(LOCAL) else self.remote.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri() + hash, wait_until="load")
        if settle:
            self.settle()

    def settle(self) -> None:
        self.page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.ca-chart')).every(c => c.querySelector('svg') || c.innerText)",
            timeout=20_000)
        self.page.wait_for_function(TABLES_READY, timeout=20_000)
        self.page.wait_for_timeout(200)

    def _block(self, route) -> None:
        self.remote.append(route.request.url)
        route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def text(self) -> str:
        return self.page.inner_text("body")

    def table(self, name: str = FINDINGS) -> str:
        return f"window.claimalign.tables[{json.dumps(name)}].api"

    def shown_rows(self, name: str = FINDINGS) -> int:
        return self.page.evaluate(f"() => {self.table(name)}.rows({{search: 'applied'}}).count()")

    def show_all_rows(self, name: str = FINDINGS) -> None:
        self.page.evaluate(f"() => {self.table(name)}.page.len(-1).draw()")


def _pages(folder: Path) -> list[Path]:
    return [folder / "index.html"] + [folder / f"{p.stem}.html" for p in notebook_paths()]


def test_every_page_works_offline_reads_right_and_is_photographed(browser, seed_pages, screenshots):
    charted = 0
    for path in _pages(seed_pages):
        for name, width in WIDTHS.items():
            visit = Visit(browser, path, width=width)
            try:
                assert visit.remote == [], f"{path.name} asked the network for {visit.remote}"
                assert visit.errors == [], f"{path.name}: {visit.errors}"
                text = visit.text()
                assert not [e for e in ERROR_TEXT if e in text], path.name
                leaked = {m.group(0) for m in LEAKED.finditer(text)}
                assert not leaked, f"{path.name} shows internal values: {leaked}"
                if path.stem == "index":
                    told = visit.page.evaluate(
                        "() => ['table.ca-summary', 'ol.ca-first'].map(s => document.querySelector(s).innerText)")
                    assert not re.search(r"\b[a-z]+_[a-z_]+\b", " ".join(told)), "snake_case names on the index"
                for chart in visit.page.evaluate(CHART_MARKS):
                    assert chart["svg"] == 1 and chart["marks"] > 0, f"{path.name}: chart not drawn: {chart}"
                    assert chart["menu"] >= 2, f"{path.name}: no save-as-PNG/SVG menu: {chart}"
                    charted += name == "desktop"
                if name == "phone":
                    wide = visit.page.evaluate("() => document.documentElement.scrollWidth")
                    assert wide <= width + 2, f"{path.name} is {wide} px wide on a {width} px screen"
                visit.page.screenshot(path=str(screenshots / f"{path.stem}-{name}.png"), full_page=True)
            finally:
                visit.page.close()
    assert charted >= 6, "timeline, per document, findings, counts, quote fidelity and coverage charts"
    assert len(list(screenshots.glob("*.png"))) == 2 * len(_pages(seed_pages))


def test_typing_in_the_findings_search_narrows_the_rows(browser, seed_pages):
    visit = Visit(browser, seed_pages / "1-discrepancies.html")
    try:
        total = visit.shown_rows()
        visit.page.fill(f".ca-itable[data-table={FINDINGS}] .dt-search input", "Cheuk Kwan")
        visit.page.wait_for_function(f"() => {visit.table()}.rows({{search: 'applied'}}).count() < {total}",
                                     timeout=5_000)
        shown = visit.shown_rows()
        assert 0 < shown < total
        visit.show_all_rows()
        rows = visit.page.locator(f"#{FINDINGS} tbody tr")
        assert rows.count() == shown
        assert all("cheuk kwan" in rows.nth(i).inner_text().lower() for i in range(shown))
        assert f"{shown} of {total} rows" in visit.page.inner_text(f".ca-filters[data-table={FINDINGS}]")
    finally:
        visit.page.close()


def test_the_findings_table_header_stays_in_view_while_scrolling(browser, seed_pages):
    visit = Visit(browser, seed_pages / "1-discrepancies.html")
    try:
        visit.page.evaluate(f"() => document.querySelector('#{FINDINGS} tbody tr:nth-child(12)').scrollIntoView()")
        visit.page.wait_for_selector("table.fixedHeader-floating thead", timeout=5_000)
        header = visit.page.evaluate("""() => {
            const head = document.querySelector('table.fixedHeader-floating thead');
            const nav = document.querySelector('nav.ca-nav').getBoundingClientRect();
            if (!head) return null;
            const box = head.getBoundingClientRect();
            return {top: box.top, under: nav.bottom, text: head.innerText}; }""")
        assert header, "no floating header"
        assert abs(header["top"] - header["under"]) <= 2, header
        assert "Evidence" in header["text"] and "Review" in header["text"]
    finally:
        visit.page.close()


def test_a_chart_saves_as_svg_and_png_offline(browser, seed_pages, tmp_path):
    visit = Visit(browser, seed_pages / "1-discrepancies.html")
    try:
        chart = visit.page.locator(".ca-chart").first
        for label, head in (("Save as SVG", b"<svg"), ("Save as PNG", b"\x89PNG")):
            chart.locator("details > summary").click()
            with visit.page.expect_download() as download:
                chart.locator("details a", has_text=label).click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            assert saved.read_bytes().startswith(head), label
            chart.locator("details").evaluate("d => d.removeAttribute('open')")
        assert visit.remote == [] and visit.errors == []
    finally:
        visit.page.close()


def test_the_severity_filter_hides_low_findings(browser, seed_pages, seed_findings):
    visit = Visit(browser, seed_pages / "1-discrepancies.html")
    try:
        visit.show_all_rows()
        assert visit.page.locator(f"#{FINDINGS} tbody .ca-sev-low").count() > 0
        visit.page.select_option(f".ca-filters[data-table={FINDINGS}] select[data-facet=severity]", "high")
        high = [f for f in seed_findings if f["severity"] == "high"]
        assert visit.shown_rows() == len(high) >= 1
        assert visit.page.locator(f"#{FINDINGS} tbody .ca-sev-low").count() == 0
        assert visit.page.locator(f"#{FINDINGS} tbody .ca-sev-high").count() == len(high)
        visit.page.select_option(f".ca-filters[data-table={FINDINGS}] select[data-facet=severity]", "medium")
        visit.page.select_option(f".ca-filters[data-table={FINDINGS}] select[data-facet=type]", "misquote")
        misquotes = [f for f in seed_findings if f["severity"] == "medium" and f["type"] == "misquote"]
        assert visit.shown_rows() == len(misquotes) >= 1
        visit.page.click(f".ca-filters[data-table={FINDINGS}] button.ca-clear")
        assert visit.shown_rows() == len(seed_findings)
    finally:
        visit.page.close()


def test_a_permalink_on_the_index_lands_on_its_finding(browser, seed_pages, seed_findings):
    last = seed_findings[-1]["id"]  # low severity: on a later page of the table
    visit = Visit(browser, seed_pages / "index.html", hash=f"#{last}", settle=False)
    try:
        visit.page.wait_for_url(re.compile(rf"1-discrepancies\.html#{last}$"), timeout=10_000)
        visit.settle()
        row = visit.page.locator(f"tr#{last}")
        row.wait_for(state="visible", timeout=10_000)
        assert "ca-target" in (row.get_attribute("class") or "")
        box, height = row.bounding_box(), visit.page.viewport_size["height"]
        assert box and 0 <= box["y"] < height, "the row is in view"
        assert visit.errors == [] and visit.remote == []
    finally:
        visit.page.close()


def test_an_evidence_link_opens_the_passage_lit_on_both_sides(browser, seed_pages, seed_findings):
    misquote = next(f for f in seed_findings if f["type"] == "misquote")
    report = next(s for s in misquote["sources"] if s != "coalition-letter")
    visit = Visit(browser, seed_pages / "1-discrepancies.html", hash=f"#{misquote['id']}")
    try:
        link = visit.page.locator(f"tr#{misquote['id']} a.ca-ev-link").first
        assert f"report={report}" in link.get_attribute("href")
        link.click()
        visit.page.wait_for_url(re.compile(r"4-side-by-side\.html#report="), timeout=10_000)
        visit.page.wait_for_selector("mark.ca-flash", timeout=10_000)
        shown = visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('.ca-sbs')).filter(p => !p.hidden).map(p => p.dataset.report)")
        assert shown == [report]
        sides = visit.page.evaluate("""(finding) => {
            const panel = Array.from(document.querySelectorAll('.ca-sbs')).find(p => !p.hidden);
            return Array.from(panel.querySelectorAll('.ca-doc')).map(box => {
                const lit = Array.from(box.querySelectorAll('mark.ca-flash'));
                const b = box.getBoundingClientRect();
                const m = lit.length ? lit[0].getBoundingClientRect() : null;
                return {doc: box.dataset.doc, lit: lit.length,
                        ours: lit.every(x => (' ' + x.dataset.findings + ' ').includes(' ' + finding + ' ')),
                        inView: !!m && m.top >= b.top - 1 && m.bottom <= b.bottom + 1};
            }); }""", misquote["id"])
        assert [s["doc"] for s in sides] == ["coalition-letter", report]
        assert all(s["lit"] > 0 and s["ours"] and s["inView"] for s in sides), sides
        numbers = visit.page.evaluate("""(finding) => {
            const panel = Array.from(document.querySelectorAll('.ca-sbs')).find(p => !p.hidden);
            return Array.from(panel.querySelectorAll('.ca-doc')).map(box => {
                const marks = Array.from(box.querySelectorAll('mark')).filter(
                    x => (' ' + x.dataset.findings + ' ').includes(' ' + finding + ' '));
                return marks[0].title.split(' ')[0]; }); }""", misquote["id"])
        assert numbers[0] == numbers[1], "the pair is numbered alike on both sides"
        assert visit.errors == []
    finally:
        visit.page.close()


def test_side_by_side_menu_switches_the_report(browser, seed_pages):
    visit = Visit(browser, seed_pages / "4-side-by-side.html")
    try:
        shown = "() => Array.from(document.querySelectorAll('.ca-sbs')).filter(p => !p.hidden).map(p => p.dataset.report)"
        options = visit.page.eval_on_selector_all("select.ca-sbs-pick option", "os => os.map(o => o.value)")
        assert len(options) >= 2 and visit.page.evaluate(shown) == [options[0]]
        visit.page.select_option("select.ca-sbs-pick", options[-1])
        assert visit.page.evaluate(shown) == [options[-1]]
    finally:
        visit.page.close()


def test_clicking_an_aligned_sentence_lights_its_source_in_the_primary(browser, seed_pages):
    visit = Visit(browser, seed_pages / "4-side-by-side.html")
    try:
        legend = visit.page.inner_text(".ca-al-legend")
        assert all(word in legend for word in ("Verbatim", "Paraphrase", "Related"))
        key = visit.page.evaluate("""() => {
            const panel = Array.from(document.querySelectorAll('.ca-sbs')).find(p => !p.hidden);
            const report = panel.querySelectorAll('.ca-doc')[1];
            const span = Array.from(report.querySelectorAll('.ca-al')).find(s => !s.querySelector('mark'));
            span.id = 'ca-test-aligned';
            return span.dataset.al; }""")
        visit.page.click("#ca-test-aligned")
        visit.page.wait_for_selector(".ca-sbs:not([hidden]) .ca-doc[data-doc=coalition-letter] .ca-al-flash",
                                     timeout=10_000)
        lit = visit.page.evaluate("""() => {
            const panel = Array.from(document.querySelectorAll('.ca-sbs')).find(p => !p.hidden);
            const box = panel.querySelector('.ca-doc[data-doc=coalition-letter]');
            const first = box.querySelector('.ca-al-flash');
            const b = box.getBoundingClientRect(), m = first.getBoundingClientRect();
            return {keys: Array.from(box.querySelectorAll('.ca-al-flash')).map(x => x.dataset.al),
                    inView: m.top >= b.top - 1 && m.bottom <= b.bottom + 1}; }""")
        assert lit["keys"] and all(key in k.split() for k in lit["keys"]), (key, lit)
        assert lit["inView"]
        assert visit.errors == []
    finally:
        visit.page.close()


def test_a_status_set_in_the_page_downloads_as_reviews_yaml_that_findings_applies(browser, seed_pages,
                                                                                  seed_findings, tmp_path):
    target = seed_findings[0]["id"]
    note = 'Phayul hedges with "at least"; the others say 10: 9 is the list\'s count.'
    visit = Visit(browser, seed_pages / "1-discrepancies.html", hash=f"#{target}")
    try:
        visit.page.select_option(f"tr#{target} select.ca-review-status", "confirmed")
        visit.page.fill(f"tr#{target} textarea.ca-review-note", note)
        assert visit.page.inner_text("[data-ca-count=confirmed]") == "1"
        visit.page.select_option(f".ca-filters[data-table={FINDINGS}] select[data-facet=status]", "confirmed")
        assert visit.shown_rows() == 1
        with visit.page.expect_download() as download:
            visit.page.click("button.ca-download")
        saved = tmp_path / "downloaded.yaml"
        download.value.save_as(saved)
        assert download.value.suggested_filename == "reviews.yaml"
    finally:
        visit.page.close()
    reviews = yaml.safe_load(saved.read_text(encoding="utf-8"))["reviews"]
    assert reviews == [{"id": target, "status": "confirmed", "note": note}]

    corpus = tmp_path / "corpus"
    shutil.copytree(SEED, corpus)
    shutil.copy(saved, corpus / "reviews.yaml")
    proc = subprocess.run([*CLI, "findings", str(corpus), "--format", "json"], capture_output=True, text=True)
    assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr
    applied = {f["id"]: f for f in json.loads(proc.stdout)}
    assert applied[target]["status"] == "confirmed" and applied[target]["note"] == note

    index = Visit(browser, seed_pages / "index.html")
    try:
        assert index.page.inner_text(".ca-review-bar [data-ca-count=confirmed]") == "1", "kept in this browser"
        assert index.page.inner_text(".ca-review-bar [data-ca-count=needs_review]") == str(len(seed_findings) - 1)
    finally:
        index.page.evaluate("() => localStorage.clear()")
        index.page.close()


def test_hostile_corpus_shows_markup_as_text_and_runs_nothing(browser, hostile_pages, screenshots):
    seen_script_text = []
    for path in _pages(hostile_pages):
        visit = Visit(browser, path)
        try:
            assert visit.dialogs == [], f"{path.name} ran alert(): {visit.dialogs}"
            assert visit.page.evaluate("() => window.__pwned") is None, f"{path.name} ran injected code"
            assert visit.page.evaluate(
                "() => document.querySelectorAll('img[src=x], iframe, svg[onload], b[onmouseover]').length") == 0
            assert visit.remote == [] and visit.errors == [], (path.name, visit.remote, visit.errors)
            if SCRIPT in visit.text():
                seen_script_text.append(path.stem)
            if path.stem == "index":
                assert HOSTILE_NAME in visit.text()
            visit.page.screenshot(path=str(screenshots / f"hostile-{path.stem}.png"), full_page=True)
        finally:
            visit.page.close()
    assert {"1-discrepancies", "4-side-by-side"} <= set(seen_script_text), seen_script_text
