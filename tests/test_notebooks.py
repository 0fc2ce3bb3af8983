"""The notebooks: committed clean, shaped as the style asks, and each runs top to bottom in a fresh kernel."""
from __future__ import annotations

import ast
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import time
from pathlib import Path

import pytest

from claimalign.present.report import KERNEL, kernel_name, notebook_parameters

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
EXPECTED = ["0-corpus-overview", "1-discrepancies", "2-quote-fidelity", "3-coverage", "4-side-by-side",
            "5-across-corpora"]
COMMON_PARAMETERS = {"corpus_dir", "primary", "min_severity", "settings", "output_dir"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_notebooks_are_numbered_in_run_order():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_carries_no_outputs(path):
    book = _load(path)
    for cell in book["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: a code cell has outputs (clear them)"
            assert cell.get("execution_count") is None, f"{path.name}: a code cell has an execution count"
    assert "papermill" not in book["metadata"], f"{path.name} is an executed copy, not the source"
    assert book["metadata"]["kernelspec"]["name"] == KERNEL, "the kernel `make setup` registers"


def test_setup_registers_the_kernel_the_notebooks_name():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"ipykernel install --sys-prefix --name {KERNEL}\b", makefile)
    assert kernel_name() == KERNEL, "make setup has registered it in .venv"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_starts_jupyterlab_on_the_notebooks_with_lab_args():
    port = _free_port()
    args = f"--no-browser --ServerApp.port={port} --ServerApp.ip=127.0.0.1 --ServerApp.port_retries=0"
    proc = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            seen.append(line)
            if f"127.0.0.1:{port}/lab" in line:
                break
        log = "".join(seen)
        assert f"127.0.0.1:{port}/lab" in log, log[-2000:]
        assert "Running as root is not recommended" not in log or os.geteuid() == 0
        assert "notebooks" in log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_a_title_and_declares_typed_parameters(path):
    cells = _load(path)["cells"]
    assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).startswith("# ")
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert COMMON_PARAMETERS <= set(notebook_parameters(path))
    for node in ast.parse(_source(tagged[0])).body:
        assert isinstance(node, ast.AnnAssign), "each parameter has a type"
    assert all("  # " in line for line in _source(tagged[0]).splitlines()), "each parameter has a comment"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_tells_its_checks(path):
    cells = _load(path)["cells"]
    code = [_source(c) for c in cells if c["cell_type"] == "code"
            and "parameters" not in c.get("metadata", {}).get("tags", [])]
    assert statistics.median(len(s.splitlines()) for s in code) <= 3
    assert not any(line.lstrip().startswith(("def ", "class ")) for s in code for line in s.splitlines()), \
        "logic belongs in the library"
    assert not any("sys.path" in s for s in code)
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code" and _source(cell).lstrip().startswith("assert"):
            assert cells[i - 1]["cell_type"] == "markdown", "an assertion follows the sentence it checks"


def _ran_cleanly(executed: dict) -> None:
    errors = [o for c in executed["cells"] if c["cell_type"] == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    counts = [c["execution_count"] for c in executed["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "cells ran once each, in order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(path, seed_run):
    """Each notebook as the report ran it (papermill, a fresh kernel each): every cell once, in order."""
    _, out = seed_run
    executed = _load(out / "executed" / path.name)
    _ran_cleanly(executed)
    assert executed["metadata"]["kernelspec"]["name"] == KERNEL


def test_a_notebook_runs_with_its_own_defaults(tmp_path):
    """As JupyterLab runs it: the committed defaults (a corpus path from the project root) work."""
    import papermill

    path = next(p for p in NOTEBOOKS if p.stem == "4-side-by-side")
    out, tables = tmp_path / path.name, tmp_path / "tables"
    papermill.execute_notebook(str(path), str(out), parameters={"output_dir": str(tables)},
                               kernel_name=kernel_name(), cwd=str(path.parent), progress_bar=False)
    _ran_cleanly(_load(out))
    assert any(tables.iterdir()), "the notebook wrote its tables to output_dir"
