"""The `?` screen: the focused pane's keys and those that work anywhere, with a line saying
what each does, as the settings bind them."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from tui.app.screens import DIALOGS_CSS
from tui.text import printable


class HelpScreen(ModalScreen[None]):
    """Read-only list of keys; any of escape, q or ? closes it."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding(
            "escape,q,question_mark",
            "dismiss",
            "Close",
            id="help.close",
            tooltip="Close the help screen.",
        ),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]], footer: str = "") -> None:
        super().__init__()
        self.sections = sections
        self.footer = footer

    @classmethod
    def for_panes(
        cls, panes: dict[type[Widget], str], focused: Widget | None, anywhere: list[Binding]
    ) -> HelpScreen:
        """The keys of the focused one of `panes` (by their titles), then those that work
        `anywhere`; the footer says how to reach the others."""
        sections = [
            (f"{title} (focused)", list(pane.BINDINGS))
            for pane, title in panes.items()
            if isinstance(focused, pane)
        ]
        sections.append(("Anywhere", anywhere))
        others = [title.lower() for pane, title in panes.items() if not isinstance(focused, pane)]
        footer = f"tab moves to the {' and the '.join(others)}; ? there lists their keys."
        return cls(sections, footer)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._table(), id="help-table")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "escape closes"

    def keys_of(self, binding: Binding) -> str:
        bound = getattr(self.app, "bound", None)  # the keys the settings give it
        binding = bound(binding) if bound is not None else binding
        if binding.key_display:
            return binding.key_display
        keys = [key.strip() for key in binding.key.split(",")]
        shown = " / ".join(self.app.get_key_display(binding.with_key(key)) for key in keys)
        return printable(shown)  # keys may come from a settings file: data

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for title, bindings in self.sections:
            table.add_row(Text(title, style="bold underline"), "")
            groups_shown: set[Binding.Group] = set()
            for binding in bindings:
                if binding.group is not None:
                    if binding.group in groups_shown:
                        continue  # a group (keys 1-9) is one line, under its first key
                    groups_shown.add(binding.group)
                explanation = binding.tooltip or binding.description
                table.add_row(Text(self.keys_of(binding)), Text(explanation))
            table.add_row("", "")
        if self.footer:
            table.add_row("", Text(self.footer, style="italic"))
        return table
