"""A store's files and tables, the schema version they are at, and migrations from older ones."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.store.annotators import default_annotator
from tui.store.errors import StoreError, reason
from tui.store.journal import StoreCorrupt, StoreWriteFailed, fsync_directory

STORE_NAME = "glose"
"""The files of a store are `glose.json`, `glose.journal`, `glose.lock`, `glose.holder`."""
SCHEMA_VERSION = 4
ANNOTATION_TABLES = ("passages", "highlights")

Tables = dict[str, dict[str, Any]]


def _add_selectors_and_notes(tables: Tables) -> None:
    """Schema 1 to 2: passage annotations gain context, status, note and colour.

    Their prefix and suffix are filled the first time their document is read (`anchor`).
    """
    for record in tables.get("passages", {}).values():
        record.setdefault("prefix", "")
        record.setdefault("suffix", "")
        record.setdefault("occurrences", 0)  # 0: context not known yet
        record.setdefault("status", "exact")
        record.setdefault("note", "")
        record.setdefault("color", "yellow")
        # Made before annotators were recorded: by whoever uses the store, most likely.
        record.setdefault("annotator", default_annotator())


MIGRATED_UUIDS = uuid.UUID("5b0e0c3e-3f6a-4c1e-9d57-2a64f1c0b8d1")


def _add_uuids(tables: Tables) -> None:
    """Schema 2 to 3: every annotation gets the UUID that names it in exports.

    Derived from the record, not drawn: a reader migrates in memory at every open, and its
    exports must name each annotation the same way every time, as the writer will.
    """
    for table in ANNOTATION_TABLES:
        for doc_id, record in tables.get(table, {}).items():
            if not record.get("uuid"):
                origin = f"{table}:{doc_id}:{record.get('document')}:{record.get('created')}"
                record["uuid"] = str(uuid.uuid5(MIGRATED_UUIDS, origin))
            if not record.get("annotator"):
                record["annotator"] = default_annotator()


def _spans_carry_tags(tables: Tables) -> None:
    """Schema 3 to 4: a highlighted span becomes a coded segment, which may carry tags; every
    span stored before is a highlight with none."""
    for record in tables.get("highlights", {}).values():
        record.setdefault("tags", [])
        record.setdefault("highlighted", True)


# Migrations from schema N to N+1, applied to the raw tables when an older store is opened.
MIGRATIONS: dict[int, Callable[[Tables], None]] = {
    1: _add_selectors_and_notes,
    2: _add_uuids,
    3: _spans_carry_tags,
}


def kept_copies(directory: Path) -> list[Path]:
    """The copies `keep_copies` made that are still there."""
    return sorted(directory.glob(f"{STORE_NAME}.schema[0-9]*.json")) + sorted(
        directory.glob(f"{STORE_NAME}.schema[0-9]*.journal")
    )


def keep_copies(directory: Path, schema: int) -> list[Path]:
    """Copy the store's files, made durable, before they are migrated from `schema`
    (`glose.schema3.json` beside `glose.json`); the copies made. StoreWriteFailed if not."""
    copies = []
    for ending in ("json", "journal"):
        original = directory / f"{STORE_NAME}.{ending}"
        copy = directory / f"{STORE_NAME}.schema{schema}.{ending}"
        try:
            with open(original, "rb") as source, open(copy, "wb") as target:
                shutil.copyfileobj(source, target)
                target.flush()
                os.fsync(target.fileno())
        except FileNotFoundError:
            continue  # a store may have no journal yet
        except OSError as error:
            copy.unlink(missing_ok=True)
            raise StoreWriteFailed(
                f"cannot keep a copy of {original} before migrating it: {reason(error)}"
            ) from error
        copies.append(copy)
    fsync_directory(directory)
    return copies


def schema_of(tables: Tables, path: Path, *, new: bool) -> int:
    """The schema the tables were written at, checked to be one this glose can read.

    StoreCorrupt when the record is missing or damaged, StoreError when a newer glose wrote it.
    """
    meta = tables.get("meta", {}).get("1")
    if not new and meta is None:
        raise StoreCorrupt(f"{path} has no schema record, so it is not a glose store")
    schema = meta.get("schema") if meta else SCHEMA_VERSION
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise StoreCorrupt(f"{path} has a damaged schema record ({schema!r})")
    if schema > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer glose (schema {schema}, this glose "
            f"reads up to {SCHEMA_VERSION}); upgrade glose to open it."
        )
    missing = [version for version in range(schema, SCHEMA_VERSION) if version not in MIGRATIONS]
    if missing:
        raise StoreCorrupt(f"{path} has schema {schema}, which no glose ever wrote")
    return schema


def migrate(tables: Tables, schema: int) -> int:
    """Bring tables written at `schema` to this glose's schema, in memory; returns it."""
    if schema >= SCHEMA_VERSION:
        return SCHEMA_VERSION
    for version in range(schema, SCHEMA_VERSION):
        MIGRATIONS[version](tables)
    tables["meta"]["1"] = {**tables["meta"]["1"], "schema": SCHEMA_VERSION}
    return SCHEMA_VERSION
