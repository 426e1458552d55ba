"""Where the store meets the corpus: annotations following their words into a changed text,
onto a document's new id, and merged in from a file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.corpus import Document, Passage
from tui.store.index import passage_key
from tui.store.model import Highlight, PassageAnnotation, Tag, now
from tui.store.reanchoring import AnchorReport, is_stale, off_the_cut, placed, reanchoring
from tui.store.records import Twins, merge, merged, unique
from tui.store.schema import ANNOTATION_TABLES

if TYPE_CHECKING:
    from tui.store.tables import Tables
    from tui.store.tags import Tags


@dataclass
class ImportReport:
    """What an import did with each annotation it read."""

    added: int = 0
    merged: int = 0
    unchanged: int = 0
    orphaned: int = 0
    skipped: int = 0
    """Annotations with nothing on them (no tag, highlight or note)."""
    descriptions_differ: int = 0
    """Tags whose description in the file differs from the store's, which was kept."""

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class Following:
    """What `Store` does where it meets the corpus; a part of `Store`, kept apart by subject."""

    _tables: Tables
    _tags: Tags
    readonly: bool

    def needs_anchoring(self, document: Document) -> bool:
        """Whether some annotation of `document` was made on another version of its text, or,
        once its passages are cut, on a passage they do not have (cut by other rules)."""
        refs = self._tables.index.refs(document.id)
        passages = document.final_passages
        return any(
            is_stale(record := self._tables.of(table)[doc_id], document)
            or (table == "passages" and passages is not None and off_the_cut(record, passages))
            for table, doc_id in refs
        )

    def anchor(self, document: Document, passages: list[Passage]) -> AnchorReport:
        """Re-anchor the annotations made on another version of the document's text.

        The writer stores what it finds, as one action, so that the work is not repeated; a
        reader keeps it in memory (its view of the store), never on disk.
        """
        refs = sorted(self._tables.index.refs(document.id))
        held = [(table, doc_id, self._tables.of(table)[doc_id]) for table, doc_id in refs]
        report, changes = reanchoring(held, document, passages)
        if not changes:
            return report
        if self.readonly:
            for table, doc_id, record in changes:
                self._tables.remember(table, doc_id, record)
            return report
        with self._tables.action():
            for table, doc_id, record in changes:
                if table == "passages" and record["status"] != "orphan":
                    twin = self._tables.index.passage_id(passage_key(record))
                    if twin is not None and twin != doc_id:
                        # Two passages' annotations now on the same passage: one, merged.
                        self._tables.put("passages", doc_id, None)
                        record_there = self._tables.of("passages")[twin]
                        target = PassageAnnotation.from_record(record_there, int(twin))
                        merge(target, PassageAnnotation.from_record(record))
                        self._tables.put("passages", twin, target.to_record())
                        continue
                self._tables.put(table, doc_id, record)
        return report

    def adopt_former_ids(self, documents: Iterable[Document]) -> int:
        """Move annotations an older glose stored under a document's former id to its id
        (see `Document.former_id`), once: a writer stores the move as one action, a reader
        keeps it in memory. Never onto an id that holds annotations already. How many moved.
        """
        index = self._tables.index
        moves = [
            (table, doc_id, document.id)
            for document in documents
            if document.former_id is not None and not index.refs(document.id)
            for table, doc_id in sorted(index.refs(document.former_id))
        ]
        if not moves:
            return 0
        changed = [
            (table, doc_id, {**self._tables.of(table)[doc_id], "document": new_id})
            for table, doc_id, new_id in moves
        ]
        if self.readonly:
            for table, doc_id, record in changed:
                self._tables.remember(table, doc_id, record)
            return len(changed)
        with self._tables.action():
            for table, doc_id, record in changed:
                self._tables.put(table, doc_id, record)
        return len(changed)

    # Import

    def import_annotations(
        self,
        incoming: Iterable[PassageAnnotation | Highlight],
        documents: Mapping[str, Document],
        tags: Iterable[Tag] = (),
        adopting: Iterable[Document] = (),
    ) -> ImportReport:
        """Merge annotations read from a file into the store, as one action.

        Tags are united by name (case ignored): the store's keep their colours, keys and
        descriptions, new ones come as `tags` has them (see `Tags.united`). An annotation on
        one of `documents` is anchored in its current text, then merged with the one its
        annotator already has at that place, if any; an annotation on any other document is
        kept as it is (an orphan until its document is in the corpus). Nothing identical is
        written twice. The records held on the former ids of `adopting` move to them first,
        in the same action (see `adopt_former_ids`): a source an earlier import kept as
        orphans, now a document, takes them along.
        """
        report = ImportReport()
        incoming = list(incoming)
        with self._tables.action():
            self.adopt_former_ids(adopting)
            # What the store holds must be where it is now before anything is matched to it.
            for doc_id in sorted({annotation.document for annotation in incoming}):
                document = documents.get(doc_id)
                if document is not None and self.needs_anchoring(document):
                    self.anchor(document, document.passages)
            twins = Twins({table: self._tables.of(table) for table in ANNOTATION_TABLES})
            names = {}
            # Tags with a key first: one without must not take a key the file gives another.
            for tag in sorted(tags, key=lambda tag: tag.key is None):
                held = self._tags.find(tag.name)
                if held and held.description and tag.description not in ("", held.description):
                    report.descriptions_differ += 1
                names[tag.name] = self._tags.united(tag).name
            for annotation in incoming:
                if annotation.is_empty:
                    report.count("skipped")  # nothing on it: no tag, highlight or note
                    continue
                table = "highlights" if isinstance(annotation, Highlight) else "passages"
                record = annotation.to_record()
                # A segment's tags are united with the store's as a passage's are.
                record["tags"] = unique(
                    names.get(name) or self._tags.united(Tag(name, "")).name
                    for name in annotation.tags
                )
                document = documents.get(annotation.document)
                if document is not None:
                    record = placed(record, table, document)
                # A passage annotation and the segment of its words are one across kinds (REFI-QDA
                # has no passages): merged into the record the store holds, of its kind.
                other = "passages" if table == "highlights" else "highlights"
                if table == "highlights":
                    twin = twins.passage_of(record)
                else:
                    twin = twins.segment_of(record)
                if twin is not None:
                    table = other
                else:
                    twin = twins.of(table, record)
                on_text = document is not None and record["status"] != "orphan"
                if twin is None:
                    twins.add(table, record, self._tables.put(table, None, record) or "")
                    report.count("added" if on_text else "orphaned")
                    continue
                old = self._tables.of(table)[twin]
                new = merged(table, old, record)
                if new == old:
                    report.count("unchanged" if on_text else "orphaned")
                    continue
                self._tables.put(table, twin, {**new, "updated": now()})
                report.count("merged" if on_text else "orphaned")
        return report
