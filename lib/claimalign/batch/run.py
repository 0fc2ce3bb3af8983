"""`claimalign batch`: every corpus of a folder as one Dask task, written as it finishes.

The client finds the corpora and hashes their inputs to skip those done already; each task loads
its corpus, runs the steps and writes the corpus's outputs, so the client stays light and every
worker is busy (on a cluster of several machines, CORPORA_DIR and --out must be on a filesystem
every worker sees). A corpus with more than `split_above` documents (.txt files) is loaded by the
client and its documents spread over the cluster (parallel.py). A corpus that fails is recorded in
errors.json and the others go on.
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..aliases import load_aliases
from ..corpus import Corpus
from ..errors import ClaimalignError, CorpusError
from ..gcpause import gc_paused
from ..settings import Settings, corpus_settings
from .cluster import dask_client, worker_usage
from .inputs import CorpusInput, discover, input_hash, load_input, text_files
from .progress import Progress
from .steps import STEPS, document_rows, finding_rows, run_corpus
from .store import CORPORA, Store

__all__ = ["run_batch", "BatchResult", "SPLIT_ABOVE", "one_line", "corpus_task"]

SPLIT_ABOVE = 500
WORKER_WAIT = 30.0


@dataclass
class BatchResult:
    """What a batch did: corpora run, skipped (unchanged) and failed (name -> error), and figures."""

    out: Path
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    findings: int = 0
    documents: int = 0
    seconds: float = 0.0
    cluster_seconds: float = 0.0
    worker_peak_mb: dict[str, float] = field(default_factory=dict)
    worker_cpu_s: dict[str, float] = field(default_factory=dict)


def one_line(exc: BaseException) -> str:
    """An error as one line: a corpus's problems joined by semicolons, else the exception's first line."""
    if isinstance(exc, CorpusError):
        return "; ".join(f"{path}: {problem}" for path, problem in exc.problems)
    text = " ".join(str(exc).split()) if str(exc) else ""
    if type(exc).__name__ == "KilledWorker":
        return "a Dask worker died while running this corpus (KilledWorker)"
    if isinstance(exc, ClaimalignError):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass
class _Job:
    item: CorpusInput
    digest: str
    corpus: Corpus | None = None
    settings: Settings | None = None
    aliases: Any = None
    warnings: list[str] = field(default_factory=list)
    tables: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None  # rows kept from a run in the client


def _prepare(job: _Job, primary_kind: str | None, base: Settings) -> _Job:
    job.corpus, job.warnings = load_input(job.item, primary_kind)
    job.settings = corpus_settings(job.item.path, base)
    job.aliases = load_aliases(job.item.path)
    return job


def _write(job: _Job, result: dict[str, Any], store: Store, keep: bool = False) -> dict[str, Any]:
    """Apply the corpus's reviews to its findings, write its outputs, and return its run.json;
    `keep` keeps the corpus's rows of the tables across corpora on the job (not read back later)."""
    from ..reviews import apply_reviews

    assert job.corpus is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        apply_reviews(result["findings"], job.item.path)
    notes = job.warnings + result["warnings"] + [str(w.message) for w in caught]
    steps = {name: [x.to_dict() if hasattr(x, "to_dict") else x for x in result[name]] for name in STEPS}
    info = {"corpus": job.item.name, "path": str(job.item.path), "input_hash": job.digest,
            "primary": job.corpus.primary_id, "documents": len(job.corpus), "findings": len(steps["findings"]),
            "seconds": result["seconds"], "warnings": notes}
    documents = document_rows(job.item.name, job.corpus)
    store.write_corpus(job.item.name, steps, documents, info)
    if keep:
        job.tables = (finding_rows(job.item.name, steps["findings"], documents, job.corpus.primary_id), documents)
    return info


def corpus_task(item: CorpusInput, digest: str, out_dir: str, base: Settings, primary_kind: str | None,
                split_above: int) -> dict[str, Any]:
    """On a worker: load one corpus, run every step, write its outputs; its run.json, or
    {"big": n} for a corpus to spread over the cluster, or {"error": line} for one the user can fix."""
    job = _Job(item, digest)
    try:
        _prepare(job, primary_kind, base)
        assert job.corpus is not None
        if len(job.corpus) > split_above:
            return {"big": len(job.corpus)}
        return _write(job, run_corpus(job.corpus, job.settings, job.aliases), Store(out_dir, check=False))
    except ClaimalignError as exc:  # sent back as text: our exceptions need not survive pickling
        return {"error": one_line(exc)}


def _report(job: _Job, info: dict[str, Any], progress: Progress, done: BatchResult) -> None:
    for note in info["warnings"]:
        progress.say(f"warning: {job.item.name}: {note}")
    done.ran.append(job.item.name)
    progress.ok(job.item.name, info["findings"], info["seconds"])


def _fail(job: _Job, exc: BaseException | str, progress: Progress, done: BatchResult) -> None:
    done.failed[job.item.name] = exc if isinstance(exc, str) else one_line(exc)
    progress.fail(job.item.name, done.failed[job.item.name])


def _run_on(client: Any, jobs: list[_Job], *, primary_kind: str | None, base: Settings, split_above: int,
            store: Store, progress: Progress, done: BatchResult) -> None:
    from distributed import as_completed

    window = max(8, 4 * sum(client.nthreads().values()))
    pending, running, big = as_completed(), {}, []
    queue = iter(jobs)

    def submit_next() -> None:
        for job in queue:
            if text_files(job.item.path) > split_above:
                big.append(job)
                continue
            future = client.submit(corpus_task, job.item, job.digest, str(store.root), base, primary_kind,
                                   split_above, pure=False, key=f"corpus-{job.digest[:16]}-{time.time_ns()}")
            running[future] = job
            pending.add(future)
            return

    for _ in range(window):
        submit_next()
    for future in pending:
        job = running.pop(future)
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - one corpus's failure must not stop the others
            _fail(job, exc, progress, done)
        else:
            if "error" in result:
                _fail(job, result["error"], progress, done)
            elif "big" in result:
                big.append(job)
            else:
                _report(job, result, progress, done)
        future.release()
        submit_next()
    for job in big:
        try:
            with gc_paused():  # a big corpus's objects would be rescanned by every full collection
                _prepare(job, primary_kind, base)
                progress.say(f"{job.item.name}: {len(job.corpus or [])} documents, spread over the cluster")
                info = _write(job, run_corpus(job.corpus, job.settings, job.aliases, client), store, keep=True)
            _report(job, info, progress, done)
        except Exception as exc:  # noqa: BLE001
            _fail(job, exc, progress, done)
        job.corpus = None


def run_batch(corpora_dir: str | Path, out_dir: str | Path, *, scheduler: str | None = None,
              workers: int | None = None, primary_kind: str | None = None, settings: Settings | None = None,
              split_above: int = SPLIT_ABOVE, force: bool = False, stream: TextIO | None = None,
              bar: bool | None = None) -> BatchResult:
    """Run every step on every corpus below `corpora_dir` that changed since the last run into
    `out_dir`, then rebuild the tables across corpora and errors.json."""
    started = time.perf_counter()
    items = discover(Path(corpora_dir))
    if not items:
        raise ClaimalignError(f"{corpora_dir}: no corpus folders in it (folders with a manifest.yaml)")
    store = Store(out_dir)
    (store.root / CORPORA).mkdir(parents=True, exist_ok=True)
    base = settings or Settings()
    options = {"primary_kind": primary_kind, "steps": list(STEPS)}
    progress = Progress(len(items), stream, bar=bar)
    done = BatchResult(Path(out_dir))
    jobs: list[_Job] = []
    digests: dict[str, str] = {}
    for item in items:
        try:
            digests[item.name] = input_hash(item, base, options)
        except OSError as exc:
            _fail(_Job(item, ""), ClaimalignError(f"{item.path}: cannot read ({exc.strerror})"), progress, done)
            continue
        if not force and store.is_current(item.name, digests[item.name], STEPS):
            done.skipped.append(item.name)
            progress.skip(item.name)
        else:
            jobs.append(_Job(item, digests[item.name]))
    if jobs:
        connecting = time.perf_counter()
        with dask_client(scheduler, workers) as client:
            done.cluster_seconds = time.perf_counter() - connecting
            if scheduler:
                try:
                    client.wait_for_workers(1, timeout=WORKER_WAIT)
                except TimeoutError:
                    raise ClaimalignError(f"the scheduler at {scheduler} has no workers") from None
            _run_on(client, jobs, primary_kind=primary_kind, base=base, split_above=split_above,
                    store=store, progress=progress, done=done)
            usage = worker_usage(client)
            done.worker_peak_mb = {w: mb for w, (mb, _) in usage.items()}
            done.worker_cpu_s = {w: cpu for w, (_, cpu) in usage.items()}
    progress.close()
    with gc_paused():
        _write_tables(items, jobs, digests, store, done)
    done.seconds = time.perf_counter() - started
    return done


def _write_tables(items: list[CorpusInput], jobs: list[_Job], digests: dict[str, str], store: Store,
                  done: BatchResult) -> None:
    """The tables across corpora and errors.json, from the rows kept in memory or the corpora's files."""
    findings, documents = [], []
    kept = {job.item.name: job.tables for job in jobs if job.tables is not None}
    for item in items:
        if item.name in kept and item.name not in done.failed:
            rows, docs = kept.pop(item.name)
            findings += rows
            documents += docs
            continue
        info = store.run_info(item.name)
        if item.name in done.failed or info is None or info.get("input_hash") != digests.get(item.name):
            continue
        docs = store.read(item.name, "documents")
        findings += finding_rows(item.name, store.read(item.name, "findings"), docs, info["primary"])
        documents += docs
    done.failed = {i.name: done.failed[i.name] for i in items if i.name in done.failed}  # in folder order
    store.write_tables(findings, documents)
    store.write_errors([{"corpus": name, "path": str(next(i.path for i in items if i.name == name)), "error": error}
                        for name, error in done.failed.items()])
    done.findings, done.documents = len(findings), len(documents)
