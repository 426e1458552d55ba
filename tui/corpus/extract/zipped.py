"""Zip archives (EPUB, DOCX, ODT) read within limits: a zip bomb is refused, not unpacked."""

from __future__ import annotations

import io
import zipfile
import zlib

from tui.corpus.extract.common import NotExtracted

MAX_UNPACKED = 300_000_000
"""All members of one archive together may unpack to this much: more than any book needs."""

MAX_RATIO = 200
"""Unpacked bytes per packed byte past which an archive is a bomb, not a document (text and
XML pack well, but not this well)."""

MAX_MEMBERS = 20_000
"""A document with more files in it than this is not one a reader opens."""

_SMALL = 1 << 20
"""Below this much unpacked in all, the ratio is not looked at (tiny files pack oddly)."""


class Archive:
    """A zip archive whose members are read against one budget for all of them together."""

    def __init__(self, data: bytes, kind: str) -> None:
        self.kind = kind
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise NotExtracted(
                f"is a broken {kind} file (its zip archive cannot be read)"
            ) from error
        if len(infos) > MAX_MEMBERS:
            raise NotExtracted(f"holds more than {MAX_MEMBERS:,} files: not {_a(kind)} to read")
        self.packed = max(len(data), 1)
        self.unpacked = 0
        self.names = {info.filename for info in infos}

    def read(self, name: str) -> bytes:
        """One member, unpacked within what is left of the budget, whatever its header says."""
        left = MAX_UNPACKED - self.unpacked
        try:
            with self.zip.open(name) as member:
                data = member.read(left + 1)
        except KeyError as error:
            raise NotExtracted(f"is a broken {self.kind} file: {name} is missing") from error
        except (
            zipfile.BadZipFile,
            OSError,
            RuntimeError,
            NotImplementedError,
            zlib.error,
        ) as error:
            raise NotExtracted(
                f"is a broken {self.kind} file: {name} cannot be unpacked"
            ) from error
        self.unpacked += len(data)
        if len(data) > left or (self.unpacked > _SMALL and self.unpacked > MAX_RATIO * self.packed):
            raise NotExtracted(
                f"unpacks to far more than it holds (a zip bomb?): not {_a(self.kind)} to read"
            )
        return data

    def check_all(self) -> None:
        """Unpack every member within the budget (for a library that then reads the archive
        on its own), so that a bomb is refused before it is handed over."""
        for name in sorted(self.names):
            if not name.endswith("/"):
                self.read(name)


def _a(kind: str) -> str:
    """`kind` with its article: "an EPUB", "a Word document"."""
    return f"{'an' if kind[:1] in 'AEIOU' else 'a'} {kind}"
