"""Opening the corpus, the store and the settings that a command's options name."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.options import ANNOTATOR_VARIABLE, CommandError

if TYPE_CHECKING:
    from tui.corpus import Corpus
    from tui.corpus.catalog import Catalog
    from tui.settings import Settings
    from tui.store import Store


def open_corpus(
    args: argparse.Namespace,
    catalog: Catalog | None = None,
    first: int | None = None,
    *,
    tell_problems: bool = True,
) -> Corpus:
    """The corpus `--corpus` names; what it left out, and why, said on standard error unless
    the caller says it itself (`tell_problems` false)."""
    from tui.corpus import Corpus, CorpusError
    from tui.text import printable

    follow = settings(args).follow_links_outside
    try:
        corpus = Corpus.open(args.corpus, catalog, first=first, follow_links_outside=follow)
    except CorpusError as error:
        raise CommandError(str(error)) from error
    if tell_problems:
        for problem in corpus.problems:
            print(f"glose: {printable(problem)}", file=sys.stderr)
    return corpus


def annotator(args: argparse.Namespace) -> str | None:
    """Who annotates: --annotator, else $GLOSE_ANNOTATOR, else the settings' annotator, else
    (None) the user name."""
    named = getattr(args, "annotator", None) or os.environ.get(ANNOTATOR_VARIABLE)
    return named or settings(args).annotator


def settings(args: argparse.Namespace) -> Settings:
    """The user's and the store's settings, read once per command (their problems are the
    reader's to show)."""
    if getattr(args, "settings", None) is None:
        from tui.settings import load_settings

        args.settings = load_settings(Path(args.store))
    return args.settings


def open_store(args: argparse.Namespace, *, readonly: bool) -> Store:
    from tui.store import Store, StoreError

    try:
        return Store(args.store, readonly=readonly, annotator=annotator(args))
    except ValueError as error:  # the annotator's name
        raise CommandError(f"--annotator: {error}") from error
    except StoreError as error:
        raise CommandError(str(error)) from error


def open_corpus_and_store(
    args: argparse.Namespace, *, readonly: bool, tell_problems: bool = True
) -> tuple[Corpus, Store]:
    corpus = open_corpus(args, tell_problems=tell_problems)
    return corpus, open_store(args, readonly=readonly)
