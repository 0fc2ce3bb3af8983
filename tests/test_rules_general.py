"""Finding rules on small texts written for each rule, and on two hand-made corpora with gold files.

The corpora in tests/data/river-spill-2025 and tests/data/port-strike-2024 (an NGO's release on a
mine spill, a union's strike statement, and the news reports on each) were written, with their
gold.yaml, by someone who had not read the library. They are scored as the seed corpus is.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimalign.corpus import load_corpus
from claimalign import find_findings
from claimalign.rules.entities import entity_kinds
from claimalign.extract import extract_claims
from test_corpus import entry, manifest, write_corpus as write_tiny_corpus

DATA = Path(__file__).resolve().parent / "data"
SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_findings.py"
GOLD_CORPORA = ["river-spill-2025", "port-strike-2024"]


def write_corpus(root: Path, texts: dict[str, str]) -> Path:
    """A corpus folder: the first text is the primary, the others reports, dated 2025-05-01, -02, …"""
    ids = list(texts)
    entries = [entry(i, f"{i}.txt", "primary" if n == 0 else "report", f"2025-05-0{n + 1}")
               for n, i in enumerate(ids)]
    return write_tiny_corpus(root, manifest(ids[0], *entries), {f"{i}.txt": t for i, t in texts.items()})


def _of(findings: list, kind: str) -> list:
    return [f for f in findings if f.type == kind]


def test_a_ballot_dated_two_ways_is_a_date_conflict(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path / "c", {
        "statement": "The decision follows a ballot held on 14 May, in which members backed strike action.",
        "paper": "Members backed strike action in a ballot on May 21, with most of those who voted in favour.",
    }))
    [conflict] = _of(find_findings(corpus), "date_conflict")
    assert conflict.values == {"statement": ["2025-05-14"], "paper": ["2025-05-21"]}
    assert [e.text for e in conflict.evidence] == [
        "The decision follows a ballot held on 14 May", "Members backed strike action in a ballot on May 21"]


def test_no_date_conflict_when_the_other_document_gives_that_date_elsewhere(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path / "c", {
        "release": "On March 6 the coalition asked the provincial court for an injunction against the mine. "
                   "The court will hear the injunction request on April 14.",
        "digest": "The provincial court will hear the coalition's injunction request against the mine on April 14.",
    }))
    assert _of(find_findings(corpus), "date_conflict") == []


def test_a_short_count_is_shown_in_its_clause(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path / "c", {
        "release": "As of this morning, 47 people, 19 of them children, have been taken to hospital.",
        "digest": "So far 74 people have been taken to hospital in the town, many of them children.",
    }))
    [conflict] = _of(find_findings(corpus), "count_conflict")
    assert [e.text for e in conflict.evidence] == [
        "As of this morning, 47 people, 19 of them children, have been taken to hospital.",
        "So far 74 people have been taken to hospital in the town"]
    for e in conflict.evidence:
        assert corpus[e.source].raw[e.start:e.end] == e.text


def test_people_are_typed_from_appositives_quotes_and_surnames(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path / "c", {
        "statement": "Nilda Quispe, president of the peasant community, spoke first.\n\n"
                     "The talks were led by Pieter van Houten. Mr van Houten said the offer was too low.\n\n"
                     "\"We will not move,\" said Tomas Arrieta.",
        "paper": "Matthias Brandt, the company's chief executive, said the offer stands.",
    }))
    kinds = entity_kinds(extract_claims(corpus))
    for name in ("nilda quispe", "pieter van houten", "tomas arrieta", "matthias brandt"):
        assert kinds.get(name) == "person", name


def test_mentions_skip_headings_and_strip_titles_and_home_towns(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path / "c", {
        "release": "PRESS RELEASE\n\nFOR IMMEDIATE RELEASE\n\n"
                   "Environment Minister Ana Lucia Ruiz met Efrain Soto of Villa Alta and the Ministry of "
                   "Fisheries and Oceans on Monday.",
    }))
    names = [(c.value, c.detail["type"]) for c in extract_claims(corpus) if c.kind == "mention"]
    assert names == [("Ana Lucia Ruiz", "person"), ("Efrain Soto", "person"),
                     ("Ministry of Fisheries and Oceans", "org")]


def test_omission_names_a_person_once_under_the_full_name(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path / "c", {
        "statement": "The negotiating team is led by Pieter van Houten. Mr van Houten said the company "
                     "walked away from the table.",
        "paper": "The union said the company walked away from the table on Friday night.",
    }))
    omissions = _of(find_findings(corpus), "omission")
    assert [(f.subject, f.values) for f in omissions] == [
        ("Pieter van Houten", {"statement": "named", "paper": "omitted"})]


def test_one_analyst_is_not_a_figure_to_source(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path / "c", {
        "statement": "The strike began on Monday at the port.",
        "paper": "One transport analyst said each day of the strike would cost 9 million euros in lost trade.",
    }))
    subjects = [f.subject for f in _of(find_findings(corpus), "single_source")]
    assert not any("analyst" in s for s in subjects)
    assert any("9 million euros" in s for s in subjects)


@pytest.mark.parametrize("name", GOLD_CORPORA)
def test_hand_made_corpus_scores_full_recall_with_no_agreement_violated(name, tmp_path):
    if not SCORER.is_file():
        pytest.skip(f"the gold scorer is not beside the project ({SCORER})")
    corpus = load_corpus(DATA / name)
    out = tmp_path / "findings.json"
    out.write_text(json.dumps([f.to_dict() for f in find_findings(corpus)]), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCORER), str(out), str(DATA / name / "gold.yaml"), "--json"],
                          capture_output=True, text=True, check=True)
    score, _ = json.JSONDecoder().raw_decode(proc.stdout)
    missed = [r["id"] for r in score["rows"] if not r["ok"]]
    assert score["recall"][0] == score["recall"][1] and score["violated"][0] == 0, missed
