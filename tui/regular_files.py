"""Read a file only if it is a regular file, and never more than a limit.

A FIFO would block a plain `read_bytes()` forever and a device such as /dev/zero would never end
it, so every file glose reads (articles, imports, the store, its caches) goes through here: the
file is opened without blocking, checked on the open descriptor (a swap after a `stat()` cannot
slip through), and read no further than the caller allows.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder, not a file to read."""


class FileTooLarge(OSError):
    """The file holds more than the caller allows to read."""


class ReadFile(NamedTuple):
    data: bytes
    status: os.stat_result
    """The file's status taken on the descriptor that was read, before reading."""


_CHUNK = 1 << 20


def kind_of(mode: int) -> str:
    """What a file of this mode is, in a user's words ("a folder", "a named pipe (FIFO)")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a file"
    return "not a regular file"


def read_regular_file(path: Path | str, *, limit: int) -> ReadFile:
    """The bytes of `path` and its status; NotRegularFile or FileTooLarge instead of a hang or
    a flood. Other errors are the OSError of opening or reading."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError as error:  # some systems refuse to open a folder at all
        raise NotRegularFile(errno.EISDIR, "is a folder, not a file", str(path)) from error
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            kind = kind_of(status.st_mode)
            raise NotRegularFile(errno.EINVAL, f"is {kind}, not a file", str(path))
        if status.st_size > limit:
            raise FileTooLarge(errno.EFBIG, f"is larger than {_size(limit)}", str(path))
        chunks: list[bytes] = []
        total = 0
        while True:
            # One byte past the limit tells a file that grew while read from one that fits.
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(errno.EFBIG, f"is larger than {_size(limit)}", str(path))
            chunks.append(chunk)
        return ReadFile(b"".join(chunks), status)
    finally:
        os.close(fd)


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit // 1_000_000} MB"
    if limit >= 1_000:
        return f"{limit // 1_000} kB"
    return f"{limit} bytes"
