"""Load a corpus folder: a manifest with provenance plus the texts it lists, validated."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import CorpusError, CorpusWarning
from .normalize import NormText, normalize
from .yamlio import YamlDoc, YamlError, is_scalar, kind_of, read_yaml

__all__ = ["Document", "Corpus", "load_corpus", "decode_text", "parse_partial_date", "id_problem",
           "has_visible_text", "read_manifest_data", "MANIFEST", "ID_MAX"]

MANIFEST = "manifest.yaml"
ID_MAX = 100
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters that show nothing: spaces, format characters (U+200B, U+FEFF, ...) and blank letters.
BLANK_LETTERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
OUTLET_BASES = {"stated", "inferred", "unknown"}
ORIGINALS = "originals"  # where `add` keeps the HTML or PDF a text came from
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # largest file `add` takes unless told otherwise
KNOWN_FIELDS = {
    "id", "file", "kind", "title", "author", "outlet", "outlet_basis", "date", "dateline",
    "language", "notes", "url", "sha256", "original", "encoding",
}


@dataclass(frozen=True)
class PartialDate:
    """A date that may lack its day or its year ("Jan. 12" in an undated text)."""

    year: int | None
    month: int | None
    day: int | None

    def iso(self) -> str:
        """ISO-like text: 2026-01-12, 2026-01, 2026, or --01-12 when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}" if self.day else f"--{self.month:02d}"
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> dt.date | None:
        """A full date, or None when any part is missing."""
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None


def parse_partial_date(value: Any) -> PartialDate | None:
    """Parse a manifest date: a YAML date, YYYY-MM-DD, YYYY-MM or YYYY; None for null."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value).strip())
    if not match:
        raise ValueError(f"date {value!r} is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day is not None:
            dt.date(year, month, day)  # type: ignore[arg-type]
        elif month is not None and not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        raise ValueError(f"date {value!r} is not a real calendar date") from None
    return PartialDate(year, month, day)


@dataclass
class Document:
    """One text of the corpus with its manifest entry; `raw` is the decoded file, never edited."""

    id: str
    path: Path
    raw: str
    meta: dict[str, Any]
    encoding: str = "utf-8"

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind") or "report")

    @property
    def date(self) -> PartialDate | None:
        return parse_partial_date(self.meta.get("date"))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw.encode("utf-8")).hexdigest()

    @cached_property
    def norm(self) -> NormText:
        """The normalised view used for matching, mapped back to `raw`."""
        return normalize(self.raw)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its normalised view: another process remakes it, and a big document's
        view is several times its text (sent to a process that is already running, it doubled
        what the sender held while the receiver worked)."""
        state = dict(self.__dict__)
        state.pop("norm", None)
        return state


@dataclass
class Corpus:
    """A loaded corpus: documents in manifest order and the id of the primary."""

    root: Path
    name: str
    primary_id: str
    documents: list[Document]
    manifest: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {d.id: d for d in self.documents}

    def __getitem__(self, doc_id: str) -> Document:
        return self._by_id[doc_id]

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_id

    def __iter__(self):
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def primary(self) -> Document:
        return self._by_id[self.primary_id]

    @property
    def reports(self) -> list[Document]:
        """Every document but the primary."""
        return [d for d in self.documents if d.id != self.primary_id]

    def with_primary(self, primary_id: str) -> "Corpus":
        """The same corpus compared against another primary document."""
        if primary_id not in self._by_id:
            raise CorpusError([(self.root / MANIFEST, f"--primary {primary_id!r} is not a document id "
                                f"(ids: {', '.join(self._by_id)})")])
        return Corpus(self.root, self.name, primary_id, self.documents, self.manifest, self.warnings)


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file: UTF-8, else cp1252, else Latin-1 (with a warning); refuse binary or blank text."""
    if not data.strip():
        raise CorpusError([(path, "the file is empty")])
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise CorpusError([(path, "the file is binary, not text (convert it with `claimalign add`)")])
    text, encoding = _decode(data, path)
    if not has_visible_text(text):
        raise CorpusError([(path, "the file has no visible characters (only spaces or invisible characters)")])
    return text, encoding


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        message = f"{path}: not UTF-8; decoded as {encoding}. Check accented letters and quotes."
        warnings.warn(message, CorpusWarning, stacklevel=4)
        return text, encoding
    raise CorpusError([(path, "the file is not text in UTF-8, cp1252 or Latin-1")])  # pragma: no cover


def has_visible_text(text: str) -> bool:
    """Whether a text shows anything: a character that is not a space, a control or format character."""
    return any(ch not in BLANK_LETTERS and unicodedata.category(ch) not in INVISIBLE_CATEGORIES for ch in text)


_NOT_CONTROLS = bytes([9, 10, 12, 13, *range(32, 256)])


def _looks_binary(sample: bytes) -> bool:
    controls = len(sample.translate(None, _NOT_CONTROLS))  # the control bytes that are left, counted in C
    return controls > max(2, len(sample) // 100)


def _read_manifest(root: Path) -> YamlDoc:
    path = root / MANIFEST
    if not root.is_dir():
        raise CorpusError([(root, "no such corpus folder")])
    if not path.is_file():
        raise CorpusError([(path, "missing: a corpus folder needs a manifest.yaml (see README)")])
    try:
        doc = read_yaml(path, dates=False)
    except YamlError as exc:
        raise CorpusError([(exc.where, exc.problem)]) from None
    if not isinstance(doc.data, dict):
        raise CorpusError([(path, "the manifest must be a mapping with `primary` and `documents`")])
    return doc


def read_manifest_data(root: Path) -> dict[str, Any]:
    """The decoded manifest of the corpus at `root` (bounded YAML), for tools that only read its paths."""
    return _read_manifest(root).data


def id_problem(value: Any) -> str | None:
    """What is wrong with a document id, or None: text, letters, digits, . _ -, at most ID_MAX characters."""
    if not isinstance(value, str) or not value:
        return f"must be text, not {kind_of(value)}" if value not in (None, "") else "is missing"
    if CONTROL.search(value):
        return f"{_clip(value)} holds a control character ({_first_control(value)})"
    if len(value) > ID_MAX:
        return f"{_clip(value)} is {len(value)} characters long; ids have at most {ID_MAX}"
    if not ID_PATTERN.match(value):
        return f"{_clip(value)} may hold only letters, digits, . _ - (and starts with a letter or digit)"
    return None


def _clip(value: str, n: int = 40) -> str:
    return repr(value if len(value) <= n else value[:n] + "\u2026")


def _first_control(value: str) -> str:
    m = CONTROL.search(value)
    return f"U+{ord(m.group()):04X}" if m else ""


def _entry_problems(doc: YamlDoc, n: int, entry: dict[str, Any]) -> list[tuple[str, str]]:
    """Type problems of one manifest entry: each field a single value, the file name clean."""
    problems = []
    name = f"document {entry['id']!r}" if isinstance(entry.get("id"), str) else f"documents[{n + 1}]"
    for key, value in entry.items():
        if not isinstance(key, str):
            problems.append((doc.where("documents", n), f"{name}: the key {key!r} must be text"))
        elif not is_scalar(value):
            problems.append((doc.where("documents", n, key),
                             f"{name}: `{key}` must be a single value, not {kind_of(value)}"))
    file = entry.get("file")
    if isinstance(file, str) and CONTROL.search(file):
        problems.append((doc.where("documents", n, "file"),
                         f"{name}: the file name holds a control character ({_first_control(file)})"))
    return problems


def _resolved(path: Path, parents: dict[Path, Path]) -> Path:
    """`path.resolve()`, its folder resolved once for every file in it (`parents` remembers them):
    resolving thousands of files each walked every folder above them."""
    if path.name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    folder = parents.get(path.parent)
    if folder is None:
        folder = parents[path.parent] = path.parent.resolve()
    return folder / path.name


def load_corpus(root: str | Path) -> Corpus:
    """Read and validate CORPUS_DIR/manifest.yaml and every text it lists."""
    root = Path(root)
    doc = _read_manifest(root)
    data = doc.data
    mpath = root / MANIFEST
    problems: list[tuple[Path | str, str]] = []
    entries = data.get("documents")
    if not isinstance(entries, list) or not entries:
        raise CorpusError([(doc.where("documents"),
                            "the corpus is empty: `documents` must list at least one document")])
    resolved_root = root.resolve()
    parents: dict[Path, Path] = {root: resolved_root}
    documents: list[Document] = []
    seen: set[str] = set()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        for n, entry in enumerate(entries):
            at = doc.where("documents", n)
            if not isinstance(entry, dict):
                problems.append((at, f"documents[{n + 1}] must be a mapping with at least `id` and `file`"))
                continue
            doc_id, file = entry.get("id"), entry.get("file")
            bad_id = id_problem(doc_id)
            if bad_id:
                problems.append((doc.where("documents", n, "id"), f"documents[{n + 1}]: id {bad_id}"))
                continue
            if doc_id in seen:
                problems.append((doc.where("documents", n, "id"), f"duplicate id {doc_id!r}"))
                continue
            seen.add(doc_id)
            typed = _entry_problems(doc, n, entry)
            if typed:
                problems.extend(typed)
                continue
            if not file or not isinstance(file, str):
                problems.append((at, f"document {doc_id!r} has no `file`" +
                                 ("" if not file else f" (a file name is text, not {kind_of(file)})")))
                continue
            path = root / file
            if not _resolved(path, parents).is_relative_to(resolved_root):
                problems.append((doc.where("documents", n, "file"),
                                 f"document {doc_id!r}: file {file!r} escapes the corpus folder"))
                continue
            try:
                parse_partial_date(entry.get("date"))
            except ValueError as exc:
                problems.append((doc.where("documents", n, "date"), f"document {doc_id!r}: {exc}"))
            basis = entry.get("outlet_basis")
            if basis is not None and basis not in OUTLET_BASES:
                problems.append((doc.where("documents", n, "outlet_basis"),
                                 f"document {doc_id!r}: outlet_basis {basis!r} is not one of "
                                 f"{', '.join(sorted(OUTLET_BASES))}"))
            if not path.is_file():
                problems.append((path, f"missing: listed in the manifest as document {doc_id!r}"))
                continue
            try:
                raw, encoding = decode_text(path.read_bytes(), path)
            except OSError as exc:
                problems.append((path, f"cannot be read ({exc.strerror or exc})"))
                continue
            except CorpusError as exc:
                problems.extend(exc.problems)  # type: ignore[arg-type]
                continue
            documents.append(Document(doc_id, path, raw, dict(entry), encoding))
    corpus_warnings = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]
    problems.extend(_top_problems(doc, seen))
    if problems:
        raise CorpusError(problems)
    for message in corpus_warnings:
        warnings.warn(message, CorpusWarning, stacklevel=2)
    return Corpus(root, str(data.get("corpus") or root.name), str(data["primary"]), documents, data,
                  corpus_warnings)


def _top_problems(doc: YamlDoc, seen: set[str]) -> list[tuple[str, str]]:
    """Problems of the manifest's own fields: `primary` names a document, `corpus` is one value."""
    data, problems = doc.data, []
    name = data.get("corpus")
    if not is_scalar(name):
        problems.append((doc.where("corpus"), f"`corpus` must be a single value (a name), not {kind_of(name)}"))
    primary = data.get("primary")
    ids = ", ".join(sorted(seen)[:20]) + (", ..." if len(seen) > 20 else "")
    if primary is None or primary == "":
        problems.append((doc.where(), "no `primary`: name the id of the primary document"))
    elif not isinstance(primary, str):
        problems.append((doc.where("primary"), f"`primary` must be one document id, not {kind_of(primary)}"))
    elif primary not in seen:
        problems.append((doc.where("primary"), f"unknown primary id {_clip(primary)} (ids: {ids})"))
    return problems
