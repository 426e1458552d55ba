"""Keys typed right after the key that opens a dialog: a terminal delivers `/securite` typed
fast in one read, and the letters reach the dialog before its field has the focus."""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Input, TextArea


def type_ahead(dialog: Screen[object], field: Input | TextArea, event: events.Key) -> None:
    """Give `field` a key that reached `dialog` while nothing in it had the focus: a character
    is typed into it at once, any other key (enter, escape) is sent on to it, focused."""
    if dialog.focused is not None:
        return
    event.stop()
    event.prevent_default()
    field.focus()
    if not event.is_printable or not event.character:
        dialog.app.post_message(events.Key(event.key, event.character))  # once it is focused
    elif isinstance(field, Input):
        field.insert_text_at_cursor(event.character)
    else:
        field.insert(event.character)
