"""`glose check`, `glose stats` and `glose agreement`: reports on the store's annotations."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.cli.opening import annotator, open_to_read
from tui.cli.options import CommandError

if TYPE_CHECKING:
    from tui.analysis.agreement import Agreement


def run_agreement(args: argparse.Namespace) -> int:
    import json

    from tui.analysis.agreement import annotated_by, measure

    corpus, store = open_to_read(args)
    try:
        known = annotated_by(store)
        named = list(dict.fromkeys(args.annotators or ()))
        people = named or known
        for name in people:
            if name not in known:
                raise CommandError(f"no annotations by {name!r} in {args.store} {_who(known)}")
        if len(people) < 2:
            if named:  # others may have annotated: the options left them out
                raise CommandError(
                    f"agreement needs two annotators; --annotator names only {named[0]!r} "
                    f"{_who(known)}"
                )
            who = f"only {people[0]!r} has" if people else "nobody has"
            raise CommandError(f"agreement needs two annotators; in {args.store}, {who} annotated")
        tags = None
        if args.tag:
            # A level of the tree (politique) stands for every tag under it, as in the reader.
            under = {name: store.tags_under(name) for name in args.tag}
            missing = [name for name, tags_there in under.items() if not tags_there]
            if missing:
                raise CommandError(f"no tag {missing[0]!r} in {args.store}")
            tags = list(dict.fromkeys(tag.name for found in under.values() for tag in found))
        report = measure(corpus, store, people, tags, args.unit)
    finally:
        store.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
        return 0
    _print_agreement(report)
    return 0


def _who(annotators: list[str]) -> str:
    """Who has annotated, in brackets, for a sentence saying someone has not."""
    from tui.text import printable

    if not annotators:
        return "(nobody has annotated there yet)"
    return f"(annotators: {printable(', '.join(annotators))})"


def _print_agreement(report: Agreement) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.text import counted

    two = len(report.annotators) == 2
    by_passage = report.unit == "passage"
    table = Table(title="Agreement per tag", title_justify="left")
    table.add_column("Tag")
    table.add_column("Units" if by_passage else "Characters", justify="right")
    for name in report.annotators:
        # Text objects throughout: names from the store are never read as markup.
        table.add_column(Text(name), justify="right")
    if two:
        table.add_column("Both", justify="right")
        if by_passage:
            table.add_column("Cohen's κ", justify="right")
    table.add_column("Krippendorff's α", justify="right")
    table.add_column("Note")
    for row in report.tags:
        cells = [Text(row.tag), f"{row.units:,}"]
        cells += [f"{row.carried[name]:,}" for name in report.annotators]
        if two:
            cells += [f"{row.both:,}"] + ([_score(row.kappa)] if by_passage else [])
        cells += [_score(row.alpha), Text(row.note)]
        table.add_row(*cells)
    who = "both annotators" if two else "at least two annotators"
    documents = counted(report.documents, "document")
    if by_passage:
        table.caption = (
            f"Units: {counted(report.units, 'passage')} of {documents} {who} annotated. "
            "Each annotator's column: passages they gave the tag."
        )
        rule = (
            "A passage carries a tag for an annotator when they tagged it or one of their "
            "segments with that tag overlaps it."
        )
    else:
        table.caption = (
            f"Units: {counted(report.units, 'character')}, white space left out, of "
            f"{documents} {who} annotated. Each annotator's column: characters they coded "
            "with the tag."
        )
        rule = (
            "A character is coded with a tag when it lies in a passage tagged with it or in "
            "a segment carrying it."
        )
    table.caption_justify = "left"
    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        console.width = 160  # a file or a pipe has no width: keep headers on one line
    if not report.tags:
        console.print(Text("No tags to compare: no passage or segment carries a tag."))
        return
    console.print(table)
    console.print(Text(rule))


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def run_check(args: argparse.Namespace) -> int:
    from tui.store.health import report
    from tui.text import printable

    # The report lists what the corpus left out with the rest, and counts its documents.
    corpus, store = open_to_read(args, tell_problems=False, every_file=True)
    try:
        if not store.exists:  # the default place, not made yet: nothing to check
            where = printable(str(args.store))
            print(f"There is no store at {where} yet: nothing has been annotated with this corpus.")
            return 1
        lines, problems = report(corpus, store)
    finally:
        store.close()

    print("\n".join(printable(line) for line in lines))
    return 1 if problems else 0


def run_stats(args: argparse.Namespace) -> int:
    from rich.console import Console

    from tui.analysis.agreement import annotated_by
    from tui.analysis.statistics import render, statistics
    from tui.store import ALL
    from tui.text import printable

    # Every file is read unless the catalog knows it: the articles with no annotation are counted.
    who = None if args.all else annotator(args)
    corpus, store = open_to_read(args, who=who, every_file=True)
    try:
        known = annotated_by(store)
        if not args.all and store.annotator not in known:
            nobody = f"no annotations by {store.annotator!r} in {args.store} {_who(known)}"
            if getattr(args, "annotator", None):  # asked for by name: a table of zeros says less
                print(f"glose: {printable(nobody)}", file=sys.stderr)
                return 1
            print(f"glose: {printable(nobody)}; --all counts everyone's", file=sys.stderr)
        found = statistics(corpus, store, ALL if args.all else None)
    finally:
        store.close()
    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        console.width = 120  # a file or a pipe has no width: keep the tables as on a screen
    console.print(render(found))
    return 0
