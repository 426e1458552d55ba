"""CSV: one row per annotation (a passage's or a coded segment) for spreadsheets, in UTF-8
with a byte-order mark, RFC 4180. `kind` says passage, segment or highlight; `passage` counts
from 1, as the reader shows it; `color` is empty when the annotation is not highlighted."""

from __future__ import annotations

import csv
from typing import IO, Any

from tui.interchange.export import Export, flat

COLUMNS = (
    "document",
    "title",
    "passage",
    "start",
    "end",
    "quote",
    "tags",
    "color",
    "note",
    "annotator",
    "kind",
    "status",
    "created",
    "updated",
    "uuid",
)
"""The header, stable: new columns only ever go at the end."""

TAG_SEPARATOR = ";"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(export: Export, out: IO[str], *, formula_guard: bool = True) -> None:
    """The rows; `formula_guard=False` writes every cell's exact text, for programs (not
    spreadsheets) that need `quote` to equal the document's text from `start` to `end`."""
    # The byte-order mark makes Excel read UTF-8; LibreOffice, pandas and Numbers skip it.
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in export.items:
        record = flat(item)
        record["tags"] = TAG_SEPARATOR.join(record["tags"])
        # The passage as the reader numbers it, from 1: a spreadsheet is read by people.
        index = record.pop("passage_index")
        record["passage"] = None if index is None else index + 1
        writer.writerow(_cell(record[column], formula_guard) for column in COLUMNS)


def _cell(value: Any, formula_guard: bool) -> Any:
    """A value as a spreadsheet must show it: text that would start a formula is quoted."""
    if value is None:
        return ""
    if formula_guard and isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        # OWASP's advice against CSV injection: a leading apostrophe keeps it text.
        return f"'{value}"
    return value
