"""claimalign: compare news reports with the primary document they cover."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .corpus import Corpus, Document, load_corpus
    from .errors import ClaimalignError, CorpusError
    from .extract import claims_frame, extract_claims
    from .rules import FINDING_TYPES, Finding, find_findings, findings
    from .sentalign import SentenceAlignment, align, align_sentences, reuse_shares
    from .settings import Settings
    from .values import DateRange, Interval, Span

__all__ = ["Corpus", "Document", "load_corpus", "extract_claims", "claims_frame", "find_findings",
           "findings", "Finding", "FINDING_TYPES", "Settings", "Span", "Interval", "DateRange",
           "ClaimalignError", "CorpusError", "align", "align_sentences", "SentenceAlignment", "reuse_shares"]
__version__ = "0.1.0"

# Names are imported on first use, so `import claimalign` (and every command's start-up) stays cheap.
_HOMES = {"Corpus": "corpus", "Document": "corpus", "load_corpus": "corpus",
          "ClaimalignError": "errors", "CorpusError": "errors",
          "extract_claims": "extract", "claims_frame": "extract",
          "FINDING_TYPES": "rules", "Finding": "rules", "find_findings": "rules", "findings": "rules",
          "align": "sentalign", "align_sentences": "sentalign", "SentenceAlignment": "sentalign",
          "reuse_shares": "sentalign", "Settings": "settings", "DateRange": "values", "Interval": "values", "Span": "values"}


def __getattr__(name: str) -> Any:
    """The public names, imported from their module when first asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'claimalign' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
