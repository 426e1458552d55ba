"""The annotation store: tags, passage annotations and app state in one TinyDB database.

Everything the app or a command changes goes through `Store`; nothing else opens the file.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import JSONStorage

from tui.corpus import Document, Passage
from tui.store.model import TAG_COLORS, TAG_KEYS, PassageAnnotation, Tag, now

SCHEMA_VERSION = 1
STORE_FILE = "glose.json"
TAG_NAME_MAX = 60


class StoreError(Exception):
    """The store cannot be used; the message names the file and what to do."""


class TagNameError(ValueError):
    """A tag name that cannot be used; the message says why."""


def clean_tag_name(name: str) -> str:
    """The tag name to store, or TagNameError with a sentence saying what is wrong."""
    name = name.strip()
    if not name:
        raise TagNameError("A tag needs a name.")
    if len(name) > TAG_NAME_MAX:
        raise TagNameError(f"A tag name is at most {TAG_NAME_MAX} characters.")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        raise TagNameError("A tag name cannot hold control or formatting characters.")
    if ";" in name:
        raise TagNameError("A tag name cannot hold ';' (it separates tags in CSV exports).")
    return name


_row = Query()


class Store:
    """One store directory: `<dir>/glose.json`, created on first use."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self.path = self.directory / STORE_FILE
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = TinyDB(self.path, storage=JSONStorage, ensure_ascii=False, indent=None)
            meta = self._db.table("meta")
            version = meta.get(doc_id=1)
        except ValueError as error:
            raise StoreError(
                f"{self.path} is not a readable glose store ({error}); "
                "move it aside to start a new one."
            ) from error
        except OSError as error:
            raise StoreError(f"cannot open the store {self.path}: {error.strerror}") from error
        if version is None:
            meta.insert({"schema": SCHEMA_VERSION, "created": now()})
        elif version.get("schema", 0) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer glose (schema {version['schema']}); "
                "upgrade glose to open it."
            )
        self._tags = self._db.table("tags")
        self._passages = self._db.table("passages")
        self._state = self._db.table("state")

    def close(self) -> None:
        self._db.close()

    # Tags

    def tags(self) -> list[Tag]:
        """Every tag: those with keys 1-9 in key order, then the rest by name."""
        tags = [Tag.from_record(record) for record in self._tags.all()]
        return sorted(tags, key=lambda tag: (tag.key is None, tag.key or 0, tag.name.casefold()))

    def find_tag(self, name: str) -> Tag | None:
        """The tag called `name`, or differing from it only in case."""
        name = name.strip()
        folded = None
        for tag in self.tags():
            if tag.name == name:
                return tag
            if folded is None and tag.name.casefold() == name.casefold():
                folded = tag
        return folded

    def tag_for_key(self, key: int) -> Tag | None:
        record = self._tags.get(_row.key == key)
        return Tag.from_record(record) if isinstance(record, dict) else None

    def create_tag(self, name: str) -> Tag:
        """A new tag with the next free key and an unused colour (TagNameError if invalid)."""
        name = clean_tag_name(name)
        existing = self.find_tag(name)
        if existing is not None:
            return existing
        tags = self.tags()
        used_keys = {tag.key for tag in tags}
        key = next((k for k in TAG_KEYS if k not in used_keys), None)
        used_colors = Counter(tag.color for tag in tags)
        color = min(TAG_COLORS, key=lambda c: (used_colors[c], TAG_COLORS.index(c)))
        tag = Tag(name, color, key)
        self._tags.insert(tag.to_record())
        return tag

    def tag_counts(self) -> Counter[str]:
        """How many annotated passages carry each tag, over the whole store."""
        counts: Counter[str] = Counter()
        for record in self._passages.all():
            counts.update(record.get("tags", []))
        return counts

    # Passage annotations

    def annotations(self, document: str | None = None) -> list[PassageAnnotation]:
        records = (
            self._passages.all()
            if document is None
            else self._passages.search(_row.document == document)
        )
        found = [PassageAnnotation.from_record(record) for record in records]
        return sorted(found, key=lambda a: (a.document, a.start, a.end))

    def annotations_by_span(self, document: str) -> dict[tuple[int, int], PassageAnnotation]:
        return {(a.start, a.end): a for a in self.annotations(document)}

    def annotation(self, document: Document, passage: Passage) -> PassageAnnotation | None:
        record = self._passages.get(self._where(document, passage))
        return PassageAnnotation.from_record(record) if isinstance(record, dict) else None

    def toggle_tag(self, document: Document, passage: Passage, tag_name: str) -> bool:
        """Add or remove a tag on a passage; True when the passage now carries it."""
        annotation = self._annotation_or_new(document, passage)
        if tag_name in annotation.tags:
            annotation.tags.remove(tag_name)
            added = False
        else:
            annotation.tags.append(tag_name)
            added = True
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

    def toggle_highlight(self, document: Document, passage: Passage) -> bool:
        """Highlight a passage or clear its highlight; True when it is now highlighted."""
        annotation = self._annotation_or_new(document, passage)
        annotation.highlighted = not annotation.highlighted
        self._save(document, passage, annotation)
        return annotation.highlighted

    def annotated_counts(self) -> Counter[str]:
        """How many annotated passages each document has."""
        return Counter(record["document"] for record in self._passages.all())

    # App state

    def get_state(self, key: str, default: Any = None) -> Any:
        record = self._state.get(_row.key == key)
        return record["value"] if isinstance(record, dict) else default

    def set_state(self, key: str, value: Any) -> None:
        self._state.upsert({"key": key, "value": value}, _row.key == key)

    # Internals

    @staticmethod
    def _where(document: Document, passage: Passage) -> Any:
        return (
            (_row.document == document.id)
            & (_row.start == passage.start)
            & (_row.end == passage.end)
        )

    def _annotation_or_new(self, document: Document, passage: Passage) -> PassageAnnotation:
        return self.annotation(document, passage) or PassageAnnotation(
            document=document.id,
            sha256=document.sha256,
            passage=passage.index,
            start=passage.start,
            end=passage.end,
            quote=passage.text,
        )

    def _save(self, document: Document, passage: Passage, annotation: PassageAnnotation) -> None:
        where = self._where(document, passage)
        if annotation.is_empty:
            self._passages.remove(where)
            return
        annotation.updated = now()
        self._passages.upsert(annotation.to_record(), where)
