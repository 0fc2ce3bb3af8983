"""One settings object for every threshold and severity, passed explicitly (black's `Mode`).

Each setting has a dotted name, `<rule>.<setting>`; its default and description are declared by
the rule that reads it (rules/…), so a rule's knobs sit beside the rule. Users override them from
the API (`Settings().with_values({...})`), the command line (`--set quotes.misquote_min=70` or
`--settings FILE`), a `settings:` mapping in claimalign.yaml, or a notebook's parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from .errors import ClaimalignError
from .yamlio import YamlDoc, YamlError, parse_yaml, read_yaml

__all__ = ["Settings", "Params", "SettingSpec", "declare", "specs", "corpus_settings", "SettingsError",
           "SEVERITY_LEVELS", "CONFIG_NAME"]

SEVERITY_LEVELS = ("high", "medium", "low")


class SettingsError(ClaimalignError):
    """An unknown setting name or a value of the wrong type."""


@dataclass(frozen=True)
class SettingSpec:
    """A declared setting: its dotted name, default value and what it does."""

    name: str
    default: Any
    doc: str = ""

    def check(self, value: Any, where: str = "") -> Any:
        """`value` converted to this setting's type, or a SettingsError naming it."""
        at = f"{where}: " if where else ""
        want = type(self.default)
        if want is bool:
            if isinstance(value, bool):
                return value
        elif want is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        elif want is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif want is str:
            if isinstance(value, str):
                if self.name.endswith("severity") or "severity_" in self.name.rsplit(".", 1)[-1]:
                    if value not in SEVERITY_LEVELS:
                        raise SettingsError(f"{at}{self.name} must be one of {', '.join(SEVERITY_LEVELS)}, "
                                            f"not {value!r}")
                return value
        elif isinstance(value, want):
            return value
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:59] + "\u2026"
        raise SettingsError(f"{at}{self.name} must be {want.__name__} (default {self.default!r}), "
                            f"not {type(value).__name__} {shown}")


_SPECS: dict[str, SettingSpec] = {}


def declare(name: str, default: Any, doc: str = "") -> SettingSpec:
    """Declare a setting (done by rule registration); redeclaring the same default is harmless."""
    spec = SettingSpec(name, default, doc)
    old = _SPECS.get(name)
    if old is not None and old.default != default:
        raise ValueError(f"setting {name} declared twice with different defaults")
    _SPECS[name] = spec
    return spec


def specs() -> dict[str, SettingSpec]:
    """Every declared setting by name (the rules package declares them on import)."""
    from . import rules, sentalign  # noqa: F401  (register the built-in rules' settings and alignment's)

    return dict(sorted(_SPECS.items()))


class Params(Mapping[str, Any]):
    """One rule's settings, read as attributes (`params.misquote_min`)."""

    def __init__(self, rule: str, values: Mapping[str, Any]):
        self._rule, self._values = rule, dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"rule {self._rule!r} declares no setting {name!r}") from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    return {name: value for name, (value, _) in _flatten_keys(data, prefix).items()}


def _flatten_keys(data: Mapping[str, Any], prefix: str = "",
                  keys: tuple[Any, ...] = ()) -> dict[str, tuple[Any, tuple[Any, ...]]]:
    """Dotted name -> (value, key path in the nested mapping)."""
    out: dict[str, tuple[Any, tuple[Any, ...]]] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten_keys(value, name + ".", (*keys, key)))
        else:
            out[name] = (value, (*keys, key))
    return out


@dataclass(frozen=True)
class Settings:
    """Values that differ from the declared defaults; everything else reads its default."""

    overrides: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known = specs()
        checked = {}
        for name, value in self.overrides.items():
            if name not in known:
                raise SettingsError(f"unknown setting {name!r} (see `claimalign settings` for the list)")
            checked[name] = known[name].check(value)
        object.__setattr__(self, "overrides", dict(sorted(checked.items())))

    def __getitem__(self, name: str) -> Any:
        if name in self.overrides:
            return self.overrides[name]
        known = specs()
        if name not in known:
            raise SettingsError(f"unknown setting {name!r}")
        return known[name].default

    def params(self, rule: str) -> Params:
        """The settings of one rule (names without the rule's prefix)."""
        prefix = rule + "."
        return Params(rule, {name[len(prefix):]: self[name] for name in specs() if name.startswith(prefix)})

    def with_values(self, values: Mapping[str, Any], where: str = "") -> "Settings":
        """A copy with more overrides (nested mappings flatten to dotted names), checked."""
        return self._with_checked(values, lambda keys: where)

    def _with_checked(self, values: Mapping[str, Any], where: Callable[[tuple[Any, ...]], str]) -> "Settings":
        flat: dict[str, Any] = {}
        known = specs()
        for name, (value, keys) in _flatten_keys(values).items():
            at = where(keys)
            if name not in known:
                raise SettingsError(f"{at + ': ' if at else ''}unknown setting {name!r} "
                                    "(see `claimalign settings` for the list)")
            flat[name] = known[name].check(value, at)
        return Settings({**self.overrides, **flat})

    def with_doc(self, doc: YamlDoc, *keys: Any) -> "Settings":
        """A copy with the settings mapping found at `keys` of a loaded YAML file, each named by its line."""
        values = doc.data
        for key in keys:
            values = values[key]
        return self._with_checked(values, lambda path: doc.where(*keys, *path))

    def with_assignments(self, assignments: Iterable[str]) -> "Settings":
        """A copy with `name=value` assignments from the command line (values read as YAML scalars)."""
        values = {}
        for item in assignments:
            name, sep, text = item.partition("=")
            if not sep or not name.strip():
                raise SettingsError(f"--set {item!r}: write name=value, e.g. quotes.misquote_min=70")
            try:
                values[name.strip()] = parse_yaml(text, "--set").data if text.strip() else ""
            except YamlError:
                values[name.strip()] = text
        return self.with_values(values, "--set")

    def with_file(self, path: str | Path) -> "Settings":
        """A copy with the settings of a YAML file: a mapping, or a `settings:` mapping inside one."""
        doc = _read(Path(path))
        data, keys = doc.data, ()
        if data is None:
            return self
        if isinstance(data, Mapping) and "settings" in data:
            data, keys = data["settings"] or {}, ("settings",)
        if not isinstance(data, Mapping):
            raise SettingsError(f"{doc.where(*keys)}: settings must be a mapping of name: value")
        return self.with_doc(doc, *keys) if data else self

    def effective(self) -> dict[str, Any]:
        """Every setting's value in force, by name."""
        return {name: self[name] for name in specs()}


CONFIG_NAME = "claimalign.yaml"  # the project's (in data/) and each corpus's settings and reviewer


def corpus_settings(corpus_root: str | Path | None, base: Settings | None = None) -> Settings:
    """Settings from the project's and the corpus's claimalign.yaml (`settings:`), over `base`."""
    from .normalize import PROJECT_ROOT

    merged: dict[str, Any] = {}
    for path in (PROJECT_ROOT / "data" / CONFIG_NAME, Path(corpus_root) / CONFIG_NAME if corpus_root else None):
        if path is not None and path.is_file():
            doc = _read(path)
            data = doc.data
            if data is not None and not isinstance(data, Mapping):
                raise SettingsError(f"{doc.where()}: expected a mapping (`reviewer:`, `settings:`)")
            if data and data.get("settings"):
                if not isinstance(data["settings"], Mapping):
                    raise SettingsError(f"{doc.where('settings')}: `settings` must be a mapping of name: value")
                merged.update(Settings().with_doc(doc, "settings").overrides)
    return Settings({**merged, **(base.overrides if base else {})})


def _read(path: Path) -> YamlDoc:
    try:
        return read_yaml(path)
    except YamlError as exc:
        raise SettingsError(str(exc)) from None
