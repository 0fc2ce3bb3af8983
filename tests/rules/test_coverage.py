"""Omissions: names and announced items, and the prominence that sets their severity."""
from __future__ import annotations

from claimalign import find_findings


def _omitted(corpus):
    return {f.subject: (f.severity, {d for d, v in f.values.items() if v == "omitted"})
            for f in find_findings(corpus) if f.type == "omission"}


def test_announced_items_are_tracked_like_names(make_corpus):
    corpus = make_corpus({
        "union": "The union calls on the company to meet three demands:\n\n"
                 "- a 9% pay rise backdated to April\n"
                 "- guaranteed weekly hours for casual dockers\n"
                 "- no compulsory redundancies at the automated terminal\n",
        "paper": "The union wants a pay rise backdated to April and guaranteed weekly hours for casual staff.",
    })
    found = _omitted(corpus)
    assert found == {"no compulsory redundancies at the automated terminal": ("medium", {"paper"})}


def test_a_name_listed_once_is_low_and_a_repeated_one_medium(make_corpus):
    corpus = make_corpus({
        "release": "Professor Ana Ruiz led the study. Ruiz said the results were clear. The letter was also "
                   "signed by Efrain Soto.",
        "paper": "A study found clear results, researchers said.",
    })
    assert _omitted(corpus) == {"Ana Ruiz": ("medium", {"paper"}), "Efrain Soto": ("low", {"paper"})}


def test_short_forms_and_near_spellings_count_as_mentions(make_corpus):
    corpus = make_corpus({
        "statement": "The United States Senate met with General Qasem Soleimani's envoys and Mayor Patricia Ng.",
        "times": "The Senate met the envoys of Suleimani. Cr Ng was there.",
    })
    assert _omitted(corpus) == {}


def test_a_releases_about_section_is_not_content(make_corpus):
    corpus = make_corpus({
        "release": "Researchers at the Riverton Medical Institute found a link between sleep and blood "
                   "pressure, the team said in the Riverton Medical Institute journal.\n\n"
                   "About Riverton University\n\nRiverton University Medical Center runs the Riverton School "
                   "of Nursing.",
        "paper": "Researchers at the Riverton Medical Institute found a link between sleep and blood pressure.",
    })
    assert _omitted(corpus) == {}


def test_a_name_with_the_same_first_name_and_a_surname_a_letter_off_is_a_mention(make_corpus):
    corpus = make_corpus({
        "release": "The new routes were drawn by planner Priya Raman over two years.",
        "paper": "Priya Ramen, who directs planning, drew the routes.",
        "radio": "The routes were drawn by Maya Ramen, the station said.",
    })
    assert _omitted(corpus) == {"Priya Raman": ("low", {"radio"})}


def test_a_place_is_not_an_omitted_person_or_body(make_corpus):
    corpus = make_corpus({
        "release": "Buses serve Fenwick Falls and Anselm County, said planner Teresa Holm.",
        "paper": "Buses serve the county, planners said.",
    })
    assert _omitted(corpus) == {"Teresa Holm": ("low", {"paper"})}


def test_the_words_of_a_headline_are_not_a_body_to_mention(make_corpus):
    headline = "Cold River Transit Authority Board Approves Fare Update"
    corpus = make_corpus({
        "release": f"{headline}\n\nThe Cold River Transit Authority board voted 9-2, said chair Teresa Holm.",
        "paper": "The Cold River Transit Authority raised fares on Thursday.",
    }, titles={"release": headline})
    assert _omitted(corpus) == {"Teresa Holm": ("low", {"paper"})}


def test_the_tail_of_a_ministrys_name_in_a_list_of_people_is_no_person(make_corpus):
    corpus = make_corpus({
        "statement": "Speakers: Priya Dhaliwal, Minister of Emergency Management and Climate Readiness; "
                     "Ross MacKenzie, Incident Commander.\n\nThe fire is 15 per cent contained.",
        "wire": "Priya Dhaliwal said the fire is 15 per cent contained.",
    })
    assert _omitted(corpus) == {"Ross MacKenzie": ("low", {"wire"})}
