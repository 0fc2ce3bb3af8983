"""Review statuses from a user-edited reviews.yaml beside the manifest (read, never written)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import CorpusError, ReviewWarning
from .rules.finding import STATUSES, Finding

__all__ = ["Review", "load_reviews", "apply_reviews", "REVIEWS"]

REVIEWS = "reviews.yaml"


@dataclass(frozen=True)
class Review:
    """One reviewer's verdict on a finding id, with the line it came from."""

    id: str
    status: str
    note: str
    line: int


def _scalar(node: yaml.Node | None) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


def load_reviews(path: Path) -> list[Review]:
    """Parse reviews.yaml (a `reviews:` list of {id, status, note}); bad entries warn and are skipped."""
    if not path.is_file():
        return []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorpusError([(path, f"malformed YAML: {str(exc).splitlines()[0]}")]) from None
    if root is None:
        return []
    entries = root
    if isinstance(root, yaml.MappingNode):
        entries = next((v for k, v in root.value if _scalar(k) == "reviews"), None)
    if not isinstance(entries, yaml.SequenceNode):
        raise CorpusError([(path, "expected `reviews:` followed by a list of {id, status, note}")])
    out = []
    for node in entries.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            warnings.warn(f"{path}:{line}: a review must be a mapping with id and status; skipped", ReviewWarning)
            continue
        fields = {_scalar(k): _scalar(v) for k, v in node.value}
        status = fields.get("status") or "needs_review"
        if status not in STATUSES:
            warnings.warn(f"{path}:{line}: unknown status {status!r} (use one of {', '.join(STATUSES)}); skipped",
                          ReviewWarning)
            continue
        if not fields.get("id"):
            warnings.warn(f"{path}:{line}: a review without an id; skipped", ReviewWarning)
            continue
        out.append(Review(fields["id"], status, fields.get("note", ""), line))
    return out


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
