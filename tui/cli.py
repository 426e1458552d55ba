"""The `glose` command line. Only opening the reader imports Textual."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tui import __version__

DEFAULT_CORPUS = Path("seeds")
DEFAULT_STORE = Path("annotations")


class CommandError(Exception):
    """A failure the user can act on: printed as one line, exit status 2."""


def _common_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    # Subcommands repeat the options with SUPPRESS so `glose --corpus X export` keeps X.
    default_corpus = DEFAULT_CORPUS if defaults else argparse.SUPPRESS
    default_store = DEFAULT_STORE if defaults else argparse.SUPPRESS
    parser.add_argument(
        "--corpus",
        type=Path,
        default=default_corpus,
        metavar="DIR",
        help="directory of .txt and .md articles (default: ./seeds)",
    )
    parser.add_argument(
        "--store",
        type=Path,
        default=default_store,
        metavar="DIR",
        help="directory of the annotation store (default: ./annotations)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glose",
        description="Read a folder of articles in the terminal, tag and highlight passages.",
        epilog="Without a command, glose opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"glose {__version__}")
    _common_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    export = commands.add_parser(
        "export",
        help="write every annotation to standard output or a file",
        description="Write every annotation as JSON, to standard output unless -o is given.",
    )
    _common_options(export, defaults=False)
    export.add_argument("--format", choices=["json"], default="json", help="(default: json)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    export.set_defaults(run=run_export)

    tag = commands.add_parser(
        "tag",
        help="tag passages from the shell",
        description="Tag every passage whose text matches REGEX (case and accents ignored), "
        "or the one passage named. Each tagged passage is saved before it is printed.",
    )
    _common_options(tag, defaults=False)
    tag.add_argument("--tag", required=True, metavar="NAME", help="the tag (created if new)")
    target = tag.add_mutually_exclusive_group(required=True)
    target.add_argument("--match", metavar="REGEX", help="tag every passage matching REGEX")
    target.add_argument("--document", metavar="ID", help="the document of --passage")
    tag.add_argument("--passage", type=int, metavar="N", help="passage index (0-based)")
    tag.set_defaults(run=run_tag)

    check = commands.add_parser(
        "check",
        help="report the store's health",
        description="Report the store's health and how its annotations fit the corpus. "
        "Exit status 1 when annotations no longer fit their documents, 2 when the store "
        "cannot be read.",
    )
    _common_options(check, defaults=False)
    check.set_defaults(run=run_check)
    return parser


def _open_corpus(args: argparse.Namespace):  # -> Corpus
    from tui.corpus import Corpus, CorpusError

    try:
        return Corpus.open(args.corpus)
    except CorpusError as error:
        raise CommandError(str(error)) from error


def _open_store(args: argparse.Namespace, *, readonly: bool):  # -> Store
    from tui.store import Store, StoreError

    try:
        return Store(args.store, readonly=readonly)
    except StoreError as error:
        raise CommandError(str(error)) from error


def _open_model(args: argparse.Namespace, *, readonly: bool):  # -> tuple[Corpus, Store]
    corpus = _open_corpus(args)
    return corpus, _open_store(args, readonly=readonly)


def run_export(args: argparse.Namespace) -> int:
    from tui.corpus.display import counted
    from tui.interchange.files import write_atomically
    from tui.interchange.native import build_export, left_out, write_json

    # Readers take no lock: export works while the app has the store open.
    corpus, store = _open_model(args, readonly=True)
    try:
        data = build_export(corpus, store)
        missing = left_out(store, data)
        if not store.exists:
            print(f"glose: there is no store at {args.store}; nothing to export", file=sys.stderr)
    finally:
        store.close()
    if missing:
        print(f"glose: {missing}", file=sys.stderr)
    if args.output is None:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # stdout replaced by a text stream (embedding, tests)
            write_json(data, sys.stdout)
            return 0
        # UTF-8 whatever the locale says: the format is UTF-8, and a pipe has no locale.
        sys.stdout.flush()
        out = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
        write_json(data, out)
        out.flush()
        out.detach()
        return 0
    try:
        write_atomically(args.output, lambda out: write_json(data, out))
    except OSError as error:
        raise CommandError(f"cannot write {args.output}: {error.strerror or error}") from error
    print(
        f"exported {counted(len(data['documents']), 'document')} to {args.output}", file=sys.stderr
    )
    return 0


def run_tag(args: argparse.Namespace) -> int:
    import re

    from tui.corpus.display import counted, printable
    from tui.corpus.folding import fold, folded_pattern
    from tui.store import StoreError, TagNameError, clean_tag_name

    if args.document is not None and args.passage is None:
        raise CommandError("--document needs --passage N")
    if args.match is not None and args.passage is not None:
        raise CommandError("--passage goes with --document, not --match")
    try:
        pattern = folded_pattern(args.match) if args.match is not None else None
    except re.error as error:
        raise CommandError(f"--match is not a valid regular expression: {error}") from error
    corpus = _open_corpus(args)
    if pattern is None:
        document = corpus.get(args.document)
        if document is None:
            raise CommandError(f"no document {args.document!r} in {args.corpus}")
        if not 0 <= args.passage < len(document.passages):
            raise CommandError(
                f"{args.document} has passages 0 to {len(document.passages) - 1}, "
                f"not {args.passage}"
            )
        targets = [(document, document.passages[args.passage])]
    else:
        targets = [
            (document, passage)
            for document in corpus
            for passage in document.passages
            if pattern.search(fold(passage.text))
        ]
    try:
        name = clean_tag_name(args.tag)
    except TagNameError as error:
        raise CommandError(str(error)) from error
    if not targets:
        print(
            f"glose: no passage matches {printable(args.match)!r}; nothing tagged", file=sys.stderr
        )
        return 1
    store = _open_store(args, readonly=False)
    tagged = already = 0
    try:
        for document, passage in targets:
            tag, added = store.tag_passage(document, passage, name)
            if not added:
                already += 1
                continue
            tagged += 1
            # Printed only once durable: a reader of this output can trust every line.
            print(f"tagged {printable(document.id)} passage {passage.index}", flush=True)
    except StoreError as error:
        raise CommandError(str(error)) from error
    except BrokenPipeError:
        # Whoever read our output stopped reading: stop tagging too, and say where.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(
            f"glose: output closed; stopped after tagging {counted(tagged, 'passage')}",
            file=sys.stderr,
        )
        return 1
    finally:
        store.close()
    print(
        f"{counted(tagged, 'passage')} tagged {printable(tag.name)}, {already} already had it",
        flush=True,
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    from tui.store.health import report

    corpus, store = _open_model(args, readonly=True)
    try:
        lines, problems = report(corpus, store)
    finally:
        store.close()
    from tui.corpus.display import printable

    print("\n".join(printable(line) for line in lines))
    return 1 if problems else 0


def open_store_for_reader(args: argparse.Namespace):  # -> tuple[Store, str | None]
    """The store to annotate in, or read-only with the reason when it cannot be written."""
    from tui.store import StoreLocked, StoreUnwritable

    try:
        return _open_store(args, readonly=False), None
    except CommandError as error:
        if not isinstance(error.__cause__, StoreLocked | StoreUnwritable):
            raise
        # A second glose, or a store it may not write: read, but never write.
        return _open_store(args, readonly=True), str(error.__cause__)


def run_reader(args: argparse.Namespace) -> int:
    corpus = _open_corpus(args)
    store, readonly_reason = open_store_for_reader(args)
    from tui.app.app import GloseApp

    app = GloseApp(corpus, store, readonly_reason=readonly_reason)
    try:
        app.run()
    finally:
        store.close()
    # Textual has printed the traceback of a crash; the exit status must say so too.
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = getattr(args, "run", run_reader)
    try:
        return command(args)
    except CommandError as error:
        from tui.corpus.display import printable

        print(f"glose: {printable(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `glose export | head` closes the pipe early: not an error worth a traceback.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
