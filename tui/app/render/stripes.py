"""Coding stripes: a margin right of the text with a column per tag in use on the document's
coded segments, a bar in the tag's colour on each line a segment of that tag covers.

The margin sits right of the text, as in QualCoder: the left gutter already holds the current
passage's bar and the note mark, and a line's start, where the eye comes back, stays put.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color

from tui.app.render.marks import tag_style
from tui.store.model import Highlight

STRIPE = "▌"

FOLDS_BELOW = 60
"""In a terminal narrower than this, the text keeps every cell: the margin folds away."""

MOST_COLUMNS = 8
"""Columns at most: past that many tags in use, the last column stands for the rest."""

TINT = 0.3
"""How much of a tag's colour goes into the background of its segment's words."""


@dataclass(frozen=True, slots=True)
class Stripes:
    """The margin's columns, each a tag's name; none when the margin is folded or unused."""

    columns: tuple[str, ...] = ()
    crowded: bool = False
    """More tags are in use than there are columns: the last one stands for the rest."""

    @property
    def width(self) -> int:
        """The cells the margin takes from the text: a space, then a cell per column."""
        return len(self.columns) + 1 if self.columns else 0

    def column_of(self, name: str) -> int | None:
        if name in self.columns:
            return self.columns.index(name)
        return len(self.columns) - 1 if self.crowded else None


def stripes_for(segments: Iterable[Highlight], colors: Mapping[str, str], width: int) -> Stripes:
    """The margin showing `segments` in a terminal `width` cells wide: a column per tag on
    them, in the store's order of tags (`colors`), then any other by name."""
    if width < FOLDS_BELOW:
        return Stripes()
    used = {name for segment in segments for name in segment.tags}
    if not used:
        return Stripes()
    order = {name: position for position, name in enumerate(colors)}
    columns = sorted(used, key=lambda name: (order.get(name, len(order)), name))
    return Stripes(tuple(columns[:MOST_COLUMNS]), crowded=len(columns) > MOST_COLUMNS)


def margin(
    stripes: Stripes, crossing: Iterable[Highlight], colors: Mapping[str, str], style: Style
) -> list[Segment]:
    """The margin's cells on a line the `crossing` segments cover, over the line's `style`."""
    if not stripes.columns:
        return []
    cells: list[str | None] = [None] * len(stripes.columns)
    for segment in crossing:
        for name in segment.tags:
            column = stripes.column_of(name)
            if column is not None and cells[column] is None:
                cells[column] = colors.get(name, "")
    drawn = [Segment(" ", style)]
    for color in cells:
        if color is None:
            drawn.append(Segment(" ", style))
        else:
            drawn.append(Segment(STRIPE, style + tag_style(color) if color else style))
    return drawn


@lru_cache(maxsize=256)
def tint_style(color: str, line: Style) -> Style | None:
    """A tagged segment's words: the tag's colour blended into the line's background, the
    line's own text colour kept readable on it; None when either colour is unknown."""
    if line.bgcolor is None:
        return None
    try:
        tag = Color.parse(color)
    except Exception:  # a hand-edited or imported store may hold any string
        return None
    background = Color.from_rich_color(line.bgcolor).blend(tag, TINT)
    return Style(bgcolor=background.rich_color, color=line.color)
