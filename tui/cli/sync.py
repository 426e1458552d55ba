"""`glose sync`: the team's annotations and codebook exchanged through the corpus's git
repository."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

from tui.cli.opening import annotator, open_store
from tui.cli.options import CommandError


def run_sync(args: argparse.Namespace) -> int:
    from tui.sync import SyncError, sync
    from tui.text import printable

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        raise CommandError(
            f"{printable(str(corpus))} is not a folder: name the corpus with --corpus"
        )
    store = open_store(args, readonly=False, who=annotator(args))
    # A sync makes many records and no cycles worth collecting before the command exits: the
    # cyclic collector would walk the store's records again each time it made enough of them.
    gc.disable()
    try:
        report = sync(store, corpus, getattr(args, "repo", None))
    except SyncError as error:
        raise CommandError(f"{error}") from error
    finally:
        store.close()
    print(report.sentence())
    for change in report.codebook:
        print(printable(change))
    return 0
