"""The `glose` command line: each command's module is imported only when it runs, and only
opening the reader imports Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, BinaryIO, TextIO

from tui.cli.options import READER, CommandError, build_parser

__all__ = ["CommandError", "build_parser", "main"]


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The function that runs the command given, imported only now: a command's module is
    imported when that command runs, never at start."""
    from importlib import import_module

    module, _, function = getattr(args, "run", READER).partition(":")
    return getattr(import_module(module), function)


class OutputFailed(Exception):
    """Standard output could not be written (a full disk, a device that refuses)."""

    done = ""
    """What the command did all the same, said after why (a command that saves as it prints)."""


@contextmanager
def _failing_as_output() -> Iterator[None]:
    """An OSError of standard output becomes OutputFailed; a closed pipe stays itself."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputFailed(error.strerror or str(error)) from error


class _Output:
    """Standard output whose failures are one `OutputFailed`, told apart from the command's
    own files (a closed pipe stays a BrokenPipeError)."""

    def __init__(self, stream: TextIO | BinaryIO) -> None:
        self._stream = stream

    @property
    def buffer(self) -> _Output:
        """The bytes under the text, failing the same way (exports write their bytes)."""
        return _Output(self._stream.buffer)  # type: ignore[union-attr]

    def write(self, text: Any) -> int:
        with _failing_as_output():
            return self._stream.write(text)

    def flush(self) -> None:
        with _failing_as_output():
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Nothing more goes to standard output: Python's flush at exit would fail again."""
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), sys.__stdout__.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if sys.stdout is None:
        # Closed before we started: the next file opened would take its place, and what a
        # command prints would land in it.
        print("glose: standard output is closed: nothing was done.", file=sys.stderr)
        return 2
    if getattr(args, "run", READER) != READER and sys.stdout is sys.__stdout__:
        sys.stdout = _Output(sys.stdout)  # type: ignore[assignment]
    try:
        code = _command(args)(args)
        sys.stdout.flush()  # what is still buffered fails here, not silently at exit
        return code
    except OutputFailed as error:
        _silence_stdout()
        done = f"; {error.done}" if error.done else ""
        print(f"glose: the output could not be written: {error}{done}.", file=sys.stderr)
        return 2
    except CommandError as error:
        from tui.text import printable

        print(f"glose: {printable(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `glose export | head` closes the pipe early: not an error worth a traceback.
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
