"""The corpora of a batch: where they are, what they are made of (a content hash), and loading them."""
from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..corpus import MANIFEST, Corpus, load_corpus
from ..errors import ClaimalignError, CorpusError
from ..normalize import PROJECT_ROOT
from ..settings import Settings

__all__ = ["CorpusInput", "discover", "input_hash", "load_input", "text_files", "PROJECT_FILES"]

# Project data that changes what any corpus yields.
PROJECT_FILES = ("aliases.yaml", "boilerplate.yaml", "claimalign.yaml", "cues.yaml")
TEXT_SUFFIXES = {".txt", ".html", ".htm", ".pdf"}


@dataclass(frozen=True)
class CorpusInput:
    """One corpus of a batch: its name (its path below CORPORA_DIR) and its folder."""

    name: str
    path: Path


def discover(corpora_dir: Path) -> list[CorpusInput]:
    """Every corpus folder below CORPORA_DIR (a folder with a manifest), or CORPORA_DIR itself if it is one.

    A folder that holds texts but no manifest is listed too, so that it fails with a clear error
    instead of being skipped in silence.
    """
    root = Path(corpora_dir)
    if not root.is_dir():
        raise ClaimalignError(f"{root}: no such folder of corpora")
    if (root / MANIFEST).is_file():
        return [CorpusInput(root.resolve().name, root)]
    found: list[CorpusInput] = []

    def walk(folder: Path) -> None:
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            if (sub / MANIFEST).is_file() or any(f.suffix.lower() in TEXT_SUFFIXES for f in sub.iterdir()):
                found.append(CorpusInput(sub.relative_to(root).as_posix(), sub))
            else:
                walk(sub)

    walk(root)
    return found


def text_files(folder: Path) -> int:
    """How many .txt files a corpus folder holds: its size in documents, known without loading it."""
    return sum(1 for p in folder.iterdir() if p.suffix.lower() == ".txt")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def input_hash(item: CorpusInput, settings: Settings, options: dict[str, object]) -> str:
    """A content hash of everything a corpus's results depend on: its files (texts, manifest,
    reviews, aliases, claimalign.yaml), the project's data files, the settings and the options."""
    digest = hashlib.sha256()
    head = {"claimalign": __version__, "settings": settings.overrides, "options": options}
    digest.update(json.dumps(head, sort_keys=True, default=str).encode("utf-8"))
    for label, folder in (("project", PROJECT_ROOT / "data"), ("corpus", item.path)):
        files = [folder / n for n in PROJECT_FILES] if label == "project" else _files(folder)
        for path in files:
            if path.is_file():
                digest.update(f"\0{label}:{path.relative_to(folder).as_posix()}\0".encode("utf-8"))
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_input(item: CorpusInput, primary_kind: str | None = None) -> tuple[Corpus, list[str]]:
    """Load and validate one corpus (and choose its primary by kind when asked); its warnings too."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(item.path)
    if primary_kind:
        ids = [d.id for d in corpus.documents if d.kind == primary_kind]
        if len(ids) != 1:
            problem = (f"no document of kind {primary_kind!r} (--primary-kind)" if not ids else
                       f"{len(ids)} documents of kind {primary_kind!r}: {', '.join(ids)} (--primary-kind needs one)")
            raise CorpusError([(item.path / MANIFEST, problem)])
        corpus = corpus.with_primary(ids[0])
    return corpus, [str(w.message) for w in caught]
