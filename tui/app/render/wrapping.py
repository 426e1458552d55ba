"""Word wrapping that keeps offsets: each screen line is a (start, end) span of the passage.

Rich's `Text.wrap` returns styled lines but drops the offsets; the reader needs them to draw
highlights and to map a click back to a character, so the wrapping is done here.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size

from tui.text import printable_passage

_WORD = re.compile(r"\S+\s*|\s+")


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Spans of `text` that fit in `width` cells, breaking at spaces, folding longer words."""
    width = max(width, 1)
    spans: list[tuple[int, int]] = []
    line_start = 0
    column = 0
    for match in _WORD.finditer(text):
        start = match.start()
        word_end = start + len(match.group().rstrip())
        word_cells = cell_len(text[start:word_end])
        if column > 0 and column + word_cells > width:
            spans.append((line_start, start))
            line_start, column = start, 0
        if word_cells > width:
            for position in range(start, word_end):
                size = get_character_cell_size(text[position])
                if column > 0 and column + size > width:
                    spans.append((line_start, position))
                    line_start, column = position, 0
                column += size
        else:
            column += word_cells
        # Trailing spaces may run past the edge: they are invisible and cropped when drawn.
        column += match.end() - word_end
    if line_start < len(text) or not spans:
        spans.append((line_start, len(text)))
    return spans


_FOLD = re.compile(r"[ \t]*\n[ \t\n]*")
"""Where a hard-wrapped line meets the next: shown as one space when the text is reflowed."""


def folded(text: str) -> list[tuple[int, int]]:
    """The spans of `text` not drawn when it is reflowed: of each line break with the spaces
    around it (a continuation line's indent), all but one space."""
    return [
        (found.start() + 1, found.end())
        for found in _FOLD.finditer(text)
        if found.end() - found.start() > 1
    ]


def shown_positions(text: str) -> list[int]:
    """The offsets in `text` of the characters drawn when it is reflowed, in order."""
    kept, position = [], 0
    for start, end in folded(text):
        kept.extend(range(position, start))
        position = end
    kept.extend(range(position, len(text)))
    return kept


def wrap_passage(
    text: str, width: int, *, keep_lines: bool = False, cut: bool = False, skip: int = 0
) -> list[tuple[int, int]]:
    """Screen lines of a passage, measured as drawn (control characters as placeholders).

    Prose is reflowed, its newlines and a continuation line's indent read as one space; with
    `keep_lines` (as written), every line of the text starts a screen line, up to `skip` of
    its leading spaces left to the reader's indent; with `cut` (code, tables), every line is
    one screen line, cut short of the edge (the reader draws a mark where it is cut): wrapped,
    its columns would mix.
    """
    if not keep_lines and not cut:
        if "\n" not in text:
            return wrap_spans(printable_passage(text), width)
        kept = shown_positions(text)
        shown = "".join(text[position] for position in kept)
        kept.append(len(text))
        return [(kept[a], kept[b]) for a, b in wrap_spans(printable_passage(shown), width)]
    spans: list[tuple[int, int]] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if cut:
            spans.append((offset, offset + cut_at(printable_passage(line), width)))
        else:
            if number:
                lead = len(line) - len(line.lstrip(" \t"))
                offset, line = offset + min(lead, skip), line[min(lead, skip) :]
            spans.extend(
                (offset + a, offset + b) for a, b in wrap_spans(printable_passage(line), width)
            )
        offset += len(line) + 1
    return spans


def cut_at(line: str, width: int) -> int:
    """How much of `line` fits in `width` cells, one kept for the mark when it does not all fit."""
    if cell_len(line) <= width:
        return len(line)
    used = 0
    for position, char in enumerate(line):
        used += get_character_cell_size(char)
        if used > width - 1:
            return position
    return len(line)
