"""The lock a writer holds on a store directory, and the holder file naming that writer."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from tui.store.errors import StoreLocked, StoreUnwritable, reason
from tui.store.model import now
from tui.store.schema import STORE_NAME


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a store for writing, as recorded beside the lock."""

    pid: int
    host: str
    since: str

    def describe(self) -> str:
        return f"process {self.pid} on {self.host}, since {self.since}"


class WriterLock:
    """The lock of one store directory: one writer at a time, readers never take it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock: FileLock | None = None

    def take(self) -> None:
        """Hold the lock and record who holds it (StoreLocked, StoreUnwritable if not)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(self.directory / f"{STORE_NAME}.lock", timeout=0)
            self._lock.acquire()
        except Timeout as error:
            self._lock = None
            holder = read_holder(self.directory)
            who = holder.describe() if holder else "another process"
            raise StoreLocked(f"another glose is writing to {self.directory} ({who})") from error
        except OSError as error:
            self._lock = None
            raise StoreUnwritable(
                f"cannot write in {self.directory} ({reason(error)}); "
                "glose can only read this store until that is fixed"
            ) from error
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": now()}
        try:
            # Written once the lock is held, so it always names the current writer.
            write_replacing(self.directory / f"{STORE_NAME}.holder", json.dumps(holder))
        except OSError as error:
            self.release()
            raise StoreUnwritable(
                f"cannot write in {self.directory} ({reason(error)}); "
                "glose can only read this store until that is fixed"
            ) from error

    def release(self) -> None:
        """Let the lock go, if held, with the record of its holder."""
        if self._lock is not None:
            with contextlib.suppress(OSError):
                (self.directory / f"{STORE_NAME}.holder").unlink(missing_ok=True)
            self._lock.release()
            self._lock = None


def read_holder(directory: Path) -> Holder | None:
    """The writer recorded beside the lock, unless the record is left over from a crash.

    The lock itself is never taken to find out: a probe would refuse a writer starting then.
    """
    try:
        record = json.loads((directory / f"{STORE_NAME}.holder").read_text(encoding="utf-8"))
        holder = Holder(int(record["pid"]), str(record["host"]), str(record["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if holder.host != socket.gethostname():
        return holder  # another machine's process cannot be checked from here
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return None  # that process is gone: the record is left over from a crash
    except PermissionError:
        pass  # it exists, under another user
    return holder


def write_replacing(path: Path, text: str) -> None:
    """Write a small file whole: a temporary file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
