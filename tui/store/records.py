"""Pure helpers on annotation records: their selectors, their place and twin, merging them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tui.anchoring import describe
from tui.corpus import Document, Passage
from tui.corpus.passages import index_at
from tui.store.annotators import ALL
from tui.store.model import HIGHLIGHT_COLORS, Highlight, PassageAnnotation, new_uuid


def selectors(document: Document, start: int, end: int) -> dict[str, Any]:
    """The fields that say where `document.text[start:end]` is, as a record keeps them."""
    selector = describe(document.text, start, end, document.sha256)
    return {
        "document": document.id,
        "sha256": document.sha256,
        "start": start,
        "end": end,
        "quote": selector.exact,
        "prefix": selector.prefix,
        "suffix": selector.suffix,
        "occurrences": selector.occurrences,
    }


def place(table: str, record: dict[str, Any]) -> tuple:
    """What makes two annotations the same one: whose, where, on which words."""
    return (
        table,
        record["document"],
        record["start"],
        record["end"],
        record["quote"],
        record.get("annotator", ""),
    )


def spanned(passages: list[Passage], start: int, end: int) -> dict[str, int | None]:
    """The passages a span of words lies on: where it starts, and where it ends if another."""
    first = index_at(passages, start)
    last = index_at(passages, max(start, end - 1))
    return {"passage": first, "last_passage": last if last != first else None}


class Twins:
    """The annotations a store holds, by place and by UUID, for an import to find the one
    that each annotation it reads already is."""

    def __init__(self, tables: Mapping[str, Mapping[str, dict[str, Any]]]) -> None:
        self._by_place: dict[tuple, str] = {}
        self._by_uuid: dict[str, tuple[str, str, tuple[str, str]]] = {}
        """(table, id, (document, annotator)) of each UUID."""
        self._added: set[tuple[str, str]] = set()
        for table, records in tables.items():
            for doc_id, record in records.items():
                self._by_place[place(table, record)] = doc_id
                whose = (record["document"], record.get("annotator", ""))
                self._by_uuid[record.get("uuid", "")] = (table, doc_id, whose)

    def of(self, table: str, record: dict[str, Any]) -> str | None:
        """The id of the annotation that `record` is: the one at its place, else the one with
        its UUID on the same document by the same annotator (placed since). A UUID that names
        another annotation, or one already added from this file, is replaced in `record`."""
        twin = self._by_place.get(place(table, record))
        same = self._by_uuid.get(record["uuid"])
        if same is not None and same[:2] in self._added:
            same = None  # two annotations of this very file with one UUID: both kept
            record["uuid"] = new_uuid()
        if twin is None and same is not None:
            if same[0] == table and same[2] == (record["document"], record["annotator"]):
                twin = same[1]  # the same annotation (its UUID), placed since
            else:
                record["uuid"] = new_uuid()  # another one: an identity of its own
        return twin

    def passage_of(self, record: dict[str, Any]) -> str | None:
        """The id of the passage annotation that a span `record` is: its UUID, on the very
        same words by the same annotator (a format with no passages, as REFI-QDA, brings a
        passage annotation back as a span)."""
        same = self._by_uuid.get(record["uuid"])
        if same is None or same[0] != "passages" or same[:2] in self._added:
            return None
        return same[1] if self._by_place.get(place("passages", record)) == same[1] else None

    def segment_of(self, record: dict[str, Any]) -> str | None:
        """The id of the segment that a passage annotation `record` is: its UUID by the same
        annotator on the same document, else (no record has its UUID) the segment on the very
        same words by the same annotator, when no passage annotation is there. A REFI-QDA
        import made the passage annotation a segment; its JSON export says passage."""
        same = self._by_uuid.get(record["uuid"])
        whose = (record["document"], record.get("annotator", ""))
        if same is not None:
            fits = same[0] == "highlights" and same[2] == whose and same[:2] not in self._added
            return same[1] if fits else None
        if self._by_place.get(place("passages", record)) is not None:
            return None
        twin = self._by_place.get(place("highlights", record))
        return twin if twin is not None and ("highlights", twin) not in self._added else None

    def add(self, table: str, record: dict[str, Any], doc_id: str) -> None:
        """An annotation the import added: the next ones may be it."""
        whose = (record["document"], record.get("annotator", ""))
        self._by_place[place(table, record)] = doc_id
        self._by_uuid[record["uuid"]] = (table, doc_id, whose)
        self._added.add((table, doc_id))


def merged(table: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`old` with what `new` adds: tags, highlight and note; its own colour and status kept."""
    kind = PassageAnnotation if table == "passages" else Highlight
    target = kind.from_record(old)
    merge(target, kind.from_record(new))
    return {**old, **target.to_record()}


def merge(target: PassageAnnotation | Highlight, incoming: PassageAnnotation | Highlight) -> None:
    """Add to `target` (a passage's annotation or a segment) the tags, highlight and note of
    `incoming`."""
    target.tags.extend(tag for tag in incoming.tags if tag not in target.tags)
    if incoming.highlighted and not target.highlighted:
        target.color = incoming.color
    target.highlighted = target.highlighted or incoming.highlighted
    target.note = joined_notes(target.note, incoming.note)
    # Where it was made and shared, learnt from the one that knows.
    target.source = target.source or incoming.source
    target.group = target.group or incoming.group
    target.note_format = target.note_format or incoming.note_format


def joined_notes(note: str, incoming: str) -> str:
    """`note` with `incoming` added as a paragraph, unless it already is one of its paragraphs
    (or the whole): merging twice adds nothing, and no shorter note hides in a longer one."""
    if not incoming or f"\n\n{incoming}\n\n" in f"\n\n{note}\n\n":
        return note
    return f"{note}\n\n{incoming}" if note else incoming


def everyone_on(
    found: list[PassageAnnotation], document: Document, passage: Passage
) -> PassageAnnotation:
    """Several annotators' annotations of one passage as one, to show (never to store)."""
    union = PassageAnnotation(
        **selectors(document, passage.start, passage.end),
        passage=passage.index,
        annotator=ALL,
    )
    for annotation in found:
        union.tags.extend(tag for tag in annotation.tags if tag not in union.tags)
        if annotation.highlighted and not union.highlighted:
            union.highlighted, union.color = True, annotation.color
    union.note = "\n\n".join(f"{a.annotator}: {a.note}" for a in found if a.note)
    return union


def unique(names: Iterable[str]) -> list[str]:
    """The names in order, each once."""
    return list(dict.fromkeys(names))


def known_color(color: str) -> str:
    """`color` if it is a highlight colour's name (ValueError if not)."""
    if color not in HIGHLIGHT_COLORS:
        raise ValueError(f"unknown highlight colour {color!r}")
    return color
