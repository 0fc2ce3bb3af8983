"""Findings on the seed corpus: evidence, schema, stable ids, the shared gold, bad input, reviews."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from claimalign.cli import main
from claimalign.corpus import MANIFEST, load_corpus
from claimalign import find_findings
from claimalign.errors import ClaimalignError, CorpusError
from claimalign.rules import FINDING_TYPES

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "corpus" / "carney-china-visit-2026"
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "score_findings.py"
GOLD = SHARED / "gold" / "seed-findings.yaml"
KEYS = ["id", "type", "severity", "confidence", "subject", "sources", "values", "explanation", "evidence",
        "score", "status", "note", "detail"]
MAX_EVIDENCE = 600  # characters: a sentence or less


@pytest.fixture(scope="module")
def seed():
    return load_corpus(SEED)


@pytest.fixture(scope="module")
def seed_findings(seed):
    return [f.to_dict() for f in find_findings(seed)]


def copy_corpus(src: Path, dst: Path) -> Path:
    """Copy a corpus folder's files (not their read-only modes) into a new folder."""
    dst.mkdir(parents=True)
    for path in src.iterdir():
        if path.is_file():
            shutil.copyfile(path, dst / path.name)
    return dst


def write_manifest(root: Path, data: dict) -> None:
    (root / MANIFEST).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


# ---------------------------------------------------------------- evidence and schema

def test_every_evidence_span_is_the_text_it_quotes(seed, seed_findings):
    assert seed_findings
    for f in seed_findings:
        assert f["evidence"], f["id"]
        for e in f["evidence"]:
            assert seed[e["source"]].raw[e["start"]:e["end"]] == e["text"], (f["id"], e)


def test_evidence_is_a_sentence_or_less(seed_findings):
    too_long = [(f["id"], f["type"], len(e["text"])) for f in seed_findings for e in f["evidence"]
                if len(e["text"]) > MAX_EVIDENCE]
    assert too_long == []


def test_every_finding_has_the_documented_keys_and_values(seed_findings):
    for f in seed_findings:
        assert list(f) == KEYS
        assert f["type"] in FINDING_TYPES
        assert f["severity"] in ("high", "medium", "low")
        assert f["status"] == "needs_review" and f["note"] == ""
        assert re.fullmatch(r"F-[0-9a-f]{10}", f["id"])
        assert f["subject"] and f["explanation"]
        assert set(f["sources"]) >= {e["source"] for e in f["evidence"]} or f["type"] == "omission"
    assert len({f["id"] for f in seed_findings}) == len(seed_findings)


# ---------------------------------------------------------------- determinism and stable ids

def test_two_runs_give_the_same_findings_in_the_same_order(seed_findings):
    again = [f.to_dict() for f in find_findings(load_corpus(SEED))]
    assert again == seed_findings


def test_ids_do_not_depend_on_the_manifest_order(tmp_path, seed_findings):
    root = copy_corpus(SEED, tmp_path / "reordered")
    data = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    original = [d["id"] for d in data["documents"]]
    data["documents"] = data["documents"][::-1]
    assert [d["id"] for d in data["documents"]] != original
    write_manifest(root, data)
    reordered = {f.id: f.to_dict() for f in find_findings(load_corpus(root))}
    original_ids = {f["id"]: f for f in seed_findings}
    changed = [(side, f["type"], f["subject"]) for side, ids, other in
               (("original", original_ids, reordered), ("reordered", reordered, original_ids))
               for i, f in ids.items() if i not in other]
    assert changed == []


# ---------------------------------------------------------------- the shared gold

@pytest.mark.skipif(not (SCORER.is_file() and GOLD.is_file()),
                    reason="../shared (score_findings.py and the gold findings) is not beside the repository")
def test_findings_score_full_recall_against_the_shared_gold(tmp_path, capsys):
    assert main(["findings", str(SEED), "--format", "json"]) == 0
    out = tmp_path / "findings.json"
    out.write_text(capsys.readouterr().out, encoding="utf-8")
    python = REPO / ".venv" / "bin" / "python"
    result = subprocess.run([str(python if python.exists() else sys.executable), str(SCORER), str(out), str(GOLD)],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert "recall 8/8" in summary and "agreements violated 0/3" in summary, result.stdout


# ---------------------------------------------------------------- bad input

def test_empty_documents_list(tmp_path, capsys):
    root = tmp_path / "empty"
    root.mkdir()
    write_manifest(root, {"corpus": "empty", "primary": "a", "documents": []})
    with pytest.raises(CorpusError) as err:
        load_corpus(root)
    assert "empty" in str(err.value) and MANIFEST in str(err.value)
    assert main(["findings", str(root)]) == 2
    stderr = capsys.readouterr().err
    assert "empty" in stderr and MANIFEST in stderr and "Traceback" not in stderr


def test_primary_that_is_not_a_document(tmp_path, capsys):
    root = copy_corpus(SEED, tmp_path / "bad-primary")
    data = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    data["primary"] = "no-such-letter"
    write_manifest(root, data)
    with pytest.raises(CorpusError) as err:
        load_corpus(root)
    assert "primary" in str(err.value) and "no-such-letter" in str(err.value)
    assert main(["findings", str(root)]) == 2
    stderr = capsys.readouterr().err
    assert "primary" in stderr and "Traceback" not in stderr


def test_a_primary_alone_has_nothing_to_compare(tmp_path, capsys):
    root = copy_corpus(SEED, tmp_path / "alone")
    data = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    data["documents"] = [d for d in data["documents"] if d["id"] == data["primary"]]
    write_manifest(root, data)
    corpus = load_corpus(root)  # a valid corpus, just nothing to compare it with
    with pytest.raises(ClaimalignError, match="at least one other document"):
        find_findings(corpus)
    assert main(["findings", str(root)]) == 2
    stderr = capsys.readouterr().err
    assert "at least one other document" in stderr and "Traceback" not in stderr


# ---------------------------------------------------------------- reviews.yaml

def test_reviews_apply_and_bad_lines_warn(tmp_path, capsys, seed_findings):
    root = copy_corpus(SEED, tmp_path / "reviewed")
    confirmed, other = seed_findings[0]["id"], seed_findings[1]["id"]
    lines = [
        "# Reviewer verdicts on findings of the seed corpus.",  # 1
        "reviews:",                                             # 2
        f"  - id: {confirmed}",                                 # 3  (a) valid
        "    status: confirmed",                               # 4
        "    note: Checked against the letter’s PDF.",          # 5
        "  - id: F-0000000000",                                 # 6  (b) unknown id
        "    status: confirmed",                               # 7
        f"  - id: {other}",                                     # 8  (c) unknown status
        "    status: maybe",                                   # 9
    ]
    reviews = root / "reviews.yaml"
    reviews.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = reviews.read_bytes()

    assert main(["findings", str(root), "--format", "json"]) == 0
    captured = capsys.readouterr()
    out = {f["id"]: f for f in json.loads(captured.out)}
    assert out[confirmed]["status"] == "confirmed"
    assert out[confirmed]["note"] == "Checked against the letter’s PDF."
    assert out[other]["status"] == "needs_review"
    assert sum(f["status"] != "needs_review" for f in out.values()) == 1
    warned = [line for line in captured.err.splitlines() if "reviews.yaml" in line]
    assert any("reviews.yaml:6" in line and "F-0000000000" in line for line in warned), captured.err
    assert any("reviews.yaml:8" in line and "maybe" in line for line in warned), captured.err
    assert "Traceback" not in captured.err
    assert reviews.read_bytes() == before
