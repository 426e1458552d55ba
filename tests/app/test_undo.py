"""u and ctrl+r: undo and redo every annotation change, saying what was undone."""

from __future__ import annotations

import pytest

from tests.helpers import press
from tui.app.widgets.tag_sidebar import TagSidebar

SIZE = (110, 32)


def state(screen) -> tuple:
    store = screen.store
    return (
        sorted((a.passage, tuple(a.tags), a.highlighted, a.color) for a in store.annotations()),
        sorted((h.start, h.end, h.color) for h in store.highlights()),
    )


@pytest.mark.slow
async def test_u_undoes_each_change_and_ctrl_r_redoes_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("politique")
        screen.refresh_counts()
        states = [state(screen)]
        for keys in (("j", "1"), ("j", "h"), ("c",), ("v", "w", "h")):
            await press(pilot, *keys)
            await pilot.pause()
            states.append(state(screen))
        assert len({repr(s) for s in states}) == 5
        for expected in reversed(states[:-1]):
            await press(pilot, "u")
            await pilot.pause()
            assert state(screen) == expected
        assert app.notified[-1] == "Undone: tag politique."
        assert screen.query_one(TagSidebar).counts.get("politique", 0) == 0, "sidebar follows"
        await press(pilot, "u")
        assert app.notified[-1] == "Nothing to undo."
        for expected in states[1:]:
            await press(pilot, "ctrl+r")
            await pilot.pause()
            assert state(screen) == expected
        assert screen.query_one(TagSidebar).counts["politique"] == 1
        # Shown as it is held: the tag row under passage 2 is back on screen.
        lines = [screen.reader.render_line(y).text for y in range(screen.reader.size.height)]
        assert any("● politique" in line for line in lines)


async def test_undo_of_a_change_in_another_article_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        first = screen.document
        await press(pilot, "j", "h", "right_square_bracket")
        assert screen.document is not first
        await press(pilot, "u")
        await pilot.pause()
        assert screen.document is first and screen.store.annotations() == []
