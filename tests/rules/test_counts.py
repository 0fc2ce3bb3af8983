"""Count rules: what a count is of, and when two values really conflict."""
from __future__ import annotations

from claimalign import find_findings


def _of(corpus, kind):
    return [f for f in find_findings(corpus) if f.type == kind]


def test_money_is_keyed_by_its_purpose(make_corpus):
    corpus = make_corpus({
        "release": "The repair will cost an estimated $38.5 million, and the state gave $10 million from its "
                   "emergency fund.",
        "station": "The city says the repairs will cost $35.8 million. The state gave $10 million.",
    })
    [conflict] = _of(corpus, "count_conflict")
    assert conflict.values == {"release": ["$38.5 million"], "station": ["$35.8 million"]}
    assert conflict.detail["key"] == "p:repair|USD?"


def test_money_given_to_someone_for_something_is_keyed_by_what_it_is_for(make_corpus):
    corpus = make_corpus({
        "release": "The province is providing $3 million to the regional district for shelters this week.",
        "wire": "The province is putting $4 million toward shelters this week.",
    })
    [conflict] = _of(corpus, "count_conflict")
    assert conflict.values == {"release": ["$3 million"], "wire": ["$4 million"]}
    assert conflict.detail["key"] == "p:shelter|USD?"


def test_a_new_price_from_the_same_old_one_is_one_change(make_corpus):
    corpus = make_corpus({
        "release": "The 31-day pass rises from $70 to $80. Service improves on eight corridors.",
        "station": "Reduced fares go up, and a 31-day pass will jump from $70 to $85.",
        "paper": "A day pass rises from $5 to $6.",
    })
    [conflict] = _of(corpus, "count_conflict")
    assert conflict.values == {"release": ["$80"], "station": ["$85"]}
    assert conflict.detail["key"] == "p:pass|USD?"


def test_the_words_of_a_long_name_do_not_make_two_counts_one(make_corpus):
    corpus = make_corpus({
        "release": "The fares rise on July 1.",
        "wire": "The Cold River Transit Authority operates 42 bus routes in the county.",
        "paper": "Riders will see changes after the Cold River Transit Authority board voted to fold six routes.",
    })
    assert _of(corpus, "count_conflict") == []


def test_a_document_that_gives_the_other_value_is_no_conflict(make_corpus):
    corpus = make_corpus({
        "transcript": "We expect the bridge to be closed for 120 days while the repair goes ahead.",
        "ledger": "The bridge closes two days before the city starts the repair. The closure is expected to "
                  "last 120 days, the city said.",
    })
    assert _of(corpus, "count_conflict") == []


def test_two_upper_bounds_with_different_numbers_conflict(make_corpus):
    corpus = make_corpus({
        "release": "The council will buy back up to 140 flood-prone homes in Lower Millbrook.",
        "radio": "The council is buying back up to 180 flood-prone homes in Lower Millbrook.",
    })
    [conflict] = _of(corpus, "count_conflict")
    assert conflict.values == {"release": ["up to 140"], "radio": ["up to 180"]}
    assert conflict.severity == "high"


def test_hedges_ranges_and_units_agree(make_corpus):
    corpus = make_corpus({
        "statement": "The committee lowered the target range by 1/2 percentage point, to 1 to 1-1/4 percent. "
                     "More than a dozen missiles were fired at two bases.",
        "paper": "The Fed cut rates by 50 basis points, to a range of 1% to 1.25%. Iran fired 16 missiles "
                 "at two bases.",
    })
    assert _of(corpus, "count_conflict") == []
    assert _of(corpus, "single_source") == []


def test_people_arrested_meets_arrests(make_corpus):
    corpus = make_corpus({
        "police": "Officers said 45 people were arrested during the march through the city centre.",
        "paper": "There were 54 arrests during the march through the city centre, officers said.",
    })
    [conflict] = _of(corpus, "count_conflict")
    assert conflict.values == {"police": ["45"], "paper": ["54"]}


def test_a_hyphenated_measure_counts_its_noun(make_corpus):
    corpus = make_corpus({
        "release": "The president spoke from the White House on Wednesday morning.",
        "times": "Mr. Ruiz's 10-minute televised statement on Wednesday morning was his longest.",
        "wire": "Ruiz, in his nine-minute televised statement on Wednesday, spoke of the army.",
    })
    [conflict] = _of(corpus, "count_conflict")
    assert conflict.values == {"times": ["10"], "wire": ["9"]}
    assert conflict.severity == "medium"


def test_over_a_span_of_years_is_no_lower_bound(make_corpus):
    corpus = make_corpus({
        "release": "The $148 million package will be spent over four years on the river towns.",
        "paper": "The package of $148 million is spread across four years for the river towns.",
    })
    assert _of(corpus, "count_conflict") == []


def test_numbers_that_name_or_point_back_are_no_figures(make_corpus):
    corpus = make_corpus({
        "release": "The ministers met in Ottawa on Monday.",
        "paper": "The two countries agreed to talk. Nearly 8 in 10 voters back the deal, a phase 2 trial "
                 "showed, and the Group of Seven welcomed the 1990s-style pact.",
    })
    found = [f.evidence[0].text for f in _of(corpus, "single_source")]
    assert found == []


def test_counts_told_in_one_sentence_of_one_noun_share_their_context(make_corpus):
    from claimalign.extract import extract_claims
    from claimalign.rules.counts import _contexts, count_context

    corpus = make_corpus({"primary": "The council counted 40 homes, 12 homes and 3 shops after the flood.",
                          "report": "The council counted 40 homes after the flood."})
    counts = [c for c in extract_claims(corpus) if c.kind == "count" and c.doc == "primary"]
    context = _contexts(counts)
    homes = [context[id(c)] for c in counts if c.detail["noun"] == "homes"]
    shops = [context[id(c)] for c in counts if c.detail["noun"] == "shops"]
    assert len(homes) == 2 and homes[0] is homes[1] and homes[0] == count_context(counts[0])
    assert len(shops) == 1 and shops[0] is not homes[0]
