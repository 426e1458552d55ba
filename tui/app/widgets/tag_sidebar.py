"""The tag sidebar: the tag tree (levels of `a/b` names folded under their parent), keys
1-9 first, with colours and the passages under each, and keys that manage the tags."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.actions.tag_verbs import TAG_VERBS
from tui.app.render.marks import HIGHLIGHT_MARK, NOTE_MARK, TAG_MARK, tag_style
from tui.store import Tag
from tui.store.codebook import TagNode, flattened, path_of, tag_tree
from tui.text import printable

HIGHLIGHTS = "\x00highlights"
NOTES = "\x00notes"
LEVEL = "\x00level:"
"""Ids of the last two entries and the prefix of a level no tag is named after; no tag name
holds a control character, so none is taken."""


class TagSidebar(OptionList):
    """Every tag with its key, colour and how many passages carry it in the corpus, then the
    highlights and the notes; `enter` lists where they are."""

    BINDINGS = [
        Binding(
            "enter",
            "select",
            "Where",
            id="tags.where",
            tooltip="List every passage with the highlighted tag (or a tag under it) across "
            "the corpus, or every highlight, every note, and go to one.",
        ),
        Binding("j", "cursor_down", "Down", show=False, id="tags.down", tooltip="Next tag."),
        Binding("k", "cursor_up", "Up", show=False, id="tags.up", tooltip="Previous tag."),
        Binding(
            "space",
            "fold",
            "Fold",
            id="tags.fold",
            tooltip="Fold or unfold the tags under the highlighted one (left folds, right "
            "unfolds).",
        ),
        Binding("left", "fold(True)", "Fold", show=False, id="tags.fold_in", tooltip="Fold."),
        Binding(
            "right", "fold(False)", "Unfold", show=False, id="tags.fold_out", tooltip="Unfold."
        ),
        *(
            Binding(
                verb.key,
                f"manage('{verb.name}')",
                verb.label,
                id=verb.binding_id,
                tooltip=verb.tooltip,
            )
            for verb in TAG_VERBS
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

    @dataclass
    class Manage(Message):
        """The user wants to change a tag (or a level of the tree): `what` is the name of
        one of TAG_VERBS."""

        what: str
        path: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.tags: list[Tag] = []
        self.counts: dict[str, int] = {}
        self.highlight_count = self.note_count = 0
        self.folded: set[str] = set()
        """Levels whose tags are hidden, by casefolded path."""
        self.nodes: dict[str, TagNode] = {}
        self.is_tree = False
        """The tree's nodes shown, by option id."""
        self._shown_width = 0
        """The width the names were cut to fit."""

    def on_mount(self) -> None:
        self.border_title = "Tags"

    def show_tags(
        self, tags: list[Tag], counts: dict[str, int], highlights: int = 0, notes: int = 0
    ) -> None:
        highlighted = self.highlighted
        was = self.get_option_at_index(highlighted).id if highlighted is not None else None
        shown_before = list(self.nodes)
        self.tags = list(tags)
        self.counts = dict(counts)
        self.highlight_count, self.note_count = highlights, notes
        self._shown_width = self.scrollable_content_region.width
        shown = flattened(tag_tree(tags, counts), self.folded)
        self.nodes = {_option_id(node): node for node in shown}
        # A column for the fold marks only when some tag has levels under it.
        self.is_tree = any(node.children or node.depth for node in shown)
        options: list[Option | None] = [
            Option(self._prompt(node), id=option_id) for option_id, node in self.nodes.items()
        ]
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
            # The same tag stays under the cursor when a change moves it (a new key, a name).
            ids = [option.id for option in options if option is not None and option.id]
            if was not in ids:
                # Gone (deleted): the tag after it, else the one before, stays in view.
                was = neighbour(shown_before, was, self.nodes)
            if was in ids:
                self.highlighted = self.get_option_index(was)
            else:
                index = min(highlighted, self.option_count - 1)
                while self.get_option_at_index(index).disabled:  # "No tags yet"
                    index += 1  # Highlights and Notes follow it, never disabled
                self.highlighted = index

    def on_focus(self) -> None:
        # Focused, the sidebar is ready for enter: something must be highlighted.
        if self.highlighted is None and self.option_count:
            self.action_first()

    def _fit_width(self) -> None:
        """Cut the names again if the width changed since they were cut."""
        if self._shown_width != self.scrollable_content_region.width:
            self.show_tags(self.tags, self.counts, self.highlight_count, self.note_count)

    def on_resize(self) -> None:
        self._fit_width()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Names are cut to the width: in the first frame, before its Resize arrives, too.
        self._fit_width()
        return super().render_lines(crop)

    async def _on_click(self, event: events.Click) -> None:
        # A click on a tag toggles it on the current passage, as its key does; enter (and a
        # click on Highlights or Notes) lists where they are.
        event.prevent_default()  # OptionList's own click would select: list where it is
        clicked = event.style.meta.get("option")
        if clicked is None or self.get_option_at_index(clicked).disabled:
            return
        self.highlighted = clicked
        option_id = self.get_option_at_index(clicked).id
        node = self.nodes.get(option_id or "")
        if node is None:
            self.action_select()
        elif node.tag is None:
            self.action_fold()  # a level without a tag of its own: nothing to put on a passage
        else:
            self.post_message(self.ToggleRequested(node.tag.name))

    @property
    def highlighted_node(self) -> TagNode | None:
        """The node of the tree under the cursor (None on Highlights, Notes or nothing)."""
        if self.highlighted is None:
            return None
        return self.nodes.get(self.get_option_at_index(self.highlighted).id or "")

    def highlight_tag(self, name: str) -> None:
        """Put the cursor on the tag (or level of the tree) called `name`, if it shows."""
        folded = path_of(name).casefold()
        for index, node in enumerate(self.nodes.values()):
            if (node.tag and node.tag.name == name) or node.path.casefold() == folded:
                self.highlighted = index
                return

    def action_fold(self, fold: bool | None = None) -> None:
        node = self.highlighted_node
        if node is None or not node.children:
            return
        key = node.path.casefold()
        if fold is None:
            fold = key not in self.folded
        if fold:
            self.folded.add(key)
        else:
            self.folded.discard(key)
        self.show_tags(self.tags, self.counts, self.highlight_count, self.note_count)

    def action_manage(self, what: str) -> None:
        node = self.highlighted_node
        if node is None:
            self.app.notify("Highlight a tag first (j and k move in the list).")
            return
        self.post_message(self.Manage(what, node.tag.name if node.tag else node.path))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        node = self.nodes.get(event.option_id or "")
        if node is not None:
            self.post_message(self.Chosen(node.tag.name if node.tag else node.path))
        elif event.option_id is not None:
            self.post_message(self.Chosen(event.option_id))

    def _entry(self, mark: str, label: str, count: int) -> Text:
        margin = 3 if self.is_tree else 2
        room = max(self.scrollable_content_region.width - 3 - margin - len(str(count)) - 1, 4)
        text = Text.assemble(" " * margin, (mark, "bold"), " ", no_wrap=True, end="")
        shown = Text(label, end="")
        shown.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(shown)
        text.append(f" {count}", "dim")
        return text

    def _prompt(self, node: TagNode) -> Text:
        tag = node.tag
        count = str(node.count)
        key = str(tag.key) if tag is not None and tag.key is not None else " "
        name = printable(node.label)
        fold = " " if self.is_tree else ""
        if node.children:
            fold = "▸" if node.path.casefold() in self.folded else "▾"
        indent = "  " * node.depth
        room = self.scrollable_content_region.width - 5 - len(fold + indent) - len(count) - 1
        room = max(room, 4)
        text = Text.assemble(
            (key, "bold"),
            " ",
            indent,
            (fold, "dim"),
            (TAG_MARK, tag_style(tag.color)) if tag is not None else " ",
            " ",
            no_wrap=True,
            end="",
        )
        shown = Text(name, no_wrap=True, overflow="ellipsis", end="")
        shown.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(shown)
        text.append(" " + count, "dim")
        return text


def neighbour(before: list[str], gone: str | None, now: Container[str]) -> str | None:
    """The option of `before` nearest after `gone` that is still shown (`now`), else the
    nearest before it; None when none is left or `gone` was not among them."""
    if gone not in before:
        return None
    at = before.index(gone)
    return next((o for o in [*before[at + 1 :], *before[:at][::-1]] if o in now), None)


def _option_id(node: TagNode) -> str:
    return node.tag.name if node.tag is not None else LEVEL + node.path
