"""Start-up: `claimalign findings` loads no library it does not use (timings live in bench/bench_batch.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "data" / "corpus" / "carney-china-visit-2026"
HEAVY = ("pandas", "altair", "distributed", "dask", "pyarrow", "nbconvert", "papermill", "trafilatura", "pypdf")
# What only writing files or other formats needs: the exporters, the output guard, tracebacks (--debug).
WRITERS = ("claimalign.export", "claimalign.outguard", "secrets", "traceback")


def _loaded_after(*argv: str, watch: tuple[str, ...] = HEAVY) -> set[str]:
    code = ("import sys; from claimalign.cli import main; import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()): rc = main(sys.argv[1:])\n"
            f"print(rc, *sorted(m for m in {watch!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rc, *modules = out.stdout.split()
    assert rc == "0"
    return set(modules)


def test_findings_as_json_or_a_table_imports_no_heavy_library():
    assert _loaded_after("findings", str(SEED), "--format", "json") == set()
    assert _loaded_after("findings", str(SEED)) == set()


def test_findings_as_json_imports_no_writer_it_does_not_use():
    assert _loaded_after("findings", str(SEED), "--format", "json", watch=WRITERS) == set()
    assert "claimalign.export" in _loaded_after("findings", str(SEED), "--format", "csv", watch=WRITERS)


def test_import_claimalign_is_lazy_but_complete():
    code = "import sys, claimalign; print('pandas' in sys.modules, claimalign.find_findings.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "claimalign.rules.engine"]
