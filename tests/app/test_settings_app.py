"""The settings in the running reader: remapped keys move it, a bad file is said (with its
line) and the reader works with the defaults, the theme is a default the palette's choice beats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import press, recording
from tui.app.app import GloseApp, binding_ids
from tui.settings import Settings, load_settings

SIZE = (120, 40)


@pytest.fixture
def make_app(make_app):
    """The app over the seeds with these settings; `app.notified` holds (message, title)."""

    def make(settings: Settings) -> GloseApp:
        app = make_app(settings=settings)
        app.notified = recording(app, with_title=True)
        return app

    return make


async def test_a_remapped_key_moves_the_reader_and_the_old_keys_do_not(make_app):
    app = make_app(Settings(keys={"reader.next": "l", "reader.previous": "ctrl+k"}))
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        await press(pilot, "l")
        assert reader.current == 1
        await press(pilot, "l", "l")
        assert reader.current == 3
        await press(pilot, "j", "down")
        assert reader.current == 3, "j and down were the default keys: the settings replace them"
        await press(pilot, "ctrl+k")
        assert reader.current == 2
        await press(pilot, "k")
        assert reader.current == 2
        await press(pilot, "G")
        assert reader.current == 10, "bindings the settings leave alone keep their keys"
        assert [title for _, title in app.notified if title == "Settings"] == []


async def test_a_keymap_from_a_settings_file_reaches_the_reader(make_app, store_dir: Path):
    store_dir.mkdir()
    (store_dir / "settings.toml").write_text('[keys]\nreader.next = "l,down"\n', "utf-8")
    app = make_app(load_settings(store_dir, store_dir / "no-config"))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "down", "l")
        assert app.screen.reader.current == 2


async def test_a_bad_file_is_said_with_its_line_and_the_reader_works(make_app, store_dir: Path):
    store_dir.mkdir()
    (store_dir / "settings.toml").write_text(
        '[keys]\n"reader.next" = "l"\ntheme = \n', encoding="utf-8"
    )
    app = make_app(load_settings(store_dir, store_dir / "no-config"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = [message for message, title in app.notified if title == "Settings"]
        assert len(said) == 1
        assert "settings.toml, line 3, column 9: not valid TOML" in said[0]
        await press(pilot, "j")
        assert app.screen.reader.current == 1, "the defaults apply: j is the next passage"
        await press(pilot, "l")
        assert app.screen.reader.current == 1


async def test_unknown_ids_and_themes_are_said_and_the_rest_applies(make_app):
    settings = Settings(
        theme="no-such-theme",
        keys={"reader.nxt": "l", "reader.previous": "ctrl+k"},
        problems=("Settings file x, line 2: theme must be text in quotes; ignored.",),
    )
    app = make_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = [message for message, title in app.notified if title == "Settings"]
        assert said[0].startswith("Settings file x, line 2")
        assert any('no binding "reader.nxt" (did you mean "reader.next"?)' in s for s in said)
        assert any('theme "no-such-theme" is not a theme' in s for s in said)
        assert len(said) == 3
        await press(pilot, "j", "j", "ctrl+k")
        assert app.screen.reader.current == 1


async def test_the_settings_theme_is_a_default_and_the_remembered_one_wins(
    make_app, store_dir: Path
):
    app = make_app(Settings(theme="nord"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert app.store.get_state("theme") is None, "a default is not remembered as a choice"
        app.theme = "gruvbox"
        await pilot.pause()
    app.store.close()
    app = make_app(Settings(theme="nord"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "gruvbox"


async def test_a_key_taken_from_another_binding_is_said(make_app):
    app = make_app(Settings(keys={"reader.next": "g"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = [message for message, title in app.notified if title == "Settings"]
        assert said == [
            'Settings: "reader.next" gets the key "g" from "reader.first" (Reader), '
            "which no longer has it."
        ]
        await press(pilot, "g", "g")
        assert app.screen.reader.current == 2
        await press(pilot, "home")
        assert app.screen.reader.current == 0, "the other keys of reader.first stay"


def test_the_binding_ids_include_every_pane_and_dialog():
    ids = binding_ids()
    assert {"reader.next", "tag.by_name", "app.quit", "list.open", "export.run"} <= ids
    assert {"confirm.yes", "note.save", "prompt.apply", "selection.leave"} <= ids


async def test_the_palette_names_the_settings_keys(make_app):
    app = make_app(Settings(keys={"reader.next": "l"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        binding = next(b for b in app.screen.reader.BINDINGS if b.id == "reader.next")
        assert app.bound(binding).key == "l"
        other = next(b for b in app.screen.reader.BINDINGS if b.id == "reader.previous")
        assert app.bound(other) is other


def test_the_keys_page_lists_every_binding_id():
    page = (Path(__file__).resolve().parents[2] / "docs" / "keys.md").read_text(encoding="utf-8")
    section = page[page.index("## Binding ids") :]
    table = section.split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z_]+\.[a-z_0-9]+)`", table)) | {f"tag.{n}" for n in range(1, 10)}
    assert listed == binding_ids()


async def test_the_help_shows_the_settings_keys_and_h_the_settings_colour(make_app):
    app = make_app(Settings(keys={"reader.next": "ctrl+j"}, highlight_color="green"))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "h")
        annotation = app.screen.store.annotations()[0]
        assert annotation.highlighted and annotation.color == "green"
        await press(pilot, "question_mark")
        help_screen = app.screen
        keys = {
            b.id: help_screen.keys_of(b) for _, bindings in help_screen.sections for b in bindings
        }
        assert keys["reader.next"] == "^j"  # as Textual shows ctrl+j
