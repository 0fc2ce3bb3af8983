"""claimalign on a corpus it was not developed on: a city council's bus plan and two local stories.

The corpus in tests/data/council-corpus was written by hand for these tests. Every expected
value below was read off the texts by a person, not copied from the library's output:

- council-release (primary): a budget of $4.2 million, 12 new bus routes, more than 30,000
  riders a day, hearings on March 3–5, 2025, a quote of Mayor Dana Whitfield, a list of four
  neighbourhoods, Priya Raman (director of transit planning) and Councillor Tom Okafor.
- riverton-courier: changes one word of the mayor's quote ("moves" -> "grows"), gives 11 routes,
  writes "Priya Ramen", leaves out Tom Okafor, writes the hearings as "March 3 to 5", is the only
  story to give "about 40 new drivers", and quotes Raman word for word.
- eastgate-examiner: quotes the mayor word for word, gives 12 routes and "$4.2-million", names
  Tom Okafor, writes the hearings as "from March 3 through March 5".
"""
from __future__ import annotations

from pathlib import Path

import pytest

from claimalign.corpus import load_corpus
from claimalign import find_findings
from claimalign.extract import extract_claims

CORPUS_DIR = Path(__file__).resolve().parent / "data" / "council-corpus"
PRIMARY, COURIER, EXAMINER = "council-release", "riverton-courier", "eastgate-examiner"
MAYOR_QUOTE = ("We are building a city that moves, and we are building it first for the neighbourhoods "
               "that have waited longest for a bus they can count on")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="module")
def claims(corpus):
    return extract_claims(corpus)


@pytest.fixture(scope="module")
def findings(corpus):
    return [f.to_dict() for f in find_findings(corpus)]


def claim_at(claims, doc, kind, text):
    """The one claim of `kind` in `doc` whose text starts with `text`."""
    hits = [c for c in claims if c.doc == doc and c.kind == kind and c.text.startswith(text)]
    assert hits, f"no {kind} claim starting {text!r} in {doc}; {kind} claims there: " \
                 f"{[c.text for c in claims if c.doc == doc and c.kind == kind]}"
    return hits[0]


def as_list(value):
    return value if isinstance(value, list) else [value]


def of_type(findings, type_):
    return [f for f in findings if f["type"] == type_]


def cites(finding, source, text):
    """The finding carries evidence from `source` whose text contains `text`."""
    return any(e["source"] == source and text in e["text"] for e in finding["evidence"])


# ---------------------------------------------------------------- the corpus itself

def test_corpus_loads_with_provenance(corpus):
    assert corpus.primary_id == PRIMARY
    assert [d.id for d in corpus.reports] == [COURIER, EXAMINER]
    assert all(d.kind == "report" and d.meta["outlet"] and d.date for d in corpus.reports)
    assert all(150 <= len(d.raw.split()) <= 400 for d in corpus)


def test_every_claim_points_at_its_text(corpus, claims):
    for c in claims:
        assert corpus[c.doc].raw[c.start:c.end] == c.text


# ---------------------------------------------------------------- extractors

def test_counts_in_the_release(claims):
    routes = claim_at(claims, PRIMARY, "count", "12 new bus routes")
    assert (routes.value["value"], routes.value["low"], routes.value["high"]) == (12, 12, 12)
    assert routes.value["hedge"] is None
    assert routes.detail["noun"] == "new bus routes"
    assert routes.detail["noun_key"] == "route"

    riders = claim_at(claims, PRIMARY, "count", "more than 30,000")
    assert riders.value["value"] == 30_000
    assert riders.value["hedge"] == "more than"
    assert riders.value["low"] > 30_000 and riders.value["high"] is None
    assert riders.detail["noun"] == "riders"

    budget = claim_at(claims, PRIMARY, "count", "$4.2 million")
    assert budget.value["value"] == 4_200_000 and budget.value["low"] == budget.value["high"] == 4_200_000
    assert budget.value["unit"] and "USD" in budget.value["unit"]  # a dollar amount
    assert "budget" in f"{budget.detail.get('noun')} {budget.detail.get('subject')}"


def test_counts_in_the_stories(claims):
    routes = claim_at(claims, COURIER, "count", "11 new bus routes")
    assert routes.value["value"] == 11 and routes.value["hedge"] is None
    assert routes.detail["noun_key"] == "route"

    drivers = claim_at(claims, COURIER, "count", "about 40")
    assert drivers.value["value"] == 40
    assert drivers.value["hedge"] == "about"
    assert drivers.value["low"] < 40 < drivers.value["high"]
    assert drivers.detail["noun_key"] == "driver"

    routes = claim_at(claims, EXAMINER, "count", "12 new bus routes")
    assert routes.value["value"] == 12
    assert routes.detail["noun_key"] == "route"  # "12 new bus routes across the city"


def test_money_written_three_ways_is_one_amount(claims):
    """$4.2 million (release), $4.2M (courier headline), $4.2-million (examiner, Canadian Press style)."""
    assert claim_at(claims, PRIMARY, "count", "$4.2 million").value["value"] == 4_200_000
    assert claim_at(claims, COURIER, "count", "$4.2M").value["value"] == 4_200_000
    examiner = claim_at(claims, EXAMINER, "count", "$4.2")
    assert (examiner.value["low"], examiner.value["high"]) == (4_200_000, 4_200_000)


def test_hearing_dates_written_three_ways_are_one_range(claims):
    """March 3–5, 2025 / March 3 to 5 / from March 3 through March 5: one range, start and end."""
    forms = {PRIMARY: "March 3\u20135, 2025", COURIER: "March 3 to 5", EXAMINER: "March 3 through March 5"}
    for doc, text in forms.items():
        date = claim_at(claims, doc, "date", text)
        assert date.text == text
        assert (date.value["start"], date.value["end"]) == ("2025-03-03", "2025-03-05"), doc
        assert date.value["granularity"] == "day"
    assert claim_at(claims, COURIER, "date", "March 3 to 5").value["year_inferred"] is True


def test_quote_with_its_speaker(claims):
    quote = claim_at(claims, PRIMARY, "quote", "We are building")
    assert quote.value == MAYOR_QUOTE + ","
    assert quote.detail["role"] == "speech"
    assert quote.detail["speaker"] == "Dana Whitfield"  # "said Mayor Dana Whitfield": the person, not the title

    raman = claim_at(claims, PRIMARY, "quote", "Nobody should need")
    assert raman.detail["speaker"] == "Priya Raman"  # "Raman said" resolves to the full name
    assert raman.detail["speaker_role"] == "director of transit planning"
    assert raman.detail["speaker_org"] == "Riverton Transit Authority"


def test_pronoun_speakers_point_to_the_person_just_named(claims):
    """The examiner introduces Raman, then Luis Ortega, and quotes each with "she said" / "he said"."""
    raman = claim_at(claims, EXAMINER, "quote", "Nobody should need")
    assert raman.detail["speaker"] == "Priya Raman"
    ortega = claim_at(claims, EXAMINER, "quote", "Right now the bus")
    assert ortega.detail["speaker"] == "Luis Ortega"


def test_people_with_roles(claims):
    raman = claim_at(claims, PRIMARY, "mention", "Priya Raman")
    assert raman.detail["type"] == "person"
    assert raman.detail["role"] == "director of transit planning"
    assert raman.detail["org"] == "Riverton Transit Authority"
    mayor = claim_at(claims, PRIMARY, "mention", "Dana Whitfield")
    assert (mayor.detail["type"], mayor.detail["title"]) == ("person", "Mayor")
    okafor = claim_at(claims, PRIMARY, "mention", "Tom Okafor")
    assert (okafor.detail["type"], okafor.detail["title"]) == ("person", "Councillor")


def test_list_of_neighbourhoods(claims):
    lst = claim_at(claims, PRIMARY, "list", "The first routes will serve the following neighbourhoods")
    assert [i["text"] for i in lst.detail["items"]] == ["Eastgate", "Millbrook", "Carver Heights", "Old Harbour"]
    assert lst.value == lst.detail["item_count"] == 4


# ---------------------------------------------------------------- findings

def test_misquote_names_the_changed_word(findings):
    hits = [f for f in of_type(findings, "misquote") if cites(f, COURIER, "a city that grows")]
    assert len(hits) == 1, of_type(findings, "misquote")
    f = hits[0]
    assert set(f["sources"]) == {COURIER, PRIMARY}
    assert cites(f, PRIMARY, "a city that moves")
    assert "Dana Whitfield" in f["subject"]
    assert f["severity"] == "high"
    changed = [op for op in f["detail"]["diff"] if op[0] != "equal"]
    assert changed == [["replace", "grows", "moves"]]
    assert "grows" in f["explanation"] and "moves" in f["explanation"]


def test_count_conflict_gives_the_values_per_document(findings):
    hits = [f for f in of_type(findings, "count_conflict") if "route" in f["subject"]]
    assert len(hits) == 1, of_type(findings, "count_conflict")
    f = hits[0]
    assert f["values"] == {PRIMARY: ["12"], COURIER: ["11"], EXAMINER: ["12"]}
    assert f["severity"] == "high"  # the primary is one side of the conflict
    assert cites(f, PRIMARY, "12 new bus routes") and cites(f, COURIER, "11 new bus routes")


def test_the_budget_is_no_conflict(findings):
    """All three documents give $4.2 million, each written its own way."""
    budget = [f for f in findings if f["type"] in ("count_conflict", "internal_inconsistency")
              and any("4.2" in str(v) for v in f["values"].values())]
    assert budget == []


def test_verified_quotes(findings):
    verified = of_type(findings, "verified_quote")
    mayor = [f for f in verified if cites(f, EXAMINER, "We are building a city that moves")]
    assert len(mayor) == 1
    assert set(mayor[0]["sources"]) == {EXAMINER, PRIMARY}
    assert cites(mayor[0], PRIMARY, "We are building a city that moves")
    assert mayor[0]["score"] == 100.0
    assert "Dana Whitfield" in mayor[0]["detail"]["speaker"]
    raman = [f for f in verified if cites(f, COURIER, "Nobody should need two transfers")]
    assert len(raman) == 1 and cites(raman[0], PRIMARY, "Nobody should need two transfers")
    # The misquoted quotation is not also "verified".
    assert not [f for f in verified if cites(f, COURIER, "a city that grows")]


def test_name_variant(findings):
    hits = [f for f in of_type(findings, "name_variant") if cites(f, COURIER, "Priya Ramen")]
    assert len(hits) == 1, of_type(findings, "name_variant")
    f = hits[0]
    assert {PRIMARY, COURIER} <= set(f["sources"])
    assert cites(f, PRIMARY, "Priya Raman")
    assert "Priya Raman" in as_list(f["values"][PRIMARY])
    assert "Priya Ramen" in as_list(f["values"][COURIER])


def test_omission_of_the_councillor(findings):
    hits = [f for f in of_type(findings, "omission") if f["subject"] == "Tom Okafor"]
    assert len(hits) == 1, [f["subject"] for f in of_type(findings, "omission")]
    f = hits[0]
    assert COURIER in f["sources"] and PRIMARY in f["sources"]
    assert f["values"][COURIER] == "omitted" and f["values"][EXAMINER] == "mentioned"
    assert cites(f, PRIMARY, "Tom Okafor") and cites(f, EXAMINER, "Tom Okafor")
    # The misspelt Raman is a variant, not an omission; the mayor is in every story.
    omitted = {f["subject"] for f in of_type(findings, "omission")}
    assert not omitted & {"Priya Raman", "Dana Whitfield"}


def test_single_source_figure(findings):
    hits = [f for f in of_type(findings, "single_source") if cites(f, COURIER, "about 40 new drivers")]
    assert len(hits) == 1
    assert hits[0]["sources"] == [COURIER]
    assert list(hits[0]["values"]) == [COURIER]


def test_figures_the_release_gives_are_not_single_source(findings):
    """The budget and the 12 routes are in the release; a story repeating them is not a lone source."""
    lone = [e["text"] for f in of_type(findings, "single_source") for e in f["evidence"]]
    assert not [t for t in lone if "4.2" in t or "12 new bus routes" in t], lone


def test_one_date_range_written_two_ways_is_no_conflict(findings):
    hearings = [f for f in of_type(findings, "date_conflict")
                if any("March 3" in e["text"] for e in f["evidence"])]
    assert hearings == []
    assert of_type(findings, "date_conflict") == []  # the corpus has no conflicting dates at all
