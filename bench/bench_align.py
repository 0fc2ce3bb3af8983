#!/usr/bin/env python3
"""Sentence-alignment benchmark (prints figures; it is not a test).

Alignment alone is timed against an all-pairs rapidfuzz baseline (every report sentence scored
against every primary and every other report sentence with `process.cdist`, the fastest all-pairs
rapidfuzz offers) in the same run, on N reports whose sentences are all distinct: each is a
sentence of the seed's primary or of the test corpora with a word dropped and two swapped, so no
sentence is analysed once for many reports. Then findings and alignment together are timed at
N = 10,000 on bench_findings.py's synthetic corpus (in a fresh process, with its peak memory), and
alignment alone on 10,000 distinct-sentence reports.

usage: python bench/bench_align.py [--baseline-n 1000] [--n 10000] [--corpus DIR]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_findings import SEED, synthetic_corpus  # noqa: E402

from claimalign import find_findings  # noqa: E402
from claimalign.corpus import Corpus, Document, load_corpus  # noqa: E402
from claimalign.extract import extract_claims  # noqa: E402
from claimalign.normalize import PROJECT_ROOT  # noqa: E402
from claimalign.sentalign import align_sentences, units  # noqa: E402

TEST_CORPORA = PROJECT_ROOT / "tests" / "data"


def distinct_corpus(n: int, seed_dir: Path) -> Corpus:
    """The seed's primary and n reports of six distinct sentences each (see the module's docstring)."""
    seed = load_corpus(seed_dir)
    own = [u.span.text for u in units(seed.primary) if len(u.span.text.split()) >= 6]
    others = [u.span.text for folder in sorted(TEST_CORPORA.glob("*/manifest.yaml"))
              for d in load_corpus(folder.parent) for u in units(d) if len(u.span.text.split()) >= 6]
    docs = [seed.primary]
    for i in range(n):
        rng = random.Random(i)
        picked = rng.sample(own, 3) + rng.sample(others, 3)
        lines = []
        for text in picked:
            words = text.split()
            del words[rng.randrange(len(words))]
            k = rng.randrange(len(words) - 1)
            words[k], words[k + 1] = words[k + 1], words[k]
            lines.append(" ".join(words).rstrip(".") + f" (item {i}).")
        doc_id = f"d{i:05d}"
        docs.append(Document(doc_id, seed_dir / f"{doc_id}.txt", "\n\n".join(lines) + "\n",
                             {"id": doc_id, "kind": "report"}))
    return Corpus(seed_dir, "distinct", seed.primary_id, docs)


def against_baseline(n: int, seed_dir: Path) -> dict:
    """Alignment alone and the all-pairs baseline on the same n reports of distinct sentences."""
    from rapidfuzz import fuzz, process

    corpus = distinct_corpus(n, seed_dir)
    align_sentences(corpus)  # load the model once, outside the timing
    t0 = time.perf_counter()
    rows = align_sentences(corpus)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    primary = units(corpus.primary)
    reports = [u for d in corpus.reports for u in units(d)]
    choices = [u.tokens for u in primary] + [u.tokens for u in reports]
    scores = process.cdist([u.tokens for u in reports], choices, scorer=fuzz.token_set_ratio, workers=1)
    for i in range(len(reports)):  # a sentence is not its own source
        scores[i, len(primary) + i] = 0
    best = [primary[b] if b < len(primary) else None for b in scores.argmax(axis=1)]
    base = time.perf_counter() - t0
    both = [(a, b) for a, b in zip(rows, best) if b is not None and a.source_kind == "primary" and a.sources]
    same = sum(1 for a, b in both if any(s.start == b.span.start for s in a.sources))
    return {"n": n, "sentences": len(reports), "distinct": len({u.tokens for u in reports}), "ours_s": ours,
            "baseline_s": base, "speedup": base / ours, "same_source": same / max(1, len(both))}


def distinct_speed(n: int, seed_dir: Path) -> dict:
    """Alignment alone on n reports of distinct sentences."""
    corpus = distinct_corpus(n, seed_dir)
    for d in corpus:
        d.norm
    t0 = time.perf_counter()
    rows = align_sentences(corpus)
    seconds = time.perf_counter() - t0
    return {"n": n, "sentences": len(rows), "seconds": seconds, "reports_per_s": n / seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


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


def _in_fresh_process(flag: str, n: int, corpus: Path) -> dict:
    """This script's `flag` measurement in a process of its own (so its peak memory is its own)."""
    out = subprocess.run([sys.executable, __file__, flag, str(n), "--corpus", str(corpus)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-n", type=int, default=1000)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--corpus", type=Path, default=SEED)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--distinct", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.corpus)))
        return 0
    if args.distinct:
        print(json.dumps(distinct_speed(args.distinct, args.corpus)))
        return 0
    b = against_baseline(args.baseline_n, args.corpus)
    print(f"alignment N={b['n']} ({b['sentences']} report sentences, {b['distinct']} distinct): "
          f"claimalign {b['ours_s']:.2f} s, all-pairs rapidfuzz cdist {b['baseline_s']:.2f} s, "
          f"speed-up x{b['speedup']:.0f} (target >= 20); same primary sentence as the baseline's for "
          f"{b['same_source']:.0%} of the sentences both tie to the primary", flush=True)
    r = _in_fresh_process("--one", args.n, args.corpus)
    print(f"findings + alignment N={r['n']}: {r['seconds']:.2f} s (findings {r['findings_s']:.2f} s, alignment "
          f"{r['align_s']:.2f} s), {r['reports_per_s']:.0f} reports/s (target >= 200), peak {r['peak_mb']:.0f} MB "
          f"(target < 2048)", flush=True)
    d = _in_fresh_process("--distinct", args.n, args.corpus)
    print(f"alignment alone, N={d['n']} reports of distinct sentences ({d['sentences']} sentences): "
          f"{d['seconds']:.2f} s, {d['reports_per_s']:.0f} reports/s, peak {d['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
