"""The `report` subcommand: run every notebook on a corpus with papermill, export offline HTML, index it.

Notebooks run in parallel worker processes (each starts its own kernel); every page is written to
load nothing from the network: the chart and table libraries are inlined by the notebooks, and
nbconvert's require.js, MathJax and Mermaid URLs are replaced by empty data: URLs.
"""
from __future__ import annotations

import ast
import concurrent.futures as cf
import json
import multiprocessing
import os
import re
import sys
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Sequence

from ..errors import ClaimalignError
from ..normalize import PROJECT_ROOT

__all__ = ["build_report", "notebook_paths", "notebook_parameters", "export_html",
           "ReportError", "NOTEBOOK_DIR", "EMPTY_SCRIPT"]

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
EMPTY_SCRIPT = "data:text/javascript;charset=utf-8,"
EMPTY_MODULE = "data:text/javascript;charset=utf-8,export%20default%20null%3B"
EXECUTED = "executed"
TABLES = "tables"
HEARTBEAT = 15.0
TOP = 8


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


def _read_notebook(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def notebook_parameters(path: Path) -> list[str]:
    """Names assigned in the notebook's cell tagged `parameters`."""
    for cell in _read_notebook(path).get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            names = []
            for node in ast.parse(source).body:
                targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return []


def notebook_title(path: Path) -> tuple[str, str]:
    """The notebook's title (its first heading) and the question it answers (its first bold text)."""
    for cell in _read_notebook(path).get("cells", []):
        if cell.get("cell_type") == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            title = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
            question = re.search(r"\*\*(.+?)\*\*", text, re.DOTALL)
            return ((title.group(1).strip() if title else path.stem),
                    (" ".join(question.group(1).split()) if question else ""))
    return path.stem, ""


def offline_exporter(*, with_input: bool = False) -> Any:
    """nbconvert's HTML exporter (lab template) with every CDN URL replaced by an empty data: URL."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=not with_input,
                            exclude_input_prompt=not with_input, exclude_output_prompt=True,
                            embed_images=True)
    exporter.require_js_url = EMPTY_SCRIPT
    exporter.mathjax_url = EMPTY_SCRIPT
    exporter.jquery_url = EMPTY_SCRIPT
    exporter.mermaid_js_url = EMPTY_MODULE
    exporter.mermaid_layout_elk_js_url = ""
    return exporter


def export_html(executed: Path, target: Path, *, with_input: bool = False) -> Path:
    """Export an executed notebook to a self-contained HTML page (no input cells unless asked)."""
    import nbformat

    book = nbformat.read(executed, as_version=4)
    book.metadata.pop("widgets", None)
    title, _ = notebook_title(executed)
    book.metadata["title"] = title
    body, _ = offline_exporter(with_input=with_input).from_notebook_node(book)
    target.write_text(body, encoding="utf-8")
    return target


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


def run_notebook(notebook: str, out_dir: str, parameters: dict[str, Any]) -> NotebookRun:
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
                                   kernel_name="python3", cwd=str(source.parent),
                                   progress_bar=False, log_output=False,
                                   request_save_on_cell_execute=False,
                                   kernel_manager_class=_kernel_manager_class(executed.with_suffix(".log")))
    except PapermillExecutionError as exc:
        error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    except Exception as exc:  # noqa: BLE001 - a kernel that dies must not hide the others' results
        error = f"{type(exc).__name__}: {exc}"
    if executed.is_file():
        try:
            export_html(executed, out / f"{source.stem}.html", with_input=error is not None)
        except Exception as exc:  # noqa: BLE001
            error = error or f"HTML export failed: {type(exc).__name__}: {exc}"
    return NotebookRun(source.stem, time.perf_counter() - started, error)


def _summary(corpus: Any, primary: str | None) -> dict[str, Any]:
    from ..rules import find_findings
    from ..rules.finding import SEVERITIES

    found = find_findings(corpus, primary)
    by_type: dict[str, dict[str, int]] = {}
    for f in found:
        by_type.setdefault(f.type, {s: 0 for s in SEVERITIES})[f.severity] += 1
    return {"total": len(found), "by_type": by_type,
            "needs_review": sum(1 for f in found if f.status == "needs_review"),
            "high": sum(1 for f in found if f.severity == "high"),
            "top": [(f.type, f.explanation) for f in found if f.severity == "high"][:TOP]}


def write_index(out_dir: Path, corpus: Any, primary: str, runs: list[NotebookRun],
                books: list[Path], summary: dict[str, Any]) -> Path:
    """index.html: the corpus, a summary of its findings, and a link to every notebook's page."""
    from ..rules.finding import SEVERITIES

    by_run = {r.name: r for r in runs}
    items = []
    for book in books:
        title, question = notebook_title(book)
        run = by_run.get(book.stem)
        state = ("" if run and not run.error else
                 f' <span class="fail">failed: {escape(run.error)}</span>' if run else " (not run)")
        items.append(f'<li><a href="{escape(book.stem)}.html">{escape(title)}</a>{state}'
                     f"<br><span class=\"q\">{escape(question)}</span></li>")
    rows = "".join(
        f"<tr><th>{escape(t)}</th>" + "".join(f"<td>{n[s] or ''}</td>" for s in SEVERITIES)
        + f"<td>{sum(n.values())}</td></tr>" for t, n in summary["by_type"].items())
    head = "".join(f"<th>{s}</th>" for s in SEVERITIES)
    top = "".join(f"<li><b>{escape(t)}</b>: {escape(text)}</li>" for t, text in summary["top"])
    tables = sorted((out_dir / TABLES).glob("*.csv")) if (out_dir / TABLES).is_dir() else []
    links = ", ".join(f'<a href="{TABLES}/{escape(p.name)}">{escape(p.name)}</a>' for p in tables)
    reports = ", ".join(escape(d.id) for d in corpus.documents if d.id != primary)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimalign report: {escape(corpus.name)}</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.6em; margin-bottom: 0.2em; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1em; }}
th, td {{ border: 1px solid #ddd; padding: 3px 10px; text-align: left; }}
td {{ text-align: right; }}
li {{ margin: 0 0 0.7em; }}
.q {{ color: #555; }} .fail {{ color: #a93226; font-weight: 600; }} .muted {{ color: #666; }}
</style></head>
<body>
<h1>{escape(corpus.name)}</h1>
<p class="muted">Primary: <b>{escape(primary)}</b>; compared with: {reports}.</p>
<p><b>{summary["total"]}</b> findings, <b>{summary["high"]}</b> of high severity;
<b>{summary["needs_review"]}</b> still need review.</p>
<table><thead><tr><th>type</th>{head}<th>total</th></tr></thead><tbody>{rows}</tbody></table>
{f'<h2>High severity</h2><ul class="top">{top}</ul>' if top else ""}
<h2>Notebooks</h2>
<ol>{"".join(items)}</ol>
{f'<p class="muted">Tables (CSV): {links}</p>' if links else ""}
</body></html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _say(message: str) -> None:
    print(message, flush=True)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def build_report(corpus_dir: str | Path, out_dir: str | Path | None = None, *,
                 primary: str | None = None, jobs: int = 2,
                 notebooks: Sequence[Path] | None = None) -> Path:
    """Run every notebook on a corpus and write one HTML page each plus index.html; return its path."""
    from ..corpus import load_corpus

    started = time.perf_counter()
    corpus_dir = Path(corpus_dir).resolve()
    corpus = load_corpus(corpus_dir)
    if primary:
        corpus = corpus.with_primary(primary)
    out = Path(out_dir).resolve() if out_dir else PROJECT_ROOT / "reports" / corpus_dir.name
    (out / EXECUTED).mkdir(parents=True, exist_ok=True)
    books = list(notebooks) if notebooks is not None else notebook_paths()
    if not books:
        raise ReportError(f"no notebooks to run (looked for numbered .ipynb files in {NOTEBOOK_DIR})")
    values = {"corpus_dir": str(corpus_dir), "primary": corpus.primary_id,
              "output_dir": str(out / TABLES), "interactive": False}
    jobs = max(1, min(jobs, len(books)))
    _say(f"claimalign report: {corpus.name}: {len(books)} notebooks, {jobs} at a time -> {_shown(out)}")
    runs: list[NotebookRun] = []
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = {pool.submit(run_notebook, str(b), str(out),
                               {k: v for k, v in values.items() if k in notebook_parameters(b)}): b
                   for b in books}
        summary = _summary(corpus, None)
        while pending:
            done, _ = cf.wait(pending, timeout=HEARTBEAT, return_when=cf.FIRST_COMPLETED)
            if not done:
                _say(f"  ... {len(pending)} notebooks still running ({time.perf_counter() - started:.0f} s)")
            for future in done:
                book = pending.pop(future)
                try:
                    run = future.result()
                except Exception as exc:  # noqa: BLE001 - a crashed worker is reported like a failure
                    run = NotebookRun(book.stem, 0.0, f"{type(exc).__name__}: {exc}")
                runs.append(run)
                mark = "FAILED " + run.error if run.error else "ok"
                _say(f"  [{len(runs)}/{len(books)}] {run.name}: {mark} ({run.seconds:.1f} s)")
    index = write_index(out, corpus, corpus.primary_id, runs, books, summary)
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
