"""Changes to coded segments (span records): highlights of any words, tags on any words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.corpus import Document, Passage
from tui.store.errors import StoreError
from tui.store.model import Highlight, clean_note, now
from tui.store.records import known_color, selectors, spanned
from tui.text import trimmed

if TYPE_CHECKING:
    from tui.store.model import Anchored, Tag
    from tui.store.tables import Tables


class SegmentChanges:
    """What `Store` does to span records; a part of `Store`, kept apart by subject."""

    _tables: Tables
    annotator: str

    if TYPE_CHECKING:

        def find_tag(self, name: str) -> Tag | None: ...
        def create_tag(self, name: str) -> Tag: ...
        def highlights(self, document: str | None = None) -> list[Highlight]: ...
        def get(self, annotation: Anchored) -> Anchored | None: ...

    def add_highlight(
        self, document: Document, passages: list[Passage], start: int, end: int, color: str
    ) -> Highlight:
        """Highlight `document.text[start:end]` (trimmed of spaces); it may cross passages."""
        start, end = _trimmed(document, start, end, "highlight")
        highlight = Highlight(
            **selectors(document, start, end),
            **spanned(passages, start, end),
            color=known_color(color),
            annotator=self.annotator,
        )
        highlight.id = int(self._tables.put("highlights", None, highlight.to_record()) or 0)
        return highlight

    # Coded segments: tags on any span of words

    def tag_span(
        self, document: Document, passages: list[Passage], start: int, end: int, name: str
    ) -> tuple[Highlight, bool]:
        """Put the tag called `name` (made if new) on `document.text[start:end]`, trimmed of
        spaces, as one action: on the annotator's segment of exactly those words if there
        is one, else on a new segment. The segment, and whether it did not carry the tag."""
        start, end = _trimmed(document, start, end, "tag")
        with self._tables.action():
            tag = self.find_tag(name) or self.create_tag(name)
            segment = self._segment_of(document, passages, start, end)
            if tag.name in segment.tags:
                return segment, False
            segment.tags.append(tag.name)
            self._put_segment(segment)
        return segment, True

    def toggle_segment_tag(self, segment: Highlight, name: str) -> bool:
        """Add or take off a tag of a segment the store holds; True when it now carries it.
        A segment left with no tag, highlight or note is deleted."""
        current = self.get(segment)
        if not isinstance(current, Highlight):
            raise StoreError("That segment no longer exists (deleted meanwhile).")
        added = name not in current.tags
        if added:
            current.tags.append(name)
        else:
            current.tags.remove(name)
        self._put_segment(current)
        segment.tags = current.tags
        return added

    def note_span(
        self, document: Document, passages: list[Passage], start: int, end: int, note: str
    ) -> Highlight | None:
        """Write the note of the annotator's segment of exactly `document.text[start:end]`
        (trimmed), made if there is none: a segment with only a note. '' removes the note
        (a segment left with nothing goes). The segment, or None when none is left."""
        note = clean_note(note)
        start, end = _trimmed(document, start, end, "note")
        segment = self._segment_of(document, passages, start, end)
        segment.note = note
        self._put_segment(segment)
        return None if segment.is_empty else segment

    def _segment_of(
        self, document: Document, passages: list[Passage], start: int, end: int
    ) -> Highlight:
        """The annotator's segment of exactly those words, or a new one, not yet stored, with
        nothing on it."""
        return self.segment_at(document, start, end) or Highlight(
            **selectors(document, start, end),
            **spanned(passages, start, end),
            highlighted=False,
            annotator=self.annotator,
        )

    def segment_at(self, document: Document, start: int, end: int) -> Highlight | None:
        """The annotator's segment of exactly `document.text[start:end]`, if there is one."""
        for segment in self.highlights(document.id):
            if (
                (segment.start, segment.end) == (start, end)
                and segment.annotator == self.annotator
                and not segment.is_orphan
            ):
                return segment
        return None

    def _put_segment(self, segment: Highlight) -> None:
        """Store a segment (new if it has no id), or delete it when nothing is left on it."""
        if segment.is_empty:
            if segment.id is not None:
                self._tables.put("highlights", str(segment.id), None)
            return
        segment.updated = now()
        held = None if segment.id is None else str(segment.id)
        segment.id = int(self._tables.put("highlights", held, segment.to_record()) or 0)

    def update_highlight(self, highlight: Highlight) -> None:
        """Store a changed colour or note (NoteError when the note cannot be kept)."""
        highlight.note = clean_note(highlight.note)
        highlight.color = known_color(highlight.color)
        highlight.updated = now()
        self._tables.put("highlights", str(highlight.id), highlight.to_record())


def _trimmed(document: Document, start: int, end: int, verb: str) -> tuple[int, int]:
    """`start`-`end` trimmed of the spaces around; ValueError when only spaces are there."""
    start, end = trimmed(document.text, start, end)
    if start >= end:
        raise ValueError(f"nothing to {verb} there")
    return start, end
