"""The article list: each document's title and how many of its passages are annotated, under
the name of its folder; `/` narrows it to the articles a few words find, as they are typed.

A corpus may hold ten thousand files: the list draws only the rows on screen (Textual's Line
API), two rows per article, so opening it and moving in it cost the same for any corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.widgets.article_rows import Rows, folder_label
from tui.corpus import Document
from tui.corpus.counting import annotated_share
from tui.corpus.finding_articles import ArticleFinder, ArticleQuery
from tui.text import printable

ROWS = 2
"""Each article takes two rows: its title, then its date, site and counts."""

TagsOf = Callable[[], Mapping[str, Collection[str]]]
"""The tags on each document (by id), as the store has them for the annotations shown."""


def described(document: Document) -> str:
    """`date · site` of an article that says them (a web page, a book…), or ''."""
    metadata = document.metadata
    if metadata is None:
        return ""
    known = [printable(" ".join(part.split())) for part in (metadata.date, metadata.site)]
    return " · ".join(part for part in known if part)


class ArticleList(ScrollView, can_focus=True):
    """Titles of the corpus, the open one marked; `enter` opens the highlighted one, `/`
    filters them as words are typed (`escape` shows them all again)."""

    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        padding: 0 1;
        & > .article-list--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .article-list--folder {
            color: $text-muted;
            text-style: bold;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .article-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    COMPONENT_CLASSES = {"article-list--cursor", "article-list--folder"}

    BINDINGS = [
        Binding(
            "k,up",
            "cursor_up",
            "Up",
            show=False,
            id="list.up",
            tooltip="Move to the previous article in the list.",
        ),
        Binding(
            "j,down",
            "cursor_down",
            "Down",
            show=False,
            id="list.down",
            tooltip="Move to the next article in the list.",
        ),
        Binding(
            "pageup",
            "page_up",
            "Page up",
            show=False,
            id="list.page_up",
            tooltip="Move a screen up the list.",
        ),
        Binding(
            "pagedown",
            "page_down",
            "Page down",
            show=False,
            id="list.page_down",
            tooltip="Move a screen down the list.",
        ),
        Binding(
            "home",
            "first",
            "First",
            show=False,
            id="list.first",
            tooltip="Move to the first article.",
        ),
        Binding(
            "end",
            "last",
            "Last",
            show=False,
            id="list.last",
            tooltip="Move to the last article.",
        ),
        Binding(
            "enter",
            "select",
            "Open",
            id="list.open",
            tooltip="Open the highlighted article and move to the reader.",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="list.filter",
            tooltip="Filter the articles as you type. Every word must be in the title, folder, "
            "file name, author, date, site, address or tags (tag:NAME: in tags only), case and "
            "accents ignored; escape shows every article again.",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="list.clear_filter",
            tooltip="Clear the filter: every article again, the cursor on the same one.",
        ),
    ]

    @dataclass
    class OpenRequested(Message):
        """The user chose an article to open."""

        document_id: str

    def __init__(
        self, documents: list[Document], *, id: str | None = None, tags: TagsOf | None = None
    ) -> None:
        super().__init__(id=id)
        self.documents = documents
        """The corpus's own list: an article dropped from the corpus leaves the list too."""
        self.shown = documents
        """The articles the filter finds, in the corpus's order (the corpus's list unfiltered)."""
        self.filter_text: str | None = None
        """What was typed after `/` (None: no filter)."""
        self.typing = False
        """Whether keys typed go to the filter (from `/` until the list loses the focus)."""
        self._tags_of = tags
        self._tags: Mapping[str, Collection[str]] = {}
        self._finder = ArticleFinder()
        self._progress = ""
        self._layout = Rows(documents, ROWS)
        self.open_id: str | None = None
        self.highlighted: int | None = 0 if documents else None
        self._highlighted_id: str | None = documents[0].id if documents else None
        self._annotated: dict[str, set[int]] = {}
        self._places: dict[str, int] = {}
        self._rows: LRUCache[tuple[int, int], Strip] = LRUCache(512)
        self._positions: dict[str, int] | None = None
        self._shared_titles: set[str] | None = None

    def on_mount(self) -> None:
        self.border_title = "Articles"
        self._sized()

    def _sized(self) -> None:
        self._shared_titles = None
        self._laid_out()

    def _laid_out(self) -> None:
        """Lines for the articles shown, the folders' among them, drawn again when seen."""
        self._layout = Rows(self.shown, ROWS)
        self.virtual_size = Size(self.scrollable_content_region.width, self._layout.height)
        self._rows.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._sized()  # titles are cut to the width
        # The open article may have been marked before the list had a size to scroll in.
        self.call_after_refresh(self._show_highlighted)

    def _show_highlighted(self) -> None:
        if self.highlighted is not None:
            start, height = self._layout.span(self.highlighted)
            region = Region(0, start, 1, height)
            self.scroll_to_region(region, animate=False, immediate=True)

    # What the screen tells the list

    def documents_changed(self) -> None:
        """Articles were added to or dropped from the corpus's list."""
        chosen = self._highlighted_id
        self._refilter()
        # The cursor stays on the article it was on; if that one went, on the one after it.
        index = self.get_option_index(chosen) if chosen is not None else None
        if index is None and self.highlighted is not None and self.shown:
            index = min(self.highlighted, len(self.shown) - 1)
        self.highlighted = index
        self._highlighted_id = self.shown[index].id if index is not None else None
        self._sized()

    def set_annotated(self, annotated: dict[str, set[int]]) -> None:
        """Which passages of each article carry annotations (by index), as the store has them."""
        changed = {
            key
            for key in {*annotated, *self._annotated}
            if annotated.get(key) != self._annotated.get(key)
        }
        self._annotated = dict(annotated)
        self._redraw(changed)

    def set_place(self, document_id: str, offset: int) -> None:
        """Where the reader is in an article: the list shows how far in, as a percentage."""
        if self._places.get(document_id) != offset:
            self._places[document_id] = offset
            self._redraw([document_id])

    def set_places(self, places: dict[str, int]) -> None:
        self._places = dict(places)
        self._sized()

    def refresh_articles(self, ids: Iterable[str]) -> None:
        """Draw these articles again (their counts or titles changed)."""
        ids = list(ids)
        before = self._shared_titles
        self._shared_titles = None
        if before is not None and before != self._titles_shared():
            self._sized()  # another article's title may now be told apart, or no longer
            return
        self._redraw(ids)

    def _redraw(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            index = self.get_option_index(doc_id)
            if index is not None:
                self._refresh_row(index)

    def mark_open(self, document_id: str) -> None:
        previous, self.open_id = self.open_id, document_id
        self._redraw(name for name in (previous, document_id) if name is not None)
        index = self.get_option_index(document_id)
        if index is not None:
            self._move_to(index)

    def set_progress(self, text: str) -> None:
        """A line under the list's frame: how far the articles' titles and counts have come."""
        self._progress = text
        self._show_filter()

    def get_option_index(self, document_id: str) -> int | None:
        """Where an article is among those shown (None: not shown)."""
        if self._positions is None:
            self._positions = {document.id: i for i, document in enumerate(self.shown)}
        return self._positions.get(document_id)

    def prompt_at(self, index: int) -> Text:
        """What the list shows for article `index`: its title line, then its counts."""
        return self._prompt(self.shown[index], self.scrollable_content_region.width)

    def lines(self) -> list[str]:
        """The list's lines as text, folders' and articles' alike, on screen or not."""
        width = self.scrollable_content_region.width
        return [self._render_row(line, width).text for line in range(self._layout.height)]

    # Filtering

    @property
    def status(self) -> str:
        """How many articles the filter finds, of how many ('' with no filter)."""
        if self.filter_text is None:
            return ""
        return f"{len(self.shown):,} of {len(self.documents):,} articles"

    def action_filter(self) -> None:
        if self.filter_text is None:
            self.filter_text = ""
        # The store's tags as they are now: tagging happens in the reader, not while typing.
        self._tags = self._tags_of() if self._tags_of is not None else {}
        self.typing = True
        self._show_filter()
        if not self.has_focus:  # from the command palette: the keys typed next are the filter's
            self.call_after_refresh(self.focus)

    def action_clear_filter(self) -> None:
        self.filter_text = None
        self.typing = False
        self._filtered()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.filter_text is not None  # else escape is the screen's
        return True

    def on_key(self, event: events.Key) -> None:
        # `/`, escape and enter act here, not only as bindings: keys typed at once reach the
        # list before a binding's action runs, and must find the filter as they left it.
        if not self.typing or self.filter_text is None:
            if event.key == "slash":
                event.stop()
                event.prevent_default()
                self.action_filter()
            return
        if event.key == "escape":
            event.stop()
            event.prevent_default()
            self.action_clear_filter()
            return
        if event.key == "enter":
            self.typing = False  # the article opens: keys typed next are the reader's
            self._show_filter()
            return
        if event.key == "backspace":
            self.filter_text = self.filter_text[:-1]
        elif event.is_printable and event.character:
            self.filter_text += event.character
        else:
            return  # arrows move, enter opens, escape clears, tab leaves
        event.stop()
        event.prevent_default()
        self._filtered()

    def on_paste(self, event: events.Paste) -> None:
        if self.typing and self.filter_text is not None:
            event.stop()
            self.filter_text += " ".join(event.text.split())
            self._filtered()

    def on_blur(self) -> None:
        if self.typing:
            self.typing = False
            self._show_filter()

    def _refilter(self) -> None:
        self._positions = None
        if self.filter_text is None:
            self.shown = self.documents
            return
        query = ArticleQuery.parse(self.filter_text)
        self.shown = self._finder.matching(self.documents, query, self._tags)

    def _filtered(self) -> None:
        """Show what the filter now finds, the cursor on the same article if it is found,
        else on the first found."""
        self._refilter()
        index = None
        if self._highlighted_id is not None:
            index = self.get_option_index(self._highlighted_id)
        if index is None and self.shown:
            index = 0
            self._highlighted_id = self.shown[0].id
        self.highlighted = index  # None when nothing is found: the article chosen is kept
        self._laid_out()  # the titles shared are the corpus's, whatever is shown
        self._show_filter()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._show_highlighted()

    def _show_filter(self) -> None:
        """The typed words in the list's frame, above; below, how many articles they find."""
        if self.filter_text is None:
            self.border_title = "Articles"
            self.border_subtitle = self._progress
            return
        self.border_title = Content(f"/{self.filter_text}{'▏' if self.typing else ''}")
        self.border_subtitle = Content(self.status)

    # Moving and opening

    def action_cursor_up(self) -> None:
        self._move_by(-1)

    def action_cursor_down(self) -> None:
        self._move_by(+1)

    def action_page_up(self) -> None:
        self._move_by(-max(self.scrollable_content_region.height // ROWS, 1))

    def action_page_down(self) -> None:
        self._move_by(max(self.scrollable_content_region.height // ROWS, 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.shown) - 1)

    def action_select(self) -> None:
        if self.highlighted is not None and self.shown:
            self.post_message(self.OpenRequested(self.shown[self.highlighted].id))

    def _move_by(self, step: int) -> None:
        if self.shown:
            start = self.highlighted if self.highlighted is not None else 0
            self._move_to(max(0, min(start + step, len(self.shown) - 1)))

    def _move_to(self, index: int) -> None:
        if not 0 <= index < len(self.shown):
            return
        previous, self.highlighted = self.highlighted, index
        self._highlighted_id = self.shown[index].id
        if previous is not None and previous != index:
            self._refresh_row(previous)
        self._refresh_row(index)
        self._show_highlighted()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        spot = self._layout.article_at(round(self.scroll_y) + offset.y)
        if spot is not None:  # a folder's line opens nothing
            self._move_to(spot[0])
            self.action_select()

    # Drawing

    def _refresh_row(self, index: int) -> None:
        width = self.scrollable_content_region.width
        if index >= len(self._layout.starts):
            return  # listed since the lines were laid out: drawn when they are laid out again
        start = self._layout.starts[index]
        for row in range(ROWS):
            self._rows.discard((start + row, width))
        self.refresh_lines(start, ROWS)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        strip = self._rows.get((line, width))
        if strip is None:
            strip = self._render_row(line, width)
            self._rows[(line, width)] = strip
        return strip

    def _render_row(self, line: int, width: int) -> Strip:
        base = self.rich_style
        spot = self._layout.article_at(line)
        if spot is None:
            folder = self._layout.folders.get(line)
            if folder is None:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style("article-list--folder")
            text = Text(printable(folder_label(folder, width)), end="")
            text.truncate(width, overflow="ellipsis")
            text.stylize_before(style)
            segments = list(text.render(self.app.console))
            return Strip(segments).crop_extend(0, width, style).simplify()
        index, row = spot
        if index >= len(self.shown):
            return Strip.blank(width, base)  # left out since the lines were laid out
        style = base
        if index == self.highlighted:
            style = base + self.get_component_rich_style("article-list--cursor")
        text = self._prompt(self.shown[index], width).split("\n")[row]
        text.truncate(width, overflow="ellipsis")
        text.stylize_before(style)
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, style).simplify()

    def _titles_shared(self) -> set[str]:
        """The titles more than one article has: those articles show their file's name too."""
        if self._shared_titles is None:
            counts = Counter(document.known_title for document in self.documents)
            self._shared_titles = {
                title for title, count in counts.items() if title is not None and count > 1
            }
        return self._shared_titles

    def _prompt(self, document: Document, width: int) -> Text:
        is_open = document.id == self.open_id
        known = document.known_title
        shown = printable(known if known is not None else document.relpath)
        title = Text(shown, style="bold" if is_open else "" if known else "dim", end="")
        room = max(width - 2, 8)
        if known is not None and known in self._titles_shared():
            # Two articles with one title: the file's name tells them apart.
            name = Text(f" {printable(document.relpath)}", style="dim", end="")
            name.truncate(max(room - len(title), room // 2, 1), overflow="ellipsis")
            title.truncate(max(room - len(name), 4), overflow="ellipsis")
            title.append_text(name)
        else:
            title.truncate(room, overflow="ellipsis")
        share = annotated_share(document, self._annotated.get(document.id, ()))
        if share.passages is None:
            detail = "reading…"
        else:
            detail = f"{share.annotated}/{share.passages} annotated" if share.passages else "empty"
        place, length = self._places.get(document.id, 0), document.known_length
        if place and length:
            read = f" · {min(99, 100 * place // length)}%"  # how far it has been read
            warning = 3 if document.lossy else 0
            if len(detail) + len(read) + warning + 2 > width:
                detail = detail.removesuffix(" annotated")  # the percentage shows whole
            detail += read
        about = described(document)
        if about:  # the counts first: they keep their place, the site is cut if need be
            detail = f"{detail.replace(' annotated', '')}  {about}"
        return Text.assemble(
            ("▸ " if is_open else "  ", "bold"),
            title,
            "\n  ",
            (detail, "dim"),
            ("  ⚠" if document.lossy else "", "bold yellow"),
            end="",
        )
