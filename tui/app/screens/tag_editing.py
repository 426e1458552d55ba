"""The dialogs that change a tag: its name, its colour, its key (its description is written
in the note editor)."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.app.render.marks import TAG_MARK, tag_style
from tui.app.screens import DIALOGS_CSS
from tui.app.screens.tag_prompt import Named, rewritten, same_tag
from tui.store import Tag, TagNameError, clean_tag_name
from tui.store.codebook import is_under
from tui.store.model import TAG_COLORS
from tui.text import printable

CANCEL = Binding(
    "escape", "dismiss(None)", "Cancel", id="tag_edit.cancel", tooltip="Change nothing."
)


class RenameTag(ModalScreen[Named | None]):
    """Returns the new name (checked as a tag name, and what to say of it), or None when
    cancelled or unchanged."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [CANCEL]

    def __init__(self, path: str, under: int, tags: list[Tag] | None = None) -> None:
        super().__init__()
        self.path = path
        self.under = under
        """How many tags below it move with it."""
        self.others = [tag for tag in tags or [] if not is_under(tag.name, path)]
        """The tags that do not move: a name that is one of theirs merges into it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-edit", classes="tag-edit"):
            yield Label(f"Rename {printable(self.path)}", classes="tag-edit-title", markup=False)
            yield Input(self.path, id="tag-new-name")
            moving = f" and the {self.under} below it" if self.under else ""
            yield Label(
                f"Every passage tagged with it{moving} follows. The name of another tag merges "
                "them (you will be asked); '/' puts it under another level.",
                classes="tag-edit-hint",
                markup=False,
            )
            yield Label("enter: rename    escape: cancel", classes="tag-edit-keys")
            yield Label("", id="tag-edit-message", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Another tag's name, case and accents aside, is that tag: a merge, not a near-twin.
        existing = same_tag(event.value, self.others) if event.value.strip() else None
        try:
            name = existing.name if existing else clean_tag_name(event.value)
        except TagNameError as error:
            self.query_one("#tag-edit-message", Label).update(str(error))
            return
        why = rewritten(event.value)
        said = f"Named “{name}” ({'; '.join(why)})." if why and not existing else None
        self.dismiss(None if name == self.path else Named(name, said))


class ChooseColour(ModalScreen[str | None]):
    """Returns the colour chosen among the tag palette, or None when cancelled."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [CANCEL]

    def __init__(self, name: str, color: str) -> None:
        super().__init__()
        self.tag_name = name
        self.color = color

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-edit", classes="tag-edit"):
            yield Label(
                f"Colour of {printable(self.tag_name)}", classes="tag-edit-title", markup=False
            )
            yield OptionList(
                *(
                    Option(Text.assemble((TAG_MARK * 3, tag_style(color)), "  ", color), id=color)
                    for color in TAG_COLORS
                ),
                id="tag-colours",
            )
            yield Label("enter: choose    escape: cancel", classes="tag-edit-keys")

    def on_mount(self) -> None:
        colours = self.query_one(OptionList)
        if self.color in TAG_COLORS:
            colours.highlighted = TAG_COLORS.index(self.color)
        colours.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)


class ChooseKey(ModalScreen[int | None]):
    """Returns the key pressed, 1-9, 0 for no key; None when cancelled."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [CANCEL]

    def __init__(self, name: str, key: int | None) -> None:
        super().__init__()
        self.tag_name = name
        self.key = key

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-edit", classes="tag-edit"):
            yield Label(
                f"Key of {printable(self.tag_name)}", classes="tag-edit-title", markup=False
            )
            now = f"Its key is {self.key}." if self.key else "It has no key."
            yield Label(
                f"{now} Press 1-9 to give it that key (a tag holding it gets this one's), "
                "0 to take its key away.",
                classes="tag-edit-hint",
                markup=False,
            )
            yield Label("1-9: key    0: none    escape: cancel", classes="tag-edit-keys")

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character in "0123456789":
            event.stop()
            self.dismiss(int(event.character))
