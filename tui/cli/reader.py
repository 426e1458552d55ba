"""Opening the reader, the one command that imports Textual: the corpus, the store it may
write, then the app."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.opening import annotator, open_corpus, open_store, settings
from tui.cli.options import CommandError

if TYPE_CHECKING:
    from tui.store import Store
    from tui.store.readonly import ReadOnlyReason

FIRST_LISTED = 200
"""Files listed before the reader's first frame: more than a screen of the article list."""


def open_store_for_reader(args: argparse.Namespace) -> tuple[Store, ReadOnlyReason | None]:
    """The store to annotate in, or read-only with the reason when it cannot be written."""
    from tui.store import StoreLocked, StoreUnwritable
    from tui.store.readonly import ReadOnlyReason

    # The app shows what is wrong in the settings: their annotator's problem is one of them.
    who = annotator(args, settings_shown=True)
    try:
        return open_store(args, readonly=False, who=who), None
    except CommandError as error:
        cause = error.__cause__
        if not isinstance(cause, StoreLocked | StoreUnwritable):
            raise
        # A second glose, or a store it may not write: read, but never write.
        store = open_store(args, readonly=True, who=who)
        return store, ReadOnlyReason.of(cause, store.directory)


def run_reader(args: argparse.Namespace) -> int:
    # What is made until the app runs (modules, corpus, store) lives as long as the app: the
    # cyclic collector would walk it for nothing while Textual and glose are imported, then
    # once more in full during the first frame.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from tui.corpus.catalog import Catalog

        # The reader shows the first files listed at once; the rest are listed, and each file
        # read, in the background.
        corpus = open_corpus(
            args, Catalog.load(Path(args.store)), first=FIRST_LISTED, tell_problems=False
        )  # the reader shows what was left out in its own notices
        store, readonly_reason = open_store_for_reader(args)
        from tui.app.app import GloseApp

        app = GloseApp(corpus, store, readonly_reason=readonly_reason, settings=settings(args))
        gc.freeze()  # never walked again
    finally:
        if collecting:
            gc.enable()
    try:
        app.run()
    finally:
        store.close()
    # Textual has printed the traceback of a crash; the exit status must say so too.
    return app.return_code or 0
