"""Moving the end of a selection by word or by character, over a whole document's text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Selection:
    """Words being selected: `anchor` stays where `v` (or the mouse) started, `caret` moves."""

    anchor: int
    caret: int

    @property
    def start(self) -> int:
        return min(self.anchor, self.caret)

    @property
    def end(self) -> int:
        return max(self.anchor, self.caret)

    def moved_to(self, caret: int, length: int) -> Selection:
        return Selection(self.anchor, max(0, min(caret, length)))


def first_word(text: str, start: int, end: int) -> Selection | None:
    """The first word of `text[start:end]`, selected."""
    found = _WORD.search(text, start, end)
    return Selection(found.start(), found.end()) if found else None


def next_word(text: str, selection: Selection) -> int:
    """Where `w` takes the caret: the end of the next word; while the caret is before the
    anchor (a selection growing backwards), the start of the next word short of the anchor."""
    caret, anchor = selection.caret, selection.anchor
    for match in _WORD.finditer(text, caret):
        if caret < anchor and caret < match.start() < anchor:
            return match.start()
        if match.end() > caret:
            return match.end() if match.end() > anchor or caret >= anchor else anchor
    return caret


def previous_word(text: str, selection: Selection) -> int:
    """Where `b` takes the caret: the end of the previous word while past the anchor, the
    start of the previous word once before it."""
    caret, anchor = selection.caret, selection.anchor
    window = max(0, caret - 5_000)  # words are short: no need to look at the whole book
    words = list(_WORD.finditer(text, window, caret))
    for match in reversed(words):
        if match.end() < caret and match.end() > anchor:
            return match.end()
        if match.start() < caret and match.start() <= anchor:
            return match.start()
    return caret


def started(text: str, selection: Selection | None, start: int, end: int) -> Selection | None:
    """What `v` selects: the first word of the passage from `start` to `end`; with words
    selected already, afresh from the word after the caret, to select from mid-passage."""
    if selection is not None:
        return first_word(text, selection.end, len(text)) or selection
    return first_word(text, start, end)


def next_character(text: str, selection: Selection) -> int:
    """Where the right arrow takes the caret."""
    return selection.caret + 1


def previous_character(text: str, selection: Selection) -> int:
    """Where the left arrow takes the caret."""
    return selection.caret - 1
