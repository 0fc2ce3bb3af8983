#!/usr/bin/env python3
"""Batch and workers benchmark (prints figures; it is not a test).

1. 200 synthetic corpora of 5 to 20 reports each (the seed's primary and reports built as
   bench_findings.py builds them), run through `claimalign batch` with 1 and with 2 workers.
2. One corpus of N = 1,000 and one of N = 10,000 reports, spread over 1 and over 2 workers.
3. Peak memory of each worker process, from the batch's own summary.
4. Start-up of `claimalign findings` on the seed: import time (python -X importtime) and wall
   time, median of five runs, against the tree of --baseline (before imports were made lazy).

usage: python bench/bench_batch.py [--corpora 200] [--sizes 1000 10000] [--baseline REV]
"""
from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_findings import SEED, _targets, make_report  # noqa: E402

from claimalign.corpus import load_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "batch"
OUTLETS = ["Harbour Wire", "Daily Ledger", "Valley Courier", "Metro Gazette", "Radio North", "The Observer"]
BASELINE = "3b59114"  # the last commit before lazy imports
RUNS = 5


def write_corpus(folder: Path, primary_text: str, reports: list[str], seed: int) -> None:
    """A corpus folder: the primary, the reports (outlets in turn), and its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "primary.txt").write_text(primary_text, encoding="utf-8")
    docs = [{"id": "primary", "file": "primary.txt", "kind": "primary"}]
    for n, text in enumerate(reports):
        doc_id = f"r{n:05d}"
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        docs.append({"id": doc_id, "file": f"{doc_id}.txt", "kind": "report",
                     "outlet": OUTLETS[(seed + n) % len(OUTLETS)], "outlet_basis": "stated"})
    manifest = {"corpus": folder.name, "primary": "primary", "documents": docs}
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")


def build(corpora: int, sizes: list[int]) -> tuple[Path, int, dict[int, Path]]:
    """The many small corpora and the big ones on disk; the number of reports in the small ones."""
    seed = load_corpus(SEED)
    targets = _targets(seed)
    many = OUT / "many"
    shutil.rmtree(OUT, ignore_errors=True)
    total = 0
    for i in range(corpora):
        k = 5 + i % 16
        write_corpus(many / f"event-{i:03d}", seed.primary.raw, [make_report(i * 100 + r, targets)[0] for r in range(k)], i)
        total += k
    big = {}
    for n in sizes:
        big[n] = OUT / f"n{n}"
        write_corpus(big[n], seed.primary.raw, [make_report(r, targets)[0] for r in range(n)], 0)
    return many, total, big


def batch(folder: Path, workers: int, label: str) -> dict:
    """Run `claimalign batch` with a fresh output folder; its time, start-up of the cluster and peaks."""
    out = OUT / f"result-{label}-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "claimalign", "batch", str(folder), "--out", str(out),
                          "--workers", str(workers)], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if run.returncode != 0:
        raise SystemExit(f"batch failed:\n{run.stdout}\n{run.stderr}")
    summary = run.stdout.strip().splitlines()[-1]
    cluster = float(re.search(r"([\d.]+) s of it starting the cluster", summary).group(1))
    peaks = [float(x) for x in re.search(r"peak memory per worker: ([\d., ]+) MB", summary).group(1).split(",")]
    cpu = [float(x) for x in re.search(r"CPU per worker: ([\d., ]+) s", summary).group(1).split(",")]
    return {"wall": wall, "cluster": cluster, "work": wall - cluster, "peaks": peaks, "cpu": cpu}


def cpu_line(one: dict, two: dict) -> str:
    """The workers' CPU seconds, and the speed-up they allow when each worker has a core of its own."""
    return (f"  CPU seconds per worker: 1 worker {one['cpu'][0]:.1f}; 2 workers "
            f"{', '.join(f'{c:.1f}' for c in two['cpu'])} (work split x{sum(one['cpu']) / max(two['cpu']):.2f}; "
            f"the wall-time speed-up on cores not shared with other jobs)")


def _imports(cmd: list[str], env: dict, cwd: Path) -> float:
    run = subprocess.run([sys.executable, "-X", "importtime", *cmd], capture_output=True, text=True, env=env, cwd=cwd)
    return sum(int(line.split("|")[1]) for line in run.stderr.splitlines()
               if line.startswith("import time:") and re.match(r" [^ ]", line.split("|")[2]) and
               line.split("|")[1].strip().isdigit()) / 1e6


def _wall(cmd: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, *cmd], capture_output=True, env=env, cwd=cwd, check=True)
    return time.perf_counter() - t0


def startup(baseline: str) -> dict:
    """Median import and wall time of `claimalign findings SEED --format json`, now and at `baseline`."""
    entry = "import sys; from claimalign.cli import main; sys.exit(main(sys.argv[1:]))"
    cmd = ["-c", entry, "findings", str(SEED.relative_to(ROOT)), "--format", "json"]
    trees = {"now": (ROOT, dict(os.environ))}
    old = OUT / "baseline"
    try:
        data = subprocess.run(["git", "-C", str(ROOT), "archive", baseline], capture_output=True, check=True).stdout
        shutil.rmtree(old, ignore_errors=True)
        old.mkdir(parents=True)
        tarfile.open(fileobj=io.BytesIO(data)).extractall(old, filter="data")
        trees["before"] = (old, {**os.environ, "PYTHONPATH": str(old / "lib")})
    except (subprocess.CalledProcessError, FileNotFoundError):
        print(f"start-up: no git tree for {baseline}; measuring the current tree only")
    for cwd, _env in trees.values():  # bytecode, as an installed package has: compiling is not start-up
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(cwd / "lib")], check=True)
    figures = {name: {"imports": [], "wall": []} for name in trees}
    for _ in range(RUNS):  # interleaved, so that a busy machine weighs on both alike
        for name, (cwd, env) in trees.items():
            figures[name]["imports"].append(_imports(cmd, env, cwd))
            figures[name]["wall"].append(_wall(cmd, env, cwd))
    return {name: {k: statistics.median(v) for k, v in f.items()} for name, f in figures.items()}


def load_line() -> str:
    """What else the machine was doing: a benchmark on shared cores is read with this in mind."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=int, default=200)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare start-up with")
    args = parser.parse_args(argv)
    many, reports, big = build(args.corpora, args.sizes)
    print(f"batch: {args.corpora} corpora, {reports} reports (5-20 per corpus); {load_line()}", flush=True)
    peaks: list[float] = []
    one, two = batch(many, 1, "many"), batch(many, 2, "many")
    for w, r in ((1, one), (2, two)):
        peaks += r["peaks"]
        print(f"  {w} worker{'s' if w > 1 else ' '}: {r['wall']:6.1f} s wall ({r['cluster']:.1f} s starting the cluster), "
              f"{reports / r['wall']:5.0f} reports/s, peak per worker {', '.join(f'{p:.0f}' for p in r['peaks'])} MB",
              flush=True)
    print(f"  speed-up 2 workers / 1 worker: x{one['wall'] / two['wall']:.2f} wall, "
          f"x{one['work'] / two['work']:.2f} without the cluster's start (target >= 1.6)", flush=True)
    print(cpu_line(one, two), flush=True)
    times = {}
    for n in args.sizes:
        print(f"one corpus, N = {n:,} reports; {load_line()}", flush=True)
        one, two = batch(big[n], 1, f"n{n}"), batch(big[n], 2, f"n{n}")
        times[n] = two["wall"]
        for w, r in ((1, one), (2, two)):
            peaks += r["peaks"]
            print(f"  {w} worker{'s' if w > 1 else ' '}: {r['wall']:6.1f} s wall, {n / r['wall']:5.0f} reports/s, "
                  f"peak per worker {', '.join(f'{p:.0f}' for p in r['peaks'])} MB", flush=True)
        print(f"  speed-up 2 workers / 1 worker: x{one['wall'] / two['wall']:.2f} (target >= 1.6)"
              + (f"; {n / two['wall']:.0f} reports/s with 2 workers (target >= 400)" if n == 10000 else ""), flush=True)
        print(cpu_line(one, two), flush=True)
    if 1000 in times and 10000 in times:
        print(f"time(10000) / time(1000), 2 workers = {times[10000] / times[1000]:.2f}  (target <= 11)")
    print(f"peak memory per worker: at most {max(peaks):.0f} MB (target < 1024 MB)")
    s = startup(args.baseline)
    now = s["now"]
    line = f"start-up of `claimalign findings` on the seed: imports {now['imports']:.2f} s, wall {now['wall']:.2f} s"
    if "before" in s:
        before = s["before"]
        line += (f"; before ({args.baseline}): imports {before['imports']:.2f} s, wall {before['wall']:.2f} s; "
                 f"imports now {now['imports'] / before['imports']:.0%} of before (target <= 50%)")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
