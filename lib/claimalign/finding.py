"""The finding schema: typed, with evidence spans from every document involved."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Finding", "FINDING_TYPES", "SEVERITIES", "STATUSES", "findings_frame", "finding_id"]

FINDING_TYPES = (
    "count_conflict", "date_conflict", "internal_inconsistency", "misquote", "verified_quote",
    "unsourced_quote", "name_variant", "omission", "single_source", "duplicate_passage",
)
SEVERITIES = ("high", "medium", "low")
STATUSES = ("needs_review", "confirmed", "explained", "false_positive")
COLUMNS = ["id", "type", "severity", "subject", "sources", "values", "explanation", "evidence",
           "score", "status", "note", "detail"]


def finding_id(type_: str, subject: str, evidence: list[dict[str, Any]]) -> str:
    """A stable id derived from content (type, subject, evidence texts), not from order."""
    key = json.dumps([type_, subject.casefold(),
                      sorted((e["source"], e["text"]) for e in evidence)], ensure_ascii=False)
    return "F-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class Finding:
    """One discrepancy (or verification) with evidence: each span is {source, start, end, text}."""

    type: str
    subject: str
    sources: list[str]
    values: dict[str, Any]
    severity: str
    explanation: str
    evidence: list[dict[str, Any]]
    score: float | None = None
    status: str = "needs_review"
    note: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = finding_id(self.type, self.subject, self.evidence)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the documented stable keys, `id` first."""
        data = asdict(self)
        return {key: data[key] for key in COLUMNS}


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """A tidy table of findings, one row each, in the documented column order."""
    return pd.DataFrame([f.to_dict() for f in findings], columns=COLUMNS)
