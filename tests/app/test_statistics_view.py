"""s: the statistics of the annotations shown, as glose stats prints them."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from tests.helpers import press
from tui.app.screens.main import MainScreen
from tui.app.screens.statistics import StatisticsView

SIZE = (120, 40)


def shown(app) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#statistics-body", Static).content)
    return console.export_text()


async def test_s_shows_the_statistics_of_the_annotations_shown_and_escape_closes(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        store = app.screen.store
        store.create_tag("[red]politique[/red]")
        store.create_tag("économie")
        await press(pilot, "1", "2", "j", "1", "j", "h")
        await press(pilot, "s")
        assert isinstance(app.screen, StatisticsView)
        text = shown(app)
        assert "[red]politique[/red] 2" in text, "a tag name is shown as it is, with its count"
        assert "3/11" in text and "27%" in text, "three of eleven passages annotated"
        assert "No passage or segment carries two tags." not in text
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_s_counts_each_tags_segments_and_coded_characters(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        document = screen.document
        passage = document.passages[1]
        words = document.text[passage.start : passage.end].split()[:3]
        end = document.text.index(words[-1], passage.start) + len(words[-1])
        screen.store.tag_span(document, document.passages, passage.start, end, "économie")
        await press(pilot, "s")
        text = shown(app)
        row = next(line for line in text.splitlines() if line.startswith("│ économie"))
        cells = [cell.strip() for cell in row.split("│")[1:-1]]
        assert cells == ["économie", "0", "1", str(len("".join(words)))]
        assert "┃ Annotator ┃ Tagged passages ┃ Coded segments ┃" in text
