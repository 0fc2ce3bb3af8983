"""One big corpus on all of a Dask cluster's cores, with the same findings as one process.

Documents go out in chunks. Each chunk task extracts its documents' claims, looks for passages a
document repeats (the one rule that reads a single document) and does the rules' work on each text
alone (`Rule.prepare`); it hands back the claims and the documents' normalised texts, with that
work kept on them. The sentence alignment, which reads
only the texts, is one more task beside them. The client gathers the claims and
runs every other rule on all of them, so no finding is judged on part of the corpus: extraction,
most of the work, is what spreads over the workers.
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
from ..rules.engine import check_sizes, run_rules, sort_findings
from ..rules.finding import Finding
from ..sentalign import start_alignment
from ..settings import Settings, corpus_settings

__all__ = ["parallel_findings", "chunk_task", "DOCUMENT_RULES", "chunk_size"]

# Rules whose findings for a document read only that document: they run in the chunks.
DOCUMENT_RULES = ("duplicates",)
CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
MAX_CHUNK = 250


def chunk_size(documents: int, workers: int) -> int:
    """Documents per task: about four tasks per worker, at most MAX_CHUNK documents each."""
    return max(1, min(MAX_CHUNK, math.ceil(documents / (4 * max(1, workers)))))


def chunk_task(docs: list[Document], primary: Document, aliases: Aliases, settings: Settings,
               root: Path) -> dict[str, Any]:
    """Claims (as tuples, cheap to send), repeated passages and normalised texts (with the rules'
    per-document work) of a chunk of documents."""
    with gc_paused():
        claims = [c for doc in docs for c in extract_document(doc, aliases)]
        own = Corpus(root, "", primary.id, list(docs))
        repeated = run_rules(RuleContext(own, claims, aliases, settings), only=list(DOCUMENT_RULES))
        prepares = [rule.prepare for rule in REGISTRY.rules.values() if rule.prepare is not None]
        for doc in docs:
            for prepare in prepares:
                prepare(doc)
        rows = [tuple(getattr(c, name) for name in CLAIM_FIELDS) for c in claims]
    return {"claims": rows, "other": repeated, "norms": {doc.id: doc.norm for doc in docs}}


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
    check_sizes(corpus, settings)
    aliases = aliases if aliases is not None else load_aliases(corpus.root)
    docs = corpus.documents
    size = chunk or chunk_size(len(docs), _workers(client))
    parts = [docs[i:i + size] for i in range(0, len(docs), size)]
    aligned = start_alignment(corpus, settings, client)  # needs only the texts: runs beside the chunks
    futures = {client.submit(chunk_task, part, corpus.primary, aliases, settings, corpus.root, pure=False): n
               for n, part in enumerate(parts)}
    results: list[dict[str, Any] | None] = [None] * len(parts)
    with gc_paused():
        for future in as_completed(futures):
            n = futures[future]
            out = future.result()
            out["claims"] = [Claim(*row) for row in out["claims"]]
            for doc_id, norm in out.pop("norms").items():  # the rules read them too: not normalised twice
                corpus[doc_id].__dict__.setdefault("norm", norm)
            results[n] = out
            future.release()
            if on_chunk is not None:
                on_chunk(n, len(parts))
        done = [r for r in results if r is not None]
        claims = [c for r in done for c in r["claims"]]
        ctx = RuleContext(corpus, claims, aliases, settings, aligned)
        cross = run_rules(ctx, only=[name for name in REGISTRY.rules if name not in DOCUMENT_RULES])
    unique: dict[str, Finding] = {}
    for f in [*cross, *(f for r in done for f in r["other"])]:
        unique.setdefault(f.id, f)
    ordered = sort_findings(unique.values())
    if reviews:
        from ..reviews import apply_reviews

        apply_reviews(ordered, corpus.root)
    return ordered
