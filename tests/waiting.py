"""Waiting on the app's own state, never on the clock."""

from __future__ import annotations


async def index_ready(app, pilot) -> None:
    """Wait until the main screen has its search index (built by a worker at start)."""
    for _ in range(400):
        if app.screen_stack[0].search_index is not None:
            return
        await pilot.pause(0.05)
    raise AssertionError("the search index was never ready")
