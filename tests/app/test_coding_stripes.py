"""Coded segments in the reader: their words tinted in their tag's colour, and coding stripes
in a margin right of the text, a column per tag, on the lines each segment covers."""

from __future__ import annotations

from pathlib import Path

from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from tests.helpers import text_document
from tui.app.render.blocks import text_width
from tui.app.render.stripes import STRIPE, TINT
from tui.app.render.wrapping import wrap_passage
from tui.app.widgets.reader import Reader
from tui.store import Store
from tui.store.model import HIGHLIGHT_COLORS, TAG_COLORS

TEXT = (
    "Le consortium réunit Meta et IBM autour de modèles ouverts, une alliance de plus de "
    "quarante entreprises et instituts qui veulent peser sur les règles.\n\n"
    "Les chatbots fermés dominent le marché depuis des mois.\n\n"
    "Une troisième phrase, loin de tout."
)
WIDE, NARROW, SMALL = (160, 30), (59, 30), (80, 24)
"""Terminals whose reader is wider than 60 cells, and narrower."""


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def coded(make_corpus, store_dir: Path, *segments: tuple[str, str]) -> Path:
    """The corpus of TEXT, with each (words, tag) a segment made before the app starts."""
    root = make_corpus({"doc.txt": TEXT})
    document = text_document("doc", TEXT, "doc.txt")
    with Store(store_dir) as store:
        for words, tag in segments:
            store.tag_span(document, document.passages, *span(words), tag)
    return root


def cells(strip: Strip) -> list[tuple[str, Style]]:
    """Each cell of a line: its character and style (the text here is one cell a character)."""
    return [(char, segment.style or Style()) for segment in strip for char in segment.text]


def line_with(reader: Reader, words: str) -> tuple[int, list[tuple[str, Style]]]:
    """The line of the screen showing `words`, and where they start in it."""
    for y in range(reader.size.height):
        line = reader.render_line(y)
        if words in line.text:
            return y, cells(line)
    raise AssertionError(f"{words!r} is not on the screen")


def styles_of(line: list[tuple[str, Style]], words: str) -> list[Style]:
    start = "".join(char for char, _ in line).index(words)
    return [style for _, style in line[start : start + len(words)]]


def tinted(background: Style, color: str) -> Color:
    """A tag's colour blended into a line's background as the reader tints a segment."""
    assert background.bgcolor is not None
    return Color.from_rich_color(background.bgcolor).blend(Color.parse(color), TINT)


def margin_of(reader: Reader, line: list[tuple[str, Style]]) -> list[tuple[str, Style]]:
    """The cells of the coding stripes' columns on a line."""
    columns = len(reader.stripes.columns)
    end = reader.passage_layout.width
    return line[end - columns : end]


def stripe_colors(reader: Reader, line: list[tuple[str, Style]]) -> list[str | None]:
    """Each column's stripe colour on a line, None where it has none."""
    return [
        style.color.get_truecolor().hex if char == STRIPE and style.color else None
        for char, style in margin_of(reader, line)
    ]


async def test_a_segments_words_carry_its_tags_colour_and_a_stripe(
    make_app, make_corpus, store_dir
):
    root = coded(make_corpus, store_dir, ("Meta et IBM", "acteurs [b]x[/b]"))
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        reader = app.screen.reader
        _, line = line_with(reader, "Meta et IBM")
        around = styles_of(line, "réunit")[0]
        blue = tinted(around, TAG_COLORS[0])
        assert {Color.from_rich_color(s.bgcolor) for s in styles_of(line, "Meta et IBM")} == {blue}
        assert around.bgcolor != blue.rich_color, "the words around are not tinted"
        assert stripe_colors(reader, line) == [TAG_COLORS[0]], "a tag named as markup is data"
        _, other = line_with(reader, "Les chatbots")
        assert stripe_colors(reader, other) == [None]


async def test_overlapping_segments_of_two_tags_show_the_inner_colour_and_both_stripes(
    make_app, make_corpus, store_dir
):
    root = coded(
        make_corpus,
        store_dir,
        ("Les chatbots fermés dominent le marché", "fermeture"),
        ("chatbots fermés", "acteurs"),
    )
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        reader = app.screen.reader
        _, line = line_with(reader, "Les chatbots")
        around = styles_of(line, "depuis")[0]
        orange, blue = (tinted(around, color) for color in TAG_COLORS[:2])
        inner = {Color.from_rich_color(s.bgcolor) for s in styles_of(line, "chatbots fermés")}
        outer = {Color.from_rich_color(s.bgcolor) for s in styles_of(line, "dominent le marché")}
        assert (inner, outer) == ({blue}, {orange}), "the innermost segment's colour shows"
        # Columns in the store's order of tags: fermeture was made first.
        assert reader.stripes.columns == ("fermeture", "acteurs")
        assert stripe_colors(reader, line) == [TAG_COLORS[0], TAG_COLORS[1]]


async def test_a_segment_across_two_passages_draws_stripes_on_lines_of_both(
    make_app, make_corpus, store_dir
):
    root = coded(make_corpus, store_dir, ("sur les règles.\n\nLes chatbots", "enjeux"))
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        reader = app.screen.reader
        assert len(reader.passage_layout.block(0).lines) == 2, "the first passage wraps"
        first, _ = line_with(reader, "Le consortium")
        last, _ = line_with(reader, "sur les règles")
        second, _ = line_with(reader, "Les chatbots")
        third, _ = line_with(reader, "Une troisième")
        # Its lines in the first passage, the blank line after it, its line in the second.
        striped = [
            y
            for y in range(first, third + 1)
            if stripe_colors(reader, cells(reader.render_line(y))) == [TAG_COLORS[0]]
        ]
        assert striped == list(range(last, second + 1)), "unbroken, from its first to last line"


async def test_the_margin_folds_away_in_a_terminal_below_60_columns(
    make_app, make_corpus, store_dir
):
    root = coded(make_corpus, store_dir, ("Meta et IBM", "acteurs"))
    app = make_app(root)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        reader = app.screen.reader
        width = reader.passage_layout.width
        assert app.size.width < 60
        assert reader.passage_layout.block(0).lines == wrap_passage(
            app.screen.document.passages[0].text, text_width(width)
        ), "every cell right of the text is the text's"
        lines = [reader.render_line(y).text for y in range(reader.size.height)]
        assert not any(STRIPE in line[2:] for line in lines), "no stripe (the gutter's mark aside)"
        _, line = line_with(reader, "Meta et")
        blue = tinted(styles_of(line, "réunit")[0], TAG_COLORS[0])
        assert Color.from_rich_color(styles_of(line, "Meta")[0].bgcolor) == blue, "still tinted"

        await pilot.resize_terminal(*SMALL)  # an ordinary terminal: the panes beside it too
        await pilot.pause()
        width = reader.passage_layout.width
        assert width < 60 <= app.size.width
        assert reader.passage_layout.block(0).lines == wrap_passage(
            app.screen.document.passages[0].text, text_width(width, margin=2)
        ), "the text makes room for a space and one column"
        _, line = line_with(reader, "Meta et IBM")
        assert stripe_colors(reader, line) == [TAG_COLORS[0]]


async def test_the_margin_grows_and_goes_as_segments_are_tagged_and_deleted(make_app, make_corpus):
    app = make_app(make_corpus({"doc.txt": TEXT}))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen, reader = app.screen, app.screen.reader
        assert reader.stripes.columns == ()
        document = screen.document
        segment, _ = screen.store.tag_span(document, document.passages, *span("IBM"), "acteurs")
        screen.refresh_everything()  # as the app does after a change: tag colours too
        await pilot.pause()
        _, line = line_with(reader, "Meta et IBM")
        assert stripe_colors(reader, line) == [TAG_COLORS[0]]
        width = reader.passage_layout.width
        assert reader.passage_layout.block(0).lines == wrap_passage(
            document.passages[0].text, text_width(width, margin=2)
        ), "laid out again beside the margin"
        screen.store.toggle_segment_tag(segment, "acteurs")  # its last tag: it goes
        screen.refresh_everything()  # as the app does after a change: tag colours too
        await pilot.pause()
        assert reader.stripes.columns == ()
        assert reader.passage_layout.block(0).lines == wrap_passage(
            document.passages[0].text, text_width(width)
        ), "the margin's cells are the text's again"


async def test_a_highlighted_segment_keeps_its_colour_and_shows_its_tags_stripes(
    make_app, make_corpus, store_dir
):
    root = make_corpus({"doc.txt": TEXT})
    document = text_document("doc", TEXT, "doc.txt")
    with Store(store_dir) as store:
        store.create_tag("acteurs")
        segment = store.add_highlight(document, document.passages, *span("Meta et IBM"), "green")
        store.toggle_segment_tag(segment, "acteurs")
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        reader = app.screen.reader
        _, line = line_with(reader, "Meta et IBM")
        green = Color.parse(HIGHLIGHT_COLORS["green"])
        assert {Color.from_rich_color(s.bgcolor) for s in styles_of(line, "Meta et IBM")} == {green}
        assert stripe_colors(reader, line) == [TAG_COLORS[0]]
