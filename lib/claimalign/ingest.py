"""`claimalign add`: convert a .txt, saved .html page or .pdf into a corpus text and manifest entry.

Nothing is overwritten and nothing is left behind: the corpus is locked, the manifest re-read,
and every file written to a temporary name and renamed into place, manifest last (corpuswrite.py).
The new entry is appended to the manifest's bytes, so its comments and line endings stay.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
import warnings
from collections import Counter
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .corpus import (DEFAULT_MAX_BYTES, MANIFEST, ORIGINALS, OUTLET_BASES, decode_text, id_problem, load_corpus,
                     parse_partial_date)
from .corpuswrite import clean_up, commit, corpus_lock
from .errors import ClaimalignError, CorpusWarning

__all__ = ["add_document", "DEFAULT_MAX_BYTES", "PAGE_BREAK", "ORIGINALS",
           "text_sha256", "html_text", "pdf_text"]

PAGE_BREAK = "\n\f\n"
MIN_PROSE_WORDS = 8
PARAGRAPH_GAP = 1.4  # a vertical gap this many times the usual line step starts a paragraph
KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass
class Converted:
    """A file turned into corpus text, with metadata found in it and a note on how."""

    text: str
    data: bytes
    encoding: str = "utf-8"
    meta: dict[str, Any] = field(default_factory=dict)
    how: str = ""


def text_sha256(text: str) -> str:
    """The content hash claimalign records: SHA-256 of the text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fail(path: Path | str, problem: str) -> ClaimalignError:
    return ClaimalignError(f"{path}: {problem}")


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a parser's own log warnings; claimalign reports the problem itself."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def html_text(data: bytes, path: Path) -> Converted:
    """Main text and metadata of a saved web page, by trafilatura; paragraphs split by blank lines."""
    import trafilatura

    with _quiet("trafilatura"), _quiet("htmldate"):
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    found = (doc if isinstance(doc, dict) else doc.as_dict()) if doc is not None else {}
    lines = [line.strip() for line in (found.get("text") or "").splitlines()]
    lines = [line for line in lines if line]
    if not any(len(line.split()) >= MIN_PROSE_WORDS for line in lines):
        raise _fail(path, "no main text found in this HTML page (no paragraph of prose); "
                          "save the article page itself, or copy its text into a .txt file")
    meta = {"title": found.get("title"), "author": found.get("author"), "date": found.get("date"),
            "url": found.get("url"), "outlet": found.get("sitename")}
    text = "\n\n".join(lines) + "\n"
    return Converted(text, text.encode("utf-8"), meta={k: v for k, v in meta.items() if v},
                     how="main text by trafilatura")


def _page_lines(page: Any) -> tuple[list[str], list[tuple[float, float] | None]]:
    """A page's lines by pypdf, each with (baseline height, font size) when pypdf reports them."""
    geometry: dict[int, tuple[float, float]] = {}
    line = 0

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        nonlocal line
        if text.strip() and line not in geometry:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            geometry[line] = (y, round(abs(size * tm[3] * cm[3]) or size, 1))
        line += text.count("\n")

    lines = [text.rstrip() for text in page.extract_text(visitor_text=visit).split("\n")]
    return lines, [geometry.get(i) for i in range(len(lines))]


def _line_step(gaps: list[float]) -> float | None:
    """The usual distance between lines: the smallest gap that recurs, else the smallest."""
    counts = Counter(round(g * 2) / 2 for g in gaps if g > 1)
    recurring = [g for g, n in counts.items() if n > 1]
    return min(recurring or counts or [0]) or None


def _page_text(page: Any) -> str:
    """One page's text, with a blank line wherever the vertical gap marks a new paragraph."""
    lines, geo = _page_lines(page)
    pairs = list(zip(geo, geo[1:]))
    same_size: dict[float, list[float]] = {}
    for a, b in pairs:
        if a and b and a[1] == b[1]:
            same_size.setdefault(a[1], []).append(a[0] - b[0])
    steps = {size: _line_step(gaps) for size, gaps in same_size.items()}
    out = lines[:1]
    for line, (a, b) in zip(lines[1:], pairs):
        if a and b and out[-1]:
            gap, step = a[0] - b[0], steps.get(b[1]) or steps.get(a[1])
            if gap < 0 or (step and gap > PARAGRAPH_GAP * step):
                out.append("")
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def pdf_text(data: bytes, path: Path) -> Converted:
    """The text layer of a PDF by pypdf: paragraphs by blank lines, pages joined by PAGE_BREAK."""
    import pypdf

    try:
        with _quiet("pypdf"):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise _fail(path, "the PDF is password-protected; save an unprotected copy and add that")
            pages = [_page_text(page) for page in reader.pages]
            info = reader.metadata
    except ClaimalignError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise _fail(path, f"cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
    if not "".join(pages).strip():
        raise _fail(path, "the PDF has no text layer (a scan?); run OCR and add the text as .txt")
    text = PAGE_BREAK.join(pages).strip() + "\n"
    meta = {"title": info.title, "author": info.author} if info else {}
    return Converted(text, text.encode("utf-8"), meta={k: str(v) for k, v in meta.items() if v},
                     how=f"text layer by pypdf, {len(pages)} page(s), page breaks as form feeds")


def _plain_text(data: bytes, path: Path) -> Converted:
    text, encoding = decode_text(data, path)
    return Converted(text, data, encoding, how="text kept as is")


CONVERTERS = {"text": _plain_text, "html": html_text, "pdf": pdf_text}


def _read(file: Path, max_bytes: int) -> tuple[str, bytes]:
    if not file.exists():
        raise _fail(file, "no such file")
    if not file.is_file():
        raise _fail(file, "not a file")
    kind = KINDS.get(file.suffix.lower())
    if kind is None:
        raise _fail(file, f"unsupported file type {file.suffix or '(none)'!r}; "
                          "claimalign add reads .txt, .html, .htm and .pdf")
    size = file.stat().st_size
    if size > max_bytes:
        raise _fail(file, f"{size:,} bytes is over the size limit of {max_bytes:,}; "
                          "raise it with --max-bytes if the file is right")
    try:
        return kind, file.read_bytes()
    except OSError as exc:
        raise _fail(file, f"cannot be read ({exc.strerror})") from None


def slug(name: str) -> str:
    """An id from a file name: ASCII letters and digits joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _yaml(text: str = "") -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    m = re.search(r"^( *)- ", text, re.MULTILINE)
    offset = len(m.group(1)) if m else 2
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _load_manifest(root: Path) -> tuple[CommentedMap | None, bytes]:
    path = root / MANIFEST
    if not path.is_file():
        return None, b""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(path, "the manifest is not UTF-8 text") from None
    try:
        data = _yaml(text).load(text)
    except YAMLError as exc:
        raise _fail(path, f"malformed YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, CommentedMap):
        raise _fail(path, "the manifest must be a mapping with `primary` and `documents`")
    return data, raw


def _date_value(value: str | None, source: Path | str) -> Any:
    try:
        parsed = parse_partial_date(value)
    except ValueError as exc:
        raise _fail(source, str(exc)) from None
    if parsed is None:
        return None
    return parsed.as_date() or parsed.iso()


def _outlet_basis(outlet: str | None, basis: str | None, text: str) -> str:
    if basis:
        return basis
    if not outlet:
        return "unknown"
    return "stated" if outlet.casefold() in text.casefold() else "inferred"


def _entry(doc_id: str, file_name: str, original: str | None, conv: Converted, given: dict[str, Any],
           source: Path) -> CommentedMap:
    from_page = [k for k in ("title", "author", "date", "outlet", "url") if not given.get(k) and conv.meta.get(k)]
    values = {k: given.get(k) or conv.meta.get(k) for k in ("title", "author", "outlet", "date", "url")}
    how = f"Added by claimalign from {source.name}: {conv.how}"
    if from_page:
        how += f"; {', '.join(from_page)} from the file's metadata"
    entry = CommentedMap()
    entry["id"] = doc_id
    entry["file"] = file_name
    entry["kind"] = given.get("kind") or "report"
    entry["title"] = values["title"]
    entry["author"] = values["author"]
    entry["outlet"] = values["outlet"]
    entry["outlet_basis"] = _outlet_basis(values["outlet"], given.get("outlet_basis"), conv.text)
    entry["date"] = _date_value(values["date"], source)
    if given.get("language"):
        entry["language"] = given["language"]
    entry["notes"] = " ".join(filter(None, [given.get("notes"), how + "."]))
    if values["url"]:
        entry["url"] = values["url"]
    if original:
        entry["original"] = original
    if conv.encoding != "utf-8":
        entry["encoding"] = conv.encoding
    entry["sha256"] = text_sha256(conv.text)
    return entry


def _check_inside(root: Path, dests: list[Path]) -> None:
    """Refuse a destination that is a symbolic link or whose folder leads out of the corpus folder."""
    inside = root.resolve()
    for dest in dests:
        for path in (dest, dest.parent):
            if path.is_symlink():
                raise _fail(path, "is a symbolic link; claimalign add does not write through links")
        if not dest.parent.resolve().is_relative_to(inside):
            raise _fail(dest, "is outside the corpus folder; claimalign add writes only inside it")


def _check_new(root: Path, manifest: CommentedMap | None, doc_id: str, sha: str,
               dests: list[Path], in_place: Path | None) -> None:
    mpath = root / MANIFEST
    corpus = load_corpus(root) if manifest is not None and manifest.get("documents") else []
    if doc_id in {doc.id for doc in corpus}:
        raise _fail(mpath, f"document id {doc_id!r} is already in the corpus; choose another with --id")
    _check_inside(root, [*dests, mpath])
    for dest in dests:
        if dest.exists() and dest != in_place:
            raise _fail(dest, "already exists and is not overwritten; choose another id with --id")
    for doc in corpus:
        if doc.sha256 == sha or doc.meta.get("sha256") == sha:
            raise _fail(mpath, f"the same text is already in the corpus as document {doc.id!r} "
                               f"({doc.path.name})")


def _entry_lines(entry: CommentedMap, indent: str, eol: str) -> str:
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=2, offset=0)
    out = io.StringIO()
    yaml.dump([entry], out)
    return "".join(f"{indent}{line}{eol}" for line in out.getvalue().splitlines())


def _appended(manifest: CommentedMap, raw: bytes, entry: CommentedMap) -> bytes | None:
    """The manifest's bytes with the entry added at their end, when `documents` ends the file."""
    docs = manifest.get("documents")
    if (not manifest.get("primary") or not isinstance(docs, CommentedSeq) or not docs
            or docs.fa.flow_style() or list(manifest)[-1] != "documents"):
        return None
    text = raw.decode("utf-8")
    lines = text.splitlines()
    first = docs.lc.line if docs.lc.line is not None else -1
    dash = next((m for line in lines[first:] if (m := re.match(r"( *)- ", line))), None)
    if dash is None:
        return None
    eol = "\r\n" if "\r\n" in text else "\n"
    gap = "" if not text or text.endswith("\n") else eol
    added = gap + _entry_lines(entry, dash.group(1), eol)
    try:
        after = _yaml().load(text + added)
    except YAMLError:
        return None
    before = {k: v for k, v in manifest.items() if k != "documents"}
    if ({k: v for k, v in after.items() if k != "documents"} != before
            or list(after.get("documents") or []) != [*docs, entry]):
        return None
    return raw + added.encode("utf-8")


def _manifest_bytes(manifest: CommentedMap | None, raw: bytes, root: Path, entry: CommentedMap) -> bytes:
    if manifest is not None:
        appended = _appended(manifest, raw, entry)
        if appended is not None:
            return appended
    text = raw.decode("utf-8")
    if manifest is None:
        manifest = CommentedMap()
        manifest["corpus"] = root.resolve().name
        manifest["primary"] = entry["id"]
        manifest.yaml_set_start_comment("claimalign corpus manifest: one entry per document "
                                        "(see docs/formats.md).")
    if not isinstance(manifest.get("documents"), list):
        manifest["documents"] = CommentedSeq()
    manifest["documents"].append(entry)
    if not manifest.get("primary"):
        manifest["primary"] = entry["id"]
    out = io.StringIO()
    _yaml(text).dump(manifest, out)
    dumped = out.getvalue().replace("\r\n", "\n")
    return (dumped.replace("\n", "\r\n") if "\r\n" in text else dumped).encode("utf-8")


def add_document(corpus_dir: str | Path, file: str | Path, *, doc_id: str | None = None,
                 kind: str | None = None, title: str | None = None, author: str | None = None,
                 outlet: str | None = None, outlet_basis: str | None = None, date: str | None = None,
                 url: str | None = None, language: str | None = None, notes: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Add one file to a corpus (creating the manifest if there is none); returns the new entry."""
    root, file = Path(corpus_dir), Path(file)
    if root.exists() and not root.is_dir():
        raise _fail(root, "not a folder")
    if not root.exists() and not root.parent.is_dir():
        raise _fail(root.parent, "no such folder (a new corpus folder is created only inside an existing one)")
    source_kind, data = _read(file, max_bytes)
    doc_id = doc_id or slug(file.stem)
    problem = id_problem(doc_id)
    if problem:
        raise _fail(file, f"the document id {problem}; choose one with --id")
    if outlet_basis is not None and outlet_basis not in OUTLET_BASES:
        raise _fail(file, f"outlet basis {outlet_basis!r} is not one of {', '.join(sorted(OUTLET_BASES))}")
    _date_value(date, "--date")
    conv = CONVERTERS[source_kind](data, file)
    made_root = not root.exists()
    root.mkdir(exist_ok=True)
    try:
        with corpus_lock(root):
            clean_up(root)
            entry = _add_locked(root, file, doc_id, source_kind, data, conv,
                                {"kind": kind, "title": title, "author": author, "outlet": outlet,
                                 "outlet_basis": outlet_basis, "date": date, "url": url,
                                 "language": language, "notes": notes})
    except BaseException:
        if made_root:
            with suppress(OSError):
                root.rmdir()
        raise
    return dict(entry)


def _add_locked(root: Path, file: Path, doc_id: str, source_kind: str, data: bytes, conv: Converted,
                given: dict[str, Any]) -> CommentedMap:
    """Check the entry against the manifest as it is now and write it; the caller holds the lock."""
    manifest, manifest_raw = _load_manifest(root)
    if manifest is None and given["kind"] is None:
        given["kind"] = "primary"
    text_path = root / f"{doc_id}.txt"
    original = f"{ORIGINALS}/{doc_id}{file.suffix.lower()}" if source_kind != "text" else None
    dests = [text_path] + ([root / original] if original else [])
    in_place = text_path if source_kind == "text" and file.resolve() == text_path.resolve() else None
    _check_new(root, manifest, doc_id, text_sha256(conv.text), dests, in_place)
    entry = _entry(doc_id, text_path.name, original, conv, given, file)
    if manifest is not None and entry["kind"] == "primary" and manifest.get("primary") not in (None, doc_id):
        warnings.warn(f"{root / MANIFEST}: {doc_id!r} has kind primary but the corpus's primary stays "
                      f"{manifest.get('primary')!r}; edit `primary:` to change it", CorpusWarning, stacklevel=3)
    files = [] if in_place else [(text_path, conv.data)]
    if original:
        files.append((root / original, data))
    commit(root, files, _manifest_bytes(manifest, manifest_raw, root, entry))
    return entry
