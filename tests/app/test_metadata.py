"""What a document says of itself, shown: `date · site` in the list, the `i` panel; and two
articles with one title told apart in the list."""

from __future__ import annotations

from rich.console import Console

from tests.helpers import press
from tests.waiting import articles_read
from tui.app.screens.info import ArticleInfo
from tui.app.widgets.article_list import ArticleList


def list_rows(app) -> dict[str, str]:
    articles = app.screen.query_one(ArticleList)
    return {
        document.relpath: articles.prompt_at(index).plain
        for index, document in enumerate(articles.documents)
    }


async def test_the_list_shows_date_and_site_and_tells_equal_titles_apart(make_app, web_corpus):
    app = make_app(web_corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        await articles_read(app, pilot)
        rows = list_rows(app)
    assert rows["page.html"].splitlines()[1].strip() == "0/3  2024-05-01 · Le Journal"
    assert "Terrain [b]x[/b]" in rows["page.html"].splitlines()[0]
    assert rows["mai/notes.txt"].splitlines()[0].lstrip("▸ ") == "Notes mai/notes.txt"
    assert rows["juin/notes.txt"].splitlines()[0].lstrip("▸ ") == "Notes juin/notes.txt"
    assert "·" not in rows["mai/notes.txt"]


async def test_i_shows_what_a_web_page_says_of_itself(make_app, web_corpus):
    app = make_app(web_corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        app.screen.open_by_id("page.html")
        await pilot.pause()
        await press(pilot, "i")
        assert isinstance(app.screen, ArticleInfo)
        console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(app.screen.facts())
        shown = console.export_text()
    assert "Claire Dupont" in shown
    assert "2024-05-01" in shown
    assert "Le Journal" in shown
    assert "https://journal.example/terrain" in shown
    assert "html-" in shown
