"""General extraction rules checked on small hand-written texts (not on any corpus).

Every expected value below was written by hand from the sentence it tests: times of day are
dates, not counts; day ranges in any common form are one claim; a full stop after a month name
is not part of the date; numbers that name things ("Quay 7", "Article 19") are not counts;
currency names after a number are units like the symbols; a counted noun stops before a time
expression or a verb.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from claimalign.extract.claim import Claim
from claimalign.corpus import Document
from claimalign.extract import extract_document

DOC_DATE = dt.date(2024, 5, 24)


def claims_of(text: str, kind: str | None = None) -> list[Claim]:
    """Claims of a one-text report dated 24 May 2024; each must point at its raw text."""
    doc = Document("t", Path("t.txt"), text, {"kind": "report", "date": DOC_DATE})
    out = extract_document(doc)
    for c in out:
        assert text[c.start:c.end] == c.text, c
    return [c for c in out if kind is None or c.kind == kind]


def one(text: str, kind: str) -> Claim:
    """The single claim of `kind` in `text`."""
    found = claims_of(text, kind)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


# ---------------------------------------------------------------- 1. times of day

@pytest.mark.parametrize("text, time, clock", [
    ("The strike will begin at 06:00 on the first day.", "06:00", "06:00"),
    ("25 May 2024, 07:45", "07:45", "07:45"),
    ("The ferry leaves at 8:30 p.m. sharp.", "8:30 p.m.", "20:30"),
    ("The ferry leaves at 8.30pm sharp.", "8.30pm", "20:30"),
    ("Doors open at 6pm for members.", "6pm", "18:00"),
    ("The strike began at six o'clock and is due to end soon.", "six o'clock", None),
    ("The strike began at 6 o\u2019clock and is due to end soon.", "6 o\u2019clock", None),
    ("Talks resume at noon.", "noon", "12:00"),
])
def test_times_of_day_are_dates_not_counts(text, time, clock):
    times = [c for c in claims_of(text, "date") if c.value["granularity"] == "time"]
    assert [c.text for c in times] == [time]
    assert times[0].value["clock"] == clock
    assert claims_of(text, "count") == []


def test_a_dateline_time_leaves_the_figures_after_it_alone():
    text = "3 June 2024, 08:10\n\nSome four thousand members have stopped work."
    counts = claims_of(text, "count")
    assert [(c.text, c.value["value"]) for c in counts] == [("Some four thousand members", 4000.0)]


# ---------------------------------------------------------------- 2. day ranges

@pytest.mark.parametrize("text, span, relation", [
    ("The stoppage will run from Monday 3 June until Friday 7 June.", "Monday 3 June until Friday 7 June", "from"),
    ("Members will stop work from 3 June to 7 June.", "3 June to 7 June", "from"),
    ("Members will stop work 3 June until 7 June.", "3 June until 7 June", None),
    ("The strike is set for June 3 through June 7.", "June 3 through June 7", None),
    ("The strike is set for 3 June till 7 June.", "3 June till 7 June", None),
    ("The strike is set for 3 June \u2013 7 June.", "3 June \u2013 7 June", None),
    ("The strike is set for Monday, June 3 to Friday, June 7.", "Monday, June 3 to Friday, June 7", None),
    ("Members will stop work from Monday 3 to Friday 7 June.", "Monday 3 to Friday 7 June", "from"),
    ("Talks are planned between 3 June and 7 June.", "3 June and 7 June", None),
])
def test_a_day_range_is_one_claim(text, span, relation):
    date = one(text, "date")
    assert date.text == span
    assert (date.value["start"], date.value["end"], date.value["granularity"]) == ("2024-06-03", "2024-06-07", "day")
    assert date.value["year_inferred"] is True
    assert date.value.get("relation") == relation


def test_two_dates_joined_by_and_are_not_a_range():
    dates = claims_of("Ballots were held on 14 May and 21 May.", "date")
    assert [(c.text, c.value["start"], c.value["end"]) for c in dates] == [
        ("14 May", "2024-05-14", "2024-05-14"), ("21 May", "2024-05-21", "2024-05-21")]


@pytest.mark.parametrize("text", [
    "The port closes December 30 to January 3, 2025.",
    "The port closes 30 December 2024 - 3 January 2025.",
])
def test_a_range_over_new_year_takes_its_years_from_the_text(text):
    date = one(text, "date")
    assert (date.value["start"], date.value["end"]) == ("2024-12-30", "2025-01-03")
    assert date.value["year_inferred"] is False


# ---------------------------------------------------------------- 3. a full stop after a month

@pytest.mark.parametrize("text, span, start", [
    ("The collective agreement expired on 31 March.", "31 March", "2024-03-31"),
    ("The strike ends on 7 June. Talks resume later.", "7 June", "2024-06-07"),
    ("The ballot closed in March 2024.", "March 2024", "2024-03"),
    ("It was signed Jan. 12 by both sides.", "Jan. 12", "2024-01-12"),
    ("It was signed on 12 Jan. by both sides.", "12 Jan.", "2024-01-12"),
])
def test_a_sentence_full_stop_is_not_part_of_a_date(text, span, start):
    date = one(text, "date")
    assert (date.text, date.value["start"]) == (span, start)


# ---------------------------------------------------------------- 4. numbers that name things

@pytest.mark.parametrize("text", [
    "There will be no redundancies when the terminal at Quay 7 opens.",
    "Flights leave from Terminal 5 daily.",
    "You are listening to Radio X 94.2 FM tonight.",
    "The rights under Article 19 apply here.",
    "Reported Covid-19 cases rose.",
    "They drove down Route 66 together.",
    "The press office is at Havenstraat 12 in the old town.",
])
def test_a_number_after_a_capitalised_word_is_an_identifier(text):
    assert claims_of(text, "count") == []


@pytest.mark.parametrize("text, span, value, noun", [
    ("About 60 people came to the meeting.", "About 60 people", 60.0, "people"),
    ("Some 4,000 members voted for the strike.", "Some 4,000 members", 4000.0, "members"),
    ("Around 6,000 AHDW members are set to walk out.", "Around 6,000 AHDW members", 6000.0, "AHDW members"),
    ("Officials said BPH's 4,000 workers will stop.", "4,000 workers", 4000.0, "workers"),
    ("On Tuesday 47 people fell ill.", "47 people", 47.0, "people"),
    ("Twelve villages have no water.", "Twelve villages", 12.0, "villages"),
])
def test_counts_after_hedges_possessives_dates_and_sentence_starts_stay(text, span, value, noun):
    count = one(text, "count")
    assert (count.text, count.value["value"], count.detail["noun"]) == (span, value, noun)


def test_a_year_after_in_is_a_date_not_a_count():
    text = "In 2023 the port handled more cargo."
    assert [c.text for c in claims_of(text, "date")] == ["2023"]
    assert claims_of(text, "count") == []


# ---------------------------------------------------------------- 5. currency names as units

@pytest.mark.parametrize("words, symbol, unit, value", [
    ("1.2 billion euros", "\u20ac1.2bn", "EUR", 1.2e9),
    ("2 million US dollars", "US$2m", "USD", 2e6),
    ("2 million dollars", "$2m", "USD?", 2e6),
    ("5 million pounds", "\u00a35m", "GBP", 5e6),
    ("9 million euros", "\u20ac9mn", "EUR", 9e6),
])
def test_a_currency_name_is_the_unit_its_symbol_gives(words, symbol, unit, value):
    spelled = one(f"The company made {words} last year.", "count")
    signed = one(f"The company made {symbol} last year.", "count")
    assert spelled.text == words and signed.text == symbol
    for c in (spelled, signed):
        assert (c.value["unit"], c.value["value"], c.value["low"], c.value["high"]) == (unit, value, value, value)
        assert c.detail["noun"] == ""


@pytest.mark.parametrize("text, span, noun", [
    ("The barge carried 5 million pounds of waste.", "5 million pounds", "pounds"),
    ("The crate weighed 200 pounds on the scale.", "200 pounds", "pounds"),
])
def test_pounds_of_a_thing_and_small_pounds_are_weights(text, span, noun):
    count = one(text, "count")
    assert (count.text, count.value["unit"], count.detail["noun"]) == (span, None, noun)


# ---------------------------------------------------------------- 6. where the counted noun stops

@pytest.mark.parametrize("text, span, noun", [
    ("The company reported an operating profit of 1.2 billion euros last year.", "1.2 billion euros", ""),
    ("It made a profit of \u20ac1,200 million last year.", "\u20ac1,200 million", ""),
    ("Residents of at least 10 villages still have no safe water.", "at least 10 villages", "villages"),
    ("They pulled more than 6,000 dead fish out of the river.", "more than 6,000 dead fish", "dead fish"),
    ("The dam was built two years ago by the company.", "two years", "years"),
    ("Tankers reached 12 villages this week.", "12 villages", "villages"),
    ("Inspectors visit 5 sites every day.", "5 sites", "sites"),
    ("The union wants 30 paid hours a week.", "30 paid hours", "paid hours"),
    ("Officials said 3,000 workers Monday were idle.", "3,000 workers", "workers"),
])
def test_the_counted_noun_stops_before_a_time_or_a_verb(text, span, noun):
    count = one(text, "count")
    assert (count.text, count.detail["noun"]) == (span, noun)


def test_stems_are_snowballs_english_with_british_spellings_folded() -> None:
    from claimalign.extract.claim import stem, stems

    assert stem("organisations") == stem("organizations") == "organiz"
    assert stems("The councils deferred the votes on 12 new levees") == {"council", "defer", "vote", "new", "leve"}


def test_the_name_list_is_read_as_gender_guesser_reads_it() -> None:
    import gender_guesser.detector as gender

    from claimalign.extract.people import _detector, first_name_gender, is_first_name

    assert _detector().names == gender.Detector(case_sensitive=False).names
    assert (first_name_gender("Nadia"), first_name_gender("Jonas"), first_name_gender("Harbor")) == ("f", "m", None)
    assert is_first_name("Priya") and not is_first_name("Caldwell")


def test_a_documents_repeated_short_texts_are_held_once() -> None:
    """A name, noun or unit written many times in one document is one string object, not one per claim."""
    text = ("Dr. Amara Osei of the Harbour Rights Coalition said 40 workers were hurt. "
            "Later, Amara Osei said 40 workers went home.\n\n"
            "\u00b9 Amara Osei spoke to the Harbour Rights Coalition on 3 May 2024.\n")
    claims = claims_of(text)
    names = [c for c in claims if c.kind == "mention" and c.text == "Amara Osei"]
    counts = [c for c in claims if c.kind == "count"]
    assert len(names) == 3 and len({id(c.text) for c in names}) == 1
    assert len({id(c.detail["name"]) for c in names}) == 1 and names[0].detail["name"] is names[0].text
    assert [c.detail["noun"] for c in counts] == ["workers", "workers"] and counts[0].detail["noun"] is counts[1].detail["noun"]


@pytest.mark.parametrize("text, mentions", [
    ("The review is led by Dr. Jane Doe of the University of Bristol.", [("Jane Doe", "person", "Dr.")]),
    ("Prof. Jane Doe of Georgetown University said so.", [("Jane Doe", "person", "Prof.")]),
    ("Jane Doe of the University of Bristol said so.", [("Jane Doe", "person", None)]),
    ("The Bank of England held rates.", [("Bank of England", "org", None)]),
])
def test_a_titled_person_of_an_institution_is_a_person_not_one_long_org(text, mentions):
    found = [(c.text, c.detail["type"], c.detail["title"]) for c in claims_of(text, "mention")]
    assert found == mentions


@pytest.mark.parametrize("text, mentions", [
    ("Officials told residents of Harlow Creek to leave.", [("Harlow Creek", "place")]),
    ("The office is at 1420 Hollis Ave. near the depot.", [("Hollis Ave", "place")]),
    ("Crews closed Kettle River Road overnight.", [("Kettle River Road", "place")]),
    ("Buses serve Fenwick Falls and Anselm County.", [("Fenwick Falls", "place"), ("Anselm County", "place")]),
    ("Harlow Diaz, a nurse, said so.", [("Harlow Diaz", "person")]),
    ("The Anselm County Board of Supervisors voted.", [("Anselm County Board of Supervisors", "org")]),
])
def test_a_name_ending_in_a_place_word_is_a_place(text, mentions):
    assert [(c.text, c.detail["type"]) for c in claims_of(text, "mention")] == mentions


@pytest.mark.parametrize("text, counts", [
    ("The open house is at 1420 Hollis Ave. on Tuesday.", []),
    ("Meetings run from 6 to 8 p.m. at the library.", []),
    ("The shift ends at 9 pm sharp.", []),
    ("The line carries 1420 riders on 12 buses.", ["1420 riders", "12 buses"]),
    ("The fare rises to $8 on Main Street.", ["$8"]),
])
def test_street_numbers_and_times_of_day_are_not_counts(text, counts):
    assert [c.text for c in claims_of(text, "count")] == counts


@pytest.mark.parametrize("text, nouns", [
    ("Nearly 5,000 people remain under an evacuation order.", ["people"]),
    ("About 9,300 people live there, and 200 students attend the school.", ["people", "students"]),
    ("The city runs 40 bus routes and 12 low-ridership routes.", ["bus routes", "low-ridership routes"]),
    ("Officers arrested 3 police officers.", ["police officers"]),
])
def test_a_counted_noun_phrase_ends_before_a_verb_after_its_plural_head(text, nouns):
    assert [c.detail["noun"] for c in claims_of(text, "count")] == nouns


@pytest.mark.parametrize("text, mentions", [
    ("Crews from the B.C. Wildfire Service arrived.", ["B.C. Wildfire Service"]),
    ("The U.S. Army Corps of Engineers inspected the levee.", ["U.S. Army Corps of Engineers"]),
])
def test_a_dotted_acronym_starts_a_name_whole(text, mentions):
    assert [c.text for c in claims_of(text, "mention")] == mentions


@pytest.mark.parametrize("text, kinds", [
    ("More than 31,000 riders ride daily, still below 2019 levels.", [("count", "More than 31,000 riders"), ("date", "2019")]),
    ("More than 2000 riders ride daily.", [("count", "More than 2000 riders")]),
])
def test_a_bare_year_before_a_noun_is_a_year_where_thousands_are_written_with_a_comma(text, kinds):
    assert [(c.kind, c.text) for c in claims_of(text) if c.kind in ("count", "date")] == kinds
