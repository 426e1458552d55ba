"""The reader: one document drawn passage by passage on Textual's Line API.

Only visible lines are rendered; each is built from the passage layout and cached as a Strip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.render.blocks import (
    GUTTER,
    RIGHT_MARGIN,
    Rendering,
    estimated_height,
    offset_in_row,
    passage_block,
)
from tui.app.render.highlights import Segments, following, holding
from tui.app.render.layout import Block, Layout, page_step
from tui.app.render.lines import SearchMarks, block_row, muted_style, row_segments
from tui.app.render.marks import NOTE_MARK
from tui.app.render.selection import (
    Selection,
)
from tui.app.render.stripes import Stripes, margin, stripes_for
from tui.app.widgets.reader_bindings import READER_BINDINGS
from tui.app.widgets.reader_selection import SelectingWords
from tui.corpus import Document, Passage
from tui.corpus.extract import Extracted, Link, Metadata
from tui.store import PassageAnnotation
from tui.store.model import Highlight

CURRENT_MARK = "▌"

EXACT_LAYOUT = 100_000
"""A text up to this many characters is laid out whole when opened (a few hundredths of a
second): its scrollbar is exact from the start. A longer one is laid out as it is shown."""


class Reader(SelectingWords, ScrollView, can_focus=True):
    """The open document, with the current passage marked and annotations drawn."""

    COMPONENT_CLASSES = {
        "reader--current",
        "reader--mark",
        "reader--heading",
        "reader--heading-1",
        "reader--heading-2",
        "reader--tags",
        "reader--note",
        "reader--selection",
        "reader--empty",
        "reader--match",
        "reader--match-current",
        "reader--link",
    }

    BINDINGS = READER_BINDINGS

    SELECTION_ACTIONS = frozenset(
        {
            "select_word_forward",
            "select_word_back",
            "select_char_forward",
            "select_char_back",
            "leave_selection",
        }
    )

    @dataclass
    class CurrentChanged(Message):
        """The current passage changed (or a document was opened).

        Messages are handled later than they are sent: `passages` says which list `index`
        belongs to, so that a message about an article already left can be told apart.
        """

        reader: Reader
        index: int
        passages: list[Passage]

        @property
        def control(self) -> Reader:
            return self.reader

        def can_replace(self, message: Message) -> bool:
            # j held down posts one a key: only where the reader ends up needs handling, and
            # the handler reads nothing from the message it would not read from the next.
            return isinstance(message, Reader.CurrentChanged) and message.reader is self.reader

    @dataclass
    class SelectionChanged(Message):
        """Words were selected, the selection changed, or it was left (None)."""

        reader: Reader
        selection: Selection | None

        @property
        def control(self) -> Reader:
            return self.reader

        def can_replace(self, message: Message) -> bool:
            # w held down posts one a key: the last selection is the one that stands.
            return isinstance(message, Reader.SelectionChanged) and message.reader is self.reader

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document: Document | None = None
        self.passages: list[Passage] = []
        self.current = 0
        self._top_wanted = True
        """Whether the last move asked for its passage at the top of the screen."""
        self.selection: Selection | None = None
        self.range_start: int | None = None
        """Where a selection of passages (V) started; the current passage is its other end."""
        self.highlights: list[Highlight] = []
        self._segments = Segments([])
        self._stripes = Stripes()
        """The coding stripes' margin, right of the text; none when narrow or unused."""
        self.active_highlight: int | None = None
        """The id of the highlight "under the cursor", which c, a and x act on."""
        self._annotations: dict[int, PassageAnnotation] = {}
        self._tag_colors: dict[str, str] = {}
        self._dragging = self._dragged = False
        self._drag_start = 0
        self._layout = Layout(0, [])
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._marks = SearchMarks([])
        self._rendering: Rendering | None = None
        self.as_written = False
        """Whether plain text is shown as written, line by line, rather than reflowed."""
        self.links: tuple[Link, ...] = ()
        """The open document's links, in text order."""
        self._links = SearchMarks([])

    def passage_links(self) -> list[Link]:
        """The links in the current passage (or the selected passages), in text order."""
        if not self.passages:
            return []
        first, last = self.current, self.current
        if self.passage_range is not None:
            first, last = min(self.passage_range), max(self.passage_range)
        start, end = self.passages[first].start, self.passages[last].end
        return [link for link in self.links if link.start < end and start < link.end]

    def copied_text(self) -> str:
        """What `y` copies: the selected words, or else the current passage (or passages)."""
        if self.document is None or not self.passages:
            return ""
        if self.selection is not None and self.selection.start < self.selection.end:
            return self.document.text[self.selection.start : self.selection.end]
        first, last = self.current, self.current
        if self.passage_range is not None:
            first, last = min(self.passage_range), max(self.passage_range)
        return self.document.text[self.passages[first].start : self.passages[last].end]

    # What the screen tells the reader

    def show_document(
        self,
        document: Document,
        passages: list[Passage],
        annotations: dict[int, PassageAnnotation],
        highlights: list[Highlight],
        tag_colors: dict[str, str],
        current: int = 0,
        *,
        as_written: bool = False,
    ) -> None:
        """Show `passages` of `document` (its final ones, or a stand-in while they are cut);
        plain text `as_written`, line by line, or reflowed."""
        self.document = document
        self.passages = passages
        self.as_written = as_written
        self._rendering = self._rendering_of(document)
        self.range_start = None
        # A big file's opening is shown before its whole text is read: its links come with
        # its final passages.
        self.links = document.links if document.is_read else ()
        self._links = SearchMarks([(link.start, link.end) for link in self.links])
        self._annotations = dict(annotations)
        self._set_segments(highlights)
        self.active_highlight = None
        if self.selection is not None:
            self.selection = None
            self.post_message(self.SelectionChanged(self, None))
        self._tag_colors = dict(tag_colors)
        self.current = max(0, min(current, len(passages) - 1))
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        # After the new virtual size has reached the scrollbars, or the scroll is refused. A
        # key typed meanwhile has moved on: its passage is shown as that key asked (at the top
        # for a page key), not put back at the top.
        opened, self._top_wanted = self.current, True
        self.call_after_refresh(
            lambda: self._scroll_to_current(top=self.current == opened or self._top_wanted)
        )
        self.post_message(self.CurrentChanged(self, self.current, passages))

    def _rendering_of(self, document: Document) -> Rendering | None:
        extracted = document.extracted
        if extracted is not None and extracted.blocks:
            return Rendering(extracted)
        if self.as_written and document.is_read and not document.is_extracted:
            return Rendering(Extracted(document.text, Metadata(), ""), written=True)
        return None

    def show_as_written(self, as_written: bool) -> None:
        """Show the open plain text as written, or reflowed; the current passage stays."""
        self.as_written = as_written
        if self.document is not None:
            self._rendering = self._rendering_of(self.document)
            self._relayout()
            self.call_after_refresh(lambda: self._scroll_to_current(top=True))

    def clear(self) -> None:
        """Show nothing: the article shown was left out and no other can be read."""
        self.document = None
        self.passages = []
        self.links, self._links = (), SearchMarks([])
        self._annotations, self.active_highlight = {}, None
        self._set_segments([])
        self.selection = self.range_start = None
        self.current = 0
        self._relayout()
        self.refresh()

    def set_annotation(self, index: int, annotation: PassageAnnotation | None) -> None:
        """Redraw one passage after its annotation changed; only what follows it moves."""
        if annotation is None:
            self._annotations.pop(index, None)
        else:
            self._annotations[index] = annotation
        self._relayout_block(index)
        if index == self.current:
            # New tag or note rows may reach below the view: once the new size is known.
            self.call_after_refresh(self._keep_current_in_view)

    def set_annotations(self, annotations: dict[int, PassageAnnotation]) -> None:
        """Show the document's annotations as they now are (after an undo); only passages
        whose annotation changed are laid out again."""
        known = self._annotations
        changed = [
            i for i in known.keys() | annotations.keys() if known.get(i) != annotations.get(i)
        ]
        for index in sorted(changed):
            self.set_annotation(index, annotations.get(index))

    def set_highlights(self, highlights: list[Highlight], active: int | None = None) -> None:
        """Show the document's highlights as they now are; `active` goes under the cursor."""
        touched = set()
        for highlight in [*self.highlights, *highlights]:
            first = self._passage_of(highlight.start)
            touched.update(range(first, self._passage_of(max(highlight.end - 1, 0)) + 1))
        self._set_segments(highlights)
        self.active_highlight = active
        if self._restripe():
            return
        for index in sorted(touched | {self.current}):
            self._relayout_block(index)
        self._strips.clear()
        self.refresh()

    def _set_segments(self, highlights: list[Highlight]) -> None:
        self._segments = Segments(highlights)
        self.highlights = self._segments.segments

    def _margin_room(self, width: int | None = None) -> int:
        """What the margin folds by: the terminal's width, as the user knows it (0 while the
        text is not on screen)."""
        return self.app.size.width if (self._layout.width if width is None else width) else 0

    def _restripe(self) -> bool:
        """Give the coding stripes the columns the segments now need; when the margin's width
        changed, the whole text is laid out again (True)."""
        stripes = stripes_for(self.highlights, self._tag_colors, self._margin_room())
        if stripes == self._stripes:
            return False
        if stripes.width == self._stripes.width:
            self._stripes = stripes  # the same width: only the columns' tags changed
            self._strips.clear()
            self.refresh()
            return False
        self._relayout()
        self.call_after_refresh(self._scroll_to_current)
        return True

    def _relayout_block(self, index: int) -> None:
        """Lay one passage out again (its rows may have changed); what follows it moves."""
        layout = self._layout
        if not 0 <= index < len(layout):
            return
        if not layout.is_laid_out(index):
            # Never shown yet: its estimate only needs its new tag rows.
            estimate = self._estimate(index, layout.width)
            if estimate != layout.heights[index]:
                layout.heights.set(index, estimate)
                layout.moved = True
                self._after_layout_moved()
            return
        layout.forget(index)
        layout.block(index)
        if not self._after_layout_moved():
            self._refresh_block(index)

    def _after_layout_moved(self) -> bool:
        """When a height changed, everything below it moved: size, cache and screen follow."""
        layout = self._layout
        if not layout.moved:
            return False
        layout.moved = False
        self.virtual_size = Size(layout.width, max(layout.height, 1))
        self._strips.clear()
        self.refresh()
        return True

    def set_matches(
        self, matches: list[tuple[int, int]], current: tuple[int, int] | None = None
    ) -> None:
        """Mark a search's matches (text spans in order, not overlapping); `current` stands out."""
        if not matches and not self._marks:
            return
        self._marks = SearchMarks(matches, current)
        self._strips.clear()
        self.refresh()

    def set_tag_colors(self, tag_colors: dict[str, str]) -> None:
        self._tag_colors = dict(tag_colors)
        self._strips.clear()
        self.refresh()
        self._restripe()  # a tag renamed or deleted: the columns follow the store's order

    def notify_style_update(self) -> None:
        # A new theme or stylesheet changes every colour: cached lines must be drawn again.
        super().notify_style_update()
        self._strips.clear()

    @property
    def current_passage(self) -> Passage | None:
        if not self.passages:
            return None
        return self.passages[self.current]

    @property
    def passage_count(self) -> int:
        return len(self.passages)

    @property
    def stripes(self) -> Stripes:
        """The coding stripes' columns right of the text (none when folded or unused)."""
        return self._stripes

    @property
    def passage_layout(self) -> Layout:
        """Where each passage is drawn: its lines, tag rows and notes, and its top line."""
        return self._layout

    @property
    def annotations(self) -> Mapping[int, PassageAnnotation]:
        """What the reader shows on each passage, by passage index (read only)."""
        return MappingProxyType(self._annotations)

    def go_to(self, index: int, *, top: bool = False, scroll: bool = True) -> None:
        if not self.passage_count:
            return
        index = max(0, min(index, self.passage_count - 1))
        if index != self.current:
            previous = self.current
            self.current = index
            if self.active_highlight not in {h.id for h in self.highlights_in(index)}:
                self.active_highlight = None
            # Notes show under the current passage only: both blocks may change height.
            self._relayout_block(previous)
            self._relayout_block(index)
            self._refresh_block(previous)
            self._refresh_block(index)
            if self.range_start is not None:  # the range grew or shrank: its marks move
                self._range_changed()
            self.post_message(self.CurrentChanged(self, index, self.passages))
        if scroll:
            self._top_wanted = top
            self._scroll_to_current(top=top)

    # Actions

    def action_next_passage(self) -> None:
        self.go_to(self.current + 1)

    def action_previous_passage(self) -> None:
        self.go_to(self.current - 1)

    def action_first_passage(self) -> None:
        self.go_to(0)

    def action_last_passage(self) -> None:
        self.go_to(self.passage_count - 1)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    # Highlights

    def highlights_in(self, index: int) -> list[Highlight]:
        """The highlights that touch passage `index`, in text order."""
        if not 0 <= index < len(self.passages):
            return []
        passage = self.passages[index]
        return self._segments.crossing(passage.start, passage.end)

    @property
    def highlight_under_cursor(self) -> Highlight | None:
        """The highlight c, a and x act on: the one chosen with ; (or just made), underlined;
        while selecting, the one holding the selection's moving end. None: the passage."""
        if self.selection is not None:
            return holding(self.highlights, self.selection.caret)
        chosen = [h for h in self.highlights_in(self.current) if h.id == self.active_highlight]
        return chosen[0] if chosen else None

    def action_next_highlight(self) -> None:
        """Step through the passage's highlights, then back to the passage itself."""
        ids = [h.id for h in self.highlights_in(self.current)]
        if not ids:
            return
        self.active_highlight = following(ids, self.active_highlight)
        self._strips.clear()
        self.refresh()

    def _page(self, direction: int) -> None:
        if not self.passage_count:
            return
        page = max(self.scrollable_content_region.height, 1)
        step = page_step(self._layout, self.current, round(self.scroll_y), page, direction)
        if step.index is not None:
            self.go_to(step.index, top=True, scroll=step.scroll_to is None)
        if step.scroll_to is not None:
            self.scroll_to(y=step.scroll_to, animate=False)

    # Layout

    def _block(self, index: int) -> Block:
        highlights = self.highlights_in(index) if index == self.current else None
        annotation = self._annotations.get(index)
        passage = self.passages[index]
        width, stripes = self._layout.width, self._stripes.width
        shape = self._rendering.shape(passage) if self._rendering is not None else None
        return passage_block(index, passage, annotation, highlights, width, stripes, shape)

    def _estimate(self, index: int, width: int) -> int:
        """A passage's height before it is laid out: its length over the width, and its tags."""
        annotation = self._annotations.get(index)
        return estimated_height(self.passages[index], annotation, width, self._stripes.width)

    def _relayout(self) -> None:
        width = self._layout_width()
        self._stripes = stripes_for(self.highlights, self._tag_colors, self._margin_room(width))
        if not width:
            # Not on screen yet: the first frame lays the text out, once, at its real width.
            self._layout = Layout(0, [])
            self._strips.clear()
            return
        count = len(self.passages) if self.document is not None else 0
        self._layout = Layout(width, [self._estimate(i, width) for i in range(count)], self._block)
        # The text shown, not the document's: a book shown from its first bytes is not read yet.
        shown = self.passages[-1].end if self.passages and self.document is not None else 0
        if shown <= EXACT_LAYOUT:
            for index in range(count):
                self._layout.block(index)
        self._layout.lay_out_lines(round(self.scroll_y), self.scrollable_content_region.height)
        self._layout.moved = False
        self._strips.clear()
        self.virtual_size = Size(width, max(self._layout.height, 1))
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # What scrolls into view is laid out before it is drawn; lines below it may move.
        layout, height = self._layout, self.scrollable_content_region.height
        old, new = round(old_value), round(new_value)
        if new < old < layout.height:
            # Scrolling up into passages laid out only now: what was on screen stays where
            # the scroll puts it, moved by as much as the passages above it grew or shrank.
            new_value = layout.lay_out_upwards(old, new_value, height)
            self._after_layout_moved()
            if new_value != self.scroll_y:
                self.set_reactive(Reader.scroll_y, new_value)
                self.scroll_target_y = new_value
        else:
            layout.lay_out_lines(new, height)
            self._after_layout_moved()
        super().watch_scroll_y(old_value, new_value)

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._layout.width != self._layout_width():
            # Drawn at a width not laid out for: the first frame, before its Resize arrives.
            # Laid out now, the first frame shows the text instead of an empty reader.
            self._relayout()
            self.call_after_refresh(self._scroll_to_current)
        # A resize or a refresh may show lines not yet laid out: lay them out first, so that
        # the lines below them are drawn where they now are.
        self._layout.lay_out_lines(round(self.scroll_y), self.scrollable_content_region.height)
        if self._layout.moved:
            self._after_layout_moved()
        return super().render_lines(crop)

    def _layout_width(self) -> int:
        """The width the text is laid out at; 0 until the reader is on screen."""
        width = self.scrollable_content_region.width
        return max(width, GUTTER + RIGHT_MARGIN + 1) if width else 0

    def on_resize(self, event: events.Resize) -> None:
        if self._layout_width() != self._layout.width:
            self._relayout()
            self.call_after_refresh(self._scroll_to_current)

    def _refresh_block(self, index: int) -> None:
        if 0 <= index < len(self._layout):
            block = self._layout.block(index)
            for y in range(block.top, block.top + block.height):
                self._strips.discard(y)
            self.refresh_lines(
                block.top, block.height
            )  # virtual lines: Textual subtracts the scroll

    def _scroll_to_current(self, *, top: bool = False) -> None:
        if not len(self._layout):
            return
        self._layout.lay_out_above(self.current, self.scrollable_content_region.height)
        block = self._layout.block(self.current)
        self._after_layout_moved()
        height = min(block.text_height, self.scrollable_content_region.height)
        self.scroll_to_region(
            Region(0, block.top, 1, max(height, 1)),
            animate=False,
            top=top,
            immediate=True,
        )

    def _keep_current_in_view(self) -> None:
        """Scroll as little as shows the current passage whole, its rows of tags and notes
        too, when it fits; a longer one stays where the user has scrolled in it."""
        if not 0 <= self.current < len(self._layout):
            return
        block = self._layout.block(self.current)
        if block.text_height <= self.scrollable_content_region.height:
            self.scroll_to_region(
                Region(0, block.top, 1, block.text_height), animate=False, immediate=True
            )

    # Rendering

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line_y = scroll_y + y
        strip = self._strips.get(line_y)
        if strip is None:
            strip = self._render_line(line_y)
            self._strips[line_y] = strip
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, self.rich_style)

    def _render_line(self, y: int) -> Strip:
        width = self._layout.width
        base = self.rich_style
        if self.document is not None and not self.passages and y == 0:
            empty = self.get_component_rich_style("reader--empty")
            return Strip([Segment(" " * GUTTER), Segment("This article is empty.", empty)])
        block = self._layout.block_at(y)
        if block is None or self.document is None:
            return Strip.blank(width, base)
        row = y - block.top
        passage = self.passages[block.index]
        stripes = self._stripes
        crossing: list[Highlight] = []
        if self._segments and (stripes.columns or row < len(block.lines)):
            following = self._following_passage(block.index)
            crossing = row_segments(self._segments, block, row, passage, following)
        if row >= block.text_height:
            if not stripes.columns:
                return Strip.blank(width, base)
            cells = margin(stripes, crossing, self._tag_colors, base)
            return Strip.join([Strip.blank(width - stripes.width, base), Strip(cells)])
        selected = self.passage_range
        is_current = block.index == self.current or (
            selected is not None and block.index in selected
        )
        line_style = base + self.get_component_rich_style("reader--current") if is_current else base
        annotation = self._annotations.get(block.index)
        mark = CURRENT_MARK if is_current else " "
        if row == 0 and self._has_note(block.index, annotation):
            mark += NOTE_MARK
        mark_style = line_style + self.get_component_rich_style("reader--mark")
        gutter = Segment(mark.ljust(GUTTER), mark_style if is_current else base)
        text = block_row(
            block,
            row,
            passage,
            annotation,
            line_style,
            crossing=crossing,
            active=self.active_highlight,
            marks=self._marks,
            selection=self.selection,
            tag_colors=self._tag_colors,
            component=self._component,
            muted=self._muted,
            links=self._links,
        )
        segments = [gutter, *text.render(self.app.console)]
        line = Strip(segments).crop_extend(0, width - stripes.width, line_style)
        if stripes.columns:
            cells = margin(stripes, crossing, self._tag_colors, line_style)
            line = Strip.join([line, Strip(cells)])
        return line.simplify()

    def _following_passage(self, index: int) -> Passage | None:
        return self.passages[index + 1] if index + 1 < len(self.passages) else None

    def _component(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _muted(self) -> Style:
        _, _, background, color = self.colors
        return muted_style(background, color)

    def _has_note(self, index: int, annotation: PassageAnnotation | None) -> bool:
        return bool(annotation and annotation.note) or any(
            h.note for h in self.highlights_in(index)
        )

    # Mouse

    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset under content cell (x, y), or None off the text."""
        block = self._layout.block_at(round(self.scroll_y) + y)
        if block is None or self.document is None:
            return None
        row = round(self.scroll_y) + y - block.top
        return offset_in_row(block, self.passages[block.index], row, x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        found = self.offset_at(offset.x, offset.y) if offset is not None else None
        if found is None:
            return
        self._dragging, self._dragged = True, False
        self._drag_start = found
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = event.get_content_offset_capture(self)
        found = self.offset_at(offset.x, offset.y)
        if found is not None and found != self._drag_start:
            self._dragged = True
            self._select(Selection(self._drag_start, found))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return  # a click on the border or the scrollbar
        if self._dragged and self.selection is not None:
            # The end of a drag: keep the selection, make its passage current.
            self._dragged = False
            self.go_to(self._passage_of(self.selection.start))
            return
        if self.selection is not None:
            self._select(None)
        block = self._layout.block_at(round(self.scroll_y) + offset.y)
        if block is not None and offset.y + round(self.scroll_y) < block.bottom:
            self.go_to(block.index)
