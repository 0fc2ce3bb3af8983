"""Meaning shifts between a report sentence and its source sentence, and the rule on aligned pairs."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimalign import find_findings, load_corpus
from claimalign.cues import load_cues
from claimalign.errors import CorpusError
from claimalign.rules.shifts import compare

DATA = Path(__file__).resolve().parents[1] / "data"
NEW = ("contradiction", "overstatement", "understatement", "vaguer_claim")


def _shifts(report: str, source: str) -> list[tuple[str, str, str, str]]:
    return [(s.type, s.how, s.report_cue, s.source_cue) for s in compare(report, source, load_cues())]


@pytest.mark.parametrize("report, source, expected", [
    ("The regional government has rejected the proposed detention basin.",
     "The Regional Council has deferred a decision on the proposed detention basin.",
     [("contradiction", "opposite", "rejected", "deferred")]),
    ("Annual flood-mitigation spending falls to $31.4 million, down from $52.6 million this year.",
     "Annual spending on flood mitigation will rise from $31.4 million to $52.6 million.",
     [("contradiction", "opposite", "falls", "rise")]),
    ("The council did not approve the plan.", "The council approved the plan on Tuesday.",
     [("contradiction", "negation", "not approve", "approved")]),
    ("A regular sleep schedule protects heart health.", "A regular sleep schedule may help protect heart health.",
     [("overstatement", "hedge dropped", "protects", "may help protect")]),
    ("The drug will slow the disease.", "The drug may slow the disease.",
     [("overstatement", "may to will", "will slow", "may slow")]),
    ("Keeping a regular bedtime prevents high blood pressure.",
     "Irregular bedtimes were linked to a higher risk of high blood pressure.",
     [("overstatement", "association stated as cause", "prevents", "linked to")]),
    ("The drug may slow the disease.", "The drug slows the disease.",
     [("understatement", "hedge added", "may slow", "slows")]),
    ("Researchers followed thousands of adults for months.", "The 7,412 adults were followed for 18 months.",
     [("vaguer_claim", "amount", "thousands of adults", "7,412 adults"),
      ("vaguer_claim", "duration", "for months", "18 months")]),
    ("The work was carried out with funding from a heart charity.",
     "The work was supported by a $2.4 million grant from the Ashworth Heart Foundation.",
     [("vaguer_claim", "money", "funding", "$2.4 million grant"),
      ("vaguer_claim", "name", "a heart charity", "Ashworth Heart Foundation")]),
    ("The findings were published recently in a medical journal.",
     "The findings were published Oct. 14, 2024, in the Journal of Sleep and Cardiovascular Health.",
     [("vaguer_claim", "date", "recently", "Oct. 14, 2024"),
      ("vaguer_claim", "name", "a medical journal", "Journal of Sleep and Cardiovascular Health")]),
])
def test_shifts_of_meaning(report, source, expected):
    assert _shifts(report, source) == expected


@pytest.mark.parametrize("report, source", [
    ("The council approved the plan.", "The council approved the plan on Tuesday."),
    ("Patients showed no change in the protein.", "Patients showed little or no change in the protein."),
    ("There were no reports of casualties.", "We suffered no casualties."),
    ("Trucks were barred from the bridge on Friday.", "This is not a bridge we let trucks on."),
    ("Trump spoke of sanctions, but it was not immediately clear what those would be.",
     "The United States will immediately impose additional sanctions."),
    ("The study found weight loss in the group.",
     "Patients taking it experienced weight loss while those on placebo gained weight."),
    ("The study may show a link.", "The study may show a link."),
    ("Officials said the rate was cut for a year.", "The rate was cut over 12 months."),
    ("She has been detained abroad for years.", "Her whereabouts have been unknown for eight years."),
    ("People with it often do not know it.", "People are living with it without knowing."),
    ("Officials have asked the union not to handle the cargo.", "The union was told not to handle cargo."),
])
def test_same_meaning_in_other_words_is_no_shift(report, source):
    assert _shifts(report, source) == []


def test_the_rule_fires_on_aligned_paraphrases_only():
    found = [f for f in find_findings(load_corpus(DATA / "flood-budget-2026")) if f.type in NEW]
    assert [(f.type, f.severity, f.values) for f in found] == [
        ("contradiction", "high", {"treasurer-release": ["rise"], "basin-business-review": ["falls"]})]
    [f] = found
    assert f.evidence[1].text.startswith("Annual flood-mitigation spending falls to $31.4 million")
    assert f.detail["cues"][0]["report"]["text"] == "falls"


def test_vaguer_figures_on_a_real_rewrite():
    found = sorted((f.values["eco-digest-rewrite"][0], f.values["rios-vivos-release"][0])
                   for f in find_findings(load_corpus(DATA / "river-spill-2025")) if f.type == "vaguer_claim")
    assert found == [("Thousands of dead fish", "6,000 dead fish"), ("many of them children", "19 of them children"),
                     ("millions of litres", "2.5 million litres")]


def test_quoted_and_attributed_sentences_are_left_to_the_quote_rules(make_corpus):
    corpus = make_corpus({
        "release": "The council approved the new bus depot on the east side of the river on Tuesday night.",
        "paper": "\"The council rejected the new bus depot on the east side of the river on Tuesday night,\" "
                 "a resident said.\n\nThe council rejected the new bus depot on the east side of the river "
                 "on Tuesday night.",
    })
    found = [f for f in find_findings(corpus) if f.type in NEW]
    assert [(f.type, f.evidence[1].text) for f in found] == [
        ("contradiction", "The council rejected the new bus depot on the east side of the river on Tuesday night.")]
    for f in found:
        for e in f.evidence:
            assert corpus[e.source].raw[e.start:e.end] == e.text


def test_indirect_speech_of_the_primarys_speaker_is_compared_and_of_others_is_not(make_corpus):
    corpus = make_corpus({
        "statement": "MINISTER DHALIWAL: Good afternoon.\n\nINCIDENT COMMANDER MACKENZIE: A front arrives "
                     "Wednesday. Under those conditions, the fire may reach the outskirts of Harlow Creek by "
                     "Thursday.\n\nQ: Will you evacuate?\n\nMINISTER DHALIWAL: We will decide tonight.",
        "paper": "Incident commander Ross MacKenzie warned the fire will reach the outskirts of Harlow Creek by "
                 "Thursday.",
        "radio": "A local rancher, Tom Ellis, warned the fire will reach the outskirts of Harlow Creek by Thursday.",
    })
    found = [(f.type, f.sources) for f in find_findings(corpus) if f.type in NEW]
    assert found == [("overstatement", ["statement", "paper"])]


def test_a_corpus_adds_its_own_cues(make_corpus):
    corpus = make_corpus({"release": "The board endorsed the merger of the two hospitals at its meeting.",
                          "paper": "The board vetoed the merger of the two hospitals at its meeting."})
    assert [f.type for f in find_findings(corpus) if f.type in NEW] == []
    (corpus.root / "cues.yaml").write_text("opposites:\n  - [[endorsed], [vetoed]]\n", encoding="utf-8")
    assert [f.type for f in find_findings(load_corpus(corpus.root)) if f.type in NEW] == ["contradiction"]


def test_a_broken_cue_file_names_itself(tmp_path):
    (tmp_path / "cues.yaml").write_text("hedges: may\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"cues.yaml: `hedges` must be a list of words"):
        load_cues(tmp_path)
    (tmp_path / "cues.yaml").write_text("hedgez: [may]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"cues.yaml: unknown cue list `hedgez`"):
        load_cues(tmp_path)
