"""Sentence alignment on real corpora: relations a reader would give, spans that round-trip, the
command's three formats, reuse shares, and candidates taken from an index rather than all pairs."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import claimalign
from claimalign import load_corpus
from claimalign.sentalign import ALIGN_COLUMNS, SentenceAlignment, align_sentences, reuse_shares


REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "corpus" / "carney-china-visit-2026"
FLOOD = REPO / "tests" / "data" / "flood-budget-2026"
BRIDGE = REPO / "tests" / "data" / "harbor-bridge-presser-2025"
CLI = [str(Path(sys.executable).with_name("claimalign"))]


@pytest.fixture(scope="module")
def flood() -> list[SentenceAlignment]:
    return align_sentences(load_corpus(FLOOD))


def row(rows: list[SentenceAlignment], doc: str, starts: str) -> SentenceAlignment:
    found = [a for a in rows if a.report.source == doc and a.report.text.startswith(starts)]
    assert len(found) == 1, [a.report.text for a in rows if a.report.source == doc]
    return found[0]


def test_a_quotation_with_its_attribution_is_verbatim(flood: list[SentenceAlignment]) -> None:
    a = row(flood, "greywater-examiner", "\u201cThis budget puts the money where the water goes")
    assert (a.relation, a.source_kind) == ("verbatim", "primary")
    assert a.sources[0].source == "treasurer-release"
    assert a.sources[0].text == "\"This budget puts the money where the water goes,\" Ms Koutsoukis said."


def test_a_reworded_budget_item_is_a_paraphrase_of_its_bullet(flood: list[SentenceAlignment]) -> None:
    a = row(flood, "greywater-examiner", "The largest single item is $40m")
    assert a.relation == "paraphrase"
    assert a.sources[0].text.endswith("$40 million for flood defences in Halden, raising the Halden levee and "
                                      "extending it by 2.1 kilometres.")


def test_a_changed_figure_still_aligns_so_rules_can_compare_it() -> None:
    rows = align_sentences(load_corpus(BRIDGE))
    a = row(rows, "wncb7", "The city says the repairs will cost $35.8 million.")
    assert a.relation == "paraphrase" and a.source_kind == "primary"
    assert any("The repair will cost an estimated $38.5 million" in s.text for s in a.sources)


def test_a_byline_aligns_with_nothing(flood: list[SentenceAlignment]) -> None:
    a = row(flood, "greywater-examiner", "By Liam Costigan")
    assert (a.relation, a.sources) == ("none", ())


def test_every_span_round_trips_on_the_seed_and_a_test_corpus() -> None:
    for folder in (SEED, FLOOD):
        corpus = load_corpus(folder)
        rows = align_sentences(corpus)
        assert {a.report.source for a in rows} == {d.id for d in corpus.reports}
        for a in rows:
            for span in (a.report, *a.sources):
                assert corpus[span.source].raw[span.start:span.end] == span.text
            assert a.relation in ("verbatim", "paraphrase", "related", "none")
            assert 0.0 <= a.score <= 1.0
            assert (a.source_kind == "primary") == all(s.source == corpus.primary_id for s in a.sources) or \
                not a.sources


def test_reuse_shares_split_each_report_into_verbatim_paraphrase_and_new(flood: list[SentenceAlignment]) -> None:
    shares = reuse_shares(flood)
    assert set(shares) == {"greywater-examiner", "grn-news", "basin-business-review"}
    for s in shares.values():
        assert sum(s.values()) == pytest.approx(1.0, abs=1e-3)
    # The Examiner quotes the treasurer and the mayor at length; the business review mostly does not.
    assert shares["greywater-examiner"]["verbatim"] > shares["basin-business-review"]["verbatim"]


def test_align_returns_a_dataframe_even_after_the_rules_are_imported() -> None:
    import claimalign.rules  # noqa: F401  (imports quote alignment, which must not shadow the function)

    frame = claimalign.align(load_corpus(FLOOD))
    assert list(frame.columns) == ALIGN_COLUMNS
    assert set(frame["relation"]) <= {"verbatim", "paraphrase", "related", "none"}


def test_candidates_come_from_an_index_not_from_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimalign import sentalign

    calls = []
    real = sentalign.features
    monkeypatch.setattr(sentalign, "features", lambda *a, **k: calls.append(1) or real(*a, **k))
    corpus = load_corpus(SEED)
    rows = sentalign.align_sentences(corpus)
    primary = len(sentalign.units(corpus.primary))
    assert len(calls) < len(rows) * primary / 2


def test_the_model_loads_from_its_package_and_places_a_paraphrase_nearer_than_another_topic() -> None:
    from claimalign.embeddings import load

    embed = load()
    assert embed is not None
    v = embed(["The council deferred its decision on the basin.", "The decision on the basin was put off.",
               "Bananas are rich in potassium."])
    assert abs(float(v[0] @ v[0]) - 1.0) < 1e-4
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_cli_json_csv_and_table() -> None:
    out = run_cli("align", str(FLOOD), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    raws = {d.id: d.raw for d in load_corpus(FLOOD)}
    assert data and all(raws[r["doc"]][r["start"]:r["end"]] == r["text"] for r in data)
    assert all(raws[s["source"]][s["start"]:s["end"]] == s["text"] for r in data for s in r["sources"])
    out = run_cli("align", str(FLOOD), "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == ALIGN_COLUMNS and len(rows) == len(data)
    out = run_cli("align", str(FLOOD))
    assert out.returncode == 0, out.stderr
    assert "greywater-examiner: verbatim" in out.stdout and "relation" in out.stdout.splitlines()[0]


def test_cli_names_a_missing_corpus_and_exits_2(tmp_path: Path) -> None:
    out = run_cli("align", str(tmp_path / "nowhere"))
    assert out.returncode == 2
    assert "nowhere" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_big_corpus_is_aligned_in_a_process_of_its_own_with_the_same_result(flood: list[SentenceAlignment]) -> None:
    import threading

    from claimalign.settings import Settings
    from claimalign.sentalign import SWITCH_SECONDS, start_alignment

    settings = Settings().with_values({"sentalign.apart_above_mb": 0.001})
    interval = sys.getswitchinterval()
    pending = start_alignment(load_corpus(FLOOD), settings, apart=True)
    assert "claimalign-align" in {t.name for t in threading.enumerate()}
    assert sys.getswitchinterval() <= SWITCH_SECONDS < interval  # the process starts without waiting on us
    assert pending() == flood
    assert sys.getswitchinterval() == interval
    assert start_alignment(load_corpus(FLOOD), settings)() == flood  # not apart: in this process, the same


def test_an_aligning_process_sends_its_rows_packed_and_without_their_texts(flood: list[SentenceAlignment]) -> None:
    import pickle

    from claimalign.sentalign import align_packed

    corpus = load_corpus(FLOOD)
    packed = align_packed(corpus)
    sent = pickle.dumps(packed)
    assert list(packed) == flood and any(a.source_kind == "report" for a in flood)
    assert pickle.loads(sent).unpack({d.id: d.raw for d in corpus.documents}) == flood
    assert len(sent) * 3 < len(pickle.dumps(flood))
    assert not [a.report.text for a in flood if a.report.text.encode("utf-8") in sent]


def test_the_findings_are_the_same_whether_the_alignment_runs_apart_or_not() -> None:
    runs = [subprocess.run([*CLI, "findings", str(FLOOD), "--format", "json", "--set", f"sentalign.apart_above_mb={mb}"],
                           capture_output=True, text=True, check=True) for mb in ("0", "0.001")]
    assert runs[0].stdout == runs[1].stdout and "contradiction" in runs[0].stdout
    assert runs[1].stderr == ""


def test_the_embeddings_of_a_batch_do_not_depend_on_its_other_texts() -> None:
    from claimalign.embeddings import load

    embed = load()
    texts = ["The council deferred the vote.", "A much longer sentence about the flood budget, its levies and its "
             "pumps, which the council debated for three hours before it deferred the vote to March.", "Rain."]
    together = embed(texts)
    for i, text in enumerate(texts):
        assert (embed([text])[0] == together[i]).all()


def test_the_memo_of_analysed_sentences_stays_bounded_inside_one_long_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimalign import sentalign

    corpus = load_corpus(FLOOD)
    longest = max(len(sentalign.units(d)) for d in corpus.reports)
    sizes: list[int] = []
    real = sentalign.iter_units

    def watched(doc, seen=None):  # type: ignore[no-untyped-def]
        for u in real(doc, seen):
            sizes.append(len(seen))
            yield u

    monkeypatch.setattr(sentalign, "iter_units", watched)
    monkeypatch.setattr(sentalign, "SEEN_MOST", 5)
    units = list(sentalign._report_units(corpus))
    assert longest > 12 and len(units) == len(sizes)
    assert max(sizes) <= 6


def test_partial_ratio_only_for_contenders_picks_what_scoring_every_finalist_picks(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimalign import sentalign

    corpora = [load_corpus(path) for path in (SEED, FLOOD, BRIDGE)]
    calls: list[int] = []
    real = sentalign._partial
    monkeypatch.setattr(sentalign, "_partial", lambda u, c, f: calls.append(1) or real(u, c, f))
    pruned = [align_sentences(corpus) for corpus in corpora]
    few = len(calls)
    monkeypatch.setattr(sentalign._Aligner, "contenders",
                        lambda self, u, scored: [(c, sentalign._partial(u, c, f)) for c, f in scored])
    full = [align_sentences(corpus) for corpus in corpora]
    assert pruned == full
    assert 0 < few < (len(calls) - few) * 0.8
