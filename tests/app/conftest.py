"""App fixtures: a GloseApp over the seeds (or any corpus) and a fresh store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app.app import GloseApp
from tui.corpus import Corpus
from tui.store import Store


@pytest.fixture
def make_app(seeds: Path, store_dir: Path):
    opened: list[Store] = []

    def make(corpus_dir: Path | None = None) -> GloseApp:
        store = Store(store_dir)
        opened.append(store)
        app = GloseApp(Corpus.open(corpus_dir or seeds), store)
        # Record what the app tells the user, to assert on it without private Textual state.
        app.notified = []
        notify = app.notify

        def record(message: str, **options) -> None:
            app.notified.append(message)
            notify(message, **options)

        app.notify = record
        return app

    yield make
    for store in opened:
        store.close()
