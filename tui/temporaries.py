"""Temporary files written beside a file and renamed over it, and those a killed run left.

A file glose writes whole (an export, the search index, the catalog, the store's snapshot,
journal and holder record) is written to a temporary beside it and renamed over it, so a crash
never leaves half a file. A kill or a power cut between the two leaves the temporary behind, so
each is named with the id of the process writing it (`.name.<pid>.<random>.glose-partial`) and
a later run removes those that are stale: untouched for a minute (a temporary being written
grows, so its time moves) and either left by a process that is no longer running or untouched
for a day (a process id is reused in time). The minute spares a temporary written by another
machine's glose in a shared folder, whose process cannot be seen from here; temporaries only a
lock's holder writes need not wait for it (see `stale_temporaries`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Collection, Iterable
from pathlib import Path

SUFFIX = ".glose-partial"

# Any character may be in a file's name, a line break too.
_NAMED = re.compile(
    r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[a-z0-9_]+" + re.escape(SUFFIX) + r"\Z", re.DOTALL
)

UNTOUCHED_NS = 60 * 10**9
"""A temporary changed more recently than this may still be being written."""

ABANDONED_NS = 24 * 3600 * 10**9
"""A temporary untouched this long is left over, whoever has its process id now."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_ATTEMPTS = 100
"""Names tried before giving up, should each be taken already."""


def temporary_beside(path: Path, *, mode: int = 0o600, append: bool = False) -> tuple[int, str]:
    """A new temporary file in `path`'s folder, open for writing: its descriptor and path
    (OSError when the folder cannot take one). `mode` is asked at creation (the umask
    applies); `append` puts every write at the file's end, as a journal wants."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | (os.O_APPEND if append else 0)
    for _ in range(_ATTEMPTS):
        name = f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{SUFFIX}"
        temporary = os.path.join(path.parent, name)
        try:
            return os.open(temporary, flags, mode), temporary
        except FileExistsError:
            continue  # created meanwhile, by this process or another: draw again
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def stale_temporaries(
    directory: Path,
    *,
    of: Collection[str] | None = None,
    locked: bool = False,
    former: re.Pattern[str] | None = None,
) -> list[Path]:
    """The temporaries killed runs left in `directory` (none when it cannot be listed).

    `of` keeps only the temporaries of files of those names. `locked` says that only the holder
    of a lock writes them and the one asking holds it or will: no writer elsewhere can be at
    work, so a temporary is stale as soon as its process is gone, and so is one of this very
    process (written by an earlier process of the same id). `former` matches names earlier
    versions gave their temporaries, with the process id as group `pid` where they had one.
    """
    found: list[Path] = []
    try:
        listing = list(os.scandir(directory))
    except OSError:
        return found
    now = time.time_ns()
    for entry in listing:
        pid = _writer(entry.name, of, former)
        if pid is None:
            continue
        with contextlib.suppress(OSError):
            status = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(status.st_mode):
                continue  # glose writes only files: anything else of that name is not its own
            untouched = now - status.st_mtime_ns
            if not locked and untouched < UNTOUCHED_NS:
                continue
            if untouched < ABANDONED_NS and _may_be_writing(pid, locked):
                continue
            found.append(Path(entry.path))
    return sorted(found)


def remove_stale_temporaries(directory: Path) -> list[str]:
    """Remove the temporaries killed runs left in `directory`; the names removed. Nothing is
    an error: a folder that cannot be listed, a file gone meanwhile are skipped."""
    return remove_temporaries(stale_temporaries(directory))


def remove_temporaries(paths: Iterable[Path]) -> list[str]:
    """Remove these temporaries (found stale by `stale_temporaries`); the names of those
    removed, a file gone meanwhile or that cannot be removed skipped."""
    removed: list[str] = []
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path.name)
    return removed


def process_running(pid: int) -> bool:
    """Whether a process of this id runs on this machine, under any user (glose's own
    included)."""
    if pid <= 0:
        return False  # 0 and below name process groups, never a writer
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError, ValueError):  # past any process id: not one
        return False
    except OSError:
        return True  # another user's process: it exists
    return True


def _writer(name: str, of: Collection[str] | None, former: re.Pattern[str] | None) -> int | None:
    """The id of the process that wrote a temporary of this name (0 when the name bears none),
    or None when the name is not of a temporary asked about."""
    named = _NAMED.match(name)
    if named is not None:
        return int(named["pid"]) if of is None or named["name"] in of else None
    earlier = former.match(name) if former is not None else None
    if earlier is None:
        return None
    return int(earlier["pid"]) if earlier["pid"] else 0


def _may_be_writing(pid: int, locked: bool) -> bool:
    if locked and pid == os.getpid():
        return False  # the lock's holder is not writing while it looks
    return process_running(pid)
