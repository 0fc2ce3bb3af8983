"""`claimalign export`: findings as ClaimReview or W3C Web Annotation JSON-LD; claims and findings as tables."""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import quote

from .corpus import Corpus, Document
from .errors import ClaimalignError
from .jsontext import dumps
from .outguard import check_file_out, write_atomically
from .rules import REGISTRY, Finding
from .values import Span
from .normalize import PROJECT_ROOT
from .safetext import csv_safe
from .settings import CONFIG_NAME
from .yamlio import is_scalar, kind_of, read_yaml

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["export_corpus", "load_reviewer", "to_claimreview", "to_annotations", "flat_frame", "to_csv",
           "to_parquet", "rows_to_parquet", "write_new", "verdict", "CONFIG_NAME", "REVIEWER_FILE", "QUOTE_CONTEXT"]

REVIEWER_FILE = PROJECT_ROOT / "data" / CONFIG_NAME
QUOTE_CONTEXT = 32
SCHEMA_ORG = "https://schema.org"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
STATUS_VERDICTS = {"explained": "Difference explained", "false_positive": "No discrepancy"}


def _read_config(path: Path) -> dict[str, Any]:
    doc = read_yaml(path)
    data = doc.data if doc.data is not None else {}
    reviewer = (data.get("reviewer") or {}) if isinstance(data, dict) else None
    if not isinstance(reviewer, dict):
        raise ClaimalignError(f"{doc.where('reviewer')}: `reviewer` must be a mapping with `name` and `url`")
    for key in ("name", "url"):
        if not is_scalar(reviewer.get(key)):
            raise ClaimalignError(f"{doc.where('reviewer', key)}: reviewer `{key}` must be text, "
                                  f"not {kind_of(reviewer[key])}")
    return {k: str(reviewer[k]) for k in ("name", "url") if reviewer.get(k)}


def load_reviewer(corpus_root: Path | str | None = None, *, name: str | None = None,
                  url: str | None = None) -> dict[str, str]:
    """The reviewing organization: data/claimalign.yaml, then CORPUS_DIR/claimalign.yaml, then flags."""
    reviewer: dict[str, str] = {}
    for path in (REVIEWER_FILE, Path(corpus_root) / CONFIG_NAME if corpus_root else None):
        if path is not None and path.is_file():
            reviewer.update(_read_config(path))
    reviewer.update({k: v for k, v in (("name", name), ("url", url)) if v})
    return reviewer


def _iso_date(doc: Document) -> str | None:
    date = doc.date
    return date.iso() if date and date.year else None


def _agent(name: Any, outlet: Any) -> dict[str, str]:
    """A Person, or an Organization when the name is the outlet's."""
    return {"@type": "Organization" if name == outlet else "Person", "name": str(name)}


def _claim_author(doc: Document) -> dict[str, str]:
    """Who makes the claim: the outlet, else the author, else "unknown"."""
    outlet, author = doc.meta.get("outlet"), doc.meta.get("author")
    if outlet:
        return {"@type": "Organization", "name": str(outlet)}
    if author:
        return {"@type": "Person", "name": str(author)}
    return {"@type": "Organization", "name": "unknown"}


def _appearance(doc: Document) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "identifier": doc.id}
    optional = {"url": doc.meta.get("url"), "headline": doc.meta.get("title"), "datePublished": _iso_date(doc)}
    work.update({k: str(v) for k, v in optional.items() if v})
    if doc.meta.get("author"):
        work["author"] = _agent(doc.meta["author"], doc.meta.get("outlet"))
    if doc.meta.get("outlet"):
        work["publisher"] = {"@type": "Organization", "name": str(doc.meta["outlet"])}
    return work


def _reviewed_span(finding: Finding, primary_id: str) -> Span:
    """The claim under review: a report's span, preferably one whose value differs from the primary's."""
    reports = [e for e in finding.evidence if e.source != primary_id]
    base = finding.values.get(primary_id)
    differing = [e for e in reports if base is not None and finding.values.get(e.source, base) != base]
    return (differing or reports or finding.evidence)[0]


def verdict(finding: Finding) -> str:
    """The rating's short text: what the reviewer decided about the finding."""
    if finding.status == "confirmed":
        known = REGISTRY.types.get(finding.type)
        return known.verdict if known else finding.type.replace("_", " ").capitalize()
    return STATUS_VERDICTS.get(finding.status, finding.status)


def to_claimreview(findings: Iterable[Finding], corpus: Corpus, *, reviewer: dict[str, str],
                   date_published: dt.date | str | None = None) -> list[dict[str, Any]]:
    """One schema.org ClaimReview per reviewed finding (status other than needs_review)."""
    if not reviewer.get("name"):
        raise ClaimalignError(
            f"{REVIEWER_FILE}: no reviewer name; set `reviewer: {{name: ...}}` there or in "
            f"CORPUS_DIR/{CONFIG_NAME}, or pass --reviewer NAME")
    published = str(date_published or dt.date.today().isoformat())
    organization = {"@type": "Organization", **{k: reviewer[k] for k in ("name", "url") if reviewer.get(k)}}
    out = []
    for finding in findings:
        if finding.status == "needs_review" or not finding.evidence:
            continue
        span = _reviewed_span(finding, corpus.primary_id)
        doc = corpus[span.source]
        explanation = finding.explanation + (f" Reviewer's note: {finding.note}" if finding.note else "")
        out.append({
            "@context": SCHEMA_ORG,
            "@type": "ClaimReview",
            "identifier": finding.id,
            "claimReviewed": " ".join(span.text.split()),
            "itemReviewed": {"@type": "Claim", "author": _claim_author(doc), "appearance": _appearance(doc)},
            "reviewRating": {"@type": "Rating", "alternateName": verdict(finding),
                             "ratingExplanation": explanation},
            "reviewBody": explanation,
            "author": organization,
            "datePublished": published,
        })
    return out


def _body(finding: Finding) -> list[dict[str, str]]:
    body = [{"type": "TextualBody", "purpose": "commenting", "format": "text/plain",
             "value": finding.explanation},
            {"type": "TextualBody", "purpose": "tagging", "value": finding.type}]
    if finding.status != "needs_review":
        note = f": {finding.note}" if finding.note else ""
        body.append({"type": "TextualBody", "purpose": "assessing", "format": "text/plain",
                     "value": f"{verdict(finding)}{note}"})
    return body


def to_annotations(findings: Iterable[Finding], corpus: Corpus, *,
                   context: int = QUOTE_CONTEXT) -> list[dict[str, Any]]:
    """One W3C Web Annotation per evidence span, selected by quote and by raw code-point position."""
    out = []
    for finding in findings:
        for n, span in enumerate(finding.evidence, start=1):
            doc = corpus[span.source]
            start, end = span.start, span.end
            quote_selector = {"type": "TextQuoteSelector", "exact": span.text}
            if start > 0:
                quote_selector["prefix"] = doc.raw[max(0, start - context):start]
            if end < len(doc.raw):
                quote_selector["suffix"] = doc.raw[end:end + context]
            out.append({
                "@context": ANNO_CONTEXT,
                "id": f"urn:claimalign:{quote(corpus.name, safe='')}:{finding.id}:{n}",
                "type": "Annotation",
                "motivation": "assessing",
                "body": _body(finding),
                "target": {
                    "source": quote(str(doc.meta.get("file") or doc.path.name)),
                    "selector": [quote_selector, {"type": "TextPositionSelector", "start": start, "end": end}],
                },
            })
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict, tuple)):
        return dumps(value, compact=True)
    if isinstance(value, float) and not math.isnan(value):
        return round(value, 3)
    return value


def flat_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for spreadsheets: lists and dicts as compact JSON, floats rounded to 3 places."""
    if not len(frame):
        return frame.copy()
    import pandas as pd

    return pd.DataFrame({name: [_cell(v) for v in frame[name].tolist()] for name in frame.columns}, index=frame.index)


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text of a claims or findings table, one row each, nested cells as JSON, formulas neutralised."""
    flat = flat_frame(frame)
    return (flat.map(csv_safe) if len(flat) else flat).to_csv(index=False, lineterminator="\n")


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet bytes of a claims or findings table (needs pyarrow); nested cells as compact JSON,
    mixed-type columns as text."""
    return _parquet(flat_frame(frame))


def rows_to_parquet(rows: Iterable[dict[str, Any]], columns: list[str]) -> bytes:
    """`to_parquet` of a table given as rows (dicts), without building the nested table first."""
    import pandas as pd

    rows = list(rows)
    return _parquet(pd.DataFrame({name: [_cell(r.get(name)) for r in rows] for name in columns}, columns=columns))


def _parquet(flat: pd.DataFrame) -> bytes:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ClaimalignError("Parquet needs pyarrow: pip install pyarrow (or export --to csv)") from None
    for name in flat.columns:
        if flat[name].dtype != object:
            continue
        kinds = {type(v) for v in flat[name] if v is not None and not (isinstance(v, float) and math.isnan(v))}
        if len(kinds) > 1:
            flat[name] = flat[name].map(lambda v: None if v is None else str(v))
    buffer = io.BytesIO()
    flat.to_parquet(buffer, index=False)
    return buffer.getvalue()


def write_new(data: str | bytes, out: Path, *, force: bool = False) -> None:
    """Write a file through a temporary and a rename; an existing file is replaced only with force."""
    check_file_out(out, force)
    try:
        write_atomically(out, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise ClaimalignError(f"{out}: cannot write ({exc.strerror})") from None


def _table(corpus: Corpus, table: str) -> pd.DataFrame:
    if table == "claims":
        from .extract import claims_frame, extract_claims

        return claims_frame(extract_claims(corpus))
    from .rules.finding import findings_frame

    return findings_frame(_findings(corpus))


def _findings(corpus: Corpus) -> list[Finding]:
    from .rules import find_findings

    return find_findings(corpus, primary=corpus.primary_id)


def _review_date(value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ClaimalignError(f"--date {value!r} is not a date (write YYYY-MM-DD)") from None


def export_corpus(corpus: Corpus, to: str, *, table: str = "findings", reviewer: dict[str, str] | None = None,
                  date: str | None = None) -> str | bytes:
    """The export of a corpus in one format: claimreview, annotations, csv or parquet."""
    if to == "claimreview":
        return _json(to_claimreview(_findings(corpus), corpus, reviewer=reviewer or load_reviewer(corpus.root),
                                    date_published=_review_date(date)))
    if to == "annotations":
        return _json(to_annotations(_findings(corpus), corpus))
    frame = _table(corpus, table)
    return to_csv(frame) if to == "csv" else to_parquet(frame)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
