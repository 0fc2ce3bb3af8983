"""Load a corpus folder: a manifest with provenance plus the texts it lists, validated."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusError, CorpusWarning
from .normalize import NormText, normalize

__all__ = ["Document", "Corpus", "load_corpus", "decode_text", "parse_partial_date", "MANIFEST"]

MANIFEST = "manifest.yaml"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
OUTLET_BASES = {"stated", "inferred", "unknown"}
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
    """Decode a text file: UTF-8, else cp1252, else Latin-1 (with a warning); refuse binary."""
    if not data.strip():
        raise CorpusError([(path, "the file is empty")])
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise CorpusError([(path, "the file is binary, not text (convert it with `claimalign add`)")])
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
        warnings.warn(message, CorpusWarning, stacklevel=3)
        return text, encoding
    raise CorpusError([(path, "the file is not text in UTF-8, cp1252 or Latin-1")])  # pragma: no cover


def _looks_binary(sample: bytes) -> bool:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(sample) // 100)


class _ManifestLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so that a bad date gets our own message."""


_ManifestLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not root.is_dir():
        raise CorpusError([(root, "no such corpus folder")])
    if not path.is_file():
        raise CorpusError([(path, "missing: a corpus folder needs a manifest.yaml (see README)")])
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ManifestLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CorpusError([(path, f"malformed YAML{where}: {problem}")]) from None
    except UnicodeDecodeError:
        raise CorpusError([(path, "the manifest is not UTF-8 text")]) from None
    if not isinstance(data, dict):
        raise CorpusError([(path, "the manifest must be a mapping with `primary` and `documents`")])
    return data


def load_corpus(root: str | Path) -> Corpus:
    """Read and validate CORPUS_DIR/manifest.yaml and every text it lists."""
    root = Path(root)
    data = _read_manifest(root)
    mpath = root / MANIFEST
    problems: list[tuple[Path | str, str]] = []
    entries = data.get("documents")
    if not isinstance(entries, list) or not entries:
        raise CorpusError([(mpath, "the corpus is empty: `documents` must list at least one document")])
    resolved_root = root.resolve()
    documents: list[Document] = []
    seen: set[str] = set()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        for n, entry in enumerate(entries, start=1):
            where = f"documents[{n}]"
            if not isinstance(entry, dict):
                problems.append((mpath, f"{where} must be a mapping with at least `id` and `file`"))
                continue
            doc_id, file = entry.get("id"), entry.get("file")
            if not doc_id or not isinstance(doc_id, str) or not ID_PATTERN.match(doc_id):
                problems.append((mpath, f"{where} has no valid `id` (letters, digits, . _ -)"))
                continue
            if doc_id in seen:
                problems.append((mpath, f"duplicate id {doc_id!r}"))
                continue
            seen.add(doc_id)
            if not file or not isinstance(file, str):
                problems.append((mpath, f"document {doc_id!r} has no `file`"))
                continue
            path = root / file
            if not path.resolve().is_relative_to(resolved_root):
                problems.append((mpath, f"document {doc_id!r}: file {file!r} escapes the corpus folder"))
                continue
            try:
                parse_partial_date(entry.get("date"))
            except ValueError as exc:
                problems.append((mpath, f"document {doc_id!r}: {exc}"))
            basis = entry.get("outlet_basis")
            if basis is not None and basis not in OUTLET_BASES:
                problems.append((mpath, f"document {doc_id!r}: outlet_basis {basis!r} is not one of "
                                 f"{', '.join(sorted(OUTLET_BASES))}"))
            if not path.is_file():
                problems.append((path, f"missing: listed in the manifest as document {doc_id!r}"))
                continue
            try:
                raw, encoding = decode_text(path.read_bytes(), path)
            except CorpusError as exc:
                problems.extend(exc.problems)  # type: ignore[arg-type]
                continue
            documents.append(Document(doc_id, path, raw, dict(entry), encoding))
    corpus_warnings = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]
    primary = data.get("primary")
    if not primary:
        problems.append((mpath, "no `primary`: name the id of the primary document"))
    elif primary not in seen:
        problems.append((mpath, f"unknown primary id {primary!r} (ids: {', '.join(sorted(seen))})"))
    if problems:
        raise CorpusError(problems)
    for message in corpus_warnings:
        warnings.warn(message, CorpusWarning, stacklevel=2)
    return Corpus(root, str(data.get("corpus") or root.name), str(primary), documents, data,
                  corpus_warnings)
