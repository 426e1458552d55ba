"""The files a team shares in its repository: one per annotator, one line per annotation.

`.glose/annotations/<name>.jsonl` holds an annotator's records, `.glose/codebook/<name>.jsonl`
their changes to the codebook. The first line of each names the annotator (the file's name
is only a safe spelling of it); the other lines are sorted, with sorted keys, so that a
change is a changed line in `git diff`.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

ANNOTATIONS = ".glose/annotations"
CODEBOOK = ".glose/codebook"
FORMAT = "glose-sync"
VERSION = 1

Entry = dict[str, Any]
"""A line of an annotations file: a record (with `kind`) or a tombstone (with `deleted`)."""

_SLUG_MAX = 32


class DamagedFile(ValueError):
    """A shared file glose cannot read; the message says which line and why."""


def file_name(annotator: str) -> str:
    """A file name for `annotator` that every file system keeps apart from any other's: a
    readable part in lowercase ASCII, then a hash of the exact name (case, accents, `/`)."""
    ascii_name = unicodedata.normalize("NFKD", annotator).encode("ascii", "ignore").decode()
    slug = "".join(c if c.isalnum() else "-" for c in ascii_name.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:_SLUG_MAX].strip("-")
    digest = hashlib.sha256(annotator.encode("utf-8")).hexdigest()[:12]
    return f"{slug or 'annotator'}-{digest}.jsonl"


def is_tombstone(entry: Entry) -> bool:
    return "deleted" in entry


def stamp(entry: Entry) -> str:
    """When the entry last changed: a record's `updated`, a tombstone's `deleted`."""
    return str(entry.get("deleted") if is_tombstone(entry) else entry.get("updated", ""))


def later(a: Entry, b: Entry) -> Entry:
    """Which of two entries of one annotation wins: the later change; at the same time a
    tombstone, then the greater line, so that the choice never depends on the order."""
    if a == b:
        return a  # the same line on both sides, as most are: nothing to write out
    key_a, key_b = (stamp(a), is_tombstone(a)), (stamp(b), is_tombstone(b))
    if key_a != key_b:
        return a if key_a > key_b else b
    return a if _line(a) >= _line(b) else b


def merge_entries(*sides: Mapping[str, Entry]) -> dict[str, Entry]:
    """The entries of several versions of one annotator's file, each annotation's later one."""
    merged: dict[str, Entry] = {}
    for side in sides:
        for uuid, entry in side.items():
            held = merged.get(uuid)
            merged[uuid] = entry if held is None else later(held, entry)
    return merged


def _line(entry: Mapping[str, Any]) -> str:
    try:  # orjson writes what json.dumps would here, many times faster
        return orjson.dumps(entry, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:  # an integer past 64 bits, say: the standard library writes it
        return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _header(kind: str, annotator: str) -> str:
    return _line({"annotator": annotator, "format": FORMAT, "kind": kind, "version": VERSION})


def write_annotations(annotator: str, entries: Mapping[str, Entry]) -> str:
    """An annotations file's text: the header, then each entry by UUID."""
    lines = [_header("annotations", annotator)]
    lines += [_line(entries[uuid]) for uuid in sorted(entries)]
    return "\n".join(lines) + "\n"


def write_codebook(annotator: str, events: Iterable[Entry]) -> str:
    """A codebook log's text: the header, then each event in time order."""
    lines = [_header("codebook", annotator)]
    lines += [_line(event) for event in sorted(events, key=event_order)]
    return "\n".join(lines) + "\n"


def event_order(event: Mapping[str, Any]) -> tuple[str, str]:
    return (str(event.get("at", "")), str(event.get("id", "")))


def read_lines(text: str, kind: str, where: str) -> tuple[str, list[Entry]]:
    """The annotator a shared file names and its lines as dicts (DamagedFile if it is not
    one glose wrote)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        raise DamagedFile(f"{where} is empty")
    entries: list[Entry] = []
    for number, line in enumerate(lines, start=1):
        try:
            value = orjson.loads(line)
        except ValueError as error:
            raise DamagedFile(f"{where}, line {number}: not JSON") from error
        if not isinstance(value, dict):
            raise DamagedFile(f"{where}, line {number}: not an object")
        entries.append(value)
    header = entries[0]
    if header.get("format") != FORMAT or header.get("kind") != kind:
        raise DamagedFile(f"{where} is not a glose {kind} file")
    if not isinstance(header.get("version"), int) or header["version"] > VERSION:
        raise DamagedFile(f"{where} was written by a newer glose: update glose to sync")
    annotator = header.get("annotator")
    if not isinstance(annotator, str) or not annotator:
        raise DamagedFile(f"{where} names no annotator")
    return annotator, entries[1:]


def read_annotations(text: str, where: str) -> tuple[str, dict[str, Entry]]:
    """The annotator of an annotations file and its entries by UUID."""
    annotator, lines = read_lines(text, "annotations", where)
    entries: dict[str, Entry] = {}
    for number, entry in enumerate(lines, start=2):
        uuid = entry.get("uuid")
        if not isinstance(uuid, str) or not uuid:
            raise DamagedFile(f"{where}, line {number}: no uuid")
        if not is_tombstone(entry) and entry.get("kind") not in KINDS:
            raise DamagedFile(f"{where}, line {number}: neither a passage nor a segment")
        held = entries.get(uuid)
        entries[uuid] = entry if held is None else later(held, entry)
    return annotator, entries


def read_codebook(text: str, where: str) -> tuple[str, list[Entry]]:
    """The annotator of a codebook log and its events, each once, in time order."""
    annotator, lines = read_lines(text, "codebook", where)
    events: dict[str, Entry] = {}
    for number, event in enumerate(lines, start=2):
        if not isinstance(event.get("id"), str) or event.get("op") not in OPS:
            raise DamagedFile(f"{where}, line {number}: not a codebook change")
        events.setdefault(event["id"], event)
    return annotator, sorted(events.values(), key=event_order)


KINDS = {"passage": "passages", "segment": "highlights"}
"""The kind of record a line holds, and the store's table for it."""
TABLE_KINDS = {table: kind for kind, table in KINDS.items()}

OPS = ("created", "renamed", "moved", "described", "deleted")
