"""What every importer shares: the parsed result, and errors that name the record and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from tui.store.model import Highlight, PassageAnnotation, Tag


class FileError(Exception):
    """A file that cannot be imported; the message names the record and the field."""


@dataclass
class Parsed:
    """What a file holds, read and checked, before anything is stored."""

    format: str
    annotations: list[PassageAnnotation | Highlight] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per record left out, saying which and why."""


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
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path)
    path = path.lstrip(".")
    place = f"{where}: {path}" if where and path else where or path or "the file"
    raise FileError(f"{place}: {_shorten(error.message)}")


def check_text(start: int, end: int, quote: str, path: str, field_name: str) -> None:
    """A span must be as long as its words: offsets are code points, end exclusive."""
    if end < start:
        raise FileError(f"{path}.end: {end} is before start {start}")
    if end - start != len(quote):
        raise FileError(
            f"{path}.{field_name}: {len(quote)} characters long, but start {start} and "
            f"end {end} span {end - start}"
        )


def _shorten(message: str, limit: int = 160) -> str:
    """jsonschema quotes the whole offending value: a 3,000-character quote is not news."""
    return message if len(message) <= limit else f"{message[: limit - 1]}…"
