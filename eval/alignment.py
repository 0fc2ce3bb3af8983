#!/usr/bin/env python3
"""Precision and recall of sentence alignment against hand labels (prints figures; not a test).

Each file tests/data/labels/alignment/<corpus>.yaml labels sampled report sentences:

    corpus: <corpus folder name>
    pairs:
      - report: <report id>
        sentence: "<the report sentence, as in its text>"
        relation: verbatim | paraphrase | related | none
        source: "<the primary sentence it draws on>"   # null for none
        also: ["<other primary sentences it draws on>"]

A labelled sentence is found among the report's aligned sentences (the one that overlaps it
most). A prediction of verbatim or paraphrase is right when the label is verbatim or paraphrase
and one of its source sentences is the labelled source or one in `also`. Precision and recall are
for verbatim + paraphrase together, overall, per corpus and per labelled relation.

usage: python eval/alignment.py [CORPUS ...] [--set NAME=VALUE ...] [--no-embeddings] [--errors]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import LABELS, corpus_dir  # noqa: E402

from claimalign import load_corpus  # noqa: E402
from claimalign.quotealign import tokenize  # noqa: E402
from claimalign.sentalign import SentenceAlignment, align_sentences  # noqa: E402
from claimalign.settings import Settings  # noqa: E402

LABEL_DIR = LABELS / "alignment"
POSITIVE = ("verbatim", "paraphrase")


def key(text: str) -> str:
    return " ".join(tokenize(text))


@dataclass
class Case:
    """One labelled report sentence and what the aligner made of it."""

    corpus: str
    label: dict[str, Any]
    predicted: SentenceAlignment | None

    @property
    def gold_positive(self) -> bool:
        return self.label["relation"] in POSITIVE

    @property
    def predicted_positive(self) -> bool:
        return self.predicted is not None and self.predicted.relation in POSITIVE \
            and self.predicted.source_kind == "primary"

    @property
    def source_right(self) -> bool:
        return self.predicted is not None and matches([s.text for s in self.predicted.sources], self.label)


def matches(texts: list[str], label: dict[str, Any]) -> bool:
    """Whether one of the texts is the labelled source or one of the `also` sentences."""
    gold = [key(t) for t in [label.get("source"), *(label.get("also") or [])] if t]
    return any(fuzz.partial_ratio(key(t), g) >= 90 for t in texts for g in gold if key(t) and g)


def label_files(names: list[str] | None = None) -> list[Path]:
    files = sorted(LABEL_DIR.glob("*.yaml"))
    return [f for f in files if not names or f.stem in names]


def locate(label: dict[str, Any], rows: list[Any], span: Callable[[Any], Any] = lambda a: a.report) -> Any:
    """The row of the labelled report whose sentence best holds the labelled sentence."""
    want = key(label["sentence"])
    mine = [a for a in rows if span(a).source == label["report"]]
    best = max(mine, key=lambda a: fuzz.ratio(key(span(a).text), want), default=None)
    if best is None or fuzz.ratio(key(span(best).text), want) < 60:
        best = max(mine, key=lambda a: fuzz.partial_ratio(key(span(a).text), want), default=None)
    return best


def cases(settings: Settings, names: list[str] | None = None) -> tuple[list[Case], float, int]:
    """Every labelled sentence with its prediction; the seconds alignment took; sentences aligned."""
    out: list[Case] = []
    seconds, count = 0.0, 0
    for path in label_files(names):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        folder = corpus_dir(data["corpus"])
        if folder is None:
            print(f"{path.name}: corpus {data['corpus']} not found; skipped", file=sys.stderr)
            continue
        corpus = load_corpus(folder)
        t0 = time.perf_counter()
        rows = align_sentences(corpus, settings)
        seconds += time.perf_counter() - t0
        count += len(rows)
        out += [Case(data["corpus"], label, locate(label, rows)) for label in data["pairs"]]
    return out, seconds, count


def scores(cs: list[Case]) -> tuple[float, float, int, int]:
    """Precision, recall, predicted positives, gold positives."""
    predicted = [c for c in cs if c.predicted_positive]
    gold = [c for c in cs if c.gold_positive]
    right_p = sum(1 for c in predicted if c.gold_positive and c.source_right)
    right_r = sum(1 for c in gold if c.predicted_positive and c.source_right)
    return right_p / max(1, len(predicted)), right_r / max(1, len(gold)), len(predicted), len(gold)


def report(cs: list[Case], errors: bool = False) -> str:
    lines = []
    p, r, np_, ng = scores(cs)
    lines.append(f"verbatim+paraphrase: precision {p:.3f} ({np_} predicted)  recall {r:.3f} ({ng} labelled)  "
                 f"on {len(cs)} labelled sentences")
    by_corpus: dict[str, list[Case]] = defaultdict(list)
    for c in cs:
        by_corpus[c.corpus].append(c)
    for name, group in by_corpus.items():
        p, r, np_, ng = scores(group)
        lines.append(f"  {name:40s} precision {p:.3f} ({np_:2d})  recall {r:.3f} ({ng:2d})")
    lines.append("labelled relation -> predicted relation (source right?)")
    for rel in ("verbatim", "paraphrase", "related", "none"):
        group = [c for c in cs if c.label["relation"] == rel]
        counts: dict[str, int] = defaultdict(int)
        for c in group:
            pred = c.predicted.relation if c.predicted else "missing"
            kind = "" if not c.predicted or c.predicted.source_kind == "primary" else "(report)"
            ok = "+" if c.source_right else "-"
            counts[f"{pred}{kind}{ok if pred in POSITIVE else ''}"] += 1
        lines.append(f"  {rel:10s} {len(group):3d}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if errors:
        for c in cs:
            wrong = (c.predicted_positive and not (c.gold_positive and c.source_right)) or \
                (c.gold_positive and not (c.predicted_positive and c.source_right))
            if wrong:
                pred = c.predicted
                lines.append(f"\n[{c.corpus}] {c.label['relation']} -> "
                             f"{pred.relation if pred else '-'} {pred.score if pred else ''} "
                             f"{pred.source_kind if pred else ''}\n  R: {c.label['sentence'][:150]}\n"
                             f"  G: {(c.label.get('source') or '')[:150]}\n"
                             f"  P: {' | '.join(s.text[:150] for s in pred.sources) if pred else ''}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="label files by corpus name (default: all)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--no-embeddings", action="store_true", help="lexical similarity only")
    parser.add_argument("--errors", action="store_true", help="list every wrong case")
    args = parser.parse_args(argv)
    settings = Settings().with_assignments(args.set)
    if args.no_embeddings:
        settings = settings.with_values({"sentalign.embeddings": False})
    cs, seconds, count = cases(settings, args.corpora or None)
    print(report(cs, args.errors))
    print(f"aligned {count} report sentences in {seconds:.2f} s ({count / max(seconds, 1e-9):.0f} sentences/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
