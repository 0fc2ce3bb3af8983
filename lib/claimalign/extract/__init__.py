"""Run every claim extractor over a corpus; one registry, one schema, one tidy table."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from . import counts, dates, lists, mentions, quotes
from ..aliases import Aliases, load_aliases
from .claim import Claim, Context
from ..corpus import Corpus, Document
from ..gcpause import gc_paused

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXTRACTORS", "extract_document", "extract_claims", "claims_frame", "CLAIM_COLUMNS"]

# Order matters: dates claim their digits before counts look; mentions come before quotes,
# which resolve speakers against them.
EXTRACTORS: dict[str, Callable[[Context, Aliases], None]] = {
    "date": dates.extract,
    "count": counts.extract,
    "mention": mentions.extract,
    "quote": quotes.extract,
    "list": lists.extract,
}
CLAIM_COLUMNS = ["doc", "id", "kind", "start", "end", "text", "norm", "value", "sentence",
                 "sentence_start", "sentence_end", "detail"]


def extract_document(doc: Document, aliases: Aliases | None = None) -> list[Claim]:
    """All claims of one document, body first then its footnotes, sorted by position."""
    aliases = aliases if aliases is not None else load_aliases()
    out: list[Claim] = []
    pool: dict[str, str] = {}
    for view in doc.norm.views():
        ctx = Context.of(doc, view, pool)
        for extractor in EXTRACTORS.values():
            extractor(ctx, aliases)
        out.extend(ctx.claims)
    out.sort(key=lambda c: (c.start, c.end, c.kind))
    return out


def extract_claims(corpus: Corpus | Iterable[Document], aliases: Aliases | None = None) -> list[Claim]:
    """Claims of every document, in manifest order."""
    root = getattr(corpus, "root", None)
    aliases = aliases if aliases is not None else load_aliases(root)
    with gc_paused():
        return [c for doc in corpus for c in extract_document(doc, aliases)]


def claims_frame(claims: list[Claim]) -> pd.DataFrame:
    """The tidy claims table: one row per claim, documented columns (README)."""
    import pandas as pd

    return pd.DataFrame([c.to_dict() for c in claims], columns=CLAIM_COLUMNS)
