"""The reports in a real browser (Debian's chromium, driven by Playwright, offline): nothing leaves the
file, every chart draws, no error shows, and a hostile corpus's markup stays text that runs nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimalign.present.report import build_report, notebook_paths
from test_report import HOSTILE_NAME, SCRIPT, SEED, write_hostile_corpus

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LOCAL = ("file:", "data:", "blob:", "about:")
ERROR_TEXT = ("Traceback", "Javascript Error", "Chart error", "The chart library is not loaded",
              "Loading ITables", "Error loading script")
CHART_MARKS = """() => Array.from(document.querySelectorAll('.ca-chart')).map(c => ({
    svg: c.querySelectorAll('svg').length,
    marks: c.querySelectorAll('svg g.role-mark > *').length,
    text: c.innerText.slice(0, 120)}))"""

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup)")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is missing: run `make browser` (make test does)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with playwright_api.sync_playwright() as p:
        profile = tmp_path_factory.mktemp("chromium-profile")
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True, offline=True,
            viewport={"width": 1280, "height": 1000}, service_workers="block")
        yield context
        context.close()


@pytest.fixture(scope="module")
def seed_pages(tmp_path_factory):
    return build_report(SEED, tmp_path_factory.mktemp("seed-report")).parent


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory):
    corpus = write_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")
    return build_report(corpus, tmp_path_factory.mktemp("hostile-report")).parent


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


class Visit:
    """One page opened in the browser, with every request, error and dialog it caused."""

    def __init__(self, context, path: Path):
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.route(re.compile(r"^(?!file:|data:|blob:|about:)"), self._block)
        self.page.on("request", lambda r: None if r.url.startswith(LOCAL) else self.remote.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.ca-chart')).every(c => c.querySelector('svg') || c.innerText)",
            timeout=20_000)
        self.page.wait_for_timeout(300)

    def _block(self, route) -> None:
        self.remote.append(route.request.url)
        route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def text(self) -> str:
        return self.page.inner_text("body")


def _pages(folder: Path) -> list[Path]:
    return [folder / f"{p.stem}.html" for p in notebook_paths()] + [folder / "index.html"]


def test_every_report_page_works_offline_with_drawn_charts(browser, seed_pages, screenshots):
    charted = 0
    for path in _pages(seed_pages):
        visit = Visit(browser, path)
        try:
            assert visit.remote == [], f"{path.name} asked the network for {visit.remote}"
            assert visit.errors == [], f"{path.name}: {visit.errors}"
            text = visit.text()
            assert not [e for e in ERROR_TEXT if e in text], path.name
            for chart in visit.page.evaluate(CHART_MARKS):
                assert chart["svg"] == 1 and chart["marks"] > 0, f"{path.name}: chart not drawn: {chart}"
                charted += 1
            visit.page.screenshot(path=str(screenshots / f"{path.stem}.png"), full_page=True)
        finally:
            visit.page.close()
    assert charted >= 5, "findings, quote fidelity, coverage, counts and timeline charts"
    assert len(list(screenshots.glob("*.png"))) == len(_pages(seed_pages))
    print(f"screenshots: {screenshots}")


def test_side_by_side_menu_switches_the_report(browser, seed_pages):
    visit = Visit(browser, seed_pages / "4-side-by-side.html")
    try:
        shown = "() => Array.from(document.querySelectorAll('.ca-sbs')).filter(p => !p.hidden).map(p => p.dataset.report)"
        options = visit.page.eval_on_selector_all("select option", "os => os.map(o => o.value)")
        assert len(options) >= 2 and visit.page.evaluate(shown) == [options[0]]
        visit.page.select_option("select", options[-1])
        assert visit.page.evaluate(shown) == [options[-1]]
    finally:
        visit.page.close()


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
