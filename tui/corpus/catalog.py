"""What the article list needs of each file, kept between runs: title, passage count, encoding.

Reading and cutting ten thousand files takes most of a minute. The catalog, kept in the store
and keyed by each file's path, size, times and inode, lets the list show at once; files it does
not know, or that changed, are read in the background. It is a cache: a missing, unreadable or
foreign catalog is started afresh, and an entry that is not as glose writes them is dropped (its
file is read again), never an error and never trusted.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.corpus.extract.sniffing import EXTRACTOR_VERSIONS, is_rendered
from tui.corpus.passages import PASSAGE_RULES
from tui.regular_files import kind_of, read_regular_file
from tui.temporaries import remove_stale_temporaries, temporary_beside

CATALOG_NAME = "glose.catalog"
FORMAT = 3
"""Raised when what an entry holds is made differently (its shape, how a title is made):
entries made before are made again."""

CATALOG_LIMIT = 256_000_000
"""A catalog is read no further: ten thousand files take a few megabytes."""

RACY_NS = 2_000_000_000
"""A file changed this close before it was read may have changed again within the same tick of
its file system's clock (two seconds on FAT, a second on some NFS servers) without its times
showing it: what was read of it is not trusted by its times (git's "racy" entries)."""

Stamp = tuple[int, ...]
"""A file's size, modification and change times (ns) and inode: which version of it it is."""


def cache_problem(path: Path) -> str | None:
    """Why a cache's file can be neither read nor written: something other than a file is in
    its place (a folder, a named pipe, a link someone made), never replaced; None when a file
    or nothing is there."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None  # nothing there (or nothing to be seen): reading and writing will tell
    if stat.S_ISREG(mode):
        return None
    kind = "a symbolic link" if stat.S_ISLNK(mode) else kind_of(mode)
    return f"{path} is {kind}, not a file"


def left_alone(problem: str, cache: str) -> str:
    """The note that a cache's place holds something else (`problem`), kept as it is, and so
    no `cache` ("catalog", "search index") is kept: a note, not an error."""
    return f"{problem}: left alone, no {cache} kept"


def settled(stamp: Stamp, read_at: int) -> bool:
    """Whether a file read at `read_at` (ns) when it was at `stamp` is known by its stamp
    alone: it last changed well before it was read, so a later change shows in its times."""
    return len(stamp) == 4 and max(stamp[1], stamp[2]) < read_at - RACY_NS


@dataclass(frozen=True, slots=True)
class Entry:
    """One file as it was last read."""

    stamp: Stamp
    """The file's size, modification and change times and inode, as it was read: a file put
    in place with `cp -p` keeps its size and modification time, not its change time or inode."""
    read_at: int
    """When it was read (ns since the epoch, taken before it was opened)."""
    title: str
    passages: int
    encoding: str
    lossy: bool
    not_text: str | None = None
    """Why the file is left out of the corpus (binary, too large), or None: it is text."""
    length: int = 0
    """Characters of text: how far into it a reading place is, without reading it."""
    source: str = ""
    """The SHA-256 of the bytes a document's text was extracted from (what its entry in the
    extraction cache is named by), or empty: a text file, or not known."""

    def matches(self, stamp: Stamp) -> bool:
        """Whether this is what the file at `stamp` holds."""
        return self.stamp == stamp and settled(self.stamp, self.read_at)


TEXT_MAX = 10_000
"""A title, an encoding or a reason longer than this is no entry of glose's."""

_INT64 = 1 << 63
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _whole(value: Any, low: int = 0) -> bool:
    return type(value) is int and low <= value < _INT64  # a bool is no count


def _short(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= TEXT_MAX


def entry_of(fields: Any) -> Entry | None:
    """The entry a saved list of fields makes, or None when they are not what `save` writes
    (a cache edited, damaged or of another program: its file is read again)."""
    if not isinstance(fields, list) or len(fields) not in (11, 12):
        return None
    size, mtime, ctime, inode, read_at, title, passages, encoding, lossy, not_text, length = fields[
        :11
    ]
    source = fields[11] if len(fields) == 12 else ""  # an older glose's entry knows none
    if not (isinstance(source, str) and (not source or _SHA256.fullmatch(source))):
        return None
    if not (
        all(_whole(value) for value in (size, inode, read_at, passages, length))
        and all(_whole(value, -_INT64) for value in (mtime, ctime))
        and _short(title)
        and _short(encoding)
        and type(lossy) is bool
        and (not_text is None or (_short(not_text) and not_text))
    ):
        return None
    if not_text is None and passages > length:
        return None  # every passage holds at least one character
    if not_text is not None and (title or passages or encoding or lossy or length):
        return None  # a file left out is known by nothing else
    return Entry(
        (size, mtime, ctime, inode),
        read_at,
        title,
        passages,
        encoding,
        lossy,
        not_text,
        length,
        source,
    )


class Catalog:
    """Entries by relative path; `save` writes them back when any changed."""

    def __init__(self, path: Path | None = None, entries: dict[str, Entry] | None = None) -> None:
        self.path = path
        self.entries = entries or {}
        self.changed = False
        self.unusable: str | None = None
        """Why the catalog's file is neither read nor written (a folder or a named pipe in its
        place), for whoever tells the user; the catalog is then kept in memory only."""
        self._saving = threading.Lock()

    @classmethod
    def load(cls, directory: Path | None) -> Catalog:
        if directory is None:
            return cls()
        path = directory / CATALOG_NAME
        remove_stale_temporaries(directory)  # a save a kill cut short
        catalog = cls(path)
        catalog.unusable = cache_problem(path)
        if catalog.unusable is not None:
            return catalog
        try:
            # Bounded and never blocking, should a pipe be put there after the check.
            data = orjson.loads(read_regular_file(path, limit=CATALOG_LIMIT).data)
        except (OSError, ValueError):
            return catalog  # a cache: whatever is wrong with it, it is made again
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return catalog
        if data.get("passage_rules") != PASSAGE_RULES:  # counts cut by other rules
            return catalog
        # Documents read by other extractors than today's: their titles, counts and verdicts
        # (an encrypted PDF, a broken EPUB) may be other now, so they are read again.
        same_extractors = data.get("extractors") == EXTRACTOR_VERSIONS
        files = data.get("files")
        if isinstance(files, dict):
            for relpath, fields in files.items():
                entry = entry_of(fields)
                if entry is not None and (same_extractors or not is_rendered(relpath)):
                    catalog.entries[relpath] = entry
        return catalog

    def get(self, relpath: str, stamp: Stamp) -> Entry | None:
        """What the catalog knows of the file, if it has not changed since."""
        entry = self.entries.get(relpath)
        return entry if entry is not None and entry.matches(stamp) else None

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
        # Never put in place of what someone else put there: a pipe, a link, a folder.
        self.unusable = cache_problem(self.path)
        if self.unusable is not None:
            return False
        files = {
            relpath: [
                *e.stamp,
                e.read_at,
                e.title,
                e.passages,
                e.encoding,
                e.lossy,
                e.not_text,
                e.length,
                e.source,
            ]
            for relpath, e in self.entries.items()
        }
        try:
            handle, partial = temporary_beside(self.path)
        except OSError:
            return False
        with contextlib.suppress(OSError):  # readable by whoever may read the store beside it
            os.fchmod(handle, (self.path.parent / "glose.json").stat().st_mode & 0o666)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(
                    orjson.dumps(
                        {
                            "format": FORMAT,
                            "passage_rules": PASSAGE_RULES,
                            "extractors": EXTRACTOR_VERSIONS,
                            "files": files,
                        }
                    )
                )
            os.replace(partial, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            return False
        self.changed = False
        return True
