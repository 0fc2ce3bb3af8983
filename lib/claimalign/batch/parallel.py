"""One big corpus on all of a Dask cluster's cores, with the same findings as one process.

Documents go out in chunks. Each chunk task extracts its documents' claims, matches their quotes
against the primary, and looks for passages a document repeats: work that needs one document and
the primary. The client gathers the claims and runs the cross-document rules on them. A quote the
primary does not settle (it may be found in another report, or in none) is matched again on the
client against the whole corpus, so no quote is judged on part of the corpus.
"""
from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..aliases import Aliases, load_aliases
from ..corpus import Corpus, Document
from ..errors import ClaimalignError
from ..extract import extract_document
from ..extract.claim import Claim
from ..gcpause import gc_paused
from ..rules.base import REGISTRY
from ..rules.context import RuleContext
from ..rules.engine import run_rules, sort_findings
from ..rules.finding import Finding
from ..settings import Settings, corpus_settings

__all__ = ["parallel_findings", "chunk_task", "DOCUMENT_RULES", "chunk_size"]

# Rules whose findings for a document read only that document (and the primary): they run in the chunks.
QUOTES = "quotes"
DOCUMENT_RULES = (QUOTES, "duplicates")
CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
MAX_CHUNK = 250


def chunk_size(documents: int, workers: int) -> int:
    """Documents per task: about four tasks per worker, at most MAX_CHUNK documents each."""
    return max(1, min(MAX_CHUNK, math.ceil(documents / (4 * max(1, workers)))))


def chunk_task(docs: list[Document], primary: Document, aliases: Aliases, settings: Settings,
               root: Path) -> dict[str, Any]:
    """Claims (as tuples, cheap to send), settled quote findings, unsettled quote ids and repeated
    passages of a chunk of documents."""
    with gc_paused():
        claims = [c for doc in docs for c in extract_document(doc, aliases)]
        only_primary = Corpus(root, "", primary.id, [primary])
        quotes = run_rules(RuleContext(only_primary, claims, aliases, settings), only=[QUOTES])
        settled = [f for f in quotes if f.detail.get("matched_in") == primary.id]
        keys = {(f.evidence[0].source, f.evidence[0].start, f.evidence[0].end) for f in settled}
        open_ids = [c.id for c in claims if c.kind == "quote" and (c.doc, c.start, c.end) not in keys]
        own = Corpus(root, "", primary.id, list(docs))
        rest = [r for r in DOCUMENT_RULES if r != QUOTES]
        repeated = run_rules(RuleContext(own, claims, aliases, settings), only=rest)
        rows = [tuple(getattr(c, name) for name in CLAIM_FIELDS) for c in claims]
    return {"claims": rows, "quotes": settled, "open": open_ids, "other": repeated}


def _workers(client: Any) -> int:
    return max(1, sum(client.nthreads().values()))


def parallel_findings(corpus: Corpus, client: Any, *, settings: Settings | None = None,
                      aliases: Aliases | None = None, reviews: bool = True, chunk: int | None = None,
                      on_chunk: Any = None) -> list[Finding]:
    """Every finding of a corpus, computed on a Dask cluster; equal to `find_findings(corpus)`."""
    from distributed import as_completed

    if len(corpus) < 2:
        raise ClaimalignError(f"{corpus.root}: the corpus needs a primary and at least one other document to compare")
    settings = corpus_settings(corpus.root, settings)
    aliases = aliases if aliases is not None else load_aliases(corpus.root)
    docs = corpus.documents
    size = chunk or chunk_size(len(docs), _workers(client))
    parts = [docs[i:i + size] for i in range(0, len(docs), size)]
    futures = {client.submit(chunk_task, part, corpus.primary, aliases, settings, corpus.root, pure=False): n
               for n, part in enumerate(parts)}
    results: list[dict[str, Any] | None] = [None] * len(parts)
    with gc_paused():
        for future in as_completed(futures):
            n = futures[future]
            out = future.result()
            out["claims"] = [Claim(*row) for row in out["claims"]]
            results[n] = out
            future.release()
            if on_chunk is not None:
                on_chunk(n, len(parts))
        done = [r for r in results if r is not None]
        claims = [c for r in done for c in r["claims"]]
        ctx = RuleContext(corpus, claims, aliases, settings)
        cross = run_rules(ctx, only=[name for name in REGISTRY.rules if name not in DOCUMENT_RULES])
        open_ids = {i for r in done for i in r["open"]}
        reopened = run_rules(RuleContext(corpus, [c for c in claims if c.id in open_ids], aliases, settings),
                             only=[QUOTES]) if open_ids else []
    position = {d.id: i for i, d in enumerate(docs)}
    quotes = sorted([f for r in done for f in r["quotes"]] + reopened,
                    key=lambda f: (position.get(f.evidence[0].source, -1), f.evidence[0].start))
    unique: dict[str, Finding] = {}
    for f in [*cross, *quotes, *(f for r in done for f in r["other"])]:
        unique.setdefault(f.id, f)  # ids are unique across types; within one, the first in corpus order wins
    ordered = sort_findings(unique.values())
    if reviews:
        from ..reviews import apply_reviews

        apply_reviews(ordered, corpus.root)
    return ordered
