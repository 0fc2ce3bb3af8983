"""The rule registry: each rule declares its name, finding types, the claims it needs and its settings.

Modelled on papermill's engine registry (one place registers the built-ins, an unknown name is a
named error) and spaCy's component declarations (what a component reads, its default config).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from ..errors import ClaimalignError
from ..extract.claim import CLAIM_KINDS
from ..settings import Params, declare

if TYPE_CHECKING:
    from ..corpus import Document
    from .context import RuleContext
    from .finding import Finding

__all__ = ["FindingType", "Rule", "Registry", "REGISTRY", "UnknownRule"]


class UnknownRule(ClaimalignError):
    """A rule or finding type that nothing registered."""


@dataclass(frozen=True)
class FindingType:
    """A kind of finding: its name in JSON, a human label, its ClaimReview verdict and a one-line legend."""

    name: str
    label: str
    verdict: str
    legend: str
    severity: str = ""  # how its severity is decided, for the README and the report's legend


RuleFunc = Callable[["RuleContext", Params], Iterable["Finding"]]


@dataclass(frozen=True)
class Rule:
    """A finding rule: `func(ctx, params)` yields findings of `types`, reading claims of kinds `needs`.
    `prepare(doc)`, if given, does ahead the rule's work that reads one document's text alone and
    keeps it on the document's normalised view: a run spread over a cluster does it on the workers,
    beside the extraction, and the rule finds it done."""

    name: str
    func: RuleFunc
    types: tuple[FindingType, ...]
    needs: tuple[str, ...] = ()
    settings: Mapping[str, tuple[Any, str]] = field(default_factory=dict)  # name -> (default, description)
    prepare: Callable[["Document"], None] | None = None

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)


class Registry:
    """Rules in registration order, and the finding types they declare."""

    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}
        self.types: dict[str, FindingType] = {}
        self.rule_of: dict[str, str] = {}

    def register(self, rule: Rule) -> Rule:
        """Add a rule; its name and types must be new, its needs known claim kinds."""
        if rule.name in self.rules:
            raise ValueError(f"a rule named {rule.name!r} is already registered")
        unknown = [k for k in rule.needs if k not in CLAIM_KINDS]
        if unknown:
            raise ValueError(f"rule {rule.name!r} needs claim kinds nothing extracts: {unknown}")
        for t in rule.types:
            if t.name in self.types:
                raise ValueError(f"finding type {t.name!r} is declared by rule {self.rule_of[t.name]!r} already")
        for key, (default, doc) in rule.settings.items():
            declare(f"{rule.name}.{key}", default, doc)
        self.rules[rule.name] = rule
        for t in rule.types:
            self.types[t.name] = t
            self.rule_of[t.name] = rule.name
        return rule

    def get(self, name: str) -> Rule:
        """The rule called `name`, or UnknownRule listing the registered ones."""
        try:
            return self.rules[name]
        except KeyError:
            raise UnknownRule(f"no rule named {name!r} (rules: {', '.join(self.rules)})") from None

    def finding_type(self, name: str) -> FindingType:
        try:
            return self.types[name]
        except KeyError:
            raise UnknownRule(f"no finding type {name!r} (types: {', '.join(self.types)})") from None


REGISTRY = Registry()
