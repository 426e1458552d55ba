"""The article list: each document's title and how many of its passages are annotated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.corpus import Document
from tui.corpus.display import printable


class ArticleList(OptionList):
    """Titles of the corpus, the open one marked; `enter` opens the highlighted one."""

    BINDINGS = [
        Binding(
            "up",
            "cursor_up",
            "Up",
            show=False,
            id="list.up",
            tooltip="Move to the previous article in the list.",
        ),
        Binding(
            "down",
            "cursor_down",
            "Down",
            show=False,
            id="list.down",
            tooltip="Move to the next article in the list.",
        ),
        Binding(
            "enter",
            "select",
            "Open",
            id="list.open",
            tooltip="Open the highlighted article and move to the reader.",
        ),
    ]

    @dataclass
    class OpenRequested(Message):
        """The user chose an article to open."""

        document_id: str

    def __init__(self, documents: list[Document], *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.documents = documents
        self.open_id: str | None = None
        self._annotated: dict[str, int] = {}
        self._width = 0

    def on_mount(self) -> None:
        self.border_title = "Articles"
        self.set_options(self._option(document) for document in self.documents)

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:  # titles are cut to the width: only a new width redraws all
            self._width = width
            self._refresh_prompts(range(len(self.documents)))

    def set_annotated_counts(self, counts: dict[str, int]) -> None:
        changed = {
            key
            for key in {*counts, *self._annotated}
            if counts.get(key) != self._annotated.get(key)
        }
        self._annotated = dict(counts)
        self._refresh_prompts(
            index for index, document in enumerate(self.documents) if document.id in changed
        )

    def mark_open(self, document_id: str) -> None:
        previous, self.open_id = self.open_id, document_id
        # Only the two articles whose mark changed are drawn again: a big corpus stays quick.
        self._refresh_prompts(
            index
            for index, document in enumerate(self.documents)
            if document.id in (previous, document_id)
        )
        self.highlighted = self.get_option_index(document_id)

    def _refresh_prompts(self, indexes: Iterable[int]) -> None:
        for index in indexes:
            self.replace_option_prompt_at_index(index, self._prompt(self.documents[index]))

    def _option(self, document: Document) -> Option:
        return Option(self._prompt(document), id=document.id)

    def _prompt(self, document: Document) -> Text:
        is_open = document.id == self.open_id
        # OptionList wraps prompts, so the title is cut to one line here.
        title = Text(printable(document.title), style="bold" if is_open else "", end="")
        title.truncate(max(self.scrollable_content_region.width - 2, 8), overflow="ellipsis")
        annotated = self._annotated.get(document.id, 0)
        total = len(document.quick_passages())
        detail = f"{annotated}/{total} annotated" if total else "empty"
        return Text.assemble(
            ("▸ " if is_open else "  ", "bold"),
            title,
            "\n  ",
            (detail, "dim"),
            ("  ⚠" if document.lossy else "", "bold yellow"),
            end="",
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.OpenRequested(event.option_id))
