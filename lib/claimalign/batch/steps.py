"""The work done for each corpus of a batch, as plain functions a Dask worker runs.

A step takes the loaded corpus, the settings and the alias table (read by the client, so workers
need not see the corpus folder) and returns what is written as `<step>.json` for the corpus.
Adding a step (the sentence alignment, once it exists) is one line in STEPS.
"""
from __future__ import annotations

import time
import warnings
from typing import Any, Callable

from ..aliases import Aliases
from ..corpus import Corpus
from ..rules.finding import Finding
from ..settings import Settings

__all__ = ["STEPS", "run_corpus", "findings_step", "document_rows", "finding_rows", "flagged",
           "FINDING_COLUMNS", "DOCUMENT_COLUMNS"]

FINDING_COLUMNS = ["corpus", "id", "type", "severity", "confidence", "status", "note", "subject", "doc", "outlet",
                   "flagged", "flagged_outlets", "sources", "explanation", "score", "evidence_source",
                   "evidence_start", "evidence_end", "evidence_text", "evidence", "values", "detail"]
DOCUMENT_COLUMNS = ["corpus", "doc", "kind", "primary", "outlet", "outlet_basis", "date", "title", "author", "file",
                    "words", "chars", "sha256"]


def findings_step(corpus: Corpus, settings: Settings, aliases: Aliases, client: Any = None) -> list[Finding]:
    """The findings of one corpus, review statuses not yet applied; on all of a cluster's cores
    when a Dask client is given (a big corpus), else in this process."""
    from ..rules import find_findings

    if client is not None:
        from .parallel import parallel_findings

        return parallel_findings(corpus, client, settings=settings, aliases=aliases, reviews=False)
    return find_findings(corpus, settings=settings, aliases=aliases, reviews=False)


Step = Callable[..., list[Any]]
STEPS: dict[str, Step] = {
    "findings": findings_step,
}


def run_corpus(corpus: Corpus, settings: Settings, aliases: Aliases, client: Any = None) -> dict[str, Any]:
    """Every step on one corpus: {step: result, "seconds": ..., "warnings": [...]}."""
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out: dict[str, Any] = {name: step(corpus, settings, aliases, client) for name, step in STEPS.items()}
    out["seconds"] = round(time.perf_counter() - started, 3)
    out["warnings"] = [str(w.message) for w in caught]
    return out


def document_rows(corpus_name: str, corpus: Corpus) -> list[dict[str, Any]]:
    """One row per document: provenance from the manifest and its size, for documents.parquet."""
    rows = []
    for doc in corpus.documents:
        meta = doc.meta
        date = doc.date
        rows.append({"corpus": corpus_name, "doc": doc.id, "kind": doc.kind, "primary": doc.id == corpus.primary_id,
                     "outlet": str(meta.get("outlet") or "unknown"), "outlet_basis": meta.get("outlet_basis"),
                     "date": date.iso() if date else None, "title": meta.get("title"), "author": meta.get("author"),
                     "file": str(meta.get("file")), "words": len(doc.raw.split()), "chars": len(doc.raw),
                     "sha256": doc.sha256})
    return rows


def flagged(finding: dict[str, Any], primary: str) -> list[str]:
    """The documents a finding is charged to: the reports that omit an item, else the sources whose
    value differs from the primary's, else every source but the primary (the primary alone if none)."""
    values, sources = finding.get("values") or {}, list(dict.fromkeys(finding.get("sources") or []))
    if finding["type"] == "omission":
        return [d for d in sources if values.get(d) == "omitted"]
    others = [d for d in sources if d != primary]
    if primary in values:
        differ = [d for d in others if d in values and values[d] != values[primary]]
        if differ:
            return differ
    return others or sources


def finding_rows(corpus_name: str, findings: list[dict[str, Any]], documents: list[dict[str, Any]],
                 primary: str) -> list[dict[str, Any]]:
    """Findings in flat form for findings.parquet: one row each, with the flagged documents'
    outlets and the first evidence span of the first flagged document in columns of their own."""
    outlet = {d["doc"]: d["outlet"] for d in documents}
    rows = []
    for f in findings:
        charged = flagged(f, primary)
        first = charged[0] if charged else None
        span = next((e for e in f["evidence"] if e["source"] == first), f["evidence"][0] if f["evidence"] else {})
        rows.append({"corpus": corpus_name, "id": f["id"], "type": f["type"], "severity": f["severity"],
                     "confidence": f["confidence"], "status": f["status"], "note": f["note"],
                     "subject": f["subject"], "doc": first, "outlet": outlet.get(first or "", "unknown"),
                     "flagged": charged, "flagged_outlets": [outlet.get(d, "unknown") for d in charged],
                     "sources": f["sources"], "explanation": f["explanation"], "score": f["score"],
                     "evidence_source": span.get("source"), "evidence_start": span.get("start"),
                     "evidence_end": span.get("end"), "evidence_text": span.get("text"),
                     "evidence": f["evidence"], "values": f["values"], "detail": f["detail"]})
    return rows
