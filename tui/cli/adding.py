"""`glose add`: web pages and documents fetched, or files copied, into the corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.options import CommandError


def run_add(args: argparse.Namespace) -> int:
    from tui.corpus.adding import NotAdded, add_address, add_file, folder_inside, is_address
    from tui.text import printable

    root = Path(args.corpus)
    if not root.is_dir():
        raise CommandError(f"corpus directory not found: {root}")
    try:
        folder_inside(root, args.into, make=False)  # before anything is fetched
    except NotAdded as error:
        raise CommandError(str(error)) from error
    failed = 0
    for source in args.sources:
        try:
            if is_address(source):
                added = add_address(root, source, args.into)
            else:
                added = add_file(root, Path(source), args.into)
        except NotAdded as error:
            failed += 1
            print(f"glose: {printable(source)}: {printable(str(error))}", file=sys.stderr)
            continue
        if added.same_as is not None:
            already = printable(added.same_as)
            print(f"skipped {printable(source)}: the corpus has it already as {already}")
        else:
            print(f"added {printable(added.relpath or '')} from {printable(source)}")
    return 1 if failed else 0
