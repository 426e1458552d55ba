"""The links of the current passage (f, follow): each one's words and address; `enter` opens one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.app.screens import DIALOGS_CSS
from tui.corpus.extract import Link
from tui.text import printable

SHOWN = 90
"""A link's words and address are cut to this many characters, one line each."""


def link_prompt(words: str, link: Link) -> Text:
    """The link's words, then its address dim on the next line (both text, never markup)."""
    words = " ".join(printable(words).split())
    target = printable(link.target)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(words if len(words) <= SHOWN else words[: SHOWN - 1] + "…", "bold")
    text.append("\n  " + (target if len(target) <= SHOWN else target[: SHOWN - 1] + "…"), "dim")
    return text


class LinksView(ModalScreen[Link | None]):
    """The passage's links; `enter` chooses the highlighted one, escape closes."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding("escape,f", "dismiss(None)", "Close", id="links.close", tooltip="Close the list.")
    ]

    def __init__(self, links: list[Link], text: str) -> None:
        super().__init__()
        self.links = links
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="links", classes="dialog"):
            title = "Links of the passage" if self.links else "This passage has no links."
            yield Label(title, id="links-title", markup=False)
            yield OptionList(
                *(
                    Option(link_prompt(self.text[link.start : link.end], link), id=str(i))
                    for i, link in enumerate(self.links)
                ),
                markup=False,
                id="links-list",
            )
            yield Label("enter: open    escape: close", id="links-keys")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.links[event.option_index])
