"""`glose search`: the passages where words occur, one line each, as the reader finds them."""

from __future__ import annotations

import argparse
import sys

from tui.cli.opening import open_corpus
from tui.cli.options import CommandError


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
    from tui.corpus.catalog import Catalog, left_alone

    # The index is a cache beside the store: used and refreshed only where a store is. Its
    # files are listed, not read: those the saved index knows by their times stay unread.
    directory = args.store if (args.store / "glose.json").is_file() else None
    catalog = Catalog.load(directory)
    corpus = open_corpus(args, catalog, tell_problems=False)  # said below, with the rest
    index, refresh = SearchIndex.build(corpus.documents, directory)
    left_out = [*corpus.left_out, *((d.relpath, why) for d, why in refresh.left_out)]
    left_out.sort(key=lambda pair: pair[0])
    if left_out:
        print(left_out_line(left_out), file=sys.stderr)
    for problem in corpus.folder_problems:
        print(f"glose: {printable(problem)}", file=sys.stderr)
    # A folder or a pipe in a cache's place is left alone (said once: it is no error).
    if refresh.unusable:
        print(printable(left_alone(refresh.unusable, "search index")), file=sys.stderr)
    if catalog.unusable:
        print(printable(left_alone(catalog.unusable, "catalog")), file=sys.stderr)
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


SHOWN_LEFT_OUT = 5
"""Files named in the line that says what was left out; the others are counted."""


def left_out_line(left_out: list[tuple[str, Exception]]) -> str:
    """One line for every file left out of the search, the first few named with why."""
    from tui.corpus.corpus import left_out_reason
    from tui.text import counted, printable

    shown = left_out[:SHOWN_LEFT_OUT]
    named = [f"{relpath} ({left_out_reason(error)})" for relpath, error in shown]
    more = len(left_out) - len(named)
    verb = "was" if len(left_out) == 1 else "were"
    line = f"{counted(len(left_out), 'file')} {verb} left out: {', '.join(named)}"
    return printable(line + (f" and {more:,} more" if more else ""))
