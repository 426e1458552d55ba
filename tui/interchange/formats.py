"""The export formats, as the command line and the app offer them."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from tui.corpus import Corpus
from tui.corpus.display import counted
from tui.interchange import lines, native, notes, refi, table, w3c
from tui.interchange.selection import Selection


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    label: str
    extension: str
    write: Callable[[Selection, Corpus, IO[Any]], None]
    binary: bool = False
    keeps_orphans: bool = True
    """False when the format has no place for annotations whose words were not found."""

    def to_bytes(self, selection: Selection, corpus: Corpus) -> bytes:
        """The export as the bytes of a file (text formats in UTF-8 with `\n` line ends)."""
        buffer = io.BytesIO()
        if self.binary:
            self.write(selection, corpus, buffer)
        else:
            text = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
            self.write(selection, corpus, text)
            text.flush()
            text.detach()
        return buffer.getvalue()


FORMATS = {
    f.name: f
    for f in (
        Format(
            "json",
            "glose JSON (everything, re-importable)",
            "json",
            lambda s, c, out: native.write(native.build(s, c), out),
        ),
        Format(
            "jsonl",
            "JSON Lines (one annotation per line)",
            "jsonl",
            lambda s, c, out: lines.write(s, out),
        ),
        Format("csv", "CSV (spreadsheets)", "csv", lambda s, c, out: table.write(s, out)),
        Format("markdown", "Markdown reading notes", "md", lambda s, c, out: notes.write(s, out)),
        Format(
            "w3c",
            "W3C Web Annotation (JSON-LD)",
            "jsonld",
            lambda s, c, out: w3c.write(w3c.build(s, c), out),
        ),
        Format(
            "refi-qda",
            "REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder)",
            "qdpx",
            refi.write_project,
            binary=True,
            keeps_orphans=False,
        ),
        Format(
            "refi-qdc",
            "REFI-QDA codebook (the tags)",
            "qdc",
            lambda s, c, out: refi.write_codebook(s, out),
            binary=True,
            keeps_orphans=False,
        ),
    )
}


def left_out(format: Format, selection: Selection) -> str | None:
    """A sentence saying how many selected annotations the format cannot hold, if any."""
    if format.keeps_orphans or format.name == "refi-qdc":
        return None
    missing = refi.left_out(selection)
    if not missing:
        return None
    verb = "is" if missing == 1 else "are"
    return (
        f"{counted(missing, 'orphan')} (words no longer found in the corpus) {verb} not in "
        f"this {format.name} export; glose check lists them."
    )
