"""The `glose` command line. Only opening the reader imports Textual."""

from __future__ import annotations

import argparse
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
    return parser


def _open_model(args: argparse.Namespace):  # -> tuple[Corpus, Store]
    from tui.corpus import Corpus, CorpusError
    from tui.store import Store, StoreError

    try:
        corpus = Corpus.open(args.corpus)
        store = Store(args.store)
    except (CorpusError, StoreError) as error:
        raise CommandError(str(error)) from error
    return corpus, store


def run_export(args: argparse.Namespace) -> int:
    from tui.interchange.files import write_atomically
    from tui.interchange.native import build_export, write_json

    corpus, store = _open_model(args)
    try:
        data = build_export(corpus, store)
    finally:
        store.close()
    if args.output is None:
        write_json(data, sys.stdout)
        return 0
    try:
        write_atomically(args.output, lambda out: write_json(data, out))
    except OSError as error:
        raise CommandError(f"cannot write {args.output}: {error.strerror or error}") from error
    print(f"exported {len(data['documents'])} documents to {args.output}", file=sys.stderr)
    return 0


def run_reader(args: argparse.Namespace) -> int:
    corpus, store = _open_model(args)
    from tui.app.app import GloseApp

    try:
        GloseApp(corpus, store).run()
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = getattr(args, "run", run_reader)
    try:
        return command(args)
    except CommandError as error:
        print(f"glose: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `glose export | head` closes the pipe early: not an error worth a traceback.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
