"""`glose search`: the passages a query finds, best first, one line each (or JSON)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.options import CommandError

if TYPE_CHECKING:
    from tui.corpus.query import Query
    from tui.corpus.search import Hit, Results, SearchIndex


def run_search(args: argparse.Namespace) -> int:
    from tui.corpus.query import QueryError, parse
    from tui.corpus.search import SearchIndex, listing_options

    if args.limit < 0:
        raise CommandError("--limit: a number of matches, 0 for all")
    try:
        query = parse(args.query, regex=args.regex, whole_word=args.whole_word)
    except QueryError as error:
        raise CommandError(str(error)) from error
    store = Path(args.store)
    directory = store if (store / "glose.json").is_file() else None
    root = Path(args.corpus)
    from tui.cli.opening import settings

    inside = None if settings(args).follow_links_outside else os.path.realpath(root)
    options = listing_options(inside)
    # Nothing listed when no folder changed since the last search: the index says the rest.
    quick = SearchIndex.quick(directory, root, options, inside) if root.is_dir() else None
    if quick is not None:
        index, left_out, problems = quick
        notes = _cache_notes(directory)
    else:
        index, left_out, problems, notes = _listed(args, directory, options)
    if left_out:
        print(left_out_line(sorted(left_out)), file=sys.stderr)
    from tui.text import printable

    for problem in problems:
        print(f"glose: {printable(problem)}", file=sys.stderr)
    for note in notes:
        print(printable(note), file=sys.stderr)
    within = _kept_by_filters(args, query)
    if query.fts_match() is None and within is None:
        what = "a regular expression" if query.is_regex else "no word the index can look up"
        print(f"glose: searching by reading every file ({what}): slower", file=sys.stderr)
    results = index.search(
        query,
        limit=args.limit or None,
        by_position=args.sort == "position",
        each_match=False,
        within=within,
    )
    if query.gave_up:
        print(
            "glose: the regular expression took too long on a passage: the search stopped there",
            file=sys.stderr,
        )
    if args.format == "json":
        _print_json(args.query, results, index)
    else:
        _print_lines(results, index)
    index.keep_cuts()
    _summary(results, index.article_count())
    return 0 if results.total else 1


def _kept_by_filters(
    args: argparse.Namespace, query: Query
) -> dict[str, list[tuple[int, int]]] | None:
    """The places the query's filters keep (tag:, note:, annotator:), by document id, from the
    store's annotations and highlights; None without filters."""
    if not query.filters:
        return None
    from tui.cli.opening import open_store

    with open_store(args, readonly=True) as store:
        annotations = [*store.annotations(), *store.highlights()]
    kept: dict[str, list[tuple[int, int]]] = {}
    for place in query.wanted_passages(annotations):
        kept.setdefault(place.document, []).append((place.start, place.end))
    return kept


def _listed(
    args: argparse.Namespace, directory: Path | None, options: str
) -> tuple[SearchIndex, list[tuple[str, str]], list[str], list[str]]:
    """List the corpus and bring its index up to date: the index, the files left out, the
    folders' problems, and notes on caches that cannot be kept."""
    from tui.cli.opening import open_corpus
    from tui.corpus.catalog import Catalog, left_alone
    from tui.corpus.corpus import left_out_reason
    from tui.corpus.search import SearchIndex

    # Files are listed, not read: those the index knows by their stamps stay unread.
    catalog = Catalog.load(directory)
    corpus = open_corpus(args, catalog, tell_problems=False)  # said by the caller
    index, refresh = SearchIndex.build(
        corpus.documents,
        directory,
        root=corpus.root,
        folders=corpus.folders,
        options=options,
        left_out=corpus.left_out,
    )
    index.save_problems(corpus.folder_problems)
    left_out = [(relpath, left_out_reason(why)) for relpath, why in corpus.left_out]
    left_out += [(document.relpath, left_out_reason(why)) for document, why in refresh.left_out]
    notes = []
    # A folder or a pipe in a cache's place is left alone (said once: it is no error).
    if refresh.unusable:
        notes.append(left_alone(refresh.unusable, "search index"))
    if catalog.unusable:
        notes.append(left_alone(catalog.unusable, "catalog"))
    return index, left_out, corpus.folder_problems, notes


def _cache_notes(directory: Path | None) -> list[str]:
    if directory is None:
        return []
    from tui.corpus.fulltext import file_or_nothing

    if file_or_nothing(directory / CATALOG):
        return []  # the catalog module is slow to import: only to say what is wrong
    from tui.corpus.catalog import CATALOG_NAME, cache_problem, left_alone

    problem = cache_problem(directory / CATALOG_NAME)
    return [left_alone(problem, "catalog")] if problem else []


CATALOG = "glose.catalog"
"""The catalog's file, as `tui.corpus.catalog` names it."""


def _print_lines(results: Results, index: SearchIndex) -> None:
    if not results.hits:
        return  # nothing to import for
    from tui.text import printable

    console = None
    if sys.stdout.isatty():  # rich only for a terminal: it is slow to import
        from rich.console import Console

        console = Console(highlight=False, emoji=False, soft_wrap=True)
    for hit in results.hits:
        before, match, after = _snippet(hit)
        passage = index.passage_number(hit)
        parts = (
            (printable(hit.document.id), "bold"),
            (f"  passage {passage}  ", "dim"),
            (printable(before), ""),
            (printable(match), "bold reverse"),
            (printable(after), ""),
        )
        if console is not None:
            from rich.text import Text

            console.print(Text.assemble(*parts))
        else:  # plain lines for pipes; a closed pipe is then an ordinary BrokenPipeError
            print("".join(part for part, _ in parts))


def _print_json(query: str, results: Results, index: SearchIndex) -> None:
    import orjson

    hits = []
    for hit in results.hits:
        before, match, after = _snippet(hit)
        hits.append(
            {
                "document": hit.document.id,
                "passage": index.passage_number(hit),
                "start": hit.start,
                "end": hit.end,
                "snippet": before + match + after,
                "match": match,
                "score": hit.score,
            }
        )
    document = {
        "query": query,
        "hits": hits,
        "total": results.total,
        "documents": results.documents,
    }
    sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


SHOWN_MATCH = 80
"""Characters of a match shown (a passage matched whole, by a filter, is shown by its start)."""


def _snippet(hit: Hit) -> tuple[str, str, str]:
    from tui.corpus.search import snippet

    cut = min(hit.end, hit.start + SHOWN_MATCH)
    before, match, after = snippet(hit.document.text, hit.start, cut)
    return (before, match + "…", "") if cut < hit.end else (before, match, after)


def _summary(results: Results, articles: int) -> None:
    from tui.text import counted

    summary = (
        f"{counted(results.total, 'passage')} in {results.documents:,} of "
        f"{counted(articles, 'article')}"
    )
    if len(results.hits) < results.total:
        summary += f"; the first {len(results.hits):,} printed (--limit 0 prints all)"
    print(summary, file=sys.stderr)


SHOWN_LEFT_OUT = 5
"""Files named in the line that says what was left out; the others are counted."""


def left_out_line(left_out: list[tuple[str, str]]) -> str:
    """One line for every file left out of the search, the first few named with why."""
    from tui.text import counted, printable

    shown = left_out[:SHOWN_LEFT_OUT]
    named = [f"{relpath} ({reason})" for relpath, reason in shown]
    more = len(left_out) - len(named)
    verb = "was" if len(left_out) == 1 else "were"
    line = f"{counted(len(left_out), 'file')} {verb} left out: {', '.join(named)}"
    return printable(line + (f" and {more:,} more" if more else ""))
