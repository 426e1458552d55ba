"""Taguette's CSV files: its codebook, read and written, and its highlights, read.

As Taguette writes them (taguette/export.py in its repository): Python's `csv` module's
default dialect (commas, `"` around a cell that needs it, CRLF line ends), UTF-8, a header:

- codebook: `tag,description,number of highlights` (its newer versions add `parent` after
  `tag`). Taguette reads back any CSV with one `tag`, `name` or `path` column and an optional
  `description` (taguette/import_codebook.py), the header's case ignored.
- highlights: `id,document,tag,content`, one row per tag of a highlight (a highlight with
  no tag has one row with an empty tag). `document` is the document's name in Taguette;
  `content` the highlighted words as text: Taguette turns the HTML it keeps into text
  before writing them (tags dropped, entities decoded, the text of each element trimmed and
  joined by one space), so no markup is left to read, and the words are found in the corpus
  with any white space standing for any other, or for none.

Taguette has no levels in its tag names: glose's `politique/régulation` is written as that
whole name, and read back as it is, levels and all.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from itertools import islice
from pathlib import PurePosixPath
from typing import IO, Any

from tui.anchoring import describe
from tui.corpus import Corpus, Document
from tui.corpus.document import normalise_newlines
from tui.interchange.export import Export
from tui.interchange.reading import FileError, Parsed, note_from_file
from tui.store.model import (
    Highlight,
    NoteError,
    Tag,
    TagNameError,
    clean_description,
    clean_tag_name,
)

CODEBOOK = "Taguette codebook CSV"
HIGHLIGHTS = "Taguette highlights CSV"

CODEBOOK_HEADER = ("tag", "description", "number of highlights")
"""What Taguette's released versions write, and what glose writes."""
_NAME_COLUMNS = ("tag", "name", "path")
_CODEBOOK_COLUMNS = frozenset({*_NAME_COLUMNS, "parent", "description", "number of highlights"})
_HIGHLIGHT_COLUMNS = frozenset({"id", "document", "tag", "content"})
_HIGHLIGHT_NEEDS = frozenset({"document", "tag", "content"})

HEADER_MAX = 4096
"""Taguette's headers are a few words: a first line longer than this is not one."""

_UUIDS = uuid.UUID("6f1c3b2e-1b7d-4c55-9a57-2f0a3f4d9c11")
"""Draws a highlight's UUID from its row: the same file gives the same UUIDs every time."""


def kind(text: str) -> str | None:
    """CODEBOOK or HIGHLIGHTS when the text's first line is a header Taguette writes."""
    try:
        header = next(_rows(text[:HEADER_MAX]), None)  # not a copy of a file of 500 MB
    except csv.Error:
        return None
    if not header:
        return None
    cells = [cell.strip().lower() for cell in header]
    names = set(cells)
    if len(names) != len(cells):
        return None
    if _HIGHLIGHT_NEEDS <= names <= _HIGHLIGHT_COLUMNS:
        return HIGHLIGHTS
    if names <= _CODEBOOK_COLUMNS and len(names & set(_NAME_COLUMNS)) == 1:
        return CODEBOOK
    return None


def kind_with_semicolons(text: str) -> str | None:
    """What `kind` would say of the text were its first line's `;` commas: a spreadsheet
    saved with the separator of a country whose decimal mark is the comma."""
    first = text[:HEADER_MAX].split("\n", 1)[0]
    return kind(first.replace(";", ",")) if ";" in first and "," not in first else None


def read(text: str, corpus: Corpus) -> Parsed:
    """The tags of a codebook, or the segments of a highlights file; FileError if neither."""
    found = kind(text)
    if found == CODEBOOK:
        return read_codebook(text)
    if found == HIGHLIGHTS:
        return read_highlights(text, corpus)
    raise FileError("not a Taguette CSV file: its first line is not a header Taguette writes")


def write_codebook(export: Export, out: IO[Any]) -> None:
    """The export's tags as Taguette's codebook CSV: the whole name, description, and how
    many exported annotations carry the tag."""
    counts = dict.fromkeys((tag.name for tag in export.tags), 0)
    for item in export.items:
        for name in getattr(item.annotation, "tags", ()):
            if name in counts:
                counts[name] += 1
    writer = csv.writer(out)  # Taguette's own dialect: commas, minimal quotes, CRLF
    writer.writerow(CODEBOOK_HEADER)
    for tag in export.tags:
        writer.writerow((tag.name, tag.description, counts[tag.name]))


def read_codebook(text: str) -> Parsed:
    parsed = Parsed(CODEBOOK)
    rows = _rows(text)
    header = [cell.strip().lower() for cell in next(rows)]
    name_at = next(header.index(name) for name in _NAME_COLUMNS if name in header)
    description_at = header.index("description") if "description" in header else None
    seen: dict[str, int] = {}
    for number, row in _numbered(rows):
        given = _cell(row, name_at).strip()
        if not given:
            parsed.skipped.append(f"skipped row {number}: it names no tag")
            continue
        try:
            name = clean_tag_name(normalise_newlines(given))
        except TagNameError as error:
            parsed.skipped.append(f"skipped row {number}: its tag {given[:80]!r} ({error})")
            continue
        first = seen.setdefault(name.casefold(), number)
        if first != number:
            parsed.skipped.append(f"skipped row {number}: the tag {name!r} is on row {first}")
            continue
        description = ""
        if description_at is not None:
            try:
                description = note_from_file(_cell(row, description_at), clean_description)
            except NoteError as error:
                parsed.skipped.append(f"kept row {number}'s tag without its description ({error})")
        parsed.tags.append(Tag(name, "", None, description=description))
    return parsed


def read_highlights(text: str, corpus: Corpus) -> Parsed:
    """Each highlight (its rows, one per tag) as a segment on the words it quotes, in the
    document Taguette's name designates; a line for each that cannot be placed."""
    parsed = Parsed(HIGHLIGHTS)
    rows = _rows(text)
    header = [cell.strip().lower() for cell in next(rows)]
    at = {name: header.index(name) for name in header}
    groups: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    for number, row in _numbered(rows):
        key = (
            _cell(row, at["id"]).strip() if "id" in at else "",
            _cell(row, at["document"]).strip(),
            normalise_newlines(_cell(row, at["content"])).strip(),
        )
        # Taguette writes a highlight with two tags as two rows of the same id and words.
        groups.setdefault(key, []).append((number, _cell(row, at["tag"])))
    finder = _Documents(corpus)
    for (given_id, name, words), tagged in groups.items():
        where = f"row {tagged[0][0]}"
        if not words:
            parsed.skipped.append(f"skipped {where}: it has no words to find")
            continue
        document, why = finder.named(name)
        if document is None:
            parsed.skipped.append(f"skipped {where}: {why}")
            continue
        span, why = _find(document, words)
        if span is None:
            parsed.skipped.append(f"skipped {where}: {why}")
            continue
        tags: list[str] = []
        for number, given in tagged:
            if not given.strip():
                continue  # a highlight with no tag
            try:
                tags.append(clean_tag_name(normalise_newlines(given)))
            except TagNameError as error:
                parsed.skipped.append(f"kept row {number} without its tag {given[:80]!r} ({error})")
        tags = list(dict.fromkeys(tags))
        selector = describe(document.text, *span, document.sha256)
        label = f"taguette:{given_id}" if given_id else f"taguette:{name}:{words}"
        parsed.add(
            Highlight(
                document=document.id,
                sha256=document.sha256,
                start=span[0],
                end=span[1],
                quote=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                occurrences=selector.occurrences,
                tags=tags,
                highlighted=not tags,  # an untagged highlight stays a highlight
                uuid=str(uuid.uuid5(_UUIDS, label)),
            ),
            where,
        )
    return parsed


class _Documents:
    """Taguette's document names, matched to the corpus: a name is a document's id, its path
    in the corpus, its file's name with or without its extension, or else its title; case
    ignored. A name that designates two documents designates none."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.by_file: dict[str, set[str]] = {}
        for document in corpus:
            file = PurePosixPath(document.relpath)
            for key in (document.id, document.relpath, file.name, file.stem):
                self.by_file.setdefault(key.casefold(), set()).add(document.id)
        self._by_title: dict[str, set[str]] | None = None

    def by_title(self) -> dict[str, set[str]]:
        # Titles are read from the texts: only when a name is no file's.
        if self._by_title is None:
            self._by_title = {}
            for document in self.corpus:
                self._by_title.setdefault(document.title.strip().casefold(), set()).add(document.id)
        return self._by_title

    def named(self, name: str) -> tuple[Document | None, str]:
        if not name:
            return None, "it names no document"
        key = name.casefold()
        found = self.by_file.get(key) or self.by_title().get(key) or set()
        if len(found) > 1:
            return None, f"{len(found)} documents of the corpus go by the name {name!r}"
        if not found:
            return None, f"no document of the corpus goes by the name {name!r}"
        document = self.corpus.get(next(iter(found)))
        assert document is not None
        return document, ""


def _find(document: Document, words: str) -> tuple[tuple[int, int] | None, str]:
    """Where the words are in the document, if they are there once: as they are, else with
    any white space standing for any other or for none (Taguette joins the text of its
    HTML's elements with a space: paragraphs, and `l’<em>IA</em>` as `l’ IA`)."""
    text = document.text
    spans = []
    at = text.find(words)
    while at >= 0 and len(spans) < 2:
        spans.append((at, at + len(words)))
        at = text.find(words, at + 1)
    if not spans:
        pattern = r"\s*".join(re.escape(word) for word in words.split())
        spans = [match.span() for match in islice(re.finditer(pattern, text), 2)]
    if len(spans) == 1:
        return spans[0], ""
    if not spans:
        return None, f"its words are not in {document.id}"
    return None, f"its words are in {document.id} more than once: glose cannot tell where"


def _rows(text: str) -> Iterator[list[str]]:
    # newline="": line ends inside a quoted cell are the cell's own.
    return csv.reader(io.StringIO(text, newline=""))


def _numbered(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header, numbered as a spreadsheet shows them (the header is 1);
    blank rows left out."""
    try:
        for number, row in enumerate(rows, start=2):
            if any(cell.strip() for cell in row):
                yield number, row
    except csv.Error as error:
        raise FileError(f"not CSV Taguette writes: {error}") from error


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""
