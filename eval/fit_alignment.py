#!/usr/bin/env python3
"""Fit the sentence-alignment score (a logistic rule on FEATURES) and its thresholds to the labels.

Every candidate source of a labelled report sentence is an example: positive when the label says
verbatim or paraphrase and the candidate is the labelled source (or one in `also`), negative
otherwise. The weights come from L2-regularised logistic regression (Newton steps, numpy); the
paraphrase threshold is the lowest whose sentence-level precision on the fitting corpora stays at
or above --precision; the related threshold best separates labelled `related` from `none`.
With --hold-out, the named corpora are left out of the fit and scored with the fitted values.
It prints the `declare` defaults to put in lib/claimalign/sentalign.py.

usage: python eval/fit_alignment.py [--hold-out CORPUS ...] [--precision 0.92]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alignment import POSITIVE, cases, label_files, locate, matches, report, scores  # noqa: E402
from corpora import corpus_dir  # noqa: E402

from claimalign import load_corpus  # noqa: E402
from claimalign.sentalign import FEATURES, scored_candidates  # noqa: E402
from claimalign.settings import Settings  # noqa: E402


def examples(names: list[str], base: Settings) -> list[tuple[dict[str, Any], np.ndarray, np.ndarray]]:
    """Per labelled sentence: its label, the candidates' feature matrix, and which candidates are right."""
    out = []
    for path in label_files(names):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        folder = corpus_dir(data["corpus"])
        if folder is None:
            continue
        rows = list(scored_candidates(load_corpus(folder), base))
        for label in data["pairs"]:
            u, scored = locate(label, rows, span=lambda r: r[0].span)
            if not scored:
                continue
            x = np.array([[f[n] for n in FEATURES] for _, f in scored])
            positive = label["relation"] in POSITIVE
            y = np.array([positive and matches([c.span.text] + ([c.next.text] if c.next else []), label)
                          for c, _ in scored], dtype=float)
            out.append((label, x, y))
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.5, steps: int = 50) -> np.ndarray:
    """Logistic regression weights (bias last) by Newton's method."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = l2 * np.eye(len(w))
    reg[-1, -1] = 0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + reg @ w
        hess = xb.T @ (xb * (p * (1 - p))[:, None]) + reg
        w -= np.linalg.solve(hess, grad)
    return w


def thresholds(ex: list, w: np.ndarray, precision: float) -> tuple[float, float]:
    """The paraphrase threshold (lowest with enough precision) and the related threshold."""
    best = []
    for label, x, y in ex:
        s = 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))
        i = int(np.argmax(s))
        best.append((float(s[i]), label["relation"] in POSITIVE and bool(y[i]), label["relation"]))
    para = 0.99
    for t in sorted({b[0] for b in best}, reverse=True):
        picked = [b for b in best if b[0] >= t]
        if sum(b[1] for b in picked) / len(picked) < precision:
            break
        para = t
    below = [b for b in best if b[0] < para and b[2] in ("related", "none")]
    related, right = para / 2, -1
    for t in sorted({b[0] for b in below}):
        n = sum(1 for b in below if (b[0] >= t) == (b[2] == "related"))
        if n > right:
            related, right = t, n
    return para, min(related, para)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-out", nargs="*", default=[])
    parser.add_argument("--precision", type=float, default=0.92)
    parser.add_argument("--l2", type=float, default=0.5)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="settings to fit under, e.g. sentalign.model=minilm")
    args = parser.parse_args(argv)
    names = [f.stem for f in label_files()]
    train = [n for n in names if n not in args.hold_out]
    base = Settings().with_assignments(args.set)
    ex = examples(train, base)
    w = fit(np.vstack([x for _, x, _ in ex]), np.concatenate([y for _, _, y in ex]), args.l2)
    para, related = thresholds(ex, w, args.precision)
    values = {f"sentalign.w_{n}": round(float(v), 3) for n, v in zip(FEATURES, w[:-1])}
    values |= {"sentalign.bias": round(float(w[-1]), 3), "sentalign.paraphrase_min": round(para - 5e-4, 3),
               "sentalign.related_min": round(related - 5e-4, 3)}
    print("# fitted on " + ", ".join(train))
    for name, value in values.items():
        print(f"{name}: {value}")
    settings = base.with_values(values)
    print("\nfitting corpora:")
    print(report(cases(settings, train)[0]).splitlines()[0])
    if args.hold_out:
        held = cases(settings, args.hold_out)[0]
        p, r, _, _ = scores(held)
        print(f"held out ({', '.join(args.hold_out)}): precision {p:.3f}  recall {r:.3f}")
        print(report(held))
    return 0


if __name__ == "__main__":
    sys.exit(main())
