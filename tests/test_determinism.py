"""The same corpus gives byte-identical findings JSON whatever PYTHONHASHSEED is (every test corpus)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO / "data" / "corpus" / "carney-china-visit-2026"] + sorted(
    p.parent for p in (REPO / "tests" / "data").glob("*/manifest.yaml"))
SEEDS = ["0", "1", "2", "3", "42"]
SCRIPT = """
import hashlib, json, sys
from claimalign import find_findings, load_corpus
from claimalign.cli import dumps
out = {}
for path in sys.argv[1:]:
    found = find_findings(load_corpus(path))
    out[path] = hashlib.sha256(dumps([f.to_dict() for f in found]).encode("utf-8")).hexdigest()
print(json.dumps(out))
"""


def _digests(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, CORPORA)], env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_findings_are_byte_identical_across_hash_seeds():
    assert len(CORPORA) >= 7
    runs = {seed: _digests(seed) for seed in SEEDS}
    first = runs[SEEDS[0]]
    assert set(first) == {str(p) for p in CORPORA}
    for seed, digests in runs.items():
        assert digests == first, f"PYTHONHASHSEED={seed} changes the findings of " + ", ".join(
            Path(p).name for p in first if digests.get(p) != first[p])


def test_a_long_document_gives_the_same_findings_whatever_the_hash_seed(tmp_path):
    """Every test corpus's texts run together as one report: ties in long documents break on stable keys."""
    corpus = tmp_path / "long"
    corpus.mkdir()
    texts = [p.read_text(encoding="utf-8") for c in CORPORA for p in sorted(c.glob("*.txt"))]
    (corpus / "report.txt").write_text("\n\n".join(texts * 2), encoding="utf-8")
    (corpus / "primary.txt").write_bytes((CORPORA[0] / "coalition-letter.txt").read_bytes())
    (corpus / "manifest.yaml").write_text(
        "primary: primary\ndocuments:\n  - {id: primary, file: primary.txt, kind: primary, date: 2026-01-09}\n"
        "  - {id: report, file: report.txt, kind: report, date: 2026-01-14}\n", encoding="utf-8")
    script = SCRIPT.replace("print(json.dumps(out))", "print(json.dumps(out)); print(len(found))")
    runs = {}
    for seed in ("0", "1", "42"):
        done = subprocess.run([sys.executable, "-c", script, str(corpus)], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        digests, count = done.stdout.splitlines()
        runs[seed] = json.loads(digests)
        assert int(count) > 100
    assert runs["0"] == runs["1"] == runs["42"]
