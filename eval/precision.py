#!/usr/bin/env python3
"""Precision of claimalign's findings, from hand labels (prints figures; not a test).

Each file tests/data/labels/findings/<corpus>.yaml labels the findings of one corpus:

    corpus: <corpus folder name>
    findings:
      - id: F-…                      # the finding's id when it was labelled
        type: misquote
        severity: high               # as it was when labelled (for the reader)
        subject: quote of Ana Ruiz
        evidence:                    # [source, text] pairs: re-find the finding when its id changes
          - [phayul, "ad hoc or uncoordinated"]
        label: correct-useful        # correct-useful | correct-trivial | wrong
        reason: one line saying why

A label applies to today's finding with the same id, else to one with the same type, subject
and evidence. The script prints precision per type and overall, the same for high-severity
findings, and lists today's findings that no label covers (`--append` adds them to the file
with `label: null`, for a person to fill in).

usage: python eval/precision.py [CORPUS ...] [--append] [--quiet]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import LABELS, corpus_dir  # noqa: E402

from claimalign import find_findings, load_corpus  # noqa: E402

LABEL_DIR = LABELS / "findings"
CORRECT = ("correct-useful", "correct-trivial")
VALID = CORRECT + ("wrong",)


def signature(type_: str, subject: str, evidence) -> tuple:
    """A finding's identity apart from its id: type, subject and its (source, text) evidence."""
    return type_, subject, tuple(sorted((str(s), str(t)) for s, t in evidence))


def load_labels(path: Path) -> tuple[str, list[dict]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return str(data.get("corpus") or path.stem), list(data.get("findings") or [])


def match(findings: list, labels: list[dict]) -> tuple[list[tuple], list]:
    """(finding, label) pairs for labelled findings, and the findings no label covers."""
    by_id = {lab.get("id"): lab for lab in labels}
    by_sig = {signature(lab.get("type"), lab["subject"], lab.get("evidence") or []): lab for lab in labels
              if "subject" in lab}
    pairs, new = [], []
    for f in findings:
        lab = by_id.get(f.id) or by_sig.get(signature(f.type, f.subject, [(e.source, e.text) for e in f.evidence]))
        if lab is not None and lab.get("label") in VALID:
            pairs.append((f, lab))
        else:
            new.append(f)
    return pairs, new


def skeleton(f) -> str:
    """A label entry for a finding, as YAML text, with `label: null`."""
    entry = {"id": f.id, "type": f.type, "severity": f.severity, "subject": f.subject,
             "evidence": [[e.source, e.text] for e in f.evidence], "label": None, "reason": ""}
    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
    return "".join("  " + line + "\n" for line in text.splitlines())


def refresh(path: Path, name: str, findings: list, labels: list[dict]) -> None:
    """Rewrite a labels file with one entry per finding of today, in findings order, keeping labels."""
    pairs, _ = match(findings, labels)
    known = {f.id: lab for f, lab in pairs}
    out = [f"corpus: {name}\nfindings:\n"]
    for f in findings:
        entry = skeleton(f)
        lab = known.get(f.id)
        if lab is not None:
            entry = entry.replace("  label: null\n", f"  label: {lab['label']}\n").replace(
                "  reason: ''\n", "  reason: " + yaml.safe_dump(lab.get("reason") or "", allow_unicode=True,
                                                               width=1000).splitlines()[0] + "\n")
        out.append(entry)
    path.write_text("".join(out), encoding="utf-8")


def table(rows: dict[str, Counter], heading: str = "type") -> str:
    width = max([len(heading), 24] + [len(k) for k in rows])
    out = [f"{heading:{width}} {'labelled':>8} {'useful':>7} {'trivial':>7} {'wrong':>6} {'precision':>9}"]
    for name in sorted(rows, key=lambda k: (k == "ALL", k)):
        c = rows[name]
        n = sum(c[v] for v in VALID)
        prec = f"{(c['correct-useful'] + c['correct-trivial']) / n:.3f}" if n else "-"
        out.append(f"{name:{width}} {n:8} {c['correct-useful']:7} {c['correct-trivial']:7} {c['wrong']:6} {prec:>9}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", help="corpus names (default: every labels file)")
    ap.add_argument("--append", action="store_true", help="add unlabelled findings to the labels file")
    ap.add_argument("--refresh", action="store_true",
                    help="rewrite the labels file: today's findings only, labels carried over, new ones unlabelled")
    ap.add_argument("--quiet", action="store_true", help="only the tables")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    files = [LABEL_DIR / f"{n}.yaml" for n in args.corpora] or sorted(LABEL_DIR.glob("*.yaml"))
    by_type: dict[str, Counter] = defaultdict(Counter)
    high: dict[str, Counter] = defaultdict(Counter)
    unlabelled: dict[str, list] = {}
    wrong_lines: list[str] = []
    per_corpus: dict[str, Counter] = {}
    for path in files:
        name, labels = load_labels(path) if path.is_file() else (path.stem, [])
        folder = corpus_dir(name)
        if folder is None:
            print(f"skip {name}: corpus not found", file=sys.stderr)
            continue
        findings = find_findings(load_corpus(folder))
        pairs, new = match(findings, labels)
        per_corpus[name] = Counter(lab["label"] for _, lab in pairs)
        for f, lab in pairs:
            for bucket in (by_type[f.type], by_type["ALL"]):
                bucket[lab["label"]] += 1
            if f.severity == "high":
                for bucket in (high[f.type], high["ALL"]):
                    bucket[lab["label"]] += 1
            if lab["label"] == "wrong":
                wrong_lines.append(f"  {name} {f.id} {f.type} ({f.severity}): {lab.get('reason', '')}")
        unlabelled[name] = new
        if args.refresh:
            refresh(path, name, findings, labels)
        elif args.append and new:
            if not path.is_file():
                path.write_text(f"corpus: {name}\nfindings:\n", encoding="utf-8")
            with path.open("a", encoding="utf-8") as fh:
                fh.write("".join(skeleton(f) for f in new))
    if args.json:
        print(json.dumps({"by_type": by_type, "high": high,
                          "unlabelled": {k: len(v) for k, v in unlabelled.items()}}, indent=1))
        return 0
    print("All findings\n" + table(by_type) + "\n\nHigh-severity findings\n" + table(high)
          + "\n\nBy corpus\n" + table(per_corpus, "corpus"))
    if not args.quiet:
        if wrong_lines:
            print("\nWrong findings:\n" + "\n".join(wrong_lines))
        for name, new in unlabelled.items():
            if new:
                print(f"\n{name}: {len(new)} findings not labelled yet" + (" (appended)" if args.append else ""))
                for f in new[:40]:
                    print(f"  {f.id} {f.type} ({f.severity}) {f.subject[:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
