"""Sentences and paragraphs of a normalised view, with offsets that index it exactly."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from claimalign.corpus import load_corpus
from claimalign.normalize import NormText, normalize
from claimalign.segment import Segment, iter_sentences, paragraphs, sentences

SEED = Path(__file__).resolve().parents[1] / "data" / "corpus" / "carney-china-visit-2026"


def texts(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments]


def check_offsets(nt: NormText, segments: list[Segment]) -> None:
    prev_end = 0
    for n, seg in enumerate(segments):
        assert seg.index == n
        assert 0 <= prev_end <= seg.start < seg.end <= len(nt.text)
        assert seg.text == nt.text[seg.start:seg.end]
        assert seg.text == seg.text.strip()
        prev_end = seg.end


def test_abbreviations_do_not_split() -> None:
    nt = normalize("Kwan said in a Jan. 12 statement that it matters. Then he left.")
    assert texts(sentences(nt)) == ["Kwan said in a Jan. 12 statement that it matters.", "Then he left."]
    nt = normalize("Officials should have access to Mr. Celil, whose fate is unknown. "
                   "We ask about Dr. Wang Bingzhang. Torture continues.")
    assert texts(sentences(nt)) == ["Officials should have access to Mr. Celil, whose fate is unknown.",
                                    "We ask about Dr. Wang Bingzhang.", "Torture continues."]


def test_initials_do_not_split() -> None:
    nt = normalize("The U.S. Senate met. It voted.")
    assert texts(sentences(nt)) == ["The U.S. Senate met.", "It voted."]


def test_terminal_punctuation_and_closing_quotes() -> None:
    nt = normalize('He said \u201cGo now.\u201d Then he left! Did he? Yes.')
    assert texts(sentences(nt)) == ['He said "Go now."', "Then he left!", "Did he?", "Yes."]


def test_no_split_before_lower_case_or_inside_numbers() -> None:
    nt = normalize("Version 2.0 is out. it continues here. 78 percent agreed.")
    assert texts(sentences(nt)) == ["Version 2.0 is out. it continues here.", "78 percent agreed."]


def test_line_breaks_split() -> None:
    nt = normalize("Cheuk Kwan\nCo-Chair, Toronto Association for Democracy in China\nOttawa")
    assert "\n" in nt.text
    assert texts(sentences(nt)) == ["Cheuk Kwan", "Co-Chair, Toronto Association for Democracy in China",
                                    "Ottawa"]


def test_paragraphs_split_on_blank_lines() -> None:
    nt = normalize("Dear Prime Minister,\n\nWe write this letter. It matters.\nSincerely,\n\n\n\nCheuk Kwan")
    paras = paragraphs(nt)
    assert texts(paras) == ["Dear Prime Minister,", "We write this letter. It matters.\nSincerely,",
                            "Cheuk Kwan"]
    check_offsets(nt, paras)
    assert texts(sentences(nt)) == ["Dear Prime Minister,", "We write this letter.", "It matters.",
                                    "Sincerely,", "Cheuk Kwan"]


def test_empty_text_has_no_segments() -> None:
    nt = normalize(" \n\n ")
    assert sentences(nt) == [] and paragraphs(nt) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Mr. ", "Jan. 12", ". ", "? ", "! ", "\n", "\n\n", " A",
                                            "word", "\u201d", '"', "\u00b9", "*"]),
                          st.text(max_size=5)), max_size=30).map("".join))
def test_offsets_index_the_normalised_text(raw: str) -> None:
    nt = normalize(raw)
    for view in nt.views():
        one_by_one = list(iter_sentences(view))
        assert "_sentences" not in view.__dict__  # read once, not kept
        assert one_by_one == sentences(view)
        check_offsets(view, sentences(view))
        check_offsets(view, paragraphs(view))


def test_seed_corpus_segments_index_their_views() -> None:
    corpus = load_corpus(SEED)
    for doc in corpus:
        for view in doc.norm.views():
            sents, paras = sentences(view), paragraphs(view)
            assert sents and paras
            check_offsets(view, sents)
            check_offsets(view, paras)
    letter = texts(sentences(corpus["coalition-letter"].norm))
    assert ("Canadian officials should be granted immediate and unhindered consular access to Mr. "
            "Celil, whose fate and whereabouts have been unknown for eight years.") in letter
    assert ("We ask you to raise the case of pro-democracy activist Dr. Wang Bingzhang, who has many "
            "immediate family members who are Canadian citizens.") in [s.lstrip("- ") for s in letter]
    report = texts(sentences(corpus["unattributed-report"].norm))
    assert ("\"It's time to put human rights at the forefront of that relationship.") in report
