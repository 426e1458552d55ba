"""Coded segments from the keys, with Pilot: selected words tagged with 1-9 and t, the segment
under the cursor toggled, noted, highlighted and deleted, each undone and redone; segments
across passages and overlapping; and the list of a tag's places going to its segments."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import Label, Static

from tests.helpers import press
from tui.app.screens.confirm import Confirm
from tui.app.screens.note_editor import NoteEditor
from tui.app.screens.places import PlacesView
from tui.app.screens.tag_prompt import TagPrompt
from tui.app.widgets.reader import Reader
from tui.app.widgets.tag_sidebar import TagSidebar

SIZE = (110, 34)
TEXT = (
    "L’alliance réunit Meta et IBM autour de l’IA ouverte.\n\n"
    "Elle compte plus de cinquante membres fondateurs.\n\n"
    "Les critiques y voient une opération de communication."
)


def spans(screen) -> list[tuple[str, list[str], bool, str]]:
    """Every segment of the open article: its words, tags, highlight and note."""
    return [
        (s.quote, s.tags, s.highlighted, s.note)
        for s in sorted(screen.store.highlights(screen.document.id), key=lambda s: s.start)
    ]


def under_cursor(screen) -> str | None:
    segment = screen.reader.highlight_under_cursor
    return segment.quote if segment is not None else None


def counts(screen) -> dict[str, int]:
    return dict(screen.query_one(TagSidebar).counts)


async def made(app, pilot, *tags: str) -> None:
    for tag in tags:
        app.screen.store.create_tag(tag)
    app.screen.refresh_counts()
    await pilot.pause()


async def test_a_key_tags_the_selected_words_not_the_passage(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        await press(pilot, "v", "w", "w", "1")
        assert spans(screen) == [("L’alliance réunit Meta", ["politique"], False, "")]
        assert screen.store.annotations() == [], "the passage carries no tag"
        assert screen.reader.selection is None, "the selection is left"
        assert under_cursor(screen) == "L’alliance réunit Meta", "the new segment is active"
        assert counts(screen)["politique"] == 1
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: tag politique on «L’alliance réunit Meta»."
        assert spans(screen) == []
        assert counts(screen).get("politique", 0) == 0
        await press(pilot, "ctrl+r")
        assert app.notified[-1] == "Redone: tag politique on «L’alliance réunit Meta»."
        assert spans(screen) == [("L’alliance réunit Meta", ["politique"], False, "")]
        # The same words again: no twin; said, and the key again (on the segment) takes it off.
        await press(pilot, "escape", "v", "w", "w", "1")
        assert app.notified[-1] == "Those words are tagged politique already."
        assert len(spans(screen)) == 1
        assert under_cursor(screen) == "L’alliance réunit Meta"
        await press(pilot, "1")
        assert spans(screen) == [] and under_cursor(screen) is None


async def test_words_selected_with_the_mouse_are_tagged_with_a_key(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        reader = screen.reader
        top = reader.passage_layout.block(1).top + 1  # +1: the reader's border
        await pilot.mouse_down(Reader, offset=(3, top))
        await pilot.hover(Reader, offset=(3 + 16, top))
        await pilot.mouse_up(Reader, offset=(3 + 16, top))
        await pilot.pause()
        await press(pilot, "1")
        assert spans(screen) == [("Elle compte plus", ["politique"], False, "")]
        assert screen.store.annotations() == []


async def test_without_a_selection_a_key_still_tags_the_passage(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        await press(pilot, "j", "1")
        assert spans(screen) == []
        assert screen.store.annotation(screen.document, screen.document.passages[1]).tags == [
            "politique"
        ]


async def test_t_tags_the_selected_words_by_name_with_a_new_tag(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "v", "w", "t")
        prompt = app.screen
        assert isinstance(prompt, TagPrompt)
        title = prompt.query_one("#tag-prompt-title", Label).render()
        assert str(title) == "Tag the selected words"
        await press(pilot, *"acteurs", "enter")
        assert spans(screen) == [("L’alliance réunit", ["acteurs"], False, "")]
        assert [t.name for t in screen.store.tags()] == ["acteurs"]
        assert under_cursor(screen) == "L’alliance réunit"
        assert counts(screen)["acteurs"] == 1
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: tag acteurs on «L’alliance réunit»."
        assert spans(screen) == [] and screen.store.tags() == [], "the new tag went with it"
        await press(pilot, "ctrl+r")
        assert spans(screen) == [("L’alliance réunit", ["acteurs"], False, "")]


@pytest.mark.slow
async def test_keys_act_on_the_segment_under_the_cursor_until_escape(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique", "économie")
        await press(pilot, "v", "w", "1", "2")
        assert spans(screen) == [("L’alliance réunit", ["politique", "économie"], False, "")]
        await press(pilot, "1")
        assert spans(screen) == [("L’alliance réunit", ["économie"], False, "")]
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: removal of tag politique from «L’alliance réunit»."
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: tag économie on «L’alliance réunit»."
        await press(pilot, "ctrl+r", "ctrl+r")
        assert spans(screen) == [("L’alliance réunit", ["économie"], False, "")]
        # t adds a tag by name to the segment, its prompt says which words.
        await press(pilot, "t")
        title = app.screen.query_one("#tag-prompt-title", Label).render()
        assert str(title) == "Tag the segment «L’alliance réunit»"
        await press(pilot, *"acteurs", "enter")
        assert spans(screen) == [("L’alliance réunit", ["économie", "acteurs"], False, "")]
        assert screen.store.annotations() == []
        # escape leaves the segment: the keys act on the passage again.
        await press(pilot, "escape")
        assert under_cursor(screen) is None
        await press(pilot, "1")
        passage = screen.document.passages[0]
        assert screen.store.annotation(screen.document, passage).tags == ["politique"]
        assert spans(screen)[0][1] == ["économie", "acteurs"]
        # ; chooses it again; taking its last tags off leaves nothing: it goes.
        await press(pilot, "semicolon")
        assert under_cursor(screen) == "L’alliance réunit"
        await press(pilot, "2", "t", *"acteurs", "enter")
        assert app.notified[-1] == "That segment is tagged acteurs already."
        assert spans(screen) == [("L’alliance réunit", ["acteurs"], False, "")]
        await press(pilot, "semicolon", "semicolon")  # off it, then on it again
        assert under_cursor(screen) == "L’alliance réunit"
        assert screen.store.find_tag("acteurs").key == 3
        await press(pilot, "3")
        assert spans(screen) == [], "a segment left with nothing is deleted"
        assert under_cursor(screen) is None
        await press(pilot, "u")
        assert spans(screen) == [("L’alliance réunit", ["acteurs"], False, "")]


@pytest.mark.slow
async def test_a_writes_a_note_on_the_segment_under_the_cursor(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        await press(pilot, "v", "w", "w", "1", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        await press(pilot, *"Qui décide ?", "ctrl+s")
        assert spans(screen) == [("L’alliance réunit Meta", ["politique"], False, "Qui décide ?")]
        assert screen.store.annotations() == []
        lines = [screen.reader.render_line(y).text for y in range(screen.reader.size.height)]
        assert any("✎ «L’alliance réunit Meta» Qui décide ?" in line for line in lines)
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: note on «L’alliance réunit Meta»."
        assert spans(screen)[0][3] == ""
        await press(pilot, "ctrl+r")
        assert spans(screen)[0][3] == "Qui décide ?"


async def test_a_on_selected_words_notes_those_words(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "v", "w", "w", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert "Note on the words «L’alliance réunit Meta»" in str(editor.about)
        await press(pilot, *"Qui ?", "ctrl+s")
        assert spans(screen) == [("L’alliance réunit Meta", [], False, "Qui ?")]
        assert screen.store.annotations() == [], "not the passage"
        assert screen.reader.selection is None
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: note on «L’alliance réunit Meta»."
        assert spans(screen) == [], "a segment with only a note goes with its note"


async def test_a_selection_of_spaces_only_is_said_to_be_so(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        await made(app, pilot, "politique")
        await press(pilot, "v", "v", "v", "v", "left", "left", "left")
        selected = app.screen.reader.selection
        assert TEXT[selected.start : selected.end].isspace(), "only a space is selected"
        await press(pilot, "1")
        assert app.notified[-1].startswith("Only spaces are selected: w, b or the arrows")
        assert spans(app.screen) == [] and app.screen.store.annotations() == []


@pytest.mark.slow
async def test_x_deletes_the_segment_under_the_cursor_after_asking(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique", "économie")
        await press(pilot, "v", "w", "1", "2", "x")
        confirm = app.screen
        assert isinstance(confirm, Confirm)
        assert "segment «L’alliance réunit» (tagged politique, économie)" in confirm.question
        await press(pilot, "n")
        assert len(spans(screen)) == 1
        await press(pilot, "x", "y")
        assert spans(screen) == []
        assert counts(screen).get("politique", 0) == 0
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: removal of the segment «L’alliance réunit»."
        assert spans(screen) == [("L’alliance réunit", ["politique", "économie"], False, "")]
        await press(pilot, "ctrl+r")
        assert app.notified[-1] == "Redone: removal of the segment «L’alliance réunit»."
        assert spans(screen) == []


async def test_a_selection_across_two_passages_is_one_segment(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        await press(pilot, "v", *["w"] * 12, "1")
        ((quote, tags, _, _),) = spans(screen)
        first, second = quote.split("\n\n")
        assert first == screen.document.passages[0].text
        assert second == "Elle compte plus de"
        assert tags == ["politique"]
        assert screen.store.annotations() == [], "neither passage is tagged"
        assert counts(screen)["politique"] == 1
        assert screen.reader.current == 1
        assert under_cursor(screen) == quote, "under the cursor in the passage where it ends"
        await press(pilot, "escape", "tab", "enter")  # its place, from the tag
        assert isinstance(app.screen, PlacesView)
        [place] = app.screen.places
        assert "· passages 1–2" in place.prompt.plain.splitlines()[0]


@pytest.mark.slow
async def test_two_overlapping_segments_of_two_tags(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique", "économie")
        await press(pilot, "v", "w", "1", "escape")
        await press(pilot, "v", "v", "w", "w", "2")  # from the second word
        assert spans(screen) == [
            ("L’alliance réunit", ["politique"], False, ""),
            ("réunit Meta et", ["économie"], False, ""),
        ]
        assert under_cursor(screen) == "réunit Meta et"
        await press(pilot, "1")  # on the segment under the cursor only
        assert [tags for _, tags, _, _ in spans(screen)] == [
            ["politique"],
            ["économie", "politique"],
        ]
        await press(pilot, "semicolon")  # after the last, the passage
        assert under_cursor(screen) is None
        await press(pilot, "semicolon")
        assert under_cursor(screen) == "L’alliance réunit"
        await press(pilot, "2")
        assert [tags for _, tags, _, _ in spans(screen)] == [
            ["politique", "économie"],
            ["économie", "politique"],
        ]
        assert counts(screen) == {"politique": 2, "économie": 2}, "each segment counts"


async def test_h_on_words_that_are_a_segment_highlights_it_without_a_twin(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        await press(pilot, "v", "w", "1", "escape", "v", "w", "h")
        assert spans(screen) == [("L’alliance réunit", ["politique"], True, "")]
        await press(pilot, "v", "w", "h")
        assert len(spans(screen)) == 1
        assert app.notified[-1] == "Those words are highlighted already: h again clears it."
        await press(pilot, "h")  # the segment under the cursor: its highlight goes, not its tag
        assert spans(screen) == [("L’alliance réunit", ["politique"], False, "")]
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: removal of the highlight on «L’alliance réunit»."
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: highlight on «L’alliance réunit»."
        assert spans(screen) == [("L’alliance réunit", ["politique"], False, "")]


@pytest.mark.slow
async def test_a_tag_lists_its_segments_words_and_enter_goes_to_one_under_the_cursor(
    make_app, make_corpus
):
    files = {"a.txt": TEXT, "b.txt": "Un autre texte.\n\nIBM et Meta lancent une alliance."}
    app = make_app(make_corpus(files))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        await press(pilot, "j", "1")  # passage 2 of a, whole
        await press(pilot, "right_square_bracket", "j", "v", "w", "w", "1", "escape")
        assert screen.document.id == "b"
        await press(pilot, "left_square_bracket")
        await press(pilot, "tab")
        assert app.focused is screen.query_one(TagSidebar)
        await press(pilot, "enter")
        view = app.screen
        assert isinstance(view, PlacesView)
        assert view.title_text.startswith("Tagged politique: 2 places")
        first, second = (place.prompt.plain for place in view.places)
        assert "L’alliance réunit Meta" in first.splitlines()[0]  # the article's title
        assert "· passage 2" in first and "«Elle compte plus de" in first
        assert second.splitlines()[0] == "Un autre texte. · passage 2"
        assert second.splitlines()[1] == "  «IBM et Meta»"
        assert "lancent" not in second, "the segment's own words, not its passage's"
        assert "politique" in second.splitlines()[-1]
        await press(pilot, "down", "enter")
        assert screen.document.id == "b" and screen.reader.current == 1
        assert under_cursor(screen) == "IBM et Meta", "the segment is under the cursor"
        assert app.focused is screen.reader
        await press(pilot, "1")  # so its key acts on it
        assert screen.store.highlights("b") == []
        assert screen.store.annotations("b") == []


async def test_undo_names_the_words_brackets_and_all_as_they_are(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": "Voir [/b] et [bold]ceci[/bold] ici.\n"}))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        await made(app, pilot, "politique")
        await press(pilot, "v", "w", "w", "w", "1", "u")
        said = "Undone: tag politique on «Voir [/b] et [bold]ceci[/bold]»."
        assert app.notified[-1] == said
        await pilot.pause()
        shown = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert shown[-1].endswith(said), "the words as they are, not read as markup"
        assert spans(screen) == []


async def test_help_says_what_acts_on_a_segment_and_how_to_leave_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "question_mark")
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-table", Static).content)
        table = " ".join(console.export_text().split())  # wrapped lines joined again
        for explanation in (
            "1-9 or t tag it, h highlights it, escape leaves it.",
            "or the segment under the cursor: the keys act on the current passage again.",
            "(1-9, t, h, c, a and x then act on it, underlined); after the last, or with "
            "escape, back on the passage.",
            "Put the tag with that number on the selected words (v); or toggle it on the "
            "segment under the cursor (;), or else on the current passage.",
            "Delete the segment under the cursor, with its tags, highlight and note",
        ):
            assert explanation in table
