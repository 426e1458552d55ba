"""Annotating the selected words, the segment under the cursor, or else the current passage:
tags (1-9, t), highlights (h), their colour (c), notes (a), deleting (x), and undoing (u,
ctrl+r)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.app.actions.ranges import SelectedPassages
from tui.app.actions.segments import Segments, described, note_change, words
from tui.app.screens.confirm import Confirm
from tui.app.screens.tag_prompt import Named, TagPrompt
from tui.app.widgets.title_bar import whose
from tui.corpus import Document, Passage
from tui.store import ALL, StoreError, TagNameError
from tui.store.model import DEFAULT_HIGHLIGHT, HIGHLIGHT_COLORS, Anchored, NoteError
from tui.text import counted, printable, shortened

if TYPE_CHECKING:
    from tui.app.actions.host import Host


HIGHLIGHT_REMOVED = "removal of a highlight"
"""What undo says it undid when a highlight was cleared or deleted."""


def tag_change(name: str, removal: bool) -> str:
    """A tag put on or taken off a passage, as undo and redo name it."""
    return f"removal of tag {name}" if removal else f"tag {name}"


def target(host: Host) -> tuple[Document, Passage] | None:
    """The passage to annotate, or None (with a message saying why there is none)."""
    if not host.writable():
        return None
    if host.viewing is not None:
        host.notify(
            f"These are {whose(host.viewing)} annotations: press A until yours show to annotate.",
            title="Annotator",
            severity="warning",
            markup=False,
        )
        return None
    reader, document = host.reader, host.document
    passage = reader.current_passage
    if document is None or passage is None:
        host.notify("There is no passage to annotate here.", severity="warning")
        return None
    if reader.passages is document.opening:
        # Shown from its first bytes: the last passage may be a paragraph cut short.
        host.notify("This book is still being read; annotate it in a moment.")
        return None
    if passage.kind == "pending":
        host.notify(
            "This long paragraph is still being cut into sentences; annotate it in a moment.",
            severity="warning",
        )
        return None
    return document, passage


class Annotating:
    """What the annotation keys do to the current passage, or to every passage selected with
    V (through `SelectedPassages`)."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.store = host.store
        self.selected = SelectedPassages(host)
        self.segments = Segments(host)

    def color(self) -> str:
        """The colour new highlights get: the last one chosen with c, else the settings'."""
        settings = self.host.settings
        default = (settings and settings.highlight_color) or DEFAULT_HIGHLIGHT
        color = self.store.get_state("highlight_color", default)
        return color if color in HIGHLIGHT_COLORS else default

    # Tags

    def toggle_tag_key(self, key: int) -> None:
        tag = self.store.tag_for_key(key)
        if tag is None:
            self.host.notify(
                f"No tag has key {key} yet: press t to create one.", severity="warning"
            )
            return
        self.toggle_tag(tag.name)

    def toggle_tag(self, name: str) -> None:
        """Put tag `name` on the selected words, or toggle it on the segment under the
        cursor, or on every passage selected with V, or else on the current passage."""
        here = target(self.host)
        if here is None:
            return
        reader = self.host.reader
        if reader.selection is not None:
            self.segments.tag_selection(here[0], name)
            return
        if reader.passage_range is not None:
            self.selected.tag(name)
            return
        segment = reader.highlight_under_cursor
        if segment is not None:
            self.segments.toggle_tag(segment, name)
            return
        carried = self.store.annotation(*here)
        removal = carried is not None and name in carried.tags
        try:
            with self.store.undoable(tag_change(name, removal)):
                self.store.toggle_tag(*here, name)
        except (OSError, StoreError) as error:
            self.host.write_failed(error)
            return
        self.host.show_change()

    def tag_by_name(self) -> None:
        if target(self.host) is None:
            self.host.dialog_refused()
            return
        prompt = TagPrompt(self.store.tags(), title=self._tagged_by_name())
        self.host.ask(prompt, self._apply_tag_name)

    def _tagged_by_name(self) -> str:
        """What `t` will tag, as its prompt says."""
        reader = self.host.reader
        if reader.selection is not None:
            return "Tag the selected words"
        if (passages := reader.passage_range) is not None:
            return f"Tag the {counted(len(passages), 'selected passage')}"
        if (segment := reader.highlight_under_cursor) is not None:
            return f"Tag the segment {words(segment.quote)}"
        return "Tag the current passage"

    def _apply_tag_name(self, choice: Named | None) -> None:
        host, store, reader = self.host, self.store, self.host.reader
        here = target(host) if choice else None
        if choice is None or here is None:
            return
        name = choice.name
        if reader.selection is not None:
            self._say_named(choice)
            self.segments.tag_selection(here[0], name)
            return
        segment = reader.highlight_under_cursor if reader.passage_range is None else None
        if segment is not None:
            self._say_named(choice)
            self.segments.add_tag(segment, name)
            return
        try:
            # A new tag is made in a step of undo too: undoing what came before it must find
            # the store as that step left it.
            tag = store.find_tag(name)
            if reader.passage_range is not None:
                if tag is None:
                    with store.undoable(f"new tag {name}"):
                        tag = store.create_tag(name)
                host.reader.set_tag_colors(host.tag_colors())
                self._say_named(choice)
                self.selected.tag(tag.name, add_only=True)
                return
            with store.undoable(tag_change(tag.name if tag else name, removal=False)):
                tag = tag or store.create_tag(name)
                added = store.add_tag(*here, tag.name)
        except TagNameError as error:
            host.notify(str(error), severity="warning", markup=False)
            return
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        host.reader.set_tag_colors(host.tag_colors())
        host.show_change()
        self._say_named(choice)
        if not added:
            host.notify(f"Already tagged {printable(tag.name)}.", markup=False)

    def _say_named(self, choice: Named) -> None:
        """Tell the user the name used when it is not the one typed."""
        if choice.said:
            self.host.notify(printable(choice.said), title="Tag", markup=False)

    # Highlights and notes

    def toggle_highlight(self) -> None:
        """Highlight the selected words, or every passage selected with V, or toggle the
        highlight of the segment under the cursor, or else of the current passage."""
        host, store, reader = self.host, self.store, self.host.reader
        here = target(host)
        if here is None:
            return
        document, passage = here
        if reader.selection is not None:
            self.segments.highlight_selection(document, self.color())
            return
        if reader.passage_range is not None:
            self.selected.highlight(self.color())
            return
        segment = reader.highlight_under_cursor
        if segment is not None:
            self.segments.toggle_highlight(segment, self.color())
            return
        carried = store.annotation(document, passage)
        lit = carried is not None and carried.highlighted
        try:
            with store.undoable(HIGHLIGHT_REMOVED if lit else "highlight"):
                store.toggle_highlight(document, passage, self.color())
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        host.show_change()

    def cycle_color(self) -> None:
        host, store = self.host, self.store
        here = target(host)
        if here is None:
            return
        document, passage = here
        names = list(HIGHLIGHT_COLORS)
        highlight = host.reader.highlight_under_cursor
        annotation = store.annotation(document, passage)
        try:
            if highlight is not None and highlight.highlighted:
                highlight.color = names[(names.index(highlight.color) + 1) % len(names)]
                with store.undoable("change of colour"):
                    store.update_highlight(highlight)
                color = highlight.color
                host.show_highlights(active=highlight.id)
            elif highlight is None and annotation is not None and annotation.highlighted:
                color = names[(names.index(annotation.color) + 1) % len(names)]
                with store.undoable("change of colour"):
                    store.set_passage_color(document, passage, color)
            else:
                color = names[(names.index(self.color()) + 1) % len(names)]
            store.set_state("highlight_color", color)
        except StoreError as error:
            host.write_failed(error)
            return
        host.show_change()
        if highlight is not None and not highlight.highlighted:
            # Its words show its tags' colours: the colour chosen is for the next highlights.
            host.notify(f"Next highlights: {color}.", title="Colour")
            return
        host.notify(f"Highlight colour: {color}.", title="Colour")

    def note(self) -> None:
        host, store = self.host, self.store
        here = target(host)
        if here is None:
            host.dialog_refused()
            return
        document, passage = here
        if host.reader.selection is not None:
            self.segments.note_selection(document)
            return
        highlight = host.reader.highlight_under_cursor
        annotation = store.annotation(document, passage)
        subject: Anchored | None = highlight or annotation
        if highlight is not None:
            kind = "segment" if highlight.tags else "highlight"
            about = f"Note on the {kind} «{shortened(highlight.quote, 40)}»"
        else:
            about = f"Note on the passage «{shortened(passage.text, 40)}»"
        current = subject.note if subject else ""

        def save(note: str | None) -> None:
            if note is None:
                return
            label = note_change(current, note)
            if highlight is not None:
                label = f"{label} on {words(highlight.quote)}"
            try:
                if subject is not None:
                    # By its id: the text may have been reloaded and the annotation moved.
                    with store.undoable(label):
                        store.set_note(subject, note)
                elif host.document is document:
                    with store.undoable(label):
                        store.set_passage_note(document, passage, note)
                else:
                    raise StoreError(
                        "The article was reloaded while you wrote; your note was not kept: "
                        f"{note[:200]}"
                    )
            except (StoreError, NoteError) as error:
                host.write_failed(error)
                return
            host.show_highlights(active=highlight.id if highlight else None)
            host.show_change()

        from tui.app.screens.note_editor import NoteEditor  # a TextArea: imported when used

        host.ask(NoteEditor(about, current), save)

    def delete_highlight(self) -> None:
        host, store = self.host, self.store
        here = target(host)
        if here is None:
            return
        highlight = host.reader.highlight_under_cursor
        if highlight is None:
            annotation = store.annotation(*here)
            if annotation is not None and annotation.highlighted:
                self._clear_passage_highlight(*here)
                return
            host.notify("There is no highlight or segment under the cursor (; moves between them).")
            return
        plain = highlight.highlighted and not highlight.tags
        label = HIGHLIGHT_REMOVED if plain else f"removal of the segment {words(highlight.quote)}"

        def delete(sure: bool | None) -> None:
            if not sure:
                return
            try:
                with store.undoable(label):
                    store.delete(highlight)
            except StoreError as error:
                host.write_failed(error)
                return
            host.show_highlights()
            host.show_change()

        question = f"Delete {described(highlight)}?"
        host.ask(Confirm(question), delete)

    def _clear_passage_highlight(self, document: Document, passage: Passage) -> None:
        """x on a passage highlighted whole (h): its highlight goes, after asking."""
        host, store = self.host, self.store

        def clear(sure: bool | None) -> None:
            if not sure or host.document is not document:
                return
            annotation = store.annotation(document, passage)
            if annotation is None or not annotation.highlighted:
                return  # cleared meanwhile (u, another key): nothing to take off
            try:
                with store.undoable(HIGHLIGHT_REMOVED):
                    store.toggle_highlight(document, passage)
            except (OSError, StoreError) as error:
                host.write_failed(error)
                return
            host.show_change()

        question = f"Remove the highlight of the passage «{shortened(passage.text, 40)}»?"
        host.ask(Confirm(question), clear)

    # Whose annotations show

    def show_next_annotator(self) -> None:
        """Show another annotator's annotations, then everyone's, then yours again."""
        host, store = self.host, self.store
        others = [name for name in store.annotators() if name != store.annotator]
        order: list[str | None] = [None, *others, ALL] if others else [None]
        if host.viewing not in order:
            host.viewing = None  # whoever was shown has no annotation left: back to yours
        elif len(order) == 1:
            host.notify(
                f"Only {printable(store.annotator)} has annotated in this store.",
                title="Annotator",
                markup=False,
            )
            return
        else:
            host.viewing = order[(order.index(host.viewing) + 1) % len(order)]
        shown = "your" if host.viewing is None else whose(host.viewing)
        host.notify(f"Showing {shown} annotations.", title="Annotator", markup=False)

    # Undo

    def replay(self, *, undo: bool) -> None:
        """Undo the last change (or make again the last one undone), shown where it was made."""
        host, store = self.host, self.store
        if not host.writable():
            return
        try:
            change = store.undo() if undo else store.redo()
        except (OSError, StoreError) as error:
            host.write_failed(error)
            return
        if change is None:
            host.notify("Nothing to undo." if undo else "Nothing to redo.")
            return
        where = change.documents
        active = host.reader.active_highlight
        if host.document is not None and where and host.document.id not in where:
            # Undone in another article: show it there, where it can be seen.
            other = host.corpus.get(where[0])
            if other is not None:
                host.open_document(other)
        host.refresh_everything()
        if active is not None and any(h.id == active for h in host.reader.highlights):
            host.show_highlights(active=active)  # the segment the keys acted on stays chosen
        host.notify(f"{'Undone' if undo else 'Redone'}: {change.label}.", title="Undo")
