"""Bad input to the corpus loader and to `claimalign claims`: one clear message, exit 2, nothing written."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from claimalign.cli import main
from claimalign.corpus import load_corpus
from claimalign.errors import CorpusError, CorpusWarning
from conftest import SEED

LETTER = "A coalition of 10 Canadian organizations wrote to the Prime Minister on January 9, 2026.\n"
REPORT = "A coalition of nine human rights organizations is urging Prime Minister Mark Carney to act.\n"


def entry(doc_id: str, file: str, kind: str = "report", date: str = "2026-01-13") -> str:
    """One manifest entry, written as a person would type it (scalars unquoted)."""
    return f"  - id: {doc_id}\n    file: {file}\n    kind: {kind}\n    date: {date}\n"


def manifest(primary: str, *entries: str) -> str:
    return f"corpus: tiny\nprimary: {primary}\ndocuments:\n" + "".join(entries)


GOOD_MANIFEST = manifest("letter", entry("letter", "letter.txt", "primary", "2026-01-09"),
                         entry("report", "report.txt"))


def write_corpus(root: Path, manifest_text: str, texts: dict[str, str | bytes]) -> Path:
    """A corpus folder made by hand: manifest.yaml plus the given texts (str is written as UTF-8)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.yaml").write_text(manifest_text, encoding="utf-8")
    for name, content in texts.items():
        (root / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `folder`, by relative path."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@dataclass
class Case:
    name: str
    manifest: str
    texts: dict[str, str | bytes]
    culprit: str          # file the message must name: "manifest.yaml" or a text file
    words: tuple[str, ...]  # every one must appear in the problem
    any_of: tuple[str, ...] = ()  # at least one must appear, when given
    line: int | None = None  # the manifest line the message names (FILE:LINE), when it names one


CASES = [
    Case("missing file", GOOD_MANIFEST, {"letter.txt": LETTER},
         "report.txt", ("missing", "'report'")),
    Case("duplicate id",
         manifest("letter", entry("letter", "letter.txt", "primary"), entry("letter", "report.txt")),
         {"letter.txt": LETTER, "report.txt": REPORT},
         "manifest.yaml", ("duplicate id", "'letter'"), line=8),
    Case("unknown primary id",
         manifest("nobody", entry("letter", "letter.txt", "primary"), entry("report", "report.txt")),
         {"letter.txt": LETTER, "report.txt": REPORT},
         "manifest.yaml", ("unknown primary id", "'nobody'"), line=2),
    Case("path escapes the corpus folder",
         manifest("letter", entry("letter", "letter.txt", "primary"), entry("report", "../x.txt")),
         {"letter.txt": LETTER},
         "manifest.yaml", ("escapes the corpus folder", "../x.txt"), line=9),
    Case("unparseable date",
         manifest("letter", entry("letter", "letter.txt", "primary"),
                  entry("report", "report.txt", date="13/01/2026")),
         {"letter.txt": LETTER, "report.txt": REPORT},
         "manifest.yaml", ("not a date", "13/01/2026", "'report'"), line=11),
    Case("date that is not on the calendar",
         manifest("letter", entry("letter", "letter.txt", "primary"),
                  entry("report", "report.txt", date="2026-02-30")),
         {"letter.txt": LETTER, "report.txt": REPORT},
         "manifest.yaml", ("2026-02-30", "'report'"), ("not a date", "not a real calendar date"), line=11),
    Case("malformed YAML",
         "primary: letter\ndocuments:\n  - id: letter\n    file: [letter.txt\n    kind: primary\n",
         {"letter.txt": LETTER},
         "manifest.yaml", ("malformed YAML",), line=5),
    Case("empty file", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": b""},
         "report.txt", ("empty",)),
    Case("blank file", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": b"  \n\n\t\n"},
         "report.txt", ("empty",)),
    Case("binary file", GOOD_MANIFEST,
         {"letter.txt": LETTER, "report.txt": b"%PDF-1.4\n%\xe2\xe3\x00\x01\x02\x00stream\x00\xff\xd8"},
         "report.txt", ("binary",)),
    Case("control bytes without a NUL", GOOD_MANIFEST,
         {"letter.txt": LETTER, "report.txt": b"GIF89a\x01\x02\x03\x04\x1b\x05\x06 a picture, not a text"},
         "report.txt", ("binary",)),
]
IDS = [c.name for c in CASES]


def culprit(case: Case, root: Path) -> str:
    """What the message names: the file, with the manifest line when the problem has one."""
    return f"{root / case.culprit}" + (f":{case.line}" if case.line else "")


def build(case: Case, tmp_path: Path) -> Path:
    root = write_corpus(tmp_path / "corpus", case.manifest, case.texts)
    (tmp_path / "x.txt").write_text(REPORT, encoding="utf-8")  # the file `../x.txt` points at
    return root


def claimalign_command() -> list[str]:
    script = Path(sys.executable).parent / "claimalign"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "claimalign.cli"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loader_names_the_file_and_the_problem(case: Case, tmp_path: Path) -> None:
    root = build(case, tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(CorpusError) as info:
        load_corpus(root)
    problems = info.value.problems
    assert len(problems) == 1, problems
    path, problem = problems[0]
    assert path == culprit(case, root)
    for word in case.words:
        assert word in problem, problem
    assert not case.any_of or any(word in problem for word in case.any_of), problem
    assert str(info.value) == f"{culprit(case, root)}: {problem}"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_claims_reports_bad_input_and_writes_nothing(case: Case, tmp_path: Path, capsys) -> None:
    root = build(case, tmp_path)
    before = snapshot(tmp_path)
    status = main(["claims", str(root), "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.startswith("claimalign: error: ")
    assert f"{culprit(case, root)}: " in err
    for word in case.words:
        assert word in err
    assert not case.any_of or any(word in err for word in case.any_of), err
    assert "Traceback" not in err
    assert snapshot(tmp_path) == before


@pytest.fixture(scope="module")
def subprocess_runs(tmp_path_factory):
    """Run `claimalign claims` on every bad corpus as a real process, all at once (startup is slow)."""
    runs = {}
    for case in CASES:
        tmp = tmp_path_factory.mktemp("sub")
        root = build(case, tmp)
        proc = subprocess.Popen([*claimalign_command(), "claims", str(root), "--format", "json"],
                                cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        runs[case.name] = (proc, tmp, root, snapshot(tmp))
    yield runs
    for proc, *_ in runs.values():
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_subprocess_exits_2_without_traceback(case: Case, subprocess_runs) -> None:
    proc, tmp, root, before = subprocess_runs[case.name]
    stdout, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 2, stderr
    assert stdout == ""
    assert f"{culprit(case, root)}: " in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert snapshot(tmp) == before


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = manifest("letter", entry("letter", "letter.txt", "primary"), entry("letter", "other.txt"),
                    entry("report", "report.txt", date="next week"))
    root = write_corpus(tmp_path / "corpus", text, {"letter.txt": LETTER})
    with pytest.raises(CorpusError) as info:
        load_corpus(root)
    mpath = str(root / "manifest.yaml")
    assert info.value.problems == [
        (f"{mpath}:8", "duplicate id 'letter'"),
        (f"{mpath}:15", "document 'report': date 'next week' is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)"),
        (str(root / "report.txt"), "missing: listed in the manifest as document 'report'"),
    ]


def test_missing_manifest_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(CorpusError, match="manifest.yaml: missing"):
        load_corpus(tmp_path / "corpus")
    with pytest.raises(CorpusError, match="no such corpus folder"):
        load_corpus(tmp_path / "nowhere")


def test_valid_small_corpus_loads(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": REPORT})
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        corpus = load_corpus(root)
    assert corpus.name == "tiny"
    assert [d.id for d in corpus] == ["letter", "report"]
    assert corpus.primary_id == "letter"
    assert corpus.primary.id == "letter"
    assert [d.kind for d in corpus] == ["primary", "report"]
    assert [d.id for d in corpus.reports] == ["report"]
    assert corpus["report"].raw == REPORT
    assert corpus["report"].path == root / "report.txt"
    assert [d.encoding for d in corpus] == ["utf-8", "utf-8"]
    assert corpus["letter"].date.iso() == "2026-01-09"
    assert corpus.warnings == []


@pytest.mark.parametrize("file, escapes", [("sub/../report.txt", False), ("inside/report.txt", False),
                                           ("linked.txt", True), ("away/report.txt", True),
                                           ("inside/../away/report.txt", True), ("sub/../../x.txt", True)])
def test_a_file_escapes_the_corpus_folder_through_dots_or_a_symlink(tmp_path: Path, file: str, escapes: bool) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "report.txt").write_text(REPORT, encoding="utf-8")
    (outside / "linked.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "x.txt").write_text(REPORT, encoding="utf-8")
    text = manifest("letter", entry("letter", "letter.txt", "primary", "2026-01-09"), entry("report", file))
    root = write_corpus(tmp_path / "corpus", text, {"letter.txt": LETTER, "report.txt": REPORT})
    (root / "sub").mkdir()
    (root / "inside").mkdir()
    (root / "inside" / "report.txt").write_text(REPORT, encoding="utf-8")
    (root / "linked.txt").symlink_to(outside / "linked.txt")
    (root / "away").symlink_to(outside, target_is_directory=True)
    if not escapes:
        assert load_corpus(root)["report"].raw == REPORT
        return
    with pytest.raises(CorpusError) as err:
        load_corpus(root)
    assert "escapes the corpus folder" in str(err.value) and repr(file) in str(err.value)


def test_a_text_with_a_few_stray_control_bytes_is_still_text(tmp_path: Path) -> None:
    report = REPORT + "\x1b[0m\f" + "\x07"
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": report})
    assert load_corpus(root)["report"].raw == report


def test_valid_small_corpus_through_the_cli(tmp_path: Path, capsys) -> None:
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": REPORT})
    before = snapshot(tmp_path)
    assert main(["claims", str(root), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    claims = json.loads(out)
    assert {c["doc"] for c in claims} == {"letter", "report"}
    counts = {c["doc"]: c["value"]["value"] for c in claims if c["kind"] == "count"}
    assert counts == {"letter": 10, "report": 9}
    assert snapshot(tmp_path) == before


CP1252_BYTES = b"The coalition called the approach \x93ad hoc\x94 \x96 caf\xe9 diplomacy, it\x92s said.\n"
CP1252_TEXT = "The coalition called the approach \u201cad hoc\u201d \u2013 caf\u00e9 diplomacy, it\u2019s said.\n"


def test_cp1252_file_loads_with_a_warning(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": CP1252_BYTES})
    with pytest.warns(CorpusWarning) as record:
        corpus = load_corpus(root)
    messages = [str(w.message) for w in record]
    path = str(root / "report.txt")
    assert any(path in m and "cp1252" in m for m in messages), messages
    assert corpus.warnings == [m for m in messages if path in m]
    doc = corpus["report"]
    assert doc.encoding == "cp1252"
    assert doc.raw == CP1252_TEXT
    assert "\u201c" in doc.raw and "\u00e9" in doc.raw
    assert "\ufffd" not in doc.raw and "\u00c3" not in doc.raw and "\u00e2\u20ac" not in doc.raw
    assert '"ad hoc"' in doc.norm.text and "it's said" in doc.norm.text
    assert corpus["letter"].encoding == "utf-8"


LATIN1_TEXT = "Amnistie Internationale Canada a d\u00e9clar\u00e9 : \u00ab na\u00efvet\u00e9 \u00bb, \u00e0 1\u00b0C.\n"


def test_latin1_file_loads_with_a_warning(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST,
                        {"letter.txt": LETTER, "report.txt": LATIN1_TEXT.encode("latin-1")})
    with pytest.warns(CorpusWarning) as record:
        corpus = load_corpus(root)
    doc = corpus["report"]
    path = str(root / "report.txt")
    assert doc.encoding in {"cp1252", "latin-1"}
    assert any(path in str(w.message) and doc.encoding in str(w.message) for w in record)
    assert doc.raw == LATIN1_TEXT
    assert "d\u00e9clar\u00e9" in doc.raw and "\u00ab" in doc.raw


def test_latin1_only_bytes_fall_back_to_latin1(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252, so only Latin-1 can read this file.
    data = b"Caf\xe9 cr\xe8me\x81 na\xefve.\n"
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": data})
    with pytest.warns(CorpusWarning) as record:
        corpus = load_corpus(root)
    doc = corpus["report"]
    assert doc.encoding == "latin-1"
    assert any(str(root / "report.txt") in str(w.message) and "latin-1" in str(w.message) for w in record)
    assert doc.raw == "Caf\u00e9 cr\u00e8me\x81 na\u00efve.\n"


def test_cli_warns_about_cp1252_on_stderr_and_edits_nothing(tmp_path: Path, capsys) -> None:
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": CP1252_BYTES})
    before = snapshot(tmp_path)
    with warnings.catch_warnings():
        assert main(["claims", str(root), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "claimalign: warning:" in err
    assert str(root / "report.txt") in err and "cp1252" in err
    claims = json.loads(out)
    quotes = [c for c in claims if c["doc"] == "report" and c["kind"] == "quote"]
    assert [c["text"] for c in quotes] == ["ad hoc"]
    assert snapshot(tmp_path) == before


def test_cli_subprocess_valid_corpus_with_cp1252_file(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus", GOOD_MANIFEST, {"letter.txt": LETTER, "report.txt": CP1252_BYTES})
    before = snapshot(tmp_path)
    run = subprocess.run([*claimalign_command(), "claims", str(root), "--format", "json"],
                         cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert str(root / "report.txt") in run.stderr and "cp1252" in run.stderr
    assert {c["doc"] for c in json.loads(run.stdout)} == {"letter", "report"}
    assert snapshot(tmp_path) == before


def test_a_document_goes_to_another_process_without_its_normalised_view() -> None:
    import pickle

    doc = load_corpus(SEED).primary
    view = doc.norm
    sent = pickle.dumps(doc)
    copy = pickle.loads(sent)
    assert "norm" in doc.__dict__ and "norm" not in copy.__dict__
    assert len(sent) < len(pickle.dumps(doc.raw)) + 1000  # the text and its manifest entry, not 5x the text
    assert (copy.raw, copy.meta, copy.id) == (doc.raw, doc.meta, doc.id)
    assert copy.norm.text == view.text and list(copy.norm.starts) == list(view.starts)
