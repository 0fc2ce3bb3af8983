"""Across corpora: findings per outlet, quote rates with intervals, and the corpora that need a look.

It reads the output of `claimalign batch` (findings.parquet, documents.parquet), or computes the
same tables for one corpus, so notebook 5 also runs inside a single corpus's report.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from statistics import NormalDist

import altair as alt
import pandas as pd

from ..normalize import PROJECT_ROOT
from .html import fragment
from ..batch.steps import document_rows, finding_rows
from ..batch.store import DOCUMENTS_TABLE, FINDINGS_TABLE

__all__ = ["Batch", "load_batch", "charged", "outlet_table", "wilson", "quote_rates", "types_by_outlet",
           "top_corpora", "outlet_chart", "rate_chart", "types_chart", "scope_note", "QUOTE_TYPES"]

QUOTE_TYPES = ("verified_quote", "misquote", "unsourced_quote")
WIDTH = 520
LIST_COLUMNS = ("flagged", "flagged_outlets")


@dataclass
class Batch:
    """The findings (one row each, flat) and documents of a batch, and where the batch lives."""

    findings: pd.DataFrame
    documents: pd.DataFrame
    root: Path | None

    @property
    def corpora(self) -> int:
        return int(self.documents["corpus"].nunique())


def _resolve(folder: str) -> Path:
    path = Path(folder).expanduser()
    return path if path.is_absolute() or path.exists() else PROJECT_ROOT / path


def load_batch(batch_dir: str = "", corpus_dir: str = "", primary: str | None = None, *,
               settings: Any = None, min_severity: str = "low") -> Batch:
    """A batch's tables from its output folder, or, without one, the tables of one corpus (found with
    `settings`); findings below `min_severity` are left out either way."""
    if batch_dir:
        root = _resolve(batch_dir)
        findings = pd.read_parquet(root / FINDINGS_TABLE)
        for column in LIST_COLUMNS:
            findings[column] = findings[column].map(json.loads)
        return Batch(_at_least(findings, min_severity), pd.read_parquet(root / DOCUMENTS_TABLE), root)
    from ..rules import find_findings
    from .views import open_corpus

    corpus = open_corpus(corpus_dir, primary)
    name = Path(corpus.root).resolve().name
    docs = document_rows(name, corpus)
    found = [f.to_dict() for f in find_findings(corpus, settings=settings)]
    rows = finding_rows(name, found, docs, corpus.primary_id)
    return Batch(_at_least(pd.DataFrame(rows), min_severity), pd.DataFrame(docs), None)


def _at_least(findings: pd.DataFrame, min_severity: str) -> pd.DataFrame:
    from .tables import at_least

    return at_least(findings, min_severity) if len(findings) else findings


def scope_note(batch: Batch) -> str:
    """One sentence on what the page covers (and, for a single corpus, how to cover many)."""
    reports = int((~batch.documents["primary"]).sum())
    outlets = batch.documents.loc[~batch.documents["primary"], "outlet"].nunique()
    return str(fragment("scope_note")(batch.corpora, reports, outlets, len(batch.findings), batch.root is None))


def charged(batch: Batch) -> pd.DataFrame:
    """One row per finding and report it is charged to, with the report's outlet and size."""
    rows = batch.findings[["corpus", "id", "type", "severity", "flagged"]].explode("flagged")
    rows = rows.rename(columns={"flagged": "doc"}).dropna(subset=["doc"])
    docs = batch.documents[["corpus", "doc", "outlet", "primary", "words"]]
    return rows.merge(docs, on=["corpus", "doc"], how="left")


def _reports(batch: Batch) -> pd.DataFrame:
    return batch.documents[~batch.documents["primary"]]


def outlet_table(batch: Batch) -> pd.DataFrame:
    """Findings per outlet's reports, per report and per 1,000 words (primaries left out)."""
    reports = _reports(batch).groupby("outlet").agg(reports=("doc", "size"), words=("words", "sum"))
    hits = charged(batch)
    hits = hits[~hits["primary"].astype(bool)]
    counts = hits.groupby("outlet").agg(findings=("id", "size"),
                                        high=("severity", lambda s: int((s == "high").sum())))
    table = reports.join(counts, how="left").fillna({"findings": 0, "high": 0}).astype({"findings": int, "high": int})
    table["per_report"] = (table["findings"] / table["reports"]).round(2)
    table["per_1000_words"] = (1000 * table["findings"] / table["words"].where(table["words"] > 0)).round(2)
    return table.reset_index().sort_values(["per_1000_words", "outlet"], ascending=[False, True], ignore_index=True)


def wilson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials: honest for small n (never outside [0, 1])."""
    if n <= 0:
        return (math.nan, math.nan)
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if k == 0 else max(0.0, centre - half)  # exact bounds where rounding would leave 1e-17
    return (low, 1.0 if k == n else min(1.0, centre + half))


def quote_rates(batch: Batch, confidence: float = 0.95) -> pd.DataFrame:
    """Per outlet: quotes checked against a source, the share misquoted and the share unsourced,
    each with its Wilson interval, so that three quotes do not read like three hundred."""
    hits = charged(batch)
    hits = hits[hits["type"].isin(QUOTE_TYPES) & ~hits["primary"].astype(bool)]
    rows = []
    for outlet, group in hits.groupby("outlet"):
        n = len(group)
        row: dict[str, object] = {"outlet": outlet, "quotes": n}
        for kind, label in (("misquote", "misquote"), ("unsourced_quote", "unsourced")):
            k = int((group["type"] == kind).sum())
            low, high = wilson(k, n, confidence)
            row.update({f"{label}s": k, f"{label}_rate": round(k / n, 3), f"{label}_low": round(low, 3),
                        f"{label}_high": round(high, 3)})
        rows.append(row)
    columns = ["outlet", "quotes"] + [f"{label}{s}" for label in ("misquote", "unsourced")
                                      for s in ("s", "_rate", "_low", "_high")]
    return pd.DataFrame(rows, columns=columns).sort_values(["quotes", "outlet"], ascending=[False, True],
                                                           ignore_index=True)


def types_by_outlet(batch: Batch) -> pd.DataFrame:
    """Findings of each type charged to each outlet's reports (long form: outlet, type, findings)."""
    hits = charged(batch)
    hits = hits[~hits["primary"].astype(bool)]
    return (hits.groupby(["outlet", "type"]).size().rename("findings").reset_index()
            .sort_values(["outlet", "type"], ignore_index=True))


def _link(batch: Batch, corpus: str, reports_url: str) -> str:
    if reports_url:
        href = f"{reports_url.rstrip('/')}/{corpus}/index.html"
    elif batch.root is not None:
        href = (batch.root / "corpora" / corpus / "findings.json").resolve().as_uri()
    else:
        href = "index.html"
    return str(fragment("link")(href, corpus))


def top_corpora(batch: Batch, n: int = 10, reports_url: str = "") -> pd.DataFrame:
    """The corpora with the most high-severity findings, each linked to its report."""
    f = batch.findings
    table = (f.assign(high=f["severity"] == "high").groupby("corpus")
             .agg(high=("high", "sum"), findings=("id", "size")).reset_index())
    docs = batch.documents.groupby("corpus").size().rename("documents").reset_index()
    table = table.merge(docs, on="corpus", how="left")
    table = table[table["high"] > 0].sort_values(["high", "findings", "corpus"], ascending=[False, False, True])
    table = table.head(n).reset_index(drop=True)
    table.insert(0, "report", [_link(batch, c, reports_url) for c in table["corpus"]])
    return table.astype({"high": int})


def _empty(message: str) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"t": [message]})).mark_text(align="left").encode(text="t:N").properties(
        width=WIDTH, height=30)


def outlet_chart(table: pd.DataFrame) -> alt.Chart:
    """Findings per 1,000 words by outlet, the counts in the tooltip."""
    if table.empty:
        return _empty("No reports.")
    return alt.Chart(table).mark_bar().encode(
        x=alt.X("per_1000_words:Q", title="findings per 1,000 words"),
        y=alt.Y("outlet:N", sort="-x", title=None),
        tooltip=["outlet:N", "reports:Q", "words:Q", "findings:Q", "high:Q", "per_report:Q", "per_1000_words:Q"],
    ).properties(width=WIDTH, title="Findings per 1,000 words of each outlet's reports")


def rate_chart(rates: pd.DataFrame) -> alt.Chart:
    """Misquote and unsourced-quote rates by outlet, each a dot with its interval."""
    if rates.empty:
        return _empty("No quotes checked.")
    long = pd.concat([rates.assign(measure=label, rate=rates[f"{label}_rate"], low=rates[f"{label}_low"],
                                   high=rates[f"{label}_high"], k=rates[f"{label}s"])
                      [["outlet", "quotes", "measure", "rate", "low", "high", "k"]]
                      for label in ("misquote", "unsourced")], ignore_index=True)
    base = alt.Chart(long).encode(y=alt.Y("outlet:N", title=None, sort=alt.SortField("quotes", order="descending")))
    bars = base.mark_rule(strokeWidth=2, opacity=0.6).encode(x=alt.X("low:Q", title="share of quotes",
                                                                        scale=alt.Scale(domain=[0, 1])), x2="high:Q")
    dots = base.mark_point(filled=True, size=60).encode(
        x="rate:Q", tooltip=["outlet:N", "measure:N", "k:Q", "quotes:Q", alt.Tooltip("rate:Q", format=".0%"),
                             alt.Tooltip("low:Q", format=".0%"), alt.Tooltip("high:Q", format=".0%")])
    return alt.layer(bars, dots).properties(width=WIDTH // 2 - 20).facet(
        column=alt.Column("measure:N", title=None)).properties(title="Quote rates by outlet, with intervals")


def types_chart(types: pd.DataFrame) -> alt.Chart:
    """Findings of each type by outlet, as a heatmap with the counts written in."""
    if types.empty:
        return _empty("No findings charged to a report.")
    base = alt.Chart(types).encode(x=alt.X("type:N", title=None), y=alt.Y("outlet:N", title=None))
    return (base.mark_rect().encode(color=alt.Color("findings:Q", scale=alt.Scale(scheme="oranges")),
                                    tooltip=["outlet:N", "type:N", "findings:Q"])
            + base.mark_text().encode(text="findings:Q")).properties(title="Types of finding by outlet")
