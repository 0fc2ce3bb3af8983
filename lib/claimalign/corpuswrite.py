"""Writing into a corpus folder as one transaction: a lock, temporary files, a journal, renames.

`claimalign add` holds an exclusive `flock` on the corpus folder itself (no lock file) while it
re-reads the manifest and writes. New files and the manifest are first written in full, synced,
under names starting with TEMP_PREFIX; a journal then lists the new files, the renames put them in
place with the manifest last, and the journal is removed. The next writer finishes the cleanup
of a run that was killed: it deletes the new files of a journal whose manifest never listed them
(only when their bytes are still the ones written) and every leftover temporary file.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .corpus import MANIFEST
from .errors import ClaimalignError
from .outguard import corpus_paths

__all__ = ["corpus_lock", "clean_up", "commit", "TEMP_PREFIX", "LOCK_WAIT"]

TEMP_PREFIX = ".claimalign-tmp-"
JOURNAL = ".journal"
LOCK_WAIT = 120.0
POLL = 0.02


@contextmanager
def corpus_lock(root: Path, *, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold an exclusive lock on the corpus folder, waiting up to `wait` seconds for another writer."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise ClaimalignError(f"{root}: cannot open the corpus folder ({exc.strerror})") from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise ClaimalignError(f"{root}: another claimalign add has been writing this corpus "
                                              f"for over {wait:.0f} s; try again when it is done") from None
                    time.sleep(POLL)
                except OSError as exc:
                    raise ClaimalignError(f"{root}: cannot lock the corpus folder ({exc.strerror})") from None
            held = os.fstat(fd)
            here = os.stat(root)
        except FileNotFoundError:
            here = None
        except BaseException:
            os.close(fd)
            raise
        if here is not None and (held.st_dev, held.st_ino) == (here.st_dev, here.st_ino):
            break
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _undo(root: Path, journal: Path) -> None:
    """Remove the new files a killed run renamed into place but never entered in the manifest."""
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        created = [(root / item["path"], item["sha256"]) for item in data["created"]]
        folders = [root / name for name in data["folders"]]
    except (OSError, ValueError, KeyError, TypeError):
        return
    listed = corpus_paths(root)
    if listed is None:
        return
    for path, sha in created:
        if path.resolve() in listed or path.is_symlink() or not path.is_file():
            continue
        if path.resolve().parent.is_relative_to(root.resolve()) and _sha256(path.read_bytes()) == sha:
            path.unlink()
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def clean_up(root: Path) -> None:
    """Finish what killed runs left (call under the lock): undo their journals, delete their temporaries."""
    leftovers = sorted(p for p in root.iterdir() if p.name.startswith(TEMP_PREFIX))
    for path in leftovers:
        if path.name.endswith(JOURNAL) and path.is_file():
            _undo(root, path)
    for path in leftovers:
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)


def commit(root: Path, new_files: list[tuple[Path, bytes]], manifest: bytes) -> None:
    """Put new files and the manifest in place (call under the lock); on failure undo, and raise."""
    token = secrets.token_hex(4)
    mpath = root / MANIFEST
    temps: list[tuple[Path, Path]] = []
    made: list[Path] = []
    renamed: list[Path] = []
    journal = root / f"{TEMP_PREFIX}{token}{JOURNAL}"
    try:
        for n, (dest, data) in enumerate([*new_files, (mpath, manifest)]):
            tmp = root / f"{TEMP_PREFIX}{token}-{n}-{dest.name}"
            temps.append((tmp, dest))
            _write_synced(tmp, data)
        if mpath.exists():
            shutil.copymode(mpath, temps[-1][0])
        for dest, _ in new_files:
            if not dest.parent.exists():
                dest.parent.mkdir()
                made.append(dest.parent)
        record = {"created": [{"path": str(dest.relative_to(root)), "sha256": _sha256(data)}
                              for dest, data in new_files],
                  "folders": [str(folder.relative_to(root)) for folder in made]}
        _write_synced(journal, json.dumps(record).encode("utf-8"))
        _sync_folder(root)
        for tmp, dest in temps:
            os.replace(tmp, dest)
            renamed.append(dest)
    except OSError as exc:
        for dest in renamed:
            dest.unlink(missing_ok=True)
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        for folder in reversed(made):
            folder.rmdir()
        journal.unlink(missing_ok=True)
        raise ClaimalignError(f"{exc.filename or root}: cannot write ({exc.strerror}); "
                              "the corpus is unchanged") from None
    for folder in {root, *(dest.parent for dest, _ in new_files)}:
        _sync_folder(folder)
    journal.unlink(missing_ok=True)
