"""One settings object for every threshold and severity, passed explicitly (black's `Mode`).

Each setting has a dotted name, `<rule>.<setting>`; its default and description are declared by
the rule that reads it (rules/…), so a rule's knobs sit beside the rule. Users override them from
the API (`Settings().with_values({...})`), the command line (`--set quotes.misquote_min=70` or
`--settings FILE`), a `settings:` mapping in claimalign.yaml, or a notebook's parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import yaml

from .errors import ClaimalignError

__all__ = ["Settings", "Params", "SettingSpec", "declare", "specs", "corpus_settings", "SettingsError",
           "SEVERITY_LEVELS"]

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
        raise SettingsError(f"{at}{self.name} must be {want.__name__} (default {self.default!r}), "
                            f"not {type(value).__name__} {value!r}")


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
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
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
        flat = _flatten(values)
        known = specs()
        for name, value in flat.items():
            if name not in known:
                raise SettingsError(f"{where + ': ' if where else ''}unknown setting {name!r} "
                                    "(see `claimalign settings` for the list)")
            flat[name] = known[name].check(value, where)
        return Settings({**self.overrides, **flat})

    def with_assignments(self, assignments: Iterable[str]) -> "Settings":
        """A copy with `name=value` assignments from the command line (values read as YAML scalars)."""
        values = {}
        for item in assignments:
            name, sep, text = item.partition("=")
            if not sep or not name.strip():
                raise SettingsError(f"--set {item!r}: write name=value, e.g. quotes.misquote_min=70")
            try:
                values[name.strip()] = yaml.safe_load(text) if text.strip() else ""
            except yaml.YAMLError:
                values[name.strip()] = text
        return self.with_values(values, "--set")

    def with_file(self, path: str | Path) -> "Settings":
        """A copy with the settings of a YAML file: a mapping, or a `settings:` mapping inside one."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read ({exc.strerror})") from None
        except UnicodeDecodeError:
            raise SettingsError(f"{path}: not UTF-8 text") from None
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: malformed YAML: {str(exc).splitlines()[0]}") from None
        if data is None:
            return self
        if isinstance(data, Mapping) and "settings" in data:
            data = data["settings"] or {}
        if not isinstance(data, Mapping):
            raise SettingsError(f"{path}: settings must be a mapping of name: value")
        return self.with_values(data, str(path))

    def effective(self) -> dict[str, Any]:
        """Every setting's value in force, by name."""
        return {name: self[name] for name in specs()}


def corpus_settings(corpus_root: str | Path | None, base: Settings | None = None) -> Settings:
    """Settings from the project's and the corpus's claimalign.yaml (`settings:`), over `base`."""
    from .normalize import PROJECT_ROOT

    merged: dict[str, Any] = {}
    for path in (PROJECT_ROOT / "data" / "claimalign.yaml",
                 Path(corpus_root) / "claimalign.yaml" if corpus_root else None):
        if path is not None and path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise SettingsError(f"{path}: malformed YAML: {str(exc).splitlines()[0]}") from None
            if isinstance(data, Mapping) and data.get("settings"):
                if not isinstance(data["settings"], Mapping):
                    raise SettingsError(f"{path}: `settings` must be a mapping of name: value")
                merged.update(Settings().with_values(data["settings"], str(path)).overrides)
    return Settings({**merged, **(base.overrides if base else {})})
