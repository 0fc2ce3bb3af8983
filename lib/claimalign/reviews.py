"""Review statuses from a user-edited reviews.yaml beside the manifest (read, never written)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError, ReviewWarning
from .rules.finding import STATUSES, Finding
from .yamlio import YamlDoc, YamlError, is_scalar, kind_of, read_yaml

__all__ = ["Review", "load_reviews", "apply_reviews", "REVIEWS"]

REVIEWS = "reviews.yaml"


@dataclass(frozen=True)
class Review:
    """One reviewer's verdict on a finding id, with the line it came from."""

    id: str
    status: str
    note: str
    line: int


def load_reviews(path: Path) -> list[Review]:
    """Parse reviews.yaml (a `reviews:` list of {id, status, note}); bad entries warn and are skipped."""
    if not path.is_file():
        return []
    try:
        doc = read_yaml(path, dates=False)
    except YamlError as exc:
        raise CorpusError([(exc.where, exc.problem)]) from None
    if doc.data is None:
        return []
    entries, keys = doc.data, ()
    if isinstance(doc.data, dict):
        entries, keys = doc.data.get("reviews"), ("reviews",)
    if entries is None and keys:
        return []
    if not isinstance(entries, list):
        raise CorpusError([(doc.where(*keys), "expected `reviews:` followed by a list of {id, status, note}")])
    out = []
    for n, entry in enumerate(entries):
        review = _review(doc, (*keys, n), entry)
        if review is not None:
            out.append(review)
    return out


def _review(doc: YamlDoc, keys: tuple, entry: object) -> Review | None:
    """One review, or None after a warning naming the line."""
    where = doc.where(*keys)
    if not isinstance(entry, dict):
        warnings.warn(f"{where}: a review must be a mapping with id and status; skipped", ReviewWarning)
        return None
    for field in ("id", "status", "note"):
        if not is_scalar(entry.get(field)):
            warnings.warn(f"{doc.where(*keys, field)}: `{field}` must be a single value, not "
                          f"{kind_of(entry[field])}; review skipped", ReviewWarning)
            return None
    status = str(entry.get("status") or "needs_review")
    if status not in STATUSES:
        warnings.warn(f"{where}: unknown status {status!r} (use one of "
                      f"{', '.join(STATUSES)}); skipped", ReviewWarning)
        return None
    if entry.get("id") in (None, ""):
        warnings.warn(f"{where}: a review without an id; skipped", ReviewWarning)
        return None
    note = entry.get("note")
    return Review(str(entry["id"]), status, "" if note is None else str(note), doc.line(*keys))


def apply_reviews(findings: list[Finding], corpus_root: Path) -> None:
    """Set status and note on findings named in CORPUS_DIR/reviews.yaml; warn on unknown ids."""
    path = Path(corpus_root) / REVIEWS
    by_id = {f.id: f for f in findings}
    for review in load_reviews(path):
        finding = by_id.get(review.id)
        if finding is None:
            warnings.warn(f"{path}:{review.line}: no finding has id {review.id!r} (it may have changed "
                          "with the texts); skipped", ReviewWarning)
            continue
        finding.status, finding.note = review.status, review.note
