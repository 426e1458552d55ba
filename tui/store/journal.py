"""A crash-safe TinyDB storage: an append-only journal over the last snapshot.

Files in the store directory:
- `glose.json`: the last snapshot, in TinyDB's own JSON layout (one object per table), plus a
  `_snapshot` table recording the journal sequence number it includes. Only ever replaced
  whole: written to a temporary file, fsync-ed, renamed over, and the directory fsync-ed.
- `glose.journal`: one JSON line per action since that snapshot, `{"seq": n, "ops": [...]}`,
  each appended and fsync-ed before the action is reported done. A torn last line (a crash
  mid-append) is dropped on replay; any other malformed line is corruption.

TinyDB's own tables rewrite the whole table on every change, so `JournalTable` (installed as
the database's `table_class`) applies each change to the in-memory tables and hands the storage
a small list of operations: a durable write costs one append and one fsync at any store size.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from tui.store.model import now

SNAPSHOT_TABLE = "_snapshot"

# An operation: ("put", table, doc_id, document), ("del", table, doc_id, None)
Operation = tuple[str, str, str, dict[str, Any] | None]


class StoreCorrupt(Exception):
    """A store file is damaged; the message names the file and the place."""


class StoreWriteFailed(Exception):
    """A write could not be made durable; nothing of it was applied."""


@dataclass(frozen=True, slots=True)
class JournalState:
    """What a store's files hold, for `glose check`."""

    snapshot_seq: int
    snapshot_written: str | None
    journal_records: int
    journal_bytes: int
    torn_tail: bool


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load_snapshot(path: Path) -> dict[str, dict[str, Any]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    if not raw.strip():
        # TinyDB would take an empty file for an empty database; here it means a lost one.
        raise StoreCorrupt(f"{path} is empty, but a store snapshot is never empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise StoreCorrupt(f"{path} is not valid JSON ({error})") from error
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StoreCorrupt(f"{path} is not a TinyDB database (tables of documents)")
    return data


def _read_journal(path: Path, after_seq: int) -> tuple[list[tuple[int, list]], int, bool]:
    """The journal's records after `after_seq`, the byte length of its whole lines, and
    whether a torn (incomplete) last line was found."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], 0, False
    records: list[tuple[int, list]] = []
    complete = raw.rfind(b"\n") + 1
    torn = complete < len(raw)
    expected = None
    for number, line in enumerate(raw[:complete].split(b"\n")[:-1], start=1):
        try:
            record = orjson.loads(line)
            seq, ops = record["seq"], record["ops"]
            if not isinstance(seq, int) or not isinstance(ops, list):
                raise TypeError
        except (orjson.JSONDecodeError, KeyError, TypeError) as error:
            raise StoreCorrupt(f"{path} line {number} is damaged") from error
        if expected is not None and seq != expected:
            raise StoreCorrupt(f"{path} line {number} is out of sequence ({seq}, not {expected})")
        expected = seq + 1
        if seq > after_seq:
            records.append((seq, ops))
    if records and records[0][0] != after_seq + 1:
        raise StoreCorrupt(
            f"{path} starts at action {records[0][0]} but the snapshot ends at {after_seq}"
        )
    return records, complete, torn


def _apply(tables: dict[str, dict[str, Any]], ops: Iterable[list | tuple]) -> None:
    for kind, table, doc_id, document in ops:
        if kind == "put":
            tables.setdefault(table, {})[doc_id] = document
        elif kind == "del":
            tables.get(table, {}).pop(doc_id, None)
        else:
            raise StoreCorrupt(f"unknown journal operation {kind!r}")


class JournalStorage(Storage):
    """TinyDB storage over `<directory>/<name>.json` and `<directory>/<name>.journal`.

    `read()` returns the live in-memory tables. Writes arrive as operation lists through
    `commit()`; a whole-database `write()` (a TinyDB code path that bypasses `JournalTable`)
    is still correct: it becomes a new snapshot.
    """

    def __init__(
        self, directory: str | Path, name: str = "glose", *, readonly: bool = False
    ) -> None:
        super().__init__()
        self.directory = Path(directory)
        self.snapshot_path = self.directory / f"{name}.json"
        self.journal_path = self.directory / f"{name}.journal"
        self.readonly = readonly
        self.tables: dict[str, dict[str, Any]] = {}
        self.seq = 0
        self.snapshot_seq = 0
        self.journal_records = 0
        self._journal_fd: int | None = None
        self._journal_size = 0
        self._pending: list[Operation] | None = None
        self._undo: list[tuple[str, str, Any]] = []
        self._load()

    # Opening

    def _load(self) -> None:
        attempts = 5 if self.readonly else 1
        for attempt in range(attempts):
            tables = _load_snapshot(self.snapshot_path)
            marker = tables.pop(SNAPSHOT_TABLE, {}).get("1", {})
            snapshot_seq = int(marker.get("seq", 0))
            try:
                records, complete, torn = _read_journal(self.journal_path, snapshot_seq)
                break
            except StoreCorrupt:
                # A reader can see a new journal beside the snapshot it replaced: read again.
                if attempt == attempts - 1:
                    raise
        for _seq, ops in records:
            _apply(tables, ops)
        self.snapshot_exists = self.snapshot_path.exists()
        self.tables = tables
        self.snapshot_seq = snapshot_seq
        self.seq = records[-1][0] if records else snapshot_seq
        self.journal_records = len(records)
        self._journal_size = complete
        self.torn_tail = torn

    def open_for_writing(self) -> None:
        """Drop a torn last line (an action that never completed) and open the journal."""
        if self.readonly:
            raise StoreWriteFailed("this store is open read-only")
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if os.fstat(fd).st_size != self._journal_size:
                os.ftruncate(fd, self._journal_size)
                os.fsync(fd)
            fsync_directory(self.directory)
        except BaseException:
            os.close(fd)
            raise
        self._journal_fd = fd
        self.torn_tail = False

    # TinyDB's Storage interface

    def read(self) -> dict[str, dict[str, Any]]:
        return self.tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # Only reached by TinyDB paths that rewrite whole tables (e.g. drop_tables).
        if data is not self.tables:
            self.tables = data
        self.snapshot()

    def close(self) -> None:
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None

    # Actions

    @contextlib.contextmanager
    def action(self) -> Iterator[None]:
        """Group the operations inside into one journal line: all durable, or none applied."""
        if self._pending is not None:
            yield  # nested: the outer action commits
            return
        self._pending = []
        self._undo = []
        try:
            yield
            pending = self._pending
            self._pending = None
            if pending:
                self._append(pending)
        except BaseException:
            self._rollback()
            raise
        finally:
            self._pending = None
            self._undo = []

    def commit(self, ops: list[Operation]) -> None:
        """Apply operations in memory now and make them durable (now, or at the action's end)."""
        if self._journal_fd is None:
            raise StoreWriteFailed("this store is open read-only")
        if self._pending is not None:
            for kind, table, doc_id, document in ops:
                self._undo.append((table, doc_id, self.tables.get(table, {}).get(doc_id)))
                _apply(self.tables, [(kind, table, doc_id, document)])
            self._pending.extend(ops)
            return
        with self.action():
            self.commit(ops)

    def _rollback(self) -> None:
        for table, doc_id, previous in reversed(self._undo):
            if previous is None:
                self.tables.get(table, {}).pop(doc_id, None)
            else:
                self.tables.setdefault(table, {})[doc_id] = previous

    def _append(self, ops: list[Operation]) -> None:
        assert self._journal_fd is not None
        line = orjson.dumps({"seq": self.seq + 1, "ops": ops}) + b"\n"
        try:
            written = os.write(self._journal_fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, "short write (disk full?)")
            os.fsync(self._journal_fd)
        except OSError as error:
            self._cut_back()
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        self.seq += 1
        self.journal_records += 1
        self._journal_size += len(line)

    def _cut_back(self) -> None:
        """After a failed append, remove any part of it so the next append starts clean."""
        try:
            assert self._journal_fd is not None
            os.ftruncate(self._journal_fd, self._journal_size)
        except OSError:
            # The journal may now end with a torn line: replay drops it. Stop writing to it.
            self.close()

    # Snapshots

    def snapshot(self) -> None:
        """Write every table to a new snapshot, then start an empty journal."""
        if self.readonly or self._journal_fd is None:
            raise StoreWriteFailed("this store is open read-only")
        data = dict(self.tables)
        data[SNAPSHOT_TABLE] = {"1": {"seq": self.seq, "written": now()}}
        payload = orjson.dumps(data)
        try:
            handle, temporary = tempfile.mkstemp(prefix=".glose-snapshot-", dir=self.directory)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, self.snapshot_path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            fsync_directory(self.directory)
            # The new snapshot holds every action: the journal can start again, empty.
            os.ftruncate(self._journal_fd, 0)
            os.fsync(self._journal_fd)
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.snapshot_path)) from error
        self.snapshot_seq = self.seq
        self.journal_records = 0
        self._journal_size = 0

    def state(self) -> JournalState:
        written = None
        with contextlib.suppress(StoreCorrupt):
            written = (
                _load_snapshot(self.snapshot_path)
                .get(SNAPSHOT_TABLE, {})
                .get("1", {})
                .get("written")
            )
        return JournalState(
            snapshot_seq=self.snapshot_seq,
            snapshot_written=written,
            journal_records=self.journal_records,
            journal_bytes=self._journal_size,
            torn_tail=self.torn_tail,
        )


def _describe(error: OSError, path: Path) -> str:
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EIO: "an input/output error",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"cannot write {path}: {reason}"


class JournalTable(Table):
    """A TinyDB table whose changes cost O(changed documents), not O(table)."""

    @property
    def _journal(self) -> JournalStorage:
        storage = self.storage
        assert isinstance(storage, JournalStorage)
        return storage

    def _documents(self) -> dict[str, Any]:
        return self._journal.tables.get(self.name, {})

    def _new_id(self) -> int:
        documents = self._documents()
        # Ids only grow: the largest used id is kept in a counter after the first look.
        counter = getattr(self, "_glose_next_id", None)
        if counter is None:
            counter = max((int(doc_id) for doc_id in documents), default=0) + 1
        while str(counter) in documents:
            counter += 1
        self._glose_next_id = counter + 1
        return counter

    def insert(self, document: Mapping) -> int:
        if isinstance(document, Document):
            doc_id = document.doc_id
            if str(doc_id) in self._documents():
                raise ValueError(f"Document with ID {doc_id} already exists")
        else:
            doc_id = self._new_id()
        self._journal.commit([("put", self.name, str(doc_id), dict(document))])
        self.clear_cache()
        return doc_id

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[int]:
        ids: list[int] = []
        with self._journal.action():
            for document in documents:
                ids.append(self.insert(document))
        return ids

    def _matching_ids(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[str]:
        documents = self._documents()
        if doc_ids is not None:
            return [str(doc_id) for doc_id in doc_ids if str(doc_id) in documents]
        if cond is None:
            return list(documents)
        return [doc_id for doc_id, document in documents.items() if cond(document)]

    def update(
        self, fields: Any, cond: Any = None, doc_ids: Iterable[int] | None = None
    ) -> list[int]:
        documents = self._documents()
        ops: list[Operation] = []
        for doc_id in self._matching_ids(cond, doc_ids):
            document = dict(documents[doc_id])
            if callable(fields):
                fields(document)
            else:
                document.update(fields)
            ops.append(("put", self.name, doc_id, document))
        if ops:
            self._journal.commit(ops)
            self.clear_cache()
        return [int(op[2]) for op in ops]

    def update_multiple(self, updates: Iterable[tuple[Any, Any]]) -> list[int]:
        changed: list[int] = []
        with self._journal.action():
            for fields, cond in updates:
                changed.extend(self.update(fields, cond))
        return changed

    def upsert(self, document: Mapping, cond: Any = None) -> list[int]:
        if isinstance(document, Document) and hasattr(document, "doc_id"):
            updated = self.update(dict(document), doc_ids=[document.doc_id])
            if updated:
                return updated
            return [self.insert(document)]
        if cond is None:
            raise ValueError("If you don't specify a search query, you must specify a doc_id")
        updated = self.update(dict(document), cond)
        return updated or [self.insert(document)]

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        if cond is None and doc_ids is None:
            raise RuntimeError("Use truncate() to remove all documents")
        ids = self._matching_ids(cond, doc_ids)
        if ids:
            self._journal.commit([("del", self.name, doc_id, None) for doc_id in ids])
            self.clear_cache()
        return [int(doc_id) for doc_id in ids]

    def truncate(self) -> None:
        ids = list(self._documents())
        if ids:
            self._journal.commit([("del", self.name, doc_id, None) for doc_id in ids])
        self._glose_next_id = None  # as in TinyDB, ids start again from 1
        self.clear_cache()


class JournalDB(TinyDB):
    """TinyDB over a `JournalStorage`, with tables that journal each change."""

    table_class = JournalTable
