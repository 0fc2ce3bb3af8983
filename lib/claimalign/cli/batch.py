"""`claimalign batch`: the findings of every corpus in a folder, on Dask (local or a cluster)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ClaimalignError
from .claims import add_settings_arguments, settings_from

__all__ = ["register"]

SOME_FAILED = 1


def run(args: argparse.Namespace) -> int:
    """Run the batch; exit 1 when some corpora failed (named in errors.json), 0 when none did."""
    from ..batch import run_batch

    if args.scheduler and args.workers:
        raise ClaimalignError("--workers starts a local cluster; a cluster given with --scheduler has its own workers")
    if args.workers is not None and args.workers < 1:
        raise ClaimalignError(f"--workers {args.workers}: give at least 1")
    result = run_batch(args.corpora_dir, args.out, scheduler=args.scheduler, workers=args.workers,
                       primary_kind=args.primary_kind, settings=settings_from(args),
                       split_above=args.split_above, force=args.force)
    total = len(result.ran) + len(result.skipped) + len(result.failed)
    peaks = ", ".join(f"{mb:.0f}" for mb in result.worker_peak_mb.values())
    cpu = ", ".join(f"{s:.1f}" for s in result.worker_cpu_s.values())
    print(f"claimalign batch: {total} corpora: {len(result.ran)} run, {len(result.skipped)} unchanged, "
          f"{len(result.failed)} failed; {result.findings} findings in {result.documents} documents "
          f"-> {result.out} ({result.seconds:.1f} s, {result.cluster_seconds:.1f} s of it starting the cluster)"
          + (f"; peak memory per worker: {peaks} MB; CPU per worker: {cpu} s" if peaks else ""))
    if result.failed:
        print(f"failed: {', '.join(result.failed)} (errors in {result.out / 'errors.json'})")
        return SOME_FAILED
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `batch` to the command line."""
    p = sub.add_parser(
        "batch", help="find the findings of every corpus in a folder, on Dask (local cluster or --scheduler)",
        description="Run the findings of every corpus folder below CORPORA_DIR, each as one Dask task, "
                    "and write findings.parquet, documents.parquet, one findings JSON per corpus and "
                    "errors.json to --out. A rerun skips corpora whose inputs have not changed. "
                    "Exit status 1 when some corpora failed, 2 when the batch could not run.")
    p.add_argument("corpora_dir", metavar="CORPORA_DIR", type=Path,
                   help="folder of corpus folders (each with manifest.yaml), or one corpus folder")
    p.add_argument("--out", metavar="DIR", type=Path, required=True, help="output folder (created if missing)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on an existing Dask distributed cluster, e.g. tcp://10.0.0.5:8786 "
                        "(default: a local cluster started and closed by the command)")
    p.add_argument("--workers", metavar="N", type=int,
                   help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--primary-kind", metavar="KIND",
                   help="in each corpus, compare against its one document of this kind (e.g. statement) "
                        "instead of the manifest's primary")
    p.add_argument("--split-above", metavar="DOCS", type=int, default=500,
                   help="spread a corpus with more documents than this over all workers (default: 500)")
    p.add_argument("--force", action="store_true", help="rerun every corpus, changed or not")
    add_settings_arguments(p)
    p.set_defaults(func=run)
