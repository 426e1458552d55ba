"""`glose check`, `glose stats` and `glose agreement`: reports on the store's annotations."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.cli.opening import open_corpus_and_store
from tui.cli.options import CommandError

if TYPE_CHECKING:
    from tui.analysis.agreement import Agreement
    from tui.store import Store


def run_agreement(args: argparse.Namespace) -> int:
    import json

    from tui.analysis.agreement import measure

    corpus, store = open_corpus_and_store(args, readonly=True)
    try:
        known = set(_agreement_annotators(store))
        people = list(dict.fromkeys(args.annotators or ())) or sorted(known)
        for name in people:
            if name not in known:
                raise CommandError(f"no annotations by {name!r} in {args.store}")
        if len(people) < 2:
            who = f"only {people[0]!r} has" if people else "nobody has"
            raise CommandError(f"agreement needs two annotators; in {args.store}, {who} annotated")
        tags = None
        if args.tag:
            found = [store.find_tag(name) for name in args.tag]
            missing = [name for name, tag in zip(args.tag, found, strict=True) if tag is None]
            if missing:
                raise CommandError(f"no tag {missing[0]!r} in {args.store}")
            tags = list(dict.fromkeys(tag.name for tag in found if tag is not None))
        report = measure(corpus, store, people, tags)
    finally:
        store.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
        return 0
    _print_agreement(report)
    return 0


def _agreement_annotators(store: Store) -> list[str]:
    """Everyone who annotated (not the one running the command, unless they did)."""
    return sorted({a.annotator for a in [*store.annotations(), *store.highlights()]} - {""})


def _print_agreement(report: Agreement) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    two = len(report.annotators) == 2
    table = Table(title="Agreement per tag", title_justify="left")
    table.add_column("Tag")
    table.add_column("Units", justify="right")
    for name in report.annotators:
        # Text objects throughout: names from the store are never read as markup.
        table.add_column(Text(name), justify="right")
    if two:
        table.add_column("Both", justify="right")
        table.add_column("Cohen's κ", justify="right")
    table.add_column("Krippendorff's α", justify="right")
    table.add_column("Note")
    for row in report.tags:
        cells = [Text(row.tag), str(row.units)]
        cells += [str(row.carried[name]) for name in report.annotators]
        if two:
            cells += [str(row.both), _score(row.kappa)]
        cells += [_score(row.alpha), Text(row.note)]
        table.add_row(*cells)
    who = "both annotators" if two else "at least two annotators"
    from tui.text import counted

    table.caption = (
        f"Units: {counted(report.units, 'passage')} of {counted(report.documents, 'document')} "
        f"{who} annotated. Each annotator's column: passages they gave the tag."
    )
    table.caption_justify = "left"
    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        console.width = 160  # a file or a pipe has no width: keep headers on one line
    if not report.tags:
        console.print(Text("No tags to compare: no passage carries a tag."))
        return
    console.print(table)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def run_check(args: argparse.Namespace) -> int:
    from tui.store.health import report

    # The report lists what the corpus left out with the rest.
    corpus, store = open_corpus_and_store(args, readonly=True, tell_problems=False)
    try:
        lines, problems = report(corpus, store)
    finally:
        store.close()
    from tui.text import printable

    print("\n".join(printable(line) for line in lines))
    return 1 if problems else 0


def run_stats(args: argparse.Namespace) -> int:
    from rich.console import Console

    from tui.analysis.statistics import render, statistics
    from tui.store import ALL
    from tui.text import printable

    corpus, store = open_corpus_and_store(args, readonly=True)
    try:
        if not args.all and store.annotator not in _agreement_annotators(store):
            print(
                f"glose: no annotations by {printable(store.annotator)!r} in {args.store} "
                "(--all counts everyone's)",
                file=sys.stderr,
            )
        found = statistics(corpus, store, ALL if args.all else None)
    finally:
        store.close()
    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        console.width = 120  # a file or a pipe has no width: keep the tables as on a screen
    console.print(render(found))
    return 0
