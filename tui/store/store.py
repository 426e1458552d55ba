"""The annotation store: tags, passage annotations and app state in one TinyDB database.

Everything the app or a command changes goes through `Store`; nothing else opens the files.
Each public method that changes something is one durable action: when it returns, the change
is fsync-ed in the journal (see `tui.store.journal`); when it raises, nothing of it happened.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.corpus import Document, Passage
from tui.corpus.passages import index_at
from tui.store.annotators import ALL, clean_annotator, default_annotator
from tui.store.codebook import groups_of, is_under
from tui.store.errors import StoreError, StoreUnwritable, reason
from tui.store.following import Following
from tui.store.index import everyone_counts
from tui.store.journal import (
    JournalDB,
    JournalState,
    JournalStorage,
    StoreCorrupt,
    StoreWriteFailed,
)
from tui.store.lock import Holder, WriterLock, check_lock_files, read_holder
from tui.store.model import Anchored, Highlight, PassageAnnotation, Tag, clean_note, now
from tui.store.reading import FileState, Reading, file_state, gc_paused, read_again, read_schema
from tui.store.records import everyone_on, known_color, merge, selectors, spanned
from tui.store.schema import ANNOTATION_TABLES, STORE_NAME, keep_copies, kept_copies
from tui.store.segments import SegmentChanges
from tui.store.tables import Tables
from tui.store.tags import Tags
from tui.store.undo import Change, UndoLog
from tui.text import trimmed

COMPACT_AFTER = 2_000
"""Journal records past which opening or closing the store writes a fresh snapshot."""


@dataclass(frozen=True, slots=True)
class Health:
    """What `glose check` reports about a store."""

    path: Path
    schema: int
    tags: int
    annotations: int
    documents: int
    journal: JournalState
    holder: Holder | None


class Store(SegmentChanges, Following):
    """One store directory. A writer holds its lock until `close()`; readers take no lock."""

    def __init__(
        self,
        directory: Path | str,
        *,
        readonly: bool = False,
        compact_after: int = COMPACT_AFTER,
        annotator: str | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.path = self.directory / f"{STORE_NAME}.json"
        self.readonly = readonly
        self.annotator = clean_annotator(annotator) if annotator else default_annotator()
        """Whose annotations this store writes, and shows unless told otherwise."""
        self.compact_after = compact_after
        self._undo = UndoLog()
        self._lock = WriterLock(self.directory)
        try:
            is_file = self.directory.exists() and not self.directory.is_dir()
        except OSError as error:  # a path too long, a folder on the way not to be entered
            raise StoreError(f"cannot read the store {self.directory}: {reason(error)}") from error
        if is_file:
            raise StoreError(f"the store {self.directory} is a file, not a directory")
        check_lock_files(self.directory)
        if not readonly:
            self._lock.take()
        # Taken before reading: a write made while the files are read shows as a change.
        self._files_read = self._files()
        self._files_unreadable: tuple[FileState, FileState] | None = None
        self._read_at = self._as_of = datetime.now(UTC)
        try:
            with gc_paused():
                self._db = JournalDB(
                    self.directory,
                    STORE_NAME,
                    readonly=readonly,
                    compact_after=compact_after,
                    storage=JournalStorage,
                )
                self._storage: JournalStorage = self._db.storage  # type: ignore[assignment]
                if not readonly:
                    self._storage.guard = self._lock.lost
                self._tables = Tables(self._db, self.directory, self._undo, readonly=readonly)
                self._tags = Tags(self._tables)
                self._open_tables()
        except StoreCorrupt as error:
            self._give_up()
            raise StoreError(
                f"{error}; the store was left as it is: restore it from a backup, or move it "
                "aside to start a new store"
            ) from error
        except StoreWriteFailed as error:
            self._give_up()
            raise StoreUnwritable(
                f"{error}; glose can only read this store until that is fixed"
            ) from error
        except OSError as error:
            self._give_up()
            where = error.filename or f"the store {self.directory}"
            raise StoreError(f"cannot read {where}: {reason(error)}") from error
        except StoreError:
            self._give_up()
            raise

    def _give_up(self) -> None:
        """Let go of what a failed opening took: the files it opened, and the lock."""
        try:
            db = getattr(self, "_db", None)
            if db is not None:
                db.close()
        finally:
            self._lock.release()

    # Opening and closing

    def _open_tables(self) -> None:
        """Read and check everything first; only a store found sound is then written to."""
        storage = self._storage
        # Migrated in memory; written once all is checked.
        schema, self.schema, new = read_schema(storage, self._tables, self.path)
        self.disk_schema = schema if not new else self.schema
        """The schema of the files as they are (older until a writer migrates them)."""
        if self.readonly:
            return
        if new:
            storage.tables["meta"] = {"1": {"schema": self.schema, "created": now()}}
        storage.open_for_writing()  # a new store gets its first snapshot, then its journal
        storage.remove_leftovers()
        if schema < self.schema:
            # The files as they were stay beside the store until the migrated one is written.
            keep_copies(self.directory, schema)
            storage.snapshot()  # the migrated store is written whole, never half
            self.disk_schema = self.schema
        elif storage.wants_compaction(self.compact_after):
            # Compaction only saves replay time: a full disk here must not stop the writer.
            with contextlib.suppress(StoreWriteFailed):
                storage.snapshot()
        # Copies kept while migrating, left by a glose stopped once the migration was written.
        for copy in kept_copies(self.directory):
            with contextlib.suppress(OSError):  # a copy left costs space, not annotations
                copy.unlink(missing_ok=True)

    def close(self) -> None:
        try:
            if not self.readonly and self._storage.wants_compaction(self.compact_after):
                # The journal still holds every action if this fails; the next open compacts.
                with contextlib.suppress(StoreWriteFailed):
                    self._storage.snapshot()
        finally:
            self._db.close()
            self._lock.release()

    # Reading again: a reader follows what the writer saves

    def _files(self) -> tuple[FileState, FileState]:
        return file_state(self.path), file_state(self.directory / f"{STORE_NAME}.journal")

    @property
    def as_of(self) -> datetime:
        """When this view was last known to hold everything saved (UTC): for a reader, when its
        files were read or last found unchanged; a writer's view is always current."""
        return self._as_of if self.readonly else datetime.now(UTC)

    def files_changed(self) -> bool:
        """Whether a writer has saved to the store since this reader read it, or last failed to
        read it again (a writer: never). Found unchanged, the view is current: `as_of` moves
        on to now."""
        if not self.readonly:
            return False
        checked_at = datetime.now(UTC)
        files = self._files()
        if files == self._files_read:
            self._as_of = checked_at
            return False
        return files != self._files_unreadable

    def reread(self) -> Reading | None:
        """The store's files read again, if a writer has saved to them since this reader read
        them (None: it has not). It only reads, into objects of its own, so it may run in a
        worker thread while the store is in use; `catch_up` then shows what it read.
        StoreError says why the files cannot be read (the view stays as it was)."""
        files, read_at = self._files(), datetime.now(UTC)
        if not self.readonly or files == self._files_read:
            return None
        try:
            return read_again(self.directory, self.compact_after, self._undo, files, read_at)
        except StoreError:
            self._files_unreadable = files  # not tried again until they change once more
            raise

    def catch_up(self, reading: Reading) -> None:
        """Show what `reading` found: this reader's view becomes the files as then read. A
        reading older than the view is ignored."""
        if not self.readonly or reading.read_at < self._read_at:
            return
        old = self._db
        self._db, self._tables = reading.db, reading.tables
        self._storage = reading.db.storage  # type: ignore[assignment]
        self._tags = Tags(reading.tables)
        self.schema, self.disk_schema = reading.schema, reading.disk_schema
        self._files_read = reading.files
        self._read_at = self._as_of = reading.read_at
        old.close()

    def refresh(self) -> bool:
        """A reader reads its files again if a writer saved since (True: the view changed)."""
        if not self.files_changed():
            return False
        reading = self.reread()
        if reading is None:
            return False
        self.catch_up(reading)
        return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Tags: a change to a tag reaches every passage (every annotator's, orphans too)

    def tags(self) -> list[Tag]:
        """Every tag: those with keys 1-9 in key order, then the rest by name."""
        return self._tags.all()

    def find_tag(self, name: str) -> Tag | None:
        """The tag called `name`, or differing from it only in case."""
        return self._tags.find(name)

    def tag_for_key(self, key: int) -> Tag | None:
        return self._tags.for_key(key)

    def tags_under(self, path: str) -> list[Tag]:
        """The tag called `path` (case ignored) and every tag below it in the tree."""
        return self._tags.under(path)

    def create_tag(
        self,
        name: str,
        *,
        color: str | None = None,
        key: int | None = None,
        description: str = "",
    ) -> Tag:
        """A new tag (TagNameError if the name is invalid); an existing one of that name.

        It gets `key` and `color` when they are free and valid, else the next free key and
        the least used colour.
        """
        return self._tags.create(name, color=color, key=key, description=description)

    def merges_for(self, path: str, new_name: str) -> list[str]:
        """The existing tags that renaming `path` to `new_name` would merge others into."""
        return self._tags.merges_for(path, new_name)

    def rename_tag(self, path: str, new_name: str) -> dict[str, str]:
        """Rename tag `path` and the tags under it everywhere; a new name that is already a
        tag's merges into that tag (which keeps its colour). Returns old name -> new name.
        TagNameError says why a name cannot be used."""
        return self._tags.rename(path, new_name)

    def delete_tag(self, path: str) -> int:
        """Delete tag `path` and the tags under it, taking them off every passage (a passage
        left with nothing on it goes). Returns how many passages carried them."""
        return self._tags.delete(path)

    def recolor_tag(self, name: str, color: str) -> None:
        self._tags.recolor(name, color)

    def describe_tag(self, name: str, description: str) -> None:
        """Set what a tag means (NoteError when the description cannot be kept)."""
        self._tags.describe(name, description)

    def set_tag_key(self, name: str, key: int | None) -> None:
        """Give a tag key 1-9 (None: no key); a tag that had that key gets this one's."""
        self._tags.set_key(name, key)

    def tag_counts(self, annotator: str | None = None) -> Counter[str]:
        """How many passages and coded segments carry each tag: the store's annotator's,
        another's, or ALL (the words that anyone gave the tag, each once)."""
        if annotator == ALL:
            return everyone_counts(self._everyones_records(), list)
        return self._tables.index.tag_counts(annotator or self.annotator)

    def node_counts(self, annotator: str | None = None) -> Counter[str]:
        """How many passages and segments carry each tag or a tag under it (by path), each
        once: the counts of the tag tree, rolled up to the levels above."""
        if annotator == ALL:
            records = self._everyones_records()
            return everyone_counts(records, lambda tags: {*tags, *groups_of(tags)})
        counts = self.tag_counts(annotator)
        counts.update(self._tables.index.group_counts(annotator or self.annotator))
        return counts

    def _everyones_records(self) -> Iterator[dict[str, Any]]:
        for table in ANNOTATION_TABLES:
            yield from self._tables.of(table).values()

    def annotators(self) -> list[str]:
        """Everyone who has annotated in this store, the store's own annotator included."""
        names = {
            record.get("annotator", "")
            for table in ANNOTATION_TABLES
            for record in self._tables.of(table).values()
        }
        return sorted((names - {""}) | {self.annotator})

    # Passage annotations

    def annotated_documents(self) -> set[str]:
        """The ids of the documents with any annotation, orphans included (from the index)."""
        return self._tables.index.documents()

    def annotations(self, document: str | None = None) -> list[PassageAnnotation]:
        """Passage annotations (orphans included), of one document or all, in text order."""
        return self._anchored("passages", PassageAnnotation, document)

    def highlights(self, document: str | None = None) -> list[Highlight]:
        """Span highlights (orphans included), of one document or all, in text order."""
        return self._anchored("highlights", Highlight, document)

    def orphans(
        self, document: str | None = None, corpus: set[str] | None = None
    ) -> list[Anchored]:
        """Every annotation whose words were not found in its document's text any more; with
        `corpus` (the ids of the documents there), also every one whose document is not."""
        found: list[Anchored] = [*self.annotations(document), *self.highlights(document)]
        orphans = [
            annotation
            for annotation in found
            if annotation.is_orphan or (corpus is not None and annotation.document not in corpus)
        ]
        return sorted(orphans, key=lambda a: (a.document, a.start, a.end))

    def get(self, annotation: Anchored) -> Anchored | None:
        """The annotation as the store holds it now (re-anchored meanwhile?), or None if gone."""
        table = "highlights" if isinstance(annotation, Highlight) else "passages"
        record = self._tables.of(table).get(str(annotation.id))
        if record is None:
            return None
        return type(annotation).from_record(record, annotation.id)

    def set_note(self, annotation: Anchored, note: str) -> None:
        """Write (or with '' remove) the note of an annotation the store holds, by its id."""
        note = clean_note(note)
        current = self.get(annotation)
        if current is None:
            raise StoreError("That annotation no longer exists (deleted meanwhile).")
        current.note = note
        current.updated = now()
        table = "highlights" if isinstance(current, Highlight) else "passages"
        if current.is_empty:
            self._tables.put(table, str(current.id), None)
        else:
            self._tables.put(table, str(current.id), current.to_record())

    def annotations_on(
        self,
        document: Document,
        passages: list[Passage] | None = None,
        annotator: str | None = None,
    ) -> dict[int, PassageAnnotation]:
        """One annotator's annotations of the document's passages (or of `passages`), by index."""
        if not self._tables.index.knows(document.id):
            return {}
        found = {}
        for passage in document.passages if passages is None else passages:
            annotation = self.annotation(document, passage, annotator)
            if annotation is not None:
                found[passage.index] = annotation
        return found

    def highlights_on(self, document: Document, annotator: str | None = None) -> list[Highlight]:
        """One annotator's (or ALL) span highlights anchored in the document's text."""
        who = annotator or self.annotator
        return [
            h
            for h in self.highlights(document.id)
            if not h.is_orphan and (annotator == ALL or h.annotator == who)
        ]

    def annotation(
        self, document: Document, passage: Passage, annotator: str | None = None
    ) -> PassageAnnotation | None:
        """An annotator's annotation of a passage (the store's own annotator by default).

        With ALL, everyone's annotations of the passage as one, to show (never to store).
        """
        if annotator == ALL:
            found = [
                annotation
                for name in self._tables.index.annotators()
                if (annotation := self.annotation(document, passage, name)) is not None
            ]
            if len(found) <= 1:
                return found[0] if found else None
            return everyone_on(found, document, passage)
        key = (document.id, passage.start, passage.end, passage.text, annotator or self.annotator)
        doc_id = self._tables.index.passage_id(key)
        if doc_id is None:
            return None
        return PassageAnnotation.from_record(self._tables.of("passages")[doc_id], int(doc_id))

    def _viewed(self, annotator: str | None) -> Callable[[Anchored], bool]:
        who = annotator or self.annotator
        return lambda a: not a.is_orphan and (annotator == ALL or a.annotator == who)

    def mark_counts(self, annotator: str | None = None) -> tuple[int, int]:
        """(highlights, notes) placed in the store, one annotator's or ALL: from the index, so
        the sidebar can show them after every action."""
        return self._tables.index.mark_counts(annotator or self.annotator)

    def with_tag(
        self, name: str, annotator: str | None = None
    ) -> list[PassageAnnotation | Highlight]:
        """Every passage and coded segment carrying tag `name` (case ignored) or a tag under
        it, across the corpus, orphans left out, in document and text order: the "code
        retrieval" of QDA tools."""
        viewed = self._viewed(annotator)
        found = [
            a
            for a in [*self.annotations(), *self.highlights()]
            if viewed(a) and any(is_under(t, name) for t in a.tags)
        ]
        return sorted(found, key=lambda a: (a.document, a.start, a.end))

    def highlighted(self, annotator: str | None = None) -> list[Anchored]:
        """Every highlight, of words or of whole passages, across the corpus, in order."""
        viewed = self._viewed(annotator)
        found: list[Anchored] = [a for a in self.annotations() if a.highlighted and viewed(a)]
        found += [h for h in self.highlights() if h.highlighted and viewed(h)]
        return sorted(found, key=lambda a: (a.document, a.start, a.end))

    def noted(self, annotator: str | None = None) -> list[Anchored]:
        """Every annotation with a note across the corpus, in order."""
        viewed = self._viewed(annotator)
        found = [a for a in [*self.annotations(), *self.highlights()] if a.note and viewed(a)]
        return sorted(found, key=lambda a: (a.document, a.start, a.end))

    def document_tags(self, annotator: str | None = None) -> dict[str, set[str]]:
        """The tags on each document's passages and segments, an annotator's (or ALL),
        orphans left out: from the records in memory, for finding articles by tag."""
        who = annotator or self.annotator
        found: dict[str, set[str]] = {}
        for table in ANNOTATION_TABLES:
            for record in self._tables.of(table).values():
                tags = record.get("tags")
                if not tags or record.get("status") == "orphan":
                    continue
                if annotator == ALL or record.get("annotator", "") == who:
                    found.setdefault(record["document"], set()).update(tags)
        return found

    def annotated_counts(self, annotator: str | None = None) -> Counter[str]:
        """How many passages of each document carry an annotator's (or ALL) annotations."""
        return self._tables.index.annotated_counts(annotator or self.annotator)

    def annotated_passages(self, annotator: str | None = None) -> dict[str, set[int]]:
        """Which passages (by index) of each document carry an annotator's (or ALL)
        annotations: what every count of annotated passages is made from."""
        return self._tables.index.annotated_passages(annotator or self.annotator)

    def toggle_tag(self, document: Document, passage: Passage, tag_name: str) -> bool:
        """Add or remove a tag on a passage; True when the passage now carries it."""
        annotation = self._annotation_or_new(document, passage)
        added = tag_name not in annotation.tags
        if added:
            annotation.tags.append(tag_name)
        else:
            annotation.tags.remove(tag_name)
        self._save(document, passage, annotation)
        return added

    def add_tag(self, document: Document, passage: Passage, tag_name: str) -> bool:
        """Put a tag on a passage; False when it was already there."""
        annotation = self._annotation_or_new(document, passage)
        if tag_name in annotation.tags:
            return False
        annotation.tags.append(tag_name)
        self._save(document, passage, annotation)
        return True

    def tag_passage(self, document: Document, passage: Passage, name: str) -> tuple[Tag, bool]:
        """Put the tag called `name` on a passage, creating the tag if it is new, as one action.

        Returns the tag and whether the passage did not carry it yet.
        """
        with self._tables.action():
            tag = self.find_tag(name) or self.create_tag(name)
            added = self.add_tag(document, passage, tag.name)
        return tag, added

    def toggle_highlight(
        self, document: Document, passage: Passage, color: str | None = None
    ) -> bool:
        """Highlight a passage or clear its highlight; True when it is now highlighted."""
        annotation = self._annotation_or_new(document, passage)
        annotation.highlighted = not annotation.highlighted
        if annotation.highlighted and color is not None:
            annotation.color = color
        self._save(document, passage, annotation)
        return annotation.highlighted

    def set_passage_note(self, document: Document, passage: Passage, note: str) -> None:
        """Write (or with '' remove) the note of a passage (NoteError when it cannot be kept)."""
        annotation = self._annotation_or_new(document, passage)
        annotation.note = clean_note(note)
        self._save(document, passage, annotation)

    def set_passage_color(self, document: Document, passage: Passage, color: str) -> None:
        annotation = self._annotation_or_new(document, passage)
        annotation.color = known_color(color)
        self._save(document, passage, annotation)

    def delete(self, annotation: Anchored) -> None:
        """Remove a highlight or a passage annotation (an orphan's included), on purpose."""
        table = "highlights" if isinstance(annotation, Highlight) else "passages"
        self._tables.put(table, str(annotation.id), None)

    def reattach(
        self,
        orphan: Anchored,
        document: Document,
        passages: list[Passage],
        start: int,
        end: int,
    ) -> None:
        """Anchor an orphan again, at the words the user chose (a passage's, for passages)."""
        if self.get(orphan) is None:
            raise StoreError("That orphan no longer exists (deleted meanwhile).")
        with self._tables.action():
            if isinstance(orphan, Highlight):
                start, end = trimmed(document.text, start, end)
                if start >= end:
                    raise ValueError("nothing selected")
                fields = selectors(document, start, end)
                record = {**orphan.to_record(), **fields, "status": "exact", "updated": now()}
                record.update(spanned(passages, start, end))
                self._tables.put("highlights", str(orphan.id), record)
                return
            assert isinstance(orphan, PassageAnnotation)
            passage = passages[index_at(passages, start)]
            self._tables.put("passages", str(orphan.id), None)
            self._merge_into(document, passage, orphan)

    # App state

    def get_state(self, key: str, default: Any = None) -> Any:
        return self._tables.get_state(key, default)

    def set_state(self, key: str, value: Any) -> None:
        self._tables.set_state(key, value)

    # Health

    @property
    def exists(self) -> bool:
        """Whether the store has been created on disk (a reader of a new place sees none)."""
        return self._storage.snapshot_exists

    def health(self) -> Health:
        return Health(
            path=self.path,
            schema=self.disk_schema,
            tags=len(self._tables.index.tag_ids),
            annotations=self._tables.index.annotation_count(),
            documents=len(self._tables.index.documents()),
            journal=self._storage.state(),
            holder=read_holder(self.directory) if self.readonly else None,
        )

    # Whole records, for a team's sync: it replaces what the store holds of each annotator

    def records(self, table: str) -> dict[str, dict[str, Any]]:
        """The records of an annotation table by id, as held now (never to be changed in place)."""
        return self._tables.of(table)

    def put_record(self, table: str, doc_id: str | None, record: dict[str, Any] | None) -> str:
        """Insert (`doc_id` None), replace or (`record` None) remove one record; its id."""
        return self._tables.put(table, doc_id, record) or ""

    def action(self) -> contextlib.AbstractContextManager[None]:
        """Changes inside are one journal line: all saved, or none (a sync killed halfway)."""
        return self._tables.action()

    # Internals

    def rehearsal(self) -> contextlib.AbstractContextManager[None]:
        """Changes inside are made in memory only and undone at the end: a dry run.

        Works on a read-only store too, so that a dry run needs no lock.
        """
        return self._tables.rehearsal()

    def _annotation_or_new(
        self, document: Document, passage: Passage, annotator: str | None = None
    ) -> PassageAnnotation:
        who = annotator or self.annotator
        return self.annotation(document, passage, who) or PassageAnnotation(
            **selectors(document, passage.start, passage.end),
            passage=passage.index,
            annotator=who,
        )

    def _save(self, document: Document, passage: Passage, annotation: PassageAnnotation) -> None:
        key = (document.id, passage.start, passage.end, passage.text, annotation.annotator)
        doc_id = self._tables.index.passage_id(key)
        if annotation.is_empty:
            if doc_id is not None:
                self._tables.put("passages", doc_id, None)
            return
        annotation.updated = now()
        self._tables.put("passages", doc_id, annotation.to_record())

    def _merge_into(
        self, document: Document, passage: Passage, incoming: PassageAnnotation
    ) -> None:
        """Put `incoming`'s tags, highlight and note on a passage, with what it already has."""
        annotation = self.annotation(document, passage, incoming.annotator)
        if annotation is None:
            annotation = self._annotation_or_new(document, passage, incoming.annotator)
            annotation.uuid, annotation.created = incoming.uuid, incoming.created
        merge(annotation, incoming)
        self._save(document, passage, annotation)

    # Undo and redo

    @contextlib.contextmanager
    def undoable(self, label: str) -> Iterator[None]:
        """Changes made inside are one step of undo, named `label` ("tag politique"), and one
        journal line: a change that fails is not recorded, since nothing of it happened."""
        if self._undo.recording:  # inside another: one step for both
            yield
            return
        self._undo.begin(label)
        try:
            with self._tables.action():
                yield
        except BaseException:
            self._undo.abandon()
            raise
        self._undo.end()

    @property
    def last_change(self) -> Change | None:
        """The step `undo` would undo (None: nothing to undo)."""
        return self._undo.last

    def undo(self) -> Change | None:
        """Put back what the last undoable step changed (None: nothing to undo)."""
        return self._undo.undo(self._tables.replay)

    def redo(self) -> Change | None:
        """Make again the last step undone (None: nothing to redo)."""
        return self._undo.redo(self._tables.replay)

    def _anchored(self, table: str, kind: type, document: str | None) -> list:
        records = self._tables.of(table)
        if document is None:
            ids = list(records)
        else:
            ids = [doc_id for t, doc_id in self._tables.index.refs(document) if t == table]
        found = [kind.from_record(records[doc_id], int(doc_id)) for doc_id in ids]
        return sorted(found, key=lambda a: (a.document, a.start, a.end))
