"""The editable alias table: spellings of one entity that no rule can know."""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CorpusError
from .normalize import PROJECT_ROOT
from .yamlio import YamlDoc, YamlError, kind_of, read_yaml

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
        doc = read_yaml(path)
    except YamlError as exc:
        raise CorpusError([(exc.where, exc.problem)]) from None
    data = doc.data if doc.data is not None else {}
    entities = data.get("entities", []) if isinstance(data, dict) else None
    if not isinstance(entities, list):
        raise CorpusError([(doc.where("entities"), "expected a mapping with an `entities` list")])
    for n, entry in enumerate(entities):
        name, spellings, kind = _entity(doc, n, entry)
        for spelling in [name, *spellings]:
            into.canonical[name_key(spelling)] = name
        if kind:
            into.types[name_key(name)] = kind


def _entity(doc: YamlDoc, n: int, entry: Any) -> tuple[str, list[str], str | None]:
    """(name, aliases, type) of one entry, each checked: a name, a list of names (or one), a word."""
    def fail(key: str | None, problem: str) -> CorpusError:
        keys = ("entities", n) if key is None else ("entities", n, key)
        return CorpusError([(doc.where(*keys), f"entities[{n + 1}]{'.' + key if key else ''} {problem}")])

    if not isinstance(entry, dict) or entry.get("name") in (None, ""):
        raise fail(None, "needs a `name`")
    name, aliases, kind = entry["name"], entry.get("aliases"), entry.get("type")
    if not isinstance(name, (str, int, float)) or isinstance(name, bool):
        raise fail("name", f"must be a name (text), not {kind_of(name)}")
    if aliases is None:
        aliases = []
    elif isinstance(aliases, str):
        aliases = [aliases]
    elif not isinstance(aliases, list):
        raise fail("aliases", f"must be a list of names, not {kind_of(aliases)}")
    for k, spelling in enumerate(aliases):
        if not isinstance(spelling, (str, int, float)) or isinstance(spelling, bool):
            raise CorpusError([(doc.where("entities", n, "aliases", k),
                                f"entities[{n + 1}].aliases[{k + 1}] must be a name (text), not {kind_of(spelling)}")])
    if kind is not None and not isinstance(kind, str):
        raise fail("type", f"must be a word (person, org), not {kind_of(kind)}")
    return str(name), [str(a) for a in aliases], kind or None


def load_aliases(corpus_root: Path | str | None = None) -> Aliases:
    """The project's data/aliases.yaml, plus CORPUS_DIR/aliases.yaml when the corpus has one."""
    aliases = Aliases()
    for path in (ALIASES_FILE, Path(corpus_root) / "aliases.yaml" if corpus_root else None):
        if path is not None and path.is_file():
            _read(path, aliases)
    return aliases
