"""Keys typed right after the key that opens a dialog: a terminal delivers `/securite` typed
fast in one read, and the letters reach the dialog before its field has the focus, or the main
screen's panes before the dialog is up.

A key is given to the field in its place among the others, never sent again: one sent again
comes after the keys typed behind it (`ctrl+u` then `abc` left the box empty)."""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Input, TextArea


def type_ahead(dialog: Screen[object], field: Input | TextArea, event: events.Key) -> None:
    """Give `field` a key that reached `dialog` while nothing in it had the focus: the field is
    focused at once and takes the key."""
    if dialog.focused is not None:
        return
    dialog.set_focus(field)
    if not typed_into(dialog, event):  # a key of a text area's own (enter): once focused
        event.stop()
        event.prevent_default()
        dialog.app.post_message(events.Key(event.key, event.character))


def typed_into(dialog: Screen[object], event: events.Key) -> bool:
    """Give the field focused in `dialog` a key meant for it: a character is typed into it, any
    other key of a one-line field is left to the bindings, which start from the focus (every
    key of an `Input` is one of its bindings). False when it cannot take the key now."""
    field = dialog.focused
    if not isinstance(field, Input | TextArea):
        return False
    if event.is_printable and event.character:
        event.stop()
        event.prevent_default()
        if isinstance(field, Input):
            field.insert_text_at_cursor(event.character)
        else:
            field.insert(event.character)
        return True
    return isinstance(field, Input)
