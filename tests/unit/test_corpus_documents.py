"""Documents of other formats in the corpus: listed with stable ids, their extracted text
cached in the store, long ones opened on their first pages, bad ones said in one sentence."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_extract import epub_file, prose_pages
from tui.corpus import Corpus

PAGE = "<html><head><title>A page</title></head><body><article><p>{}</p></article></body></html>"


def ids(root: Path) -> dict[str, str]:
    return {document.relpath: document.id for document in Corpus.open(root)}


def test_documents_of_every_format_are_listed_beside_text(tmp_path):
    (tmp_path / "notes.txt").write_text("Plain words.\n")
    (tmp_path / "page.html").write_text(PAGE.format("Words of a page, long enough to keep."))
    (tmp_path / "paper.pdf").write_bytes(prose_pages())
    (tmp_path / "book.epub").write_bytes(epub_file(["<h1>One</h1><p>Un chapitre.</p>"]))
    assert ids(tmp_path) == {
        "book.epub": "book.epub",
        "notes.txt": "notes",
        "page.html": "page.html",
        "paper.pdf": "paper.pdf",
    }


def test_adding_a_document_beside_a_text_file_changes_no_id(tmp_path):
    (tmp_path / "a.txt").write_text("Plain words.\n")
    (tmp_path / "b.pdf").write_bytes(prose_pages())
    before = ids(tmp_path)
    # A later file with the same stem, sorted before or after: no id moves.
    (tmp_path / "a.pdf").write_bytes(prose_pages())
    (tmp_path / "b.md").write_text("# B\n\nMarkdown words.\n")
    after = ids(tmp_path)
    assert {name: after[name] for name in before} == before == {"a.txt": "a", "b.pdf": "b.pdf"}
    assert after["a.pdf"] == "a.pdf" and after["b.md"] == "b"
