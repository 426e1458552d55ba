"""What a new user's walk through the keys and dialogs found (issue 20): each key does what
the screen says it does, and each notice says what happened."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, OptionList, Select

from tests.helpers import press
from tui.app.screens.confirm import Confirm
from tui.app.screens.export_dialog import ExportDialog
from tui.app.screens.main import MainScreen
from tui.app.screens.tag_prompt import TagPrompt
from tui.app.widgets.tag_sidebar import TagSidebar

SIZE = (120, 40)


@pytest.mark.slow
async def test_e_then_enter_exports_and_the_format_list_still_opens_with_an_arrow(
    make_app, store_dir
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t", *"sécurité", "enter")
        await press(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        # The format list opens with down; a letter and enter there choose CSV, not export.
        await press(pilot, "down", "c", "enter")
        assert dialog.query_one("#export-format", Select).value == "csv"
        assert app.screen is dialog
        await press(pilot, "enter")  # as its last line says: enter exports
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(list((store_dir / "exports").glob("*.csv"))) == 1
        # The next time, e and enter export at once, in the format used last.
        await press(pilot, "e", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(list((store_dir / "exports").glob("*.csv"))) == 2


async def test_the_export_dialog_names_the_article_by_its_title(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        title = app.screen.document.title
        await press(pilot, "e")
        which = app.screen.query_one("#export-documents", Select)
        which.focus()
        await press(pilot, "down")  # the list of what to export opens
        options = which.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["Every article", f"This article: {title}"]


def tags_of(screen) -> dict[int, list[str]]:
    return {a.passage: a.tags for a in screen.store.annotations() if a.tags}


async def test_v_lasts_until_v_or_escape_as_help_says(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("politique")
        screen.store.create_tag("économie")
        screen.refresh_counts()
        await press(pilot, "V", "j", "1")
        assert screen.reader.passage_range == range(0, 2), "a tag key keeps the range"
        await press(pilot, "2", "h")
        assert tags_of(screen) == {0: ["politique", "économie"], 1: ["politique", "économie"]}
        assert sorted(a.passage for a in screen.store.annotations() if a.highlighted) == [0, 1]
        await press(pilot, "j", "1")  # the range grows; 0-2 do not all carry it: all get it
        assert screen.reader.passage_range == range(0, 3)
        assert tags_of(screen)[2] == ["politique"]
        await press(pilot, "t", *"société", "enter")
        assert screen.reader.passage_range == range(0, 3), "t keeps it too"
        assert all("société" in tags for tags in tags_of(screen).values())
        await press(pilot, "V")
        assert screen.reader.passage_range is None
        await press(pilot, "V", "escape")
        assert screen.reader.passage_range is None


async def test_undo_says_what_it_undid_a_removal_is_not_an_addition(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("politique")
        screen.refresh_counts()
        await press(pilot, "1", "1", "u")
        assert app.notified[-1] == "Undone: removal of tag politique."
        await press(pilot, "ctrl+r")
        assert app.notified[-1] == "Redone: removal of tag politique."
        await press(pilot, "u", "u")
        assert app.notified[-1] == "Undone: tag politique."
        await press(pilot, "h", "h", "u")
        assert app.notified[-1] == "Undone: removal of a highlight."
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: highlight."
        await press(pilot, "a", *"Une note.", "ctrl+s")
        await press(pilot, "a", "ctrl+a", "ctrl+k", "ctrl+s")  # emptied: the note goes
        assert screen.store.annotations() == []
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: removal of a note."
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: note."
        await press(pilot, "V", "j", "1", "1", "u")
        assert app.notified[-1] == "Undone: removal of tag politique from 2 passages."
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: tag politique on 2 passages."
        await press(pilot, "h", "h", "u")
        assert app.notified[-1] == "Undone: removal of highlights from 2 passages."


async def test_tag_completion_ignores_accents_and_enter_uses_the_tag_that_exists(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("économie")
        screen.store.create_tag("Écologie")
        await press(pilot, "t", *"eco")
        prompt = app.screen
        matches = prompt.query_one("#tag-matches", OptionList)
        shown = [matches.get_option_at_index(i).id for i in range(matches.option_count)]
        assert set(shown) == {"économie", "Écologie"}
        await press(pilot, *"nomie")
        assert "“économie”" in str(prompt.query_one("#tag-prompt-hint", Label).render())
        await press(pilot, "enter")
        assert [t.name for t in screen.store.tags()] == ["économie", "Écologie"], "no new tag"
        assert tags_of(screen) == {0: ["économie"]}
        await press(pilot, "j", "t", *"ecol", "tab")
        assert app.screen.query_one(Input).value == "Écologie"


async def test_a_tag_name_written_otherwise_than_typed_is_said(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "t", *"/lead", "enter")
        assert [t.name for t in screen.store.tags()] == ["lead"]
        assert any("“lead”" in m and "cannot start with /" in m for m in app.notified)
        await press(pilot, "j", "t", *"a//b/", "enter")
        assert screen.store.find_tag("a/b") is not None
        assert any("“a/b”" in m and "empty level" in m for m in app.notified)
        notified = len(app.notified)
        await press(pilot, "j", "t", *"  lead ", "enter")  # spaces around it: nothing to say
        assert app.notified[notified:] == []
        # Too long a name is not cut: the prompt says so and stays open.
        await press(pilot, "t", *("x" * 70), "enter")
        prompt = app.screen
        assert isinstance(prompt, TagPrompt)
        assert prompt.query_one(Input).value == "x" * 70
        assert "at most 60" in str(prompt.query_one("#tag-prompt-message", Label).render())


async def test_renaming_says_a_changed_name_and_an_accent_apart_is_a_merge(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("politique")
        screen.store.create_tag("économie")
        screen.refresh_counts()
        sidebar = screen.query_one(TagSidebar)
        sidebar.focus()
        await press(pilot, "home", "r")
        app.screen.query_one(Input).value = "/lead"
        await press(pilot, "enter")
        assert [t.name for t in screen.store.tags()] == ["lead", "économie"]
        assert app.notified[-1] == "Named “lead” (a name cannot start with /)."
        await press(pilot, "r")
        app.screen.query_one(Input).value = "Economie"
        await press(pilot, "enter")
        assert isinstance(app.screen, Confirm), "a merge into économie, asked first"
        await press(pilot, "y")
        assert [t.name for t in screen.store.tags()] == ["économie"]
