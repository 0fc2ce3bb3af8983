"""Reports built once per test session and shared by the report and browser tests (a build takes ~40 s)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hostile import write_hostile_corpus

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "corpus" / "carney-china-visit-2026"
CLI = [str(Path(sys.executable).with_name("claimalign"))]


@pytest.fixture(scope="session")
def seed_run():
    """The README's main command on the seed corpus, with the default output folder."""
    proc = subprocess.run([*CLI, "report", str(SEED.relative_to(REPO))], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc, REPO / "reports" / SEED.name


@pytest.fixture(scope="session")
def hostile_pages(tmp_path_factory):
    """The report of a corpus full of markup, built with the library call."""
    from claimalign.present.report import build_report

    corpus = write_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")
    return build_report(corpus, tmp_path_factory.mktemp("hostile-report")).parent
