"""Notebook 5's tables across corpora, on a small batch written by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from claimalign.present import across

DOCS = pd.DataFrame([
    # corpus, doc, outlet, primary, words
    ("a", "letter", "Council", True, 400),
    ("a", "w1", "Wire", False, 200),
    ("a", "g1", "Gazette", False, 800),
    ("b", "note", "Ministry", True, 300),
    ("b", "w2", "Wire", False, 300),
], columns=["corpus", "doc", "outlet", "primary", "words"])
FINDINGS = pd.DataFrame([
    # corpus, id, type, severity, flagged
    ("a", "F-1", "misquote", "high", ["w1"]),
    ("a", "F-2", "verified_quote", "low", ["w1"]),
    ("a", "F-3", "verified_quote", "low", ["g1"]),
    ("a", "F-4", "count_conflict", "high", ["w1", "g1"]),
    ("a", "F-5", "internal_inconsistency", "medium", ["letter"]),
    ("b", "F-6", "unsourced_quote", "medium", ["w2"]),
    ("b", "F-7", "verified_quote", "low", ["w2"]),
    ("b", "F-8", "omission", "low", []),
], columns=["corpus", "id", "type", "severity", "flagged"])


@pytest.fixture
def batch() -> across.Batch:
    return across.Batch(FINDINGS.copy(), DOCS.copy(), None)


def test_findings_per_outlet_count_each_report_a_finding_is_charged_to(batch):
    table = across.outlet_table(batch).set_index("outlet")
    assert set(table.index) == {"Wire", "Gazette"}  # primaries left out
    assert table.loc["Wire", ["reports", "words", "findings", "high"]].tolist() == [2, 500, 5, 2]
    assert table.loc["Wire", "per_report"] == 2.5 and table.loc["Wire", "per_1000_words"] == 10.0
    assert table.loc["Gazette", ["findings", "high", "per_1000_words"]].tolist() == [2, 1, 2.5]
    assert across.outlet_table(batch)["outlet"].tolist() == ["Wire", "Gazette"]


def test_wilson_interval_matches_the_textbook_values():
    low, high = across.wilson(1, 4, 0.95)
    assert (round(low, 4), round(high, 4)) == (0.0456, 0.6994)
    assert across.wilson(0, 10, 0.95)[0] == 0.0 and round(across.wilson(0, 10, 0.95)[1], 4) == 0.2775
    assert all(math.isnan(x) for x in across.wilson(0, 0))


def test_quote_rates_by_outlet_with_intervals(batch):
    rates = across.quote_rates(batch).set_index("outlet")
    assert rates.loc["Wire", ["quotes", "misquotes", "unsourceds"]].tolist() == [4, 1, 1]
    assert rates.loc["Wire", "misquote_rate"] == 0.25
    assert (rates.loc["Wire", "misquote_low"], rates.loc["Wire", "misquote_high"]) == (0.046, 0.699)
    assert rates.loc["Gazette", ["quotes", "misquotes", "misquote_rate", "misquote_low"]].tolist() == [1, 0, 0.0, 0.0]
    assert round(rates.loc["Gazette", "misquote_high"], 3) == 0.793


def test_types_by_outlet_and_the_corpora_to_read_first(batch):
    types = across.types_by_outlet(batch)
    assert types[types["outlet"] == "Wire"].set_index("type")["findings"].to_dict() == {
        "count_conflict": 1, "misquote": 1, "unsourced_quote": 1, "verified_quote": 2}
    top = across.top_corpora(batch, 5, "../reports")
    assert top["corpus"].tolist() == ["a"] and top.loc[0, "high"] == 2 and top.loc[0, "documents"] == 3
    assert top.loc[0, "report"] == '<a href="../reports/a/index.html">a</a>'


def test_one_corpus_without_a_batch_folder_gives_the_same_tables():
    single = across.load_batch("", "data/corpus/carney-china-visit-2026")
    assert single.corpora == 1 and single.root is None
    table = across.outlet_table(single).set_index("outlet")
    assert table.loc["Phayul", "reports"] == 1
    assert "claimalign batch" in across.scope_note(single)
