"""Which highlights a passage, a line, a caret or `;` reaches: lookups over a text's
highlights (coded segments), kept in text order."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from tui.corpus import Passage
from tui.store.model import Highlight


class Segments:
    """A text's segments in text order, with the ones crossing a span of text found by
    bisection: a book's line is drawn without looking at every segment before it."""

    def __init__(self, segments: list[Highlight]) -> None:
        self.segments = sorted(segments, key=lambda h: (h.start, h.end))
        self._starts = [h.start for h in self.segments]
        # The furthest end so far: it only grows, so it can be bisected too.
        self._reach: list[int] = []
        furthest = -1
        for segment in self.segments:
            furthest = max(furthest, segment.end)
            self._reach.append(furthest)

    def __bool__(self) -> bool:
        return bool(self.segments)

    def crossing(self, start: int, end: int) -> list[Highlight]:
        """The segments with text inside offsets `start` to `end`, in text order."""
        first = bisect_right(self._reach, start)  # every one before it ends at or before start
        last = bisect_left(self._starts, end)
        return [h for h in self.segments[first:last] if h.end > start]


def touching(highlights: list[Highlight], passage: Passage) -> list[Highlight]:
    """The highlights that touch `passage`, in text order."""
    return [h for h in highlights if h.start < passage.end and passage.start < h.end]


def holding(highlights: list[Highlight], offset: int) -> Highlight | None:
    """The first highlight holding text offset `offset` (at either end too), if any."""
    return next((h for h in highlights if h.start <= offset <= h.end), None)


def following(ids: list[int], active: int | None) -> int | None:
    """What `;` puts under the cursor after `active`: the next of the passage's highlights
    `ids`, then none (the passage itself), then the first again."""
    steps: list[int | None] = [*ids, None]
    position = steps.index(active) if active in ids else -1
    return steps[(position + 1) % len(steps)]
