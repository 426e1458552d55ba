"""Coded segments from the keys: the words selected (v, w, b, a mouse drag) get a tag (1-9,
t) or a highlight (h); the segment under the cursor (;) has its tags toggled (1-9), a tag
added (t), its highlight toggled (h), or is deleted (x). Each change is one step of undo,
and the segment is left under the cursor, where the next key acts on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.store import StoreError, TagNameError
from tui.store.model import Highlight, NoteError
from tui.text import printable, shortened, trimmed

if TYPE_CHECKING:
    from tui.app.actions.host import Host
    from tui.corpus import Document

QUOTED = 30
"""A segment's words are named by their first this many characters, in undo and notices."""


def words(text: str) -> str:
    """A segment's words as undo and notices quote them: «on one line, cut short»."""
    return f"«{shortened(text, QUOTED)}»"


def note_change(before: str, after: str) -> str:
    """A note written, emptied or changed, as undo and redo name it."""
    if not after.strip():
        return "removal of a note"
    return "change to a note" if before.strip() else "note"


def segment_tag_change(name: str, quote: str, removal: bool) -> str:
    """A tag put on or taken off a segment, as undo and redo name it."""
    if removal:
        return f"removal of tag {name} from {words(quote)}"
    return f"tag {name} on {words(quote)}"


def described(segment: Highlight) -> str:
    """What x asks about: a plain highlight, or a segment with its tags."""
    if segment.highlighted and not segment.tags:
        return f"the highlight {words(segment.quote)}"
    if not segment.tags:
        return f"the segment {words(segment.quote)}"
    tags = ", ".join(printable(tag) for tag in segment.tags)
    return f"the segment {words(segment.quote)} (tagged {tags})"


class Segments:
    """What the annotation keys do to the selected words and to the segment under the
    cursor, for `Annotating`."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.store = host.store

    # The selected words

    def selected_words(self, document: Document, verb: str) -> tuple[int, int] | None:
        """The selection, trimmed of spaces, to `verb` ("tag", "highlight"); None, said,
        when there is nothing to act on yet."""
        host, selection = self.host, self.host.reader.selection
        assert selection is not None
        start, end = trimmed(document.text, selection.start, selection.end)
        if start >= end:
            nothing = "Nothing is" if selection.start >= selection.end else "Only spaces are"
            host.notify(f"{nothing} selected: w, b or the arrows extend the selection.")
            return None
        if not document.has_passages:
            host.notify(
                f"This article is still being cut into sentences; {verb} it in a moment.",
                severity="warning",
            )
            return None
        return start, end

    def note_selection(self, document: Document) -> None:
        """Write the note of the selected words (on the segment of exactly those words if
        you have one, else on a new one); the segment then goes under the cursor."""
        host, store, reader = self.host, self.store, self.host.reader
        span = self.selected_words(document, "note")
        if span is None:
            return
        start, end = span
        quote = document.text[start:end]
        held = store.segment_at(document, start, end)
        current = held.note if held else ""

        def save(note: str | None) -> None:
            if note is None:
                return
            try:
                if host.document is not document:
                    raise StoreError(
                        "The article was reloaded while you wrote; your note was not kept: "
                        f"{note[:200]}"
                    )
                with store.undoable(f"{note_change(current, note)} on {words(quote)}"):
                    noted = store.note_span(document, reader.passages, start, end, note)
            except (StoreError, NoteError, ValueError) as error:
                host.write_failed(error)
                return
            reader.action_leave_selection()
            host.show_highlights(active=noted.id if noted else None)
            host.show_change()

        from tui.app.screens.note_editor import NoteEditor  # a TextArea: imported when used

        host.ask(NoteEditor(f"Note on the words {words(quote)}", current), save)

    def tag_selection(self, document: Document, name: str) -> None:
        """Put tag `name` (made if new) on the selected words: on the segment of exactly
        those words if you have one, else on a new one. The selection is left, and the
        segment goes under the cursor (1-9 again toggles its tags)."""
        host, store, reader = self.host, self.store, self.host.reader
        span = self.selected_words(document, "tag")
        if span is None:
            return
        start, end = span
        quote = document.text[start:end]
        try:
            with store.undoable(f"tag {name} on {words(quote)}"):
                segment, added = store.tag_span(document, reader.passages, start, end, name)
        except TagNameError as error:
            host.notify(str(error), severity="warning", markup=False)
            return
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        host.reader.set_tag_colors(host.tag_colors())  # a tag made by t has its colour
        self._leave_on(segment)
        if not added:
            tag = printable(name)
            host.notify(f"Those words are tagged {tag} already.", markup=False)

    def highlight_selection(self, document: Document, color: str) -> None:
        """Highlight the selected words; words that are a segment of yours already are
        highlighted on that segment (no twin is made). The segment goes under the cursor."""
        host, store, reader = self.host, self.store, self.host.reader
        span = self.selected_words(document, "highlight")
        if span is None:
            return
        start, end = span
        segment = store.segment_at(document, start, end)
        if segment is not None and segment.highlighted:
            self._leave_on(segment)
            host.notify("Those words are highlighted already: h again clears it.")
            return
        try:
            with store.undoable(f"highlight on {words(document.text[start:end])}"):
                if segment is None:
                    segment = store.add_highlight(document, reader.passages, start, end, color)
                else:
                    segment.highlighted, segment.color = True, color
                    store.update_highlight(segment)
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        self._leave_on(segment)

    def _leave_on(self, segment: Highlight) -> None:
        """The selection is left; `segment` is under the cursor, as stored now."""
        self.host.reader.action_leave_selection()
        self.host.show_highlights(active=segment.id)
        self.host.show_change()

    # The segment under the cursor

    def toggle_tag(self, segment: Highlight, name: str) -> None:
        """Put tag `name` on the segment, or take it off (a segment left with nothing on it
        goes, as a passage's annotation does)."""
        host, store = self.host, self.store
        current = self._held(segment)
        if current is None:
            return
        removal = name in current.tags
        try:
            with store.undoable(segment_tag_change(name, current.quote, removal)):
                store.toggle_segment_tag(current, name)
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        self._shown(current)

    def add_tag(self, segment: Highlight, name: str) -> None:
        """Put tag `name` (made if new) on the segment; said when it carries it already."""
        host, store = self.host, self.store
        current = self._held(segment)
        if current is None:
            return
        if name in current.tags:
            host.notify(f"That segment is tagged {printable(name)} already.", markup=False)
            return
        try:
            with store.undoable(segment_tag_change(name, current.quote, removal=False)):
                tag = store.find_tag(name) or store.create_tag(name)
                store.toggle_segment_tag(current, tag.name)
        except TagNameError as error:
            host.notify(str(error), severity="warning", markup=False)
            return
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        host.reader.set_tag_colors(host.tag_colors())
        self._shown(current)

    def toggle_highlight(self, segment: Highlight, color: str) -> None:
        """Highlight the segment's words, or clear its highlight (a segment left with
        nothing on it goes)."""
        host, store = self.host, self.store
        current = self._held(segment)
        if current is None:
            return
        lit = current.highlighted
        label = "removal of the highlight on" if lit else "highlight on"
        try:
            with store.undoable(f"{label} {words(current.quote)}"):
                current.highlighted = not lit
                if not lit:
                    current.color = color
                if current.is_empty:
                    store.delete(current)
                else:
                    store.update_highlight(current)
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        self._shown(current)

    def _held(self, segment: Highlight) -> Highlight | None:
        """The segment as the store holds it now, or None (said) when it is gone."""
        current = self.store.get(segment)
        if isinstance(current, Highlight):
            return current
        self.host.notify("That segment no longer exists.", severity="warning")
        self.host.show_highlights()
        return None

    def _shown(self, segment: Highlight) -> None:
        """Show the change: the segment stays under the cursor while it exists."""
        kept = self.store.get(segment) is not None
        self.host.show_highlights(active=segment.id if kept else None)
        self.host.show_change()
