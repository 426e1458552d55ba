"""What a new user's walk through the keys and dialogs found (issue 20): each key does what
the screen says it does, and each notice says what happened."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Label, OptionList, Select

from tests.helpers import press, tags_of, text_document
from tests.waiting import until
from tui.app.commands import action_commands
from tui.app.screens.confirm import Confirm
from tui.app.screens.export_dialog import ExportDialog, folded_path
from tui.app.screens.main import MainScreen
from tui.app.screens.orphans import OrphansView
from tui.app.screens.tag_prompt import TagPrompt, folded_name, named
from tui.app.widgets.article_list import ArticleList
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.store import Store, Tag, TagNameError, clean_tag_name

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


async def test_the_inline_suggestion_shows_only_the_name_as_the_tag_spells_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.store.create_tag("économie")
        await press(pilot, "t", *"eco")
        name = app.screen.query_one("#tag-name", Input)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Shown after what was typed, "nomie" would read "economie": not a name that exists.
        assert "economie" not in name.render_line(0).text
        assert "“économie”" in str(app.screen.query_one("#tag-prompt-hint", Label).render())
        await press(pilot, "tab")
        assert name.value == "économie", "tab completes to the tag's own spelling"
        await press(pilot, *["backspace"] * 8, *"éco")
        await until(pilot, lambda: "économie" in name.render_line(0).text, "a suggestion")
        await press(pilot, "right")
        assert name.value == "économie"


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


async def test_the_prompt_does_not_offer_enter_for_a_name_it_refuses(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t", *("x" * 70))
        prompt = app.screen

        def hint() -> str:
            return str(prompt.query_one("#tag-prompt-hint", Label).render())

        assert "enter" not in hint() and "70 characters: 60 at most" in hint()
        await press(pilot, "enter")
        assert "at most 60" in str(prompt.query_one("#tag-prompt-message", Label).render())
        assert "enter" not in hint()
        await press(pilot, *["backspace"] * 70, *"a;b")
        assert "enter" not in hint() and "cannot hold ';'" in hint()
        await press(pilot, "backspace", "backspace")
        assert "enter: new tag “a”" in hint()


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


ORPHANED = (
    "L’alliance réunit Meta et IBM autour de l’IA ouverte.\n\n"
    "Elle compte plus de cinquante membres fondateurs.\n\n"
    "Les critiques y voient une opération de communication."
)


def orphans_of(make_corpus, store_dir, count: int):
    """A corpus of one article whose words changed under `count` highlights."""
    root = make_corpus({"doc.txt": ORPHANED, "autre.txt": "Un autre article.\n\nSa suite."})
    before = text_document("doc", ORPHANED, "doc.txt")
    with Store(store_dir) as store:
        for n in range(count):
            store.add_highlight(before, before.passages, 10 * n, 10 * n + 8, "blue")
    (root / "doc.txt").write_text("Titre nouveau\n\nTout a été réécrit.", encoding="utf-8")
    return root


async def orphans_found(app, pilot, count: int) -> None:
    """Wait until the changed article is anchored again (its sentences may be cut in a
    worker first) and its orphans known."""
    store = app.screen.store
    await until(pilot, lambda: len(store.orphans()) == count, f"{count} orphans found")


async def list_orphans(app, pilot) -> OrphansView:
    """Press o and wait until the list is the screen shown."""
    await press(pilot, "o")
    await until(pilot, lambda: isinstance(app.screen, OrphansView), "the orphans listed")
    return app.screen


async def test_attaching_an_orphan_from_the_sidebar_moves_to_the_reader(
    make_app, make_corpus, store_dir
):
    app = make_app(orphans_of(make_corpus, store_dir, 1))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await orphans_found(app, pilot, 1)
        screen.query_one(TagSidebar).focus()
        await list_orphans(app, pilot)
        await press(pilot, "enter")
        # The list's answer reaches the main screen as a message of its own, after the key.
        await until(pilot, lambda: screen.reattaching is not None, "the orphan being attached")
        # Focus moves on the app's next turn (Widget.focus is deferred): waited for, not assumed.
        await until(
            pilot, lambda: app.focused is screen.reader, "the reader focused, where v works"
        )
        await press(pilot, "v", "w", "h")
        assert screen.reattaching is None and screen.store.orphans() == []


async def test_the_orphans_list_stays_open_after_a_deletion_until_none_is_left(
    make_app, make_corpus, store_dir
):
    app = make_app(orphans_of(make_corpus, store_dir, 3))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await orphans_found(app, pilot, 3)
        view = await list_orphans(app, pilot)
        options = view.query_one(OptionList)
        await press(pilot, "down", "x", "y")
        assert app.screen is view, "still open"
        assert len(screen.store.orphans()) == 2 and options.option_count == 2
        assert options.highlighted == 1, "on the orphan after the one deleted"
        await press(pilot, "x", "y")
        assert app.screen is view and options.option_count == 1
        assert options.highlighted == 0, "the last one gone: on the one before"
        await press(pilot, "x", "n")
        assert app.screen is view and options.option_count == 1
        await press(pilot, "x", "y")
        assert app.screen is screen, "none left: closed"
        assert screen.store.orphans() == []
        await press(pilot, "o")
        assert app.screen is screen, "nothing to list"
        assert app.notified[-1] == "No orphaned annotations."


async def test_the_orphans_list_names_articles_by_their_titles(make_app, make_corpus, store_dir):
    app = make_app(orphans_of(make_corpus, store_dir, 1))
    async with app.run_test(size=SIZE) as pilot:
        await orphans_found(app, pilot, 1)
        view = await list_orphans(app, pilot)
        options = view.query_one(OptionList)
        shown = str(options.get_option_at_index(0).prompt)
        assert shown.startswith("Titre nouveau  highlight by lecteur")
        assert "doc" not in shown.split("  ")[0]


async def test_x_removes_a_whole_passage_highlight_after_asking(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        document = screen.document
        await press(pilot, "j", "h", "x")
        assert isinstance(app.screen, Confirm)
        await press(pilot, "n")
        assert screen.store.annotation(document, document.passages[1]).highlighted
        await press(pilot, "x", "y")
        assert screen.store.annotation(document, document.passages[1]) is None
        assert not any("no highlight" in message for message in app.notified)
        await press(pilot, "x")
        assert app.screen is screen
        assert "no highlight" in app.notified[-1]


async def test_the_sidebar_cursor_lands_on_a_tag_after_a_deletion(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for name in ("alpha", "beta", "gamma"):
            screen.store.create_tag(name)
        screen.refresh_counts()
        sidebar = screen.query_one(TagSidebar)
        sidebar.focus()
        await press(pilot, "home", "down", "d", "y")
        assert [t.name for t in screen.store.tags()] == ["alpha", "gamma"]
        assert sidebar.highlighted_node is not None
        assert sidebar.highlighted_node.tag.name == "gamma", "the next one"
        await press(pilot, "d", "y")
        assert sidebar.highlighted_node.tag.name == "alpha", "the last gone: the one before"
        await press(pilot, "d", "y")
        assert screen.store.tags() == []
        highlighted = sidebar.get_option_at_index(sidebar.highlighted)
        assert highlighted.id is not None and not highlighted.disabled, "on Highlights"


async def test_the_palette_does_not_repeat_the_command_s_words_under_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE):
        commands = list(action_commands(app.screen))
        assert commands
        for command in commands:
            title = command.title.rsplit(" (", 1)[0]
            assert title not in command.help, f"said twice: {title}"
        select = next(c for c in commands if c.title.startswith("Select words"))
        assert select.help.startswith("then w, b, arrows extend it")


async def test_the_article_list_shows_a_two_digit_percentage_whole_at_100_columns(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        articles = screen.query_one(ArticleList)
        await press(pilot, "t", *"sécurité", "enter")  # 1/11 annotated
        document = screen.document
        articles.set_place(document.id, document.known_length // 2)
        await pilot.pause()
        row = articles.render_line(1).text.rstrip()
        assert row.endswith(" 50%"), row
        assert row.lstrip().startswith("1/11"), row


@pytest.mark.slow
async def test_the_export_notice_breaks_the_path_after_a_slash_not_in_a_name(make_app, store_dir):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "t", *"sécurité", "enter", "e")
        target = store_dir / ("dossier-aux-noms-longs/" * 4) / "annotations-de-la-semaine.json"
        target.parent.mkdir(parents=True)
        app.screen.query_one("#export-path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (notice,) = [m for m in app.notified if m.startswith("Exported")]
        lines = notice.split("\n")
        assert all(len(line) <= 46 for line in lines), lines  # a notice is 46 wide here
        assert "".join(lines[1:]) == str(target), "the path whole, broken after a /"
        assert all(line.endswith("/") for line in lines[1:-1])
        assert lines[-1] == "annotations-de-la-semaine.json" and target.exists()


@given(
    st.lists(st.text(st.characters(blacklist_characters="/\n"), max_size=30), min_size=1),
    st.integers(1, 60),
)
def test_a_path_is_folded_after_its_slashes_and_whole(names: list[str], width: int):
    path = "/".join(names)
    lines = folded_path(path, width).split("\n")
    assert "".join(lines) == path
    for line in lines[:-1]:
        assert line.endswith("/") or "/" not in path
    for line in lines:
        assert len(line) <= width or "/" not in line[:-1], "too long only for one name"


NAMES = st.text(st.sampled_from("aeéE /;x"), max_size=12)


@given(NAMES, st.lists(NAMES, max_size=4))
def test_a_name_is_an_existing_tag_or_said_when_it_is_not_the_one_typed(
    typed: str, existing: list[str]
):
    tags = []
    for name in existing:
        with contextlib.suppress(TagNameError):
            tags.append(Tag(clean_tag_name(name), "#ffffff", None))
    try:
        choice = named(typed, tags)
    except TagNameError:
        return
    if choice.name not in [tag.name for tag in tags]:
        # New: never a near-twin of an existing tag, and said when written otherwise.
        assert all(folded_name(tag.name) != folded_name(choice.name) for tag in tags)
        assert choice.said is not None or choice.name == typed.strip()
    elif choice.name != typed.strip():
        assert choice.said is not None


@pytest.mark.slow
async def test_the_export_notice_draws_its_lines_and_a_line_end_in_a_name_as_a_glyph(
    make_app, store_dir
):
    app = make_app()
    target = store_dir / "ligne\nbrisée" / "annotations.json"
    target.parent.mkdir(parents=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "t", *"sécurité", "enter", "e")
        app.screen.query_one("#export-path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.exists()

        def shown():
            return [t for t in app.screen.query("Toast") if "Exported" in str(t.render())]

        await until(pilot, shown, "the notice is on the screen")
        (toast,) = shown()
        drawn = [toast.render_line(y).text.strip() for y in range(toast.size.height)]
        drawn = [row for row in drawn if row]
        assert drawn[:2] == ["Export", "Exported 1 annotation of 1 document to"], drawn
        # The path on lines of its own, whole; the line end in its name shown, not obeyed.
        assert "".join(drawn[2:]) == str(target).replace("\n", "␊"), drawn
        assert drawn[-1] == "annotations.json"


async def test_tagging_the_last_passage_scrolls_its_chip_into_view(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        await press(pilot, "G", "t", *"fin", "enter")
        await pilot.pause()
        shown = [reader.render_line(y).text for y in range(reader.scrollable_content_region.height)]
        assert any("● fin" in line for line in shown), "the chip of the passage just tagged"
