"""The `a` editor: a note of several lines on a passage or a highlight."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from tui.app.screens import DIALOGS_CSS
from tui.app.screens.confirm import Confirm
from tui.app.screens.type_ahead import type_ahead
from tui.store.model import NoteError, clean_note


class NoteEditor(ModalScreen[str | None]):
    """Returns the note to keep ('' removes it), or None when nothing is to change."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            priority=True,
            id="note.save",
            tooltip="Keep the note (an empty note removes it).",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            priority=True,
            id="note.cancel",
            tooltip="Close the editor; asks first when the note was changed.",
        ),
    ]

    def __init__(self, about: str, note: str) -> None:
        super().__init__()
        self.about = about
        self.original = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor"):
            yield Label(self.about, id="note-about", markup=False)
            yield TextArea(self.original, id="note-text", soft_wrap=True, tab_behavior="indent")
            yield Label("ctrl+s: save    escape: cancel", id="note-keys")
            yield Label("", id="note-message", markup=False)

    def on_key(self, event: events.Key) -> None:
        type_ahead(self, self.query_one(TextArea), event)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        try:
            note = clean_note(self.query_one(TextArea).text)
        except NoteError as error:
            self.query_one("#note-message", Label).update(str(error))
            return
        self.dismiss(note if note != self.original.strip() else None)

    def action_cancel(self) -> None:
        if self.query_one(TextArea).text.strip() == self.original.strip():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Confirm("Discard the changes to this note?"), answered)
