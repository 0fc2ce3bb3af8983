"""The finding schema: typed, with evidence spans from every document involved."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from ..values import Span

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Finding", "SEVERITIES", "STATUSES", "COLUMNS", "findings_frame", "finding_id"]

SEVERITIES = ("high", "medium", "low")
STATUSES = ("needs_review", "confirmed", "explained", "false_positive")
COLUMNS = ["id", "type", "severity", "confidence", "subject", "sources", "values", "explanation", "evidence",
           "score", "status", "note", "detail"]


def finding_id(type_: str, subject: str, evidence: Iterable[Span]) -> str:
    """A stable id derived from content (type, subject, evidence texts), not from order."""
    key = json.dumps([type_, subject.casefold(), sorted((e.source, e.text) for e in evidence)],
                     ensure_ascii=False)
    return "F-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class Finding:
    """One discrepancy (or verification) with its evidence spans, severity and confidence (0-1)."""

    type: str
    subject: str
    sources: list[str]
    values: dict[str, Any]
    severity: str
    explanation: str
    evidence: list[Span]
    score: float | None = None
    confidence: float = 1.0
    status: str = "needs_review"
    note: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        self.confidence = round(min(1.0, max(0.0, float(self.confidence))), 2)
        if not self.id:
            self.id = finding_id(self.type, self.subject, self.evidence)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the documented stable keys, `id` first."""
        data = {"id": self.id, "type": self.type, "severity": self.severity, "confidence": self.confidence,
                "subject": self.subject, "sources": list(self.sources), "values": self.values,
                "explanation": self.explanation, "evidence": [e.to_dict() for e in self.evidence],
                "score": self.score, "status": self.status, "note": self.note, "detail": self.detail}
        return {key: data[key] for key in COLUMNS}


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """A tidy table of findings, one row each, in the documented column order."""
    import pandas as pd

    return pd.DataFrame([f.to_dict() for f in findings], columns=COLUMNS)
