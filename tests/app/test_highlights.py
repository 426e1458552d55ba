"""Span selection, highlights in colours, notes, deletion, and the Orphans view, with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, TextArea

from tests.helpers import press, text_document
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
        await press(pilot, "v")
        assert selected(app) == "L’alliance"
        await press(pilot, "w", "w", "shift+right")
        assert selected(app) == "L’alliance réunit Meta et"
        await press(pilot, "b", "left", "left")
        assert selected(app) == "L’alliance réunit Me"
        await press(pilot, "right")
        assert selected(app) == "L’alliance réunit Met"
        assert "21 characters selected" in screen.title_text()
        await press(pilot, "escape")
        assert screen.reader.selection is None
        assert screen.store.highlights() == [], "escape highlights nothing"
        await press(pilot, "v", "w", "w", "h")
        (highlight,) = screen.store.highlights("doc")
        assert highlight.quote == "L’alliance réunit Meta"
        assert (highlight.color, highlight.status) == ("yellow", "exact")
        assert screen.reader.selection is None
        assert screen.reader.highlights == [highlight]
        assert screen.reader.highlight_under_cursor == highlight, "under the cursor"
        await press(pilot, "escape", "h")  # off the highlight, no selection: the whole passage
        assert screen.store.annotation(screen.document, screen.document.passages[0]).highlighted


async def test_a_selection_can_cross_passages(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "v", *["w"] * 12)
        assert screen.reader.current == 1, "the passage where the selection ends is current"
        await press(pilot, "h")
        (highlight,) = screen.store.highlights("doc")
        first, second = highlight.quote.split("\n\n")
        assert first == screen.document.passages[0].text
        assert second == "Elle compte plus de"


async def test_mouse_drag_selects(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        top = reader.passage_layout.block(1).top + 1  # +1: the reader's border
        await pilot.mouse_down(Reader, offset=(3, top))
        await pilot.hover(Reader, offset=(3 + 16, top))
        await pilot.mouse_up(Reader, offset=(3 + 16, top))
        await pilot.pause()
        assert selected(app) == "Elle compte plus"
        await press(pilot, "h")
        assert [h.quote for h in app.screen.store.highlights("doc")] == ["Elle compte plus"]


async def test_c_cycles_the_colour_and_new_highlights_take_it(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        store = app.screen.store
        await press(pilot, "v", "h", "c")
        assert [h.color for h in store.highlights("doc")] == ["green"]
        await press(pilot, "c", "c")
        assert [h.color for h in store.highlights("doc")] == ["pink"]
        await press(pilot, "j", "v", "h")
        assert sorted(h.color for h in store.highlights("doc")) == ["pink", "pink"]
        assert store.get_state("highlight_color") == "pink", "the default is remembered"
        await press(pilot, "j", "h", "c")
        passage = app.screen.document.passages[2]
        assert store.annotation(app.screen.document, passage).color == "orange"


async def test_c_on_a_segment_that_only_carries_tags_changes_no_colour_of_it(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        store = app.screen.store
        store.create_tag("acteurs")
        await press(pilot, "h", "v", "w", "1")  # the passage highlighted, words tagged
        document = app.screen.document
        passage_color = store.annotation(document, document.passages[0]).color
        await press(pilot, "c")
        [segment] = store.highlights("doc")
        assert (segment.highlighted, segment.tags) == (False, ["acteurs"])
        assert store.annotation(document, document.passages[0]).color == passage_color
        assert app.notified[-1] == "Next highlights: green."
        assert store.last_change.label.startswith("tag acteurs"), "no invisible step to undo"


@pytest.mark.slow
async def test_a_writes_a_note_shown_under_the_current_passage(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "j", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await press(pilot, *"Chiffre à vérifier.", "enter", *"Source ?")
        await press(pilot, "ctrl+s")
        await pilot.pause()
        passage = screen.document.passages[1]
        assert screen.store.annotation(screen.document, passage).note == (
            "Chiffre à vérifier.\nSource ?"
        )
        lines = [screen.reader.render_line(y).text for y in range(screen.reader.size.height)]
        assert any("✎ Chiffre à vérifier." in line for line in lines)
        assert any(line.startswith("▌✎") for line in lines), "a mark in the gutter"
        await press(pilot, "k")
        lines = [screen.reader.render_line(y).text for y in range(screen.reader.size.height)]
        assert not any("Chiffre à vérifier" in line for line in lines), "only when current"
        # On a highlight, the note is the highlight's.
        await press(pilot, "v", "h", "a")
        await pilot.pause()
        await press(pilot, *"Qui ?", "ctrl+s")
        await pilot.pause()
        assert [h.note for h in screen.store.highlights("doc")] == ["Qui ?"]


@pytest.mark.slow
async def test_escape_in_the_note_editor_asks_before_discarding(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "a")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("brouillon")
        await press(pilot, "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await press(pilot, "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor), "no: back to the note"
        await press(pilot, "escape")
        await pilot.pause()
        await press(pilot, "y")
        await pilot.pause()
        assert app.screen is screen
        assert screen.store.annotations() == []
        await press(pilot, "a", "escape")  # nothing changed: closes without a question
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.slow
async def test_x_deletes_the_highlight_under_the_cursor_after_asking(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "v", "h", "v", "w", "w", "w", "right", "h")
        assert len(screen.store.highlights("doc")) == 2
        await press(pilot, "semicolon")
        first = screen.reader.highlight_under_cursor
        await press(pilot, "semicolon")
        assert screen.reader.highlight_under_cursor is not first
        await press(pilot, "x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await press(pilot, "n")
        await pilot.pause()
        assert len(screen.store.highlights("doc")) == 2
        await press(pilot, "x", "y")
        await pilot.pause()
        assert len(screen.store.highlights("doc")) == 1


@pytest.mark.slow
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
        await press(pilot, "o")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, OrphansView)
        assert view.query_one(OptionList).option_count == 2
        # Attach the highlight to "Rien ne reste".
        await press(pilot, "enter")
        await pilot.pause()
        assert screen.reattaching is not None
        assert "attaching an orphan" in screen.title_text()
        await press(pilot, "j", "v", "w", "h")
        assert [h.quote for h in screen.store.highlights_on(screen.document)] == ["Rien ne"]
        assert screen.reattaching is None
        # Delete the other one on purpose.
        await press(pilot, "o")
        await pilot.pause()
        await press(pilot, "x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await press(pilot, "y")
        await pilot.pause()
        assert screen.store.orphans() == []
        assert screen.store.annotations() == []


async def test_v_again_restarts_the_selection_at_the_next_word(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "w", "w", "v")
        assert selected(app) == "et"
        await press(pilot, "w", "h")
        assert [h.quote for h in app.screen.store.highlights("doc")] == ["et IBM"]


async def test_ctrl_c_in_the_note_editor_does_not_quit(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("brouillon")
        await press(pilot, "ctrl+c")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, NoteEditor)


@pytest.mark.slow
async def test_the_passage_is_under_the_cursor_until_a_highlight_is_chosen(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "v", "w", "h", "semicolon")  # from the new highlight back to the passage
        assert screen.reader.highlight_under_cursor is None
        await press(pilot, "a")
        await pilot.pause()
        await press(pilot, *"Sur le passage.", "ctrl+s")
        await pilot.pause()
        passage = screen.document.passages[0]
        assert screen.store.annotation(screen.document, passage).note == "Sur le passage."
        assert [h.note for h in screen.store.highlights("doc")] == [""]
        await press(pilot, "semicolon", "x", "y")  # chosen again: x deletes it
        await pilot.pause()
        assert screen.store.highlights("doc") == []


@pytest.mark.slow
async def test_an_empty_selection_highlights_nothing(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "left", "left", "left", "left", "left", "left", "left", "left")
        await press(pilot, "right", "right")  # back on the anchor: nothing selected
        await press(pilot, "left", "left", "right", "right")
        selection = app.screen.reader.selection
        if selection.start != selection.end:
            await press(pilot, "escape", "v")
            while app.screen.reader.selection.start != app.screen.reader.selection.end:
                await press(pilot, "left")
        await press(pilot, "h")
        assert app.screen.store.annotations() == [] and app.screen.store.highlights() == []
        assert any(m.startswith("Nothing is selected") for m in app.notified)


async def test_orphans_of_documents_gone_from_the_corpus_are_listed(
    make_app, make_corpus, store_dir
):
    root = make_corpus({"doc.txt": TEXT})
    gone = text_document("renamed", "Un texte d’avant le renommage.")
    with Store(store_dir) as store:
        store.toggle_highlight(gone, gone.passages[0])
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        await pilot.pause()
        assert isinstance(app.screen, OrphansView)
        assert [o.document for o in app.screen.orphans] == ["renamed"]
        await press(pilot, "enter")
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
        await press(pilot, "o", "enter")
        await pilot.pause()
        assert screen.reattaching is not None
        await press(pilot, "right_square_bracket")
        assert screen.reattaching is None, "its place is in its own article"
        await press(pilot, "left_square_bracket", "o", "enter")
        await pilot.pause()
        await press(pilot, "o", "x", "y")
        await pilot.pause()
        assert screen.reattaching is None
        await press(pilot, "v", "h")  # an ordinary highlight now, no crash
        assert [h.quote for h in screen.store.highlights_on(screen.document)] == ["Tout"]
