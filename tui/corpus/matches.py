"""A search's matches in one article, marked a window at a time, and how n and N step
through them: from the current match, or from wherever the reader has moved to."""

from __future__ import annotations

import collections
import itertools
from bisect import bisect_left
from collections.abc import Iterator
from typing import Literal

from tui.corpus.folding import Folded, find_in

MARKS_SHOWN = 10_000
"""Matches marked in one article at most: a one-letter search in a book stays quick."""

Round = Literal["top", "end"]
"""Where a step went round from: past the last match to the top, or before the first to the end."""


class Matches:
    """The matches of a folded query in one folded text.

    `marked` is the window shown: all of the text's matches, or `size` of them when there are
    more; `before` counts the matches ahead of the window and `more` says some follow it.
    `current` is the index in `marked` of the match the reader is on, if any.
    """

    def __init__(self, folded: Folded, wanted: str, query: str, size: int | None = None) -> None:
        self.folded = folded
        self.wanted = wanted
        """The query folded as the text is (`fold_query`)."""
        self.query = query
        """The query as it was typed, for the title."""
        self.size = size or MARKS_SHOWN
        self.total = folded.text.count(wanted)
        """Every match of the text, counted as `str.count` counts."""
        self.spans: list[tuple[int, int]] | None = None
        """Every match when they were found beforehand (by a query of the search language)."""
        self.marked: list[tuple[int, int]] = []
        self.current: int | None = None
        self.before = 0
        self.more = False
        self.start = 0
        """The index in `marked` of the first match at or after where the marking began (for
        `mark_before`, the first at or after its offset): `len(marked)` when there is none."""

    @classmethod
    def of_spans(cls, spans: list[tuple[int, int]], query: str, size: int | None = None) -> Matches:
        """The matches `spans` (original offsets, in order, not overlapping), found before."""
        matches = cls(Folded(""), "\x00", query, size)
        matches.spans = spans
        matches.total = len(spans)
        return matches

    def _found(self, since: int = 0) -> Iterator[tuple[int, int]]:
        if self.spans is None:
            return find_in(self.folded, self.wanted, since)
        return iter(self.spans[bisect_left(self.spans, since, key=lambda span: span[0]) :])

    def _before(self, since: int) -> int:
        """How many matches start before `since`, as `total` counts them."""
        if self.spans is not None:
            return bisect_left(self.spans, since, key=lambda span: span[0])
        before = self.folded.at_or_before(since)
        text, wanted = self.folded.text, self.wanted
        return text.count(wanted, 0, before + len(wanted) - 1)

    @property
    def windowed(self) -> bool:
        """Whether only part of the matches is marked."""
        return self.more or bool(self.before)

    @property
    def count(self) -> int:
        """How many matches there are, as the title says it: none when none is marked."""
        return max(self.total, len(self.marked)) if self.marked else 0

    @property
    def number(self) -> int | None:
        """The current match's number among all of them (from 1), or None."""
        return None if self.current is None else self.before + self.current + 1

    @property
    def current_span(self) -> tuple[int, int] | None:
        return None if self.current is None else self.marked[self.current]

    def mark_from(self, since: int) -> None:
        """Mark up to `size` matches starting at or after offset `since` (every match, when
        they all fit: those above the reader show too); none is current."""
        if self._all_marked(since):
            return
        self.start = 0
        found = list(itertools.islice(self._found(since), self.size + 1))
        self.more = len(found) > self.size
        self.marked = found[: self.size]
        self.current = None
        # How many start before, for "i/n" in the title (counted as `str.count` counts).
        self.before = self._before(since) if since else 0

    def mark_before(self, before: int | None) -> None:
        """Mark the last `size` matches starting before offset `before` (None: the end), or
        every match when they all fit."""
        if self._all_marked(before):
            return
        window: collections.deque[tuple[int, int]] = collections.deque(maxlen=self.size)
        seen = 0
        for span in self._found():
            if before is not None and span[0] >= before:
                break
            window.append(span)
            seen += 1
        self.marked = list(window)
        self.current = None
        self.before = seen - len(window)
        self.more = seen < self.total
        self.start = len(self.marked)

    def _all_marked(self, at: int | None) -> bool:
        """Mark every match if they all fit in one window, `start` on the first at or after
        offset `at` (None: the end); whether they did."""
        if self.total > self.size:
            return False
        self.marked = list(self._found())
        self.current, self.before, self.more = None, 0, False
        starts = [start for start, _ in self.marked]
        self.start = len(starts) if at is None else bisect_left(starts, at)
        return True

    def choose_first(self) -> None:
        """Make the first match marked current; with none marked (none at or after where the
        marking began), mark from the top and make the first of the text current."""
        if self.start >= len(self.marked) and self.total:
            self.mark_from(0)
        if self.marked:
            self.current = self.start

    def step(self, step: int, passage: tuple[int, int] | None) -> Round | None:
        """Make current the next match (`step` 1) or the previous one (-1), the window moving
        on when it ends. From the current match while `passage` (the reader's, start and end)
        holds it; else from `passage` itself, where the reader has moved. Returns where it
        went round from, if it did. There must be a match."""
        number = self.current
        inside = (
            number is not None
            and passage is not None
            and passage[0] <= self.marked[number][0] < max(passage[1], passage[0] + 1)
        )
        at = passage[0] if passage is not None else 0
        if inside:
            assert number is not None
            number += step
        elif step > 0:
            self.mark_from(at)
            number = self.start  # with none marked from there, the check below goes round
        else:
            self.mark_before(at)
            number = self.start - 1
        went: Round | None = None
        if number >= len(self.marked):
            if self.more:
                self.mark_from(self.marked[-1][1])  # the next window
                number = 0
            if number >= len(self.marked) or not self.marked:
                self.mark_from(0)
                number, went = 0, "top"
        elif number < 0:
            if self.before:
                self.mark_before(self.marked[0][0])  # the window before
                number = len(self.marked) - 1
            if number < 0 or not self.marked:
                self.mark_before(None)
                number, went = len(self.marked) - 1, "end"
        self.current = number
        return went
