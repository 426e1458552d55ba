"""Opening the reader, the one command that imports Textual: the corpus, the store it may
write, then the app."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.opening import open_corpus, open_store, settings
from tui.cli.options import CommandError

if TYPE_CHECKING:
    from tui.store import Store

FIRST_LISTED = 200
"""Files listed before the reader's first frame: more than a screen of the article list."""


def open_store_for_reader(args: argparse.Namespace) -> tuple[Store, str | None]:
    """The store to annotate in, or read-only with the reason when it cannot be written."""
    from tui.store import StoreLocked, StoreUnwritable

    try:
        return open_store(args, readonly=False), None
    except CommandError as error:
        if not isinstance(error.__cause__, StoreLocked | StoreUnwritable):
            raise
        # A second glose, or a store it may not write: read, but never write.
        return open_store(args, readonly=True), str(error.__cause__)


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
