"""Which highlights a passage, a caret or `;` reaches: lookups over a text's highlights, kept
in text order."""

from __future__ import annotations

from tui.corpus import Passage
from tui.store.model import Highlight


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
