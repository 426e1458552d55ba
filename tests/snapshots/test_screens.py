"""Snapshots of each screen at a fixed terminal size (pytest --snapshot-update to accept)."""

from __future__ import annotations

from textual.widgets import Input

SIZE = (110, 32)


def test_main_screen_on_start(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_main_screen_with_tags_and_highlights(snap_compare, make_app):
    app = make_app()

    async def annotate(pilot):
        store = app.screen.store
        store.create_tag("politique")
        store.create_tag("économie")
        await pilot.press("j", "j", "1", "2", "j", "h", "1", "j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=annotate)


def test_help_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["question_mark"])


def test_tag_prompt_with_completion(snap_compare, make_app):
    app = make_app()

    async def prompt(pilot):
        app.screen.store.create_tag("politique")
        app.screen.store.create_tag("économie")
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one(Input).cursor_blink = False
        await pilot.press("p", "o")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=prompt)


def test_main_screen_at_40_by_12(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(40, 12))


def test_main_screen_at_200_by_60(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(200, 60), press=["j", "h"])


def test_terminal_too_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(36, 10))


def test_article_info(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["i"])
