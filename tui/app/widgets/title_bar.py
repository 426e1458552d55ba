"""The title bar over the panes: the open article's title, and in a cell of its own on the
right what is going on (an annotator shown, a selection, a search) and how far the reader is.

Its text follows its reactives: the screen says what is open, shown and found, and the bar
says it; nobody refreshes the title by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Static

from tui.corpus import Document
from tui.store import ALL
from tui.text import counted, printable, shortened

if TYPE_CHECKING:
    from tui.app.widgets.reader import Reader


PAGES_SHOWN_EVERY = 0.25
"""Seconds between two showings of how many pages of a PDF are read."""


@dataclass(frozen=True, slots=True)
class Progress:
    """Passage `current` (from 0) of `total` in the reader, and what is still being done to
    the article: "reading" the rest of a book shown from its first bytes, or "cutting" it into
    sentences."""

    current: int = 0
    total: int = 0
    stage: Literal["reading", "cutting", ""] = ""


@dataclass(frozen=True, slots=True)
class Selected:
    """What the reader has selected: so many characters (v), or so many passages (V)."""

    characters: int | None = None
    passages: int | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A search in the open article: the query as typed, how many matches, and the number
    of the current one (None: no match chosen yet)."""

    query: str
    count: int
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Synced:
    """The last sync with the team's repository: when it finished, and how many annotations
    came in with it."""

    finished: datetime
    new_annotations: int


def synced_at(finished: datetime, now: datetime) -> str:
    """When a sync finished, as the title bar says it: the time alone on the day it was made,
    the day before it after."""
    local, today = finished.astimezone(), now.astimezone()
    if local.date() == today.date():
        return f"{local:%H:%M}"
    return f"{local.day} {local:%b %H:%M}"


def whose(annotator: str) -> str:
    """'everyone's' or 'bob's', safe to show."""
    return "everyone's" if annotator == ALL else f"{printable(annotator)}'s"


class TitleBar(Horizontal):
    """The open article's title and where the reader is; a long title cannot push the
    position away, it is cut first."""

    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar #doc-title {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    TitleBar #doc-position {
        width: auto;
        padding-left: 2;
    }
    TitleBar #doc-synced {
        width: auto;
    }
    """

    document: var[Document | None] = var(None, init=False)
    nothing_open: var[str] = var("", init=False)
    """Why no article is shown, when none can be."""
    progress: var[Progress] = var(Progress(), init=False)
    selected: var[Selected] = var(Selected(), init=False)
    viewing: var[str | None] = var(None, init=False)
    """Whose annotations show: None for the store's annotator, a name, or ALL."""
    reattaching: var[bool] = var(False, init=False)
    found: var[Found | None] = var(None, init=False)
    readonly: var[bool] = var(False, init=False)
    synced: var[Synced | None] = var(None, init=False)
    """The last sync (None: never, as far as this store knows)."""
    syncing: var[bool] = var(False, init=False)
    """Whether a sync is under way."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title_cell = Static(id="doc-title", markup=False)
        self._position_cell = Static(id="doc-position", markup=False)
        self._synced_cell = Static(id="doc-synced", markup=False)
        """The last sync, in a cell of its own: always there, it gives way on a narrow
        screen."""
        self._pages: Timer | None = None
        """Shows how many pages of a PDF are read, while they are."""

    def compose(self) -> ComposeResult:
        yield self._title_cell
        yield self._position_cell
        yield self._synced_cell

    def watch_document(self) -> None:
        self._show()

    def watch_nothing_open(self) -> None:
        self._show()

    def watch_progress(self) -> None:
        if self.progress.stage != "reading" and self._pages is not None:
            self._pages.stop()
            self._pages = None
        self._show()

    def watch_selected(self) -> None:
        self._show()

    def watch_viewing(self) -> None:
        self._show()

    def watch_reattaching(self) -> None:
        self._show()

    def watch_found(self) -> None:
        self._show()

    def watch_readonly(self) -> None:
        self._show()

    def watch_synced(self) -> None:
        self._show()

    def watch_syncing(self) -> None:
        self._show()

    def follow(self, reader: Reader) -> None:
        """Take from `reader` how far it is in the open article and what it has selected."""
        document = self.document
        if document is None:
            return
        stage: Literal["reading", "cutting", ""] = ""
        if reader.passages is document.opening:
            stage = "reading"
        elif not document.has_passages:
            stage = "cutting"
        selection, passages = reader.selection, reader.passage_range
        self.progress = Progress(reader.current, len(reader.passages), stage)
        if stage == "reading" and self._pages is None:
            # A PDF's pages are read in a worker: the bar says how far, a few times a second.
            self._pages = self.set_interval(PAGES_SHOWN_EVERY, self._show)
        self.selected = Selected(
            selection.end - selection.start if selection is not None else None,
            len(passages) if passages is not None else None,
        )

    @property
    def text(self) -> str:
        """The bar as plain text (title, then position, then the last sync)."""
        title, position = self._content()
        return f"{title}  {position}{self._synced()}"

    def _show(self) -> None:
        title, position = self._content()
        self._title_cell.update(title)
        self._position_cell.update(position)
        self._synced_cell.update(Content.styled(self._synced(), "dim"))

    def _content(self) -> tuple[Content, Content]:
        document = self.document
        if document is None:
            why = self.nothing_open
            return Content(f"No articles: {why}." if why else ""), Content("")
        return Content.styled(printable(document.title), "bold"), Content.assemble(
            (self._doing(), "bold $accent"),
            (self._found(), "$warning"),
            ("read-only  " if self.readonly else "", "bold $warning"),
            ("⚠ undecodable bytes  " if document.lossy else "", "bold $warning"),
            (f"{document.encoding}  " if document.encoding != "UTF-8" else "", "dim"),
            ("syncing…  " if self.syncing else "", "dim"),
            (self._position(), "dim"),
        )

    def _position(self) -> str:
        progress = self.progress
        if progress.stage == "reading":
            document = self.document
            pages = document.reading_pages if document is not None else None
            doing = f"reading page {pages[0]}/{pages[1]}…" if pages else "reading the rest…"
            return f"{doing}  passage {progress.current + 1}"
        total = progress.total
        position = f"passage {progress.current + 1}/{total}" if total else "empty"
        return f"cutting sentences…  {position}" if progress.stage == "cutting" else position

    def _synced(self) -> str:
        synced = self.synced
        if synced is None or self.syncing or self.document is None:
            return ""
        when = synced_at(synced.finished, datetime.now().astimezone())
        new = synced.new_annotations
        return f"  synced {when} · {f'{new:,} new' if new else 'nothing new'}"

    def _doing(self) -> str:
        selected = self.selected
        if self.reattaching:
            return "attaching an orphan: h here  "
        if selected.characters is not None:
            return f"{counted(selected.characters, 'character')} selected  "
        if selected.passages is not None:
            return f"{counted(selected.passages, 'passage')} selected: 1-9, t, h apply to all  "
        return f"{whose(self.viewing)} annotations  " if self.viewing is not None else ""

    def _found(self) -> str:
        found = self.found
        if found is None:
            return ""
        query = shortened(found.query, 24)
        if not found.count:
            return f"«{query}» no match  "
        if found.number is None:
            return f"«{query}» {counted(found.count, 'match', 'matches')}  "
        return f"«{query}» {found.number:,}/{found.count:,}  "
