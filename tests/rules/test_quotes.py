"""Quotation rules: verified, misquote and unsourced, on texts written for each case."""
from __future__ import annotations

from claimalign import find_findings


def _of(corpus, kind):
    return [f for f in find_findings(corpus) if f.type == kind]


def test_quoting_style_is_folded(make_corpus):
    corpus = make_corpus({
        "release": "The minister said: \"I am sure this load-bearing plan for the U.S. economy is the best "
                   "plan we have had in years.\"",
        "paper": "\"I'm sure this load bearing plan for the US economy is the best plan we have had in years,\" "
                 "the minister said.",
    })
    assert _of(corpus, "misquote") == [] and _of(corpus, "unsourced_quote") == []
    [verified] = _of(corpus, "verified_quote")
    assert verified.evidence[0].source == "paper"


def test_editorial_brackets_and_ellipses_split_a_quotation(make_corpus):
    corpus = make_corpus({
        "release": "\"This inspection did exactly what it is supposed to do. It caught the problem before "
                   "anybody was hurt,\" Ana Ruiz said.",
        "wire": "Ruiz said \"[the] inspection did exactly what it is supposed to do ... before anybody was hurt.\"",
    })
    assert _of(corpus, "misquote") == [] and _of(corpus, "unsourced_quote") == []
    assert len(_of(corpus, "verified_quote")) == 1


def test_a_changed_word_against_the_primary_is_a_high_misquote(make_corpus):
    corpus = make_corpus({
        "release": "\"Our members have kept this port running through every crisis and they deserve a fair "
                   "deal,\" said Ana Ruiz.",
        "paper": "\"Our members have kept this port running through every storm and they deserve a fair "
                 "deal,\" Ruiz said.",
    })
    [misquote] = _of(corpus, "misquote")
    assert misquote.severity == "high"
    assert [op for op in misquote.detail["diff"] if op[0] != "equal"] == [["replace", "storm", "crisis"]]
    assert [e.source for e in misquote.evidence] == ["paper", "release"]


def test_a_quotation_is_compared_with_other_reports_quotations_not_their_narration(make_corpus):
    tweet = "The Federal Reserve is cutting but must further ease and come into line with other countries"
    corpus = make_corpus({
        "statement": "The Committee decided today to lower the target range for the federal funds rate.",
        "hill": f"Trump tweeted: \"{tweet}.\" The Fed acted after a call with officials.",
        "cnbc": "The president said the Fed \"must further ease and come into line with other countries\" "
                "after the cut.",
    })
    assert _of(corpus, "misquote") == [] and _of(corpus, "unsourced_quote") == []


def test_a_misquote_of_another_report_is_at_most_medium(make_corpus):
    corpus = make_corpus({
        "statement": "The committee met on Tuesday and cut its rate by half a point.",
        "a": "\"We have eased the stance of monetary policy to provide some more support to the economy,\" "
             "Ana Ruiz said.",
        "b": "\"We have eased the stance of monetary policy to provide a lot more support to the economy,\" "
             "Ruiz said.",
    })
    misquotes = _of(corpus, "misquote")
    assert misquotes and {f.severity for f in misquotes} == {"medium"}


def test_a_short_quotation_is_looked_up_word_for_word_everywhere(make_corpus):
    corpus = make_corpus({
        "release": "\"The plan will bring absolutely the worst traffic to the city,\" said Ana Ruiz.",
        "paper": "Asked if she would vote for the mayor again, Rita Moss said: \"absolutely.\"",
        "digest": "Residents called the detour \"a nightmare\", the paper reported. It was a nightmare.",
    })
    assert _of(corpus, "verified_quote") == []  # the primary gives "absolutely" to someone else
    assert _of(corpus, "unsourced_quote") == [] or all(f.severity == "low" for f in _of(corpus, "unsourced_quote"))


def test_a_multi_sentence_quotation_is_matched_piece_by_piece(make_corpus):
    corpus = make_corpus({
        "release": "\"We will open the bridge in July. Until then the ferry is free,\" Ana Ruiz said.",
        "paper": "\"We will open the bridge in July. Nobody will pay a toll this year,\" Ruiz said.",
    })
    verified = _of(corpus, "verified_quote")
    unsourced = _of(corpus, "unsourced_quote")
    assert [f.evidence[0].text for f in verified] == ["We will open the bridge in July."]
    assert [f.evidence[0].text for f in unsourced] == ["Nobody will pay a toll this year,"]


def test_a_questioners_words_given_to_an_official_are_a_misquote(make_corpus):
    corpus = make_corpus({
        "transcript": "MAYOR RUIZ: Good afternoon. The bridge will close on Thursday.\n\n"
                      "Q: Mayor, isn't this just the price of thirty years of neglect?\n\n"
                      "MAYOR RUIZ: I would not put it that way. We inspect it every year.\n\n"
                      "MR. SOTO: The detour is signposted.",
        "station": "Mayor Ana Ruiz closed the bridge. \"This is just the price of thirty years of neglect,\" "
                   "Ruiz said.",
    })
    [misquote] = _of(corpus, "misquote")
    assert misquote.values == {"station": "Ana Ruiz", "transcript": "a questioner"}
    assert misquote.severity == "high"


def test_words_of_one_named_person_given_to_another_the_primary_names_are_a_misquote(make_corpus):
    said = "Fare capping means riders never pay more than a monthly pass. That is basic fairness."
    corpus = make_corpus({
        "release": "The board chair, Katharine Lindqvist, opened the meeting. "
                   f"\"{said}\" said Darnell Whitcomb, the general manager.",
        "newsletter": f"As board chair Katharine Lindqvist put it: \"{said}\"",
        "station": f"\"{said}\" general manager Darnell Whitcomb said.",
        "blog": f"A rider, Tamsin Greer, agreed: \"{said}\"",
    })
    [misquote] = _of(corpus, "misquote")
    assert misquote.values == {"newsletter": "Katharine Lindqvist", "release": "Darnell Whitcomb"}
    assert [(e.source, e.text) for e in misquote.evidence[2:]] == [
        ("newsletter", f"As board chair Katharine Lindqvist put it: \"{said}\""),
        ("release", f"\"{said}\" said Darnell Whitcomb, the general manager."),
    ]
    assert {f.sources[0] for f in _of(corpus, "verified_quote")} == {"station", "blog"}


def test_titles_of_works_are_not_unsourced_quotations(make_corpus):
    corpus = make_corpus({
        "release": "The senator spoke on Monday about the budget and the new schools.",
        "paper": "The senator told MSNBC's \"Morning Joe\" that the budget \"will not pass the Senate this "
                 "year\". She also praised the film \"Glen Campbell: I'll Be Me\" on the show.",
    })
    texts = [f.evidence[0].text for f in _of(corpus, "unsourced_quote")]
    assert texts == ["will not pass the Senate this year"]


def test_a_token_view_keeps_offsets_in_arrays_and_each_word_once(make_corpus):
    from claimalign.quotealign import TokenView

    corpus = make_corpus({"primary": "\u201cWe will build it, and we will build it well,\u201d the mayor said.",
                          "report": "The mayor said they would build it."})
    doc = corpus.primary
    view = TokenView.of(doc, doc.norm)
    assert view.tokens == ["we", "will", "build", "it", "and", "we", "will", "build", "it", "well", "the", "mayor", "said"]
    assert view.tokens[1] is view.tokens[6] and view.tokens[2] is view.tokens[7]
    assert [doc.norm.text[a:b] for a, b in zip(view.starts, view.ends)][:3] == ["We", "will", "build"]
    assert view.evidence(2, 4)["text"] == "build it" and view.char_token[len("we will ")] == 2
