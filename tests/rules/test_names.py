"""Name variants in their three shapes, and what is no variant."""
from __future__ import annotations

from claimalign import find_findings


def _variants(corpus):
    return sorted((f.detail.get("how"), f.explanation) for f in find_findings(corpus) if f.type == "name_variant")


def test_one_word_spelled_two_ways(make_corpus):
    corpus = make_corpus({
        "statement": "General Qasem Soleimani was killed. Soleimani led the force.",
        "wire": "General Qassem Soleimani was killed in a strike.",
    })
    assert _variants(corpus) == [("spelling", "\u201cQasem Soleimani\u201d and \u201cQassem Soleimani\u201d name one "
                                  "person two ways (across documents).")]


def test_a_surname_alone_spelled_differently(make_corpus):
    corpus = make_corpus({
        "statement": "General Qasem Soleimani was killed. Soleimani led the force.",
        "times": "The strike on General Suleimani was ordered on Friday. Officials said Suleimani planned attacks.",
    })
    [(how, text)] = _variants(corpus)
    assert how == "surname" and "Suleimani" in text


def test_a_middle_initial_is_no_variant(make_corpus):
    corpus = make_corpus({
        "statement": "Defense Secretary Mark T. Esper spoke on Tuesday.",
        "wire": "Defense Secretary Mark Esper said the base was safe.",
    })
    assert _variants(corpus) == []


def test_a_translated_name_is_a_low_variant_even_when_aliases_pair_it(make_corpus, tmp_path):
    corpus = make_corpus({
        "letter": "Signed by Amnistie Internationale Canada (Francophone) and other groups.",
        "report": "Amnesty International Canada signed the letter with other groups.",
    })
    (corpus.root / "aliases.yaml").write_text(
        "entities:\n  - name: Amnesty International Canada\n    type: org\n"
        "    aliases: [Amnistie Internationale Canada (Francophone)]\n", encoding="utf-8")
    [(how, _)] = _variants(corpus)
    assert how == "translated"
