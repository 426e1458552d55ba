"""The records the store keeps: tags and passage annotations, as plain dataclasses."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from functools import cache
from typing import Any

# Tableau 10 then six more hues of middle lightness: legible on dark and light backgrounds.
# Past sixteen tags, the least used colour is reused.
TAG_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#ad494a",
    "#7b4173",
    "#637939",
)

TAG_KEYS = range(1, 10)


def new_uuid() -> str:
    return str(uuid.uuid4())


def now() -> str:
    """The current time as ISO-8601 UTC, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(slots=True)
class Tag:
    name: str
    color: str
    key: int | None = None
    created: str = field(default_factory=now)
    description: str = ""
    """What the tag means, for a codebook (exported as REFI-QDA code descriptions)."""

    def to_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Tag:
        """The tag a stored record holds (ValueError when the record is damaged)."""
        key = record.get("key")
        if key is not None and (type(key) is not int or not 1 <= key <= 9):
            raise ValueError("key")
        name, color = _text(record, "name"), _text(record, "color")
        if not TAG_COLOR_PATTERN.fullmatch(color) or clean_tag_name(name, as_typed=False) != name:
            raise ValueError("name or colour")
        description = _text(record, "description", "")
        return cls(name, color, key, _text(record, "created", ""), description)


HIGHLIGHT_COLORS = {
    "yellow": "#ffe680",
    "green": "#b8f2a1",
    "blue": "#a8d8ff",
    "pink": "#ffb3d9",
    "orange": "#ffc891",
    "purple": "#d7c2ff",
}
"""Highlight colours by name: light backgrounds under dark text, readable in any theme."""

DEFAULT_HIGHLIGHT = "yellow"

STATUSES = ("exact", "moved", "fuzzy", "orphan")

NOTE_MAX = 10_000


class NoteError(ValueError):
    """A note that cannot be kept; the message says why."""


def clean_note(note: str) -> str:
    """The note to store ('' removes it), or NoteError with a sentence saying what is wrong."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise NoteError(f"A note is at most {NOTE_MAX:,} characters.")
    if any((ord(char) < 32 and char not in "\n\t") or 0x7F <= ord(char) < 0xA0 for char in note):
        raise NoteError("A note cannot hold control characters.")
    if any(char in _BIDI for char in note):
        raise NoteError("A note cannot hold bidirectional control characters.")
    return note


TAG_COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")

DESCRIPTION_MAX = 2_000


def clean_description(description: str) -> str:
    """A tag's description as stored (NoteError with a sentence when it cannot be one)."""
    description = clean_note(description)
    if len(description) > DESCRIPTION_MAX:
        raise NoteError(f"A tag description is at most {DESCRIPTION_MAX:,} characters.")
    return description


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

TAG_NAME_MAX = 60


class TagNameError(ValueError):
    """A tag name that cannot be used; the message says why."""


def clean_tag_name(name: str, *, as_typed: bool = True) -> str:
    """The tag name to store, or TagNameError with a sentence saying what is wrong.

    `/` separates the levels of a hierarchy (`politique/régulation`); a name as typed has
    the spaces around its levels and its empty levels dropped (`a//b/` is `a/b`), as stores
    and exports made before levels existed may hold them. A stored name (`as_typed=False`)
    is only checked.
    """
    name = name.strip()
    if as_typed and "/" in name:
        name = "/".join(level.strip() for level in name.split("/") if level.strip())
    if not name:
        raise TagNameError("A tag needs a name.")
    if len(name) > TAG_NAME_MAX:
        raise TagNameError(f"A tag name is at most {TAG_NAME_MAX} characters.")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in name):
        raise TagNameError("A tag name cannot hold control or formatting characters.")
    if ";" in name:
        raise TagNameError("A tag name cannot hold ';' (it separates tags in CSV exports).")
    return name


@cache
def _record_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.name != "id")


_OPTIONAL = ("source", "group", "note_format")
"""Fields a record holds only when they are set."""


@dataclass(slots=True, kw_only=True)
class Anchored:
    """What every annotation has: where it is (W3C selectors), how it was found, a note."""

    document: str
    sha256: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    occurrences: int = 1
    status: str = "exact"
    note: str = ""
    annotator: str = ""
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    uuid: str = field(default_factory=new_uuid)
    """Names the annotation outside the store for its whole life (W3C ids, REFI-QDA GUIDs)."""
    source: str = ""
    """The address the annotation was made on (a web page), when it is not the document's:
    exported again as it came."""
    group: str = ""
    """The Hypothesis group it was shared in (`__world__`: public), when it came from one."""
    note_format: str = ""
    """`text/markdown` when the note is Markdown (as a Hypothesis or W3C note said), exported
    as such again; empty for plain text."""
    id: int | None = None
    """The record's id in its table (not stored in the record itself)."""

    @property
    def is_orphan(self) -> bool:
        return self.status == "orphan"

    def to_record(self) -> dict[str, Any]:
        # By hand rather than `asdict` (which deep-copies field by field): five times faster,
        # and an import of 100k annotations makes a record of each.
        record = {name: getattr(self, name) for name in _record_fields(type(self))}
        for optional in _OPTIONAL:
            if not record[optional]:
                del record[optional]  # most annotations have none: records stay as they were
        if "tags" in record:
            record["tags"] = list(record["tags"])
        return record

    @staticmethod
    def _common(record: dict[str, Any]) -> dict[str, Any]:
        start, end = _number(record, "start"), _number(record, "end")
        if end < start:
            raise ValueError("end")
        status = record.get("status", "exact")
        if status not in STATUSES:
            raise ValueError("status")
        occurrences = record.get("occurrences", 1)
        if type(occurrences) is not int or occurrences < 0:
            raise ValueError("occurrences")
        return {
            "document": _text(record, "document"),
            "sha256": _text(record, "sha256"),
            "start": start,
            "end": end,
            "quote": _text(record, "quote"),
            "prefix": _text(record, "prefix", ""),
            "suffix": _text(record, "suffix", ""),
            "occurrences": occurrences,
            "status": status,
            "note": _text(record, "note", ""),
            "annotator": _text(record, "annotator", ""),
            "created": _text(record, "created", ""),
            "updated": _text(record, "updated", ""),
            "uuid": _text(record, "uuid", ""),
            "source": _text(record, "source", ""),
            "group": _text(record, "group", ""),
            "note_format": _text(record, "note_format", ""),
        }


@dataclass(slots=True, kw_only=True)
class PassageAnnotation(Anchored):
    """Tags, highlight and note on one passage."""

    passage: int
    tags: list[str] = field(default_factory=list)
    highlighted: bool = False
    color: str = DEFAULT_HIGHLIGHT

    @property
    def is_empty(self) -> bool:
        return not self.tags and not self.highlighted and not self.note

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> PassageAnnotation:
        """The annotation a stored record holds (ValueError when the record is damaged)."""
        return cls(
            **cls._common(record),
            passage=_number(record, "passage"),
            tags=_tags(record),
            highlighted=_flag(record, "highlighted", False),
            color=_color(record),
            id=id,
        )


@dataclass(slots=True, kw_only=True)
class Highlight(Anchored):
    """A coded segment: any span of words, which may cross passages, carrying tags, a
    highlight colour and a note. With no tag it is a plain highlight (`h`)."""

    passage: int = 0
    """The passage where the span starts, when it was last anchored."""
    last_passage: int | None = None
    """The passage where it ends, when it crosses passages (None: where it starts)."""
    color: str = DEFAULT_HIGHLIGHT
    tags: list[str] = field(default_factory=list)
    highlighted: bool = True
    """Whether its words show in its colour (a tagged segment shows its tags' colours)."""

    @property
    def is_empty(self) -> bool:
        return not self.tags and not self.highlighted and not self.note

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> Highlight:
        return cls(
            **cls._common(record),
            passage=_number(record, "passage"),
            last_passage=(
                None if record.get("last_passage") is None else _number(record, "last_passage")
            ),
            color=_color(record),
            tags=_tags(record),
            highlighted=_flag(record, "highlighted", True),
            id=id,
        )


Segment = Highlight
"""The name the span's record goes by where tags matter more than colour."""


def _tags(record: dict[str, Any]) -> list[str]:
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError("tags")
    return list(tags)


def _flag(record: dict[str, Any], field: str, default: bool) -> bool:
    value = record.get(field, default)
    if not isinstance(value, bool):
        raise ValueError(field)
    return value


def _color(record: dict[str, Any]) -> str:
    color = record.get("color", DEFAULT_HIGHLIGHT)
    if color not in HIGHLIGHT_COLORS:
        raise ValueError("color")
    return color


def is_sound_passage_record(record: dict[str, Any]) -> bool:
    """What `PassageAnnotation.from_record` accepts, checked fast enough for 100k records."""
    get = record.get
    tags = get("tags", [])
    start, end, passage = get("start"), get("end"), get("passage")
    return (
        type(get("document")) is str
        and type(get("sha256")) is str
        and type(get("quote")) is str
        and type(start) is int
        and type(end) is int
        and type(passage) is int
        and 0 <= start <= end
        and passage >= 0
        and type(get("highlighted", False)) is bool
        and type(tags) is list
        and all(type(tag) is str for tag in tags)
        and type(get("created", "")) is str
        and type(get("updated", "")) is str
        and type(get("prefix", "")) is str
        and type(get("suffix", "")) is str
        and type(get("note", "")) is str
        and get("status", "exact") in STATUSES
        and get("color", DEFAULT_HIGHLIGHT) in HIGHLIGHT_COLORS
        and type(get("occurrences", 1)) is int
        and type(get("annotator", "")) is str
        and type(get("uuid", "")) is str
        and type(get("source", "")) is str
        and type(get("group", "")) is str
        and type(get("note_format", "")) is str
    )


def _text(record: dict[str, Any], field: str, default: str | None = None) -> str:
    value = record.get(field, default)
    if not isinstance(value, str):
        raise ValueError(field)
    return value


def _number(record: dict[str, Any], field: str) -> int:
    value = record.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(field)
    return value
