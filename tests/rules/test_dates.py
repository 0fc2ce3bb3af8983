"""Date rules: one event dated two ways, and dates of two events that only look alike."""
from __future__ import annotations

from claimalign import find_findings


def _of(corpus, kind):
    return [f for f in find_findings(corpus) if f.type == kind]


def test_a_month_conflict_is_found_despite_a_year_elsewhere(make_corpus):
    corpus = make_corpus({
        "release": "Works will begin in September 2026 and are due to be completed by June 2029.",
        "review": "According to the budget papers, works on the levee begin in November 2026, with "
                  "completion by June 2029. The levee was first proposed in 2026.",
    })
    [conflict] = _of(corpus, "date_conflict")
    assert conflict.values == {"release": ["2026-09"], "review": ["2026-11"]}
    assert conflict.severity == "high"


def test_dates_that_a_third_document_gives_both_of_date_two_events(make_corpus):
    corpus = make_corpus({
        "transcript": "During a routine inspection on Thursday, February 27, our engineers found a crack. "
                      "Starting this Thursday, March 6, the bridge will be closed.",
        "ledger": "The crack was found during a routine inspection on Feb. 27 in a steel plate.",
        "wire": "Officials will close the bridge on March 6 after a routine inspection found a crack in a plate.",
    })
    assert _of(corpus, "date_conflict") == []


def test_years_conflict_when_the_words_around_them_agree(make_corpus):
    corpus = make_corpus({
        "statement": "Hostilities increased after the foolish nuclear deal was signed in 2013 with Iran.",
        "times": "He blamed his predecessor for striking a foolish nuclear agreement with Iran in 2015.",
        "wire": "The United States pulled out of the nuclear accord in 2018.",
    })
    [conflict] = _of(corpus, "date_conflict")
    assert conflict.values == {"statement": ["2013"], "times": ["2015"]}
    assert conflict.severity == "medium"


def test_a_date_that_is_the_primarys_own_date_is_given_by_it(make_corpus):
    corpus = make_corpus({
        "release": "The board approved the fare plan. The parking fee returns to the board at its Sept. 11 meeting.",
        "paper": "The board approved the fare plan at its May 1 meeting downtown.",
    })
    assert _of(corpus, "date_conflict") == []
