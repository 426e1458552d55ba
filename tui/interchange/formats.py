"""The export formats, as the command line and the app offer them."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from tui.text import counted

if TYPE_CHECKING:  # the command line lists the formats at every start: nothing more is imported
    from pathlib import Path

    from tui.corpus import Corpus
    from tui.interchange.export import Export


class EmptyCodebook(ValueError):
    """A codebook needs at least one code (the schema requires it)."""


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    label: str
    extension: str
    write: Callable[[Export, Corpus, IO[Any]], None]
    binary: bool = False
    keeps_orphans: bool = True
    """False when the format has no place for annotations whose words were not found."""
    codebook: bool = False
    """True when the format holds the tags alone, not the annotations."""

    def contents(self, export: Export, corpus: Corpus | None = None) -> str:
        """What a file of this format made from `export` holds, as a user counts it (a
        project, given the corpus, counts the documents it holds as sources)."""
        if self.codebook:
            return f"the codebook: {counted(len(export.tags), 'tag')}"
        if self.name == "refi-qda" and corpus is not None:
            from tui.interchange import refi

            # A project holds documents without annotations too: "of 0 documents" would lie.
            placed = len(export.items) - refi.left_out(export)
            sources = len(refi.sources(export, corpus))
            return f"{counted(placed, 'annotation')}, {counted(sources, 'document')} as sources"
        return (
            f"{counted(len(export.items), 'annotation')} of "
            f"{counted(len(export.documents), 'document')}"
        )

    def to_bytes(self, export: Export, corpus: Corpus) -> bytes:
        """The export as the bytes of a file (text formats in UTF-8 with `\n` line ends)."""
        buffer = io.BytesIO()
        if self.binary:
            self.write(export, corpus, buffer)
        else:
            text = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
            self.write(export, corpus, text)
            text.flush()
            text.detach()
        return buffer.getvalue()


# Each writer imports its module when called: `glose` builds its command line (which lists
# the formats) at every start, and the writers' modules would slow that start.


def _json(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import json_format

    json_format.write(json_format.build(export, corpus), out)


def _jsonl(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import jsonl_format

    jsonl_format.write(export, out)


def _csv(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import csv_format

    csv_format.write(export, out)


def _markdown(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import markdown_format

    markdown_format.write(export, out)


def _w3c(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import w3c

    w3c.write(w3c.build(export, corpus), out)


def _refi_project(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import refi

    refi.write_project(export, corpus, out)


def _refi_codebook(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import refi

    refi.write_codebook(export, out)


def _taguette_codebook(export: Export, corpus: Corpus, out: IO[Any]) -> None:
    from tui.interchange import taguette

    taguette.write_codebook(export, out)


FORMATS = {
    f.name: f
    for f in (
        Format("json", "glose JSON (everything, re-importable)", "json", _json),
        Format("jsonl", "JSON Lines (one annotation per line)", "jsonl", _jsonl),
        Format("csv", "CSV (spreadsheets)", "csv", _csv),
        Format("markdown", "Markdown reading notes", "md", _markdown),
        Format("w3c", "W3C Web Annotation (JSON-LD)", "jsonld", _w3c),
        Format(
            "refi-qda",
            "REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder)",
            "qdpx",
            _refi_project,
            binary=True,
            keeps_orphans=False,
        ),
        Format(
            "refi-qdc",
            "REFI-QDA codebook (the tags)",
            "qdc",
            _refi_codebook,
            binary=True,
            keeps_orphans=False,
            codebook=True,
        ),
        Format(
            "taguette-codebook",
            "Taguette codebook (the tags, CSV)",
            "csv",
            _taguette_codebook,
            keeps_orphans=False,
            codebook=True,
        ),
    )
}


def format_for(path: Path | None) -> Format:
    """The format a file's extension names (`notes.csv`: csv), glose JSON for any other."""
    if path is not None:
        extension = path.suffix.lower().removeprefix(".")
        for format in FORMATS.values():
            if format.extension == extension:
                return format
    return FORMATS["json"]


def left_out(format: Format, export: Export) -> str | None:
    """A sentence saying how many selected annotations the format cannot hold, if any."""
    if format.keeps_orphans or format.codebook:
        return None
    from tui.interchange import refi

    missing = refi.left_out(export)
    if not missing:
        return None
    verb = "is" if missing == 1 else "are"
    return (
        f"{counted(missing, 'orphan')} (words no longer found in the corpus) {verb} not in "
        f"this {format.name} export; glose check lists them."
    )
