"""Where each record of a store is and what it counts, kept in memory so no action scans it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tui.store.annotators import ALL
from tui.store.codebook import groups_of
from tui.store.model import Highlight, Tag, is_sound_passage_record
from tui.store.schema import ANNOTATION_TABLES, Tables

PassageKey = tuple[str, int, int, str, str]
"""What finds a passage's annotation: document, start, end, quote, annotator."""


def passage_key(record: Mapping[str, Any]) -> PassageKey:
    return (
        record["document"],
        record["start"],
        record["end"],
        record["quote"],
        record.get("annotator", ""),
    )


class DamagedRecord(ValueError):
    """A record the index cannot be built from: which one, in which table."""

    def __init__(self, table: str, doc_id: str) -> None:
        super().__init__(f"record {doc_id} of the {table} table")
        self.table = table
        self.doc_id = doc_id


class RecordIndex:
    """The ids of records by document, passage, tag name and state key, and the counts of
    tags, highlights, notes and annotated passages, per annotator.

    Orphans are kept and listed by document, but are on no passage and in no count.
    """

    def __init__(self) -> None:
        self.tag_ids: dict[str, str] = {}
        self.state_ids: dict[str, str] = {}
        # A passage's annotation is found by document, offsets and quote: a record made on
        # other text at the same offsets is never shown on, nor changed through, this passage.
        self._passage_ids: dict[PassageKey, str] = {}
        self._records_of: dict[str, set[tuple[str, str]]] = {}
        self._tag_counts: dict[str, Counter[str]] = {}
        self._group_counts: dict[str, Counter[str]] = {}
        """Per annotator, passages counted under a level of the tag tree besides their tags."""
        self._marks: dict[str, Counter[str]] = {}
        """Per annotator, how many placed highlights (of passages and spans) and notes."""
        self._annotated: dict[tuple[str, str], Counter[int]] = {}
        self._annotator_names: Counter[str] = Counter()
        """Whose passage annotations the store holds (placed ones), and how many each."""

    @classmethod
    def read(cls, tables: Tables) -> RecordIndex:
        """The index of `tables`, each record checked on the way (DamagedRecord if not sound)."""
        index = cls()
        table, doc_id = "", ""
        try:
            table = "passages"
            for doc_id, record in tables.get(table, {}).items():
                if not is_sound_passage_record(record):
                    raise ValueError(f"{table} {doc_id}")
            index._add_passages(tables.get(table, {}))
            table = "highlights"
            for doc_id, record in tables.get(table, {}).items():
                Highlight.from_record(record)
                index._count(table, doc_id, record, +1)
            table = "tags"
            for doc_id, record in tables.get(table, {}).items():
                index.tag_ids[Tag.from_record(record).name] = doc_id
            table = "state"
            for doc_id, record in tables.get(table, {}).items():
                if "value" not in record or not isinstance(record["key"], str):
                    raise KeyError("value")
                index.state_ids[record["key"]] = doc_id
            for table in ("meta", "tags", *ANNOTATION_TABLES, "state"):
                if not all(doc_id.isdigit() for doc_id in tables.get(table, {})):
                    doc_id = next(d for d in tables[table] if not d.isdigit())
                    raise ValueError("id")
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise DamagedRecord(table, doc_id) from error
        return index

    def put(
        self,
        table: str,
        doc_id: str,
        old: Mapping[str, Any] | None,
        new: Mapping[str, Any] | None,
    ) -> None:
        """Follow a record of `table` changed from `old` to `new` (None: absent)."""
        if table == "tags":
            if old is not None and self.tag_ids.get(old["name"]) == doc_id:
                del self.tag_ids[old["name"]]
            if new is not None:
                self.tag_ids[new["name"]] = doc_id
            return
        if old is not None:
            self._count(table, doc_id, old, -1)
        if new is not None:
            self._count(table, doc_id, new, +1)

    # Where records are

    def passage_id(self, key: PassageKey) -> str | None:
        """The id of the placed passage annotation at `key`, if there is one."""
        return self._passage_ids.get(key)

    def refs(self, document: str) -> Iterable[tuple[str, str]]:
        """(table, id) of every annotation of `document`, orphans included."""
        return self._records_of.get(document, ())

    def knows(self, document: str) -> bool:
        """Whether `document` ever had an annotation since the store was read."""
        return document in self._records_of

    def documents(self) -> set[str]:
        """The documents with any annotation, orphans included."""
        return {document for document, refs in self._records_of.items() if refs}

    def annotation_count(self) -> int:
        return sum(len(refs) for refs in self._records_of.values())

    def annotators(self) -> list[str]:
        """Whose placed passage annotations the store holds, by name."""
        return sorted(self._annotator_names)

    # What is counted

    def tag_counts(self, annotator: str) -> Counter[str]:
        """How many of the annotator's passages and coded segments carry each tag."""
        return Counter(self._tag_counts.get(annotator, Counter()))

    def group_counts(self, annotator: str) -> Counter[str]:
        """How many of the annotator's passages count under each level above their tags."""
        return Counter(self._group_counts.get(annotator, Counter()))

    def mark_counts(self, annotator: str) -> tuple[int, int]:
        """(highlights, notes) placed by one annotator, or by everyone (ALL)."""
        if annotator == ALL:
            found = list(self._marks.values())
        else:
            found = [self._marks.get(annotator, Counter())]
        return sum(c["highlights"] for c in found), sum(c["notes"] for c in found)

    def annotated_counts(self, annotator: str) -> Counter[str]:
        """How many passages of each document carry an annotator's (or ALL) annotations."""
        found = self.annotated_passages(annotator)
        return Counter({document: len(passages) for document, passages in found.items()})

    def annotated_passages(self, annotator: str) -> dict[str, set[int]]:
        """Which passages (by index) of each document carry an annotator's (or ALL)
        annotations."""
        union: dict[str, set[int]] = {}
        for (document, who), passages in self._annotated.items():
            if passages and (annotator == ALL or who == annotator):
                union.setdefault(document, set()).update(passages)
        return union

    # Building

    def _add_passages(self, records: dict[str, dict[str, Any]]) -> None:
        """`_count` of every passage annotation at once: the same indexes, built much faster,
        since a store is read before the reader's first frame."""
        records_of, passage_ids = self._records_of, self._passage_ids
        tag_counts, annotated, names = self._tag_counts, self._annotated, self._annotator_names
        marks = self._marks
        for doc_id, record in records.items():
            document = record["document"]
            refs = records_of.get(document)
            if refs is None:
                refs = records_of[document] = set()
            refs.add(("passages", doc_id))
            if record.get("status") == "orphan":
                continue
            annotator = record.get("annotator", "")
            key = (document, record["start"], record["end"], record["quote"], annotator)
            passage_ids[key] = doc_id
            counts = tag_counts.get(annotator)
            if counts is None:
                counts = tag_counts[annotator] = Counter()
            tags = record.get("tags", ())
            for tag in tags:
                counts[tag] += 1
            if any("/" in tag for tag in tags):
                grouped = self._group_counts.setdefault(annotator, Counter())
                grouped.update(groups_of(tags))
            if record.get("highlighted") or record.get("note"):
                marked = marks.get(annotator)
                if marked is None:
                    marked = marks[annotator] = Counter()
                marked["highlights"] += bool(record.get("highlighted"))
                marked["notes"] += bool(record.get("note"))
            names[annotator] += 1
            passages = annotated.get((document, annotator))
            if passages is None:
                passages = annotated[(document, annotator)] = Counter()
            passages[record["passage"]] += 1

    def _count(self, table: str, doc_id: str, record: Mapping[str, Any], sign: int) -> None:
        document = record["document"]
        refs = self._records_of.get(document)
        if refs is None:
            refs = self._records_of[document] = set()
        if sign > 0:
            refs.add((table, doc_id))
        else:
            refs.discard((table, doc_id))
        if record.get("status") == "orphan":
            return  # kept and listed, but on no passage and in no count
        annotator = record.get("annotator", "")
        marked = self._marks.get(annotator)
        if marked is None:
            marked = self._marks[annotator] = Counter()
        # A span with no field saying otherwise was made when spans were only highlights.
        if record.get("highlighted", table == "highlights"):
            _add(marked, "highlights", sign)
        if record.get("note"):
            _add(marked, "notes", sign)
        if table == "passages":
            key = (document, record["start"], record["end"], record["quote"], annotator)
            if sign > 0:
                self._passage_ids[key] = doc_id
            elif self._passage_ids.get(key) == doc_id:
                del self._passage_ids[key]
            _add(self._annotator_names, annotator, sign)
        tags = record.get("tags", ())
        if tags:  # a passage's tags and a coded segment's count alike
            counts = self._tag_counts.get(annotator)
            if counts is None:  # (not setdefault: a Counter made per record slows an open)
                counts = self._tag_counts[annotator] = Counter()
            for tag in tags:
                _add(counts, tag, sign)
            if any("/" in tag for tag in tags):
                grouped = self._group_counts.setdefault(annotator, Counter())
                for group in groups_of(tags):
                    _add(grouped, group, sign)
        passages = self._annotated.get((document, annotator))
        if passages is None:
            passages = self._annotated[(document, annotator)] = Counter()
        first = record["passage"]
        # A segment across passages annotates each of them.
        for passage in range(first, (record.get("last_passage") or first) + 1):
            _add(passages, passage, sign)


def everyone_counts(
    records: Iterable[Mapping[str, Any]], paths: Callable[[list[str]], Iterable[str]]
) -> Counter[str]:
    """How many passages and segments carry each of the `paths` of their tags, over everyone's
    placed records: the same words that several annotators tagged alike count once."""
    carrying: dict[str, set[tuple[str, int, int]]] = {}
    for record in records:
        if record.get("status") != "orphan":
            place = (record["document"], record["start"], record["end"])
            for path in paths(record.get("tags", [])):
                carrying.setdefault(path, set()).add(place)
    return Counter({path: len(places) for path, places in carrying.items()})


def _add(counter: Counter[Any], name: Any, sign: int) -> None:
    """Add `sign` to a count, dropping it at zero so that counts list only what is there."""
    value = counter[name] + sign
    if value > 0:
        counter[name] = value
    else:
        del counter[name]
