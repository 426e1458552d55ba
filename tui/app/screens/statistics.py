"""The `s` screen: the statistics `glose stats` prints, for whoever's annotations are shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.analysis.statistics import Statistics, render
from tui.app.screens import DIALOGS_CSS


class StatisticsView(ModalScreen[None]):
    """Read-only; scrolls with the arrows and page keys."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding(
            "escape,q,s",
            "dismiss",
            "Close",
            id="stats.close",
            tooltip="Close the statistics.",
        ),
        Binding("j", "scroll('down')", show=False, id="stats.down", tooltip="Scroll down."),
        Binding("k", "scroll('up')", show=False, id="stats.up", tooltip="Scroll up."),
    ]

    def __init__(self, statistics: Statistics) -> None:
        super().__init__()
        self.statistics = statistics

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="statistics"):
            yield Static(render(self.statistics), id="statistics-body")

    def on_mount(self) -> None:
        frame = self.query_one("#statistics")
        frame.border_title = "Statistics"
        frame.border_subtitle = "escape closes"
        frame.focus()

    def action_scroll(self, direction: str) -> None:
        frame = self.query_one("#statistics", VerticalScroll)
        frame.scroll_down() if direction == "down" else frame.scroll_up()
