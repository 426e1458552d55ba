"""Documents of other formats in the reader: bad ones said in one notice, the rest opened; a
long PDF shown from its first pages while the rest is read."""

from __future__ import annotations

import shutil
import threading

import pytest

from tests.helpers import in_a_terminal, press, recording
from tests.unit.test_corpus_documents import BAD_SENTENCES, bad_documents, book_pdf
from tests.unit.test_extract import prose_pages
from tests.waiting import articles_read, until
from tui.app.app import GloseApp
from tui.app.widgets.article_list import ArticleList
from tui.app.widgets.title_bar import TitleBar
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.extract import pdf
from tui.corpus.extraction_cache import OPENING_PAGES
from tui.store import Store


@pytest.mark.slow
async def test_bad_documents_get_one_sentence_and_the_rest_of_the_corpus_opens(tmp_path, seeds):
    root = tmp_path / "corpus"
    shutil.copytree(seeds, root)
    for name, data in bad_documents().items():
        (root / name).write_bytes(data)
    (root / "good.pdf").write_bytes(prose_pages())
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), store)
    notified = recording(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await articles_read(app, pilot)
        listing = app.screen.query_one(ArticleList)
        names = [d.relpath for d in listing.documents]
        assert not set(names) & set(BAD_SENTENCES) and "good.pdf" in names
        (notice,) = [m for m in notified if m.startswith("Left out")]
        assert notice.startswith("Left out 4 files: ")
        for sentence in BAD_SENTENCES.values():
            assert sentence in notice
        await press(pilot, "shift+tab", "home")
        for _ in range(names.index("good.pdf")):
            await press(pilot, "down")
        await press(pilot, "enter")
        assert app.screen.document.relpath == "good.pdf"
        assert "A test of PDF" in str(app.screen.query_one("#doc-title").render())
        assert app.screen.document.text.startswith("The first paragraph begins here")
    store.close()


@pytest.mark.slow
async def test_a_long_pdf_shows_its_first_pages_then_all_of_it(tmp_path, store_dir) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "book.pdf").write_bytes(book_pdf(40))
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), Store(store_dir))

    async def steps(pilot, seen) -> None:
        first, read = seen[0]
        assert "Page 1 line 1 goes on" in first and "A long book" in first
        assert not read, "drawn from the first pages: the rest waited for the first frame"
        assert "reading the rest…  passage 1" in first
        screen = app.screen
        document = screen.document
        await until(
            pilot, lambda: screen.reader.passages is document.final_passages, "the whole book"
        )
        await press(pilot, "G")
        assert "Page 40 line" in screen.reader.current_passage.text

    await in_a_terminal(app, (120, 36), steps, lambda: app.screen.document.is_read)
    app.store.close()


@pytest.mark.slow
async def test_the_title_bar_says_how_many_pages_of_a_long_pdf_are_read(
    tmp_path, store_dir, monkeypatch
) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "book.pdf").write_bytes(book_pdf(40))
    halfway, go_on = threading.Event(), threading.Event()
    read: list[int] = []
    lines = pdf._lines

    def slowly(page: object) -> object:
        read.append(1)
        if len(read) == OPENING_PAGES + 20:  # the whole text's twentieth page
            halfway.set()
            go_on.wait(timeout=30)
        return lines(page)

    monkeypatch.setattr(pdf, "_lines", slowly)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), Store(store_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        try:
            await until(pilot, halfway.is_set, "the twentieth page read")
            await until(pilot, lambda: "reading page 19/40…" in screen.title_text(), "pages shown")
        finally:
            go_on.set()
        document = screen.document
        await until(
            pilot, lambda: screen.reader.passages is document.final_passages, "the whole book"
        )
        await until(pilot, lambda: "passage 1/" in screen.title_text(), "the whole book's place")
        assert "reading" not in screen.title_text()
        assert screen.query_one(TitleBar)._pages is None, "no longer ticking"
    app.store.close()
