#!/usr/bin/env python3
"""Sentence-alignment benchmark (prints figures; it is not a test).

On the synthetic corpus of bench_findings.py (the seed's primary and N reports made of its
sentences), it times alignment alone against an all-pairs rapidfuzz baseline (every report sentence
scored against every primary and every other report sentence with `process.cdist`, the fastest
all-pairs rapidfuzz offers) in the same run and checks they agree on the source; then it times
findings and alignment together at N = 10,000 in a fresh process, with its peak memory.

usage: python bench/bench_align.py [--baseline-n 1000] [--n 10000] [--corpus DIR]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_findings import SEED, synthetic_corpus  # noqa: E402

from claimalign import find_findings  # noqa: E402
from claimalign.extract import extract_claims  # noqa: E402
from claimalign.sentalign import align_sentences, units  # noqa: E402


def against_baseline(n: int, seed_dir: Path) -> dict:
    """Alignment alone and the all-pairs baseline on the same n reports."""
    from rapidfuzz import fuzz, process

    corpus, _ = synthetic_corpus(n, seed_dir)
    align_sentences(corpus)  # load the model once, outside the timing
    t0 = time.perf_counter()
    rows = align_sentences(corpus)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    primary = units(corpus.primary)
    reports = [u for d in corpus.reports for u in units(d)]
    choices = [u.tokens for u in primary] + [u.tokens for u in reports]
    scores = process.cdist([u.tokens for u in reports], choices, scorer=fuzz.token_set_ratio, workers=1)
    for i, u in enumerate(reports):  # a sentence is not its own source
        scores[i, len(primary) + i] = 0
    best = scores.argmax(axis=1)
    base = time.perf_counter() - t0
    same = sum(1 for a, b in zip(rows, best) if a.sources and b < len(primary)
               and a.sources[0].start == primary[b].span.start)
    aligned = sum(1 for a in rows if a.sources and a.source_kind == "primary")
    return {"n": n, "sentences": len(reports), "ours_s": ours, "baseline_s": base, "speedup": base / ours,
            "same_source": same / max(1, aligned)}


def run_one(n: int, seed_dir: Path) -> dict:
    """Claims, findings and alignment for n reports; the figures."""
    corpus, _ = synthetic_corpus(n, seed_dir)
    t0 = time.perf_counter()
    claims = extract_claims(corpus)
    findings = find_findings(corpus, claims=claims, reviews=False)
    t1 = time.perf_counter()
    rows = align_sentences(corpus)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "findings_s": t1 - t0, "align_s": t2 - t1, "seconds": t2 - t0, "reports_per_s": n / (t2 - t0),
            "peak_mb": peak, "findings": len(findings), "sentences": len(rows)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-n", type=int, default=1000)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--corpus", type=Path, default=SEED)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.corpus)))
        return 0
    b = against_baseline(args.baseline_n, args.corpus)
    print(f"alignment N={b['n']} ({b['sentences']} report sentences): claimalign {b['ours_s']:.2f} s, "
          f"all-pairs rapidfuzz cdist {b['baseline_s']:.2f} s, speed-up x{b['speedup']:.0f} (target >= 20); "
          f"same source as the baseline for {b['same_source']:.0%} of aligned sentences", flush=True)
    out = subprocess.run([sys.executable, __file__, "--one", str(args.n), "--corpus", str(args.corpus)],
                         capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"findings + alignment N={r['n']}: {r['seconds']:.2f} s (findings {r['findings_s']:.2f} s, alignment "
          f"{r['align_s']:.2f} s), {r['reports_per_s']:.0f} reports/s (target >= 200), peak {r['peak_mb']:.0f} MB "
          f"(target < 2048)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
