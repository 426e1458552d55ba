"""Documents of other formats in the corpus: listed with stable ids, their extracted text
cached in the store, long ones opened on their first pages, bad ones said in one sentence."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import catalogued_long_after
from tests.unit.test_extract import DATA, epub_file, pdf_file, prose_pages
from tui.corpus import Corpus
from tui.corpus import document as document_module
from tui.corpus.catalog import CATALOG_NAME, Catalog
from tui.corpus.counting import count_unknown
from tui.corpus.extract import Extracted, Link, Metadata, extract, pdf
from tui.corpus.extract.sniffing import EXTRACTOR_VERSIONS
from tui.corpus.extract.zipped import MAX_UNPACKED
from tui.corpus.extraction_cache import (
    FOLDER,
    KEPT_WHILE_NEW,
    OPENING_PAGES,
    ExtractionCache,
    file_sha256,
)
from tui.store import Store

PAGE = "<html><head><title>A page</title></head><body><article><p>{}</p></article></body></html>"


def bad_documents() -> dict[str, bytes]:
    """Files that cannot be read as what they are named, each for its own reason."""
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(prose_pages()))
    writer.encrypt("secret", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    bomb = b"\0" * (MAX_UNPACKED // 100)  # packs a thousand times smaller
    return {
        "locked.pdf": locked.getvalue(),
        "broken.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage",
        "bomb.epub": epub_file(["<p>Un.</p>"], {"OEBPS/text/c0.xhtml": bomb}),
        "liar.docx": b"Just some words in a text file.\n",
    }


BAD_SENTENCES = {
    "bomb.epub": "bomb.epub (unpacks to far more than it holds (a zip bomb?): not an EPUB to read)",
    "broken.pdf": "broken.pdf (a broken PDF: it cannot be read)",
    "liar.docx": "liar.docx (named .docx but is not a Word document)",
    "locked.pdf": "locked.pdf (an encrypted PDF: it cannot be read without its password)",
}


def book_pdf(count: int) -> bytes:
    """A PDF of `count` full pages: a running header, paragraphs of eight lines that run on
    across page breaks, a page number."""
    pages = []
    for page in range(count):
        lines = [(72.0, 760.0, "A Book of Tests")]
        y = 720.0
        for line in range(40):
            words = f"Page {page + 1} line {line + 1} goes on with the words of a paragraph"
            lines.append((72.0, y, words + ("." if line % 8 == 7 else "")))
            y -= 14 if line % 8 != 7 else 28
            if y < 80:
                break
        lines.append((300.0, 40.0, str(page + 1)))
        pages.append(lines)
    return pdf_file(pages, "<< /Title (A long book) >>")


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


# ---------------------------------------------------------------- the cache of extracted texts


def failing(*_: object) -> NoReturn:
    raise AssertionError("extracted again: the cache was not used")


def test_an_extracted_text_is_kept_in_the_store_and_read_back(tmp_path, monkeypatch):
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir(), store.mkdir()
    (corpus / "paper.pdf").write_bytes(prose_pages())
    first = Corpus.open(corpus, store=store).get("paper.pdf")
    (entry,) = (store / FOLDER).iterdir()
    assert entry.name == f"{hashlib.sha256(prose_pages()).hexdigest()}-pdf-1.json"
    monkeypatch.setattr(pdf, "extract_pdf", failing)
    again = Corpus.open(corpus, store=store).get("paper.pdf")
    assert (again.text, again.metadata) == (first.text, first.metadata)
    assert again.extractor_version == "pdf-1"


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"[]", b'{"extractor_version": "pdf-1", "text": 3}', b"\xff" * 10],
)
def test_a_damaged_cache_entry_is_ignored_and_made_again(tmp_path, damage):
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir(), store.mkdir()
    (corpus / "paper.pdf").write_bytes(prose_pages())
    expected = extract(prose_pages(), ".pdf").text
    Corpus.open(corpus, store=store)
    (entry,) = (store / FOLDER).iterdir()
    entry.write_bytes(damage)
    assert Corpus.open(corpus, store=store).get("paper.pdf").text == expected
    assert ExtractionCache(store / FOLDER).get(entry.name[:64], "pdf-1").text == expected


def test_a_cache_entry_with_spans_outside_its_text_is_not_used(tmp_path):
    cache = ExtractionCache(tmp_path)
    extracted = Extracted("Un mot.", Metadata(title="T"), "pdf-1", ((0, 3, 1),))
    assert cache.put("ab" * 32, extracted)
    assert cache.get("ab" * 32, "pdf-1") == extracted
    path = cache.path("ab" * 32, "pdf-1")
    path.write_bytes(path.read_bytes().replace(b"[0,3,1]", b"[0,99,1]"))
    assert cache.get("ab" * 32, "pdf-1") is None


def test_without_a_store_nothing_is_kept(tmp_path):
    (tmp_path / "paper.pdf").write_bytes(prose_pages())
    before = sorted(tmp_path.rglob("*"))
    assert Corpus.open(tmp_path).get("paper.pdf").text
    assert sorted(tmp_path.rglob("*")) == before


def test_a_new_extractor_version_re_anchors_annotations(tmp_path, monkeypatch):
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir()
    (corpus / "paper.pdf").write_bytes(prose_pages())
    store = Store(store_dir)
    document = Corpus.open(corpus, store=store_dir).get("paper.pdf")
    passage = document.passages[1]
    store.tag_passage(document, passage, "suite")
    quote = document.text[passage.start : passage.end]
    store.close()
    # A new extractor gives another text: a heading now comes first.
    original = pdf.extract_pdf

    def newer(data: bytes, progress: Callable[[int, int], None] | None = None) -> Extracted:
        made = original(data, progress)
        return replace(made, text="Un titre ajouté\n\n" + made.text, extractor_version="pdf-2")

    monkeypatch.setattr(pdf, "VERSION", "pdf-2")
    monkeypatch.setattr(pdf, "extract_pdf", newer)
    reopened = Corpus.open(corpus, store=store_dir).get("paper.pdf")
    assert reopened.text.startswith("Un titre ajouté") and reopened.extractor_version == "pdf-2"
    with Store(store_dir) as store:
        assert store.needs_anchoring(reopened)
        report = store.anchor(reopened, reopened.passages)
        assert report.counts == {"moved": 1}
        (annotation,) = [a for p in reopened.passages if (a := store.annotation(reopened, p))]
        assert annotation.tags == ["suite"] and annotation.quote == quote
    kept = [path.name[65:] for path in (store_dir / FOLDER).iterdir()]
    assert kept == ["pdf-2.json"], "the older extractor's text is not kept"


OFFICE_3_LIST = "Seven\n\nEight\n\nNine\n\nTen\n\nEleven\n\nOne\n\nEE\n\nFF\n\nTwo"
"""The text office-3 gave of `ordered-list-numbering.docx`: its list items without markers."""


def test_an_annotation_on_a_word_list_read_without_its_markers_re_anchors(tmp_path, monkeypatch):
    from tui.corpus.extract import office

    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir()
    shutil.copy(DATA / "ordered-list-numbering.docx", corpus / "list.docx")
    today = office.VERSION, office.extract_docx
    monkeypatch.setattr(office, "VERSION", "office-3")
    monkeypatch.setattr(
        office, "extract_docx", lambda _: Extracted(OFFICE_3_LIST, Metadata(), "office-3")
    )
    document = Corpus.open(corpus, store=store_dir).get("list.docx")
    store = Store(store_dir)
    for index, tag in ((2, "neuf"), (7, "sous-point")):
        store.tag_passage(document, document.passages[index], tag)
    store.close()
    # The extractor of today: the items carry their markers.
    monkeypatch.setattr(office, "VERSION", today[0])
    monkeypatch.setattr(office, "extract_docx", today[1])
    reopened = Corpus.open(corpus, store=store_dir).get("list.docx")
    assert reopened.extractor_version == today[0] != "office-3"
    with Store(store_dir) as store:
        assert store.needs_anchoring(reopened)
        report = store.anchor(reopened, reopened.passages)
        assert sum(report.counts.values()) == 2 and not report.counts.get("lost")
        tagged = {
            passage.text: annotation.tags
            for passage in reopened.passages
            if (annotation := store.annotation(reopened, passage))
        }
    assert tagged == {"9. Nine": ["neuf"], "f. FF": ["sous-point"]}


def aged(folder: Path) -> None:
    """As if every entry of the cache had been made and last used hours ago."""
    for entry in folder.iterdir():
        os.utime(entry, (time.time() - 2 * KEPT_WHILE_NEW,) * 2)


def counted(corpus: Path, store: Path) -> Corpus:
    """The corpus opened with its catalog and every document known, as the app leaves it."""
    opened = Corpus.open(corpus, Catalog.load(store))
    count_unknown(opened, lambda *_: None)
    catalogued_long_after(store / CATALOG_NAME)
    return opened


def test_texts_no_listed_file_uses_leave_the_cache_once_the_corpus_is_known(tmp_path):
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir(), store.mkdir()
    page = PAGE.format("Les mots d’une page, assez nombreux pour être gardés.")
    (corpus / "paper.pdf").write_bytes(prose_pages())
    (corpus / "page.html").write_text(page)
    (corpus / "gone.html").write_text(PAGE.format("Une page qui sera retirée du corpus."))
    counted(corpus, store)
    cache = store / FOLDER
    (cache / "notes.txt").write_text("not an entry of glose's: never removed")
    assert len(list(cache.glob("*.json"))) == 3
    aged(cache)
    (corpus / "gone.html").unlink()
    (corpus / "page.html").write_text(page.replace("Les mots", "Les autres mots"))
    counted(corpus, store)
    kept = sorted(path.name[:64] for path in cache.glob("*.json"))
    used = [file_sha256((corpus / name).read_bytes()) for name in ("paper.pdf", "page.html")]
    assert kept == sorted(used), "the unchanged file's entry kept, however old"
    assert (cache / "notes.txt").exists()


def test_nothing_leaves_the_cache_while_a_listed_document_s_bytes_are_not_known(tmp_path):
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir(), store.mkdir()
    (corpus / "paper.pdf").write_bytes(prose_pages())
    counted(corpus, store)
    cache = ExtractionCache(store / FOLDER)
    assert cache.put("ab" * 32, Extracted("Un texte d’un fichier retiré.", Metadata(), "pdf-1"))
    aged(store / FOLDER)
    # The catalog of an older glose, which did not know the bytes of what it read.
    saved = json.loads((store / CATALOG_NAME).read_bytes())
    saved["files"] = {name: fields[:11] for name, fields in saved["files"].items()}
    (store / CATALOG_NAME).write_text(json.dumps(saved))
    opened = Corpus.open(corpus, Catalog.load(store))
    assert opened.get("paper.pdf").known_passage_count == 3, "known without being read"
    count_unknown(opened, lambda *_: None)
    assert cache.get("ab" * 32, "pdf-1") is not None, "left: paper.pdf could be that file"


def test_a_new_extractor_version_clears_its_older_texts_of_every_file(tmp_path):
    cache = ExtractionCache(tmp_path)
    for sha256, version in (("a" * 64, "pdf-1"), ("b" * 64, "pdf-1"), ("c" * 64, "epub-3")):
        assert cache.put(sha256, Extracted("Un mot.", Metadata(), version))
    assert cache.put("d" * 64, Extracted("Un mot.", Metadata(), "pdf-2"))
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "c" * 64 + "-epub-3.json",
        "d" * 64 + "-pdf-2.json",
    ]


def test_a_cache_that_cannot_be_cleaned_is_left_alone(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / ("e" * 64 + "-pdf-1.json")).mkdir()  # not a file: not an entry to remove
    assert ExtractionCache(folder).keep_only(set()) == 0
    assert ExtractionCache(tmp_path / "nowhere").keep_only(set()) == 0
    assert (folder / ("e" * 64 + "-pdf-1.json")).is_dir()


# ---------------------------------------------------------------- files that cannot be read


def test_bad_documents_are_left_out_in_one_notice_and_the_rest_opens(tmp_path, seeds):
    shutil.copytree(seeds, tmp_path / "corpus")
    for name, data in bad_documents().items():
        (tmp_path / "corpus" / name).write_bytes(data)
    (tmp_path / "corpus" / "good.pdf").write_bytes(prose_pages())
    corpus = Corpus.open(tmp_path / "corpus")
    assert sorted(d.relpath for d in corpus) == sorted(
        [p.name for p in seeds.iterdir() if p.suffix in (".txt", ".md")] + ["good.pdf"]
    )
    (notice,) = corpus.problems
    assert notice.startswith("Left out 4 files: ")
    for sentence in BAD_SENTENCES.values():
        assert sentence in notice


# ---------------------------------------------------------------- long documents


def test_a_long_pdf_opens_on_its_first_pages_at_the_offsets_of_its_whole_text(
    tmp_path, monkeypatch
):
    (tmp_path / "book.pdf").write_bytes(book_pdf(40))
    read: list[int] = []
    lines = pdf._lines
    monkeypatch.setattr(pdf, "_lines", lambda page: read.append(1) or lines(page))
    document = Corpus.open(tmp_path, Catalog.load(tmp_path / "store")).get("book.pdf")
    opening = document.read_opening()
    assert len(read) == OPENING_PAGES, "only the first pages are read"
    assert document.title == "A long book" and not document.is_read
    assert opening[0].text.startswith("Page 1 line 1 goes on")
    whole = document.text  # the rest, as the reader's worker reads it
    assert len(read) == OPENING_PAGES + 40
    assert [whole[p.start : p.end] for p in opening] == [p.text for p in opening]
    assert opening[-1].end < whole.index("Page 9 line 1"), "the last paragraph is left out"


def test_a_pdf_the_store_holds_opens_from_its_kept_text(tmp_path, monkeypatch):
    store = tmp_path / "store"
    store.mkdir()
    (tmp_path / "book.pdf").write_bytes(book_pdf(40))
    whole = Corpus.open(tmp_path, Catalog.load(store)).get("book.pdf").text  # kept in the store
    monkeypatch.setattr(pdf, "extract_pdf_start", failing)
    monkeypatch.setattr(pdf, "extract_pdf", failing)
    again = Corpus.open(tmp_path, Catalog.load(store)).get("book.pdf")
    assert again.read_opening() is None, "short enough to be read whole at once"
    monkeypatch.setattr(document_module, "OPENING_FROM", 10_000)
    monkeypatch.setattr(document_module, "OPENING_BYTES", 2_000)
    book = Corpus.open(tmp_path, Catalog.load(store)).get("book.pdf")
    opening = book.read_opening()
    assert opening and opening[-1].end < 2_000 and not book.is_read
    assert [whole[p.start : p.end] for p in opening] == [p.text for p in opening]
    assert book.text == whole


def test_a_short_pdf_is_read_whole_at_once(tmp_path):
    (tmp_path / "short.pdf").write_bytes(book_pdf(OPENING_PAGES) + b"%" * (1 << 16))
    assert Corpus.open(tmp_path, Catalog.load(None)).get("short.pdf").read_opening() is None


def test_the_catalog_lists_documents_and_bad_ones_without_reading_them_again(tmp_path, monkeypatch):
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir(), store.mkdir()
    (corpus / "paper.pdf").write_bytes(prose_pages())
    (corpus / "broken.pdf").write_bytes(bad_documents()["broken.pdf"])
    count_unknown(Corpus.open(corpus, Catalog.load(store)), lambda *_: None)
    catalogued_long_after(store / CATALOG_NAME)
    monkeypatch.setattr(pdf, "extract_pdf", failing)
    again = Corpus.open(corpus, Catalog.load(store))
    (paper,) = again
    assert paper.id == "paper.pdf" and not paper.is_read
    assert paper.known_title == "A test of PDF" and paper.known_passage_count == 3
    assert [name for name, _ in again.left_out] == ["broken.pdf"], "told by the catalog"


@st.composite
def extracted_texts(draw: st.DrawFn) -> Extracted:
    text = draw(st.text(max_size=200))
    spans = st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)
    headings = draw(st.lists(st.tuples(spans, st.integers(1, 6)), max_size=4))
    links = draw(st.lists(st.tuples(spans, st.text(max_size=30)), max_size=4))
    metadata = Metadata(*draw(st.lists(st.text(max_size=20), min_size=5, max_size=5)))
    return Extracted(
        text,
        metadata,
        "pdf-1",
        tuple((start, end, level) for (start, end), level in headings),
        tuple(Link(start, end, target) for (start, end), target in links),
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extracted=extracted_texts())
def test_a_cached_text_comes_back_as_it_was_kept(tmp_path, extracted):
    cache = ExtractionCache(tmp_path / FOLDER)
    assert cache.put("cd" * 32, extracted)
    assert cache.get("cd" * 32, "pdf-1") == extracted


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.fixed_dictionaries(
        {"extractor_version": st.just("pdf-1")},
        optional={
            "text": json_values,
            "metadata": json_values,
            "headings": json_values,
            "links": json_values,
        },
    )
)
def test_any_cache_entry_is_used_whole_or_not_at_all(tmp_path, value):
    cache = ExtractionCache(tmp_path)
    path = cache.path("ef" * 32, "pdf-1")
    path.write_bytes(json.dumps(value).encode())
    found = cache.get("ef" * 32, "pdf-1")
    if found is not None:
        assert all(0 <= s <= e <= len(found.text) for s, e, _ in found.headings)
        assert all(0 <= link.start <= link.end <= len(found.text) for link in found.links)


def test_the_catalog_knows_which_extractors_read_its_documents():
    from tui.corpus.extract import epub, markdown, office, web

    modules = (web, pdf, epub, office, markdown)
    assert EXTRACTOR_VERSIONS.split() == [module.VERSION for module in modules]


def test_documents_are_read_again_once_an_extractor_changed(tmp_path):
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir(), store.mkdir()
    (corpus / "paper.pdf").write_bytes(prose_pages())
    (corpus / "broken.pdf").write_bytes(bad_documents()["broken.pdf"])
    (corpus / "notes.txt").write_text("Des notes.\n")
    (corpus / "lisez-moi.md").write_text("# Lisez-moi\n\n| a | b |\n|---|---|\n")
    count_unknown(Corpus.open(corpus, Catalog.load(store)), lambda *_: None)
    catalogued_long_after(store / CATALOG_NAME)
    saved = json.loads((store / CATALOG_NAME).read_bytes())
    assert saved["extractors"] == EXTRACTOR_VERSIONS
    saved["extractors"] = EXTRACTOR_VERSIONS.replace("pdf-1", "pdf-0")
    (store / CATALOG_NAME).write_text(json.dumps(saved))
    # Markdown is rendered by an extractor too: its counts are made again with the others.
    assert sorted(Catalog.load(store).entries) == ["notes.txt"], "text files are still known"
