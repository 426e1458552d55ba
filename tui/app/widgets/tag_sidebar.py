"""The tag sidebar: tags numbered 1-9 in key order, then the rest, with colours and counts."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.widgets.marks import TAG_MARK, tag_style
from tui.corpus.display import printable
from tui.store import Tag


class TagSidebar(OptionList):
    """Every tag with its key, colour and how many passages carry it in the corpus."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.tags: list[Tag] = []
        self.counts: dict[str, int] = {}

    def on_mount(self) -> None:
        self.border_title = "Tags"

    def show_tags(self, tags: list[Tag], counts: dict[str, int]) -> None:
        highlighted = self.highlighted
        self.tags = list(tags)
        self.counts = dict(counts)
        if not tags:
            self.set_options(
                [Option(Text("No tags yet: press t to tag by name.", style="dim"), disabled=True)]
            )
            return
        self.set_options(Option(self._prompt(tag), id=tag.name) for tag in tags)
        if highlighted is not None:
            self.highlighted = min(highlighted, len(tags) - 1)

    def on_resize(self) -> None:
        if self.tags:
            self.show_tags(self.tags, self.counts)

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
