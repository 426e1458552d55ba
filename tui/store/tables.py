"""The store's tables in memory, kept indexed, and the one path every change to them takes."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tui.store.errors import StoreError, StoreReadOnly, StoreWriteError
from tui.store.index import DamagedRecord, RecordIndex
from tui.store.journal import JournalDB, JournalStorage, StoreCorrupt, StoreWriteFailed
from tui.store.undo import Step, UndoLog

Record = dict[str, Any]


class Tables:
    """The records of a store's tables, their index, and their changes: each one made
    through TinyDB (so journaled), followed by the index, and recorded for undo."""

    def __init__(self, db: JournalDB, directory: Path, undo: UndoLog, *, readonly: bool) -> None:
        self.directory = directory
        self.readonly = readonly
        self._db = db
        self._storage: JournalStorage = db.storage  # type: ignore[assignment]
        self._undo = undo
        self._rehearsing = False
        self.index = RecordIndex()

    def of(self, table: str) -> dict[str, Record]:
        """The records of `table` by id, as held now (never to be changed in place)."""
        return self._storage.tables.get(table, {})

    def reindex(self) -> None:
        """Build the index again from the records (StoreCorrupt when one is damaged)."""
        try:
            self.index = RecordIndex.read(self._storage.tables)
        except DamagedRecord as error:
            raise StoreCorrupt(
                f"{self.directory}: {error} (in glose.json or glose.journal) is damaged"
            ) from error

    # Changing

    @contextlib.contextmanager
    def action(self) -> Iterator[None]:
        """Changes inside are one journal line; if it cannot be written, none happened."""
        self._check_writable()
        try:
            with self._storage.action():
                yield
        except StoreWriteFailed as error:
            self.reindex()  # the tables were rolled back: so is the index
            raise StoreWriteError(f"Not saved: {error}.") from error
        except BaseException:
            self.reindex()
            raise

    @contextlib.contextmanager
    def rehearsal(self) -> Iterator[None]:
        """Changes inside are made in memory only and undone at the end: a dry run.

        Works on a read-only store too, so that a dry run needs no lock.
        """
        storage = self._storage
        storage.rehearsing = self._rehearsing = True
        try:
            with storage.action():
                yield
                raise _Rehearsed
        except _Rehearsed:
            pass
        finally:
            storage.rehearsing = self._rehearsing = False
            self.reindex()

    def put(self, table: str, doc_id: str | None, record: Record | None) -> str | None:
        """Insert, replace or (record None) remove one record, the index following."""
        tables = self._storage.tables
        tag_ids = self.index.tag_ids
        held = tag_ids.get(record["name"], doc_id) if table == "tags" and record else doc_id
        if held != doc_id:  # never two tags of one name: an undo that would make one is refused
            raise StoreError(f"A tag called {record['name']} already exists.")
        old = tables.get(table, {}).get(doc_id) if doc_id is not None else None
        recording = self._undo.recording
        before = copy.deepcopy(old) if recording else None
        target = self._db.table(table)
        if record is None:
            assert doc_id is not None
            self._write(lambda: target.remove(doc_ids=[int(doc_id)]))
        elif doc_id is None:
            doc_id = str(self._write(lambda: target.insert(record)))
        else:
            self._write(lambda: target.update(record, doc_ids=[int(doc_id)]))
        # The index follows only once the change is made (durable, or pending in an action).
        new = tables[table][doc_id] if record is not None else None
        self.index.put(table, doc_id, old, new)
        if recording:
            self._undo.record(table, before, copy.deepcopy(new))
        return doc_id

    def remember(self, table: str, doc_id: str, record: Record) -> None:
        """Replace a record in memory only, as a reader keeps what it re-anchors."""
        records = self._storage.tables[table]
        self.index.put(table, doc_id, records[doc_id], record)
        records[doc_id] = record

    def replay(self, steps: list[Step]) -> None:
        """Make each step's record what it was after it, as one journal line."""
        with self.action():  # all of the steps, or none of them
            for step in steps:
                if step.table == "tags":  # names are unique: the tag is found by its name
                    present = self.index.tag_ids.get(step.before["name"]) if step.before else None
                else:  # by its UUID: removed and put back, a record gets a new id
                    present = self.find(step.table, step.document, step.uuid)
                if step.after is None and present is None:
                    continue
                self.put(step.table, present, copy.deepcopy(step.after))

    def find(self, table: str, document: str, record_uuid: str) -> str | None:
        """The id of the record with this UUID, if the store holds it."""
        records = self.of(table)
        for held, doc_id in self.index.refs(document):
            if held == table and records[doc_id].get("uuid") == record_uuid:
                return doc_id
        return None

    # App state: values by key, outside undo

    def get_state(self, key: str, default: Any = None) -> Any:
        doc_id = self.index.state_ids.get(key)
        if doc_id is None:
            return default
        return self._storage.tables["state"][doc_id]["value"]

    def set_state(self, key: str, value: Any) -> None:
        doc_id = self.index.state_ids.get(key)
        state = self._db.table("state")
        if doc_id is None:
            new_id = self._write(lambda: state.insert({"key": key, "value": value}))
            self.index.state_ids[key] = str(new_id)
        else:
            self._write(lambda: state.update({"value": value}, doc_ids=[int(doc_id)]))

    def _write(self, change: Callable[[], Any]) -> Any:
        """Run one change through TinyDB; StoreError subclasses say why it did not happen."""
        self._check_writable()
        try:
            return change()
        except StoreWriteFailed as error:
            raise StoreWriteError(f"Not saved: {error}.") from error

    def _check_writable(self) -> None:
        if self.readonly and not self._rehearsing:
            raise StoreReadOnly(f"{self.directory} is open read-only: nothing can be changed")


class _Rehearsed(Exception):
    """Ends a rehearsal: its action is rolled back like any failed one."""
