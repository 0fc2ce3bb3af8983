"""`claimalign add`: PDFs and saved pages become corpus texts; nothing is overwritten or left behind."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from fpdf import FPDF

from claimalign import ingest
from claimalign.cli import main
from claimalign.corpus import load_corpus
from claimalign import find_findings
from claimalign.errors import ClaimalignError
from claimalign.ingest import PAGE_BREAK, add_document
from claimalign.normalize import PROJECT_ROOT

SEED = PROJECT_ROOT / "data" / "corpus" / "carney-china-visit-2026"

LETTER_PAGE_1 = [
    (11, "Open Letter To The Minister"),
    (11, "We write as members of the Harbour Rights Coalition\u00b9, a coalition of 12 press freedom "
         "organizations dedicated to the defence of journalists in the region."),
    (11, "We ask you to raise the case of the detained editor Lena Park during your visit, and to make "
         "clear that her release is a condition of closer trade ties between our two"),
    (8, "\u00b9 Members: Alpha Society, Beta League, Gamma Trust."),
]
LETTER_PAGE_2 = [(11, 'countries. The approaches so far have been "ad hoc and uncoordinated" and must change.')]

BODY_1 = "The Harbour Rights Coalition, which represents 11 press freedom organizations, wrote to the minister ahead of her visit."
BODY_2 = ('The coalition asked her to raise the case of the detained editor Lena Park and said past approaches '
          'had been "ad hoc or uncoordinated".')
BOILERPLATE = ["Subscribe to our newsletter", "World", "Privacy policy", "All rights reserved", "Most read",
               "Ten ways to save on groceries"]
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Coalition urges minister to raise editor's case | Example News</title>
<meta name="author" content="Jane Reporter">
<meta property="og:title" content="Coalition urges minister to raise editor's case">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2026-01-14T09:00:00Z">
<link rel="canonical" href="https://news.example.org/2026/01/coalition-urges-minister">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/subscribe">Subscribe to our newsletter</a></li></ul></nav></header>
<main><article><h1>Coalition urges minister to raise editor's case</h1>
<p>{BODY_1}</p>
<p>{BODY_2}</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Ten ways to save on groceries</a></li></ul></aside></main>
<footer><p>&copy; 2026 Example News. All rights reserved.</p><p>Privacy policy | Terms of use</p></footer>
</body></html>"""


def build_pdf(path: Path, pages: list[list[tuple[int, str]]]) -> Path:
    """A PDF with one paragraph per (font size, text), a blank line between paragraphs."""
    pdf = FPDF()
    for paragraphs in pages:
        pdf.add_page()
        for size, text in paragraphs:
            pdf.set_font("Helvetica", size=size)
            pdf.multi_cell(0, size * 0.5, text)
            pdf.ln(6)
    pdf.output(str(path))
    return path


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under root, with a hash of each file's bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(SEED, dest, copy_function=shutil.copyfile)
    dest.chmod(0o755)
    return dest


@pytest.fixture
def letter_pdf(tmp_path: Path) -> Path:
    return build_pdf(tmp_path / "Harbour Letter.pdf", [LETTER_PAGE_1, LETTER_PAGE_2])


@pytest.fixture
def page_html(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_html_keeps_the_article_and_drops_the_site_furniture(seed_copy: Path, page_html: Path) -> None:
    entry = add_document(seed_copy, page_html)
    text = (seed_copy / "report.txt").read_text(encoding="utf-8")
    assert text == f"Coalition urges minister to raise editor's case\n\n{BODY_1}\n\n{BODY_2}\n"
    assert not [b for b in BOILERPLATE if b in text]
    assert (seed_copy / "originals" / "report.html").read_bytes() == page_html.read_bytes()
    assert entry["title"] == "Coalition urges minister to raise editor's case"
    assert entry["author"] == "Jane Reporter"
    assert entry["outlet"] == "Example News" and entry["outlet_basis"] == "inferred"
    assert str(entry["date"]) == "2026-01-14"
    assert entry["url"] == "https://news.example.org/2026/01/coalition-urges-minister"
    assert entry["original"] == "originals/report.html"
    assert entry["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_users_metadata_wins_over_the_pages(seed_copy: Path, page_html: Path) -> None:
    entry = add_document(seed_copy, page_html, doc_id="example-news", title="Coalition letter story",
                         date="2026-01", outlet="Harbour Rights Coalition")
    assert (entry["id"], entry["file"], entry["title"]) == ("example-news", "example-news.txt", "Coalition letter story")
    assert entry["date"] == "2026-01" and entry["author"] == "Jane Reporter"
    assert entry["outlet_basis"] == "stated"  # the text names the outlet it was given
    assert entry["notes"] == ("Added by claimalign from report.html: main text by trafilatura; "
                              "author, url from the file's metadata.")


def test_pdf_pages_and_paragraphs_are_kept_for_normalisation(tmp_path: Path, letter_pdf: Path) -> None:
    entry = add_document(tmp_path / "new", letter_pdf)
    text = (tmp_path / "new" / "harbour-letter.txt").read_text(encoding="utf-8")
    assert text.count(PAGE_BREAK) == 1
    assert "between our two\n\n\u00b9 Members: Alpha Society, Beta League, Gamma Trust." + PAGE_BREAK + "countries." in text
    assert text.startswith("Open Letter To The Minister\n\nWe write as members of the Harbour Rights Coalition\u00b9, a coalition")
    doc = load_corpus(tmp_path / "new")["harbour-letter"]
    assert "closer trade ties between our two countries. The approaches" in doc.norm.text
    assert [n.text for n in doc.norm.notes] == ["Members: Alpha Society, Beta League, Gamma Trust."]
    assert (entry["kind"], entry["original"]) == ("primary", "originals/harbour-letter.pdf")


def test_findings_work_on_an_added_pdf_and_page(tmp_path: Path, letter_pdf: Path, page_html: Path) -> None:
    root = tmp_path / "harbour"
    assert main(["add", str(root), str(letter_pdf), "--id", "letter"]) == 0
    assert main(["add", str(root), str(page_html), "--id", "news"]) == 0
    corpus = load_corpus(root)
    assert (corpus.primary_id, [d.kind for d in corpus]) == ("letter", ["primary", "report"])
    found = {(f.type, tuple((e.source, e.text) for e in f.evidence)) for f in find_findings(corpus)}
    assert ("count_conflict", (("letter", "Harbour Rights Coalition\u00b9, a coalition of 12 press freedom organizations"),
                               ("news", "Harbour Rights Coalition, which represents 11 press freedom organizations"))) in found
    assert ("misquote", (("news", "ad hoc or uncoordinated"), ("letter", "ad hoc and uncoordinated"))) in found


def test_the_manifest_keeps_comments_order_and_the_users_text(seed_copy: Path, page_html: Path) -> None:
    before = (seed_copy / "manifest.yaml").read_text(encoding="utf-8")
    add_document(seed_copy, page_html, kind="report")
    after = (seed_copy / "manifest.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    added = after[len(before):]
    assert added.startswith("  - id: report\n    file: report.txt\n    kind: report\n")
    assert yaml.safe_load(added.replace("  - ", "- ", 1).replace("\n    ", "\n  "))[0]["date"].isoformat() == "2026-01-14"
    assert [d.id for d in load_corpus(seed_copy)][-2:] == ["jfa-saveuyghur", "report"]


def test_a_text_file_is_kept_byte_for_byte(tmp_path: Path, seed_copy: Path) -> None:
    source = tmp_path / "Caf\u00e9 Notes.txt"
    data = "Caf\u00e9 owners said 40 people attended the vigil.\r\n".encode("cp1252")
    source.write_bytes(data)
    with pytest.warns(UserWarning, match="decoded as cp1252"):
        entry = add_document(seed_copy, source, date="2026")
    assert (seed_copy / "cafe-notes.txt").read_bytes() == data
    assert (entry["id"], entry["encoding"], entry["date"], "original" in entry) == ("cafe-notes", "cp1252", "2026", False)
    assert entry["sha256"] == hashlib.sha256(data.decode("cp1252").encode("utf-8")).hexdigest()


def test_a_text_already_in_the_folder_is_registered_in_place(seed_copy: Path) -> None:
    (seed_copy / "late.txt").write_text("A late statement from the group said 12 members signed.\n", encoding="utf-8")
    before = snapshot(seed_copy)
    assert main(["add", str(seed_copy), str(seed_copy / "late.txt")]) == 0
    changed = {k for k, v in snapshot(seed_copy).items() if before.get(k) != v}
    assert changed == {"manifest.yaml"}
    assert load_corpus(seed_copy)["late"].raw.startswith("A late statement")


def _broken_pdf(tmp: Path, valid: Path) -> Path:
    path = tmp / "broken.pdf"
    path.write_bytes(valid.read_bytes()[:700])
    return path


def _scanned_pdf(tmp: Path, valid: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(tmp / "scan.pdf"))
    return tmp / "scan.pdf"


def _empty_page(tmp: Path, valid: Path) -> Path:
    path = tmp / "empty.html"
    path.write_text("<html><body><nav><a href='/'>Home</a> <a href='/world'>World news</a></nav>"
                    "<footer>&copy; 2026 Example News</footer></body></html>", encoding="utf-8")
    return path


REFUSALS = {
    "missing file": (lambda tmp, pdf: tmp / "nowhere.pdf", [], "nowhere.pdf: no such file"),
    "broken pdf": (_broken_pdf, [], "broken.pdf: cannot be read as a PDF"),
    "pdf without text": (_scanned_pdf, [], "scan.pdf: the PDF has no text layer"),
    "page without main text": (_empty_page, [], "empty.html: no main text found in this HTML page"),
    "over the size limit": (lambda tmp, pdf: pdf, ["--max-bytes", "1000"],
                            "Harbour Letter.pdf: {size:,} bytes is over the size limit of 1,000; raise it with --max-bytes"),
    "duplicate id": (lambda tmp, pdf: pdf, ["--id", "phayul"], "document id 'phayul' is already in the corpus"),
    "duplicate text": (lambda tmp, pdf: SEED / "phayul.txt", ["--id", "phayul-again"],
                       "the same text is already in the corpus as document 'phayul' (phayul.txt)"),
    "unsupported type": (lambda tmp, pdf: SEED / "manifest.yaml", [], "manifest.yaml: unsupported file type '.yaml'"),
    "bad date": (lambda tmp, pdf: pdf, ["--date", "13 Jan"], "--date: date '13 Jan' is not a date"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_bad_input_is_refused_and_the_corpus_is_untouched(case: str, tmp_path: Path, seed_copy: Path,
                                                          letter_pdf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, flags, message = REFUSALS[case]
    source = make(tmp_path, letter_pdf)
    before = snapshot(seed_copy)
    assert main(["add", str(seed_copy), str(source), *flags]) == 2
    err = capsys.readouterr().err
    size = source.stat().st_size if source.exists() else 0
    assert err.startswith("claimalign: error: ") and message.format(size=size) in err
    assert snapshot(seed_copy) == before


def test_raising_the_size_limit_lets_the_file_in(seed_copy: Path, letter_pdf: Path) -> None:
    assert main(["add", str(seed_copy), str(letter_pdf), "--max-bytes", str(10**6)]) == 0
    assert load_corpus(seed_copy)["harbour-letter"].meta["kind"] == "report"


def test_an_existing_text_file_is_never_overwritten(seed_copy: Path, page_html: Path) -> None:
    (seed_copy / "report.txt").write_text("notes of my own\n", encoding="utf-8")
    before = snapshot(seed_copy)
    with pytest.raises(ClaimalignError, match="report.txt: already exists"):
        add_document(seed_copy, page_html)
    assert snapshot(seed_copy) == before


def test_a_failed_write_is_rolled_back(seed_copy: Path, page_html: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(seed_copy)
    real_replace = os.replace

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "manifest.yaml":
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(ingest.os, "replace", failing_replace)
    with pytest.raises(ClaimalignError, match=r"manifest.yaml: cannot write \(No space left on device\); the corpus is unchanged"):
        add_document(seed_copy, page_html)
    assert snapshot(seed_copy) == before
