"""The lock a writer holds on a store directory, and the holder file naming that writer.

The lock is `glose.lock`, locked by the writer for as long as it writes. A program that deletes
or replaces that file lets a second writer in: so the writer checks before each write that the
file on disk is still the one it locked (inode and device), and a writer that finds a live
holder recorded with another lock file refuses to start.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.regular_files import kind_of, read_regular_file
from tui.store.errors import StoreError, StoreLocked, StoreUnwritable, reason
from tui.store.journal import make_directories
from tui.store.model import now
from tui.store.schema import STORE_NAME
from tui.temporaries import (
    process_running,
    remove_temporaries,
    stale_temporaries,
    temporary_beside,
)

if TYPE_CHECKING:
    from filelock import FileLock

HOLDER_NAME = f"{STORE_NAME}.holder"

HOLDER_LIMIT = 64_000
"""Bytes of a holder record read at most: a few dozen are written."""

_FORMER_TEMPORARY = re.compile(r"^\.glose\.holder\.(?P<pid>[0-9]+)\Z")
"""The name a holder record being written had until it was named like every glose temporary:
what a kill left under the previous release is still cleaned. To drop after the next release."""


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a store for writing, as recorded beside the lock."""

    pid: int
    host: str
    since: str
    lock: tuple[int, int] | None = None
    """The device and inode of the lock file it locked (not recorded by older glose)."""

    def describe(self) -> str:
        return f"process {self.pid} on {self.host}, since {self.since}"


class WriterLock:
    """The lock of one store directory: one writer at a time, readers never take it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / f"{STORE_NAME}.lock"
        self._lock: FileLock | None = None
        self._held: tuple[int, int] | None = None
        """The device and inode of the lock file this writer locked."""

    def take(self) -> None:
        """Hold the lock and record who holds it (StoreLocked, StoreUnwritable if not)."""
        # Imported here: a command that only reads a store never locks it.
        from filelock import FileLock, Timeout

        try:
            make_directories(self.directory)
            lock = FileLock(self.path, timeout=0)
            lock.acquire()
        except Timeout as error:
            holder = read_holder(self.directory)
            who = holder.describe() if holder else "another process"
            raise StoreLocked(f"another glose is writing to {self.directory} ({who})") from error
        except OSError as error:
            raise self._unwritable(error) from error
        self._lock = lock
        try:
            status = os.lstat(self.path)
        except OSError as error:
            self.release()
            raise self._unwritable(error) from error
        if not stat.S_ISREG(status.st_mode):  # put there since the check at opening
            self.release()
            raise StoreError(not_a_file(self.path, status.st_mode))
        self._held = (status.st_dev, status.st_ino)
        earlier = read_holder(self.directory)
        if earlier is not None and earlier.lock not in (None, self._held):
            # A live writer locked another lock file: this one was put in place of its own.
            self._held = None
            self._lock.release()
            self._lock = None
            raise StoreLocked(
                f"another glose is writing to {self.directory} ({earlier.describe()}) though "
                f"{self.path.name} was removed meanwhile: close that glose first"
            )
        # Holder records half written by writers killed meanwhile.
        remove_temporaries(
            stale_temporaries(
                self.directory, of={HOLDER_NAME}, locked=True, former=_FORMER_TEMPORARY
            )
        )
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": now(),
            "lock": list(self._held),
        }
        try:
            # Written once the lock is held, so it always names the current writer.
            write_replacing(self.directory / HOLDER_NAME, json.dumps(holder))
        except OSError as error:
            self.release()
            raise self._unwritable(error) from error

    def _unwritable(self, error: OSError) -> StoreUnwritable:
        return StoreUnwritable(
            f"cannot write {error.filename or self.directory} ({reason(error)}); "
            "glose can only read this store until that is fixed"
        )

    def lost(self) -> str | None:
        """Why this writer no longer holds the store, if its lock file on disk is gone or
        another file now: another glose may be writing too."""
        if self._held is None:
            return None
        try:
            status = os.lstat(self.path)
        except FileNotFoundError:
            status = None
        except OSError:
            return None  # cannot look: the journal's own checks still stand
        if status is None or (status.st_dev, status.st_ino) != self._held:
            return (
                f"{self.path} was removed or replaced by another program (another glose may be "
                "writing too)"
            )
        return None

    def release(self) -> None:
        """Let the lock go, if held, with the record of its holder (never another's)."""
        if self._lock is not None:
            holder = read_holder(self.directory)
            if holder is not None and holder.pid == os.getpid() and holder.lock == self._held:
                with contextlib.suppress(OSError):
                    (self.directory / HOLDER_NAME).unlink(missing_ok=True)
            self._lock.release()
            self._lock = None
            self._held = None


def not_a_file(path: Path, mode: int) -> str:
    kind = "a symbolic link" if stat.S_ISLNK(mode) else kind_of(mode)
    return f"{path} is {kind}, not a file: remove it, and glose will make it again"


def check_lock_files(directory: Path) -> None:
    """StoreError when the lock or the holder record is not a plain file: glose makes them
    itself, and a FIFO or a device there would hang or flood whoever opens it."""
    for name in (f"{STORE_NAME}.lock", HOLDER_NAME):
        path = directory / name
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue  # missing, or not to be looked at: said by whatever opens it
        if not stat.S_ISREG(mode):
            raise StoreError(not_a_file(path, mode))


def read_holder(directory: Path) -> Holder | None:
    """The writer recorded beside the lock, unless the record is left over from a crash.

    The lock itself is never taken to find out: a probe would refuse a writer starting then.
    """
    try:
        raw = read_regular_file(directory / HOLDER_NAME, limit=HOLDER_LIMIT).data
        record = json.loads(raw.decode("utf-8"))
        lock = record.get("lock")
        holder = Holder(
            int(record["pid"]),
            str(record["host"]),
            str(record["since"]),
            (int(lock[0]), int(lock[1])) if lock is not None else None,
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    if holder.host != socket.gethostname():
        return holder  # another machine's process cannot be checked from here
    if not process_running(holder.pid):
        return None  # that process is gone: the record is left over from a crash
    return holder


def write_replacing(path: Path, text: str) -> None:
    """Write a small file whole, readable by all: a temporary file renamed over the old one."""
    # Created here, never opened as found: a FIFO or a link put in its place is refused.
    handle, temporary = temporary_beside(path, mode=0o644)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
