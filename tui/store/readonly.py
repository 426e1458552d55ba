"""Why a store can only be read, in the user's words: another glose writing to it, a read-only
file system, no permission to write, a full disk, or what the system said."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from tui.store.errors import StoreLocked
from tui.store.lock import Holder, read_holder
from tui.text import printable


class Cause(Enum):
    """What keeps a store from being written."""

    HELD = "another glose is writing"
    READ_ONLY_FILE_SYSTEM = "read-only file system"
    NO_PERMISSION = "no permission to write"
    DISK_FULL = "disk full"
    QUOTA = "disk quota used up"
    OTHER = "cannot write"
    ASKED = "opened read-only"


CAUSES = {
    errno.EROFS: Cause.READ_ONLY_FILE_SYSTEM,
    errno.EACCES: Cause.NO_PERMISSION,
    errno.EPERM: Cause.NO_PERMISSION,
    errno.ENOSPC: Cause.DISK_FULL,
    errno.EDQUOT: Cause.QUOTA,
}


@dataclass(frozen=True, slots=True)
class ReadOnlyReason:
    """Why a store was opened read-only, and what the user can do about it."""

    cause: Cause
    directory: Path
    holder: Holder | None = None
    """The writer named beside the lock, when another glose holds the store."""
    detail: str = ""
    """The system's own words, for a cause glose has no words of its own for."""

    @classmethod
    def of(cls, error: BaseException, directory: Path) -> ReadOnlyReason:
        """The cause of `error` (a StoreLocked, or a failed write wrapped once or more)."""
        if isinstance(error, StoreLocked):
            return cls(Cause.HELD, directory, read_holder(directory))
        deepest: BaseException = error
        seen: BaseException | None = error
        while seen is not None:
            if isinstance(seen, OSError) and seen.errno in CAUSES:
                return cls(CAUSES[seen.errno], directory)
            deepest, seen = seen, seen.__cause__ or seen.__context__
        detail = deepest.strerror if isinstance(deepest, OSError) else None
        return cls(Cause.OTHER, directory, detail=detail or str(deepest))

    @property
    def short(self) -> str:
        """A few words, to go in parentheses after what was done ("read-only: disk full")."""
        return self.cause.value

    def notice(self) -> str:
        """The sentence a user is told when the store refuses to be changed."""
        where = printable(str(self.directory))
        if self.cause is Cause.ASKED:
            return f"This store ({where}) is open read-only: annotation keys do nothing here."
        why, remedy = {
            Cause.HELD: (
                f"Another glose is writing to this store{self._who()}, so this one only reads",
                "Close the other one and reopen to annotate.",
            ),
            Cause.READ_ONLY_FILE_SYSTEM: (
                f"This store's folder ({where}) is on a read-only file system, so glose only "
                "reads it",
                "Remount it writable, or copy it elsewhere and open that with --store.",
            ),
            Cause.NO_PERMISSION: (
                f"You have no permission to write in this store's folder ({where}), so glose "
                "only reads it",
                "Get write permission on it, then reopen to annotate.",
            ),
            Cause.DISK_FULL: (
                f"The disk holding this store ({where}) is full, so glose only reads it",
                "Free some space, then reopen to annotate.",
            ),
            Cause.QUOTA: (
                f"Your disk quota is used up where this store is ({where}), so glose only reads it",
                "Free some space, then reopen to annotate.",
            ),
            Cause.OTHER: (
                f"glose cannot write in this store ({printable(self.detail)}), so it only reads it",
                "Fix that, then reopen to annotate.",
            ),
        }[self.cause]
        return f"{why}: annotation keys do nothing here. {remedy}"

    def _who(self) -> str:
        holder = self.holder
        if holder is None:
            return ""
        return f" (process {holder.pid} on {printable(holder.host)}, since {local(holder.since)})"


def local(moment: str) -> str:
    """An ISO-8601 time as the clock on the wall shows it (the date too if not today)."""
    try:
        when = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return printable(moment)
    if when.date() == datetime.now().astimezone().date():
        return when.strftime("%H:%M:%S")
    return when.strftime("%Y-%m-%d %H:%M")


def clock(moment: datetime) -> str:
    """A moment as the clock on the wall shows it, to the second."""
    return moment.astimezone().strftime("%H:%M:%S")
