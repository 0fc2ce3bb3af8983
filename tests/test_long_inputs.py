"""Long inputs: the size limit, and the indexes that keep long texts linear agree with the plain scans."""
from __future__ import annotations

import contextlib
import io
import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimalign.cli import main
from claimalign.extract import counts, dates
from claimalign.extract.claim import words_after, words_before
from claimalign.normalize import normalize
from claimalign.quotealign import PAIR_WORDS, overlap_groups
from claimalign.rules.context import _fold_words
from claimalign.values import SpanIndex

SEED = Path(__file__).resolve().parents[1] / "data" / "corpus" / "carney-china-visit-2026"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def test_a_document_over_the_size_limit_stops_findings_with_one_line(tmp_path):
    corpus = tmp_path / "seed"
    shutil.copytree(SEED, corpus)
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    status, out, err = _run(["findings", str(corpus), "--set", "corpus.max_document_mb=0.005"])
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert str(corpus / "coalition-letter.txt") in lines[0]
    assert "over the limit of 0.005 MB per document" in lines[0]
    assert "--set corpus.max_document_mb=" in lines[0]
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before
    status, out, _ = _run(["findings", str(corpus), "--set", "corpus.max_document_mb=1", "--format", "json"])
    assert status == 0 and out.startswith("[\n  {")


def test_the_size_limit_reads_from_claimalign_yaml(tmp_path):
    corpus = tmp_path / "seed"
    shutil.copytree(SEED, corpus)
    (corpus / "claimalign.yaml").write_text("settings:\n  corpus.max_document_mb: 0.001\n", encoding="utf-8")
    status, _, err = _run(["findings", str(corpus)])
    assert status == 2 and "0.001 MB" in err


@pytest.mark.parametrize("command", ["claims", "align"])
def test_claims_and_align_keep_the_size_limit_too(tmp_path, command):
    corpus = tmp_path / "seed"
    shutil.copytree(SEED, corpus)
    (corpus / "claimalign.yaml").write_text("settings:\n  corpus.max_document_mb: 0.001\n", encoding="utf-8")
    status, out, err = _run([command, str(corpus)])
    assert status == 2 and out == ""
    assert str(corpus / "coalition-letter.txt") in err and "over the limit of 0.001 MB" in err


spans = st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 600)).map(lambda t: (t[0], t[0] + t[1])),
                 max_size=40)


@given(spans, st.integers(0, 2700), st.integers(0, 600))
def test_span_index_answers_like_a_scan_of_every_span(items, start, length):
    index = SpanIndex(items)
    end = start + length
    assert index.overlaps(start, end) == any(a < end and start < b for a, b in items)
    assert index.covers(start, end) == any(a <= start and end <= b for a, b in items)


@given(st.text(alphabet="ab \n\t", max_size=300), st.data())
def test_words_around_read_like_a_split_of_the_whole_stretch(text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    n = data.draw(st.integers(1, 9))
    assert words_before(text, lo, hi, n) == text[lo:hi].split()[-n:]
    assert words_after(text, lo, hi, n) == text[lo:hi].split()[:n]


LED = [p for p in [*(p for _, p in dates.DATE_PATTERNS), counts.VAGUE] if p.pattern.startswith("(?=[")]
PIECES = ("Tuesday,", "Tuesday", "March", "Sept.", "May", "3", "3rd", "21", "2024", "1990", "99", "to", "and", "-",
          "through", "from", "between", "of", "noon", "midnight", "Eleven", "eleven", "o'clock", "7:30", "p.m.", "AM",
          "$5", "US$", "\u20ac", "\u00a3", "12,000", "4.5", "a", "dozen", "hundreds", "Tens", "thousands", "million",
          "percent", "%", "1/2", "2024-03-05", "5/3/24", "word", "(", ")", ",", ".", "\n")


def _plain(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern without the look-ahead that `led` puts before it."""
    source = re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern.pattern)
    return re.compile(source, pattern.flags)


@given(st.lists(st.sampled_from(PIECES), max_size=30), st.lists(st.sampled_from([" ", "", "  ", "\t"]), max_size=30))
def test_patterns_led_by_their_first_characters_match_like_the_plain_patterns(pieces, gaps):
    text = "".join(p + (gaps[i] if i < len(gaps) else " ") for i, p in enumerate(pieces))
    assert len(LED) == 12
    for pattern in LED:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in _plain(pattern).finditer(text)]


def test_a_led_pattern_still_finds_a_match_that_begins_with_a_weekday_or_a_word():
    found = {name: [m.group() for m in p.finditer("On Tuesday, March 3 to Thursday, March 5, 2024 at Eleven o'clock, "
                                                 "from 1990 to 2000, US$12,000 and hundreds of families")]
             for name, p in dates.DATE_PATTERNS}
    assert found["md_md_y"] == ["Tuesday, March 3 to Thursday, March 5, 2024"]
    assert found["time"] == ["Eleven o'clock"]
    assert found["y_y"] == ["from 1990 to 2000"]
    assert [m.group("cur") for m in counts.NUMBER.finditer("US$12,000 and \u20ac4")] == ["US$", "\u20ac"]
    assert [m.group() for m in counts.VAGUE.finditer("Hundreds of families")] == ["Hundreds"]


def test_line_breaks_are_found_like_find_and_rfind():
    nt = normalize("First line of the text\n\nSecond paragraph here.\nThird line\n")
    text = nt.text
    for pos in range(len(text) + 2):
        assert nt.newline_before(pos) == text.rfind("\n", 0, pos)
        assert nt.newline_after(pos) == text.find("\n", pos)


@given(st.text(alphabet="ab \n.,-_\u00e91", max_size=200), st.integers(1, 9))
def test_words_folded_a_chunk_at_a_time_read_like_one_substitution(text, chunk):
    assert _fold_words(text, chunk) == re.sub(r"\W+", " ", text)


def test_folding_keeps_a_run_of_punctuation_whole_across_a_chunk_edge():
    assert _fold_words("Mr. Ruiz -- said: 12,000!", 4) == "Mr Ruiz said 12 000 "


def _groups_by_scan(items, min_shared):
    """overlap_groups's rule read plainly: each item joins the group whose first item shares the most
    words with it (the earliest on a tie) when it shares at least min_shared (and one), else founds one."""
    groups = []
    for i, (key, words) in enumerate(items):
        shared = [(len(words & items[g[0]][1]), -n) for n, g in enumerate(groups) if items[g[0]][0] == key]
        best = max(((k, n) for k, n in shared if k >= max(min_shared, 1)), default=None)
        if best is None:
            groups.append([i])
        else:
            groups[-best[1]].append(i)
    return groups


WORDS = [f"w{i}" for i in range(PAIR_WORDS + 20)]


@given(st.lists(st.tuples(st.sampled_from("kj"), st.one_of(st.sets(st.sampled_from(WORDS[:12]), max_size=4),
                                                            st.sets(st.sampled_from(WORDS), min_size=PAIR_WORDS - 2))),
                max_size=120),
       st.integers(0, 4))
def test_overlap_groups_through_their_indexes_group_like_a_scan_of_every_group(items, min_shared):
    assert overlap_groups(items, min_shared=min_shared) == _groups_by_scan(items, min_shared)


@pytest.mark.parametrize("min_shared", [2, 3])
def test_overlap_groups_of_many_items_with_many_groups_match_the_scan(min_shared):
    rng = random.Random(7)
    items = [(rng.choice("kj"), set(rng.sample(WORDS[:15], rng.randint(2, 5)))) for _ in range(400)]
    items[50:50] = [("k", set(WORDS[10:PAIR_WORDS + 15])), ("j", set(WORDS[12:PAIR_WORDS + 15]))]
    groups = overlap_groups(items, min_shared=min_shared)
    assert len(groups) > 40 and groups == _groups_by_scan(items, min_shared)


def test_overlap_groups_join_the_group_sharing_most_words():
    items = [("k", {"a", "b", "c"}), ("k", {"a", "b", "x"}), ("k", {"c", "d", "e"}), ("j", {"a", "b", "c"}),
             ("k", {"a", "b", "c", "d"}), ("k", {"d", "e", "f"})]
    assert overlap_groups(items, min_shared=2) == [[0, 1, 4], [2, 5], [3]]
    assert overlap_groups(items, min_shared=3) == [[0, 4], [1], [2], [3], [5]]


def test_two_texts_without_a_full_stop_are_compared_by_bounded_pieces(make_corpus, monkeypatch):
    """A text with no full stop or line break is one huge "sentence": the quadratic rapidfuzz ratios
    see at most its beginning, and the meaning rules leave such a pair alone (it took 513 s in the fuzz suite)."""
    import claimalign.rules.meaning as meaning
    import claimalign.sentalign as sentalign
    from claimalign import find_findings

    seen: list[int] = []
    for name in ("partial_ratio", "token_set_ratio"):
        real = getattr(sentalign.fuzz, name)
        monkeypatch.setattr(sentalign.fuzz, name, lambda a, b, real=real: seen.append(max(len(a), len(b))) or real(a, b))
    compared: list[int] = []
    real_compare = meaning.compare
    monkeypatch.setattr(meaning, "compare", lambda r, s, cues: compared.append(max(len(r), len(s))) or real_compare(r, s, cues))
    endless = "Jane Jane Harbour on will million, " * 1200
    corpus = make_corpus({"primary": "The harbour board met on Monday. It approved the plan.",
                          "one": endless, "two": endless})
    find_findings(corpus)
    assert seen and max(seen) <= 3 * sentalign.FUZZ_MOST < len(endless)
    assert all(n <= 2000 for n in compared)
