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
