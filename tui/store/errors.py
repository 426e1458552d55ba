"""What the store raises when it cannot do what was asked, each with a sentence saying why."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot do what was asked; the message says why and what to do."""


class StoreLocked(StoreError):
    """Another process holds the store for writing."""


class StoreReadOnly(StoreError):
    """This store was opened read-only, so it refuses changes."""


class StoreWriteError(StoreError):
    """A change could not be made durable (disk full, permission, read-only file system)."""


class StoreUnwritable(StoreError):
    """The store can be read but not written (permissions, read-only or full file system)."""


def reason(error: BaseException) -> str:
    """What went wrong, in the words of the operating system when it is an OSError."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
