"""A store's files read into tables: the schema checked and migrated in memory, and, for a
reader following a writer, the files read again into objects of their own (`Store.reread`),
so the reading may run in a worker thread while the store is in use."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui.store.errors import StoreError, reason
from tui.store.journal import JournalDB, JournalStorage, StoreCorrupt
from tui.store.schema import STORE_NAME, migrate, schema_of
from tui.store.tables import Tables
from tui.store.undo import UndoLog

FileState = tuple[int, int, int, int] | None
"""A file's device, inode, size and change time (None: not there), to tell it was written."""


def file_state(path: Path) -> FileState:
    try:
        status = os.stat(path)
    except OSError:  # gone, or out of reach: reading it again will say which
        return None
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


@dataclass(frozen=True, slots=True)
class Reading:
    """A store's files as read at one moment, apart from what a reader shows (`Store.reread`)."""

    db: JournalDB
    tables: Tables
    schema: int
    disk_schema: int
    files: tuple[FileState, FileState]
    read_at: datetime


def read_schema(storage: JournalStorage, tables: Tables, path: Path) -> tuple[int, int, bool]:
    """The schema of the files, the schema after migrating them in memory, and whether the
    store is new; the tables indexed as migrated."""
    new = not storage.snapshot_exists
    schema = schema_of(storage.tables, path, new=new)
    migrated = migrate(storage.tables, schema)
    tables.reindex()
    return schema, migrated, new


def read_again(
    directory: Path,
    compact_after: int,
    undo: UndoLog,
    files: tuple[FileState, FileState],
    read_at: datetime,
) -> Reading:
    """A read-only store's files read into objects of their own; StoreError says why they
    cannot be."""
    try:
        with gc_paused():
            db = JournalDB(
                directory,
                STORE_NAME,
                readonly=True,
                compact_after=compact_after,
                storage=JournalStorage,
            )
            storage: JournalStorage = db.storage  # type: ignore[assignment]
            tables = Tables(db, directory, undo, readonly=True)
            schema, migrated, new = read_schema(storage, tables, directory / f"{STORE_NAME}.json")
    except StoreCorrupt as error:
        raise StoreError(str(error)) from error
    except OSError as error:
        raise StoreError(f"cannot read the store {directory}: {reason(error)}") from error
    return Reading(db, tables, migrated, migrated if new else schema, files, read_at)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a store is read: parsing and indexing a big store makes
    millions of objects, none of them cycles, and Python's collector would walk them again
    and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
