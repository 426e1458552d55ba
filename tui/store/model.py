"""The records the store keeps: tags and passage annotations, as plain dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
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


def now() -> str:
    """The current time as ISO-8601 UTC, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(slots=True)
class Tag:
    name: str
    color: str
    key: int | None = None
    created: str = field(default_factory=now)

    def to_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Tag:
        """The tag a stored record holds (ValueError when the record is damaged)."""
        key = record.get("key")
        if key is not None and (not isinstance(key, int) or isinstance(key, bool)):
            raise ValueError("key")
        return cls(_text(record, "name"), _text(record, "color"), key, _text(record, "created", ""))


@dataclass(slots=True)
class PassageAnnotation:
    """Tags and highlight on one passage, anchored by its offsets and quote."""

    document: str
    sha256: str
    passage: int
    start: int
    end: int
    quote: str
    tags: list[str] = field(default_factory=list)
    highlighted: bool = False
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)

    @property
    def is_empty(self) -> bool:
        return not self.tags and not self.highlighted

    def to_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> PassageAnnotation:
        """The annotation a stored record holds (ValueError when the record is damaged)."""
        tags = record.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise ValueError("tags")
        highlighted = record.get("highlighted", False)
        if not isinstance(highlighted, bool):
            raise ValueError("highlighted")
        start, end = _number(record, "start"), _number(record, "end")
        if end < start:
            raise ValueError("end")
        return cls(
            document=_text(record, "document"),
            sha256=_text(record, "sha256"),
            passage=_number(record, "passage"),
            start=start,
            end=end,
            quote=_text(record, "quote"),
            tags=list(tags),
            highlighted=highlighted,
            created=_text(record, "created", ""),
            updated=_text(record, "updated", ""),
        )


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
