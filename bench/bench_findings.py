#!/usr/bin/env python3
"""Scale benchmark for the findings pipeline (prints figures; it is not a test).

It builds a synthetic corpus from the seed corpus: N reports made of primary sentences, about
half of them with one recorded mutation (a changed figure, an altered word inside a quote, a
dropped named person, a renamed organization). It runs extraction + findings for each N in its
own process and prints reports per second, peak memory, recall and precision on the injected
mutations, and the quote matcher's speed against a straightforward difflib baseline.

usage: python bench/bench_findings.py [--sizes 100 1000 10000] [--corpus DIR]
"""
from __future__ import annotations

import argparse
from collections import Counter
import difflib
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from claimalign.quotealign import TokenView, match_quote, tokenize
from claimalign.corpus import Corpus, Document, load_corpus
from claimalign import find_findings
from claimalign.extract import extract_claims, extract_document
from claimalign.normalize import PROJECT_ROOT
from claimalign.segment import sentences

SEED = PROJECT_ROOT / "data" / "corpus" / "carney-china-visit-2026"
CONNECTORS = ["of", "for", "on", "in"]
MUTATIONS = ["figure", "quote", "drop", "rename"]


def _targets(corpus: Corpus) -> dict:
    """What the synthetic reports are made of, read off the primary with the library itself."""
    primary = corpus.primary
    claims = extract_document(primary)
    count = next(c for c in claims if c.kind == "count" and c.detail.get("subject") and c.value["high"])
    people = list(dict.fromkeys(c.value for c in claims if c.kind == "mention" and c.detail.get("type") == "person"
                                and len(c.value.split()) == 2))[:3]
    orgs = [c.value for c in claims if c.kind == "mention" and c.detail.get("type") == "org"
            and any(f" {w} " in f" {c.value} " for w in CONNECTORS)]
    body = [s.text for s in sentences(primary.norm) if 12 <= len(s.text.split()) <= 40 and '"' not in s.text]
    clean = [s for s in body if not any(p.split()[-1] in s for p in people) and not re.search(r"\d", s)
             and not any(o in s for o in orgs)]
    return {"count_sentence": count.sentence, "count_text": count.text, "count": count.value["low"],
            "people": people, "org": orgs[0], "quotes": clean[:6], "fillers": clean[6:] or clean}


def make_report(i: int, t: dict) -> tuple[str, str | None, dict]:
    """One synthetic report's text, its mutation (or None) and what the mutation changed."""
    rng = random.Random(i)
    mutation = MUTATIONS[i % 8] if i % 8 < 4 else None
    info: dict = {}
    count_sentence = t["count_sentence"]
    if mutation == "figure":
        new = int(t["count"]) + rng.choice([-3, -2, 2, 3, 5])
        number = re.search(r"\d+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", t["count_text"]).group()
        count_sentence = count_sentence.replace(t["count_text"], t["count_text"].replace(number, str(new), 1), 1)
        info["value"] = new
    quote = rng.choice(t["quotes"])
    if mutation == "quote":
        words = quote.split()
        k = rng.randrange(2, len(words) - 2)
        while not words[k].isalpha() or len(words[k]) < 4:
            k = (k + 1) % len(words)
        words[k] = rng.choice(["never", "often", "rarely", "clearly", "hardly"])
        quote = " ".join(words)
    people = list(t["people"])
    if mutation == "drop":
        info["dropped"] = people.pop(rng.randrange(len(people)))
    org = t["org"]
    if mutation == "rename":
        present = [w for w in CONNECTORS if f" {w} " in f" {org} "]
        old = rng.choice(present)
        org = re.sub(rf"\b{old}\b", rng.choice([w for w in CONNECTORS if w != old]), org, count=1)
        info["renamed"] = org
    fillers = rng.sample(t["fillers"], k=min(3, len(t["fillers"])))
    names = ", ".join(people[:-1]) + " and " + people[-1]
    text = "\n\n".join([
        count_sentence,
        fillers[0],
        f"\u201c{quote.rstrip('.')},\u201d the coalition wrote.",
        f"The letter names {names}.",
        *fillers[1:],
        f"It was sent on behalf of the {org}.",
    ]) + "\n"
    return text, mutation, info


def synthetic_corpus(n: int, seed_dir: Path) -> tuple[Corpus, dict]:
    """The seed primary plus n synthetic reports, in memory, and the mutation record."""
    seed = load_corpus(seed_dir)
    targets = _targets(seed)
    docs = [seed.primary]
    record = {}
    for i in range(n):
        text, mutation, info = make_report(i, targets)
        doc_id = f"r{i:05d}"
        docs.append(Document(doc_id, seed_dir / f"{doc_id}.txt", text, {"id": doc_id, "kind": "report"}))
        record[doc_id] = (mutation, info)
    return Corpus(seed_dir, "synthetic", seed.primary_id, docs), {"record": record, "targets": targets}


def score(findings: list, record: dict, targets: dict, primary: str) -> tuple[float, float]:
    """Recall and precision of (report, mutation type) flags raised by the findings."""
    flags: set[tuple[str, str]] = set()
    tracked = set(targets["people"])
    for f in findings:
        if f.type == "count_conflict" and primary in f.values:
            flags |= {(d, "figure") for d, v in f.values.items() if d != primary and v != f.values[primary]}
        elif f.type == "misquote":
            flags |= {(d, "quote") for d in f.sources if d != primary}
        elif f.type == "omission" and f.subject in tracked:
            flags |= {(d, "drop") for d, v in f.values.items() if v == "omitted"}
        elif f.type == "name_variant":
            usual = Counter(x for v in f.values.values() for x in v).most_common(1)[0][0]
            flags |= {(d, "rename") for d, v in f.values.items() if d != primary and set(v) - {usual}}
    truth = {(d, m) for d, (m, _) in record.items() if m}
    hits = len(flags & truth)
    return hits / max(1, len(truth)), hits / max(1, len(flags))


def run_one(n: int, seed_dir: Path) -> dict:
    """Build, extract and find for one N; return the figures."""
    corpus, meta = synthetic_corpus(n, seed_dir)
    t0 = time.perf_counter()
    claims = extract_claims(corpus)
    findings = find_findings(corpus, claims=claims, reviews=False)
    elapsed = time.perf_counter() - t0
    recall, precision = score(findings, meta["record"], meta["targets"], corpus.primary_id)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "seconds": elapsed, "reports_per_s": n / elapsed, "peak_mb": peak,
            "recall": recall, "precision": precision, "findings": len(findings)}


def matcher_speed(seed_dir: Path, quotes: int = 200) -> dict:
    """Seconds per quote: claimalign's matcher against a sliding-window difflib baseline."""
    corpus, meta = synthetic_corpus(quotes, seed_dir)
    primary = TokenView.of(corpus.primary, corpus.primary.norm)
    texts = [m.group(1) for d in corpus.reports for m in [re.search("\u201c(.+?),\u201d", d.raw)] if m]

    def baseline(text: str) -> tuple[int, float]:
        needle, hay = tokenize(text), primary.tokens
        best = (0, 0.0)
        for i in range(0, max(1, len(hay) - len(needle) + 1)):
            r = difflib.SequenceMatcher(None, needle, hay[i:i + len(needle)]).ratio()
            if r > best[1]:
                best = (i, r)
        return best

    t0 = time.perf_counter()
    ours = [match_quote(t, primary) for t in texts]
    fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = [baseline(t) for t in texts]
    slow = time.perf_counter() - t0
    agree = sum(1 for o, b in zip(ours, base) if o is not None and abs(o.first - b[0]) <= 2)
    return {"quotes": len(texts), "ours_s": fast, "difflib_s": slow, "speedup": slow / fast,
            "same_place": agree / max(1, len(texts))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--corpus", type=Path, default=SEED)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.corpus)))
        return 0
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--corpus", str(args.corpus)],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(f"N={r['n']:>6}  {r['seconds']:8.2f} s  {r['reports_per_s']:8.0f} reports/s  "
              f"peak {r['peak_mb']:7.0f} MB  recall {r['recall']:.3f}  precision {r['precision']:.3f}  "
              f"findings {r['findings']}", flush=True)
    by_n = {r["n"]: r for r in rows}
    if 1000 in by_n and 10000 in by_n:
        print(f"time(10000) / time(1000) = {by_n[10000]['seconds'] / by_n[1000]['seconds']:.2f}  (target <= 12)")
    m = matcher_speed(args.corpus)
    print(f"quote matcher: {m['quotes']} quotes, claimalign {m['ours_s'] * 1000 / m['quotes']:.2f} ms/quote, "
          f"difflib baseline {m['difflib_s'] * 1000 / m['quotes']:.2f} ms/quote, speed-up x{m['speedup']:.0f} "
          f"(same place {m['same_place']:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
