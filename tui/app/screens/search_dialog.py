"""The search box (`/`): a query typed, results across the corpus as you type, and either a
result to go to or the open article to step through with n and N.

The corpus is searched in a worker thread: the box keeps taking keys (and escape) meanwhile,
and a newer query drops the older one's search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tui.app.screens import DIALOGS_CSS
from tui.app.screens.places import Place
from tui.app.screens.type_ahead import type_ahead
from tui.corpus.query import QueryError, parse
from tui.text import counted

RESULTS_SHOWN = 200
"""Search results listed at most; the count says how many there are in all."""


@dataclass(frozen=True, slots=True)
class SearchChoice:
    """What the search box ends with: the query, and the result chosen (None: this article)."""

    query: str
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """What a query found: its matches in the open article, in the other articles, and a line
    saying how many."""

    here: list[Place]
    elsewhere: list[Place]
    status: str


Searcher = Callable[[str], Found | Callable[[], Found]]
"""Runs a query on the screen's thread (QueryError when it cannot be searched for): what it
found, or the search across the corpus left to do, run in a worker thread, which gives it."""


class SearchView(ModalScreen[SearchChoice | None]):
    """`/`: type a query; results show as you type. `enter` searches the open article (then
    n and N), or with `down`/`up` choose a result and `enter` goes there. The typing stays in
    the box throughout, so keys typed ahead land where they are meant to."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="search.close", tooltip="Close the search."),
        Binding(
            "down",
            "move(1)",
            "Next result",
            show=False,
            id="search.next_result",
            tooltip="Choose the next result; enter then goes there.",
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous result",
            show=False,
            id="search.previous_result",
            tooltip="Choose the previous result; above the first, none (enter then finds in "
            "this article).",
        ),
    ]

    DELAY = 0.12
    """Seconds of quiet typing before the results are looked for."""

    SAYING_SEARCHING = 0.3
    """Seconds a search across the corpus goes on before the status line says it is on: a
    quick one shows its results without the line flickering."""

    def __init__(self, searcher: Searcher, query: str = "") -> None:
        super().__init__()
        self.searcher = searcher
        self.initial = query
        self.places: list[Place] = []
        self._pending: Timer | None = None
        self._shown: str | None = None
        """The query whose results are listed."""
        self._said = Text()
        """What the status line says of them."""
        self._asked: str | None = None
        """The query last looked for: listed, or being searched for."""
        self._searching: Worker[Found] | None = None
        self._saying: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search", classes="dialog"):
            yield Label("Search: case and accents ignored", id="search-title")
            yield Input(
                self.initial,
                placeholder='words, "a phrase", prefix*, -left out, OR, tag:name, note:word',
                id="search-input",
            )
            yield Label("", id="search-status", markup=False)
            results = OptionList(markup=False, id="search-results")
            results.can_focus = False  # the box keeps the keys; up and down choose in the list
            yield results
            yield Label(
                "enter: find here (then n, N)    down, up, enter: go to a result    escape: close",
                id="search-keys",
            )

    def on_key(self, event: events.Key) -> None:
        type_ahead(self, self.query_one(Input), event)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.run_query()

    def on_unmount(self) -> None:
        if self._saying is not None:
            self._saying.stop()
        self._searching = None  # closed: what it finds has nowhere to go

    @on(Input.Changed)
    def _typed(self) -> None:
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(self.DELAY, self.run_query)
        if self._asked != self.query_one(Input).value:
            self._drop_search()  # asked of a query no longer in the box

    def refresh_results(self) -> None:
        """Look again for the query shown (the corpus index has come meanwhile)."""
        if not self.query(Input):
            return  # not composed yet: its first query will use the index anyway
        self._asked = None
        self.run_query()

    def run_query(self) -> None:
        """Look for the query now: what the screen's thread finds is listed at once, the rest
        when the worker thread has found it."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        query = self.query_one(Input).value
        if query == self._asked:
            return  # already listed or being looked for: the list keeps its place
        self._drop_search()
        self._asked = query
        if not query.strip():
            self._list(query, Found([], [], ""))
            return
        try:
            found = self.searcher(query)
        except QueryError as error:
            self._list(query, Found([], [], str(error)))
            return
        if isinstance(found, Found):
            self._list(query, found)
            return
        self._searching = self.run_worker(
            found, "search", group="search", exclusive=True, thread=True, exit_on_error=False
        )
        self._saying = self.set_timer(self.SAYING_SEARCHING, self._say_searching)

    @property
    def searching(self) -> bool:
        """Whether the corpus is being searched for the query in the box."""
        return self._searching is not None

    def _say_searching(self) -> None:
        self._saying = None
        if self._searching is not None:
            self.query_one("#search-status", Label).update("Searching the other articles…")

    def _drop_search(self) -> None:
        """Forget the search under way, if any: its results will not be listed."""
        if self._saying is not None:
            self._saying.stop()
            self._saying = None
        if self._searching is None:
            return
        self._searching.cancel()  # its thread runs on, but what it finds is not listed
        self._searching = None
        self._asked = self._shown
        self.query_one("#search-status", Label).update(self._said)

    @on(Worker.StateChanged)
    def _searched(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker is not self._searching or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return  # a search dropped since, not done yet, or the box closing
        query = self._asked
        self._drop_search()  # done: what is left is the line saying it is on
        if query is None or query != self.query_one(Input).value:
            return  # the box changed while its change was on its way here: looked for anew
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            self._list(query, worker.result)
        elif worker.error is not None:
            if not isinstance(worker.error, QueryError):
                raise worker.error
            self._list(query, Found([], [], str(worker.error)))

    def _list(self, query: str, found: Found) -> None:
        """List what `query` found, under headings, and say how many."""
        self._asked = self._shown = query
        self._said = Text(found.status)
        here, elsewhere = found.here, found.elsewhere
        self.places = [*here, *elsewhere]
        options: list[Option | None] = []
        if here:
            options.append(Option(Text("In this article", style="bold"), disabled=True))
            options.extend(Option(p.prompt, id=str(i)) for i, p in enumerate(here))
        if elsewhere:
            if here:
                options.append(None)
            options.append(Option(Text("In the other articles", style="bold"), disabled=True))
            options.extend(Option(p.prompt, id=str(len(here) + i)) for i, p in enumerate(elsewhere))
        results = self.query_one(OptionList)
        if options:
            results.set_options(options)
        else:
            results.clear_options()
        self.query_one("#search-status", Label).update(self._said)

    def action_move(self, step: int) -> None:
        results = self.query_one(OptionList)
        if not self.places:
            return
        if step > 0:
            if results.highlighted is None:
                results.highlighted = results.get_option_index("0")
            else:
                results.action_cursor_down()
        elif results.highlighted is not None:
            if results.highlighted == results.get_option_index("0"):
                results.highlighted = None  # back to the box: enter finds in this article
            else:
                results.action_cursor_up()

    @property
    def chosen(self) -> Place | None:
        """The result chosen with down and up, if any."""
        option = self.query_one(OptionList).highlighted_option
        return None if option is None or option.id is None else self.places[int(option.id)]

    @on(Input.Submitted)
    def _search_article(self, event: Input.Submitted) -> None:
        event.stop()
        if self._pending is not None:  # the answer is given now: no late one over it
            self._pending.stop()
            self._pending = None
        if (place := self.chosen) is not None:
            # The query these results are of: the box may have changed since.
            self.dismiss(SearchChoice(self._shown or event.value, place))
            return
        try:
            parse(event.value)
        except QueryError as error:
            self.query_one("#search-status", Label).update(Text(str(error)))
            return
        self.dismiss(SearchChoice(event.value))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            place = self.places[int(event.option_id)]
            # The query these results are of: the box may have changed since.
            self.dismiss(SearchChoice(self._shown or self.query_one(Input).value, place))


def query_status(total: int, articles: int, here: int, shown: int, complete: bool) -> str:
    """`12 matches in 3 articles (4 in this one)`, saying when not all are listed or counted;
    `total` and `articles` are those of the other articles, `here` how many the open one
    holds."""
    found = counted(total + here, "match", "matches")
    said = f"{found} in {counted(articles + bool(here), 'article')}"
    if not complete:
        said = "at least " + said
    if here:
        said += f" ({here:,} in this one)"
    if shown < total + here:
        said += f"; the first {shown:,} listed"
    return said
