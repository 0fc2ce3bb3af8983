"""The batch output folder: one folder per corpus, two tables across corpora, errors.json.

```
OUT/corpora/<corpus>/findings.json   the corpus's findings, as `claimalign findings --format json`
OUT/corpora/<corpus>/documents.json  its documents (rows of documents.parquet)
OUT/corpora/<corpus>/run.json        input hash, time, counts; written last, it marks the corpus done
OUT/findings.parquet OUT/documents.parquet OUT/errors.json
```
Every file is written under a temporary name and renamed into place, so a run that is killed
leaves each file either as it was or complete; a corpus without a current run.json is redone.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..errors import ClaimalignError
from ..export import write_new
from ..jsontext import dumps, loads
from ..outguard import is_corpus_folder
from .steps import DOCUMENT_COLUMNS, FINDING_COLUMNS

__all__ = ["Store", "CORPORA", "RUN", "ERRORS", "FINDINGS_TABLE", "DOCUMENTS_TABLE"]

CORPORA = "corpora"
RUN = "run.json"
ERRORS = "errors.json"
FINDINGS_TABLE = "findings.parquet"
DOCUMENTS_TABLE = "documents.parquet"


def _dumps(data: object, compact: bool = False) -> str:
    """JSON as the CLI writes it; `compact` for files only programs read (one line)."""
    return dumps(data, compact=compact) + "\n"


class Store:
    """Reads and writes one batch output folder."""

    def __init__(self, out_dir: str | Path, *, check: bool = True):
        self.root = Path(out_dir)
        if not check:
            return
        if self.root.exists() and not self.root.is_dir():
            raise ClaimalignError(f"{self.root}: is a file; --out needs a folder")
        if is_corpus_folder(self.root):
            raise ClaimalignError(f"{self.root}: is a corpus folder; claimalign never writes its output there; "
                                  "give an empty or new folder to --out")
        marker = self.root / ERRORS
        corpora = self.root / CORPORA
        ours = marker.is_file() or (corpora.is_dir() and not any(is_corpus_folder(p) for p in corpora.iterdir()))
        if self.root.is_dir() and any(self.root.iterdir()) and not ours:
            raise ClaimalignError(f"{self.root}: is a folder that claimalign batch did not write; "
                                  "give an empty or new folder to --out")

    def folder(self, name: str) -> Path:
        return self.root / CORPORA / name

    def run_info(self, name: str) -> dict[str, Any] | None:
        """The corpus's run.json, or None when it has none or it cannot be read."""
        try:
            return loads((self.folder(name) / RUN).read_bytes())
        except (OSError, ValueError):
            return None

    def is_current(self, name: str, digest: str, steps: Iterable[str]) -> bool:
        """Whether the corpus was done from exactly these inputs, every step's file still there."""
        info = self.run_info(name)
        return (info is not None and info.get("input_hash") == digest
                and all((self.folder(name) / f"{s}.json").is_file() for s in [*steps, "documents"]))

    def write_corpus(self, name: str, results: dict[str, list[Any]], documents: list[dict[str, Any]],
                     info: dict[str, Any]) -> None:
        """Each step's results and the documents, then run.json last: each file atomically."""
        folder = self.folder(name)
        if is_corpus_folder(folder):
            raise ClaimalignError(f"{folder}: is a corpus folder; claimalign batch does not write into it")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / RUN).unlink(missing_ok=True)
        for step, rows in results.items():
            write_new(_dumps(rows), folder / f"{step}.json", force=True)  # as `findings --format json` prints
        write_new(_dumps(documents, compact=True), folder / "documents.json", force=True)
        write_new(_dumps(info), folder / RUN, force=True)

    def read(self, name: str, what: str) -> list[dict[str, Any]]:
        return loads((self.folder(name) / f"{what}.json").read_bytes())

    def write_tables(self, findings: list[dict[str, Any]], documents: list[dict[str, Any]]) -> None:
        """findings.parquet and documents.parquet across corpora (nested cells as compact JSON)."""
        from ..export import rows_to_parquet

        self.root.mkdir(parents=True, exist_ok=True)
        for rows, columns, table in ((findings, FINDING_COLUMNS, FINDINGS_TABLE),
                                     (documents, DOCUMENT_COLUMNS, DOCUMENTS_TABLE)):
            write_new(rows_to_parquet(rows, columns), self.root / table, force=True)

    def write_errors(self, errors: list[dict[str, str]]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_new(_dumps(errors), self.root / ERRORS, force=True)
