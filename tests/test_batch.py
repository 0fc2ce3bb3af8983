"""`claimalign batch` on a real Dask cluster: a scheduler and two workers on loopback, started here.

The same findings as single-corpus runs, one big corpus spread over the workers with the findings
of one process, a bad corpus reported by name while the others finish, and a worker killed in
the middle of a batch. Every process started here is stopped here, with timeouts.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from claimalign import find_findings, load_corpus
from claimalign.batch.inputs import discover
from claimalign.batch.parallel import parallel_findings
from claimalign.batch.progress import Progress
from claimalign.batch.steps import flagged
from claimalign.cli import dumps, main

DATA = Path(__file__).resolve().parent / "data"
SEED = Path(__file__).resolve().parents[1] / "data" / "corpus" / "carney-china-visit-2026"
GOOD = ["port-strike-2024", "river-spill-2025", "harbor-bridge-presser-2025"]
START_TIMEOUT = 60
CLI_TIMEOUT = 240


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=15)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A distributed scheduler and two single-thread workers on 127.0.0.1 (free ports, no dashboard)."""
    pytest.importorskip("distributed")
    folder = tmp_path_factory.mktemp("cluster")
    sched_file = folder / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    procs: list[subprocess.Popen] = []
    logs = [open(folder / f"{name}.log", "wb") for name in ("scheduler", "worker-a", "worker-b")]
    try:
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                                       "--no-dashboard", "--scheduler-file", str(sched_file)],
                                      stdout=logs[0], stderr=subprocess.STDOUT, env=env))
        _wait_for(lambda: sched_file.is_file() and sched_file.stat().st_size > 0, START_TIMEOUT, "the scheduler")
        _wait_for(lambda: "address" in sched_file.read_text(), START_TIMEOUT, "the scheduler file")
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for log in logs[1:]:
            procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                           "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                                           "--death-timeout", "60"], stdout=log, stderr=subprocess.STDOUT, env=env))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield {"address": address, "workers": procs[1:]}
    finally:
        _stop(procs[::-1])
        for log in logs:
            log.close()


def _batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimalign", "batch", *args], capture_output=True,
                          text=True, timeout=CLI_TIMEOUT)


def _single(path: Path) -> str:
    """What `claimalign findings PATH --format json` prints."""
    return dumps([f.to_dict() for f in find_findings(load_corpus(path))]) + "\n"


def _corpora(root: Path, names: list[str], copies: int = 1) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        for k in range(copies):
            shutil.copytree(DATA / name, root / (name if copies == 1 else f"{name}-{k}"))
    return root


def test_batch_on_a_cluster_gives_the_findings_of_single_corpus_runs(cluster, tmp_path):
    corpora = _corpora(tmp_path / "in", GOOD)
    out = tmp_path / "out"
    run = _batch(str(corpora), "--out", str(out), "--scheduler", cluster["address"])
    assert run.returncode == 0, run.stderr
    assert "3 run, 0 unchanged, 0 failed" in run.stdout
    for name in GOOD:
        assert (out / "corpora" / name / "findings.json").read_text(encoding="utf-8") == _single(corpora / name)
    assert json.loads((out / "errors.json").read_text()) == []
    table = pd.read_parquet(out / "findings.parquet")
    docs = pd.read_parquet(out / "documents.parquet")
    assert sorted(table["corpus"].unique()) == sorted(GOOD)
    assert len(table) == sum(len(json.loads(_single(corpora / n))) for n in GOOD)
    assert sorted(docs["corpus"].unique()) == sorted(GOOD) and docs["words"].gt(0).all()
    port = docs[docs["corpus"] == "port-strike-2024"].set_index("doc")
    assert port.loc["ahdw-statement", "primary"] and port["primary"].sum() == 1
    for row in table.itertuples():
        span = json.loads(row.evidence)[0]
        raw = load_corpus(corpora / row.corpus)[span["source"]].raw
        assert raw[span["start"]:span["end"]] == span["text"]
    again = _batch(str(corpora), "--out", str(out), "--scheduler", cluster["address"])
    assert again.returncode == 0 and "0 run, 3 unchanged, 0 failed" in again.stdout
    (corpora / "river-spill-2025" / "reviews.yaml").write_text("reviews: []\n", encoding="utf-8")
    third = _batch(str(corpora), "--out", str(out), "--scheduler", cluster["address"])
    assert "1 run, 2 unchanged" in third.stdout and "[" in third.stdout and "river-spill-2025" in third.stdout


def test_a_bad_corpus_is_named_in_errors_json_and_the_others_finish(cluster, tmp_path):
    corpora = _corpora(tmp_path / "in", GOOD[:2])
    broken = corpora / "broken"
    shutil.copytree(DATA / "port-strike-2024", broken)
    (broken / "radio-summary.txt").unlink()
    loose = corpora / "no-manifest"
    loose.mkdir()
    (loose / "a.txt").write_text("A text without a manifest.\n", encoding="utf-8")
    out = tmp_path / "out"
    run = _batch(str(corpora), "--out", str(out), "--scheduler", cluster["address"])
    assert run.returncode == 1
    errors = {e["corpus"]: e["error"] for e in json.loads((out / "errors.json").read_text())}
    assert set(errors) == {"broken", "no-manifest"}
    assert all("\n" not in e for e in errors.values())
    assert "radio-summary.txt: missing" in errors["broken"]
    assert "manifest.yaml: missing" in errors["no-manifest"]
    assert "failed: broken, no-manifest" in run.stdout
    for name in GOOD[:2]:
        assert (out / "corpora" / name / "findings.json").read_text(encoding="utf-8") == _single(corpora / name)
    assert sorted(pd.read_parquet(out / "findings.parquet")["corpus"].unique()) == sorted(GOOD[:2])


@pytest.mark.parametrize("name, chunk", [("port-strike-2024", 1), ("harbor-bridge-presser-2025", 2), ("seed", 1)])
def test_one_corpus_spread_over_the_workers_gives_the_findings_of_one_process(cluster, name, chunk):
    from distributed import Client

    path = SEED if name == "seed" else DATA / name
    with Client(cluster["address"], timeout="30s") as client:
        spread = parallel_findings(load_corpus(path), client, chunk=chunk)
    assert [f.to_dict() for f in spread] == [f.to_dict() for f in find_findings(load_corpus(path))]


def test_the_client_reads_the_normalised_texts_the_workers_made_instead_of_normalising_again(cluster, monkeypatch):
    from distributed import Client

    from claimalign import corpus as corpus_module

    calls: list[int] = []
    real = corpus_module.normalize
    monkeypatch.setattr(corpus_module, "normalize", lambda raw: calls.append(len(raw)) or real(raw))
    loaded = load_corpus(DATA / "port-strike-2024")
    with Client(cluster["address"], timeout="30s") as client:
        spread = parallel_findings(loaded, client, chunk=2)
    assert spread and calls == []
    assert all(d.norm.text and len(d.norm.starts) == len(d.norm.text) for d in loaded)


def test_the_rules_work_on_each_text_alone_is_done_on_the_workers(cluster, monkeypatch):
    from distributed import Client

    from claimalign.rules import context

    calls: list[int] = []
    real = context._fold_words
    monkeypatch.setattr(context, "_fold_words", lambda text, *rest: calls.append(len(text)) or real(text, *rest))
    loaded = load_corpus(DATA / "river-spill-2025")
    with Client(cluster["address"], timeout="30s") as client:
        spread = parallel_findings(loaded, client, chunk=2)
    assert [f.type for f in spread].count("omission") == 12
    assert calls == []
    assert all({"_folded", "_names_vocab", "_capitalised"} <= set(d.norm.__dict__) for d in loaded)


def test_a_corpus_above_split_above_is_spread_over_the_workers_by_the_batch(cluster, tmp_path):
    corpora = _corpora(tmp_path / "in", ["port-strike-2024", "river-spill-2025"])
    out = tmp_path / "out"
    run = _batch(str(corpora), "--out", str(out), "--scheduler", cluster["address"], "--split-above", "4")
    assert run.returncode == 0, run.stderr
    assert "river-spill-2025: 5 documents, spread over the cluster" in run.stdout
    assert "port-strike-2024: 5 documents" not in run.stdout
    for name in ("port-strike-2024", "river-spill-2025"):
        assert (out / "corpora" / name / "findings.json").read_text(encoding="utf-8") == _single(corpora / name)
    tables = {t: pd.read_parquet(out / t) for t in ("findings.parquet", "documents.parquet")}
    assert set(tables["findings.parquet"]["corpus"]) == {"port-strike-2024", "river-spill-2025"}
    rerun = _batch(str(corpora), "--out", str(out), "--scheduler", cluster["address"], "--split-above", "4")
    assert "0 run, 2 unchanged" in rerun.stdout, rerun.stdout + rerun.stderr
    for name, table in tables.items():  # rows kept in memory for the spread corpus, then read back from its files
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), table)


def test_a_worker_killed_mid_batch_loses_nothing_written_and_a_rerun_finishes_the_rest(cluster, tmp_path):
    names = GOOD + ["flood-budget-2026", "sleep-study-release-2024"]
    corpora = _corpora(tmp_path / "in", names, copies=2)
    out = tmp_path / "out"
    batch = subprocess.Popen([sys.executable, "-m", "claimalign", "batch", str(corpora), "--out", str(out),
                              "--scheduler", cluster["address"]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        first = batch.stdout.readline()
        assert first.startswith("[1/10] "), first + batch.stderr.read()
        victim = cluster["workers"][0]
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=15)
        rest, err = batch.communicate(timeout=CLI_TIMEOUT)
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait(timeout=15)
    assert batch.returncode in (0, 1), err
    failed = {e["corpus"]: e["error"] for e in json.loads((out / "errors.json").read_text())}
    assert all("worker died" in e for e in failed.values()), failed
    done = [c.name for c in discover(corpora) if c.name not in failed]
    for name in done:
        assert (out / "corpora" / name / "findings.json").read_text(encoding="utf-8") == _single(corpora / name)
    assert sorted(pd.read_parquet(out / "findings.parquet")["corpus"].unique()) == sorted(done)
    (out / "corpora" / done[0] / "run.json").unlink()  # as if the batch had died before marking it done
    rerun = _batch(str(corpora), "--out", str(out), "--scheduler", cluster["address"])
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(failed) + 1} run, {10 - len(failed) - 1} unchanged, 0 failed" in rerun.stdout
    for item in discover(corpora):
        assert (out / "corpora" / item.name / "findings.json").read_text(encoding="utf-8") == _single(item.path)
    assert json.loads((out / "errors.json").read_text()) == []


def test_batch_on_its_own_local_cluster_and_its_usage_errors(tmp_path):
    corpora = _corpora(tmp_path / "in", ["river-spill-2025"])
    run = _batch(str(corpora), "--out", str(tmp_path / "out"), "--workers", "1")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "corpora" / "river-spill-2025" / "findings.json").read_text() == \
        _single(corpora / "river-spill-2025")
    assert main(["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o2")]) == 2
    assert main(["batch", str(corpora), "--out", str(tmp_path / "o3"), "--workers", "2",
                 "--scheduler", "tcp://127.0.0.1:1"]) == 2
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n")
    assert main(["batch", str(corpora), "--out", str(mine)]) == 2
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_primary_kind_chooses_the_primary_in_each_corpus(tmp_path):
    from claimalign.batch.inputs import CorpusInput, load_input
    from claimalign.errors import CorpusError

    corpus, _ = load_input(CorpusInput("seed", SEED), "campaign")
    assert corpus.primary_id == "jfa-saveuyghur"
    with pytest.raises(CorpusError, match="3 documents of kind 'report': uyghur-times, phayul, unattributed-report"):
        load_input(CorpusInput("seed", SEED), "report")
    with pytest.raises(CorpusError, match="no document of kind 'statement'"):
        load_input(CorpusInput("seed", SEED), "statement")


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    import io

    lines, bar = io.StringIO(), io.StringIO()
    for progress, stream in ((Progress(2, lines, bar=False), lines), (Progress(2, bar, bar=True), bar)):
        progress.ok("a", 3, 0.5)
        progress.fail("b", "x.txt: missing")
        progress.close()
    assert lines.getvalue() == "[1/2] a: 3 findings (0.5 s)\n[2/2] b: FAILED x.txt: missing\n"
    assert "\r[" in bar.getvalue() and "2/2 corpora, 1 failed" in bar.getvalue()
    assert "b: FAILED x.txt: missing\n" in bar.getvalue()


def test_a_finding_is_charged_to_the_documents_it_is_about():
    primary = "letter"
    conflict = {"type": "count_conflict", "sources": ["letter", "a", "b", "c"],
                "values": {"letter": ["10"], "a": ["10"], "b": ["9"], "c": ["at least 9"]}}
    omission = {"type": "omission", "sources": ["letter", "a", "b"],
                "values": {"letter": "named", "a": "mentioned", "b": "omitted"}}
    verified = {"type": "verified_quote", "sources": ["a", "letter"], "values": {"a": "x", "letter": "x"}}
    own = {"type": "internal_inconsistency", "sources": ["letter"], "values": {"letter": ["10", "9 listed"]}}
    single = {"type": "single_source", "sources": ["b"], "values": {"b": "3"}}
    assert flagged(conflict, primary) == ["b", "c"]
    assert flagged(omission, primary) == ["b"]
    assert flagged(verified, primary) == ["a"]
    assert flagged(own, primary) == ["letter"]
    assert flagged(single, primary) == ["b"]
