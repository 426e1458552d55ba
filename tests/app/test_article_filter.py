"""Finding articles in the list with `/`, and subfolders shown as folders."""

from __future__ import annotations

from tests.helpers import press
from tui.app.screens.main import MainScreen
from tui.app.widgets.article_list import ArticleList

SIZE = (120, 40)

FOLDERS = {
    "alpha.txt": "Alpha\n\nTexte.",
    "notes/beta.txt": "Bêta\n\nTexte.",
    "notes/2024/gamma.txt": "Gamma\n\nTexte.",
    "zulu.txt": "Zulu\n\nTexte.",
}


def titles(listing: ArticleList) -> list[str]:
    """The lines of the list that name an article or a folder (not the counts under titles)."""
    lines = [line.strip() for line in listing.lines()]
    return [line for line in lines if line and "annotated" not in line and line != "empty"]


async def test_slash_filters_the_list_as_you_type_and_escape_shows_every_article(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        await press(pilot, "shift+tab", "down", "slash")
        # Letters that are keys elsewhere (a note, a colour, export, info, next match) are typed.
        await press(pilot, *"alliance")
        assert app.screen is screen, "no dialog opened"
        assert listing.filter_text == "alliance"
        assert [d.id for d in listing.shown] == ["002_c25bee6c01f21316", "004_5666f5666deb1184"]
        assert [line[:21] for line in titles(listing)] == [
            "Le mardi, IBM et Meta",
            "IBM et Meta lancent l",
        ]
        assert listing.status == "2 of 5 articles"
        await press(pilot, "space", *"annonce")
        assert [d.id for d in listing.shown] == ["002_c25bee6c01f21316"], "annonce finds annoncé"
        assert listing.status == "1 of 5 articles"
        await press(pilot, *["backspace"] * 8)
        assert listing.status == "2 of 5 articles"
        await press(pilot, "down")
        assert listing.shown[listing.highlighted].id == "004_5666f5666deb1184"
        await press(pilot, "escape")
        assert listing.filter_text is None and listing.status == ""
        assert len(titles(listing)) == 5
        assert listing.shown[listing.highlighted].id == "004_5666f5666deb1184", "same article"
        assert screen.document.id == "000_9ff77a90e9a0ba93", "filtering opens nothing"
        await press(pilot, "escape")
        assert app.focused is listing, "escape with no filter is the screen's, harmlessly"


async def test_enter_opens_the_highlighted_article_found(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        await press(pilot, "shift+tab", "slash", *"lancent", "enter")
        await pilot.pause()
        assert screen.document.id == "004_5666f5666deb1184"
        assert app.focused is screen.reader
        assert listing.status == "1 of 5 articles", "the filter stays for the next article"
        await press(pilot, "j")
        assert screen.reader.current == 1, "keys are the reader's again"


async def test_nothing_found_says_so_and_enter_opens_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        await press(pilot, "shift+tab", "slash", *"zzz", "enter")
        await pilot.pause()
        assert listing.status == "0 of 5 articles"
        assert titles(listing) == []
        assert app.focused is listing and screen.document.id == "000_9ff77a90e9a0ba93"


async def test_a_tag_on_an_article_finds_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("sécurité")
        await press(pilot, "j", "j", "1", "shift+tab", "slash", *"tag:secu")
        listing = screen.query_one(ArticleList)
        assert [d.id for d in listing.shown] == ["000_9ff77a90e9a0ba93"]


async def test_subfolders_show_as_folders_and_the_cursor_steps_over_them(make_app, make_corpus):
    app = make_app(make_corpus(FOLDERS))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        assert titles(listing) == [
            "▸ Alpha",
            "notes/2024/",
            "Gamma",
            "notes/",
            "Bêta",
            "./",
            "Zulu",
        ]
        await press(pilot, "shift+tab", "j", "j", "j")
        assert listing.shown[listing.highlighted].relpath == "zulu.txt"
        await press(pilot, "k", "up")
        assert listing.shown[listing.highlighted].relpath == "notes/2024/gamma.txt"
        await press(pilot, "slash", *"notes")
        assert titles(listing) == ["notes/2024/", "Gamma", "notes/", "Bêta"]
        await press(pilot, "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert screen.document.relpath == "notes/2024/gamma.txt"


async def test_a_click_on_a_folder_opens_nothing(make_app, make_corpus):
    app = make_app(make_corpus(FOLDERS))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(ArticleList, offset=(5, 1 + 2))  # the border, then the folder's line
        await pilot.pause()
        assert app.screen.document.relpath == "alpha.txt"
        await pilot.click(ArticleList, offset=(5, 1 + 3))
        await pilot.pause()
        assert app.screen.document.relpath == "notes/2024/gamma.txt"


async def test_the_filter_from_the_palette_takes_the_keys_typed_next(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        assert app.focused is screen.reader
        await app.run_action("filter", listing)  # what the palette's command does
        await pilot.pause()
        await press(pilot, *"lancent")
        assert app.focused is listing and listing.status == "1 of 5 articles"
        assert app.screen is screen, "a, c, e, n were typed, not keys of the reader"


async def test_keys_typed_at_once_after_slash_go_to_the_filter(make_app):
    # A terminal delivers "/alliance" typed fast (or sent by tmux) in one read: every key is
    # queued before `/` has done anything, so the filter must start where the keys arrive.
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        await press(pilot, "shift+tab")
        characters = {"slash": "/", "escape": "\x1b"}
        for key in ("slash", *"alliance", "escape", "j"):
            app.post_message(events.Key(key, characters.get(key, key)))
        await pilot.pause()
        assert app.screen is screen, "no dialog opened"
        assert listing.filter_text is None, "escape cleared what was typed"
        assert len(listing.shown) == 5 and screen.document is not None
