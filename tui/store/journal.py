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
import copy
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
    leftovers: int


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _real(path: Path) -> Path:
    """A file reached through a symlink is written where it really is, the link kept."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


@dataclass(frozen=True, slots=True)
class _Marker:
    """The `_snapshot` record: which action the snapshot includes, and whether a journal
    was created beside it (the very first snapshot of a store is written before its journal)."""

    seq: int = 0
    written: str | None = None
    journal: bool = False


def _load_snapshot(path: Path) -> tuple[dict[str, dict[str, Any]], _Marker] | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if not raw or raw.isspace():  # (no strip: it would copy a whole snapshot)
        # TinyDB would take an empty file for an empty database; here it means a lost one.
        raise StoreCorrupt(f"{path} is empty, but a store snapshot is never empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise StoreCorrupt(f"{path} is not valid JSON ({error})") from error
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreCorrupt(f"{path} is not a TinyDB database (tables of documents)")
    record = data.pop(SNAPSHOT_TABLE, {}).get("1", {})
    seq, written, journal = record.get("seq", 0), record.get("written"), record.get("journal")
    if (
        not isinstance(seq, int)
        or isinstance(seq, bool)
        or seq < 0
        or not isinstance(written, str | None)
        or not isinstance(journal, bool | None)
    ):
        raise StoreCorrupt(f"{path} has a damaged {SNAPSHOT_TABLE} record")
    # Snapshots from before the marker existed were always written beside a journal.
    return data, _Marker(seq, written, journal if journal is not None else seq > 0)


def _valid_op(op: Any) -> bool:
    if not isinstance(op, list) or len(op) != 4:
        return False
    kind, table, doc_id, document = op
    if not isinstance(table, str) or not isinstance(doc_id, str) or not doc_id.isdigit():
        return False
    return (kind == "put" and isinstance(document, dict)) or (kind == "del" and document is None)


def _read_journal(path: Path, after_seq: int) -> tuple[list[tuple[int, list]], int, bool] | None:
    """The journal's records after `after_seq`, the byte length of its whole lines, and
    whether a torn (incomplete) last line was found; None when there is no journal."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    records: list[tuple[int, list]] = []
    complete = raw.rfind(b"\n") + 1
    torn = complete < len(raw)
    expected = None
    for number, line in enumerate(raw[:complete].split(b"\n")[:-1], start=1):
        try:
            record = orjson.loads(line)
            seq, ops = record["seq"], record["ops"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as error:
            raise StoreCorrupt(f"{path} line {number} is damaged") from error
        if not isinstance(seq, int) or not isinstance(ops, list) or not all(map(_valid_op, ops)):
            kinds = (
                {op[0] for op in ops if isinstance(op, list) and op}
                if isinstance(ops, list)
                else set()
            )
            newer = " (written by a newer glose?)" if kinds - {"put", "del"} else ""
            raise StoreCorrupt(f"{path} line {number} is damaged{newer}")
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
        else:
            tables.get(table, {}).pop(doc_id, None)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class JournalStorage(Storage):
    """TinyDB storage over `<directory>/<name>.json` and `<directory>/<name>.journal`.

    `read()` returns the live in-memory tables. Writes arrive as operation lists through
    `commit()`; a whole-database `write()` (a TinyDB code path that bypasses `JournalTable`)
    is still correct: it becomes a new snapshot.
    """

    def __init__(
        self,
        directory: str | Path,
        name: str = "glose",
        *,
        readonly: bool = False,
        compact_after: int = 2_000,
    ) -> None:
        super().__init__()
        self.directory = Path(directory)
        self.snapshot_path = _real(self.directory / f"{name}.json")
        self.journal_path = _real(self.directory / f"{name}.journal")
        self.readonly = readonly
        self.compact_after = compact_after
        self.tables: dict[str, dict[str, Any]] = {}
        self.seq = 0
        self.snapshot_seq = 0
        self.journal_records = 0
        self.broken: str | None = None
        self._journal_fd: int | None = None
        self._journal_size = 0
        self._pending: list[Operation] | None = None
        self._undo: list[tuple[str, str, Any]] = []
        self.rehearsing = False
        """Inside `Store.rehearsal`: changes are made in memory, never written, then undone."""
        self._load()

    # Opening

    def _load(self) -> None:
        """Read snapshot and journal; nothing is written here, whatever is found."""
        attempts = 10 if self.readonly else 1
        for attempt in range(attempts):
            before = _identity(self.snapshot_path)
            try:
                snapshot = _load_snapshot(self.snapshot_path)
                marker = snapshot[1] if snapshot else _Marker()
                journal = _read_journal(self.journal_path, marker.seq)
            except StoreCorrupt:
                # A reader can see a new journal beside the snapshot it replaced: read again.
                if attempt == attempts - 1 or _identity(self.snapshot_path) == before:
                    raise
                continue
            # A writer that compacted meanwhile cut the journal this snapshot needs: read again.
            if _identity(self.snapshot_path) == before:
                break
        else:
            raise StoreCorrupt(f"{self.snapshot_path} kept changing while being read")
        if snapshot is None and journal is not None:
            raise StoreCorrupt(
                f"{self.snapshot_path} is missing but {self.journal_path} is there: "
                "the snapshot was lost"
            )
        if snapshot is not None and journal is None and marker.journal:
            raise StoreCorrupt(
                f"{self.journal_path} is missing: it held every action since the snapshot of "
                f"{marker.written or 'creation'}"
            )
        tables = snapshot[0] if snapshot else {}
        records, complete, torn = journal or ([], 0, False)
        for _seq, ops in records:
            _apply(tables, ops)
        self.snapshot_exists = snapshot is not None
        self.journal_exists = journal is not None
        self.snapshot_written = marker.written
        self.tables = tables
        self.snapshot_seq = marker.seq
        self.seq = records[-1][0] if records else marker.seq
        self.journal_records = len(records)
        self._journal_size = complete
        self.torn_tail = torn

    def open_for_writing(self) -> None:
        """Create the store's files if new, drop a torn last line, and open the journal.

        Called only once the store was read and found sound: the first write of a session.
        """
        if self.readonly:
            raise StoreWriteFailed("this store is open read-only")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not self.snapshot_exists:
                # First the snapshot (the store exists from here on), then the journal.
                self._write_snapshot(journal=False)
            fd = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        try:
            if os.fstat(fd).st_size != self._journal_size:
                os.ftruncate(fd, self._journal_size)
                os.fsync(fd)
            fsync_directory(self.journal_path.parent)
        except OSError as error:
            os.close(fd)
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        self._journal_fd = fd
        self.torn_tail = False
        if not self.journal_exists:
            # Now the snapshot can say that a journal belongs beside it.
            self._write_snapshot(journal=True)
            self.journal_exists = True

    def remove_leftovers(self) -> None:
        """Temporary snapshots left by a writer killed while writing one."""
        for leftover in self.leftovers():
            with contextlib.suppress(OSError):
                leftover.unlink()

    def leftovers(self) -> list[Path]:
        try:
            return sorted(self.snapshot_path.parent.glob(f"{_TEMPORARY}*"))
        except OSError:
            return []

    # TinyDB's Storage interface

    def read(self) -> dict[str, dict[str, Any]]:
        return self.tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # Only reached by TinyDB paths that rewrite whole tables (e.g. drop_table).
        self.tables = data
        try:
            self.snapshot()
        except StoreWriteFailed:
            self._load()  # what TinyDB changed in memory is not on disk: forget it
            raise

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
            if pending and not self.rehearsing:
                self._append(pending)
        except BaseException:
            self._rollback()
            raise
        finally:
            self._pending = None
            self._undo = []

    def commit(self, ops: list[Operation]) -> None:
        """Apply operations in memory now and make them durable (now, or at the action's end)."""
        if self.broken:
            raise StoreWriteFailed(self.broken)
        if self._journal_fd is None and not self.rehearsing:
            raise StoreWriteFailed("this store is open read-only")
        if self._pending is None:
            with self.action():
                self.commit(ops)
            return
        for kind, table, doc_id, document in ops:
            if document is not None:
                try:
                    # A private copy (nothing outside can change it unseen), checked storable.
                    document = orjson.loads(orjson.dumps(document))
                except TypeError as error:
                    raise StoreWriteFailed(f"cannot be saved: {error}") from error
            self._undo.append((table, doc_id, self.tables.get(table, {}).get(doc_id)))
            _apply(self.tables, [(kind, table, doc_id, document)])
            self._pending.append((kind, table, doc_id, document))

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
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(self._journal_fd)
        except OSError as error:
            self._cut_back(error)
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        self.seq += 1
        self.journal_records += 1
        self._journal_size += len(line)
        if self.journal_records > 10 * self.compact_after:
            # A session that never closes still gets a bounded journal to replay.
            with contextlib.suppress(StoreWriteFailed):
                self.snapshot()

    def _cut_back(self, error: OSError) -> None:
        """After a failed append, remove any part of it so the next append starts clean."""
        try:
            assert self._journal_fd is not None
            os.ftruncate(self._journal_fd, self._journal_size)
        except OSError:
            # The journal may now end with a torn line (replay drops it): stop writing to it.
            self.broken = (
                f"{_describe(error, self.journal_path)}, and the journal could not be repaired; "
                "nothing more is saved in this session: restart glose"
            )
            self.close()

    # Snapshots

    def snapshot(self) -> None:
        """Write every table to a new snapshot, then start an empty journal."""
        if self.readonly or self._journal_fd is None:
            raise StoreWriteFailed("this store is open read-only")
        self._write_snapshot(journal=True)
        try:
            # The new snapshot holds every action: the journal can start again, empty.
            os.ftruncate(self._journal_fd, 0)
            os.fsync(self._journal_fd)
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        self.snapshot_seq = self.seq
        self.journal_records = 0
        self._journal_size = 0

    def _write_snapshot(self, *, journal: bool) -> None:
        written = now()
        data = dict(self.tables)
        data[SNAPSHOT_TABLE] = {"1": {"seq": self.seq, "written": written, "journal": journal}}
        payload = orjson.dumps(data)
        directory = self.snapshot_path.parent
        try:
            mode = self.snapshot_path.stat().st_mode & 0o7777
        except OSError:
            mode = _new_file_mode()
        try:
            handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY, dir=directory)
            try:
                os.fchmod(handle, mode)
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, self.snapshot_path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            fsync_directory(directory)
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.snapshot_path)) from error
        self.snapshot_exists = True
        self.snapshot_written = written

    def state(self) -> JournalState:
        return JournalState(
            snapshot_seq=self.snapshot_seq,
            snapshot_written=self.snapshot_written,
            journal_records=self.journal_records,
            journal_bytes=self._journal_size,
            torn_tail=self.torn_tail,
            leftovers=len(self.leftovers()),
        )


_TEMPORARY = ".glose-snapshot-"


def _describe(error: OSError, path: Path) -> str:
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EIO: "an input/output error",
        errno.ENOTDIR: "a file stands where a directory should be",
        errno.EEXIST: "a file stands where a directory should be",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"cannot write {path}: {reason}"


class PrivateDocument(Document):
    """A document handed out by a query: a deep copy, so changing it changes nothing stored."""

    def __init__(self, value: Mapping, doc_id: int) -> None:
        super().__init__(copy.deepcopy(dict(value)), doc_id)


class JournalTable(Table):
    """A TinyDB table whose changes cost O(changed documents), not O(table)."""

    document_class = PrivateDocument

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
