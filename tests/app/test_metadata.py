"""What a document says of itself, shown: `date · site` in the list, the `i` panel; and two
articles with one title told apart in the list."""

from __future__ import annotations

import pytest
from rich.console import Console

from tests.helpers import press
from tests.waiting import articles_read
from tui.app.screens.info import ArticleInfo
from tui.app.widgets.article_list import ArticleList

PAGE = """<html><head><title>Terrain [b]x[/b]</title>
<meta name="author" content="Claire Dupont">
<meta property="article:published_time" content="2024-05-01">
<meta property="og:site_name" content="Le Journal">
<link rel="canonical" href="https://journal.example/terrain"></head><body>
<article><h1>Terrain [b]x[/b]</h1>
<p>Nous avons lu le rapport complet avant de partir sur le terrain, et la méthode est
décrite dans la suite de cet article, qui raconte trois semaines d’entretiens.</p>
<p>Les entretiens ont été menés au printemps, dans trois villes, auprès de vingt personnes
qui travaillent la nuit.</p></article></body></html>"""


@pytest.fixture
def web_corpus(tmp_path):
    root = tmp_path / "corpus"
    (root / "mai").mkdir(parents=True)
    (root / "juin").mkdir()
    (root / "page.html").write_text(PAGE)
    (root / "mai" / "notes.txt").write_text("Notes\n\nPremier entretien.\n")
    (root / "juin" / "notes.txt").write_text("Notes\n\nSecond entretien.\n")
    return root


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
