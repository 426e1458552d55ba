"""The Textual app: a thin shell that shows the main screen over an open corpus and store."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from tui.app.commands import GloseCommands, action_commands, main_screen
from tui.app.screens.main import MainScreen
from tui.app.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmall
from tui.corpus import Corpus
from tui.settings import Settings
from tui.store import Store, StoreError
from tui.store.readonly import ReadOnlyReason
from tui.text import Lines, printable


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

    def __init__(
        self,
        corpus: Corpus,
        store: Store,
        readonly_reason: ReadOnlyReason | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        self.readonly_reason = readonly_reason
        self.settings = settings or Settings()
        """The settings files' choices (tui.settings); the store's own memory wins over them."""

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.corpus, self.store, self.readonly_reason)

    def on_ready(self) -> None:
        # Textual sends Ready once the first frame is drawn: reading in the background starts
        # then, not while the first frame waits for the GIL (a book's read takes a while).
        main = main_screen(self)
        if main is not None:
            main.after_first_frame()

    def on_mount(self) -> None:
        problems = list(self.settings.problems)
        keymap, unknown = self._settings_keymap()
        problems.extend(unknown)
        if keymap:
            self.set_keymap(keymap)
        # The theme chosen last time (from the palette: ctrl+p, "Theme"), if it still exists;
        # else the settings' theme, which is a default and not remembered as a choice.
        chosen = self.store.get_state("theme", None)
        wanted = self.settings.theme
        if wanted is not None and wanted not in self.available_themes:
            problems.append(
                f'Settings: theme "{wanted}" is not a theme here (ctrl+p, Theme, lists them); '
                "ignored."
            )
            wanted = None
        if isinstance(chosen, str) and chosen in self.available_themes:
            self.theme = chosen
        elif wanted is not None:
            self.theme = wanted
        # Textual publishes the change with call_next: listen only after that.
        self.call_next(self.theme_changed_signal.subscribe, self, self._remember_theme)
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)

    def _settings_keymap(self) -> tuple[dict[str, str], list[str]]:
        """The settings' keys for bindings that exist, and a sentence for each id that does not
        and each key taken from another binding."""
        keys = self.settings.keys
        if not keys:
            return {}, []
        from difflib import get_close_matches

        by_class = glose_bindings()
        known = {binding.id for found in by_class.values() for binding in found if binding.id}
        problems = []
        for binding_id in sorted(set(keys) - known):
            close = get_close_matches(binding_id, sorted(known), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(
                f'Settings: there is no binding "{binding_id}"{hint}; its keys are ignored '
                "(docs/keys.md lists the binding ids)."
            )
        keymap = {name: value for name, value in keys.items() if name in known}
        return keymap, problems + clashes(keymap, by_class)

    def bound(self, binding: Binding) -> Binding:
        """`binding` with the keys the settings give it: what the help and the palette show."""
        keys = self.settings.keys.get(binding.id or "")
        return binding if keys is None else binding.with_key(keys, key_display=None)

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

    def on_key(self, event: events.Key) -> None:
        # Runs before the bindings are looked up. A key typed at once with the one that opened
        # the dialog on top (a terminal delivers a fast "/securite" in one read) was sent to
        # the main screen's panes before the dialog was up: it is the dialog's; and one typed
        # with a key whose dialog was refused is dropped, not run as a command.
        main, top = main_screen(self), self.screen
        if main is not None and main.typed_for_refused_dialog(event):
            event.stop()
            event.prevent_default()
            return
        if main is not None and top is not main and event in main.sent_here:
            from tui.app.screens.type_ahead import typed_into  # not for the first frame

            if typed_into(top, event):  # in its place among the keys typed after it
                return
            event.stop()
            event.prevent_default()
            self.post_message(events.Key(event.key, event.character))  # typed again, now

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

        Widgets pass `markup=True` by default: it is ignored here, whoever asks. Only `Lines`
        keep their line breaks, being printable line by line already.
        """
        super().notify(
            message if isinstance(message, Lines) else printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )


def glose_bindings() -> dict[str, list[Binding]]:
    """Each of glose's screens and widgets by name, with its bindings one key each, as Textual
    merges them (its own over those of the classes it is built on)."""
    import tui.app

    # Dialogs are imported when first opened: import them all so their bindings are known.
    for module in pkgutil.walk_packages(tui.app.__path__, "tui.app."):
        importlib.import_module(module.name)
    found: dict[str, list[Binding]] = {}
    for node_class in _subclasses(DOMNode):
        if not node_class.__module__.startswith("tui.app."):
            continue
        by_key: dict[str, list[Binding]] = {}
        for ancestor in reversed(node_class.__mro__):
            if issubclass(ancestor, DOMNode):
                by_key.update(BindingsMap(vars(ancestor).get("BINDINGS", [])).key_to_bindings)
        found[node_class.__name__] = [binding for held in by_key.values() for binding in held]
    return found


def binding_ids() -> set[str]:
    """Every binding id a keymap may name."""
    return {binding.id for held in glose_bindings().values() for binding in held if binding.id}


def clashes(keymap: dict[str, str], by_class: dict[str, list[Binding]]) -> list[str]:
    """A sentence for each key the keymap gives to a binding of a screen or widget that has
    another binding on that key: Textual takes the key from the other one."""
    found: dict[tuple[str, frozenset[str]], list[str]] = {}
    spelled: dict[str, str] = {}  # "?" and "question_mark" are one key: said as written
    for class_name, bindings in sorted(by_class.items()):
        holders: dict[str, set[str]] = {}
        for binding in bindings:
            name = binding.id or binding.action
            if binding.id in keymap:
                for key in keymap[binding.id].split(","):
                    spelled.setdefault(_key_name(key), key.strip())
                    holders.setdefault(_key_name(key), set()).add(name)
            else:
                holders.setdefault(_key_name(binding.key), set()).add(name)
        for key, names in holders.items():
            if len(names) > 1 and names & keymap.keys():
                found.setdefault((key, frozenset(names)), []).append(class_name)
    sentences = []
    for (key, names), where in found.items():
        given, losing = _quoted(names & keymap.keys()), _quoted(names - keymap.keys())
        place = ", ".join(where)
        if losing:
            sentences.append(
                f'Settings: {given} gets the key "{spelled[key]}" from {losing} ({place}), '
                "which no longer has it."
            )
        else:
            sentences.append(
                f'Settings: {given} are given the same key "{spelled[key]}" ({place}): only one '
                "of them keeps it."
            )
    return sentences


def _quoted(names: set[str]) -> str:
    return " and ".join(f'"{name}"' for name in sorted(names))


def _key_name(key: str) -> str:
    key = key.strip()
    return key_to_character(key) or key


def _subclasses(cls: type) -> Iterator[type]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)
