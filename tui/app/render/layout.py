"""Where each passage sits in the reader, laid out only when it is first shown.

A book has a hundred thousand passages: wrapping them all before the first frame takes
seconds. Each passage starts with an estimated height; the reader lays out (wraps) a passage
when it comes into view, and the true height replaces the estimate. Tops are prefix sums
of heights, kept in a Fenwick tree so that a changed height and a lookup by line both cost
O(log n).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from textual.cache import LRUCache

KEPT_BLOCKS = 4096
"""Laid-out passages kept; one dropped is wrapped again when next shown, same result."""


@dataclass(frozen=True, slots=True)
class Shape:
    """What a rendered document says of one passage beyond its words: the `indent` (cells)
    its lines are drawn in by, its heading `level` (0 for none), and its emphasis `styles`
    as `(start, end, style)` offsets in the passage."""

    indent: int = 0
    level: int = 0
    styles: tuple[tuple[int, int, str], ...] = ()
    written: bool = False
    """Drawn as written, line by line, rather than reflowed."""


@dataclass(slots=True)
class Block:
    """One laid-out passage: its wrapped lines, tag and note rows, and its top when asked."""

    index: int
    lines: list[tuple[int, int]]
    tag_rows: list[list[str]]
    note_rows: list[str] = field(default_factory=list)
    top: int = 0
    """Set by `Layout.block` on every call: a passage above may have changed height since."""
    shape: Shape | None = None
    """How a rendered document (Markdown) draws this passage: indent, heading level, styles."""

    @property
    def text_height(self) -> int:
        return len(self.lines) + len(self.tag_rows) + len(self.note_rows)

    @property
    def height(self) -> int:
        return self.text_height + 1  # a blank line after each passage

    @property
    def bottom(self) -> int:
        return self.top + self.text_height


class Heights:
    """Heights of a sequence of blocks, with prefix sums and lookups by line in O(log n)."""

    def __init__(self, heights: list[int]) -> None:
        # Arrays of machine integers: a book's hundred thousand heights in under a megabyte.
        self._values = array("q", heights)
        size = len(heights)
        tree = array("q", [0])
        tree.extend(self._values)
        for position in range(1, size + 1):  # the O(n) build: each node adds itself to its parent
            parent = position + (position & -position)
            if parent <= size:
                tree[parent] += tree[position]
        self._tree = tree
        self._top_bit = 1 << (size.bit_length() - 1) if size else 0
        self.total = sum(heights)

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: int) -> int:
        return self._values[index]

    def set(self, index: int, height: int) -> None:
        delta = height - self._values[index]
        if not delta:
            return
        self._values[index] = height
        self.total += delta
        position = index + 1
        while position < len(self._tree):
            self._tree[position] += delta
            position += position & -position

    def top(self, index: int) -> int:
        """The sum of the heights before block `index`."""
        total, position = 0, index
        while position > 0:
            total += self._tree[position]
            position -= position & -position
        return total

    def index_at(self, y: int) -> int:
        """The block holding line `y` (0 <= y < total): the last one whose top is <= y."""
        position, remaining, step = 0, y, self._top_bit
        while step:
            following = position + step
            if following < len(self._tree) and self._tree[following] <= remaining:
                position = following
                remaining -= self._tree[following]
            step >>= 1
        return position


class Layout:
    """The passages of one document at one width: estimated until laid out, then exact."""

    def __init__(
        self, width: int, estimates: list[int], lay_out: Callable[[int], Block] | None = None
    ) -> None:
        self.width = width
        self.heights = Heights(estimates)
        self._lay_out = lay_out
        self._blocks: LRUCache[int, Block] = LRUCache(KEPT_BLOCKS)
        self._exact = bytearray(len(estimates))
        self.moved = False
        """Some height changed since the reader last looked: lines below it moved."""

    def __len__(self) -> int:
        return len(self.heights)

    @property
    def height(self) -> int:
        return self.heights.total

    def is_laid_out(self, index: int) -> bool:
        return bool(self._exact[index])

    def block(self, index: int) -> Block:
        """Passage `index` laid out, its true height in place of the estimate, its top current."""
        block = self._blocks.get(index)
        if block is None:
            if self._lay_out is None:
                raise LookupError("an empty layout has no blocks")
            block = self._lay_out(index)
            self._blocks[index] = block
            self._exact[index] = 1
            if self.heights[index] != block.height:
                self.heights.set(index, block.height)
                self.moved = True
        block.top = self.heights.top(index)
        return block

    def forget(self, index: int) -> None:
        """Passage `index` changed (a tag, a note): it is laid out again when next asked for."""
        self._blocks.discard(index)

    def block_at(self, y: int) -> Block | None:
        """The laid-out passage at line `y`, or None past the end."""
        if not len(self) or y < 0 or y >= self.height:
            return None
        return self.block(self.heights.index_at(y))

    def lay_out_above(self, index: int, count: int) -> None:
        """Lay out the passages just above `index` that fill `count` lines: before scrolling
        so that `index` ends the screen, whose top then depends on their true heights."""
        filled = 0
        while index > 0 and filled < count:
            index -= 1
            filled += self.block(index).height

    def lay_out_upwards(self, old: int, new: float, count: int) -> float:
        """Lay out the `count` lines shown after scrolling up from line `old` to `new`, and
        return where the scroll must now be for what was shown to stay where it was: the
        passages above it, laid out only now, may have grown or shrunk."""
        kept = self.heights.index_at(old)
        before = self.heights.top(kept)
        line = round(new)
        for _ in range(3):  # a shift may uncover another passage above: it settles at once
            self.lay_out_lines(line, count)
            shift = self.heights.top(kept) - before
            if not shift:
                break
            before += shift
            new += shift
            line = round(new)
        return new

    def lay_out_lines(self, y: int, count: int) -> None:
        """Lay out every passage showing in lines y to y+count, from the one at y down.

        Only passages at and below the first are laid out, so the first keeps its top: what
        is on screen does not jump when an estimate turns out wrong.
        """
        if not len(self) or y >= self.height:
            return
        index = self.heights.index_at(max(y, 0))
        while index < len(self) and self.heights.top(index) < y + count:
            self.block(index)
            index += 1


@dataclass(frozen=True, slots=True)
class PageStep:
    """Where a page key goes: a line to scroll to, a passage to make current, or both (then
    the passage's end shows above the screen's bottom, and it is not scrolled to its top)."""

    scroll_to: int | None = None
    index: int | None = None


def page_step(layout: Layout, current: int, view_top: int, page: int, direction: int) -> PageStep:
    """Page down (`direction` 1) or up (-1) from passage `current`, with the screen showing
    `page` lines from `view_top`."""
    block = layout.block(current)
    # Inside a passage taller than the screen, page through it before leaving it.
    if direction > 0 and block.bottom > view_top + page:
        return PageStep(scroll_to=min(view_top + page - 1, block.bottom - 1))
    if direction < 0 and block.top < view_top:
        return PageStep(scroll_to=max(block.top, view_top - page + 1))
    target = layout.block_at(block.top + direction * page)
    if target is None:
        index = len(layout) - 1 if direction > 0 else 0
    else:
        index = target.index
        if index == current:
            index += direction
    index = max(0, min(index, len(layout) - 1))
    landing = layout.block(index)
    if direction < 0 and landing.text_height > page:
        # Paging up into a tall passage shows its end first, the part just above.
        return PageStep(scroll_to=max(landing.top, landing.bottom - page), index=index)
    return PageStep(index=index)
