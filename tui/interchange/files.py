"""Writing export files so that a failed write never leaves half a file behind, nor (after a
kill) its temporary for long."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import orjson

from tui.temporaries import remove_stale_temporaries, temporary_beside


def dump_json(data: Any, out: IO[str], *, indent: bool = True) -> None:
    """JSON in UTF-8 as is (no \\u escapes), indented for people who open it unless told not.

    orjson: ten times faster than the standard library on a big export.
    """
    option = orjson.OPT_INDENT_2 if indent else 0
    try:
        out.write(orjson.dumps(data, option=option).decode("utf-8"))
    except orjson.JSONEncodeError:  # a lone surrogate, say: the standard library copes
        out.write(json.dumps(data, ensure_ascii=False, indent=2 if indent else None))
    if indent:
        out.write("\n")


class WriteCancelled(Exception):
    """The writer was told to stop: the old file, if any, is left as it was."""


def write_atomically(
    path: Path,
    write: Callable[[IO[Any]], None],
    *,
    binary: bool = False,
    wanted: Callable[[], bool] | None = None,
) -> None:
    """Write a temporary file beside `path`, fsync it, then rename it over `path` (unless
    `wanted` says by then that the file is no longer wanted). Temporaries a killed export left
    in that folder are removed first.

    A symlink is followed (the file it points to is replaced, the link kept); a path that is
    not a regular file (/dev/stdout, a pipe) is written to as it is, never replaced.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file():
        with _open(path, binary) as out:
            write(out)
        return
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777  # replacing a file keeps its permissions
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # a new file gets the permissions any new file would
    remove_stale_temporaries(directory)
    handle, temporary = temporary_beside(directory / path.name)
    try:
        os.fchmod(handle, mode)
        with _fdopen(handle, binary) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if wanted is not None and not wanted():
            raise WriteCancelled(str(path))  # asked to stop while writing: nothing replaced
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _open(path: Path, binary: bool) -> IO[Any]:
    return open(path, "wb") if binary else open(path, "w", encoding="utf-8", newline="\n")


def _fdopen(handle: int, binary: bool) -> IO[Any]:
    if binary:
        return os.fdopen(handle, "wb")
    return os.fdopen(handle, "w", encoding="utf-8", newline="\n")


def default_export_path(store_directory: Path, extension: str = "json") -> Path:
    """`<store>/exports/annotations-YYYYmmdd-HHMMSS.<ext>`, a name no file has yet."""
    directory = store_directory / "exports"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"annotations-{stamp}.{extension}"
    count = 1
    while path.exists():  # two exports within a second must not overwrite each other
        count += 1
        path = directory / f"annotations-{stamp}-{count}.{extension}"
    return path
