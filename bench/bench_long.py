#!/usr/bin/env python3
"""One long document: time and peak memory of `claimalign findings` as one report grows.

It writes a corpus of the seed's primary and one report of news-like text made by a seeded
generator (paragraphs; sentences with counts, money, percentages, dates, quotations, people and
organizations), of 1, 4, 5 and 10 MB (and 50 MB with --big), and runs `claimalign findings`
on each in its own process (a big report's alignment runs in a second process, whose CPU time and
peak memory are added to the figures). The 4 and 10 MB runs are made three times, in turn, and the
ratio of their times uses the fastest run of each: on a shared machine noise only ever adds time, and
the same run took from 37 to 56 s within minutes. Two more lines check single steps for linear cost: one sentence of
2,000 against 20,000 numbers, and the 4 MB text written on one line.

usage: python bench/bench_long.py [--sizes 1 4 5 10] [--big] [--keep]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "corpus" / "carney-china-visit-2026"
OUT = ROOT / "bench" / "out" / "long"
MB = 1_000_000
RATIO_RUNS = 3

GIVEN = ("Amara Bruno Celia Dmitri Elena Farid Greta Hugo Ines Jonas Kira Lionel Maren Nils Odile Pavel Rosa "
         "Soren").split()
FAMILY = "Achterberg Belmonte Castellane Drummond Eskildsen Fairweather Galloway Hollis Ivanova Jaspersen " \
         "Kowalczyk Lindqvist Marchetti Novak Okafor Pellerin Quintero Rasmussen".split()
ORG_HEAD = "Council Agency Institute Federation Alliance Commission Union Network Board Foundation".split()
ORG_TOPIC = "Water Transport Housing Fisheries Energy Education Health Rail Forestry Trade".split()
ROLES = "director spokesperson chair minister treasurer secretary analyst".split()
NOUNS = "families workers residents organizations schools clinics farms vessels households members".split()
VERBS = "announced confirmed disputed reported estimated warned noted argued".split()
PLACES = "Northbridge Eastvale Corran Lowmere Saltash Harwick Tembury Ostrava Vellmoor".split()
MONTHS = "January February March April May June July August September October November December".split()
FILLER = ("the plan would change how the region manages its budget over the coming years, officials said, "
          "and critics say the process has been slow and poorly explained to those it affects most").split()
SPEECH = ("we will not accept a deal that leaves people behind and we expect the government to keep its "
          "promises to every community that has waited for this decision").split()


class Writer:
    """A seeded generator of news-like sentences."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def person(self) -> str:
        return f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}"

    def org(self) -> str:
        return f"{self.rng.choice(PLACES)} {self.rng.choice(ORG_TOPIC)} {self.rng.choice(ORG_HEAD)}"

    def date(self) -> str:
        r = self.rng
        forms = [f"{r.choice(MONTHS)} {r.randint(1, 28)}, {r.randint(2015, 2026)}",
                 f"{r.randint(1, 28)} {r.choice(MONTHS)}", f"in {r.randint(1990, 2026)}",
                 f"on {r.choice(['Monday', 'Tuesday', 'Friday'])}"]
        return r.choice(forms)

    def figure(self) -> str:
        r = self.rng
        forms = [f"{r.randint(2, 900)} {r.choice(NOUNS)}", f"${r.randint(1, 90)}.{r.randint(1, 9)} million",
                 f"{r.randint(1, 99)} percent of {r.choice(NOUNS)}", f"at least {r.randint(3, 60)} {r.choice(NOUNS)}",
                 f"about {r.choice(['forty', 'sixty', 'two hundred'])} {r.choice(NOUNS)}"]
        return r.choice(forms)

    def filler(self, lo: int = 6, hi: int = 14) -> str:
        k = self.rng.randint(lo, hi)
        i = self.rng.randrange(len(FILLER) - k)
        return " ".join(FILLER[i:i + k])

    def sentence(self) -> str:
        r = self.rng
        kind = r.randrange(6)
        if kind == 0:
            return f"The {self.org()} {r.choice(VERBS)} that {self.figure()} were affected {self.date()}."
        if kind == 1:
            k = r.randint(6, 18)
            i = r.randrange(len(SPEECH) - k)
            words = " ".join(SPEECH[i:i + k])
            return f'"{words[0].upper()}{words[1:]}," said {self.person()}, {r.choice(ROLES)} of the {self.org()}.'
        if kind == 2:
            return f"{self.person()} said {self.filler()} and that {self.figure()} would follow {self.date()}."
        if kind == 3:
            return f"According to the {self.org()}, {self.figure()} and {self.figure()} were counted {self.date()}."
        if kind == 4:
            return f"{self.filler().capitalize()}, {self.filler(3, 6)}."
        return f"In {r.choice(PLACES)}, {r.choice(ROLES)} {self.person()} {r.choice(VERBS)} {self.filler(4, 8)}."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def text(self, size: int, one_line: bool = False) -> str:
        parts: list[str] = [f"{self.org()} and the {self.org()} at odds over the plan", ""]
        total = 0
        sep = " " if one_line else "\n\n"
        out: list[str] = []
        while total < size:
            p = self.paragraph()
            out.append(p)
            total += len(p) + len(sep)
        head = " ".join(parts).strip() if one_line else "\n".join(parts)
        return (head + sep + sep.join(out))[:size].rsplit(" ", 1)[0] + "\n"


def many_numbers(n: int) -> str:
    """One sentence holding n numbers."""
    rng = random.Random(n)
    return "The tally listed " + ", ".join(str(rng.randint(1, 9999)) for _ in range(n)) + " items in all.\n"


def write_corpus(name: str, report: str) -> Path:
    """A corpus folder of the seed's primary and one report."""
    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(SEED / "coalition-letter.txt", folder / "primary.txt")
    (folder / "report.txt").write_text(report, encoding="utf-8")
    (folder / "manifest.yaml").write_text(
        "primary: primary\ndocuments:\n  - {id: primary, file: primary.txt, kind: primary, date: 2026-01-09}\n"
        "  - {id: report, file: report.txt, kind: report, date: 2026-01-14}\n", encoding="utf-8")
    return folder


def run_one(folder: Path) -> dict:
    """Run `claimalign findings` in this process; wall time, CPU time and peak RSS."""
    from claimalign.cli import main
    from claimalign import corpus, extract, rules  # noqa: F401  (imports are not what is measured)

    extra = ["--set", "corpus.max_document_mb=1000"]
    together = Together()
    together.start()
    t0 = time.perf_counter()
    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            status = main(["findings", str(folder), "--format", "json", *extra])
        finally:
            sys.stdout = stdout
    wall = time.perf_counter() - t0
    together.stop()
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # A big report is aligned in a Dask process of its own: its CPU counts, and its peak adds to ours
    # (an upper bound on the two together).
    return {"status": status, "wall": wall, "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
            "rss_mb": (own.ru_maxrss + kids.ru_maxrss) / 1024, "self_mb": own.ru_maxrss / 1024,
            "child_mb": kids.ru_maxrss / 1024, "together_mb": together.peak / 2**20}


class Together(threading.Thread):
    """The largest resident memory of this process and its children at one moment, sampled every
    0.25 s: the sum of each process's own peak overstates it when the peaks fall at different times."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak, self.done = 0, threading.Event()

    def run(self) -> None:
        import psutil  # a dependency of dask's distributed

        me = psutil.Process()
        while not self.done.wait(0.25):
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:  # the child ended meanwhile
                    pass
            self.peak = max(self.peak, total)

    def stop(self) -> None:
        self.done.set()
        self.join()


def measure(folder: Path) -> dict:
    """`run_one` in a fresh process."""
    done = subprocess.run([sys.executable, __file__, "--one", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{folder}: failed\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 5, 10])
    ap.add_argument("--big", action="store_true", help="also 50 MB (last)")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora in bench/out/long")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    sizes = list(args.sizes) + ([50.0] if args.big and 50 not in args.sizes else [])
    print(f"one long document: the seed's primary and one generated report; load {os.getloadavg()[0]:.2f}")
    times: dict[float, dict] = {}
    for size in sizes:
        folder = write_corpus(f"report-{size:g}mb", Writer(int(size * 10)).text(int(size * MB)))
        times[size] = r = measure(folder)
        print(f"  {size:>5g} MB  {r['wall']:7.1f} s wall  {r['cpu']:7.1f} s cpu  {r['rss_mb']:7.0f} MB peak"
              f" ({r['self_mb']:.0f} + {r['child_mb']:.0f} aligning; {r['together_mb']:.0f} at one moment)"
              f"  ({r['wall'] / size:.1f} s/MB)", flush=True)
    if 4 in times and 10 in times:  # the ratio's two sizes again, in turn, the fastest run of each counting
        for run in range(2, RATIO_RUNS + 1):
            for size in (4, 10):
                r = measure(OUT / f"report-{size:g}mb")
                print(f"  {size:>5g} MB  {r['wall']:7.1f} s wall  {r['cpu']:7.1f} s cpu  (run {run})", flush=True)
                if r["wall"] < times[size]["wall"]:
                    times[size] = r
    lines = {}
    for n in (2_000, 20_000):
        lines[n] = measure(write_corpus(f"numbers-{n}", many_numbers(n)))
        print(f"  one sentence of {n:,} numbers: {lines[n]['wall']:.2f} s", flush=True)
    flat = measure(write_corpus("one-line-4mb", Writer(40).text(4 * MB, one_line=True)))
    print(f"  4 MB on a single line: {flat['wall']:.1f} s wall, {flat['rss_mb']:.0f} MB peak", flush=True)
    if not args.keep:
        shutil.rmtree(OUT, ignore_errors=True)
    checks = []
    if 5 in times:
        checks.append(f"5 MB {times[5]['wall']:.1f} s (target <= 30 s) {'ok' if times[5]['wall'] <= 30 else 'MISSED'}")
    if 50 in times:
        ok = times[50]["wall"] <= 300 and times[50]["rss_mb"] < 2048
        checks.append(f"50 MB {times[50]['wall']:.0f} s, {times[50]['rss_mb']:.0f} MB, the sum of the two processes' "
                      f"peaks ({times[50]['together_mb']:.0f} MB at one moment) (target <= 300 s, < 2 GB) "
                      f"{'ok' if ok else 'MISSED'}")
    if 4 in times and 10 in times:
        ratio = times[10]["wall"] / times[4]["wall"]
        checks.append(f"time(10 MB)/time(4 MB) {ratio:.2f}, the fastest of {RATIO_RUNS} runs of each "
                      f"(target <= 2.5) {'ok' if ratio <= 2.5 else 'MISSED'}")
    ratio = lines[20_000]["wall"] / max(lines[2_000]["wall"], 1e-9)
    checks.append(f"20,000/2,000 numbers {ratio:.1f}x (linear ~10x, quadratic ~100x) "
                  f"{'ok' if ratio <= 20 else 'MISSED'}")
    print("one long document: " + "; ".join(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
