"""Lists of places in the corpus to jump to: every passage of a tag, every highlight, every
note (the "code retrieval" view of QDA tools); search results are places too."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.app.screens import DIALOGS_CSS
from tui.text import printable

TITLE_SHOWN = 70
"""Titles are cut to this many characters, so each place keeps to its two lines."""


@dataclass(frozen=True, slots=True)
class Place:
    """Somewhere to go: `document`'s text from `start` to `end`, described by `prompt`;
    `segment`, the id of a segment to put under the cursor there."""

    document: str
    start: int
    end: int
    prompt: Text
    segment: int | None = None


def match_prompt(
    title: str, passage: int, parts: tuple[str, str, str], last: int | None = None
) -> Text:
    """`Title · passage 7` (`passages 7–8` to `last`) over `…before **match** after…`."""
    before, match, after = parts
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    title = " ".join(printable(title).split())
    text.append(title if len(title) <= TITLE_SHOWN else title[: TITLE_SHOWN - 1] + "…", "bold")
    where = f"passages {passage}–{last}" if last and last != passage else f"passage {passage}"
    text.append(f" · {where}", "dim")
    text.append("\n  " + printable(before))
    text.append(printable(match), "reverse")
    text.append(printable(after))
    return text


class PlacesView(ModalScreen[Place | None]):
    """A list of places; `enter` goes to the highlighted one."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="places.close", tooltip="Close the list.")
    ]

    def __init__(self, title: str, places: list[Place], empty: str) -> None:
        super().__init__()
        self.title_text = title
        self.places = places
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="places", classes="dialog"):
            yield Label(
                self.title_text if self.places else self.empty, id="places-title", markup=False
            )
            yield OptionList(
                *(Option(place.prompt, id=str(i)) for i, place in enumerate(self.places)),
                markup=False,
                id="places-list",
            )
            yield Label("enter: go there    escape: close", id="places-keys")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.places[event.option_index])
