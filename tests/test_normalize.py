"""The normalised view: typography folds away, and every character still points at its raw text."""
from __future__ import annotations

import bisect
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimalign.corpus import load_corpus
from claimalign.normalize import NormText, normalize

SEED = Path(__file__).resolve().parents[1] / "data" / "corpus" / "carney-china-visit-2026"

# Pieces that exercise every rule: markdown, quotes, dashes, footnote marks, breaks, boilerplate.
TOKENS = ["*", "**", "_", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\f", "\u00a0", "\u201c", "\u201d",
          "\u2018", "\u2019", "\u2014", "\u2013", "\u00b9", "\u00b2", "\u2020", "\u00ad", "\u200b",
          "\ufb01", "\U0001d411", "\U0001d41e", "\u2460", "e\u0301", ".", ",", "-", "a", "Z", "7",
          "word", "The", "\nSubscribe now\n", "ad hoc", "\n\n\u00b9 A note\n\n", "Jan. 12"]
RAW = st.lists(st.one_of(st.sampled_from(TOKENS), st.characters(), st.text(max_size=4)),
               max_size=40).map("".join)


def check_view(raw: str, view: NormText) -> None:
    n = len(view.text)
    assert len(view.starts) == n and len(view.ends) == n
    starts = [view.starts[i] for i in range(n)]
    assert list(view.starts) == starts
    for pos in range(len(raw) + 2):
        assert view.starts.position(pos) == bisect.bisect_left(starts, pos), pos
        assert view.starts.position(pos, lo=n // 2) == bisect.bisect_left(starts, pos, lo=n // 2), pos
    for i in range(n):
        assert 0 <= view.starts[i] < view.ends[i] <= len(raw), (i, view.text[i])
        if i:
            assert view.starts[i - 1] <= view.starts[i]
            assert view.ends[i - 1] <= view.ends[i]
        ch = view.text[i]
        if ch.isascii() and ch.isalnum():
            piece = raw[view.starts[i]:view.ends[i]]
            # Copied unchanged, or folded from one character (𝐑 -> R, ¹ -> 1, ﬁ -> f, i).
            assert piece == ch or (len(piece) == 1 and ch in unicodedata.normalize("NFKC", piece)), (
                ch, piece)


@settings(max_examples=200, deadline=None)
@given(RAW)
def test_every_view_maps_back_to_raw(raw: str) -> None:
    nt = normalize(raw)
    for view in nt.views():
        check_view(raw, view)


@settings(max_examples=200, deadline=None)
@given(RAW, st.data())
def test_raw_span_stays_within_bounds(raw: str, data) -> None:
    nt = normalize(raw)
    for view in nt.views():
        n = len(view.text)
        a = data.draw(st.integers(0, n))
        b = data.draw(st.integers(a, n))
        rs, re_ = view.raw_span(a, b)
        assert 0 <= rs <= re_ <= len(raw)
        if a < b:
            assert (rs, re_) == (view.starts[a], view.ends[b - 1])
            for i in range(a, b):
                assert rs <= view.starts[i] and view.ends[i] <= re_
            if b - a == 1 and view.text[a].isascii() and view.text[a].isalnum() \
                    and raw[view.starts[a]] == view.text[a]:
                assert raw[rs:re_] == view.text[a]


@settings(max_examples=200, deadline=None)
@given(RAW)
def test_no_ascii_letter_or_digit_is_lost_or_doubled(raw: str) -> None:
    nt = normalize(raw)
    seen: dict[int, int] = {}
    for view in nt.views():
        for i, ch in enumerate(view.text):
            if view.ends[i] - view.starts[i] == 1 and raw[view.starts[i]] == ch:
                seen[view.starts[i]] = seen.get(view.starts[i], 0) + 1
    wanted = {j for j, ch in enumerate(raw) if ch.isascii() and ch.isalnum()}
    assert {j for j in wanted if seen.get(j) != 1} == set()


# Example tests with hand-written expectations.

def test_curly_quotes_and_dashes_fold() -> None:
    assert normalize("\u201cx\u201d").text == '"x"'
    assert normalize("it\u2019s \u2018so\u2019").text == "it's 'so'"
    assert normalize("January 13\u201317").text == "January 13-17"
    assert normalize("rights\u2014especially").text == "rights - especially"


def test_markdown_emphasis_loses_its_stars() -> None:
    nt = normalize("publisher **Jimmy Lai**, whose family; appeared *ad hoc* and uncoordinated")
    assert nt.text == "publisher Jimmy Lai, whose family; appeared ad hoc and uncoordinated"
    assert normalize("snake_case stays, _emphasis_ goes").text == "snake_case stays, emphasis goes"


def test_nfkc_folds_mathematical_bold() -> None:
    raw = "\U0001d411\U0001d41e\U0001d429\U0001d428\U0001d42b\U0001d42d"
    nt = normalize(raw)
    assert nt.text == "Report"
    assert nt.raw_span(0, 6) == (0, len(raw))
    assert raw[slice(*nt.raw_span(1, 2))] == "\U0001d41e"


def test_footnote_marker_after_a_word_disappears_and_the_block_goes_to_notes() -> None:
    raw = ("We write as members of the Coalition\u00b9, a coalition of 10 groups.\n\n"
           "\u00b9 This letter has been endorsed by the following members.")
    nt = normalize(raw)
    assert nt.text == "We write as members of the Coalition, a coalition of 10 groups."
    assert [n.text for n in nt.notes] == ["This letter has been endorsed by the following members."]
    note = nt.notes[0]
    assert raw[slice(*note.raw_span(0, 4))] == "This"
    assert nt.views() == [nt, note]


def test_sentence_broken_by_blank_line_and_footnote_reads_on() -> None:
    raw = ("It is our hope that advancing stronger\n\n"
           "\u00b9 This letter has been endorsed by the following members.\n\n"
           "human rights protection will be central to that relationship.")
    nt = normalize(raw)
    assert nt.text == ("It is our hope that advancing stronger human rights protection "
                       "will be central to that relationship.")
    i = nt.text.index("stronger human")
    assert raw[slice(*nt.raw_span(i, i + len("stronger human")))].startswith("stronger\n\n\u00b9 This")
    j = nt.text.index("human")
    assert raw[slice(*nt.raw_span(j, j + 5))] == "human"
    assert [n.text for n in nt.notes] == ["This letter has been endorsed by the following members."]


def test_repeated_whitespace_collapses() -> None:
    assert normalize("  a   b\t\t c \u00a0 d  ").text == "a b c d"
    assert normalize("one\n\n\n\nTwo").text == "one\n\nTwo"


def test_page_break_inside_a_sentence_reads_on() -> None:
    assert normalize("the Canadian Coalition on Human\n\f\nrights in China.").text == \
        "the Canadian Coalition on Human rights in China."


def test_boilerplate_line_is_marked() -> None:
    raw = "Carney visits China.\n\nSubscribe now to keep reading\n\nRights groups urge action."
    nt = normalize(raw)
    assert nt.text == raw
    sub = nt.text.index("Subscribe")
    assert nt.is_boilerplate(sub)
    assert nt.is_boilerplate(sub + len("Subscribe now to keep reading") - 1)
    assert not nt.is_boilerplate(nt.text.index("Carney"))
    assert not nt.is_boilerplate(nt.text.index("Rights groups"))


@pytest.fixture(scope="module")
def seed():
    return load_corpus(SEED)


def test_seed_corpus_views_map_back(seed) -> None:
    for doc in seed:
        for view in doc.norm.views():
            check_view(doc.raw, view)


def test_seed_letter_ad_hoc_maps_to_its_raw_markdown(seed) -> None:
    letter = seed["coalition-letter"]
    body = letter.norm
    phrase = "ad hoc and uncoordinated"
    assert body.text.count(phrase) == 1
    i = body.text.index(phrase)
    assert letter.raw[slice(*body.raw_span(i, i + len(phrase)))] == "ad hoc* and uncoordinated"
    assert "*" not in body.text
    assert "advancing stronger human rights protection will be central" in body.text
    assert [n.text[:45] for n in body.notes] == ["This letter has been endorsed by the followin"]


def test_seed_report_ad_hoc_maps_to_raw(seed) -> None:
    report = seed["unattributed-report"]
    i = report.norm.text.index("ad hoc and uncoordinated")
    rs, re_ = report.norm.raw_span(i, i + len("ad hoc and uncoordinated,"))
    assert report.raw[rs - 1:re_ + 1] == "\u201cad hoc and uncoordinated,\u201d"


def test_seed_bold_unicode_folds(seed) -> None:
    assert "The pivotal Report Reveals how Google's lack" in seed["jfa-saveuyghur"].norm.text


def test_seed_web_furniture_is_boilerplate(seed) -> None:
    nt = seed["uyghur-times"].norm
    marked = [nt.text[a:b] for a, b in nt.boilerplate]
    assert "Subscribe now to keep reading and get access to the full archive." in marked
    assert "3 min read" in marked
    assert not nt.is_boilerplate(nt.text.index("Human rights groups in Canada"))


def test_headline_without_full_stop_stays_apart_from_the_first_paragraph() -> None:
    raw = ("Rights groups urge the prime minister to raise human rights on his visit\n\n"
           "Human rights groups in the country are urging the prime minister to act now.")
    assert normalize(raw).text == raw


def test_page_turn_between_prose_lines_reads_on_even_before_a_capital() -> None:
    raw = ("our organizations have documented widespread violations of the rights of the\n\f\n"
           "Uyghur people and of many other communities across the whole country.")
    assert normalize(raw).text == raw.replace("\n\f\n", " ")


def test_raw_ends_are_recorded_only_where_a_character_is_not_copied_one_for_one() -> None:
    view = normalize("A  b\u2014c")
    assert view.text == "A b - c"
    assert list(view.starts) == [0, 1, 3, 4, 4, 4, 5]
    assert list(view.ends) == [1, 3, 4, 5, 5, 5, 6]
    assert list(view.ends.keys) == [1]  # the collapsed double space; the rest is start + 1
    assert view.ends[-1] == 6 and view.raw_span(1, 3) == (1, 4)
    with pytest.raises(IndexError):
        view.ends[7]


def test_raw_offsets_are_held_in_runs_not_one_per_character() -> None:
    """Copied text keeps one (index, offset) pair per run: the seed's views hold one per 40 characters or fewer."""
    for doc in load_corpus(SEED).documents:
        starts = doc.norm.starts
        assert len(starts) == len(doc.norm.text) and len(starts.keys) * 40 <= len(starts), doc.id
        assert starts[len(starts) - 1] == starts[-1] and list(starts)[-1] == starts[-1]
