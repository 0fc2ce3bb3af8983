"""Hostile or careless input: bounded YAML, typed fields, clean ids and texts, partial dates,
safe CSV and terminal text, and every error as one line (issue 12)."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import pathlib
import subprocess
import time
import warnings
from dataclasses import dataclass

import pytest

from claimalign.cli import main
from claimalign.safetext import csv_original, csv_safe, terminal_safe

from test_corpus import LETTER, REPORT, claimalign_command, snapshot, write_corpus

MANIFEST = """\
corpus: tiny
primary: letter
documents:
  - id: letter
    file: letter.txt
    kind: primary
    date: 2026-01-09
  - id: report
    file: report.txt
    outlet_basis: stated
    date: 2026-01-13
"""
TEXTS = {"letter.txt": LETTER, "report.txt": REPORT}
BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def corpus(tmp_path: pathlib.Path, manifest: str = MANIFEST, **files: str | bytes) -> pathlib.Path:
    """The tiny corpus, with extra files beside the manifest (reviews.yaml=..., aliases.yaml=...)."""
    root = write_corpus(tmp_path / "corpus", manifest, TEXTS)
    for name, content in files.items():
        name = name.replace("_yaml", ".yaml")
        (root / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def run(args: list[str], capsys) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status: int, out: str, err: str, *words: str) -> None:
    assert status == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("claimalign: error: ") and "Traceback" not in err, err
    for word in words:
        assert word in err, err


# ------------------------------------------------------------------ bounded YAML

BOMB_FILES = {
    "manifest.yaml": ("claims", MANIFEST + BOMB),
    "reviews.yaml": ("findings", "reviews: []\n" + BOMB),
    "aliases.yaml": ("findings", "entities: []\n" + BOMB),
    "claimalign.yaml": ("findings", "settings: {}\n" + BOMB),
}


@pytest.mark.parametrize("name", BOMB_FILES)
def test_alias_bomb_in_each_user_file_is_refused_fast_with_one_line(name, tmp_path, capsys) -> None:
    command, text = BOMB_FILES[name]
    root = corpus(tmp_path)
    (root / name).write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    started = time.perf_counter()
    status, out, err = run([command, str(root), "--format", "json"], capsys)
    assert time.perf_counter() - started < 1.0
    assert_one_line_error(status, out, err, f"{root / name}:1: YAML aliases expand to 490,329,0")
    assert snapshot(tmp_path) == before


def test_alias_bomb_in_a_settings_file_and_on_the_command_line(tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    settings = tmp_path / "settings.yaml"
    settings.write_text(BOMB, encoding="utf-8")
    status, out, err = run(["findings", str(root), "--settings", str(settings)], capsys)
    assert_one_line_error(status, out, err, f"{settings}:1: YAML aliases expand")


@pytest.mark.parametrize("name, command", [("manifest.yaml", "claims"), ("reviews.yaml", "findings"),
                                           ("aliases.yaml", "findings"), ("claimalign.yaml", "findings")])
def test_duplicate_keys_are_refused_naming_the_line(name, command, tmp_path, capsys) -> None:
    texts = {"manifest.yaml": MANIFEST.replace("    kind: primary\n", "    kind: primary\n    kind: report\n"),
             "reviews.yaml": "reviews:\n  - id: F-1\n    status: confirmed\n    status: explained\n",
             "aliases.yaml": "entities:\n  - name: United Nations\n    name: UN\n",
             "claimalign.yaml": "settings:\n  quotes.misquote_min: 70\n  quotes.misquote_min: 80\n"}
    line = {"manifest.yaml": 7, "reviews.yaml": 4, "aliases.yaml": 3, "claimalign.yaml": 3}[name]
    root = corpus(tmp_path)
    (root / name).write_text(texts[name], encoding="utf-8")
    status, out, err = run([command, str(root), "--format", "json"], capsys)
    assert_one_line_error(status, out, err, f"{root / name}:{line}: duplicate key")


@pytest.mark.parametrize("name, command", [("reviews.yaml", "findings"), ("aliases.yaml", "findings"),
                                           ("claimalign.yaml", "findings"), ("manifest.yaml", "claims")])
def test_non_utf8_yaml_is_one_line_naming_the_line(name, command, tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    data = {"reviews.yaml": b"reviews:\n  - id: F-1\n    note: caf\xe9\n",
            "aliases.yaml": b"entities:\n  - name: Caf\xe9\n",
            "claimalign.yaml": b"# r\xe9glages\nsettings: {}\n",
            "manifest.yaml": MANIFEST.encode() + b"# caf\xe9\n"}[name]
    line = {"reviews.yaml": 3, "aliases.yaml": 2, "claimalign.yaml": 1, "manifest.yaml": 12}[name]
    (root / name).write_bytes(data)
    status, out, err = run([command, str(root), "--format", "json"], capsys)
    assert_one_line_error(status, out, err, f"{root / name}:{line}: not UTF-8 text (byte 0xe9)")


# ------------------------------------------------------------------ wrong types

@dataclass
class Wrong:
    name: str
    file: str
    text: str
    where: str  # "FILE:LINE" the message starts with (relative to the corpus folder)
    words: tuple[str, ...]
    command: str = "claims"


WRONG = [
    Wrong("primary is a list", "manifest.yaml", MANIFEST.replace("primary: letter", "primary: [letter]"),
          "manifest.yaml:2", ("`primary` must be one document id, not a list",)),
    Wrong("outlet_basis is a mapping", "manifest.yaml",
          MANIFEST.replace("outlet_basis: stated", "outlet_basis: {how: stated}"),
          "manifest.yaml:10", ("document 'report': `outlet_basis` must be a single value, not a mapping",)),
    Wrong("title is a list", "manifest.yaml", MANIFEST.replace("    kind: primary\n", "    kind: primary\n    title: [a, b]\n"),
          "manifest.yaml:7", ("`title` must be a single value, not a list",)),
    Wrong("documents is a mapping", "manifest.yaml", "primary: letter\ndocuments: {id: letter}\n",
          "manifest.yaml:2", ("the corpus is empty",)),
    Wrong("corpus name is a list", "manifest.yaml", MANIFEST.replace("corpus: tiny", "corpus: [tiny]"),
          "manifest.yaml:1", ("`corpus` must be a single value",)),
    Wrong("id is a number", "manifest.yaml", MANIFEST.replace("id: report", "id: 2026"),
          "manifest.yaml:8", ("documents[2]: id must be text, not a number",)),
    Wrong("file is a list", "manifest.yaml", MANIFEST.replace("file: report.txt", "file: [report.txt]"),
          "manifest.yaml:9", ("`file` must be a single value, not a list",)),
    Wrong("aliases is a number", "aliases.yaml", "entities:\n  - name: United Nations\n    aliases: 5\n",
          "aliases.yaml:3", ("entities[1].aliases must be a list of names, not a number",), "findings"),
    Wrong("an alias is a mapping", "aliases.yaml", "entities:\n  - name: United Nations\n    aliases: [UN, {a: b}]\n",
          "aliases.yaml:3", ("entities[1].aliases[2] must be a name (text), not a mapping",), "findings"),
    Wrong("entities is text", "aliases.yaml", "entities: UN\n",
          "aliases.yaml:1", ("expected a mapping with an `entities` list",), "findings"),
    Wrong("a setting is a list", "claimalign.yaml", "settings:\n  quotes:\n    misquote_min: [70]\n",
          "claimalign.yaml:3", ("quotes.misquote_min must be float", "not list [70]"), "findings"),
    Wrong("settings is a list", "claimalign.yaml", "settings: [1]\n",
          "claimalign.yaml:1", ("`settings` must be a mapping",), "findings"),
    Wrong("reviews is a mapping", "reviews.yaml", "reviews: {id: F-1}\n",
          "reviews.yaml:1", ("expected `reviews:` followed by a list",), "findings"),
]


@pytest.mark.parametrize("case", WRONG, ids=[w.name for w in WRONG])
def test_a_wrong_type_is_one_line_naming_file_and_line(case: Wrong, tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    (root / case.file).write_text(case.text, encoding="utf-8")
    before = snapshot(tmp_path)
    status, out, err = run([case.command, str(root), "--format", "json"], capsys)
    assert_one_line_error(status, out, err, f"{root / case.where}: ", *case.words)
    assert snapshot(tmp_path) == before


def test_an_aliases_string_is_one_alias_not_letters(tmp_path) -> None:
    from claimalign.aliases import load_aliases

    root = corpus(tmp_path, aliases_yaml="entities:\n  - name: Tibet Action Canada\n    aliases: TAC\n")
    aliases = load_aliases(root)
    assert aliases.resolve("TAC") == "Tibet Action Canada"
    assert aliases.resolve("T") == "T" and aliases.resolve("A") == "A"


def test_a_status_list_is_a_warning_naming_its_line(tmp_path, capsys) -> None:
    from claimalign.reviews import load_reviews

    path = tmp_path / "reviews.yaml"
    path.write_text("reviews:\n  - id: F-1\n    status: [confirmed]\n  - id: F-2\n    status: explained\n",
                    encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reviews = load_reviews(path)
    assert [(r.id, r.status, r.line) for r in reviews] == [("F-2", "explained", 4)]
    assert [str(w.message) for w in caught] == [
        f"{path}:3: `status` must be a single value, not a list; review skipped"]


# ------------------------------------------------------------------ ids, file names, texts

@pytest.mark.parametrize("raw_id, words", [
    ('"report\\n"', ("control character (U+000A)",)),
    ('"rep\\0ort"', ("control character (U+0000)",)),
    ('"rep\\tort"', ("control character (U+0009)",)),
    ("r" * 300, ("is 300 characters long; ids have at most 100",)),
    ('"r\u00e9port"', ("may hold only letters, digits",)),
], ids=["trailing newline", "NUL", "tab", "300 characters", "accented"])
def test_ids_are_checked_after_yaml_decoding(raw_id, words, tmp_path, capsys) -> None:
    root = corpus(tmp_path, MANIFEST.replace("id: report", f"id: {raw_id}"))
    status, out, err = run(["claims", str(root)], capsys)
    assert_one_line_error(status, out, err, f"{root / 'manifest.yaml'}:8: documents[2]: id ", *words)


def test_add_checks_a_given_id_like_the_manifest_does(tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    new = tmp_path / "new.txt"
    new.write_text("A short report about the letter.\n", encoding="utf-8")
    status, out, err = run(["add", str(root), str(new), "--id", "n" * 300], capsys)
    assert_one_line_error(status, out, err, f"{new}: the document id ", "is 300 characters long; ids have at most 100")
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before


def test_a_nul_in_a_file_name_is_one_line(tmp_path, capsys) -> None:
    root = corpus(tmp_path, MANIFEST.replace("file: report.txt", 'file: "report\\0.txt"'))
    status, out, err = run(["claims", str(root)], capsys)
    assert_one_line_error(status, out, err, f"{root / 'manifest.yaml'}:9: document 'report': the file name holds "
                          "a control character (U+0000)")


@pytest.mark.parametrize("text", ["   \n\t\n", "\u200b\u200b\n", "\u00a0 \u00a0\n", "\ufeff\n\u2060\u3164"],
                         ids=["spaces", "zero-width spaces", "no-break spaces", "BOM, joiner, blank letter"])
def test_a_text_with_nothing_visible_is_an_error(text, tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    (root / "letter.txt").write_text(text, encoding="utf-8")
    status, out, err = run(["claims", str(root)], capsys)
    assert status == 2 and out == ""
    assert f"{root / 'letter.txt'}: the file " in err
    assert ("no visible characters" in err) or ("empty" in err)
    if text.strip():
        assert "no visible characters" in err


def _unreadable(path: pathlib.Path, monkeypatch) -> None:
    """chmod 000, and (as root, who reads it all the same) refuse to open it as the OS would."""
    path.chmod(0)
    real_open, real_read_bytes = io.open, pathlib.Path.read_bytes

    def refuse(target):
        if pathlib.Path(target) == path:
            raise PermissionError(13, "Permission denied", str(path))

    def fake_open(file, *args, **kwargs):
        if isinstance(file, (str, pathlib.Path)):
            refuse(file)
        return real_open(file, *args, **kwargs)

    def fake_read_bytes(self):
        refuse(self)
        return real_read_bytes(self)

    monkeypatch.setattr("builtins.open", fake_open)
    monkeypatch.setattr(pathlib.Path, "read_bytes", fake_read_bytes)


@pytest.mark.parametrize("name, command", [("manifest.yaml", "claims"), ("report.txt", "claims"),
                                           ("reviews.yaml", "findings"), ("aliases.yaml", "findings"),
                                           ("claimalign.yaml", "findings")])
def test_an_unreadable_file_is_one_line(name, command, tmp_path, capsys, monkeypatch) -> None:
    root = corpus(tmp_path, reviews_yaml="reviews: []\n", aliases_yaml="entities: []\n",
                  claimalign_yaml="settings: {}\n")
    _unreadable(root / name, monkeypatch)
    try:
        status, out, err = run([command, str(root), "--format", "json"], capsys)
    finally:
        (root / name).chmod(0o644)
    assert_one_line_error(status, out, err, f"{root / name}: cannot ", "Permission denied")


# ------------------------------------------------------------------ partial dates

def claims_of(tmp_path: pathlib.Path, text: str, date: str | None) -> list[tuple[str, dict]]:
    manifest = MANIFEST.replace("date: 2026-01-13", f"date: {date}" if date else "date: null")
    root = corpus(tmp_path, manifest)
    (root / "report.txt").write_text(text, encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["claims", str(root)]) == 0
    dates = sorted((c["start"], c["text"], c["value"]) for c in json.loads(out.getvalue())
                   if c["doc"] == "report" and c["kind"] == "date")
    return [(text, {k: value.get(k) for k in ("start", "end", "granularity", "year_inferred")})
            for _, text, value in dates]


def test_a_month_stays_a_month(tmp_path) -> None:
    text = ("The coalition met in March 2025 and again in March of 2026. It meets in March, 2027. "
            "A vote is due in March. The letter went out on 3/4/2026.\n")
    assert claims_of(tmp_path, text, "2026-01-13") == [
        ("March 2025", {"start": "2025-03", "end": "2025-03", "granularity": "month", "year_inferred": False}),
        ("March of 2026", {"start": "2026-03", "end": "2026-03", "granularity": "month", "year_inferred": False}),
        ("March, 2027", {"start": "2027-03", "end": "2027-03", "granularity": "month", "year_inferred": False}),
        ("3/4/2026", {"start": "2026-03-04", "end": "2026-03-04", "granularity": "day", "year_inferred": False}),
    ]


def test_since_a_month_in_a_text_of_an_earlier_month_is_last_year(tmp_path) -> None:
    assert claims_of(tmp_path, "Nine groups have protested since March 2 outside the embassy.\n", "2026-01-13") == [
        ("March 2", {"start": "2025-03-02", "end": "2026-01-13", "granularity": "day", "year_inferred": True})]


def test_a_day_without_a_year_in_an_undated_text_has_no_year(tmp_path) -> None:
    assert claims_of(tmp_path, "Nine groups wrote on Jan. 12 and met on March 3.\n", None) == [
        ("Jan. 12", {"start": "--01-12", "end": "--01-12", "granularity": "day", "year_inferred": False}),
        ("March 3", {"start": "--03-03", "end": "--03-03", "granularity": "day", "year_inferred": False}),
    ]


# ------------------------------------------------------------------ safe text out

@pytest.mark.parametrize("cell, written", [
    ('=HYPERLINK("http://x.example","click")', '\'=HYPERLINK("http://x.example","click")'),
    ("+1 555 0100 call", "'+1 555 0100 call"),
    ("-sum(A1)", "'-sum(A1)"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tindented", "'\tindented"),
    ("\rreturn", "'\rreturn"),
    ("-3", "-3"),
    ("+1.5", "+1.5"),
    ("-1,000", "-1,000"),
    ("'=already quoted", "''=already quoted"),
    ("'plain", "'plain"),
    ("nine groups", "nine groups"),
])
def test_csv_cells_are_neutralised_and_can_be_read_back(cell, written) -> None:
    assert csv_safe(cell) == written
    assert csv_original(written) == cell


def test_every_csv_the_tool_writes_neutralises_formulas(tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    (root / "report.txt").write_text('=HYPERLINK("http://x.example","9") Nine groups signed on January 12, 2026.\n',
                                     encoding="utf-8")
    for args in (["claims", str(root), "--format", "csv"], ["export", str(root), "--to", "csv", "--table", "claims"]):
        status, out, err = run(args, capsys)
        assert status == 0, err
        rows = list(csv.DictReader(io.StringIO(out)))
        cells = [v for row in rows for v in row.values()]
        assert not any(v.startswith(("=", "@")) for v in cells)
        sentences = [row["sentence"] for row in rows if row["doc"] == "report"]
        assert sentences and all(s.startswith("'=HYPERLINK(") for s in sentences)
        assert {csv_original(s) for s in sentences} == {
            '=HYPERLINK("http://x.example","9") Nine groups signed on January 12, 2026.'}


def test_json_stays_exact(tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    (root / "report.txt").write_text("=cmd| Nine groups signed on January 12, 2026.\n", encoding="utf-8")
    status, out, _ = run(["claims", str(root), "--format", "json"], capsys)
    assert status == 0
    assert {c["sentence"] for c in json.loads(out) if c["doc"] == "report"} == {
        "=cmd| Nine groups signed on January 12, 2026."}


def test_terminal_text_loses_escapes_and_controls() -> None:
    text = "Red \x1b[31malert\x1b[0m \x1b]0;owned\x07title\x1b]8;;http://x\x1b\\link \x9b2J\x00\x07\u202eevil\nnext\tcol"
    assert terminal_safe(text) == "Red alert titlelink evil\nnext\tcol"


def test_findings_table_strips_escape_sequences_from_the_texts(tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    (root / "letter.txt").write_text("A coalition of 10 Canadian \x1b[2Jorganizations wrote to "
                                     "the Prime Minister on January 9, 2026.\n", encoding="utf-8")
    status, out, err = run(["findings", str(root), "--format", "table"], capsys)
    assert status == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "count" in out


# ------------------------------------------------------------------ output errors and --debug

def test_a_full_disk_on_stdout_is_one_line(tmp_path) -> None:
    root = corpus(tmp_path)
    for args in (["claims", str(root)], ["findings", str(root), "--format", "csv"],
                 ["export", str(root), "--to", "annotations"]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([*claimalign_command(), *args], stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == "claimalign: cannot write output (No space left on device)\n"


class ClosedPipe(io.StringIO):
    """A standard output whose reader has gone (a sandbox may not report EPIPE on a real pipe)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_is_one_line(tmp_path, capsys, monkeypatch) -> None:
    root = corpus(tmp_path)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert main(["claims", str(root)]) == 2
    assert capsys.readouterr().err == "claimalign: cannot write output (Broken pipe)\n"


def test_export_out_a_folder_is_one_line(tmp_path, capsys) -> None:
    root = corpus(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    status, out, err = run(["export", str(root), "--to", "csv", "--out", str(folder)], capsys)
    assert_one_line_error(status, out, err, str(folder))


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(tmp_path, capsys, monkeypatch) -> None:
    import claimalign.extract as extract

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(extract, "extract_claims", broken)
    root = corpus(tmp_path)
    status, out, err = run(["claims", str(root)], capsys)
    assert status == 3 and out == ""
    assert err == ("claimalign: internal error (KeyError: 'boom'); this is a bug in claimalign: rerun with "
                   "--debug for the traceback and report it\n")
    for args in (["--debug", "claims", str(root)], ["claims", str(root), "--debug"]):
        status, out, err = run(args, capsys)
        assert status == 3
        assert err.startswith("Traceback (most recent call last):") and "KeyError: 'boom'" in err
        assert err.rstrip().splitlines()[-1].startswith("claimalign: internal error (KeyError")


def test_debug_shows_the_traceback_of_a_user_error_too(tmp_path, capsys) -> None:
    root = corpus(tmp_path, MANIFEST.replace("primary: letter", "primary: [letter]"))
    status, _, err = run(["--debug", "claims", str(root)], capsys)
    assert status == 2
    assert "Traceback" in err and "CorpusError" in err
    assert err.rstrip().splitlines()[-1].startswith("claimalign: error: ")
