"""Where claimalign may write: never a file a corpus uses, never over files it did not create.

`check_file_out` guards one output file (`export --out`); `claim_folder` guards an output folder
(`report --out`), which claimalign marks with MARKER and the list of files it wrote there.
"""
from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .corpus import MANIFEST, read_manifest_data
from .errors import ClaimalignError, CorpusError

__all__ = ["check_file_out", "claim_folder", "corpus_folder_of", "corpus_paths", "is_corpus_folder",
           "OwnedFolder", "write_atomically", "MARKER", "CORPUS_FILES"]

MARKER = ".claimalign-report"
CORPUS_FILES = (MANIFEST, "reviews.yaml", "aliases.yaml", "claimalign.yaml")
ORIGINALS = "originals"
EARLIER_REPORT = re.compile(r"^(index|\d[\w.-]*)\.html$")


def is_corpus_folder(path: Path) -> bool:
    """Whether the folder holds a corpus manifest."""
    return (path / MANIFEST).is_file()


def corpus_paths(root: Path) -> set[Path] | None:
    """Resolved paths of every file the corpus in root uses; None when its manifest cannot be read."""
    root = root.resolve()
    used = {root / name for name in CORPUS_FILES} | {root / ORIGINALS}
    try:
        data = read_manifest_data(root)
    except CorpusError:
        return None
    for entry in data.get("documents") or []:
        if not isinstance(entry, dict):
            continue
        for key in ("file", "original"):
            value = entry.get(key)
            if isinstance(value, str) and value and "\x00" not in value:
                used.add((root / value).resolve())
    return used


def corpus_folder_of(path: Path) -> Path | None:
    """The nearest folder at or above path (resolved) that holds a corpus manifest."""
    for folder in [path, *path.parents]:
        if is_corpus_folder(folder):
            return folder
    return None


def _used_by_a_corpus(target: Path) -> Path | None:
    """The corpus folder using target (resolved); with an unreadable manifest, any existing file counts."""
    for folder in target.parents:
        if not is_corpus_folder(folder):
            continue
        used = corpus_paths(folder)
        if used is None and (target.exists() or target == folder / MANIFEST):
            return folder
        if any(target.is_relative_to(u) for u in used or ()):
            return folder
    return None


def check_file_out(out: Path, force: bool) -> None:
    """Refuse an output file that is a folder, a file a corpus uses (even with force), or exists (without force)."""
    if out.is_dir():
        raise ClaimalignError(f"{out}: is a folder; give a file name to --out")
    for target in {out.parent.resolve() / out.name, out.resolve()}:
        corpus = _used_by_a_corpus(target)
        if corpus is not None:
            raise ClaimalignError(f"{out}: is a file of the corpus in {corpus}; claimalign never writes over it, "
                                  "even with --force; choose another --out")
    if out.exists() and not force:
        raise ClaimalignError(f"{out}: already exists; pass --force to replace it, or choose another --out")


@dataclass
class OwnedFolder:
    """An output folder claimalign may write into, and the files and subfolders it owns there."""

    root: Path
    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)

    def record(self, files: Iterable[str] = (), folders: Iterable[str] = ()) -> None:
        """Add to the marker what claimalign is about to write (call before writing it)."""
        self.files.update(files)
        self.folders.update(folders)
        data = {"written_by": "claimalign", "files": sorted(self.files), "folders": sorted(self.folders)}
        write_atomically(self.root / MARKER, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


def write_atomically(out: Path, payload: bytes) -> None:
    """Write a file through a synced temporary beside it and a rename: readers see old or new, never half."""
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _read_marker(root: Path) -> OwnedFolder | None:
    marker = root / MARKER
    if not marker.is_file() or marker.is_symlink():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        files, folders = data["files"], data["folders"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ClaimalignError(f"{marker}: unreadable; delete this folder's report files and the marker, "
                              "or choose another --out") from None
    if not all(isinstance(f, str) for f in [*files, *folders]):
        raise ClaimalignError(f"{marker}: unreadable; choose another --out")
    return OwnedFolder(root, set(files), set(folders))


def _earlier_report(root: Path, folders: Iterable[str]) -> OwnedFolder | None:
    """A folder of nothing but an earlier report's pages and folders (written before the marker existed)."""
    entries = list(root.iterdir())
    names = {p.name for p in entries}
    if "executed" not in names or any(p.is_symlink() for p in entries):
        return None
    pages = {n for n in names if EARLIER_REPORT.match(n) and (root / n).is_file()}
    subfolders = {n for n in names if n in set(folders) and (root / n).is_dir()}
    if pages | subfolders != names:
        return None
    if any(not p.is_file() or p.suffix not in (".ipynb", ".log") for p in (root / "executed").iterdir()):
        return None
    return OwnedFolder(root, pages, subfolders)


def claim_folder(out: Path, files: Iterable[str], folders: Iterable[str], *, force: bool = False) -> OwnedFolder:
    """Take an output folder for files and folders (names relative to it), or refuse with one line.

    Allowed: a missing or empty folder, or one claimalign marked as its own; with force, a folder
    of user files too, as long as none of the names is taken. Never a corpus folder.
    """
    files, folders = list(files), list(folders)
    if out.exists() and not out.is_dir():
        raise ClaimalignError(f"{out}: is a file; --out needs a folder")
    if out.is_symlink():
        raise ClaimalignError(f"{out}: is a symbolic link; give --out a real folder")
    resolved = out.resolve()
    if is_corpus_folder(resolved):
        raise ClaimalignError(f"{out}: is a corpus folder; claimalign never writes its output there, "
                              "even with --force; choose another --out")
    if not resolved.exists() or not any(resolved.iterdir()):
        resolved.mkdir(parents=True, exist_ok=True)
        return OwnedFolder(resolved)
    owned = _read_marker(resolved) or _earlier_report(resolved, folders)
    if owned is None and not force:
        raise ClaimalignError(f"{out}: holds files claimalign did not write; give an empty or new folder "
                              "to --out (or --force to write beside them, never over them)")
    owned = owned or OwnedFolder(resolved)
    for name in files + folders:
        path = resolved / name
        if path.is_symlink():
            raise ClaimalignError(f"{path}: is a symbolic link; claimalign does not write through it")
        if path.exists() and name not in owned.files | owned.folders:
            raise ClaimalignError(f"{path}: exists and claimalign did not write it; it is never overwritten, "
                                  "even with --force; move it or choose another --out")
    return owned
