"""Shown over everything while the terminal is smaller than glose can lay out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tui.app.screens import DIALOGS_CSS

MIN_WIDTH, MIN_HEIGHT = 40, 12


class TooSmall(Screen[None]):
    """Goes away by itself once the terminal is large enough again."""

    CSS_PATH = DIALOGS_CSS

    def compose(self) -> ComposeResult:
        yield Static(
            f"The terminal is too small for glose: it needs at least {MIN_WIDTH} columns "
            f"and {MIN_HEIGHT} lines.",
            id="too-small",
        )
