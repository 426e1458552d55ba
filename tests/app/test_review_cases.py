"""Cases found by review: each one a way the app once went wrong."""

from __future__ import annotations

import os

from textual.widgets import TextArea

from tests.helpers import text_document
from tui.app.screens.note_editor import NoteEditor
from tui.app.screens.orphans import OrphansView
from tui.app.screens.too_small import TooSmall
from tui.store import Store

SIZE = (110, 34)
TEXT = (
    "L’alliance réunit Meta et IBM autour de l’IA ouverte.\n\n"
    "Elle compte plus de cinquante membres fondateurs.\n\n"
    "Les critiques y voient une opération de communication."
)


async def test_quotes_with_escapes_and_markup_reach_dialogs_as_text(make_app, make_corpus):
    root = make_corpus({"doc.txt": "Un \x1b[31mROUGE\x1b[0m [bold]gras[/] ici.\n\nSuite."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "w", "w", "h", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        about = str(app.screen.query_one("#note-about").visual)
        assert "\x1b" not in about and "␛[31mROUGE" in about
        assert "\x1b" not in app.export_screenshot()


async def test_notifications_never_parse_markup_even_from_widgets(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.notify("a[ ]b.txt [/] [@click=app.quit]x[/]")  # widgets default to markup
        await pilot.pause()
        assert app.is_running
        assert "a[ ]b.txt [/] [@click=app.quit]x[/]" in app.notified


async def test_ctrl_c_in_the_note_editor_does_not_quit(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("brouillon")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, NoteEditor)


async def test_too_small_covers_dialogs_too(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.resize_terminal(39, 11)
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmall)


async def test_the_passage_is_under_the_cursor_until_a_highlight_is_chosen(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("v", "w", "h", "semicolon")  # from the new highlight back to the passage
        assert screen.reader.highlight_under_cursor is None
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Sur le passage.", "ctrl+s")
        await pilot.pause()
        passage = screen.document.passages[0]
        assert screen.store.annotation(screen.document, passage).note == "Sur le passage."
        assert [h.note for h in screen.store.highlights("doc")] == [""]
        await pilot.press("semicolon", "x", "y")  # chosen again: x deletes it
        await pilot.pause()
        assert screen.store.highlights("doc") == []


async def test_an_empty_selection_highlights_nothing(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "left", "left", "left", "left", "left", "left", "left", "left")
        await pilot.press("right", "right")  # back on the anchor: nothing selected
        await pilot.press("left", "left", "right", "right")
        selection = app.screen.reader.selection
        if selection.start != selection.end:
            await pilot.press("escape", "v")
            while app.screen.reader.selection.start != app.screen.reader.selection.end:
                await pilot.press("left")
        await pilot.press("h")
        assert app.screen.store.annotations() == [] and app.screen.store.highlights() == []
        assert any(m.startswith("Nothing is selected") for m in app.notified)


async def test_a_note_being_written_is_not_overtaken_by_a_reload(make_app, make_corpus):
    root = make_corpus({"doc.txt": TEXT})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("j", "v", "h", "a")
        await pilot.pause()
        (root / "doc.txt").write_text("Un ajout.\n\n" + TEXT, encoding="utf-8")
        os.utime(root / "doc.txt", (1, 1))
        screen._reload_if_changed()  # the timer, while the editor is open: waits
        assert screen.document.text == TEXT
        await pilot.press(*"Chiffre ?", "ctrl+s")
        await pilot.pause()
        screen._reload_if_changed()  # the editor closed: now the new text comes in
        await pilot.pause()
        (highlight,) = screen.store.highlights_on(screen.document)
        assert (highlight.quote, highlight.note) == ("Elle", "Chiffre ?")
        assert highlight.status == "moved"


async def test_orphans_of_documents_gone_from_the_corpus_are_listed(
    make_app, make_corpus, store_dir
):
    root = make_corpus({"doc.txt": TEXT})
    gone = text_document("renamed", "Un texte d’avant le renommage.")
    with Store(store_dir) as store:
        store.toggle_highlight(gone, gone.passages[0])
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OrphansView)
        assert [o.document for o in app.screen.orphans] == ["renamed"]
        await pilot.press("enter")
        await pilot.pause()
        assert any("is not in this corpus" in m for m in app.notified)


async def test_attaching_stops_when_the_orphan_goes_or_another_article_opens(
    make_app, make_corpus, store_dir
):
    root = make_corpus({"a.txt": TEXT, "b.txt": "Autre article."})
    before = text_document("a", TEXT, "a.txt")
    with Store(store_dir) as store:
        store.add_highlight(before, before.passages, 0, 10, "blue")
    (root / "a.txt").write_text("Tout a changé.", encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("o", "enter")
        await pilot.pause()
        assert screen.reattaching is not None
        await pilot.press("right_square_bracket")
        assert screen.reattaching is None, "its place is in its own article"
        await pilot.press("left_square_bracket", "o", "enter")
        await pilot.pause()
        await pilot.press("o", "x", "y")
        await pilot.pause()
        assert screen.reattaching is None
        await pilot.press("v", "h")  # an ordinary highlight now, no crash
        assert [h.quote for h in screen.store.highlights_on(screen.document)] == ["Tout"]


async def test_a_file_that_goes_unreadable_is_reported_once(make_app, make_corpus):
    root = make_corpus({"doc.txt": TEXT})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        (root / "doc.txt").unlink()
        for _ in range(3):
            screen._reload_if_changed()
            await pilot.pause()
        assert len([m for m in app.notified if "cannot be read" in m]) == 1
        assert screen.document.text == TEXT
