"""The `o` view: annotations whose words are gone from their document, kept until dealt with."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.app.render.marks import NOTE_MARK
from tui.app.screens import DIALOGS_CSS
from tui.store.model import Anchored, Highlight, PassageAnnotation
from tui.text import printable


def describe_orphan(orphan: Anchored) -> Text:
    kind = "highlight" if isinstance(orphan, Highlight) else "passage"
    quote = " ".join(orphan.quote.split())
    quote = quote if len(quote) <= 120 else quote[:119] + "…"
    text = Text.assemble(
        (printable(orphan.document), "bold"),
        f"  {kind} by {printable(orphan.annotator)}, was at {orphan.start}",
    )
    text.append("\n  «" + printable(quote) + "»")
    if isinstance(orphan, PassageAnnotation) and orphan.tags:
        text.append("\n  tags: " + ", ".join(printable(tag) for tag in orphan.tags), "dim")
    if orphan.note:
        note = " ".join(printable(orphan.note).split())
        note = note if len(note) <= 200 else note[:199] + "…"
        text.append(f"\n  {NOTE_MARK} {note}", "italic")
    return text


class OrphansView(ModalScreen[tuple[str, Anchored] | None]):
    """Returns ("attach", orphan) or ("delete", orphan), or None when closed."""

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
            tooltip="Delete the orphan for good (asks first).",
        ),
        Binding(
            "escape,o", "dismiss(None)", "Close", id="orphans.close", tooltip="Close the list."
        ),
    ]

    def __init__(self, orphans: list[Anchored]) -> None:
        super().__init__()
        self.orphans = orphans

    def compose(self) -> ComposeResult:
        with Vertical(id="orphans"):
            count = len(self.orphans)
            yield Label(
                f"Orphans: {count} annotation{'s' if count != 1 else ''} whose words are gone"
                if count
                else "No orphans: every annotation is anchored in its text.",
                id="orphans-title",
            )
            yield OptionList(
                *(Option(describe_orphan(o), id=str(i)) for i, o in enumerate(self.orphans)),
                markup=False,
                id="orphans-list",
            )
            yield Label("enter: attach again    x: delete    escape: close", id="orphans-keys")

    def _chosen(self) -> Anchored | None:
        highlighted = self.query_one(OptionList).highlighted
        return self.orphans[highlighted] if highlighted is not None else None

    def action_attach(self) -> None:
        if (orphan := self._chosen()) is not None:
            self.dismiss(("attach", orphan))

    def action_delete(self) -> None:
        if (orphan := self._chosen()) is not None:
            self.dismiss(("delete", orphan))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_attach()
