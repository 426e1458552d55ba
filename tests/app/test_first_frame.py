"""The first frame Textual draws is the whole reader: text, title and sidebar at their width.

Each pane lays itself out when it is first drawn, not when its Resize arrives afterwards;
otherwise the first frame shows an empty reader and a frame follows with the text.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual import events

from tests.helpers import in_a_terminal, press, recording
from tests.waiting import searched, until
from tui.app.app import GloseApp
from tui.app.screens import main as main_module
from tui.corpus import Corpus
from tui.corpus import document as document_module
from tui.corpus.catalog import Catalog
from tui.store import Store


async def test_the_first_frame_shows_the_text_the_title_and_whole_names(make_app) -> None:
    app: GloseApp = make_app()

    async def steps(pilot, frames) -> None:
        await pilot.pause()
        document = app.screen.document
        assert frames, "Textual drew no frame"
        first, _ = frames[0]
        # The second paragraph: the first is the title, which the list shows too.
        words = document.passages[1].text[:30]
        assert words in first
        assert f"passage 1/{len(document.passages)}" in first
        assert "Highlights" in first  # not cut to "Hig…" for want of a width

    await in_a_terminal(app, (120, 36), steps)


def _book(root: Path) -> Path:
    """A book past OPENING_FROM (lowered by the tests): short paragraphs, numbered."""
    paragraphs = ["Le livre de l’Alliance"]
    paragraphs += [f"Paragraphe {n} : l’IA « ouverte » et sûre." for n in range(1, 800)]
    root.mkdir()
    (root / "livre.txt").write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    return root


def _listed(books: Path, store_dir: Path) -> GloseApp:
    """The app as `glose` opens it: the corpus listed with the catalog, each file read when
    first needed."""
    return GloseApp(Corpus.open(books, Catalog.load(store_dir)), Store(store_dir))


@pytest.fixture
def small_opening(monkeypatch):
    # A book of 30 KB stands for one of megabytes: opened on its first 2 KB.
    monkeypatch.setattr(document_module, "OPENING_FROM", 10_000)
    monkeypatch.setattr(document_module, "OPENING_BYTES", 2_000)
    monkeypatch.setattr(main_module, "OPENING_FROM", 10_000)
    yield
    gc.unfreeze()  # the book's cut froze what this test process had made


async def test_a_book_shows_its_first_screen_before_it_is_read_then_all_of_it(
    tmp_path, store_dir, small_opening
) -> None:
    app = _listed(_book(tmp_path / "livres"), store_dir)
    frozen = gc.get_freeze_count()

    async def steps(pilot, seen) -> None:
        first, read = seen[0]
        assert "Paragraphe 1 : l’IA" in first
        assert not read  # drawn from the first bytes: reading waited for the first frame
        assert "reading the rest…  passage 1" in first
        screen = app.screen
        document = screen.document
        await until(
            pilot, lambda: screen.reader.passages is document.final_passages, "the whole book"
        )
        # Its passages are left out of the collector's passes while it is open.
        assert gc.get_freeze_count() > frozen
        await press(pilot, "G")
        assert screen.reader.current == len(document.passages) - 1 == 799
        assert "passage 800/800" in screen.title_text()
        assert "Paragraphe 799" in screen.reader.current_passage.text

    await in_a_terminal(app, (120, 36), steps, lambda: app.screen.document.is_read)
    app.store.close()


@pytest.mark.slow
async def test_a_book_reopened_further_on_or_annotated_is_read_before_it_shows(
    tmp_path, store_dir, small_opening
) -> None:
    books = _book(tmp_path / "livres")
    app = _listed(books, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.reader.passages is screen.document.final_passages, "cut")
        screen.reader.go_to(600)
        await pilot.pause()
    app.store.close()
    # Its place is past the first bytes: the whole book is read to show it.
    app = _listed(books, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.document.is_read
        assert "Paragraphe 600" in app.screen.reader.current_passage.text
        await press(pilot, "g", "t", *"ouverture", "enter")  # the book is annotated now
        assert app.screen.reader.current == 0  # so the next start is at its beginning
        assert app.store.annotated_documents() == {app.screen.document.id}
    app.store.close()
    app = _listed(books, store_dir)
    async with app.run_test(size=(120, 36)):
        # Its annotations are anchored in the whole text as glose starts.
        assert app.screen.document.is_read
    app.store.close()


async def test_a_book_that_is_not_text_past_its_first_bytes_is_left_out_once_read(
    tmp_path, store_dir, small_opening
) -> None:
    books = tmp_path / "livres"
    books.mkdir()
    head = "Un faux livre\n\n" + "Du texte au début.\n\n" * 150
    (books / "a.txt").write_bytes(head.encode() + b"\x00\x01\x02" * 10_000)
    (books / "b.txt").write_text("Un vrai article\n\nSon texte.", "utf-8")
    app = _listed(books, store_dir)
    notified = recording(app)

    async def steps(pilot, frames) -> None:
        screen = app.screen
        await until(pilot, lambda: screen.corpus.get("a") is None, "a.txt left out")
        assert frames[0][1] == "a"  # its first screen came from its first bytes
        assert screen.document.id == "b"
        assert "Son texte." in screen.reader.passages[1].text
        assert notified == ["Left out 1 file that is not text: a.txt"]

    await in_a_terminal(app, (120, 36), steps, lambda: app.screen.document.id)
    app.store.close()


@pytest.mark.slow
async def test_a_book_shown_from_its_first_bytes_is_annotated_once_read(
    tmp_path, store_dir, small_opening, monkeypatch
) -> None:
    # The reading in the background held back: the book stays shown from its first bytes.
    start_reading = main_module.MainScreen.after_first_frame
    monkeypatch.setattr(main_module.MainScreen, "after_first_frame", lambda screen: None)
    app = _listed(_book(tmp_path / "livres"), store_dir)
    notified = recording(app)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert screen.reader.passages is screen.document.opening
        await press(pilot, "j", "t")
        assert notified == ["This book is still being read; annotate it in a moment."]
        assert app.screen is screen  # no prompt
        await press(pilot, "V", "j", "t")  # passages chosen together: the same
        assert notified[1:] == ["This book is still being read; annotate it in a moment."]
        assert app.screen is screen
        await press(pilot, "escape")
        assert app.store.annotations() == []
        start_reading(screen)
        await until(pilot, lambda: screen.reader.passages is screen.document.final_passages, "read")
        await press(pilot, "t", *"ouverture", "enter")
        assert [a.tags for a in app.store.annotations()] == [["ouverture"]]
    app.store.close()


async def test_a_search_in_a_book_shown_from_its_first_bytes_reads_it_whole(
    tmp_path, store_dir, small_opening, monkeypatch
) -> None:
    monkeypatch.setattr(main_module.MainScreen, "after_first_frame", lambda screen: None)
    app = _listed(_book(tmp_path / "livres"), store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert screen.reader.passages is screen.document.opening
        await press(pilot, "slash", *"paragraphe 700 ")
        dialog = app.screen
        dialog.run_query()
        await searched(pilot, dialog)
        # Numbered as in the whole book, not as the last passage of its first bytes.
        assert "passage 701" in str(dialog.places[0].prompt)
        await press(pilot, "down", "enter")
        assert screen.reader.passages is screen.document.quick_passages()
        assert screen.reader.current == 700
        assert "Paragraphe 700 " in screen.reader.current_passage.text
    app.store.close()


def _fake_book(books: Path, name: str) -> None:
    """Text in its first bytes, binary data after them."""
    head = "Un faux livre\n\n" + "Du texte au début.\n\n" * 150
    (books / name).write_bytes(head.encode() + b"\x00\x01\x02" * 10_000)


async def test_a_book_passed_over_at_once_that_is_not_text_is_left_out_without_a_crash(
    tmp_path, store_dir, small_opening, monkeypatch
) -> None:
    monkeypatch.setattr(main_module.MainScreen, "read_articles", lambda screen: None)
    books = tmp_path / "livres"
    books.mkdir()
    (books / "a.txt").write_text("Petit article\n\nSon texte.", "utf-8")
    _fake_book(books, "b.txt")
    (books / "c.txt").write_text("Autre article\n\nSon texte.", "utf-8")
    app = _listed(books, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.drawn, "the first frame")
        await app.workers.wait_for_complete()
        # "]]" read from the terminal at once, both keys before a refresh: b is shown from its
        # first bytes, then c, and b's worker reads it whole while c shows.
        for _ in range(2):
            app.post_message(events.Key("right_square_bracket", "]"))
        await until(pilot, lambda: screen.document.id == "c", "c open")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.return_code is None  # still running: no worker failed
        assert screen.document.id == "c"
        assert screen.corpus.get("b") is None
    app.store.close()


async def test_the_only_book_left_out_once_read_leaves_an_empty_reader(
    tmp_path, store_dir, small_opening
) -> None:
    books = tmp_path / "livres"
    books.mkdir()
    _fake_book(books, "a.txt")
    app = _listed(books, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.corpus.get("a") is None, "a.txt left out")
        await pilot.pause()
        assert screen.document is None
        assert screen.reader.document is None and screen.reader.passages == []
        assert screen.title_text().startswith("No articles: none of the corpus's files")
    app.store.close()
