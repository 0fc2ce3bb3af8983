"""`claimalign export`: ClaimReview and Web Annotation JSON-LD, CSV and Parquet tables."""
from __future__ import annotations

import copy
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from claimalign import export
from claimalign.cli import main
from claimalign.corpus import Corpus, load_corpus
from claimalign import find_findings
from claimalign.export import load_reviewer, to_annotations, to_claimreview
from claimalign.extract import extract_claims
from claimalign.rules.finding import COLUMNS, Finding
from claimalign.normalize import PROJECT_ROOT

SEED = PROJECT_ROOT / "data" / "corpus" / "carney-china-visit-2026"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "claimreview.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
REVIEWER = {"name": "Harbour Fact Desk", "url": "https://factdesk.example.org"}


@pytest.fixture(scope="module")
def seed() -> Corpus:
    return load_corpus(SEED)


@pytest.fixture(scope="module")
def seed_findings(seed: Corpus) -> list[Finding]:
    return find_findings(seed)


@pytest.fixture
def reviewed_corpus(tmp_path: Path, seed_findings: list[Finding]) -> Path:
    """A copy of the seed corpus whose reviews.yaml confirms the ad-hoc misquote and explains the count."""
    root = tmp_path / "corpus"
    shutil.copytree(SEED, root, copy_function=shutil.copyfile)
    root.chmod(0o755)
    misquote = _one(seed_findings, "misquote", "ad hoc or uncoordinated.")
    count = _one(seed_findings, "count_conflict", "A coalition of nine human rights organizations")
    (root / "reviews.yaml").write_text(
        f"reviews:\n  - id: {misquote.id}\n    status: confirmed\n"
        f"  - id: {count.id}\n    status: explained\n    note: Phayul counts the signatories.\n",
        encoding="utf-8")
    return root


def _one(findings: list[Finding], type_: str, text: str) -> Finding:
    (found,) = [f for f in findings if f.type == type_ and any(e.text == text for e in f.evidence)]
    return found


def test_every_annotation_selects_the_same_text_by_position_and_by_quote(
        seed: Corpus, seed_findings: list[Finding]) -> None:
    annotations = to_annotations(seed_findings, seed)
    by_file = {d.meta["file"]: d for d in seed}
    assert len(annotations) == sum(len(f.evidence) for f in seed_findings) > 50
    for annotation in annotations:
        raw = by_file[annotation["target"]["source"]].raw
        quote, position = annotation["target"]["selector"]
        start, end = position["start"], position["end"]
        assert raw[start:end] == quote["exact"], annotation["id"]
        assert raw[:start].endswith(quote.get("prefix", "")) and raw[end:].startswith(quote.get("suffix", ""))
    assert len({a["id"] for a in annotations}) == len(annotations)


def test_an_annotation_carries_the_explanation_and_the_quote_context(
        seed: Corpus, seed_findings: list[Finding]) -> None:
    misquote = _one(seed_findings, "misquote", "ad hoc or uncoordinated.")
    phayul = to_annotations([misquote], seed)[0]
    assert phayul["type"] == "Annotation" and phayul["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert phayul["target"]["source"] == "phayul.txt"
    assert phayul["target"]["selector"][0] == {
        "type": "TextQuoteSelector", "exact": "ad hoc or uncoordinated.",
        "prefix": "ent and strategic, rather than \u201c", "suffix": "\u201d\n\n\n"}
    assert phayul["body"][0] == {"type": "TextualBody", "purpose": "commenting", "format": "text/plain",
                                 "value": misquote.explanation}
    assert phayul["body"][1]["value"] == "misquote" and len(phayul["body"]) == 2


def test_claimreview_export_validates_against_the_schema(reviewed_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "reviews.jsonld"
    assert main(["export", str(reviewed_corpus), "--to", "claimreview", "--out", str(out),
                 "--reviewer", REVIEWER["name"], "--reviewer-url", REVIEWER["url"], "--date", "2026-02-01"]) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    VALIDATOR.validate(records)
    assert len(records) == 2
    by_rating = {r["reviewRating"]["alternateName"]: r for r in records}
    misquote = by_rating["Misquoted"]
    assert misquote["claimReviewed"] == "ad hoc or uncoordinated."
    assert misquote["itemReviewed"] == {
        "@type": "Claim", "author": {"@type": "Organization", "name": "Phayul"},
        "appearance": {"@type": "CreativeWork", "identifier": "phayul", "datePublished": "2026-01-13",
                       "author": {"@type": "Person", "name": "Tenzin Nyidon"},
                       "publisher": {"@type": "Organization", "name": "Phayul"}}}
    assert misquote["author"] == {"@type": "Organization", **REVIEWER}
    assert misquote["datePublished"] == "2026-02-01"
    count = by_rating["Difference explained"]
    assert count["claimReviewed"] == "a coalition of at least nine Canadian human rights organisations"
    assert count["reviewRating"]["ratingExplanation"].endswith("Reviewer's note: Phayul counts the signatories.")


def test_the_schema_rejects_a_review_without_the_claims_author(reviewed_corpus: Path) -> None:
    corpus = load_corpus(reviewed_corpus)
    records = to_claimreview(find_findings(corpus), corpus, reviewer=REVIEWER, date_published="2026-02-01")
    broken = copy.deepcopy(records)
    del broken[0]["itemReviewed"]["author"]
    assert not list(VALIDATOR.iter_errors(records))
    with pytest.raises(jsonschema.ValidationError, match="'author' is a required property"):
        VALIDATOR.validate(broken)


def test_unreviewed_findings_are_not_published(seed: Corpus, seed_findings: list[Finding]) -> None:
    assert to_claimreview(seed_findings, seed, reviewer=REVIEWER) == []
    flagged = copy.deepcopy(seed_findings[:3])
    flagged[0].status, flagged[2].status = "false_positive", "confirmed"
    records = to_claimreview(flagged, seed, reviewer=REVIEWER)
    assert [r["identifier"] for r in records] == [flagged[0].id, flagged[2].id]
    assert records[0]["reviewRating"]["alternateName"] == "No discrepancy"


def test_the_reviewer_comes_from_project_then_corpus_config_then_flags(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "claimalign.yaml"
    project.write_text("reviewer:\n  name: Project Desk\n  url: https://project.example.org\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    monkeypatch.setattr(export, "REVIEWER_FILE", project)
    assert load_reviewer(corpus) == {"name": "Project Desk", "url": "https://project.example.org"}
    (corpus / "claimalign.yaml").write_text("reviewer: {name: Corpus Desk}\n", encoding="utf-8")
    assert load_reviewer(corpus) == {"name": "Corpus Desk", "url": "https://project.example.org"}
    assert load_reviewer(corpus, name="Flag Desk") == {"name": "Flag Desk", "url": "https://project.example.org"}


def test_claimreview_without_a_reviewer_says_where_to_set_one(
        reviewed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert load_reviewer(reviewed_corpus) == {}  # the shipped data/claimalign.yaml names nobody
    assert main(["export", str(reviewed_corpus), "--to", "claimreview"]) == 2
    err = capsys.readouterr().err
    assert "claimalign.yaml: no reviewer name" in err and "--reviewer NAME" in err


def test_findings_csv_has_one_row_per_finding_with_json_cells(
        reviewed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(reviewed_corpus), "--to", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    findings = find_findings(load_corpus(reviewed_corpus))
    assert list(table.columns) == COLUMNS and list(table["id"]) == [f.id for f in findings]
    rows = table.set_index("id")
    count = rows.loc[_one(findings, "count_conflict", "A coalition of nine human rights organizations").id]
    assert (count["status"], count["note"]) == ("explained", "Phayul counts the signatories.")
    assert json.loads(count["sources"]) == ["coalition-letter", "uyghur-times", "phayul", "unattributed-report"]
    row = rows.loc[_one(findings, "misquote", "ad hoc or uncoordinated.").id]
    assert row["status"] == "confirmed"
    assert json.loads(row["evidence"])[0] == {"source": "phayul", "start": 3462, "end": 3486,
                                              "text": "ad hoc or uncoordinated."}


def test_claims_table_exports_to_csv_and_parquet(seed: Corpus, tmp_path: Path) -> None:
    claims = extract_claims(seed)
    csv_out, parquet_out = tmp_path / "claims.csv", tmp_path / "claims.parquet"
    for fmt, out in (("csv", csv_out), ("parquet", parquet_out)):
        assert main(["export", str(SEED), "--to", fmt, "--table", "claims", "--out", str(out)]) == 0
    from_csv, from_parquet = pd.read_csv(csv_out), pd.read_parquet(parquet_out)
    assert len(from_csv) == len(from_parquet) == len(claims)
    assert list(from_parquet["id"]) == list(from_csv["id"]) == [c.id for c in claims]
    count = next(c for c in claims if c.kind == "count")
    row = from_parquet.set_index("id").loc[count.id]
    assert json.loads(row["value"]) == count.value and row["text"] == count.text


def test_out_never_overwrites_without_force(seed: Corpus, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "notes.json"
    mine.write_text("my own notes\n", encoding="utf-8")
    assert main(["export", str(SEED), "--to", "annotations", "--out", str(mine)]) == 2
    assert "notes.json: already exists; pass --force" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    assert main(["export", str(SEED), "--to", "annotations", "--out", str(mine), "--force"]) == 0
    assert json.loads(mine.read_text(encoding="utf-8"))[0]["type"] == "Annotation"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json"]


def test_findings_json_is_written_as_pythons_json_module_would_write_it(seed: Corpus) -> None:
    from claimalign.cli import dumps

    rows = [f.to_dict() for f in find_findings(seed)]
    claims = [c.to_dict() for c in extract_claims(seed)]
    for data in (rows, claims, {"é\u2028\"": [(), {}, -0.0, 2.5, None, True]}):
        assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2, default=str)
    assert dumps({"big": 2**70, "path": SEED}) == '{\n  "big": 1180591620717411303424,\n  "path": "%s"\n}' % SEED
    assert dumps(rows, compact=True) == json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=str)
    assert dumps({"big": 2**70}, compact=True) == '{"big":1180591620717411303424}'


def test_json_is_read_back_as_pythons_json_module_reads_it() -> None:
    from claimalign.jsontext import loads

    text = '{"é": [1, 2.5, null, true], "big": 1180591620717411303424}'
    assert loads(text) == loads(text.encode("utf-8")) == json.loads(text)
    with pytest.raises(ValueError):
        loads(b"\xff{")
