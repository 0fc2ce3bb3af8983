"""claimalign: compare news reports with the primary document they cover."""
from __future__ import annotations

from .corpus import Corpus, Document, load_corpus
from .detect import find_findings, findings
from .errors import ClaimalignError, CorpusError
from .extract import claims_frame, extract_claims
from .finding import Finding

__all__ = ["Corpus", "Document", "load_corpus", "extract_claims", "claims_frame", "find_findings",
           "findings", "Finding", "ClaimalignError", "CorpusError"]
__version__ = "0.1.0"
