"""What every importer shares: the parsed result, and errors that name the record and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from tui.corpus.document import normalise_newlines
from tui.store.model import Highlight, PassageAnnotation, Tag, clean_note

if TYPE_CHECKING:
    from tui.interchange.attaching import Attaching


class FileError(Exception):
    """A file that cannot be imported; the message names the record and the field."""


@dataclass(frozen=True)
class Outside:
    """A text a file holds that the corpus does not: its name there, and the text."""

    name: str
    text: str


@dataclass
class Parsed:
    """What a file holds, read and checked, before anything is stored."""

    format: str
    annotations: list[PassageAnnotation | Highlight] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    """Where each annotation is in the file (`documents[0].passages[3]`), for messages."""
    tags: list[Tag] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per record left out, saying which and why."""
    attached: Attaching | None = None
    """What became of the annotations made on sources not in the corpus."""
    outside: dict[str, Outside] = field(default_factory=dict)
    """Texts the file holds that are no corpus document, by the document id their
    annotations are on (a REFI-QDA project's sources)."""

    def add(self, annotation: PassageAnnotation | Highlight, where: str) -> None:
        self.annotations.append(annotation)
        self.places.append(where)


def note_from_file(value: str, clean: Callable[[str], str] = clean_note) -> str:
    """A note (or tag description) as a file holds it, as glose stores it: Windows and old Mac
    line ends read as LF, as in a document's text, then `clean` checks it (NoteError)."""
    return clean(normalise_newlines(value))


@cache
def schema(name: str) -> dict[str, Any]:
    """One of the JSON Schemas shipped in the package."""
    text = resources.files("tui.interchange").joinpath("schemas", name).read_text("utf-8")
    return json.loads(text)


@cache
def _fast_validator(schema_name: str) -> Callable[[Any], Any]:
    import fastjsonschema

    # fastjsonschema compiles the schema to Python (50 times faster than jsonschema on a big
    # export); it knows drafts up to 7, which has every keyword these schemas use.
    draft7 = {**schema(schema_name), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(draft7, formats={"date-time": lambda value: True})


def validate(data: Any, schema_name: str, where: str = "") -> None:
    """FileError naming the first place where `data` breaks the schema, if it does."""
    import fastjsonschema

    try:
        _fast_validator(schema_name)(data)
        return
    except fastjsonschema.JsonSchemaValueException:
        pass  # jsonschema, slower, says best what is wrong and where
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(schema(schema_name))
    error = best_match(validator.iter_errors(data))
    if error is None:  # the two disagree: trust the stricter, in words it gives
        raise FileError(f"{where or 'the file'}: does not match {schema_name}")
    message = error.message
    if error.context:
        # "not valid under any of the given schemas" says little: say what the value missed.
        detail = next((e for e in error.context if e.validator not in ("type", "const")), None)
        message = detail.message if detail is not None else message
    parts = error.absolute_path  # from the top: errors inside oneOf have relative paths
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)
    path = path.lstrip(".")
    place = f"{where}: {path}" if where and path else where or path or "the file"
    raise FileError(f"{place}: {_shorten(message)}")


def at(path: str, field_name: str) -> str:
    """A field of a record, named as messages name it: `line 3: start`, `documents[0].start`."""
    return f"{path}: {field_name}" if path.startswith("line ") else f"{path}.{field_name}"


def whole(value: Any, path: str, *, optional: bool = False) -> Any:
    """A whole number, 0 or more: JSON Schema's "integer" lets 95.0 and 1e2 through."""
    if value is None and optional:
        return None
    if type(value) is not int or value < 0:
        raise FileError(f"{path}: {value!r} is not a whole number, 0 or more")
    return value


def timestamp(value: Any, path: str) -> str:
    """An ISO 8601 date and time (W3C's xsd:dateTime), as the file has it."""
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            if "T" in value:
                return value
        except ValueError:
            pass
    raise FileError(
        f"{path}: {value!r} is not a date and time (ISO 8601, like 2024-01-31T09:00:00Z)"
    )


def check_text(start: Any, end: Any, quote: str, path: str, field_name: str) -> None:
    """A span must be as long as its words: offsets are code points, end exclusive."""
    whole(start, at(path, "start"))
    whole(end, at(path, "end"))
    if end < start:
        raise FileError(f"{at(path, 'end')}: {end} is before start {start}")
    if end - start != len(quote):
        raise FileError(
            f"{at(path, field_name)}: {len(quote)} characters long, but start {start} and "
            f"end {end} span {end - start}"
        )


def _shorten(message: str, limit: int = 160) -> str:
    """jsonschema quotes the whole offending value: a 3,000-character quote is not news."""
    return message if len(message) <= limit else f"{message[: limit - 1]}…"
