"""The store's two files read and checked: the snapshot (`glose.json`) and the journal
(`glose.journal`), each only if it is a regular file, never past a limit, and refused with the
place of the damage when it does not check out (see `tui.store.journal` for how they are
written and why they must belong together)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.regular_files import FileTooLarge, NotRegularFile, ReadFile, read_regular_file

SNAPSHOT_TABLE = "_snapshot"

MAX_STORE_FILE = 2_000_000_000
"""Bytes a snapshot or a journal may hold: far past any store, short of a runaway file."""


class StoreCorrupt(Exception):
    """A store file is damaged; the message names the file and the place."""


def read_store_file(path: Path) -> ReadFile | None:
    """A snapshot or a journal, None if there is none; never a hang or a flood (a FIFO, a
    device or a folder in its place is named as such)."""
    try:
        return read_regular_file(path, limit=MAX_STORE_FILE)
    except FileNotFoundError:
        return None
    except (NotRegularFile, FileTooLarge) as error:
        raise StoreCorrupt(f"{path} {error.strerror}") from error


@dataclass(frozen=True, slots=True)
class SnapshotMarker:
    """The `_snapshot` record: which action the snapshot includes, whether a journal was
    created beside it (the very first snapshot of a store is written before its journal), and
    whether that journal begins with an empty action (written by this glose: never empty)."""

    seq: int = 0
    written: str | None = None
    journal: bool = False
    header: bool = False


def _json_error(path: Path, raw: bytes, error: orjson.JSONDecodeError) -> str:
    """Where a file fails to parse, in lines of the file (orjson puts an encoding error at
    its first byte)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = raw.count(b"\n", 0, bad.start) + 1
        column = bad.start - raw.rfind(b"\n", 0, bad.start)
        return f"{path} is not valid UTF-8 at line {line}, byte {column}"
    return f"{path} is not valid JSON ({error})"


def load_snapshot(path: Path) -> tuple[dict[str, dict[str, Any]], SnapshotMarker] | None:
    read = read_store_file(path)
    if read is None:
        return None
    raw = read.data
    if not raw or raw.isspace():  # (no strip: it would copy a whole snapshot)
        # TinyDB would take an empty file for an empty database; here it means a lost one.
        raise StoreCorrupt(f"{path} is empty, but a store snapshot is never empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise StoreCorrupt(_json_error(path, raw, error)) from error
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreCorrupt(f"{path} is not a TinyDB database (tables of documents)")
    record = data.pop(SNAPSHOT_TABLE, {}).get("1", {})
    seq, written, journal = record.get("seq", 0), record.get("written"), record.get("journal")
    header = record.get("header", False)
    if (
        not _is_count(seq)
        or not isinstance(written, str | None)
        or not isinstance(journal, bool | None)
        or not isinstance(header, bool)
    ):
        raise StoreCorrupt(f"{path} has a damaged {SNAPSHOT_TABLE} record")
    # Snapshots from before the marker existed were always written beside a journal.
    return data, SnapshotMarker(seq, written, journal if journal is not None else seq > 0, header)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _valid_op(op: Any) -> bool:
    if not isinstance(op, list) or len(op) != 4:
        return False
    kind, table, doc_id, document = op
    if not isinstance(table, str) or not isinstance(doc_id, str) or not doc_id.isdigit():
        return False
    return (kind == "put" and isinstance(document, dict)) or (kind == "del" and document is None)


@dataclass(frozen=True, slots=True)
class JournalRead:
    """What a journal file holds."""

    records: list[tuple[int, list]]
    """The actions after the snapshot's number, in order."""
    lines: int
    """Whole actions in the file, those the snapshot already holds included."""
    length: int
    """Bytes of those whole actions (where a torn last line begins)."""
    torn: bool
    """Whether an incomplete last line (a crash mid-append) follows them."""
    unterminated: bool
    """Whether the last action lacks its newline (the writer adds it before appending)."""
    status: os.stat_result
    """The file's status when read: a writer appends only to that same file."""


def _parses(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def read_journal(path: Path, after_seq: int | None) -> JournalRead | None:
    """The journal's actions after `after_seq`, checked to follow on from the snapshot that
    ends there (None: there is no snapshot, all are read); None when there is no journal."""
    read = read_store_file(path)
    if read is None:
        return None
    raw = read.data
    complete = raw.rfind(b"\n") + 1
    lines = raw[:complete].split(b"\n")[:-1]
    # A last line without its newline is a whole action if it parses (no prefix of a JSON
    # object does), and torn otherwise.
    unterminated = complete < len(raw) and _parses(raw[complete:])
    if unterminated:
        lines.append(raw[complete:])
        complete = len(raw)
    records: list[tuple[int, list]] = []
    first = last = None
    begun = False
    for number, line in enumerate(lines, start=1):
        try:
            record = orjson.loads(line)
            seq, ops = record["seq"], record["ops"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as error:
            raise StoreCorrupt(f"{path} line {number} is damaged") from error
        if not _is_count(seq) or not isinstance(ops, list) or not all(map(_valid_op, ops)):
            kinds = (
                {op[0] for op in ops if isinstance(op, list) and op}
                if isinstance(ops, list)
                else set()
            )
            newer = " (written by a newer glose?)" if kinds - {"put", "del"} else ""
            raise StoreCorrupt(f"{path} line {number} is damaged{newer}")
        if last is not None and seq != last + 1:
            raise StoreCorrupt(f"{path} line {number} is out of sequence ({seq}, not {last + 1})")
        if first is None:
            first = seq
            # An empty first action is where the journal was begun: at the snapshot's number.
            begun = not ops
        last = seq
        if seq > (after_seq or 0):
            records.append((seq, ops))
    if after_seq is None or first is None or last is None:
        pass  # nothing to follow on from (the caller says the snapshot is lost), or nothing
    elif first > after_seq + (0 if begun else 1):
        raise StoreCorrupt(f"{path} starts at action {first} but the snapshot ends at {after_seq}")
    elif last < after_seq:
        raise StoreCorrupt(
            f"{path} ends at action {last} but the snapshot beside it holds actions up to "
            f"{after_seq}: they do not belong together"
        )
    return JournalRead(
        records, len(lines), complete, complete < len(raw), unterminated, read.status
    )


def apply_ops(tables: dict[str, dict[str, Any]], ops: Iterable[list | tuple]) -> None:
    for kind, table, doc_id, document in ops:
        if kind == "put":
            tables.setdefault(table, {})[doc_id] = document
        else:
            tables.get(table, {}).pop(doc_id, None)
