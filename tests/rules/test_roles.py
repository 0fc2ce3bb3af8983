"""Role conflicts: one person tied to different organizations or given two exclusive titles."""
from __future__ import annotations

from pathlib import Path

from claimalign import find_findings, load_corpus

DATA = Path(__file__).resolve().parents[1] / "data"


def _conflicts(corpus):
    return [(f.subject, f.values, f.detail["how"]) for f in find_findings(corpus) if f.type == "role_conflict"]


def test_another_university_and_a_misspelled_name():
    corpus = load_corpus(DATA / "sleep-study-release-2024")
    [f] = [f for f in find_findings(corpus) if f.type == "role_conflict"]
    assert f.subject == "Hannah Lindqvist" and f.severity == "medium"
    assert f.values["wellnest"] == ["neurologist, Northgate State University"]
    assert f.values["northgate-release"] == ["assistant professor of epidemiology, Northgate University School of Public Health"]
    assert [e.text for e in f.evidence if e.source == "wellnest"] == [
        "Dr. Hannah Lindquist, a neurologist at Northgate State University"]
    for e in f.evidence:
        assert corpus[e.source].raw[e.start:e.end] == e.text


def test_two_titles_of_one_rank(make_corpus):
    corpus = make_corpus({
        "release": "The study was led by Ana Ruiz, a professor at Villa Alta University, over twenty years.",
        "paper": "Ana Ruiz, a lecturer at Villa Alta University, led the study of the river.",
    })
    assert _conflicts(corpus) == [("Ana Ruiz", {"release": ["professor, Villa Alta University"],
                                                "paper": ["lecturer, Villa Alta University"]}, ["different title"])]


def test_the_same_body_in_other_words_is_no_conflict(make_corpus):
    corpus = make_corpus({
        "release": "Ana Ruiz, a professor of hydrology at the Villa Alta University School of Engineering, led it.",
        "paper": "Ana Ruiz, a professor at Villa Alta's School of Engineering, led the work.",
        "wire": "Regional Treasurer Ana Ruiz spoke. Deputy Mayor Tom Okafor and Mayor Dana Whitfield spoke too.",
        "blog": "Treasurer Ana Ruiz spoke after Mayor Tom Okafor and Mayor Dana Whitfield.",
    })
    assert _conflicts(corpus) == []


def test_a_second_post_the_document_names_is_no_conflict(make_corpus):
    corpus = make_corpus({
        "release": "Ana Ruiz, director of the Memory Program at Villa Alta Medical Center, treats patients at "
                   "Villa Alta Hospital.",
        "paper": "Ana Ruiz, a neurologist at Villa Alta Hospital, led the trial.",
    })
    assert _conflicts(corpus) == []


def test_many_alike_reports_are_judged_like_each_pair(make_corpus):
    corpus = make_corpus({
        "release": "The study was led by Ana Ruiz, a professor at Villa Alta University, over twenty years.",
        "wire-1": "Ana Ruiz, a lecturer at Villa Alta University, led the study of the river.",
        "copy-1": "The study was led by Ana Ruiz, a professor at Villa Alta University, for two decades.",
        "wire-2": "Ana Ruiz, a lecturer at Villa Alta University, led the study of the river.",
        "copy-2": "The study was led by Ana Ruiz, a professor at Villa Alta University, for twenty years.",
    })
    [(subject, values, how)] = _conflicts(corpus)
    assert subject == "Ana Ruiz" and how == ["different title"]
    assert values == {"release": ["professor, Villa Alta University"], "wire-1": ["lecturer, Villa Alta University"],
                      "copy-1": ["professor, Villa Alta University"], "wire-2": ["lecturer, Villa Alta University"],
                      "copy-2": ["professor, Villa Alta University"]}
