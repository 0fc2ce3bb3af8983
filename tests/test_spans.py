"""Every claim points at real text of the seed corpus, and the claims we checked by hand are there."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimalign.cli import main
from claimalign.corpus import load_corpus
from claimalign.extract import extract_claims

SEED = Path(__file__).resolve().parents[1] / "data" / "corpus" / "carney-china-visit-2026"
KEYS = ["doc", "id", "kind", "start", "end", "text", "norm", "value", "sentence", "sentence_start",
        "sentence_end", "detail"]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(SEED)


@pytest.fixture(scope="module")
def claims(corpus):
    return extract_claims(corpus)


def of(claims, doc: str, kind: str):
    return [c for c in claims if c.doc == doc and c.kind == kind]


def test_every_claim_points_at_its_raw_text(corpus, claims) -> None:
    assert {c.doc for c in claims} == {d.id for d in corpus}
    for c in claims:
        raw = corpus[c.doc].raw
        assert 0 <= c.start < c.end <= len(raw), c.id
        assert raw[c.start:c.end] == c.text, c.id
        assert 0 <= c.sentence_start < c.sentence_end <= len(raw), c.id
        assert c.sentence_start <= c.start < c.sentence_end, c.id
        assert c.id == f"{c.doc}:{c.kind}@{c.start}"


def test_claim_ids_are_unique(claims) -> None:
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids))


def test_list_items_and_count_phrases_point_at_raw_text(corpus, claims) -> None:
    lists = [c for c in claims if c.kind == "list"]
    counts = [c for c in claims if c.kind == "count"]
    assert lists and counts
    for c in lists:
        raw = corpus[c.doc].raw
        assert len(c.detail["items"]) == c.value, c.id
        for item in c.detail["items"]:
            assert 0 <= item["start"] < item["end"] <= len(raw)
            assert raw[item["start"]:item["end"]] == item["text"], c.id
    for c in counts:
        raw = corpus[c.doc].raw
        phrase = c.detail["phrase"]
        assert raw[phrase["start"]:phrase["end"]] == phrase["text"], c.id


def test_letter_counts_ten_canadian_organizations(claims) -> None:
    tens = [c for c in of(claims, "coalition-letter", "count") if c.value["value"] == 10
            and c.detail["noun"] == "Canadian organizations"]
    assert len(tens) == 1
    assert tens[0].text == "10 Canadian organizations"
    assert (tens[0].value["low"], tens[0].value["high"]) == (10, 10)


def test_unattributed_nine_is_exact(claims) -> None:
    nines = [c for c in of(claims, "unattributed-report", "count") if c.value["value"] == 9]
    assert [(c.text, c.value["low"], c.value["high"]) for c in nines] == [
        ("nine human rights organizations", 9, 9)]


def test_phayul_at_least_nine_has_no_upper_bound(claims) -> None:
    nines = [c for c in of(claims, "phayul", "count") if c.value["value"] == 9]
    assert len(nines) == 1
    assert nines[0].text == "at least nine Canadian human rights organisations"
    assert nines[0].value["low"] == 9 and nines[0].value["high"] is None
    assert nines[0].value["hedge"] == "at least"


@pytest.mark.parametrize("doc, text", [("uyghur-times", "January 13\u201317, 2026"),
                                       ("phayul", "January 13 to 17, 2026")])
def test_visit_dates_are_a_range(claims, doc: str, text: str) -> None:
    ranges = [c for c in of(claims, doc, "date")
              if c.value["start"] == "2026-01-13" and c.value["end"] == "2026-01-17"]
    assert [c.text for c in ranges] == [text]


def test_ad_hoc_quote_loses_the_markdown(claims) -> None:
    quotes = [c for c in claims if c.kind == "quote" and c.doc in {"phayul", "unattributed-report"}
              and c.norm.startswith("ad hoc and uncoordinated")]
    assert [c.doc for c in quotes] == ["unattributed-report"]
    assert quotes[0].norm in {"ad hoc and uncoordinated,", "ad hoc and uncoordinated"}
    assert all("*" not in c.norm for c in claims if c.kind == "quote")
    phayul = [c.norm for c in of(claims, "phayul", "quote") if c.norm.startswith("ad hoc")]
    assert len(phayul) == 1 and phayul[0].startswith("ad hoc or uncoordinated")


def test_kwan_quote_has_speaker(claims) -> None:
    quotes = [c for c in of(claims, "unattributed-report", "quote")
              if c.norm.startswith("It's time to put human rights at the forefront")]
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text.startswith("It\u2019s time to put human rights at the forefront")
    assert q.detail["speaker"] == "Cheuk Kwan"
    assert q.detail["speaker_as_written"] == "Kwan"


def test_letter_lists_nine_endorsing_members(claims) -> None:
    lists = [c for c in of(claims, "coalition-letter", "list") if c.detail["form"] == "following"]
    assert len(lists) == 1 and lists[0].value == 9
    items = [i["text"] for i in lists[0].detail["items"]]
    assert items[0] == "Amnistie Internationale Canada (Francophone)"
    assert items[-1] == "Vancouver Society in Support of Democratic Movement"
    assert "Toronto Association for Democracy in China" in items


def test_jfa_lists_seven_measures(claims) -> None:
    sevens = [c for c in of(claims, "jfa-saveuyghur", "list") if c.value == 7]
    assert len(sevens) == 1
    items = [i["text"] for i in sevens[0].detail["items"]]
    assert items[0] == "The Prohibition of imports of goods produced wholly or in part by forced labour"
    assert items[-1] == "A Study on forced labour and supply chain risks"


def test_cli_claims_json_has_the_documented_keys(capsys) -> None:
    assert main(["claims", str(SEED), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = json.loads(out)
    assert rows
    for row in rows:
        assert list(row) == KEYS, row.get("id")
    assert {r["doc"] for r in rows} == {"coalition-letter", "uyghur-times", "phayul",
                                        "unattributed-report", "jfa-saveuyghur"}
