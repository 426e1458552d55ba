"""The Textual app: a thin shell that shows the main screen over an open corpus and store."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from tui.app.commands import GloseCommands, action_commands, main_screen
from tui.app.screens.main import MainScreen
from tui.app.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmall
from tui.corpus import Corpus
from tui.corpus.display import printable
from tui.store import Store, StoreError


class GloseApp(App[None]):
    """glose's reader. The corpus and store are opened by the caller and outlive the app."""

    CSS_PATH = "glose.tcss"
    TITLE = "glose"
    COMMANDS = App.COMMANDS | {GloseCommands}
    BINDINGS = [
        # Every change is saved as it shows, so ctrl+c may quit at once like everywhere else.
        # Not a priority binding: in the note editor and the tag prompt ctrl+c copies, as there.
        Binding(
            "ctrl+c",
            "quit",
            "Quit",
            show=False,
            id="app.interrupt",
            tooltip="Quit. Every change is already saved.",
        ),
    ]

    def __init__(self, corpus: Corpus, store: Store, readonly_reason: str | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        self.readonly_reason = readonly_reason

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.corpus, self.store, self.readonly_reason)

    def on_mount(self) -> None:
        # The theme chosen last time (from the palette: ctrl+p, "Theme"), if it still exists.
        chosen = self.store.get_state("theme", None)
        if isinstance(chosen, str) and chosen in self.available_themes:
            self.theme = chosen
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme: Theme) -> None:
        if not self.store.readonly and self.store.get_state("theme", None) != theme.name:
            try:
                self.store.set_state("theme", theme.name)
            except StoreError as error:  # a preference: said, and the session goes on
                self.notify(str(error), title="Theme", severity="warning")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = main_screen(self)
        if main is not None and screen is main:
            yield from action_commands(main)

    def on_resize(self, event: events.Resize) -> None:
        # Over every screen, dialogs included: below the minimum nothing else is drawn.
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmall)
        if small and not showing:
            self.push_screen(TooSmall())
        elif showing and not small:
            self.pop_screen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry file names, tag names and errors: never markup, never escapes.

        Widgets pass `markup=True` by default: it is ignored here, whoever asks.
        """
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )
