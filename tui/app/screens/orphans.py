"""The `o` view: annotations whose words are gone from their document, kept until dealt with."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.app.render.marks import NOTE_MARK
from tui.app.screens import DIALOGS_CSS
from tui.app.screens.confirm import Confirm
from tui.store.model import Anchored, Highlight, PassageAnnotation
from tui.text import printable, shortened


def describe_orphan(orphan: Anchored, article: str | None = None) -> Text:
    """An orphan in the list: its article (`article`, a title, else its id), whose it is,
    where it was, its words, tags and note."""
    if isinstance(orphan, Highlight):
        kind = "segment" if orphan.tags else "highlight"
    else:
        kind = "passage"
    quote = " ".join(orphan.quote.split())
    quote = quote if len(quote) <= 120 else quote[:119] + "…"
    text = Text.assemble(
        (printable(article or orphan.document), "bold"),
        f"  {kind} by {printable(orphan.annotator)}, was at {orphan.start}",
    )
    text.append("\n  «" + printable(quote) + "»")
    if isinstance(orphan, PassageAnnotation | Highlight) and orphan.tags:
        text.append("\n  tags: " + ", ".join(printable(tag) for tag in orphan.tags), "dim")
    if orphan.note:
        note = " ".join(printable(orphan.note).split())
        note = note if len(note) <= 200 else note[:199] + "…"
        text.append(f"\n  {NOTE_MARK} {note}", "italic")
    return text


class OrphansView(ModalScreen[Anchored | None]):
    """Returns the orphan to attach again, or None when closed. Deleting one keeps the list
    open, on the next orphan, until none is left."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding(
            "enter",
            "attach",
            "Attach",
            id="orphans.attach",
            tooltip="Attach the orphan again: go to its article and choose its new place.",
        ),
        Binding(
            "x",
            "delete",
            "Delete",
            id="orphans.delete",
            tooltip="Delete the orphan for good (asks first); the list stays open.",
        ),
        Binding(
            "escape,o", "dismiss(None)", "Close", id="orphans.close", tooltip="Close the list."
        ),
    ]

    def __init__(
        self,
        orphans: list[Anchored],
        articles: Mapping[str, str],
        may_change: Callable[[Anchored], bool],
        delete: Callable[[Anchored], bool],
    ) -> None:
        """`articles` names each orphan's article by its id; `may_change` says whether the
        user may attach or delete an orphan (if not, it tells them why); `delete` deletes one
        (False: it could not, and said why)."""
        super().__init__()
        self.orphans = list(orphans)
        self.articles = articles
        self.may_change = may_change
        self.delete = delete

    def compose(self) -> ComposeResult:
        with Vertical(id="orphans"):
            yield Label(self._title(), id="orphans-title")
            yield OptionList(*self._options(), markup=False, id="orphans-list")
            yield Label("enter: attach again    x: delete    escape: close", id="orphans-keys")

    def on_mount(self) -> None:
        # On the first orphan at once: enter and x act on it even before the list has focus.
        self.query_one(OptionList).highlighted = 0

    def _title(self) -> str:
        count = len(self.orphans)
        return f"Orphans: {count} annotation{'s' if count != 1 else ''} whose words are gone"

    def _options(self) -> list[Option]:
        return [
            Option(describe_orphan(o, self.articles.get(o.document)), id=str(i))
            for i, o in enumerate(self.orphans)
        ]

    def _chosen(self) -> Anchored | None:
        try:
            highlighted = self.query_one(OptionList).highlighted
        except NoMatches:  # a key typed right after o, before the list is made
            highlighted = None
        if highlighted is None:  # before on_mount: the first orphan is the one shown
            highlighted = 0
        return self.orphans[highlighted] if self.orphans else None

    def action_attach(self) -> None:
        if (orphan := self._chosen()) is not None and self.may_change(orphan):
            self.dismiss(orphan)

    def action_delete(self) -> None:
        orphan = self._chosen()
        if orphan is None or not self.may_change(orphan):
            return

        def answered(sure: bool | None) -> None:
            if sure and self.delete(orphan):
                self._deleted(orphan)

        question = f"Delete for good the orphan «{shortened(orphan.quote, 40)}»?"
        self.app.push_screen(Confirm(question), answered)

    def _deleted(self, orphan: Anchored) -> None:
        """The list without `orphan`, on the one after it (or before it, if it was last)."""
        at = self.orphans.index(orphan)
        self.orphans.remove(orphan)
        if not self.orphans:
            self.dismiss(None)
            return
        options = self.query_one(OptionList)
        options.set_options(self._options())
        options.highlighted = min(at, len(self.orphans) - 1)
        self.query_one("#orphans-title", Label).update(self._title())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_attach()
