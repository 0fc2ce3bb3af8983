"""Referent shifts: one sum attached to different things in the primary and a report."""
from __future__ import annotations

from pathlib import Path

from claimalign import find_findings, load_corpus

DATA = Path(__file__).resolve().parents[1] / "data"


def _shifts(corpus):
    return [(f.subject, f.values) for f in find_findings(corpus) if f.type == "referent_shift"]


def test_the_same_sum_for_something_else(make_corpus):
    corpus = make_corpus({
        "release": "The city will spend $2 million for school repairs next year, the mayor announced on Monday.",
        "paper": "The mayor said the city will put $2 million toward road resurfacing in the new budget.",
    })
    [f] = [f for f in find_findings(corpus) if f.type == "referent_shift"]
    assert f.values == {"release": ["$2 million for school repairs"], "paper": ["$2 million toward road resurfacing"]}
    assert f.severity == "medium"
    for e in f.evidence:
        assert corpus[e.source].raw[e.start:e.end] == e.text


def test_the_same_purpose_in_other_words_is_no_shift(make_corpus):
    corpus = make_corpus({
        "release": "The city will spend $2 million for school repairs next year, including new roofs.",
        "paper": "The city will put $2 million toward new roofs at its schools.",
        "wire": "A further $2 million for repairs to schools was announced.",
    })
    assert _shifts(corpus) == []


def test_a_real_budget_with_many_sums_gives_none():
    assert _shifts(load_corpus(DATA / "flood-budget-2026")) == []


def test_a_recipient_before_the_purpose_and_a_telling_without_one(make_corpus):
    corpus = make_corpus({
        "statement": "The province is providing $3 million to the regional district for emergency shelters.\n\n"
                     "Q: Is $3 million enough?",
        "wire": "The province has committed $3 million toward the firefighting effort.",
        "blog": "The province is putting $3 million toward emergency shelters.",
    })
    assert _shifts(corpus) == [("$3 million", {"statement": ["$3 million for emergency shelters"],
                                                "wire": ["$3 million toward the firefighting effort"]})]
