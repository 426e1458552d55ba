"""A yes-or-no question before something is deleted or thrown away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from tui.app.screens import DIALOGS_CSS


class Confirm(ModalScreen[bool]):
    """Returns True for y, False for n or escape."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, do it."),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, leave it."),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(self.question, id="confirm-question", markup=False)
            yield Label("y: yes    n or escape: no", id="confirm-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
