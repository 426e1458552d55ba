"""The `glose` command line: each command's module is imported only when it runs, and only
opening the reader imports Textual."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tui.cli.options import READER, CommandError, build_parser

__all__ = ["CommandError", "build_parser", "main"]


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The function that runs the command given, imported only now: a command's module is
    imported when that command runs, never at start."""
    from importlib import import_module

    module, _, function = getattr(args, "run", READER).partition(":")
    return getattr(import_module(module), function)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _command(args)(args)
    except CommandError as error:
        from tui.text import printable

        print(f"glose: {printable(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `glose export | head` closes the pipe early: not an error worth a traceback.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
