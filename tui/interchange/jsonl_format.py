"""JSON Lines: the codebook, one tag a line (`"kind": "tag"`), then one annotation (a passage's,
or a coded segment) per line, for pandas, jq and NLP pipelines; read back by import. A file of
annotation lines only (as before the codebook travelled) reads too."""

from __future__ import annotations

import json
from typing import IO, Any

from tui.interchange.export import Export, flat
from tui.interchange.files import dump_json
from tui.interchange.reading import (
    FileError,
    Parsed,
    at,
    check_text,
    note_from_file,
    timestamp,
    validate,
    whole,
)
from tui.store.model import (
    DEFAULT_HIGHLIGHT,
    Highlight,
    NoteError,
    PassageAnnotation,
    Tag,
    TagNameError,
    clean_description,
    clean_tag_name,
    now,
)

SCHEMA = "glose-annotation-line.schema.json"
ELSEWHERE = ("source", "group", "note_format")
"""A web page's address and a Hypothesis group, on the annotations that came from one; the
note's format, on those whose note is not plain text."""


def write(export: Export, out: IO[str]) -> None:
    for tag in export.tags:
        dump_json(tag_line(tag), out, indent=False)
        out.write("\n")
    for item in export.items:
        annotation = item.annotation
        # Where it was made and shared, when not here: only on the lines that have them.
        elsewhere = {key: getattr(annotation, key) for key in ELSEWHERE if getattr(annotation, key)}
        dump_json({**flat(item), **elsewhere}, out, indent=False)
        out.write("\n")


def read(text: str) -> Parsed:
    """Every line's annotation (FileError naming the line and the field)."""
    parsed = Parsed("JSON Lines")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise FileError(f"{where}: not JSON ({error.msg}, column {error.colno})") from error
        except (ValueError, RecursionError) as error:  # 5,000-digit numbers, deep nesting
            raise FileError(f"{where}: not JSON glose can read ({error})") from error
        validate(record, SCHEMA, where=where)
        if record["kind"] == "tag":
            parsed.tags.append(tag_of(record, where))
            continue
        parsed.add(annotation_of(record, where), where)
    return parsed


def tag_line(tag: Tag) -> dict[str, Any]:
    return {
        "kind": "tag",
        "name": tag.name,
        "color": tag.color,
        "key": tag.key,
        "description": tag.description,
        "created": tag.created or None,
    }


def tag_of(record: dict[str, Any], where: str) -> Tag:
    """The tag a codebook line describes."""
    try:
        name = clean_tag_name(record["name"])
    except TagNameError as error:
        raise FileError(f"{at(where, 'name')}: {error}") from error
    try:
        description = note_from_file(record.get("description", ""), clean_description)
    except NoteError as error:
        raise FileError(f"{at(where, 'description')}: {error}") from error
    key = whole(record.get("key"), at(where, "key"), optional=True)
    created = timestamp(record["created"], at(where, "created")) if record.get("created") else now()
    return Tag(name, record["color"], key, created, description)


def annotation_of(record: dict[str, Any], where: str) -> PassageAnnotation | Highlight:
    """The annotation a flat record describes (see `export.flat`)."""
    check_text(record["start"], record["end"], record["quote"], where, "quote")
    try:
        note = note_from_file(record.get("note", ""))
    except NoteError as error:
        raise FileError(f"{where}: note: {error}") from error
    common: dict[str, Any] = {
        key: record[key]
        for key in ("document", "start", "end", "quote", "prefix", "suffix", "uuid", *ELSEWHERE)
        if record.get(key) is not None
    }
    for key in ("created", "updated"):
        if record.get(key):
            common[key] = timestamp(record[key], at(where, key))
    common.update(
        sha256=record.get("sha256") or "",
        occurrences=whole(record.get("occurrences", 1), at(where, "occurrences")),
        note=note,
        annotator=record.get("annotator") or "",
        status=record.get("status", "exact"),
        color=record.get("color") or DEFAULT_HIGHLIGHT,
        passage=_passage_index(record, where),
    )
    tags = []
    for i, name in enumerate(record.get("tags", [])):
        try:
            tags.append(clean_tag_name(name))
        except TagNameError as error:
            raise FileError(f"{where}: tags[{i}]: {error}") from error
    if record["kind"] == "passage":
        return PassageAnnotation(**common, tags=tags, highlighted=bool(record.get("highlighted")))
    # A line without the field is a highlight's (coloured) or a segment's (not).
    highlighted = record.get("highlighted", record["kind"] == "highlight")
    return Highlight(**common, tags=tags, highlighted=bool(highlighted))


def _passage_index(record: dict[str, Any], where: str) -> int:
    """Where it starts, from 0: `passage_index` now, `passage` (from 0 too) before."""
    field = "passage_index" if "passage_index" in record else "passage"
    return whole(record.get(field), at(where, field), optional=True) or 0
