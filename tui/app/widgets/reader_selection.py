"""Selecting words (v, w, b, the arrows) and passages (V) in the reader: a part of `Reader`,
kept apart by subject."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from tui.app.render.selection import (
    Selection,
    next_character,
    next_word,
    previous_character,
    previous_word,
    started,
)
from tui.corpus.passages import index_at

if TYPE_CHECKING:
    from tui.corpus import Document, Passage
    from tui.store.model import Highlight


class SelectingWords:
    """The reader's selection of words and of passages, and the keys that make them."""

    SELECTION_ACTIONS: ClassVar[frozenset[str]]
    selection: Selection | None
    range_start: int | None
    document: Document | None
    passages: list[Passage]
    current: int
    active_highlight: int | None
    _strips: Any

    if TYPE_CHECKING:

        @property
        def current_passage(self) -> Passage | None: ...
        @property
        def highlight_under_cursor(self) -> Highlight | None: ...
        def go_to(self, index: int, *, top: bool = False, scroll: bool = True) -> None: ...
        def refresh(self, *args: Any, **kwargs: Any) -> Any: ...
        def refresh_bindings(self) -> None: ...
        def post_message(self, message: Any) -> bool: ...

    # Selecting words

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Selection keys exist only while selecting: otherwise escape, arrows, w and b pass on.
        if action == "leave_selection":
            return (
                self.selection is not None
                or self.range_start is not None
                or self.highlight_under_cursor is not None
            )
        if action in self.SELECTION_ACTIONS:
            return self.selection is not None
        return True

    def action_start_selection(self) -> None:
        passage = self.current_passage
        if passage is None or self.document is None:
            return
        self._select(started(self.document.text, self.selection, passage.start, passage.end))

    def action_select_word_forward(self) -> None:
        self._move_caret(next_word)

    def action_select_word_back(self) -> None:
        self._move_caret(previous_word)

    def action_select_char_forward(self) -> None:
        self._move_caret(next_character)

    def action_select_char_back(self) -> None:
        self._move_caret(previous_character)

    def action_leave_selection(self) -> None:
        if self.selection is None and self.range_start is not None:
            self.leave_range()
            return
        if self.selection is None and self.active_highlight is not None:
            # Off the segment: the annotation keys act on the passage again.
            self.active_highlight = None
            self._strips.clear()
            self.refresh()
            return
        self._select(None)

    # Selecting passages

    @property
    def passage_range(self) -> range | None:
        """The passages selected with V (the current one at one end), or None."""
        if self.range_start is None or not self.passages:
            return None
        low, high = sorted((self.range_start, self.current))
        return range(low, high + 1)

    def action_start_range(self) -> None:
        if self.range_start is not None:
            self.leave_range()
            return
        if not self.passages:
            return
        self._select(None)
        self.range_start = self.current
        self._range_changed()

    def leave_range(self) -> None:
        if self.range_start is not None:
            self.range_start = None
            self._range_changed()

    def _range_changed(self) -> None:
        self._strips.clear()
        self.refresh()
        self.refresh_bindings()
        self.post_message(self.SelectionChanged(self, self.selection))

    def _move_caret(self, move: Callable[[str, Selection], int]) -> None:
        if self.selection is None or self.document is None:
            return
        text = self.document.text
        self._select(self.selection.moved_to(move(text, self.selection), len(text)))
        # The passage where the caret is becomes current, so the selection stays in view.
        self.go_to(self._passage_of(max(self.selection.caret - 1, self.selection.start)))

    def _select(self, selection: Selection | None) -> None:
        self.selection = selection
        self._strips.clear()
        self.refresh()
        self.refresh_bindings()
        self.post_message(self.SelectionChanged(self, selection))

    def _passage_of(self, offset: int) -> int:
        return index_at(self.passages, offset)
