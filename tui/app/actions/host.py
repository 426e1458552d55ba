"""What the main screen's actions need from the screen they act for.

The actions are typed against these Protocols, not against MainScreen: they never import the
screen, so the screen can import them without a cycle, and what they may touch is listed here.
The actions import this module for typing only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.worker import Worker

    from tui.app.widgets.reader import Reader
    from tui.app.widgets.title_bar import TitleBar
    from tui.corpus import Corpus, Document
    from tui.corpus.matches import Matches
    from tui.corpus.search import SearchIndex
    from tui.settings import Settings
    from tui.store import Store
    from tui.store.model import Anchored
    from tui.store.readonly import ReadOnlyReason


class Host(Protocol):
    """The main screen as its actions see it."""

    store: Store
    readonly_reason: ReadOnlyReason | None
    """Why the store is only read (None: it is written)."""
    corpus: Corpus
    document: Document | None
    """The article open in the reader."""
    viewing: str | None
    """Whose annotations show: None for the store's annotator, a name, or ALL."""
    reattaching: Anchored | None
    """An orphan waiting for the user to choose its new place."""

    @property
    def reader(self) -> Reader: ...

    @property
    def on_top(self) -> Screen[Any]:
        """The screen shown: a dialog over the main screen, or the main screen."""
        ...

    @property
    def settings(self) -> Settings | None:
        """The settings files' choices, if the app has any."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def ask(self, dialog: Screen[Any], then: Callable[[Any], None] | None = None) -> None:
        """Open `dialog` over the screen; `then` gets its answer."""
        ...

    def writable(self) -> bool:
        """Whether annotations may be changed; if not, the user is told why."""
        ...

    def still_listing(self) -> bool:
        """Whether the corpus is still being listed, said if so."""
        ...

    def dialog_refused(self) -> None:
        """The key that opens a dialog was refused (and the user told why): the keys typed at
        once after it, meant for the dialog, are not run as commands."""
        ...

    def write_failed(self, error: Exception) -> None:
        """Say that a change could not be saved."""
        ...

    def open_document(self, document: Document) -> bool:
        """Show `document` in the reader (False: it could not be read, and was left out)."""
        ...

    def tag_colors(self) -> dict[str, str]:
        """Each tag's colour by its name, as the reader draws its chips."""
        ...

    def show_change(self) -> None:
        """Show what the store now holds for the current passage, the sidebar and the list."""
        ...

    def show_highlights(self, active: int | None = None) -> None:
        """Show the open article's highlights as stored; `active` goes under the cursor."""
        ...

    def refresh_everything(self) -> None:
        """The open article's annotations, the sidebar and the list, as the store has them."""
        ...

    def highlight_tag(self, name: str) -> None:
        """Put the sidebar's cursor on tag `name`."""
        ...


class ArticlesHost(Host, Protocol):
    """The main screen as reloading, anchoring and leaving out articles see it."""

    places: dict[str, int]
    """Each article's reading place, a text offset, by its id."""
    search_index: SearchIndex | None
    """The corpus's folded text, once the worker that builds it is done."""

    def refresh_counts(self) -> None:
        """The sidebar's tag counts and the list's annotated counts, as the store has them."""
        ...

    def articles_changed(self) -> None:
        """Articles were added to or dropped from the corpus: the list shows it."""
        ...

    @property
    def looking_again(self) -> bool:
        """Whether the corpus's folder is being listed again."""
        ...

    def look_again(self) -> object:
        """List the corpus's folder again in the background (its folders changed)."""
        ...

    def corpus_grew(self) -> None:
        """Articles came into the corpus: read, count and index them in the background."""
        ...


class SearchHost(Host, Protocol):
    """The main screen as search and the lists of places see it."""

    search_index: SearchIndex | None
    """The corpus's folded text, once the worker that builds it is done."""
    indexed: int
    """Articles indexed so far."""
    search_query: str | None
    """The last query searched, kept for the next article and the search box."""
    matches: Matches | None
    """The search's matches in the open article, marked in the reader."""

    def read_whole(self, needed_at: int | None = None) -> None:
        """Show all of a book shown from its first bytes, if needed (at `needed_at`)."""
        ...

    def matches_moved(self) -> None:
        """Show that the current match (or the window of marks) moved."""
        ...


class SyncHost(Host, Protocol):
    """The main screen as syncing with the team's repository sees it."""

    @property
    def app(self) -> App[Any]: ...

    @property
    def title_bar(self) -> TitleBar: ...

    def store_changed(self) -> None:
        """The store was changed from outside the keys: show what it now holds."""
        ...

    def run_worker(
        self, work: Callable[[], object], *, group: str, exclusive: bool, thread: bool
    ) -> Worker[object]:
        """Run `work` off the screen's thread (Textual's own)."""
        ...
