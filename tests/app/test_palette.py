"""The command palette (ctrl+p) and themes: every action, tags and articles by name."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from tests.helpers import press
from tui.app.app import GloseApp
from tui.corpus import Corpus
from tui.store import Store

SIZE = (110, 32)


async def palette_shows(app, pilot, query: str, expect: str | None = None) -> list[str]:
    """Open the palette, type `query`, and wait until its first result holds `expect`."""
    expect = expect or query
    await press(pilot, "ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await press(pilot, *query)
    for _ in range(200):
        await pilot.pause(0.02)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        if prompts and expect.lower() in prompts[0].lower():
            return prompts
    raise AssertionError(f"the palette never showed {query!r}")


async def test_the_palette_tags_the_current_passage_by_name(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("[bold]politique[/bold]")
        await press(pilot, "j")
        prompts = await palette_shows(
            app, pilot, "tag current passage pol", "tag current passage: [bold]politique"
        )
        assert prompts[0].startswith("tag current passage: [bold]politique[/bold]"), "literally"
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen is screen
        document = screen.document
        annotation = screen.store.annotation(document, document.passages[1])
        assert annotation is not None and annotation.tags == ["[bold]politique[/bold]"]


async def test_the_palette_opens_an_article_by_title(make_app, make_corpus):
    root = make_corpus({"[bold]nom[/bold].txt": "IBM et Meta lancent l’AI Alliance\n\nTexte."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await palette_shows(app, pilot, "open article: IBM et Meta")
        palette = app.screen.query_one(OptionList)
        shown = palette.render_line(1).text  # the help line under the first result
        assert "[bold]nom[/bold].txt" in shown, "the file name as it is, not as markup"
        await press(pilot, "enter")
        await pilot.pause()
        assert screen.document.title.startswith("IBM et Meta")
        assert app.focused is screen.reader


@pytest.mark.slow
async def test_the_palette_runs_every_key_s_action_by_its_help_words(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await palette_shows(app, pilot, "Make the next passage current")
        await press(pilot, "enter")
        await pilot.pause()
        assert screen.reader.current == 1
        prompts = await palette_shows(app, pilot, "Search")
        assert any("(/)" in prompt for prompt in prompts)
        await press(pilot, "escape")


async def test_the_theme_chosen_is_remembered(make_corpus, seeds, tmp_path):
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    app = GloseApp(Corpus.open(seeds), store)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme != "textual-light"
        app.theme = "textual-light"  # what the palette's "Theme" command does
        await pilot.pause()
    store.close()
    assert Store(store_dir, readonly=True).get_state("theme") == "textual-light"
    store = Store(store_dir)
    app = GloseApp(Corpus.open(seeds), store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
    store.close()


@pytest.mark.slow
async def test_clicking_a_tag_toggles_it_and_clicking_highlights_lists_them(make_app):
    from tui.app.screens.places import PlacesView
    from tui.app.widgets.tag_sidebar import TagSidebar

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("politique")
        screen.refresh_counts()
        await press(pilot, "j")
        document = screen.document
        await pilot.click(TagSidebar, offset=(4, 1))  # the frame's top line, then the tag
        await pilot.pause()
        annotation = screen.store.annotation(document, document.passages[1])
        assert annotation is not None and annotation.tags == ["politique"]
        await pilot.click(TagSidebar, offset=(4, 1))
        await pilot.pause()
        assert screen.store.annotation(document, document.passages[1]) is None
        await pilot.click(TagSidebar, offset=(4, 3))  # under the rule: Highlights
        await pilot.pause()
        assert isinstance(app.screen, PlacesView)
