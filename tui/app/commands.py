"""The command palette (`ctrl+p`): every key's action by name, a tag for the current passage,
an article to open."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher

from tui.app.actions.tag_verbs import TAG_VERBS
from tui.text import printable

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


def main_screen(app) -> MainScreen | None:
    from tui.app.screens.main import MainScreen

    bottom = app.screen_stack[0] if app.screen_stack else None
    return bottom if isinstance(bottom, MainScreen) else None


def action_commands(main: MainScreen) -> Iterator[SystemCommand]:
    """A command for each key of the main screen and its panes, named as the help names it."""
    seen: set[str] = set()
    nodes: list[DOMNode] = [main, main.reader, *main.query("ArticleList, TagSidebar")]
    for node in nodes:
        for binding in node.BINDINGS:
            if not isinstance(binding, Binding) or binding.action in seen:
                continue
            if binding.action.startswith("toggle_tag("):
                continue  # the palette has each tag by name: "tag current passage: …"
            seen.add(binding.action)
            # The help's words for it (its first sentence), which say more than a footer label.
            title, more = split_tooltip(binding.tooltip)
            title = title or binding.description
            if not title:
                continue
            key = main.app.get_key_display(main.app.bound(binding))  # the settings' keys
            yield SystemCommand(
                markup_safe(printable(f"{title} ({key})")),
                markup_safe(printable(more)),  # the rest only: the title says the first part
                partial(main.app.run_action, binding.action, node),
            )


def split_tooltip(tooltip: str) -> tuple[str, str]:
    """A key's help as a command's title (its first sentence or clause) and the rest, which
    goes under it ("" when the title says it all); the rest keeps its case (`j`, not `J`)."""
    title = tooltip.split(". ")[0].split("; ")[0]
    return title.rstrip("."), tooltip[len(title) :].lstrip(".;").strip()


def highlighted(matcher: Matcher, text: str) -> Content:
    """`Matcher.highlight` reads its candidate as markup; tag names and titles are data."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets if score else ():
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def markup_safe(text: str) -> str:
    """A line the palette reads as markup (Textual's titles, every help line): brackets
    escaped, so that file names and the like show as they are."""
    return text.replace("[", "\\[")


class GloseCommands(Provider):
    """Tags and articles by name: `tag current passage: politique`, `open article: IBM…`."""

    def _commands(self) -> Iterator[tuple[str, str, partial[None]]]:
        main = main_screen(self.app)
        if main is None:
            return
        tags = main.store.tags()
        for tag in tags:
            yield (
                f"tag current passage: {printable(tag.name)}",
                "Add or remove this tag where its key would: selection, segment or passage.",
                partial(main.toggle_tag_named, tag.name),
            )
        for tag in tags:
            for verb in TAG_VERBS:
                yield (
                    f"{verb.command}: {printable(tag.name)}",
                    verb.command_help,
                    partial(main.manage_tag, verb.name, tag.name),
                )
        for document in list(main.corpus.documents):
            # The catalog's title, or the file name: the palette never reads a file.
            title = document.known_title or document.relpath
            yield (
                f"open article: {printable(title)}",
                # The palette reads help lines as markup: a file name is data.
                markup_safe(printable(document.relpath)),
                partial(main.open_by_id, document.id),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlighted(matcher, text), callback, text=text, help=help_text)

    async def discover(self) -> Hits:
        main = main_screen(self.app)
        if main is None:
            return
        for text, help_text, callback in self._commands():
            if text.startswith("tag "):  # ten thousand articles would bury the rest
                yield DiscoveryHit(text, callback, text=text, help=help_text)
