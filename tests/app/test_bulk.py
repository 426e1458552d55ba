"""V selects passages; 1-9, t and h then apply to all of them, one step of undo."""

from __future__ import annotations

import pytest

from tests.helpers import press, tags_of

SIZE = (110, 32)


async def test_v_then_j_selects_passages_and_a_tag_key_tags_them_all(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("politique")
        screen.refresh_counts()
        await press(pilot, "j", "V", "j", "j")
        assert screen.reader.passage_range == range(1, 4)
        assert "3 passages selected" in screen.title_text()
        marked = [line for line in (screen.reader.render_line(y).text for y in range(30))]
        assert sum(line.startswith("▌") for line in marked) > 3, "every selected passage marked"
        await press(pilot, "1")
        assert tags_of(screen) == {1: ["politique"], 2: ["politique"], 3: ["politique"]}
        assert screen.reader.passage_range == range(1, 4), "applied: the range stays"
        await press(pilot, "V", "k", "V", "j", "j", "1")  # 2-4: 4 has it not: all get it
        assert tags_of(screen) == {n: ["politique"] for n in (1, 2, 3, 4)}
        await press(pilot, "V", "V", "k", "k", "k", "1")  # 1-4 all have it: taken off all
        assert tags_of(screen) == {}
        await press(pilot, "u")
        assert tags_of(screen) == {n: ["politique"] for n in (1, 2, 3, 4)}, "one step of undo"
        assert app.notified[-1] == "Undone: removal of tag politique from 4 passages."


async def test_tagging_a_range_says_how_many_passages_got_the_tag_new(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("alpha")
        screen.refresh_counts()
        await press(pilot, "V", "j", "j", "1", "V", "j", "V", "k", "k", "k")
        assert screen.reader.passage_range == range(0, 4)
        await press(pilot, "1")
        assert app.notified[-1] == "alpha put on 1 passage (3 had it already)."
        await press(pilot, "u")
        assert app.notified[-1] == "Undone: tag alpha on 1 passage."
        assert tags_of(screen) == {n: ["alpha"] for n in (0, 1, 2)}
        await press(pilot, "t", *"alpha", "enter")
        assert app.notified[-1] == "alpha put on 1 passage (3 had it already)."
        await press(pilot, "t", *"alpha", "enter")  # t only adds: nothing new
        assert app.notified[-1] == "alpha was on all 4 passages already."


@pytest.mark.slow
async def test_h_and_t_apply_to_the_range_and_escape_leaves_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "V", "j", "h", "V")
        lit = sorted(a.passage for a in screen.store.annotations() if a.highlighted)
        assert lit == [0, 1]
        await press(pilot, "V", "j", "t", *"économie", "enter", "V")
        await pilot.pause()
        assert tags_of(screen) == {1: ["économie"], 2: ["économie"]}
        await press(pilot, "V", "j", "escape")
        assert screen.reader.passage_range is None and screen.reader.current == 3
        await press(pilot, "1")  # no range: the current passage alone
        assert tags_of(screen)[3] == ["économie"]
