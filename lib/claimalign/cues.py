"""The editable cue lists of the meaning rules: negations, opposites, hedges, causal verbs, vague words."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusError
from .extract.claim import stem
from .normalize import PROJECT_ROOT

__all__ = ["Cues", "Phrase", "load_cues", "phrase", "surface", "CUES_FILE"]

CUES_FILE = PROJECT_ROOT / "data" / "cues.yaml"
LISTS = ("negations", "hedges", "associations", "causal", "certainty")
WRITTEN = ("hedges",)  # matched as written: "potentially" hedges, "potential" does not
GROUPED = ("opposites", "vague", "ranks")
VAGUE_KINDS = ("durations", "amounts", "money", "times", "names")
Phrase = tuple[str, ...]
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")


def phrase(text: str) -> Phrase:
    """The stems of a cue's words: what a cue is matched on."""
    return tuple(stem(w.replace("\u2019", "'")) for w in _WORD.findall(text.casefold()))


def surface(text: str) -> Phrase:
    """The lower-case words of a cue matched as written ("months" is vague where "month" is not)."""
    return tuple(w.replace("\u2019", "'") for w in _WORD.findall(text.casefold()))


@dataclass
class Cues:
    """Cue phrases by list (stem tuples; `hedges`, `vague` and `ranks` as written); `opposites` holds groups of exclusive poles."""

    negations: set[str] = field(default_factory=set)
    hedges: set[Phrase] = field(default_factory=set)
    associations: set[Phrase] = field(default_factory=set)
    causal: set[Phrase] = field(default_factory=set)
    certainty: set[Phrase] = field(default_factory=set)
    opposites: list[list[set[Phrase]]] = field(default_factory=list)
    vague: dict[str, set[Phrase]] = field(default_factory=lambda: {k: set() for k in VAGUE_KINDS})
    ranks: list[set[Phrase]] = field(default_factory=list)


def _words(path: Path, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise CorpusError([(path, f"`{key}` must be a list of words")])
    return [str(v) for v in value]


def _read(path: Path, into: Cues) -> None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CorpusError([(path, f"malformed YAML: {str(exc).splitlines()[0]}")]) from None
    if not isinstance(data, dict):
        raise CorpusError([(path, "expected a mapping of cue lists")])
    unknown = sorted(set(data) - set(LISTS) - set(GROUPED))
    if unknown:
        raise CorpusError([(path, f"unknown cue list `{unknown[0]}` (lists: {', '.join(LISTS + GROUPED)})")])
    into.negations |= {w.casefold() for w in _words(path, "negations", data.get("negations"))}
    for key in LISTS[1:]:
        read = surface if key in WRITTEN else phrase
        getattr(into, key).update(read(w) for w in _words(path, key, data.get(key)) if read(w))
    for n, group in enumerate(data.get("opposites") or [], start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise CorpusError([(path, f"opposites[{n}] must list two poles or more, each a list of words")])
        into.opposites.append([{phrase(w) for w in _words(path, f"opposites[{n}]", pole) if phrase(w)}
                               for pole in group])
    for n, group in enumerate(data.get("ranks") or [], start=1):
        into.ranks.append({surface(w) for w in _words(path, f"ranks[{n}]", group) if surface(w)})
    vague = data.get("vague") or {}
    if not isinstance(vague, dict):
        raise CorpusError([(path, "`vague` must map kinds to lists of words")])
    for kind, words in vague.items():
        if kind not in VAGUE_KINDS:
            raise CorpusError([(path, f"unknown vague kind `{kind}` (kinds: {', '.join(VAGUE_KINDS)})")])
        into.vague[kind].update(surface(w) for w in _words(path, f"vague.{kind}", words) if surface(w))


@lru_cache(maxsize=32)
def _load(paths: tuple[Path, ...], stamps: tuple[float, ...]) -> Cues:
    cues = Cues()
    for path in paths:
        _read(path, cues)
    return cues


def load_cues(corpus_root: Path | str | None = None) -> Cues:
    """The project's data/cues.yaml, plus CORPUS_DIR/cues.yaml when the corpus has one."""
    paths = tuple(p for p in (CUES_FILE, Path(corpus_root) / "cues.yaml" if corpus_root else None)
                  if p is not None and p.is_file())
    return _load(paths, tuple(p.stat().st_mtime for p in paths))
