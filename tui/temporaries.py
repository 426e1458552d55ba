"""Temporary files written beside a file and renamed over it, and those a killed run left.

A file glose writes whole (an export, the search index, the catalog) is written to a temporary
beside it and renamed over it, so a crash never leaves half a file. A kill or a power cut
between the two leaves the temporary behind, so each is named with the id of the process
writing it (`.name.<pid>.<random>.glose-partial`) and a later run removes those that are stale:
untouched for a minute (a temporary being written grows, so its time moves) and either left by
a process that is no longer running or untouched for a day (a process id is reused in time).
The minute spares a temporary written by another machine's glose in a shared folder, whose
process cannot be seen from here.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

SUFFIX = ".glose-partial"

_NAMED = re.compile(r"^\..+\.(?P<pid>[0-9]+)\.[a-z0-9_]+" + re.escape(SUFFIX) + "$")

UNTOUCHED_NS = 60 * 10**9
"""A temporary changed more recently than this may still be being written."""

ABANDONED_NS = 24 * 3600 * 10**9
"""A temporary untouched this long is left over, whoever has its process id now."""


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in `path`'s folder, open for writing: its descriptor and path
    (OSError when the folder cannot take one)."""
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=SUFFIX, dir=path.parent)


def remove_stale_temporaries(directory: Path) -> list[str]:
    """Remove the temporaries killed runs left in `directory`; the names removed. Nothing is
    an error: a folder that cannot be listed, a file gone meanwhile are skipped."""
    removed: list[str] = []
    try:
        listing = list(os.scandir(directory))
    except OSError:
        return removed
    now = time.time_ns()
    for entry in listing:
        named = _NAMED.match(entry.name)
        if named is None:
            continue
        with contextlib.suppress(OSError):
            status = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(status.st_mode):
                continue  # glose writes only files: anything else of that name is not its own
            untouched = now - status.st_mtime_ns
            if untouched < UNTOUCHED_NS:
                continue
            if untouched < ABANDONED_NS and _running(int(named["pid"])):
                continue
            os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def _running(pid: int) -> bool:
    """Whether a process of this id runs on this machine (glose's own counts as running)."""
    if pid <= 0:
        return False  # 0 and below name process groups, never a writer
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # past any process id: not one
        return False
    except OSError:
        return True  # another user's process: it exists
    return True
