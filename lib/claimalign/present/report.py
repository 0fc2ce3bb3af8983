"""The `report` subcommand: run every notebook on a corpus with papermill, export offline HTML, index it.

Notebooks run in parallel on a local Dask cluster (the one `claimalign batch` uses; each notebook
starts its own kernel, the one `make setup` registers); every page is written to load nothing from the network: the chart and table libraries
are inlined by the notebooks, and claimalign's nbconvert template (templates/nbconvert) leaves out
nbconvert's require.js, MathJax and Mermaid scripts. Each page carries the report's header (corpus,
run date, version, the parameters it ran with) and navigation bar.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..batch.cluster import dask_client
from ..errors import ClaimalignError
from ..normalize import PROJECT_ROOT
from .html import TEMPLATES
from .pages import (INDEX, Page, notebook_defaults, notebook_title, page_context, run_stamp, shown_value,
                    write_index)

__all__ = ["build_report", "notebook_paths", "notebook_parameters", "notebook_title", "export_html",
           "kernel_name", "ReportError", "NOTEBOOK_DIR", "EMPTY_SCRIPT", "KERNEL"]

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
EMPTY_SCRIPT = "data:text/javascript;charset=utf-8,"
EMPTY_MODULE = "data:text/javascript;charset=utf-8,export%20default%20null%3B"
EXECUTED = "executed"
TABLES = "tables"
HEARTBEAT = 15.0
KERNEL = "claimalign"  # the kernel `make setup` registers (.venv's Python)
FALLBACK_KERNEL = "python3"
TEMPLATE = "claimalign"


class ReportError(ClaimalignError):
    """A notebook failed; the message names it and where its executed copy (with traceback) is."""


@dataclass
class NotebookRun:
    """The outcome of one notebook: its name, seconds taken, and the error if it failed."""

    name: str
    seconds: float
    error: str | None = None


def notebook_paths(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The numbered notebooks of a folder, in run order."""
    return sorted(folder.glob("[0-9]*.ipynb"))


def notebook_parameters(path: Path) -> list[str]:
    """Names assigned in the notebook's cell tagged `parameters`."""
    return list(notebook_defaults(path))


def offline_exporter(*, with_input: bool = False) -> Any:
    """nbconvert's HTML exporter with claimalign's template; any CDN URL left is an empty data: URL."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
                            extra_template_paths=[str(TEMPLATES)], exclude_input=not with_input,
                            exclude_input_prompt=not with_input, exclude_output_prompt=True,
                            embed_images=True)
    exporter.require_js_url = EMPTY_SCRIPT
    exporter.mathjax_url = EMPTY_SCRIPT
    exporter.jquery_url = EMPTY_SCRIPT
    exporter.mermaid_js_url = EMPTY_MODULE
    exporter.mermaid_layout_elk_js_url = ""
    return exporter


def ran_with(executed: Path) -> dict[str, Any]:
    """The parameters an executed notebook ran with: its defaults, overridden by papermill's."""
    values = notebook_defaults(executed)
    values.update(json.loads(executed.read_text(encoding="utf-8")).get("metadata", {})
                  .get("papermill", {}).get("parameters", {}))
    return values


def export_html(executed: Path, target: Path, *, with_input: bool = False,
                page: Mapping[str, Any] | None = None) -> Path:
    """Export an executed notebook to a self-contained HTML page (no input cells unless asked).

    `page` is the report's header and navigation (see pages.page_context); without it the page
    has a header of its own, with the parameters the notebook ran with.
    """
    import nbformat

    book = nbformat.read(executed, as_version=4)
    book.metadata.pop("widgets", None)
    if not with_input:
        book.cells = [c for c in book.cells if c.cell_type != "code" or c.get("outputs")]
    title, question = notebook_title(executed)
    chrome = dict(page) if page else page_context(
        target.stem, [Page(target.stem, title, question)], corpus=title, run=run_stamp(),
        version=_version(), parameters={})
    chrome["parameters"] = [(k, shown_value(v)) for k, v in ran_with(executed).items()]
    book.metadata["title"] = f"{title} · {chrome['corpus']}" if page else title
    body, _ = offline_exporter(with_input=with_input).from_notebook_node(book, resources={"claimalign": chrome})
    target.write_text(body, encoding="utf-8")
    return target


def _version() -> str:
    from .. import __version__

    return __version__


def kernel_name() -> str:
    """The kernel notebooks run in: the one `make setup` registers, else the default Python kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    _prefer_own_kernel()
    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else FALLBACK_KERNEL


def _prefer_own_kernel() -> None:
    own = str(Path(sys.prefix) / "share" / "jupyter")
    paths = os.environ.get("JUPYTER_PATH", "")
    if own not in paths.split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (own, paths) if p)


def _kernel_manager_class(log: Path) -> type:
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ReportKernelManager(AsyncKernelManager):
        """Encrypts the kernel's channels when it can; its stderr goes to a log, not the terminal."""

        @default("transport_encryption")
        def _auto(self) -> str:
            return "auto"

        async def start_kernel(self, **kw: Any) -> None:
            with log.open("ab") as stream:
                kw.setdefault("stderr", stream)
                await super().start_kernel(**kw)

    return ReportKernelManager


def run_notebook(notebook: str, out_dir: str, parameters: dict[str, Any],
                 page: dict[str, Any] | None = None) -> NotebookRun:
    """Run one notebook in a fresh kernel, keep the executed copy, export its HTML; never raises."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _prefer_own_kernel()
    started = time.perf_counter()
    source, out = Path(notebook), Path(out_dir)
    executed = out / EXECUTED / source.name
    error = None
    try:
        papermill.execute_notebook(str(source), str(executed), parameters=parameters,
                                   kernel_name=kernel_name(), cwd=str(source.parent),
                                   progress_bar=False, log_output=False,
                                   request_save_on_cell_execute=False,
                                   kernel_manager_class=_kernel_manager_class(executed.with_suffix(".log")))
    except PapermillExecutionError as exc:
        error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    except Exception as exc:  # noqa: BLE001 - a kernel that dies must not hide the others' results
        error = f"{type(exc).__name__}: {exc}"
    if executed.is_file():
        try:
            export_html(executed, out / f"{source.stem}.html", with_input=error is not None, page=page)
        except Exception as exc:  # noqa: BLE001
            error = error or f"HTML export failed: {type(exc).__name__}: {exc}"
    return NotebookRun(source.stem, time.perf_counter() - started, error)


def _findings(corpus: Any, settings: Any) -> Any:
    from ..rules import find_findings
    from ..rules.finding import findings_frame

    return findings_frame(find_findings(corpus, None, settings=settings))


def _reuse(corpus: Any, settings: Any) -> Any:
    from ..sentalign import align_sentences
    from .tables import reuse_table

    return reuse_table(align_sentences(corpus, settings), corpus)


def _say(message: str) -> None:
    print(message, flush=True)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def build_report(corpus_dir: str | Path, out_dir: str | Path | None = None, *,
                 primary: str | None = None, jobs: int = 2,
                 notebooks: Sequence[Path] | None = None, min_severity: str = "low",
                 settings: Any = None, force: bool = False) -> Path:
    """Run every notebook on a corpus and write one HTML page each plus index.html; return its path.

    `primary`, `min_severity` and `settings` (a Settings, or a mapping of setting name to value)
    reach every notebook, and the index counts the same findings the pages show. The output folder
    must be new, empty or claimalign's own (see outguard.claim_folder); `force` allows a folder of
    other files, which are never overwritten.
    """
    from ..corpus import load_corpus
    from ..outguard import claim_folder
    from ..settings import Settings
    from .labels import severities_from

    started = time.perf_counter()
    try:
        severities_from(min_severity)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    settings = settings if isinstance(settings, Settings) else Settings(dict(settings or {}))
    corpus_dir = Path(corpus_dir).resolve()
    corpus = load_corpus(corpus_dir)
    if primary:
        corpus = corpus.with_primary(primary)
    books = list(notebooks) if notebooks is not None else notebook_paths()
    if not books:
        raise ReportError(f"no notebooks to run (looked for numbered .ipynb files in {NOTEBOOK_DIR})")
    out = Path(out_dir) if out_dir else PROJECT_ROOT / "reports" / corpus_dir.name
    pages_written = [f"{INDEX}.html", *(f"{b.stem}.html" for b in books)]
    claim_folder(out, pages_written, [EXECUTED, TABLES], force=force).record(pages_written, [EXECUTED, TABLES])
    out = out.resolve()
    (out / EXECUTED).mkdir(exist_ok=True)
    values = {"corpus_dir": str(corpus_dir), "primary": corpus.primary_id, "min_severity": min_severity,
              "settings": dict(settings.overrides), "output_dir": str(out / TABLES), "interactive": True}
    pages = [Page(INDEX, "Overview", "The findings to read first, the review summary, every page"),
             *(Page(b.stem, *notebook_title(b)) for b in books)]
    stamp, version = run_stamp(), _version()

    def chrome(name: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        return page_context(name, pages, corpus=corpus.name, run=stamp, version=version, parameters=parameters)

    jobs = max(1, min(jobs, len(books)))
    _say(f"claimalign report: {corpus.name}: {len(books)} notebooks, {jobs} at a time -> {_shown(out)}")
    runs: list[NotebookRun] = []
    with dask_client(workers=jobs) as client:
        from distributed import wait

        pending = {}
        for b in books:
            given = {k: v for k, v in values.items() if k in notebook_parameters(b)}
            future = client.submit(run_notebook, str(b), str(out), given, chrome(b.stem, given),
                                   key=f"notebook-{b.stem}", pure=False)
            pending[future] = b
        found = _findings(corpus, settings)
        reuse = _reuse(corpus, settings)
        while pending:
            try:
                done = wait(list(pending), timeout=HEARTBEAT, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            if not done:
                _say(f"  ... {len(pending)} notebooks still running ({time.perf_counter() - started:.0f} s)")
            for future in sorted(done, key=lambda f: pending[f].name):
                book = pending.pop(future)
                try:
                    run = future.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker is reported like a failure
                    run = NotebookRun(book.stem, 0.0, f"{type(exc).__name__}: {exc}")
                runs.append(run)
                mark = "FAILED " + run.error if run.error else "ok"
                _say(f"  [{len(runs)}/{len(books)}] {run.name}: {mark} ({run.seconds:.1f} s)")
    report_parameters = {k: values[k] for k in ("corpus_dir", "primary", "min_severity", "settings")}
    index = write_index(out, corpus, pages, found, page=chrome(INDEX, report_parameters),
                        errors={r.name: r.error for r in runs}, min_severity=min_severity, reuse=reuse)
    failed = [r for r in runs if r.error]
    wall = time.perf_counter() - started
    if failed:
        lines = [f"{r.name} failed at {r.error}\n  the executed notebook, traceback included, is "
                 f"{_shown(out / EXECUTED / (r.name + '.ipynb'))} (and {_shown(out / (r.name + '.html'))})"
                 for r in failed]
        raise ReportError(f"{len(failed)} of {len(books)} notebooks failed after {wall:.1f} s:\n"
                          + "\n".join(lines))
    _say(f"wrote {_shown(index)} and {len(books)} notebook pages in {wall:.1f} s (wall time)")
    return index
