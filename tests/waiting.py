"""Waiting on the app's own state, never on the clock."""

from __future__ import annotations


async def index_ready(app, pilot) -> None:
    """Wait until the main screen has its search index (built by a worker at start)."""
    for _ in range(400):
        if app.screen_stack[0].search_index is not None:
            return
        await pilot.pause(0.05)
    raise AssertionError("the search index was never ready")


async def articles_read(app, pilot) -> None:
    """Wait until every article of the corpus has its passage count (read in the background);
    files found unreadable have left the corpus by then."""
    corpus = app.screen_stack[0].corpus
    for _ in range(400):
        if all(document.known_passage_count is not None for document in corpus):
            await app.workers.wait_for_complete()  # the catalog is saved after the counts
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the articles were never all read")


async def until(pilot, holds, what: str) -> None:
    """Wait until `holds()` is true (the app's own state), failing with `what` after 10 s."""
    for _ in range(500):
        if holds():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never: {what}")


async def searched(pilot, dialog) -> None:
    """Wait until the search box has listed what its query finds in the other articles (they
    are searched in a worker thread)."""
    await until(pilot, lambda: not dialog.searching, "the search box's results")
    await pilot.pause()


async def settled(app, pilot) -> None:
    """Before a snapshot: the background work of the start (sentence cuts, the index) done and
    shown, scrolling finished, and no notification on screen (they last a few seconds, so
    whether one still shows would depend on the machine's speed)."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    app.clear_notifications()
    await pilot.pause()
