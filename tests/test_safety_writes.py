"""User data is never lost or overwritten: concurrent and killed `add` runs, outputs that refuse
to clobber, symbolic links, and a CRLF manifest kept byte for byte."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest
import yaml

from claimalign.batch.store import Store
from claimalign.cli import main
from claimalign.corpus import load_corpus
from claimalign.corpuswrite import TEMP_PREFIX, corpus_lock
from claimalign.errors import ClaimalignError
from claimalign.ingest import add_document
from claimalign.outguard import MARKER, claim_folder
from conftest import SEED

FORK = multiprocessing.get_context("fork")
KILLS = 30
WRITERS = 20
BIG_TEXT_BYTES = 2_500_000


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under root, with a hash of each file's bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


def temporaries(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(TEMP_PREFIX))


def texts_on_disk(root: Path) -> set[str]:
    return {p.name for p in root.glob("*.txt") if not p.name.startswith(TEMP_PREFIX)}


def texts_listed(root: Path) -> set[str]:
    return {d.path.name for d in load_corpus(root)}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the seed corpus with the user's own reviews.yaml and claimalign.yaml beside it."""
    dest = tmp_path / "corpus"
    shutil.copytree(SEED, dest, copy_function=shutil.copyfile)
    (dest / "reviews.yaml").write_text("reviews:\n  - id: F-0000000000\n    status: confirmed\n", encoding="utf-8")
    (dest / "claimalign.yaml").write_text("reviewer:\n  name: Desk\n", encoding="utf-8")
    return dest


def _add(argv: list[str]) -> None:
    os._exit(main(argv))


def _add_when_all_ready(barrier: multiprocessing.synchronize.Barrier, argv: list[str]) -> None:
    barrier.wait()
    _add(argv)


def test_twenty_parallel_adds_all_land(corpus: Path, tmp_path: Path) -> None:
    before = [d.id for d in load_corpus(corpus)]
    sources = []
    for n in range(WRITERS):
        source = tmp_path / f"wire-{n}.txt"
        source.write_text(f"Wire story {n}: the coalition said {n + 3} groups signed the letter to the minister.\n",
                          encoding="utf-8")
        sources.append(source)
    barrier = FORK.Barrier(WRITERS)
    procs = [FORK.Process(target=_add_when_all_ready, args=(barrier, ["add", str(corpus), str(s), "--id", s.stem]))
             for s in sources]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    ids = [d.id for d in load_corpus(corpus)]
    assert ids[:len(before)] == before
    assert sorted(ids[len(before):]) == sorted(s.stem for s in sources)
    assert texts_on_disk(corpus) == texts_listed(corpus)
    assert temporaries(corpus) == []


def _big_text(n: int) -> str:
    line = f"Report {n}: the coalition of nine groups wrote to the minister before the visit. "
    return f"Wire copy {n}\n\n" + (line * 40 + "\n\n") * (BIG_TEXT_BYTES // (len(line) * 40))


def _add_in_child(argv: list[str]) -> float:
    """`add` run to the end in a forked child, as the killed runs are; it must succeed. The seconds it
    took: forking a test process that has grown makes a child slower than a call in this process."""
    t0 = time.monotonic()
    child = FORK.Process(target=_add, args=(argv,))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    return time.monotonic() - t0


def test_add_killed_at_random_moments_leaves_the_corpus_as_it_was_or_complete(corpus: Path, tmp_path: Path) -> None:
    rng = random.Random(12)
    outcomes = {"before": 0, "complete": 0, "killed_while_writing": 0}
    seconds = None
    started = time.monotonic()
    for n in range(KILLS + 1):
        source = tmp_path / f"big-{n}.txt"
        source.write_text(_big_text(n), encoding="utf-8")
        argv = ["add", str(corpus), str(source)]
        ids_before = [d.id for d in load_corpus(corpus)]
        if seconds is None:
            seconds = _add_in_child(argv)
            continue
        child = FORK.Process(target=_add, args=(argv,))
        child.start()
        time.sleep(seconds * (rng.uniform(0, 1.1) if n % 2 else rng.uniform(0.6, 1.05)))
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=60)
        outcomes["killed_while_writing"] += bool(temporaries(corpus))
        ids_after = [d.id for d in load_corpus(corpus)]
        assert ids_after in (ids_before, ids_before + [source.stem]), n
        if ids_after == ids_before:
            outcomes["before"] += 1
            assert texts_on_disk(corpus) - texts_listed(corpus) <= {source.name}, n
            seconds = _add_in_child(argv)  # the retry works; timed as the killed runs are, fork included
        else:
            outcomes["complete"] += 1
            assert main(argv) == 2, n
        assert temporaries(corpus) == [], n
        assert texts_on_disk(corpus) == texts_listed(corpus), n
        assert load_corpus(corpus)[source.stem].raw == source.read_text(encoding="utf-8")
    print(f"kill test: {KILLS} kills: {outcomes}; {time.monotonic() - started:.1f} s")
    assert outcomes["before"] and outcomes["complete"] + outcomes["killed_while_writing"]


def test_the_next_add_removes_what_a_killed_run_left(corpus: Path, tmp_path: Path) -> None:
    orphan = corpus / "orphan.txt"
    orphan.write_text("Orphan text of a run killed between its renames.\n", encoding="utf-8")
    kept = corpus / "changed.txt"
    kept.write_text("The user has since edited this file.\n", encoding="utf-8")
    journal = {"created": [{"path": "orphan.txt", "sha256": hashlib.sha256(orphan.read_bytes()).hexdigest()},
                           {"path": "changed.txt", "sha256": "0" * 64}], "folders": []}
    (corpus / f"{TEMP_PREFIX}dead.journal").write_text(json.dumps(journal), encoding="utf-8")
    (corpus / f"{TEMP_PREFIX}dead-1-manifest.yaml").write_text("half a manifest", encoding="utf-8")
    source = tmp_path / "late.txt"
    source.write_text("A late statement said 12 members signed.\n", encoding="utf-8")
    assert main(["add", str(corpus), str(source)]) == 0
    assert temporaries(corpus) == []
    assert not orphan.exists() and kept.read_text(encoding="utf-8") == "The user has since edited this file.\n"


def test_a_crlf_manifest_keeps_its_bytes_comments_and_line_endings(tmp_path: Path) -> None:
    root = tmp_path / "crlf"
    root.mkdir()
    old = (b"# Council corpus, kept by the desk\r\ncorpus: council   # short name\r\nprimary: minutes\r\n"
           b"documents:\r\n  - id: minutes\r\n    file: minutes.txt   # from the clerk\r\n    kind: primary\r\n"
           b"    date: 2025-03-04\r\n# more to come\r\n")
    (root / "manifest.yaml").write_bytes(old)
    (root / "minutes.txt").write_text("The council voted 7 to 2 to close the library on Mondays.\n", encoding="utf-8")
    source = tmp_path / "Courier Story.txt"
    source.write_text("The council voted 6 to 3 to close the library, the Courier reported.\n", encoding="utf-8")
    assert main(["add", str(root), str(source), "--outlet", "Courier", "--date", "2025-03-05"]) == 0
    new = (root / "manifest.yaml").read_bytes()
    assert new.startswith(old)
    added = new[len(old):]
    assert added.startswith(b"  - id: courier-story\r\n    file: courier-story.txt\r\n    kind: report\r\n")
    assert added.count(b"\n") == added.count(b"\r\n") == 10
    assert yaml.safe_load(new.decode())["documents"][1]["outlet_basis"] == "stated"
    assert [d.id for d in load_corpus(root)] == ["minutes", "courier-story"]


def test_add_does_not_write_through_symbolic_links(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (corpus / "originals").symlink_to(outside, target_is_directory=True)
    (corpus / "linked.txt").symlink_to(outside / "linked.txt")
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>The coalition of nine groups wrote to the minister before "
                    "her visit to the region this week.</p></article></body></html>", encoding="utf-8")
    text = tmp_path / "linked.txt"
    text.write_text("The coalition said ten groups signed the letter to the minister.\n", encoding="utf-8")
    before = snapshot(corpus)
    with pytest.raises(ClaimalignError, match="originals: is a symbolic link"):
        add_document(corpus, page)
    assert main(["add", str(corpus), str(text)]) == 2
    assert snapshot(corpus) == before and list(outside.iterdir()) == []


def _one_line_refusal(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("claimalign: error: ") and message in err, err


def test_report_refuses_the_corpus_folder_and_a_folder_of_user_files(corpus: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("my notes\n", encoding="utf-8")
    (mine / "index.html").write_text("<p>my page</p>\n", encoding="utf-8")
    before, mine_before = snapshot(corpus), snapshot(mine)
    _one_line_refusal(capsys, ["report", str(corpus), "--out", str(corpus)], "is a corpus folder")
    _one_line_refusal(capsys, ["report", str(corpus), "--out", str(corpus), "--force"], "is a corpus folder")
    _one_line_refusal(capsys, ["report", str(corpus), "--out", str(mine)], "holds files claimalign did not write")
    _one_line_refusal(capsys, ["report", str(corpus), "--out", str(mine), "--force"],
                      "index.html: exists and claimalign did not write it")
    assert snapshot(corpus) == before and snapshot(mine) == mine_before


def test_a_report_folder_is_claimed_once_and_its_marker_lists_what_claimalign_wrote(tmp_path: Path) -> None:
    out = tmp_path / "report"
    pages = ["index.html", "0-overview.html"]
    claim_folder(out, pages, ["executed", "tables"]).record(pages, ["executed", "tables"])
    assert json.loads((out / MARKER).read_text(encoding="utf-8")) == {
        "written_by": "claimalign", "files": ["0-overview.html", "index.html"], "folders": ["executed", "tables"]}
    for page in pages:
        (out / page).write_text("page\n", encoding="utf-8")
    assert claim_folder(out, [*pages, "1-new.html"], ["executed"]).files == set(pages)
    (out / "1-new.html").write_text("the user's\n", encoding="utf-8")
    with pytest.raises(ClaimalignError, match="1-new.html: exists and claimalign did not write it"):
        claim_folder(out, [*pages, "1-new.html"], ["executed"], force=True)
    side = tmp_path / "side"
    side.mkdir()
    (side / "notes.md").write_text("my notes\n", encoding="utf-8")
    assert claim_folder(side, pages, ["executed"], force=True).files == set()


def test_an_earlier_report_without_a_marker_is_taken_as_claimalign_s(tmp_path: Path) -> None:
    out = tmp_path / "old-report"
    (out / "executed").mkdir(parents=True)
    (out / "executed" / "0-overview.ipynb").write_text("{}", encoding="utf-8")
    (out / "executed" / "0-overview.log").write_text("", encoding="utf-8")
    (out / "0-overview.html").write_text("page\n", encoding="utf-8")
    (out / "index.html").write_text("index\n", encoding="utf-8")
    owned = claim_folder(out, ["index.html", "0-overview.html"], ["executed", "tables"])
    assert owned.files == {"index.html", "0-overview.html"} and owned.folders == {"executed"}
    (out / "draft.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ClaimalignError, match="holds files claimalign did not write"):
        claim_folder(out, ["index.html"], ["executed"])


USED = ["reviews.yaml", "manifest.yaml", "aliases.yaml", "claimalign.yaml", "phayul.txt", "originals/page.html"]


@pytest.mark.parametrize("name", USED)
def test_export_never_writes_over_a_file_the_corpus_uses(name: str, corpus: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    if name.startswith("originals/"):
        (corpus / "originals").mkdir()
        (corpus / name).write_text("<html>kept</html>", encoding="utf-8")
    before = snapshot(corpus)
    _one_line_refusal(capsys, ["export", str(corpus), "--to", "csv", "--out", str(corpus / name), "--force"],
                      "is a file of the corpus in")
    assert snapshot(corpus) == before


def test_export_refuses_a_link_to_a_corpus_file_and_a_folder(corpus: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "findings.csv"
    link.symlink_to(corpus / "reviews.yaml")
    before = snapshot(corpus)
    _one_line_refusal(capsys, ["export", str(corpus), "--to", "csv", "--out", str(link), "--force"],
                      "is a file of the corpus in")
    _one_line_refusal(capsys, ["export", str(corpus), "--to", "csv", "--out", str(tmp_path)],
                      "is a folder; give a file name to --out")
    assert snapshot(corpus) == before and link.is_symlink()
    assert main(["export", str(corpus), "--to", "csv", "--out", str(corpus / "findings.csv")]) == 0
    assert snapshot(corpus).keys() - before.keys() == {"findings.csv"}


def test_batch_refuses_a_corpus_folder_and_a_folder_of_corpora(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(ClaimalignError, match="is a corpus folder"):
        Store(corpus)
    project = tmp_path / "project"
    shutil.copytree(SEED, project / "corpora" / "seed")
    with pytest.raises(ClaimalignError, match="did not write"):
        Store(project)


def _hold_lock(root: Path) -> None:
    with corpus_lock(root):
        time.sleep(30)


def test_a_writer_that_holds_the_lock_too_long_gets_one_line(corpus: Path) -> None:
    holder = FORK.Process(target=_hold_lock, args=(corpus,))
    holder.start()
    time.sleep(0.5)
    try:
        with pytest.raises(ClaimalignError, match="another claimalign add has been writing this corpus for over 0 s"):
            with corpus_lock(corpus, wait=0.2):
                pass
    finally:
        holder.kill()
        holder.join()
    with corpus_lock(corpus, wait=5):
        pass
