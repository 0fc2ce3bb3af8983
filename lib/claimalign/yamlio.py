"""Every YAML file claimalign reads goes through here: UTF-8 only, bounded size and alias expansion,
no duplicate keys, and the line of every value kept for messages (`FILE:LINE: problem`).

Writing (the manifest, by `claimalign add`) stays with ruamel's round-trip mode in ingest.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import ClaimalignError

__all__ = ["YamlDoc", "YamlError", "read_yaml", "parse_yaml", "kind_of", "is_scalar",
           "MAX_YAML_BYTES", "ALIAS_BUDGET"]

MAX_YAML_BYTES = 8 * 1024 * 1024
ALIAS_BUDGET = 10_000  # nodes that aliases may add to a file once expanded
MERGE_TAG = "tag:yaml.org,2002:merge"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class YamlError(ClaimalignError):
    """A YAML file that cannot be read: one line, `FILE:LINE: problem`."""

    def __init__(self, where: str, problem: str):
        self.where, self.problem = where, problem
        super().__init__(f"{where}: {problem}")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader, its parser in C where libyaml is there (a manifest of thousands of
    documents reads in a fraction of the time); the checks run on the composed node graph."""


class _TextDatesLoader(_Loader):
    """The same, leaving dates as text so that a bad date gets claimalign's own message."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP_TAG]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML file: its data and the line of every key and list item (by key path)."""

    source: str
    data: Any
    lines: Mapping[tuple[Any, ...], int] = field(default_factory=dict)

    def line(self, *keys: Any) -> int:
        """The line of the value at `keys`, else of its nearest ancestor that has one (1 at worst)."""
        path = tuple(str(k) if not isinstance(k, int) else k for k in keys)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def where(self, *keys: Any) -> str:
        """`FILE:LINE` of the value at `keys`, for the start of a message."""
        return f"{self.source}:{self.line(*keys)}"


def kind_of(value: Any) -> str:
    """What a YAML value is, in words for a message: a list, a mapping, text, a number, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def is_scalar(value: Any) -> bool:
    """Whether a YAML value is a single value (not a list or a mapping)."""
    return not isinstance(value, (list, dict, set, tuple))


def read_yaml(path: str | Path, *, dates: bool = True, max_bytes: int = MAX_YAML_BYTES) -> YamlDoc:
    """Read a YAML file with every check of this module; `dates=False` keeps dates as text."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise YamlError(str(path), f"cannot read ({reason})") from None
    if len(data) > max_bytes:
        raise YamlError(str(path), f"larger than {max_bytes:,} bytes; not read")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise YamlError(f"{path}:{line}", f"not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                          "save the file as UTF-8") from None
    return parse_yaml(text, str(path), dates=dates)


def parse_yaml(text: str, source: str, *, dates: bool = True) -> YamlDoc:
    """Parse YAML text (named `source` in messages) with every check of this module."""
    loader = None
    try:
        loader = (_Loader if dates else _TextDatesLoader)(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(source, None)
        lines: dict[tuple[Any, ...], int] = {}
        _check(node, source, lines)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise YamlError(*_yaml_message(exc, source, text)) from None
    except RecursionError:
        raise YamlError(source, "nested too deeply to read") from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(source, data, lines)


def _yaml_message(exc: yaml.YAMLError, source: str, text: str) -> tuple[str, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[:exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return f"{source}:{line}", f"malformed YAML: the control character U+{code:04X} is not allowed in YAML"
    where = f"{source}:{mark.line + 1}" if mark is not None else source
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    column = f" (column {mark.column + 1})" if mark is not None else ""
    return where, f"malformed YAML{column}: {problem}"


def _check(root: yaml.Node, source: str, lines: dict[tuple[Any, ...], int]) -> None:
    """Refuse duplicate keys, non-scalar keys, recursive aliases and alias expansion beyond the budget;
    fill `lines` with the line of every key and list item along the way."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise YamlError(f"{source}:{node.start_mark.line + 1}", "a YAML alias refers to itself; not read")
        busy.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    raise YamlError(f"{source}:{k.start_mark.line + 1}", "a key must be a single value, "
                                    "not a list or a mapping")
                if k.tag != MERGE_TAG:
                    if k.value in seen:
                        raise YamlError(f"{source}:{k.start_mark.line + 1}", f"duplicate key {k.value!r} "
                                        f"(first on line {seen[k.value]})")
                    seen[k.value] = k.start_mark.line + 1
                total += size(k) + size(v)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        busy.discard(key)
        sizes[key] = total
        return total

    expanded = size(root)
    if expanded > len(sizes) + ALIAS_BUDGET:
        raise YamlError(f"{source}:{root.start_mark.line + 1}", f"YAML aliases expand to {expanded:,} values, "
                        f"more than {ALIAS_BUDGET:,} beyond the file's own; not read (write the values out)")
    _record_lines(root, (), lines)


def _record_lines(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.tag == MERGE_TAG:
                continue
            child = (*path, str(k.value))
            lines.setdefault(child, k.start_mark.line + 1)
            _record_lines(v, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            child = (*path, n)
            lines.setdefault(child, item.start_mark.line + 1)
            _record_lines(item, child, lines)
