"""Zip archives (EPUB, DOCX, ODT) read within limits: a zip bomb is refused, not unpacked."""

from __future__ import annotations

from tui.corpus.archives import BoundedZip, Limits, Refused, Why
from tui.corpus.extract.common import NotExtracted, with_article

MAX_UNPACKED = 300_000_000
"""All members of one archive together may unpack to this much: more than any book needs."""

MAX_MEMBERS = 20_000
"""A document with more files in it than this is not one a reader opens."""

LIMITS = Limits(unpacked=MAX_UNPACKED, members=MAX_MEMBERS)


class Archive:
    """A zip archive whose members are read against one budget for all of them together."""

    def __init__(self, data: bytes, kind: str) -> None:
        self.kind = kind
        try:
            self._zip = BoundedZip(data, LIMITS)
        except Refused as refused:
            raise self._said(refused) from refused
        self.zip = self._zip.zip
        self.names = set(self._zip.names)

    def read(self, name: str) -> bytes:
        """One member, unpacked within what is left of the budget and its declared size."""
        try:
            return self._zip.read(name)
        except Refused as refused:
            raise self._said(refused) from refused

    def check_all(self) -> None:
        """Unpack every member within the budget (for a library that then reads the archive
        on its own), so that a bomb is refused before it is handed over."""
        for name in sorted(self.names):
            if not name.endswith("/"):
                self.read(name)

    def _said(self, refused: Refused) -> NotExtracted:
        """The sentence a reader of documents says for `refused`."""
        kind, name = self.kind, refused.member
        match refused.why:
            case Why.BROKEN:
                return NotExtracted(f"is a broken {kind} file (its zip archive cannot be read)")
            case Why.CROWDED:
                return NotExtracted(
                    f"holds more than {MAX_MEMBERS:,} files: not {with_article(kind)} to read"
                )
            case Why.MISSING:
                return NotExtracted(f"is a broken {kind} file: {name} is missing")
            case Why.UNREADABLE:
                return NotExtracted(f"is a broken {kind} file: {name} cannot be unpacked")
        return NotExtracted(
            f"unpacks to far more than it holds (a zip bomb?): not {with_article(kind)} to read"
        )
