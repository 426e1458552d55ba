"""A crash-safe TinyDB storage: an append-only journal over the last snapshot.

Files in the store directory:
- `glose.json`: the last snapshot, in TinyDB's own JSON layout (one object per table), plus a
  `_snapshot` table recording the journal sequence number it includes. Only ever replaced
  whole: written to a temporary file, fsync-ed, renamed over, and the directory fsync-ed.
- `glose.journal`: one JSON line per action since that snapshot, `{"seq": n, "ops": [...]}`,
  each appended and fsync-ed before the action is reported done. A torn last line (a crash
  mid-append) is dropped on replay; any other malformed line is corruption. It begins with an
  empty action at the snapshot's number, written when it is made and when a compaction makes
  it anew (a temporary file renamed over it): a journal emptied from outside is told from a
  new one. (Older glose left it empty: such a journal is taken as it is.)

The journal and the snapshot must belong together: the journal is empty (as an older glose
left it), or its actions follow on without a gap from no later than the snapshot's next one
(its own first one, if empty) and reach at least the snapshot's (a compaction cut short leaves
those). Anything else is refused before anything is written.

A writer checks before each write that the journal it appends to is still the file on disk
(inode and device) and as long as it left it: a journal replaced, removed or changed from
outside stops it for the session.

TinyDB's own tables rewrite the whole table on every change, so `JournalTable` (installed as
the database's `table_class`) applies each change to the in-memory tables and hands the storage
a small list of operations: a durable write costs one append and one fsync at any store size.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from tui.regular_files import (
    kind_of,
)
from tui.store.model import now
from tui.store.store_files import (
    SNAPSHOT_TABLE,
    SnapshotMarker,
    StoreCorrupt,
    apply_ops,
    load_snapshot,
    read_journal,
)
from tui.temporaries import remove_temporaries, stale_temporaries, temporary_beside

# An operation: ("put", table, doc_id, document), ("del", table, doc_id, None)
Operation = tuple[str, str, str, dict[str, Any] | None]


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


COMPACT_BYTES = 16_000_000
"""Journal bytes past which a compaction is due, when the snapshot is smaller than that: one
large import is one long line, which the count of actions alone would never compact."""


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_directories(directory: Path) -> None:
    """Create `directory` and the folders above it that are missing, each made durable in
    its parent (a new store must not vanish with its folder after a power cut)."""
    missing: list[Path] = []
    path = directory
    while not path.exists() and path.parent != path:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made meanwhile by another process, which makes it durable
        fsync_directory(folder.parent)


def same_file(status: os.stat_result, other: os.stat_result) -> bool:
    return (status.st_dev, status.st_ino) == (other.st_dev, other.st_ino)


def _real(path: Path) -> Path:
    """A file reached through a symlink is written where it really is, the link kept."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


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
        # The names in the store's folder: read through, and written where they lead.
        self.snapshot_path = self.directory / f"{name}.json"
        self.journal_path = self.directory / f"{name}.journal"
        self.readonly = readonly
        self.compact_after = compact_after
        self.tables: dict[str, dict[str, Any]] = {}
        self.seq = 0
        self.snapshot_seq = 0
        self.journal_records = 0
        self.broken: str | None = None
        self.guard: Callable[[], str | None] | None = None
        """Says why this writer no longer holds the store (its lock gone), if it does not."""
        self._journal_fd: int | None = None
        self._journal_size = 0
        self._journal_read: os.stat_result | None = None
        self._unterminated = False
        self._snapshot_size = 0
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
                snapshot = load_snapshot(self.snapshot_path)
                marker = snapshot[1] if snapshot else SnapshotMarker()
                journal = read_journal(self.journal_path, marker.seq if snapshot else None)
                if marker.header and journal is not None and not journal.lines:
                    raise StoreCorrupt(
                        f"{self.journal_path} is empty, but it began with action {marker.seq} "
                        f"when the snapshot of {marker.written} was written: another program "
                        "emptied it"
                    )
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
                f"{self.snapshot_path} is missing but {self.journal_path.name} is there: "
                "the snapshot was lost"
            )
        if snapshot is not None and journal is None and marker.journal:
            raise StoreCorrupt(
                f"{self.journal_path} is missing: it held every action since the snapshot of "
                f"{marker.written or 'creation'}"
            )
        tables = snapshot[0] if snapshot else {}
        records = journal.records if journal else []
        for _seq, ops in records:
            apply_ops(tables, ops)
        self.snapshot_exists = snapshot is not None
        self.journal_exists = journal is not None
        self.snapshot_written = marker.written
        self.tables = tables
        self.snapshot_seq = marker.seq
        self.seq = records[-1][0] if records else marker.seq
        self.journal_records = len(records)
        self._journal_size = journal.length if journal else 0
        self._journal_read = journal.status if journal else None
        self._unterminated = journal.unterminated if journal else False
        self._snapshot_size = before[2] if before else 0
        self.torn_tail = journal.torn if journal else False

    def open_for_writing(self) -> None:
        """Create the store's files if new, drop a torn last line, and open the journal.

        Called only once the store was read and found sound: the first write of a session.
        """
        if self.readonly:
            raise StoreWriteFailed("this store is open read-only")
        try:
            make_directories(self.directory)
            if not self.snapshot_exists:
                # First the snapshot (the store exists from here on), then the journal.
                self._write_snapshot(journal=False)
            # Never blocked by a FIFO put in its place; what was opened is checked next.
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK | _CLOEXEC
            fd = os.open(self.journal_path, flags, 0o644)
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                raise StoreWriteFailed(
                    f"{self.journal_path} is {kind_of(status.st_mode)}, not a file"
                )
            read = self._journal_read
            if read is not None and (
                not same_file(status, read) or status.st_size < self._journal_size
            ):
                raise StoreWriteFailed(
                    f"{self.journal_path} changed while glose was opening it; try again"
                )
            if status.st_size != self._journal_size:
                os.ftruncate(fd, self._journal_size)  # a torn last line
                os.fsync(fd)
            if self._unterminated:
                # Its last action is whole but lacks the newline the next one needs.
                if os.write(fd, b"\n") != 1:
                    raise OSError(errno.ENOSPC, "short write")
                os.fsync(fd)
                self._journal_size += 1
                self._unterminated = False
            if self._journal_size == 0:
                # A journal begins with an empty action at the snapshot's number: emptied from
                # outside later, it is told from a new one.
                line = _empty_action(self.seq)
                if os.write(fd, line) != len(line):
                    raise OSError(errno.ENOSPC, "short write")
                os.fsync(fd)
                self._journal_size = len(line)
            fsync_directory(_real(self.journal_path).parent)
        except OSError as error:
            os.close(fd)
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        except StoreWriteFailed:
            os.close(fd)
            raise
        self._journal_fd = fd
        self.torn_tail = False
        if not self.journal_exists:
            # Now the snapshot can say that a journal belongs beside it, and how it begins.
            self._write_snapshot(journal=True, header=True)
            self.journal_exists = True

    def remove_leftovers(self) -> None:
        """Temporary files left by a writer killed while writing a snapshot or a journal."""
        remove_temporaries(self.leftovers())

    def leftovers(self) -> list[Path]:
        """Temporary snapshots and journals whose writer is gone (a live one's are its work)."""
        found: list[Path] = []
        for folder, names in self._written_where().items():
            found.extend(stale_temporaries(folder, of=names, locked=True, former=_FORMER_TEMPORARY))
        return sorted(found)

    def _written_where(self) -> dict[Path, set[str]]:
        """The names of the snapshot and the journal by the folder they are written in (a
        symlinked one is written where it really is, and its temporaries are there)."""
        where: dict[Path, set[str]] = {}
        for target in (_real(self.snapshot_path), _real(self.journal_path)):
            where.setdefault(target.parent, set()).add(target.name)
        return where

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
            apply_ops(self.tables, [(kind, table, doc_id, document)])
            self._pending.append((kind, table, doc_id, document))

    def _rollback(self) -> None:
        for table, doc_id, previous in reversed(self._undo):
            if previous is None:
                self.tables.get(table, {}).pop(doc_id, None)
            else:
                self.tables.setdefault(table, {})[doc_id] = previous

    def wants_compaction(self, compact_after: int, times: int = 1) -> bool:
        """Whether a new snapshot is worth writing: past `compact_after` actions, or when the
        journal outweighs both `COMPACT_BYTES` and the snapshot (each `times` over)."""
        heavy = max(COMPACT_BYTES, self._snapshot_size)
        return self.journal_records > times * compact_after or self._journal_size > times * heavy

    def _append(self, ops: list[Operation]) -> None:
        self._refuse_if_replaced()
        assert self._journal_fd is not None
        line = orjson.dumps({"seq": self.seq + 1, "ops": ops}) + b"\n"
        try:
            written = os.write(self._journal_fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(self._journal_fd)
        except OSError as error:
            self._cut_back(error, len(line))
            raise StoreWriteFailed(self.broken or _describe(error, self.journal_path)) from error
        self.seq += 1
        self.journal_records += 1
        self._journal_size += len(line)
        if self.wants_compaction(self.compact_after, times=10):
            # A session that never closes still gets a bounded journal to replay.
            with contextlib.suppress(StoreWriteFailed):
                self.snapshot()

    def _refuse_if_replaced(self) -> None:
        """Stop for the session when the journal on disk, or the lock, is no longer the one
        this writer holds: what it wrote would be lost, or mixed with another writer's."""
        if self.broken:
            raise StoreWriteFailed(self.broken)
        assert self._journal_fd is not None
        try:
            on_disk: os.stat_result | None = os.stat(self.journal_path)
        except FileNotFoundError:
            on_disk = None
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        held = os.fstat(self._journal_fd)
        if on_disk is None or not same_file(on_disk, held):
            why: str | None = f"{self.journal_path} was replaced or removed by another program"
        else:
            why = self.guard() if self.guard else None
        if not why and held.st_size != self._journal_size:
            why = f"{self.journal_path} was changed by another program"
        if why:
            self.broken = f"{why}, so nothing more is saved in this session: restart glose"
            self.close()
            raise StoreWriteFailed(self.broken)

    def _cut_back(self, error: OSError, length: int) -> None:
        """After a failed append of `length` bytes, take back whatever of it reached the file:
        an action reported as not saved must never come back when the store is reopened."""
        assert self._journal_fd is not None
        try:
            os.ftruncate(self._journal_fd, self._journal_size)
            return
        except OSError:
            pass
        # It may reach the disk yet: put an empty action of the same length in its place.
        blanked = self._blank(length)
        self.broken = (
            f"{_describe(error, self.journal_path)}, and the journal could not be repaired"
            + ("" if blanked else " (that action may reappear when the store is reopened)")
            + "; nothing more is saved in this session: restart glose"
        )
        self.close()

    def _blank(self, length: int) -> bool:
        """Overwrite the `length` bytes after the last whole action with an action that does
        nothing (its number taken, so the next one follows on); whether that was written."""
        assert self._journal_fd is not None
        empty = orjson.dumps({"seq": self.seq + 1, "ops": []})
        blank = empty + b" " * (length - len(empty) - 1) + b"\n"
        try:
            # Not the appending descriptor: it would write at the end, whatever the offset.
            fd = os.open(self.journal_path, os.O_WRONLY | os.O_NONBLOCK | _CLOEXEC)
        except OSError:
            return False
        try:
            if not same_file(os.fstat(fd), os.fstat(self._journal_fd)):
                return False
            if os.pwrite(fd, blank, self._journal_size) != len(blank):
                return False
            with contextlib.suppress(OSError):  # what any reader now sees is the blank
                os.fsync(fd)
            return True
        except OSError:
            return False
        finally:
            os.close(fd)

    # Snapshots

    def snapshot(self) -> None:
        """Write every table to a new snapshot, then start the journal anew."""
        if self.readonly or self._journal_fd is None:
            raise StoreWriteFailed(self.broken or "this store is open read-only")
        self._refuse_if_replaced()
        # The journal is never empty once open (see `open_for_writing`): a crash between the
        # two leaves a journal that ends at the snapshot's action, a pair that belongs together.
        self._write_snapshot(journal=True, header=True)
        self.snapshot_seq = self.seq
        self.journal_records = 0
        self._new_journal()

    def _new_journal(self) -> None:
        """Replace the journal by one holding an empty action at the current number, and
        append to that one from now on."""
        assert self._journal_fd is not None
        target = _real(self.journal_path)
        line = _empty_action(self.seq)
        try:
            mode = os.stat(target).st_mode & 0o7777
        except OSError:
            mode = _new_file_mode()
        try:
            fd, temporary = temporary_beside(target, mode=mode, append=True)
            try:
                os.fchmod(fd, mode)
                if os.write(fd, line) != len(line):
                    raise OSError(errno.ENOSPC, "short write")
                os.fsync(fd)
                os.replace(temporary, target)
            except BaseException:
                os.close(fd)
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error
        os.close(self._journal_fd)
        self._journal_fd = fd
        self._journal_size = len(line)
        try:
            fsync_directory(target.parent)
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.journal_path)) from error

    def _write_snapshot(self, *, journal: bool, header: bool = False) -> None:
        written = now()
        data = dict(self.tables)
        marker = {"seq": self.seq, "written": written, "journal": journal, "header": header}
        data[SNAPSHOT_TABLE] = {"1": marker}
        payload = orjson.dumps(data)
        target = _real(self.snapshot_path)
        directory = target.parent
        try:
            mode = target.stat().st_mode & 0o7777
        except OSError:
            mode = _new_file_mode()
        try:
            handle, temporary = temporary_beside(target)
            try:
                os.fchmod(handle, mode)
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            fsync_directory(directory)
        except OSError as error:
            raise StoreWriteFailed(_describe(error, self.snapshot_path)) from error
        self.snapshot_exists = True
        self.snapshot_written = written
        self._snapshot_size = len(payload)

    def state(self) -> JournalState:
        return JournalState(
            snapshot_seq=self.snapshot_seq,
            snapshot_written=self.snapshot_written,
            journal_records=self.journal_records,
            journal_bytes=self._journal_size,
            torn_tail=self.torn_tail,
            leftovers=len(self.leftovers()),
        )


_FORMER_TEMPORARY = re.compile(r"^\.glose-(?:snapshot|journal)-(?:(?P<pid>[0-9]+)(?:-|\Z))?")
"""The names snapshots and journals being written had until they were named like every glose
temporary (`.glose-snapshot-<pid>-…`, before that without the process id): what a kill left
under the previous release is still cleaned. To drop after the next release."""
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _empty_action(seq: int) -> bytes:
    return orjson.dumps({"seq": seq, "ops": []}) + b"\n"


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
        errno.EISDIR: "it is a folder, not a file",
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
