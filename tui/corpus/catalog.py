"""What the article list needs of each file, kept between runs: title, passage count, encoding.

Reading and cutting ten thousand files takes most of a minute. The catalog, kept in the store
and keyed by each file's path, size and modification time, lets the list show at once; files
it does not know, or that changed, are read in the background. It is a cache: a missing,
unreadable or foreign catalog is started afresh, never an error.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import orjson

from tui.corpus.passages import PASSAGE_RULES

CATALOG_NAME = "glose.catalog"
FORMAT = 3
"""Raised when what an entry holds is made differently (its shape, how a title is made):
entries made before are made again."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One file as it was last read."""

    size: int
    mtime: float
    title: str
    passages: int
    encoding: str
    lossy: bool
    not_text: str | None = None
    """Why the file is left out of the corpus (binary, too large), or None: it is text."""
    length: int = 0
    """Characters of text: how far into it a reading place is, without reading it."""

    def matches(self, size: int, mtime: float) -> bool:
        return self.size == size and self.mtime == mtime


class Catalog:
    """Entries by relative path; `save` writes them back when any changed."""

    def __init__(self, path: Path | None = None, entries: dict[str, Entry] | None = None) -> None:
        self.path = path
        self.entries = entries or {}
        self.changed = False
        self._saving = threading.Lock()

    @classmethod
    def load(cls, directory: Path | None) -> Catalog:
        if directory is None:
            return cls()
        path = directory / CATALOG_NAME
        try:
            data = orjson.loads(path.read_bytes())
            if data.get("format") != FORMAT or data.get("passage_rules") != PASSAGE_RULES:
                return cls(path)  # counts made by other rules would be shown as this text's
            entries = {relpath: Entry(*fields) for relpath, fields in data["files"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(path)  # a cache: whatever is wrong with it, it is made again
        return cls(path, entries)

    def get(self, relpath: str, size: int, mtime: float) -> Entry | None:
        """What the catalog knows of the file, if it has not changed since."""
        entry = self.entries.get(relpath)
        return entry if entry is not None and entry.matches(size, mtime) else None

    def put(self, relpath: str, entry: Entry) -> None:
        if self.entries.get(relpath) != entry:
            self.entries[relpath] = entry
            self.changed = True

    def keep_only(self, relpaths: set[str]) -> None:
        """Forget files that are no longer in the corpus."""
        gone = self.entries.keys() - relpaths
        for relpath in gone:
            del self.entries[relpath]
        self.changed = self.changed or bool(gone)

    def save(self) -> bool:
        """Write the catalog if anything changed (atomically: a crash leaves the old one).
        A cache that cannot be written is no error: False, and the next run reads again."""
        with self._saving:  # the background reading saves as it goes, and once at the end
            return self._save()

    def _save(self) -> bool:
        if self.path is None or not self.changed:
            return False
        files = {
            relpath: [
                e.size,
                e.mtime,
                e.title,
                e.passages,
                e.encoding,
                e.lossy,
                e.not_text,
                e.length,
            ]
            for relpath, e in self.entries.items()
        }
        partial = self.path.with_name(f".{CATALOG_NAME}.{os.getpid()}.partial")
        try:
            partial.write_bytes(
                orjson.dumps({"format": FORMAT, "passage_rules": PASSAGE_RULES, "files": files})
            )
            os.replace(partial, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()
            return False
        self.changed = False
        return True
