"""Finding rules: one module per family, registered here in one place, run by `engine`.

Adding a finding type: write a module with a `RULE = Rule(...)` (its function, the FindingType it
yields, the claim kinds it needs, its settings with defaults), register it below, add a test file.
"""
from __future__ import annotations

from . import counts, coverage, dates, duplicates, meaning, names, quotes, referents, roles, single_source
from .base import REGISTRY, FindingType, Rule, UnknownRule
from .engine import find_findings, findings, run_rules, sort_findings
from .finding import SEVERITIES, STATUSES, Finding, findings_frame

__all__ = ["REGISTRY", "Rule", "FindingType", "UnknownRule", "find_findings", "findings", "run_rules",
           "sort_findings", "Finding", "findings_frame", "FINDING_TYPES", "SEVERITIES", "STATUSES",
           "finding_types"]

for _module in (counts, dates, quotes, names, coverage, single_source, duplicates, meaning, roles, referents):
    REGISTRY.register(_module.RULE)

FINDING_TYPES: tuple[str, ...] = tuple(REGISTRY.types)


def finding_types() -> dict[str, FindingType]:
    """Every registered finding type by name, in registration order."""
    return dict(REGISTRY.types)
