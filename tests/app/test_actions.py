"""The actions' Protocols list what they use of the main screen: the screen has all of it."""

from __future__ import annotations

from typing import Protocol

import pytest

from tui.app.actions.host import ArticlesHost, Host, SearchHost


def members(protocol: type) -> set[str]:
    names: set[str] = set()
    for cls in protocol.__mro__:
        if cls in (object, Protocol) or not getattr(cls, "_is_protocol", False):
            continue
        names.update(getattr(cls, "__annotations__", {}))
        names.update(name for name in vars(cls) if not name.startswith("_"))
    return names


@pytest.mark.parametrize("protocol", [Host, ArticlesHost, SearchHost], ids=lambda p: p.__name__)
async def test_the_main_screen_is_what_its_actions_take_it_for(make_app, protocol):
    assert {"store", "reader", "ask", "writable"} <= members(protocol)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        missing = sorted(name for name in members(protocol) if not hasattr(screen, name))
        assert missing == []
