#!/usr/bin/env python3
"""Speaker attribution against hand labels (prints figures; not a test).

tests/data/labels/speakers/<corpus>.yaml lists every double-quoted span of a corpus's reports
with who speaks it (format in that folder's files). For each labelled direct quotation (kind
speech) the script finds claimalign's quote claim holding the labelled words and compares its
speaker:
  right      the speaker the label gives (a full name, a surname of it, or a listed spelling),
             or no name where the label has none;
  named      claimalign names a speaker (its `speaker`, not a `speaker_description`);
  wrong      a named speaker that is not the labelled one.
It prints, per corpus and overall: quotations, right, named, named-and-right, and the two
targets' figures: share right, and share of named speakers that are right.

usage: python eval/speakers.py [CORPUS ...] [--errors]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import LABELS, corpus_dir  # noqa: E402

from claimalign import extract_claims, load_corpus  # noqa: E402
from claimalign.extract.mentions import split_title  # noqa: E402

LABEL_DIR = LABELS / "speakers"


def fold(name: str) -> list[str]:
    """A name's words for comparison: titles off, case and punctuation folded."""
    name = split_title(name.strip())[1] or name
    return [w for w in re.sub(r"[^\w\s-]", " ", name.casefold()).split() if w not in {"the", "mr", "ms", "mrs", "dr"}]


def same_person(ours: str, label: dict) -> bool:
    names = [label.get("speaker")] + list(label.get("also") or [])
    mine = fold(ours)
    for name in filter(None, names):
        theirs = fold(str(name))
        if mine == theirs:
            return True
        if mine and set(mine) <= set(theirs) and mine[-1] == theirs[-1]:
            return True
    return False


def named(speaker: str | None) -> bool:
    return bool(speaker) and speaker != "questioner"


def evaluate(name: str, labels: list[dict]) -> tuple[dict, list[str]]:
    folder = corpus_dir(name)
    if folder is None:
        raise FileNotFoundError(name)
    corpus = load_corpus(folder)
    quotes = [c for c in extract_claims(corpus) if c.kind == "quote"]
    stats = {"quotes": 0, "right": 0, "named": 0, "named_right": 0, "unmatched": 0}
    errors = []
    for lab in labels:
        if lab.get("kind") != "speech":
            continue
        stats["quotes"] += 1
        raw = corpus[lab["doc"]].raw
        at = raw.find(lab["quote"])
        claim = next((c for c in quotes if c.doc == lab["doc"] and c.start <= at < c.end), None) if at >= 0 else None
        ours = claim.detail.get("speaker") if claim else None
        if claim is None:
            stats["unmatched"] += 1
        truth = lab.get("speaker")
        if named(ours):
            stats["named"] += 1
            ok = truth is not None and same_person(str(ours), lab)
            stats["named_right"] += ok
        else:
            ok = truth is None
        stats["right"] += ok
        if not ok:
            errors.append(f"  {name}/{lab['doc']}: \u201c{lab['quote'][:50]}\u201d  label={truth!r}  "
                          f"claimalign={ours!r}{'' if claim else ' (no quote claim)'}")
    return stats, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*")
    ap.add_argument("--errors", action="store_true", help="list every quotation whose speaker is not right")
    args = ap.parse_args(argv)
    files = [LABEL_DIR / f"{n}.yaml" for n in args.corpora] or sorted(LABEL_DIR.glob("*.yaml"))
    total = {"quotes": 0, "right": 0, "named": 0, "named_right": 0, "unmatched": 0}
    all_errors = []
    print(f"{'corpus':36} {'quotes':>6} {'right':>6} {'named':>6} {'named ok':>8}")
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            stats, errors = evaluate(str(data["corpus"]), data.get("quotes") or [])
        except FileNotFoundError:
            print(f"{data['corpus']:36} (corpus not on this machine)")
            continue
        all_errors += errors
        for k in total:
            total[k] += stats[k]
        print(f"{data['corpus']:36} {stats['quotes']:6} {stats['right']:6} {stats['named']:6} {stats['named_right']:8}")
    n, named_n = total["quotes"], total["named"]
    print(f"{'ALL':36} {n:6} {total['right']:6} {named_n:6} {total['named_right']:8}")
    print(f"right speaker: {total['right'] / max(n, 1):.1%} of {n} quotations (target 90%)")
    print(f"named speakers right: {total['named_right'] / max(named_n, 1):.1%} of {named_n} (target 97%)")
    if total["unmatched"]:
        print(f"({total['unmatched']} labelled quotations have no quote claim)")
    if args.errors:
        print("\n".join(all_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
