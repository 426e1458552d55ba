"""The `t` prompt: type a tag name, with completion from the existing tags."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.app.render.marks import TAG_MARK, tag_style
from tui.app.screens import DIALOGS_CSS
from tui.app.screens.type_ahead import type_ahead
from tui.corpus.folding import fold
from tui.store import Tag, TagNameError, clean_tag_name
from tui.store.codebook import SEPARATOR, path_of
from tui.store.model import TAG_NAME_MAX
from tui.text import printable


def folded_name(name: str) -> str:
    """A tag name as names are told apart: by its levels, case and accents aside."""
    return fold(path_of(name))


def same_tag(typed: str, tags: list[Tag]) -> Tag | None:
    """The tag that `typed` names, case and accents aside (`economie` is `Économie`)."""
    folded = folded_name(typed)
    return next((tag for tag in tags if folded_name(tag.name) == folded), None)


def rewritten(typed: str) -> list[str]:
    """Why a name as typed is stored otherwise: what `clean_tag_name` drops around `/`."""
    levels = typed.strip().split(SEPARATOR)
    if len(levels) == 1:
        return []
    why = []
    if not levels[0].strip():
        why.append(f"a name cannot start with {SEPARATOR}")
    if not levels[-1].strip():
        why.append(f"a name cannot end with {SEPARATOR}")
    if any(not level.strip() for level in levels[1:-1]):
        why.append("an empty level is left out")
    if any(level.strip() and level != level.strip() for level in levels):
        why.append(f"spaces around {SEPARATOR} are left out")
    return why


@dataclass(frozen=True, slots=True)
class Named:
    """The tag name to use, and what to tell the user when it is not the name typed."""

    name: str
    said: str | None = None


def named(typed: str, tags: list[Tag]) -> Named:
    """The tag `typed` stands for: an existing tag of that name (case and accents aside), or
    a new name as it will be stored (TagNameError when it cannot be one)."""
    existing = same_tag(typed, tags)
    why = rewritten(typed)
    if existing is not None:
        if existing.name == typed.strip():
            return Named(existing.name)
        because = "; ".join(why) or "names differing only in case or accents are one tag"
        return Named(existing.name, f"Tagged with the existing tag “{existing.name}” ({because}).")
    name = clean_tag_name(typed)
    return Named(name, f"Tag named “{name}” ({'; '.join(why)})." if why else None)


class NameSuggester(Suggester):
    """Suggests the first tag whose name starts with what is typed, as typed: the input shows
    the rest of the name after the typed text, so "eco" + "nomie" would read as a name that
    does not exist. Accents and case aside, tab and the hint complete instead."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        return next((name for name in self.names if name.startswith(value)), None)


class TagPrompt(ModalScreen[Named | None]):
    """Returns the tag to apply (and what to say of its name), or None when cancelled."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding(
            "enter",
            "apply",
            "Apply",
            id="prompt.apply",
            tooltip="Apply the typed tag, creating it when new; an empty name is refused.",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="prompt.cancel",
            tooltip="Close the prompt without tagging.",
        ),
        Binding(
            "tab",
            "complete",
            "Complete",
            id="prompt.complete",
            tooltip="Complete the name with the first matching tag.",
        ),
        Binding(
            "down",
            "next_match",
            show=False,
            id="prompt.down",
            tooltip="Choose the next matching tag.",
        ),
        Binding(
            "up",
            "previous_match",
            show=False,
            id="prompt.up",
            tooltip="Choose the previous matching tag.",
        ),
    ]

    def __init__(self, tags: list[Tag], title: str = "Tag the current passage") -> None:
        super().__init__()
        self.tags = tags
        self.title_text = title
        """What is tagged: the current passage, the selected words, a segment's words."""

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-prompt"):
            yield Label(self.title_text, id="tag-prompt-title", markup=False)
            yield Input(
                placeholder="tag name (new names create a tag)",
                suggester=NameSuggester([t.name for t in self.tags]),
                id="tag-name",
            )
            yield Label("", id="tag-prompt-hint", markup=False)
            yield OptionList(markup=False, id="tag-matches")
            yield Label("", id="tag-prompt-message", markup=False)

    def on_key(self, event: events.Key) -> None:
        type_ahead(self, self.query_one("#tag-name", Input), event)

    def on_mount(self) -> None:
        self._show_matches("")
        self._show_hint("")

    @on(Input.Changed, "#tag-name")
    def _typed(self, event: Input.Changed) -> None:
        shown = printable(event.value)
        if shown != event.value:
            # A paste with control characters: they never reach the input's display.
            kept = "".join(c for c, s in zip(event.value, shown, strict=True) if c == s)
            with event.input.prevent(Input.Changed):
                event.input.value = kept
            self.query_one("#tag-prompt-message", Label).update(
                "Control characters were left out: a tag name cannot hold them."
            )
        else:
            self.query_one("#tag-prompt-message", Label).update("")
        self._show_matches(event.value)
        self._show_hint(event.value)

    def _show_hint(self, typed: str) -> None:
        """Say what enter will do, so a half-typed name never becomes a tag by surprise."""
        name = typed.strip()
        exact = self._exact(name)
        completion = self._completion(name)
        parts = []
        if not name:
            parts.append("type a name")
        elif exact is not None:
            parts.append(f"enter: tag “{printable(exact.name)}”")
        else:
            parts.append(self._new_name_hint(typed))
        if name and completion is not None:
            parts.append(f"tab: “{printable(completion.name)}”")
        parts.append("escape: cancel")
        self.query_one("#tag-prompt-hint", Label).update(Text("  ·  ".join(parts), style="dim"))

    @staticmethod
    def _new_name_hint(typed: str) -> str:
        """What enter does with a name no tag has: make it, or nothing, and why."""
        try:
            clean_tag_name(typed)
        except TagNameError as error:
            length = len(path_of(typed))
            if length > TAG_NAME_MAX:  # counted as it grows, so the user sees how far over
                return f"{length} characters: {TAG_NAME_MAX} at most"
            return str(error).removesuffix(".")
        return f"enter: new tag “{printable(typed.strip())}”"

    def _matches(self, typed: str) -> list[Tag]:
        folded = fold(typed.strip())
        return [t for t in self.tags if folded in fold(t.name)]

    def _show_matches(self, typed: str) -> None:
        matches = self.query_one("#tag-matches", OptionList)
        matches.set_options(
            Option(
                Text.assemble((TAG_MARK + " ", tag_style(t.color)), printable(t.name)), id=t.name
            )
            for t in self._matches(typed)
        )
        matches.display = matches.option_count > 0

    @on(Input.Submitted, "#tag-name")
    def _submitted(self, event: Input.Submitted) -> None:
        self._apply(event.value)

    def action_apply(self) -> None:
        self._apply(self.query_one("#tag-name", Input).value)

    def _apply(self, typed: str) -> None:
        try:
            choice = named(typed, self.tags)
        except TagNameError as error:
            self.query_one("#tag-prompt-message", Label).update(str(error))
            return
        self.dismiss(choice)

    @on(OptionList.OptionSelected, "#tag-matches")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.dismiss(Named(event.option_id))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _exact(self, typed: str) -> Tag | None:
        return same_tag(typed, self.tags) if typed.strip() else None

    def _completion(self, typed: str) -> Tag | None:
        """What tab puts in the input: the tag the inline suggestion shows (one starting with
        what was typed, as typed), else one starting with it case and accents aside, else the
        first other tag holding it."""
        exact = self._exact(typed)
        others = [tag for tag in self._matches(typed) if tag is not exact]
        folded = fold(typed.strip())
        as_typed = [tag for tag in others if tag.name.startswith(typed.strip())]
        starting = [tag for tag in others if fold(tag.name).startswith(folded)]
        return (as_typed or starting or others or [None])[0]

    def action_complete(self) -> None:
        name_input = self.query_one("#tag-name", Input)
        completion = self._completion(name_input.value)
        if completion is not None:
            name_input.value = completion.name
            name_input.cursor_position = len(name_input.value)

    def _move(self, step: int) -> None:
        matches = self.query_one("#tag-matches", OptionList)
        if not matches.option_count:
            return
        current = matches.highlighted
        index = 0 if current is None else (current + step) % matches.option_count
        matches.highlighted = index
        option_id = matches.get_option_at_index(index).id
        if option_id is not None:
            name_input = self.query_one("#tag-name", Input)
            with name_input.prevent(Input.Changed):
                name_input.value = option_id
            name_input.cursor_position = len(option_id)
            self._show_hint(option_id)

    def action_next_match(self) -> None:
        self._move(+1)

    def action_previous_match(self) -> None:
        self._move(-1)
