"""Review in the browser: the statuses a report was built with, for its pages' review menus.

The pages keep what an editor sets in the browser's local storage and write it, merged with these
statuses, as a reviews.yaml to download (see templates/report.js). claimalign itself never writes
reviews.yaml: the editor puts the downloaded file beside the manifest, and the next run applies it.
"""
from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from ..corpus import Corpus
from ..reviews import REVIEWS, load_reviews
from ..rules import STATUSES
from .html import fragment
from .labels import STATUS_LABELS

__all__ = ["review_payload", "review_bar", "status_counts", "storage_key"]


def storage_key(corpus: Corpus) -> str:
    """The local-storage key of a report: its corpus and primary, so every page of it shares one store."""
    return f"claimalign:reviews:{corpus.name}:{corpus.primary_id}"


def review_payload(findings: pd.DataFrame, corpus: Corpus) -> dict[str, Any]:
    """The built statuses of these findings, plus reviews.yaml entries for findings not among them.

    The entries of the user's file that match no finding shown here are carried over as they are,
    so a downloaded file loses nothing the old one held.
    """
    shown = [[f["id"], f["status"], f.get("note") or ""] for f in findings.to_dict("records")]
    ids = {row[0] for row in shown}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the findings run has warned about this file already
        kept = load_reviews(corpus.root / REVIEWS)
    extra = [[r.id, r.status, r.note] for r in kept if r.id not in ids]
    return {"key": storage_key(corpus), "corpus": corpus.name, "findings": shown, "extra": extra,
            "labels": STATUS_LABELS}


def status_counts(findings: pd.DataFrame) -> dict[str, int]:
    """Findings counted by review status, every status listed."""
    counts = findings["status"].value_counts() if len(findings) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def review_bar(findings: pd.DataFrame, corpus: Corpus) -> str:
    """HTML: the status counts, kept current in the browser, and the "Download reviews.yaml" button."""
    return str(fragment("review_bar")(review_payload(findings, corpus), list(STATUS_LABELS.items()),
                                      status_counts(findings)))
