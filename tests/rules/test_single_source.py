"""Single-source figures and dates: what another document supports in other words."""
from __future__ import annotations

from claimalign import find_findings


def _single(corpus):
    return sorted(f.evidence[0].text for f in find_findings(corpus) if f.type == "single_source")


def test_the_same_fact_in_other_words_is_supported(make_corpus):
    corpus = make_corpus({
        "release": "The trial enrolled 119 participants at 21 participating medical centers.",
        "time": "They gave half of a group of 119 men and women the drug.",
        "cnn": "Researchers at 21 medical centers across the country ran the study.",
    })
    assert _single(corpus) == []


def test_a_figure_only_one_report_gives_is_single_source(make_corpus):
    corpus = make_corpus({
        "statement": "We will impose new sanctions on the regime.",
        "paper": "The strikes followed attacks on militia bases that killed at least two dozen people.",
    })
    assert _single(corpus) == ["The strikes followed attacks on militia bases that killed at least two dozen people."]


def test_a_year_supported_only_in_another_event_is_single_source(make_corpus):
    corpus = make_corpus({
        "letter": "We write before your visit to Beijing next week.",
        "phayul": "The visit, the first by a prime minister since 2017, is seen as a reset.",
        "campaign": "Since 2017, our group has worked with lawyers on other campaigns.",
    })
    assert _single(corpus) == ["Since 2017, our group has worked with lawyers on other campaigns.",
                               "the first by a prime minister since 2017"]


def test_support_looks_past_the_many_figures_a_long_report_alone_gives() -> None:
    from claimalign.extract.claim import Claim
    from claimalign.rules.single_source import _ByDoc

    def claim(doc: str, n: int) -> Claim:
        return Claim(doc, "count", n, n + 2, str(n), str(n), {"value": n}, "s", 0, 1)

    index = _ByDoc()
    for n in range(500):
        index.add("families", claim("report", n), f"report's own {n}")
    index.add("families", claim("primary", 1000), "shared")
    index.add("families", claim("wire", 1001), "shared")
    index.add("families", claim("primary", 1002), "primary's own")
    assert [c.id for c in index.others("families", "report")] == ["primary:count@1000", "primary:count@1002"]
    assert [c.id for c in index.others("families", "primary")][:2] == ["wire:count@1001", "report:count@0"]
    assert len(list(index.others("families", "primary"))) == 501
    assert list(index.others("households", "report")) == []


def test_a_supporting_sentence_is_read_once_however_many_claims_it_supports(make_corpus, monkeypatch) -> None:
    import claimalign.rules.single_source as single_source

    read: list[str] = []

    def counting_stems(text: str, **kw):
        read.append(text)
        return real(text, **kw)

    real = single_source.stems
    monkeypatch.setattr(single_source, "stems", counting_stems)
    wire = "The tanker docked at the northern harbour on March 3, port officials said."
    corpus = make_corpus({
        "statement": "We will publish the inspection results soon.",
        "wire": wire,
        "paper": " ".join(f"On March 3 the tanker number {n} docked at the northern harbour." for n in range(40)),
    })
    assert _single(corpus) == []
    assert read.count(wire) <= 2  # as its own date's sentence, and as the support of forty


def test_a_large_figure_a_report_repeats_is_supported_once_either_telling_is(make_corpus):
    corpus = make_corpus({
        "statement": "In all, 4,950 people are under evacuation order tonight.",
        "broadcaster": "Fire destroys homes as nearly 5,000 remain out of their homes\n\n"
                       "Nearly 5,000 people are under evacuation order, the province said.",
        "blog": "At least 4 farms burned and at least 4 barns were lost, while 4,950 people left.",
    })
    assert _single(corpus) == ["At least 4 farms burned and at least 4 barns were lost"]
