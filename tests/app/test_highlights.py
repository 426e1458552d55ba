"""Span selection, highlights in colours, notes, deletion, and the Orphans view, with Pilot."""

from __future__ import annotations

from textual.widgets import OptionList, TextArea

from tests.helpers import text_document
from tui.app.screens.confirm import Confirm
from tui.app.screens.note_editor import NoteEditor
from tui.app.screens.orphans import OrphansView
from tui.app.widgets.reader import Reader
from tui.store import Store

SIZE = (110, 34)
TEXT = (
    "L’alliance réunit Meta et IBM autour de l’IA ouverte.\n\n"
    "Elle compte plus de cinquante membres fondateurs.\n\n"
    "Les critiques y voient une opération de communication."
)


def selected(app) -> str:
    selection = app.screen.reader.selection
    return app.screen.document.text[selection.start : selection.end] if selection else ""


async def test_v_w_b_and_arrows_select_words_and_h_highlights_them(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("v")
        assert selected(app) == "L’alliance"
        await pilot.press("w", "w", "shift+right")
        assert selected(app) == "L’alliance réunit Meta et"
        await pilot.press("b", "left", "left")
        assert selected(app) == "L’alliance réunit Me"
        await pilot.press("right")
        assert selected(app) == "L’alliance réunit Met"
        assert "21 characters selected" in screen.title_text()
        await pilot.press("escape")
        assert screen.reader.selection is None
        assert screen.store.highlights() == [], "escape highlights nothing"
        await pilot.press("v", "w", "w", "h")
        (highlight,) = screen.store.highlights("doc")
        assert highlight.quote == "L’alliance réunit Meta"
        assert (highlight.color, highlight.status) == ("yellow", "exact")
        assert screen.reader.selection is None
        assert screen.reader.highlights == [highlight]
        await pilot.press("h")  # no selection: the whole passage, as before
        assert screen.store.annotation(screen.document, screen.document.passages[0]).highlighted


async def test_a_selection_can_cross_passages(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("v", *["w"] * 12)
        assert screen.reader.current == 1, "the passage where the selection ends is current"
        await pilot.press("h")
        (highlight,) = screen.store.highlights("doc")
        first, second = highlight.quote.split("\n\n")
        assert first == screen.document.passages[0].text
        assert second == "Elle compte plus de"


async def test_mouse_drag_selects(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        top = reader._layout.block(1).top + 1  # +1: the reader's border
        await pilot.mouse_down(Reader, offset=(3, top))
        await pilot.hover(Reader, offset=(3 + 16, top))
        await pilot.mouse_up(Reader, offset=(3 + 16, top))
        await pilot.pause()
        assert selected(app) == "Elle compte plus"
        await pilot.press("h")
        assert [h.quote for h in app.screen.store.highlights("doc")] == ["Elle compte plus"]


async def test_c_cycles_the_colour_and_new_highlights_take_it(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        store = app.screen.store
        await pilot.press("v", "h", "c")
        assert [h.color for h in store.highlights("doc")] == ["green"]
        await pilot.press("c", "c")
        assert [h.color for h in store.highlights("doc")] == ["pink"]
        await pilot.press("j", "v", "h")
        assert sorted(h.color for h in store.highlights("doc")) == ["pink", "pink"]
        assert store.get_state("highlight_color") == "pink", "the default is remembered"
        await pilot.press("j", "h", "c")
        passage = app.screen.document.passages[2]
        assert store.annotation(app.screen.document, passage).color == "orange"


async def test_a_writes_a_note_shown_under_the_current_passage(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("j", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Chiffre à vérifier.", "enter", *"Source ?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        passage = screen.document.passages[1]
        assert screen.store.annotation(screen.document, passage).note == (
            "Chiffre à vérifier.\nSource ?"
        )
        lines = [screen.reader.render_line(y).text for y in range(screen.reader.size.height)]
        assert any("✎ Chiffre à vérifier." in line for line in lines)
        assert any(line.startswith("▌✎") for line in lines), "a mark in the gutter"
        await pilot.press("k")
        lines = [screen.reader.render_line(y).text for y in range(screen.reader.size.height)]
        assert not any("Chiffre à vérifier" in line for line in lines), "only when current"
        # On a highlight, the note is the highlight's.
        await pilot.press("v", "h", "a")
        await pilot.pause()
        await pilot.press(*"Qui ?", "ctrl+s")
        await pilot.pause()
        assert [h.note for h in screen.store.highlights("doc")] == ["Qui ?"]


async def test_escape_in_the_note_editor_asks_before_discarding(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("brouillon")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor), "no: back to the note"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert screen.store.annotations() == []
        await pilot.press("a", "escape")  # nothing changed: closes without a question
        await pilot.pause()
        assert app.screen is screen


async def test_x_deletes_the_highlight_under_the_cursor_after_asking(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("v", "h", "v", "w", "w", "w", "right", "h")
        assert len(screen.store.highlights("doc")) == 2
        await pilot.press("semicolon")
        first = screen.reader.highlight_under_cursor
        await pilot.press("semicolon")
        assert screen.reader.highlight_under_cursor is not first
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert len(screen.store.highlights("doc")) == 2
        await pilot.press("x", "y")
        await pilot.pause()
        assert len(screen.store.highlights("doc")) == 1


async def test_orphans_view_lists_attaches_again_and_deletes(make_app, make_corpus, store_dir):
    root = make_corpus({"doc.txt": TEXT})
    before = text_document("doc", TEXT, "doc.txt")
    with Store(store_dir) as store:
        start = TEXT.index("Meta et IBM")
        store.add_highlight(before, before.passages, start, start + 11, "blue")
        store.tag_passage(before, before.passages[2], "critique")
    (root / "doc.txt").write_text("Tout a été réécrit.\n\nRien ne reste.", encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.pause()
        assert any("2 annotations could not be found in the new text" in m for m in app.notified)
        await pilot.press("o")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, OrphansView)
        assert view.query_one(OptionList).option_count == 2
        # Attach the highlight to "Rien ne reste".
        await pilot.press("enter")
        await pilot.pause()
        assert screen.reattaching is not None
        assert "attaching an orphan" in screen.title_text()
        await pilot.press("j", "v", "w", "h")
        assert [h.quote for h in screen.store.highlights_on(screen.document)] == ["Rien ne"]
        assert screen.reattaching is None
        # Delete the other one on purpose.
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert screen.store.orphans() == []
        assert screen.store.annotations() == []


async def test_v_again_restarts_the_selection_at_the_next_word(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "w", "w", "v")
        assert selected(app) == "et"
        await pilot.press("w", "h")
        assert [h.quote for h in app.screen.store.highlights("doc")] == ["et IBM"]
