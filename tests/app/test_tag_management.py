"""The tag tree in the sidebar and its keys: fold, rename (and merge), delete, recolour, key,
describe; each shown at once in the reader and the sidebar, and undone by u."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.helpers import press
from tui.app.screens.confirm import Confirm
from tui.app.screens.note_editor import NoteEditor
from tui.app.screens.places import PlacesView
from tui.app.screens.tag_editing import ChooseColour, ChooseKey, RenameTag
from tui.app.widgets.tag_sidebar import LEVEL, TagSidebar

from .test_palette import palette_shows

SIZE = (120, 34)


def rows(sidebar: TagSidebar) -> list[str]:
    return [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]


def reader_lines(screen) -> list[str]:
    return [screen.reader.render_line(y).text for y in range(screen.reader.size.height)]


async def coded(app, pilot) -> TagSidebar:
    """Passages 1 and 2 tagged politique/régulation (key 1); 2 also politique/éthique (2)."""
    screen = app.screen
    for name in ("politique/régulation", "politique/éthique", "économie"):
        screen.store.create_tag(name)
    await press(pilot, "1", "j", "1", "2")
    sidebar = screen.query_one(TagSidebar)
    sidebar.focus()
    await press(pilot, "home")
    return sidebar


async def test_levels_fold_and_count_each_passage_under_them_once(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        sidebar = await coded(app, pilot)
        shown = rows(sidebar)
        assert shown[0].split() == ["▾", "politique", "2"]  # two passages, not three tags
        assert shown[1].split() == ["1", "●", "régulation", "2"]
        assert shown[2].split() == ["2", "●", "éthique", "1"]
        await press(pilot, "space")
        assert rows(sidebar)[0].split() == ["▸", "politique", "2"]
        assert "régulation" not in " ".join(rows(sidebar))
        await press(pilot, "right")
        assert "régulation" in " ".join(rows(sidebar))
        # enter on a level lists the passages of every tag under it
        await press(pilot, "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlacesView)
        assert len(app.screen.places) == 2
        assert app.screen.title_text.startswith("Tagged politique: 2 places")


@pytest.mark.slow
async def test_renaming_a_level_moves_its_tags_on_every_passage_and_u_undoes_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        sidebar = await coded(app, pilot)
        screen = app.screen
        await press(pilot, "r")
        assert isinstance(app.screen, RenameTag)
        app.screen.query_one(Input).value = "policy"
        await press(pilot, "enter")
        await pilot.pause()
        names = [t.name for t in screen.store.tags()]
        assert names == ["policy/régulation", "policy/éthique", "économie"]
        assert rows(sidebar)[0].split() == ["▾", "policy", "2"]
        assert sidebar.highlighted_node.path == "policy", "the cursor follows the new name"
        assert any("● policy/régulation" in line for line in reader_lines(screen))
        assert not any("politique" in line for line in reader_lines(screen))
        await press(pilot, "u")
        await pilot.pause()
        assert app.notified[-1] == "Undone: rename politique to policy."
        assert rows(sidebar)[0].split() == ["▾", "politique", "2"]
        assert any("● politique/régulation" in line for line in reader_lines(screen))


@pytest.mark.slow
async def test_renaming_onto_another_tag_asks_then_merges(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        sidebar = await coded(app, pilot)
        screen = app.screen
        await press(pilot, "down", "down", "r")  # politique/éthique
        app.screen.query_one(Input).value = "politique/régulation"
        await press(pilot, "enter")
        assert isinstance(app.screen, Confirm)
        await press(pilot, "n")
        assert screen.store.find_tag("politique/éthique") is not None
        await press(pilot, "r")
        app.screen.query_one(Input).value = "Politique / Régulation"
        await press(pilot, "enter", "y")
        await pilot.pause()
        assert screen.store.find_tag("politique/éthique") is None
        assert [a.tags for a in screen.store.annotations()] == [
            ["politique/régulation"],
            ["politique/régulation"],
        ]
        assert rows(sidebar)[1].split() == ["1", "●", "régulation", "2"]


async def test_a_bad_name_is_refused_in_the_dialog_and_escape_changes_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await coded(app, pilot)
        await press(pilot, "down", "r")
        app.screen.query_one(Input).value = "a;b"
        await press(pilot, "enter")
        assert isinstance(app.screen, RenameTag)
        assert "';'" in str(app.screen.query_one("#tag-edit-message").render())
        await press(pilot, "escape")
        assert app.screen.store.find_tag("politique/régulation") is not None


@pytest.mark.slow
async def test_deleting_asks_then_takes_the_tag_off_and_u_puts_it_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        sidebar = await coded(app, pilot)
        screen = app.screen
        await press(pilot, "d")  # the politique level: both tags under it
        assert isinstance(app.screen, Confirm)
        assert "2 passages" in app.screen.question
        assert "Delete the 2 tags under politique?" in app.screen.question
        await press(pilot, "y")
        await pilot.pause()
        assert [t.name for t in screen.store.tags()] == ["économie"]
        assert screen.store.annotations() == []
        assert not any("politique" in line for line in reader_lines(screen))
        await press(pilot, "u")
        await pilot.pause()
        assert len(screen.store.annotations()) == 2
        assert rows(sidebar)[0].split() == ["▾", "politique", "2"]


async def test_deleting_a_tag_on_segments_says_so_before_taking_them(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        sidebar = await coded(app, pilot)
        screen = app.screen
        document = screen.document
        passage = document.passages[3]
        start = passage.start
        screen.store.tag_span(document, document.passages, start, start + 12, "économie")
        screen.refresh_everything()
        [row] = [i for i, shown in enumerate(rows(sidebar)) if "économie" in shown]
        assert rows(sidebar)[row].split()[-2:] == ["économie", "1"], "the segment is counted"
        await press(pilot, *["down"] * row)
        await press(pilot, "d")
        assert isinstance(app.screen, Confirm)
        assert "It comes off 0 passages and 1 segment" in app.screen.question
        await press(pilot, "y")
        await pilot.pause()
        assert screen.store.highlights() == []


@pytest.mark.slow
async def test_colour_key_and_description_are_chosen_in_dialogs(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await coded(app, pilot)
        store = app.screen.store
        await press(pilot, "down", "c", "enter")  # its own colour again
        assert app.notified[-1] == "Nothing changed."
        await press(pilot, "c")
        assert isinstance(app.screen, ChooseColour)
        await press(pilot, "down", "enter")
        await pilot.pause()
        tag = store.find_tag("politique/régulation")
        assert tag.color == "#ff7f0e"  # the next colour after its own (#1f77b4)
        await press(pilot, "K")
        assert isinstance(app.screen, ChooseKey)
        await press(pilot, "3")
        assert store.find_tag("politique/régulation").key == 3
        assert store.find_tag("économie").key == 1, "the key holder got the old key"
        await press(pilot, "E")
        assert isinstance(app.screen, NoteEditor), "the cursor stayed on the tag it changed"
        await press(pilot, *"Les lois.", "ctrl+s")
        await pilot.pause()
        assert store.find_tag("politique/régulation").description == "Les lois."
        # A level is not a tag: it has no colour of its own.
        sidebar = app.screen.query_one(TagSidebar)
        assert rows(sidebar)[0].split()[:2] == ["1", "●"], "économie took key 1: first now"
        sidebar.highlighted = sidebar.get_option_index(LEVEL + "politique")
        await press(pilot, "c")
        assert "level of the tree" in app.notified[-1]


@pytest.mark.slow
async def test_the_palette_offers_each_change_for_each_tag(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await coded(app, pilot)
        await palette_shows(app, pilot, "rename tag: économie")
        await press(pilot, "enter")
        await pilot.pause()
        assert isinstance(app.screen, RenameTag) and app.screen.path == "économie"


def test_each_tag_verb_is_a_sidebar_key_a_palette_command_and_a_change():
    from tui.app.actions.tag_verbs import TAG_VERBS
    from tui.app.actions.tags import TagChanges

    keys = {binding.id: binding for binding in TagSidebar.BINDINGS}
    for verb in TAG_VERBS:
        assert keys[verb.binding_id].action == f"manage('{verb.name}')"
        assert keys[verb.binding_id].tooltip == verb.tooltip
        assert callable(getattr(TagChanges, verb.name)), "the dispatcher has it"
