"""Keys typed at once after the key that opens a dialog: a terminal delivers `/securite` or
`tpolitique` typed fast in one read, before the dialog is on screen; they are the dialog's."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, TextArea

from tests.helpers import key_name, press, quiet, recording
from tui.app.screens.note_editor import NoteEditor
from tui.app.screens.search_dialog import SearchView
from tui.app.screens.tag_prompt import TagPrompt


def burst(app, opening: str, text: str) -> None:
    """The key that opens a dialog, then `text`, queued as one read of the terminal."""
    for character in (opening, *text):
        app.post_message(events.Key(key_name(character), character))


@pytest.mark.parametrize(
    ("opening", "dialog"), [("/", SearchView), ("t", TagPrompt), ("a", NoteEditor)]
)
async def test_letters_typed_right_after_a_dialog_key_are_the_dialogs(make_app, opening, dialog):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        burst(app, opening, "sécurité IA")
        await pilot.pause()
        assert isinstance(app.screen, dialog)
        field = app.screen.query_one(TextArea if dialog is NoteEditor else Input)
        assert (field.text if isinstance(field, TextArea) else field.value) == "sécurité IA"


async def test_a_tag_name_and_enter_typed_at_once_tag_the_passage(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        burst(app, "t", "politique")
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        assert app.screen is screen, "the prompt took enter and closed"
        assert screen.store.find_tag("politique") is not None
        assert "politique" in screen.reader.render_line(1).text + screen.reader.render_line(2).text


async def test_a_key_typed_ahead_that_is_no_letter_keeps_its_place_among_the_letters(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.post_message(events.Key("slash", "/"))
        app.post_message(events.Key("ctrl+u", None))  # clear the box, then type
        burst(app, "s", "ecx")
        app.post_message(events.Key("backspace", "\x7f"))
        burst(app, "u", "rite")
        await pilot.pause()
        assert isinstance(app.screen, SearchView)
        assert app.screen.query_one(Input).value == "securite"


async def show_bobs_annotations(app, pilot) -> None:
    """Bob tags a passage, and `A` shows his annotations: the reader's keys that change them
    are refused."""
    store, screen = app.store, app.screen
    await pilot.pause()
    document = screen.document
    own, store.annotator = store.annotator, "bob"
    store.toggle_tag(document, document.passages[1], "politique")
    store.annotator = own
    await press(pilot, "A")
    assert screen.viewing == "bob"


@pytest.mark.parametrize("opening", ["t", "a"])
async def test_keys_typed_after_a_refused_dialog_key_are_not_commands(make_app, opening):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await show_bobs_annotations(app, pilot)
        notified = recording(app)
        burst(app, opening, "économie")  # `e` exports, `n` goes to the next match
        app.post_message(events.Key("enter", "\r"))
        await quiet(pilot)
        assert app.screen is screen, "no dialog opened by the letters meant for the refused one"
        assert notified == ["These are bob's annotations: press A until yours show to annotate."]
        assert screen.reader.current == 0
        await press(pilot, "j")  # typed once the refusal is said: a command again
        assert screen.reader.current == 1
