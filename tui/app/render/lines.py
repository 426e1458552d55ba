"""How one line of the reader is drawn: a line of a passage with its coded segments, search
marks and selection; a row of tag chips; a row of a note. The reader passes its styles in."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping

from rich.style import Style
from rich.text import Text
from textual.color import Color

from tui.app.render.blocks import drawn_indent
from tui.app.render.highlights import Segments
from tui.app.render.layout import Block, Shape
from tui.app.render.marks import TAG_MARK, highlight_style, tag_style
from tui.app.render.selection import Selection
from tui.app.render.stripes import tint_style
from tui.app.render.wrapping import folded
from tui.corpus import Passage
from tui.store import PassageAnnotation
from tui.store.model import Highlight
from tui.text import printable, printable_passage

Component = Callable[[str], Style]
"""A component class's partial style, as the reader resolves it ("reader--match")."""


class SearchMarks:
    """A search's matches marked in the reader: text spans in order, not overlapping; the
    current one stands out."""

    def __init__(
        self, matches: list[tuple[int, int]], current: tuple[int, int] | None = None
    ) -> None:
        self.matches = matches
        self.current = current
        self._ends = [end for _, end in matches]

    def __bool__(self) -> bool:
        return bool(self.matches)

    def within(self, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
        """The parts of marks inside text offsets `start` to `end`, and whether each is the
        current match."""
        first = bisect_right(self._ends, start)
        for low, high in self.matches[first:]:
            if low >= end:
                break
            yield max(low, start), min(high, end), (low, high) == self.current


UNDERLINED = Style(underline=True)

CUT_MARK = "›"
"""Drawn at the edge where a line of code or of a table goes on past it."""

EMPHASIS = {
    "emphasis": Style(italic=True),
    "strong": Style(bold=True),
    "strike": Style(strike=True),
    "code": Style(dim=True),
}
"""How a rendered document's emphasis is drawn; the words carry no mark of it."""


def segment_style(segment: Highlight, colors: Mapping[str, str], line: Style) -> Style:
    """How a segment's words look on a line in style `line`: in its highlight colour when
    highlighted, else tinted with its first tag's colour; underlined when neither shows."""
    if segment.highlighted:
        return highlight_style(segment.color)
    if segment.tags:
        tint = tint_style(colors.get(segment.tags[0], ""), line)
        if tint is not None:
            return tint
    return UNDERLINED


def text_line(
    passage: Passage,
    span: tuple[int, int],
    annotation: PassageAnnotation | None,
    style: Style,
    *,
    crossing: list[Highlight],
    active: int | None,
    marks: SearchMarks,
    selection: Selection | None,
    tag_colors: Mapping[str, str],
    component: Component,
    links: SearchMarks | None = None,
    shape: Shape | None = None,
) -> Text:
    """The line `span` of `passage` (offsets in it), in `style`, with the passage's highlight,
    its links, the segments `crossing` it (`active` underlined), the search's marks and the
    selection; indented, its heading level and emphasis drawn, as its `shape` says."""
    start, end = span
    text = Text(printable_passage(passage.text[start:end]), end="")
    # A Text's own style is not rendered into its segments: stylize the span instead.
    text.stylize(style)
    if passage.kind == "heading":
        text.stylize(component("reader--heading"))
        if shape is not None and shape.level in (1, 2):
            text.stylize(component(f"reader--heading-{shape.level}"))
    if shape is not None:
        for low, high, name in shape.styles:
            low, high = max(low, start), min(high, end)
            if low < high:
                text.stylize(EMPHASIS.get(name, Style()), low - start, high - start)
    cut = passage.kind in ("code", "table") and end < len(passage.text)
    if cut and passage.text[end] != "\n":  # cut at the edge, not wrapped: a mark says so
        text.append(CUT_MARK, style + component("reader--tags"))
    if passage.kind == "table" and start == 0:
        text.stylize(Style(bold=True), 0, len(text))  # the header row
    visible = len(text.plain.rstrip())
    if annotation is not None and annotation.highlighted:
        text.stylize(highlight_style(annotation.color), 0, visible)
    line_start, line_end = passage.start + start, passage.start + end
    if links:
        for low, high, _ in links.within(line_start, line_end):
            text.stylize(component("reader--link"), low - line_start, high - line_start)
    # Overlapping segments: the innermost (shortest) is drawn last, its colour shows.
    for segment in sorted(crossing, key=lambda h: h.start - h.end):
        low, high = max(segment.start, line_start), min(segment.end, line_end)
        text.stylize(segment_style(segment, tag_colors, style), low - line_start, high - line_start)
    for segment in crossing:
        if segment.id == active:
            low, high = max(segment.start, line_start), min(segment.end, line_end)
            text.stylize(UNDERLINED, low - line_start, high - line_start)
    if marks:
        for low, high, current in marks.within(line_start, line_end):
            name = "reader--match-current" if current else "reader--match"
            text.stylize(component(name), low - line_start, high - line_start)
    if selection is not None:
        low = max(selection.start, line_start)
        high = min(selection.end, line_end)
        if low < high:
            text.stylize(component("reader--selection"), low - line_start, high - line_start)
    if passage.kind not in ("code", "table") and not (shape is not None and shape.written):
        text = _without(text, folded(passage.text[start:end]))
    indent = drawn_indent(passage, shape, start)
    if indent:
        text.pad_left(indent)
        text.stylize(style, 0, indent)
    return text


def _without(text: Text, spans: list[tuple[int, int]]) -> Text:
    """`text` with the characters of `spans` left out, the rest keeping their styles."""
    if not spans:
        return text
    pieces = text.divide(offset for span in spans for offset in span)
    kept = [piece for number, piece in enumerate(pieces) if number % 2 == 0]
    return Text("", end="").join(kept)


def block_row(
    block: Block,
    row: int,
    passage: Passage,
    annotation: PassageAnnotation | None,
    style: Style,
    *,
    crossing: list[Highlight],
    active: int | None,
    marks: SearchMarks,
    selection: Selection | None,
    tag_colors: Mapping[str, str],
    component: Component,
    muted: Callable[[], Style],
    links: SearchMarks | None = None,
) -> Text:
    """Row `row` of a laid-out passage, in `style`: a line of its text (with the segments
    `crossing` it), then of its tags, then of its notes."""
    tag_top = len(block.lines)
    note_top = tag_top + len(block.tag_rows)
    if row < tag_top:
        return text_line(
            passage,
            block.lines[row],
            annotation,
            style,
            crossing=crossing,
            active=active,
            marks=marks,
            selection=selection,
            tag_colors=tag_colors,
            component=component,
            links=links,
            shape=block.shape,
        )
    if row < note_top:
        tags = component("reader--tags") + muted()
        return tag_line(block.tag_rows[row - tag_top], style, tags, tag_colors)
    return note_line(block.note_rows[row - note_top], style, component("reader--note"), muted())


def row_segments(
    segments: Segments, block: Block, row: int, passage: Passage, following: Passage | None
) -> list[Highlight]:
    """The segments on row `row` of a laid-out passage: those crossing its line of text; on
    its rows of tags and notes and the blank line after it, those going on into the
    `following` passage, so that a segment across passages is drawn unbroken."""
    if row < len(block.lines):
        start, end = block.lines[row]
        return segments.crossing(passage.start + start, passage.start + end)
    if following is None or not segments:
        return []
    ending = segments.crossing(passage.end - 1, passage.end)
    return [h for h in ending if h.end > following.start]


def tag_line(names: list[str], style: Style, tags: Style, colors: Mapping[str, str]) -> Text:
    """A row of tag chips: each tag's mark in its colour (`colors`), its name in `tags`."""
    text = Text(end="")
    for name in names:
        color = colors.get(name)
        text.append(TAG_MARK + " ", tag_style(color) if color else tags)
        text.append(printable(name), tags)
        text.append("  ")
    text.stylize_before(style)
    return text


def note_line(row: str, style: Style, note: Style, muted: Style) -> Text:
    """A row of a note under the current passage."""
    text = Text(row, end="")
    text.stylize(style)
    text.stylize(note)
    text.stylize(muted)
    return text


def muted_style(background: Color, color: Color) -> Style:
    """Muted text as a solid colour, blended from a theme's text and background: a partial
    style keeps `$text-muted`'s transparency unblended (white on a light theme)."""
    return Style(color=background.blend(color, 0.6).rich_color)
