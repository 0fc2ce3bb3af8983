"""The editable alias table: spellings of one entity that no rule can know."""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CorpusError
from .normalize import PROJECT_ROOT

__all__ = ["Aliases", "load_aliases", "name_key", "ALIASES_FILE"]

ALIASES_FILE = PROJECT_ROOT / "data" / "aliases.yaml"


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Fold a name for comparison: NFKC, case, punctuation, a leading "the"."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("\u2019", "'")
    text = re.sub(r"[^\w\s'-]", " ", text)
    text = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", text).strip())
    return text


@dataclass
class Aliases:
    """Maps every known spelling (folded) to its entity's canonical name."""

    canonical: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> str:
        """The canonical name for `name`, or `name` itself when the table does not know it."""
        return self.canonical.get(name_key(name), name) if self.canonical else name

    def same(self, a: str, b: str) -> bool:
        """Whether the table says two names are one entity."""
        return name_key(self.resolve(a)) == name_key(self.resolve(b))

    def names_of(self, name: str) -> list[str]:
        """Every spelling the table lists for the entity `name` belongs to."""
        target = name_key(self.resolve(name))
        return sorted({k for k, v in self.canonical.items() if name_key(v) == target} | {name_key(name)})


def _read(path: Path, into: Aliases) -> None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CorpusError([(path, f"malformed YAML: {str(exc).splitlines()[0]}")]) from None
    entities = data.get("entities", []) if isinstance(data, dict) else None
    if not isinstance(entities, list):
        raise CorpusError([(path, "expected a mapping with an `entities` list")])
    for n, entry in enumerate(entities, start=1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise CorpusError([(path, f"entities[{n}] needs a `name`")])
        name = str(entry["name"])
        for spelling in [name, *(entry.get("aliases") or [])]:
            into.canonical[name_key(str(spelling))] = name
        if entry.get("type"):
            into.types[name_key(name)] = str(entry["type"])


def load_aliases(corpus_root: Path | str | None = None) -> Aliases:
    """The project's data/aliases.yaml, plus CORPUS_DIR/aliases.yaml when the corpus has one."""
    aliases = Aliases()
    for path in (ALIASES_FILE, Path(corpus_root) / "aliases.yaml" if corpus_root else None):
        if path is not None and path.is_file():
            _read(path, aliases)
    return aliases
