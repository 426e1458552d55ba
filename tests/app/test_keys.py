"""Every key of the core reader, driven with Pilot, asserting on the app's state and store."""

from __future__ import annotations

import io
import json

import pytest
from rich.color import Color
from rich.console import Console
from textual import events
from textual.widgets import Input, OptionList, Static

from tests.helpers import press
from tests.waiting import until
from tui.app.screens.export_dialog import ExportDialog
from tui.app.screens.help import HelpScreen
from tui.app.screens.main import MainScreen
from tui.app.screens.tag_prompt import TagPrompt
from tui.app.widgets.article_list import ArticleList
from tui.app.widgets.reader import Reader
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.store import Store
from tui.store.model import HIGHLIGHT_COLORS

SIZE = (120, 40)


def title_bar(app) -> str:
    return app.screen.title_text()


def reader_lines(app) -> list[str]:
    reader = app.screen.query_one(Reader)
    return [reader.render_line(y).text for y in range(reader.size.height)]


async def test_start_opens_the_first_article_at_its_first_passage_with_reader_focus(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.document.id == "000_9ff77a90e9a0ba93"
        assert screen.reader.current == 0
        assert app.focused is screen.reader
        assert "passage 1/11" in title_bar(app)
        assert "Capture d'écran" in title_bar(app)
        assert reader_lines(app)[0].startswith("▌ Capture d'écran")


async def test_passage_movement_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        await press(pilot, "j")
        assert reader.current == 1
        await press(pilot, "down", "down")
        assert reader.current == 3
        await press(pilot, "k")
        assert reader.current == 2
        await press(pilot, "up")
        assert reader.current == 1
        await press(pilot, "G")
        assert reader.current == 10
        await press(pilot, "j")
        assert reader.current == 10, "j on the last passage stays there"
        await press(pilot, "g")
        assert reader.current == 0
        await press(pilot, "k")
        assert reader.current == 0
        await press(pilot, "end")
        assert reader.current == 10
        await pilot.pause()
        assert "passage 11/11" in title_bar(app)
        assert reader.scroll_y > 0, "the last passage was scrolled into view"
        await press(pilot, "home")
        assert reader.current == 0
        await pilot.pause()
        assert reader.scroll_y == 0


async def test_page_keys_move_by_a_screen(make_app):
    app = make_app()
    async with app.run_test(size=(120, 16)) as pilot:
        reader = app.screen.reader
        await press(pilot, "space")
        first_page = reader.current
        assert first_page > 1
        await pilot.pause()
        assert reader.scroll_y > 0
        top_block = reader.passage_layout.block(first_page)
        assert round(reader.scroll_y) == top_block.top, "the new current passage is at the top"
        await press(pilot, "pagedown")
        assert reader.current > first_page
        await press(pilot, "pageup")
        assert reader.current < reader.passage_count - 1
        await press(pilot, "pageup", "pageup", "pageup")
        assert reader.current == 0


async def test_square_brackets_open_next_and_previous_article(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "j", "right_square_bracket")
        assert screen.document.id == "001_5049656ab526f4d3"
        assert screen.reader.current == 0
        await press(pilot, "right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert screen.document.id == "004_5666f5666deb1184"
        await press(pilot, "right_square_bracket")
        assert screen.document.id == "004_5666f5666deb1184"
        await press(pilot, "left_square_bracket")
        assert screen.document.id == "003_df3649e4754c1e63"
        assert screen.query_one(ArticleList).highlighted == 3


async def test_tab_cycles_focus_between_the_three_panes(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "tab")
        assert app.focused is screen.query_one(TagSidebar)
        await press(pilot, "tab")
        assert app.focused is screen.query_one(ArticleList)
        await press(pilot, "tab")
        assert app.focused is screen.reader
        await press(pilot, "shift+tab")
        assert app.focused is screen.query_one(ArticleList)


async def test_list_keys_move_and_enter_opens_and_focuses_the_reader(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "shift+tab")
        articles = screen.query_one(ArticleList)
        assert app.focused is articles
        await press(pilot, "down", "down", "down", "up")
        assert articles.highlighted == 2
        assert screen.document.id == "000_9ff77a90e9a0ba93", "moving does not open"
        await press(pilot, "enter")
        await pilot.pause()
        assert screen.document.id == "002_c25bee6c01f21316"
        assert app.focused is screen.reader
        assert screen.reader.current == 0


@pytest.mark.slow
async def test_t_creates_a_tag_and_number_keys_toggle_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        store = screen.store
        document = screen.document
        await press(pilot, "j", "j", "t")
        await pilot.pause()
        assert isinstance(app.screen, TagPrompt)
        await press(pilot, *"politique", "enter")
        await pilot.pause()
        assert app.screen is screen
        tag = store.find_tag("politique")
        assert tag is not None and tag.key == 1
        assert store.annotation(document, document.passages[2]).tags == ["politique"]
        # Shown: the tag line under the passage, the sidebar count, the list count.
        assert any("● politique" in line for line in reader_lines(app))
        assert screen.query_one(TagSidebar).counts == {"politique": 1}
        assert "1/11 annotated" in str(screen.query_one(ArticleList).prompt_at(0))

        await press(pilot, "j", "1")
        assert store.annotation(document, document.passages[3]).tags == ["politique"]
        await press(pilot, "1")
        assert store.annotation(document, document.passages[3]) is None
        assert screen.query_one(TagSidebar).counts == {"politique": 1}


async def test_number_key_without_a_tag_explains_itself(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "5")
        await pilot.pause()
        messages = app.notified
        assert messages == ["No tag has key 5 yet: press t to create one."]
        assert app.screen.store.annotations() == []


@pytest.mark.slow
async def test_t_completes_existing_tags_and_refuses_an_empty_name(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        store = screen.store
        store.create_tag("Économie")
        store.create_tag("Politique")
        await press(pilot, "t")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TagPrompt)
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen is prompt, "an empty name keeps the prompt open"
        assert "needs a name" in str(prompt.query_one("#tag-prompt-message").render())
        await press(pilot, "p", "o")
        matches = prompt.query_one("#tag-matches", OptionList)
        assert [matches.get_option_at_index(i).id for i in range(matches.option_count)] == [
            "Politique"
        ]
        await press(pilot, "tab")
        assert prompt.query_one(Input).value == "Politique"
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen is screen
        assert store.annotation(screen.document, screen.document.passages[0]).tags == ["Politique"]
        assert len(store.tags()) == 2


async def test_t_then_escape_cancels(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "t", "x", "escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.store.tags() == []
        assert screen.store.annotations() == []


async def test_h_toggles_the_highlight_of_the_current_passage(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        passage = screen.document.passages[1]
        await press(pilot, "j", "h")
        annotation = screen.store.annotation(screen.document, passage)
        assert annotation is not None and annotation.highlighted
        reader = screen.reader
        block = reader.passage_layout.block(1)
        strip = reader.render_line(block.top - round(reader.scroll_y))
        yellow = Color.parse(HIGHLIGHT_COLORS["yellow"])
        assert any(seg.style and seg.style.bgcolor == yellow for seg in strip)
        await press(pilot, "h")
        assert screen.store.annotation(screen.document, passage) is None


@pytest.mark.slow
async def test_e_exports_json_into_the_store_and_says_where(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t", *"sécurité", "enter")
        await pilot.pause()
        await press(pilot, "e")
        assert isinstance(app.screen, ExportDialog)
        await press(pilot, "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        exported = list((store_dir / "exports").glob("annotations-*.json"))
        assert len(exported) == 1
        data = json.loads(exported[0].read_text(encoding="utf-8"))
        assert data["documents"][0]["passages"][0]["tags"] == ["sécurité"]
        assert any(str(exported[0]) in m.replace("\n", "") for m in app.notified)


def help_text(app) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#help-table", Static).content)
    return console.export_text()


@pytest.mark.slow
async def test_question_mark_lists_the_focused_pane_s_keys_and_those_of_anywhere(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.focused, Reader)
        await press(pilot, "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = help_text(app)
        assert "Reader (focused)" in table and "Tag sidebar" not in table.split("tab moves")[0]
        for explanation in (
            "Make the next passage current.",
            "Put the tag with that number on the selected words (v); or toggle it on the "
            "segment under the cursor (;), or else on the current passage.",
            "Highlight the selected words",
            "Export annotations: choose the format, what and where.",
            "Move focus to the next pane",
            "Hide the article list and tag sidebar",
        ):
            assert explanation in table
        assert "Open the highlighted article" not in table, "the list is not focused"
        assert "tab moves to the article list and the tag sidebar" in table
        assert "1-9" in table and "\n2 " not in table, "keys 1-9 make one line"
        assert table.count("Quit. Every change is already saved.") == 2, "q and ctrl+c"
        keys = {b.key for _, bindings in app.screen.sections for b in bindings}
        for key in ("j,down", "k,up", "g,home", "G,end", "space,pagedown", "pageup", "V"):
            assert key in keys
        for key in ("right_square_bracket", "t", "h", "e", "q", "question_mark", "tab", "u"):
            assert key in keys
        await press(pilot, "escape")
        app.screen.query_one(TagSidebar).focus()
        await press(pilot, "question_mark")
        table = help_text(app)
        assert "Tag sidebar (focused)" in table and "Make the next passage current." not in table
        assert "Rename the highlighted tag" in table
        await press(pilot, "escape")
        app.screen.query_one(ArticleList).focus()
        await press(pilot, "question_mark")
        assert "Open the highlighted article and move to the reader." in help_text(app)
        await press(pilot, "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_ctrl_c_quits_and_loses_nothing(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "h", "ctrl+c")
        await pilot.pause()
    assert not app.is_running
    # Another process's view of the store (read-only, from the files) has the highlight.
    on_disk = Store(store_dir, readonly=True)
    assert [a.highlighted for a in on_disk.annotations()] == [True]


async def test_clicking_a_passage_makes_it_current(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        block = reader.passage_layout.block(2)
        await pilot.click(Reader, offset=(5, block.top + 1))
        assert reader.current == 2


async def test_the_wheel_scrolls_the_reader(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        await pilot.hover(Reader, offset=(5, 5))
        for _ in range(3):  # what a terminal sends for the wheel, over the reader
            reader.post_message(events.MouseScrollDown(reader, 5, 5, 0, 1, 0, False, False, False))
        await until(pilot, lambda: reader.scroll_y > 0, "the reader scrolled down")
        top = reader.scroll_y
        reader.post_message(events.MouseScrollUp(reader, 5, 5, 0, -1, 0, False, False, False))
        await until(pilot, lambda: reader.scroll_y < top, "and back up")


async def test_markup_in_titles_text_and_tags_is_shown_literally(make_app, make_corpus):
    root = make_corpus(
        {
            "[b]x[/b].txt": "[bold]Titre[/bold] [@click=app.quit]clic[/]\n\npath [/ tmp [/bold]\n",
        }
    )
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "[bold]Titre[/bold] [@click=app.quit]clic[/]" in title_bar(app)
        lines = reader_lines(app)
        assert lines[0].startswith("▌ [bold]Titre[/bold] [@click=app.quit]clic[/]")
        assert lines[2].startswith("  path [/ tmp [/bold]")
        await press(pilot, "t", *"[red]x[/red]", "enter")
        await pilot.pause()
        assert any("● [red]x[/red]" in line for line in reader_lines(app))
        assert app.is_running


async def test_keys_faster_than_the_screen_never_mix_up_articles(make_app):
    """Each ] and G is sent before the previous article's messages are handled."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(4):
            await press(pilot, "right_square_bracket", "G", "left_square_bracket", "G")
            await press(pilot, "right_square_bracket", "right_square_bracket", "G")
        await pilot.pause()
        screen = app.screen
        assert app.is_running
        total = len(screen.document.passages)
        assert screen.reader.current == total - 1
        assert f"passage {total}/{total}" in screen.title_text()


async def test_a_flood_of_passage_changes_is_handled_as_the_last_one(make_app):
    app = make_app()
    handled: list[Reader.CurrentChanged] = []

    def seen(message) -> None:
        if isinstance(message, Reader.CurrentChanged) and all(m is not message for m in handled):
            handled.append(message)

    async with app.run_test(size=SIZE, message_hook=seen) as pilot:
        await pilot.pause()
        screen = app.screen
        reader = screen.reader
        handled.clear()
        for index in range(1, 9):  # as j held down would, faster than the screen handles them
            reader.current = index
            reader.post_message(Reader.CurrentChanged(reader, index, reader.passages))
        await pilot.pause()
        assert 1 <= len(handled) < 8, "coalesced"
        assert handled[-1].index == 8
        assert "passage 9/" in title_bar(app)
