"""Opening the corpus, the store and the settings that a command's options name."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Collection
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

    follow = settings(args).follow_links_outside
    # Extracted texts are kept in a store that is there, never in one made for them.
    store = getattr(args, "store", None)
    kept = Path(store) if store is not None and (Path(store) / "glose.json").is_file() else None
    try:
        corpus = Corpus.open(
            args.corpus, catalog, first=first, follow_links_outside=follow, store=kept
        )
    except CorpusError as error:
        raise CommandError(str(error)) from error
    if tell_problems:
        tell(corpus.problems)
    return corpus


def annotator(args: argparse.Namespace, *, settings_shown: bool = False) -> str | None:
    """Who annotates: --annotator, else $GLOSE_ANNOTATOR, else the settings' annotator, else
    (None) the user name.

    A name glose cannot keep is a CommandError that says where it was given. So are settings
    that meant to name someone but cannot be used: the user name in their place would record
    annotations as someone else's. The reader shows the settings' problems itself
    (`settings_shown`) and takes the user name.
    """
    named = getattr(args, "annotator", None)
    if named:
        return _kept(named, "--annotator")
    variable = os.environ.get(ANNOTATOR_VARIABLE)
    if variable:
        return _kept(variable, f"${ANNOTATOR_VARIABLE}")
    found = settings(args)
    problem = found.annotator_problem
    if problem and not settings_shown:
        raise CommandError(
            f"{problem[0].lower()}{problem[1:]}; fix it, or say who annotates with --annotator NAME"
        )
    return found.annotator


def _kept(name: str, given_by: str) -> str:
    from tui.store import clean_annotator

    try:
        return clean_annotator(name)
    except ValueError as error:
        raise CommandError(f"{given_by}: {error}") from error


def settings(args: argparse.Namespace) -> Settings:
    """The user's and the store's settings, read once per command (their problems are the
    reader's to show; the annotator's alone are the other commands' too)."""
    if getattr(args, "settings", None) is None:
        from tui.settings import load_settings

        args.settings = load_settings(Path(args.store))
    return args.settings


def open_store(args: argparse.Namespace, *, readonly: bool, who: str | None = None) -> Store:
    """The store `--store` names, recording as `who` (None: the user name)."""
    from tui.store import Store, StoreError

    try:
        return Store(args.store, readonly=readonly, annotator=who)
    except StoreError as error:
        raise CommandError(str(error)) from error


def open_to_read(
    args: argparse.Namespace,
    *,
    who: str | None = None,
    tell_problems: bool = True,
    every_file: bool = False,
    also: Collection[str] = (),
) -> tuple[Corpus, Store]:
    """The corpus and the store, read-only, for a command that reports on them. A store the
    user named must be there: a mistyped --store must not pass for an empty one.

    The corpus is listed, not read: only the annotated documents and those named in `also`
    are read, and files the store's catalog knows stay unread; with `every_file`, every
    other file is read too, for a command that counts the corpus's documents (which files
    are text is known only once they are read)."""
    corpus = open_listed(args)
    store = open_store(args, readonly=True, who=who)
    if getattr(args, "store_named", False) and not store.exists:
        store.close()
        if Path(args.store).is_dir():
            raise CommandError(f"no store at {args.store}: the folder holds no glose.json")
        raise CommandError(f"no store at {args.store}: there is no such folder")
    store.adopt_former_ids(corpus)  # in memory: a reader writes nothing
    corpus.read_now(None if every_file else {*store.annotated_documents(), *also})
    if tell_problems:
        tell(corpus.problems)
    return corpus, store


def open_listed(args: argparse.Namespace) -> Corpus:
    """The corpus `--corpus` names, listed, not read (see `Corpus.read_now`), with the
    catalog the reader keeps in the store, read only: a command writes nothing in it. Its
    problems are the caller's to say, once it has read what it needs."""
    from tui.corpus.catalog import Catalog

    directory = Path(args.store)
    catalog = Catalog.load(directory) if (directory / "glose.json").is_file() else Catalog()
    return open_corpus(args, catalog, tell_problems=False)


def tell(problems: list[str]) -> None:
    """Each problem of the corpus, one line of standard error."""
    from tui.text import printable

    for problem in problems:
        print(f"glose: {printable(problem)}", file=sys.stderr)
