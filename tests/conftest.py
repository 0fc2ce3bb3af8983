"""Shared test helpers: tiny corpora written by hand."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from claimalign import Corpus, load_corpus


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[..., Corpus]:
    """`make_corpus({"primary-id": text, "report-id": text, ...})`: the first text is the primary, the
    others reports, dated 2025-05-01, -02, …; `dates` overrides the dates by id."""
    counter = iter(range(1000))

    def make(texts: dict[str, str], *, dates: dict[str, str] | None = None) -> Corpus:
        root = tmp_path / f"corpus-{next(counter)}"
        root.mkdir()
        ids = list(texts)
        lines = [f"corpus: tiny\nprimary: {ids[0]}\ndocuments:\n"]
        for n, doc_id in enumerate(ids):
            date = (dates or {}).get(doc_id, f"2025-05-{n + 1:02d}")
            lines.append(f"  - id: {doc_id}\n    file: {doc_id}.txt\n    kind: {'primary' if n == 0 else 'report'}\n"
                         f"    date: {date}\n")
            (root / f"{doc_id}.txt").write_text(texts[doc_id], encoding="utf-8")
        (root / "manifest.yaml").write_text("".join(lines), encoding="utf-8")
        return load_corpus(root)

    return make
