"""Shared test helpers: tiny corpora written by hand, and reports built once per test session and
shared by the report and browser tests (a build takes ~40 s)."""
from __future__ import annotations

import json

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from claimalign import Corpus, load_corpus
from hostile import write_hostile_corpus

# The embedding model's files ship inside its package: nothing may be fetched from a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "corpus" / "carney-china-visit-2026"
CLI = [str(Path(sys.executable).with_name("claimalign"))]


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[..., Corpus]:
    """`make_corpus({"primary-id": text, "report-id": text, ...})`: the first text is the primary, the
    others reports, dated 2025-05-01, -02, …; `dates` overrides the dates by id, `titles` gives titles."""
    counter = iter(range(1000))

    def make(texts: dict[str, str], *, dates: dict[str, str] | None = None,
             titles: dict[str, str] | None = None) -> Corpus:
        root = tmp_path / f"corpus-{next(counter)}"
        root.mkdir()
        ids = list(texts)
        lines = [f"corpus: tiny\nprimary: {ids[0]}\ndocuments:\n"]
        for n, doc_id in enumerate(ids):
            date = (dates or {}).get(doc_id, f"2025-05-{n + 1:02d}")
            lines.append(f"  - id: {doc_id}\n    file: {doc_id}.txt\n    kind: {'primary' if n == 0 else 'report'}\n"
                         f"    date: {date}\n")
            if titles and doc_id in titles:
                lines.append(f"    title: {json.dumps(titles[doc_id])}\n")
            (root / f"{doc_id}.txt").write_text(texts[doc_id], encoding="utf-8")
        (root / "manifest.yaml").write_text("".join(lines), encoding="utf-8")
        return load_corpus(root)

    return make


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
