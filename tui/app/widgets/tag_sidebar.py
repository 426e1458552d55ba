"""The tag sidebar: tags numbered 1-9 in key order, then the rest, with colours and counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.widgets.marks import HIGHLIGHT_MARK, NOTE_MARK, TAG_MARK, tag_style
from tui.corpus.display import printable
from tui.store import Tag

HIGHLIGHTS = "\x00highlights"
NOTES = "\x00notes"
"""Ids of the last two entries; no tag name holds a control character, so none is taken."""


class TagSidebar(OptionList):
    """Every tag with its key, colour and how many passages carry it in the corpus, then the
    highlights and the notes; `enter` lists where they are."""

    BINDINGS = [
        Binding(
            "enter",
            "select",
            "Where",
            id="tags.where",
            tooltip="List every passage with the highlighted tag across the corpus (or every "
            "highlight, every note) and go to one.",
        ),
    ]

    @dataclass
    class Chosen(Message):
        """The user asked where a tag (or the highlights, HIGHLIGHTS, or notes, NOTES) is."""

        name: str

    @dataclass
    class ToggleRequested(Message):
        """A tag was clicked: the user wants it on (or off) the current passage."""

        name: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.tags: list[Tag] = []
        self.counts: dict[str, int] = {}
        self.highlight_count = self.note_count = 0

    def on_mount(self) -> None:
        self.border_title = "Tags"

    def show_tags(
        self, tags: list[Tag], counts: dict[str, int], highlights: int = 0, notes: int = 0
    ) -> None:
        highlighted = self.highlighted
        self.tags = list(tags)
        self.counts = dict(counts)
        self.highlight_count, self.note_count = highlights, notes
        options: list[Option | None] = [Option(self._prompt(tag), id=tag.name) for tag in tags]
        if not tags:
            options.append(
                Option(Text("No tags yet: press t to tag by name.", style="dim"), disabled=True)
            )
        options += [
            None,
            Option(self._entry(HIGHLIGHT_MARK, "Highlights", highlights), id=HIGHLIGHTS),
            Option(self._entry(NOTE_MARK, "Notes", notes), id=NOTES),
        ]
        self.set_options(options)
        if highlighted is not None:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_focus(self) -> None:
        # Focused, the sidebar is ready for enter: something must be highlighted.
        if self.highlighted is None and self.option_count:
            self.action_first()

    def on_resize(self) -> None:
        self.show_tags(self.tags, self.counts, self.highlight_count, self.note_count)

    async def _on_click(self, event: events.Click) -> None:
        # A click on a tag toggles it on the current passage, as its key does; enter (and a
        # click on Highlights or Notes) lists where they are.
        event.prevent_default()  # OptionList's own click would select: list where it is
        clicked = event.style.meta.get("option")
        if clicked is None or self.get_option_at_index(clicked).disabled:
            return
        self.highlighted = clicked
        option_id = self.get_option_at_index(clicked).id
        if option_id in (HIGHLIGHTS, NOTES) or option_id is None:
            self.action_select()
        else:
            self.post_message(self.ToggleRequested(option_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(event.option_id))

    def _entry(self, mark: str, label: str, count: int) -> Text:
        room = max(self.scrollable_content_region.width - 5 - len(str(count)) - 1, 4)
        text = Text.assemble("  ", (mark, "bold"), " ", no_wrap=True, end="")
        shown = Text(label, end="")
        shown.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(shown)
        text.append(f" {count}", "dim")
        return text

    def _prompt(self, tag: Tag) -> Text:
        count = str(self.counts.get(tag.name, 0))
        key = str(tag.key) if tag.key is not None else " "
        name = printable(tag.name)
        room = max(self.scrollable_content_region.width - 5 - len(count) - 1, 4)
        text = Text.assemble(
            (key, "bold"),
            " ",
            (TAG_MARK, tag_style(tag.color)),
            " ",
            no_wrap=True,
            end="",
        )
        shown = Text(name, no_wrap=True, overflow="ellipsis", end="")
        shown.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(shown)
        text.append(" " + count, "dim")
        return text
