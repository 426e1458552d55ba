"""How one passage is laid out in the reader: its wrapped lines, its tags as chips, the notes
shown under the current passage, and its height estimated before it is laid out."""

from __future__ import annotations

from bisect import bisect_left

from rich.cells import cell_len

from tui.app.render.layout import Block, Shape
from tui.app.render.marks import NOTE_MARK
from tui.app.render.wrapping import shown_positions, wrap_passage, wrap_spans
from tui.corpus import Passage
from tui.corpus.extract import Extracted
from tui.store import PassageAnnotation
from tui.store.model import Highlight
from tui.text import printable, printable_passage

GUTTER = 2
RIGHT_MARGIN = 1
"""Cells kept free left of the text (the current-passage mark) and right of it."""


def text_width(width: int, margin: int = 0) -> int:
    """The cells a passage's text has in a reader `width` cells wide, with a `margin` of
    coding stripes right of it (never less than one)."""
    return max(width - GUTTER - RIGHT_MARGIN - margin, 1)


def tag_rows(names: list[str], width: int) -> list[list[str]]:
    """Tags laid out as "● name" chips, as many to a row as fit in `width`."""
    rows: list[list[str]] = []
    used = width + 1
    for name in names:
        size = 2 + cell_len(printable(name))
        if rows and used + 2 + size <= width:
            rows[-1].append(name)
            used += 2 + size
        else:
            rows.append([name])
            used = size
    return rows


def note_rows(
    annotation: PassageAnnotation | None, highlights: list[Highlight], width: int
) -> list[str]:
    """The notes of a passage and of its `highlights`, wrapped under it."""
    notes = []
    if annotation is not None and annotation.note:
        notes.append(f"{NOTE_MARK} {annotation.note}")
    for highlight in highlights:
        if highlight.note:
            quote = " ".join(highlight.quote.split())  # one line, even across paragraphs
            quote = quote if len(quote) <= 30 else quote[:29] + "…"
            notes.append(f"{NOTE_MARK} «{quote}» {highlight.note}")
    rows: list[str] = []
    for note in notes:
        for line in note.split("\n"):
            shown = printable_passage(line)
            rows.extend(shown[a:b] for a, b in wrap_spans(shown, max(width - 2, 1)))
    return rows


def passage_block(
    index: int,
    passage: Passage,
    annotation: PassageAnnotation | None,
    highlights: list[Highlight] | None,
    width: int,
    margin: int = 0,
    shape: Shape | None = None,
) -> Block:
    """Passage `index` laid out in a reader `width` cells wide, `margin` of them for coding
    stripes; with `highlights` (those of the current passage), its notes and theirs under it;
    with a `shape`, indented and styled as a rendered document says."""
    cells = text_width(width, margin)
    indent = min(shape.indent, cells // 2) if shape is not None else 0
    if shape is not None and indent != shape.indent:
        shape = Shape(indent, shape.level, shape.styles, shape.written)
    written = shape is not None and shape.written
    lines = wrap_passage(
        passage.text,
        cells - indent,
        cut=passage.kind in CUT_KINDS,
        keep_lines=written,
        skip=shape.indent if shape is not None and written else 0,
    )
    return Block(
        index,
        lines,
        tag_rows(annotation.tags, cells) if annotation else [],
        note_rows(annotation, highlights, cells) if highlights is not None else [],
        shape=shape,
    )


CUT_KINDS = ("code", "table")
"""Passages whose lines are kept as written and cut at the edge, never wrapped."""


def estimated_height(
    passage: Passage, annotation: PassageAnnotation | None, width: int, margin: int = 0
) -> int:
    """A passage's height before it is laid out: its length over the width, and its tags."""
    cells = text_width(width, margin)
    if passage.kind in CUT_KINDS:
        lines = passage.text.count("\n") + 1
    else:
        lines = -(-len(passage.text) // cells) or 1
    tags = len(tag_rows(annotation.tags, cells)) if annotation else 0
    return lines + tags + 1


def offset_in_row(block: Block, passage: Passage, row: int, x: int) -> int | None:
    """The text offset at cell `x` of row `row` of a laid-out passage; None past its text
    (on its tags or notes)."""
    if row >= len(block.lines):
        return None
    start, end = block.lines[row]
    line = passage.text[start:end]
    kept = shown_positions(line) if is_reflowed(passage, block.shape) else list(range(len(line)))
    shown = printable_passage("".join(line[position] for position in kept))
    column = x - GUTTER - drawn_indent(passage, block.shape, start)
    position, used = 0, 0
    while position < len(shown) and used + cell_len(shown[position]) <= column:
        used += cell_len(shown[position])
        position += 1
    return passage.start + start + (kept[position] if position < len(kept) else len(line))


def drawn_indent(passage: Passage, shape: Shape | None, start: int) -> int:
    """Cells a passage's line starting at `start` is drawn in by: a code block's later lines
    carry their margin in their text (verbatim), only its first line is set in."""
    if shape is None or (passage.kind == "code" and start > 0):
        return 0
    return shape.indent


def is_reflowed(passage: Passage, shape: Shape | None) -> bool:
    """Whether a passage is drawn reflowed (its line breaks and their indents one space)."""
    return passage.kind not in CUT_KINDS and not (shape is not None and shape.written)


class Rendering:
    """What a rendered document (Markdown) says of its passages beyond their words, found
    by offset: the indent each is drawn in by, heading levels, emphasis; or, for plain text
    shown `written`, the indent each passage's first line has in the file."""

    def __init__(self, extracted: Extracted, written: bool = False) -> None:
        self._text = extracted.text
        self._written = written
        self._levels = {start: level for start, _, level in extracted.headings}
        self._styles = sorted(extracted.styles)
        self._starts = [start for start, _, _ in self._styles]
        self._longest = max((end - start for start, end, _ in self._styles), default=0)

    def shape(self, passage: Passage) -> Shape | None:
        start, end = passage.start, passage.end
        line = self._text.rfind("\n", 0, start) + 1
        margin = self._text[line:start]
        indent = len(margin) if margin.isspace() else 0
        first = bisect_left(self._starts, start - self._longest)
        styles = tuple(
            (max(low, start) - start, min(high, end) - start, name)
            for low, high, name in self._styles[first : bisect_left(self._starts, end)]
            if high > start
        )
        level = self._levels.get(start, 0)
        if not (indent or level or styles or self._written):
            return None
        return Shape(indent, level, styles, self._written)
