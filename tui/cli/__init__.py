"""The `glose` command line. Only opening the reader imports Textual."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tui.cli.opening import open_corpus, open_store, settings
from tui.cli.options import READER, CommandError, build_parser

FIRST_LISTED = 200
"""Files listed before the reader's first frame: more than a screen of the article list."""


def run_search(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.text import Text

    from tui.corpus.passages import index_at
    from tui.corpus.search import QueryError, SearchIndex, fold_query
    from tui.text import counted, printable

    if args.limit < 0:
        raise CommandError("--limit: a number of matches, 0 for all")
    try:
        fold_query(args.query)
    except QueryError as error:
        raise CommandError(str(error)) from error
    from tui.corpus.catalog import Catalog

    # The index is a cache beside the store: used and refreshed only where a store is. Its
    # files are listed, not read: those the saved index knows by their times stay unread.
    directory = args.store if (args.store / "glose.json").is_file() else None
    corpus = open_corpus(args, Catalog.load(directory))
    index, _ = SearchIndex.build(corpus.documents, directory)
    results = index.search(args.query, limit=args.limit or None)
    console = Console(highlight=False, emoji=False, soft_wrap=True)
    on_terminal = console.is_terminal
    for hit in results.hits:
        before, match, after = hit.snippet()
        passage = index_at(hit.document.passages, hit.start) + 1
        line = Text.assemble(
            (printable(hit.document.id), "bold"),
            (f"  passage {passage}  ", "dim"),
            printable(before),
            (printable(match), "bold reverse"),
            printable(after),
        )
        if on_terminal:
            console.print(line)
        else:  # plain lines for pipes; a closed pipe is then an ordinary BrokenPipeError
            print(line.plain)
    summary = (
        f"{counted(results.total, 'match', 'matches')} in "
        f"{results.documents:,} of {counted(len(index.documents), 'article')}"
    )
    if len(results.hits) < results.total:
        summary += f"; the first {len(results.hits):,} printed (--limit 0 prints all)"
    print(summary, file=sys.stderr)
    return 0 if results.total else 1


def open_store_for_reader(args: argparse.Namespace):  # -> tuple[Store, str | None]
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
    # cyclic collector would walk it for nothing, about 10 ms of collections while Textual
    # and glose are imported, then a full one of 24 ms during the first frame.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from tui.corpus.catalog import Catalog

        # The reader shows the first files listed at once; the rest are listed, and each file
        # read, in the background.
        corpus = open_corpus(args, Catalog.load(Path(args.store)), first=FIRST_LISTED)
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


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The function that runs the command given, imported only now: a command's module is
    imported when that command runs, never at start."""
    from importlib import import_module

    module, _, function = getattr(args, "run", READER).partition(":")
    return getattr(import_module(module), function)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _command(args)(args)
    except CommandError as error:
        from tui.text import printable

        print(f"glose: {printable(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `glose export | head` closes the pipe early: not an error worth a traceback.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
