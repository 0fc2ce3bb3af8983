"""claimalign: compare news reports with the primary document they cover."""
from __future__ import annotations

from .corpus import Corpus, Document, load_corpus
from .errors import ClaimalignError, CorpusError
from .extract import claims_frame, extract_claims
from .rules import FINDING_TYPES, Finding, find_findings, findings
from .settings import Settings
from .values import DateRange, Interval, Span

__all__ = ["Corpus", "Document", "load_corpus", "extract_claims", "claims_frame", "find_findings",
           "findings", "Finding", "FINDING_TYPES", "Settings", "Span", "Interval", "DateRange",
           "ClaimalignError", "CorpusError"]
__version__ = "0.1.0"
