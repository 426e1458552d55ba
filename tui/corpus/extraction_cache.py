"""The text extracted from web pages, PDFs, EPUBs and office files, kept in the store's
`extracted/` folder so that a long PDF reopens as fast as a text file.

An entry is named by the SHA-256 of the file's bytes and the version of the extractor that
made it (`<hash>-<version>.json`): a changed file or a new extractor finds no entry and is
extracted again, and the store's re-anchoring handles what that changes in the text. It is a
cache, never the record of anything: an entry that cannot be read or is not as glose writes
them is ignored and made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from tui.corpus.catalog import cache_problem
from tui.corpus.extract import Extracted, Link, Metadata, extract
from tui.corpus.extract.sniffing import extractor_version
from tui.regular_files import read_regular_file
from tui.temporaries import remove_stale_temporaries, temporary_beside

FOLDER = "extracted"
"""The cache's folder in the store's."""

ENTRY_LIMIT = 1 << 30
"""An entry is read no further (a text is at most a few hundred megabytes)."""

_VERSION = re.compile(r"[A-Za-z0-9_.-]{1,40}\Z")
"""A version as extractors write them, safe in a file name."""

_ENTRY = re.compile(r"([0-9a-f]{64})-([A-Za-z0-9_.-]{1,40})\.json\Z")
"""An entry's name: the hash of the file's bytes, the extractor's version."""

KEPT_WHILE_NEW = 3600.0
"""Seconds an entry is kept whatever the corpus says: another glose on the same store may
have just made it for a file this one saw before it changed."""


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ExtractionCache:
    """Extracted texts by file hash and extractor version, in one folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cleaned = False
        self._versions_cleaned: set[str] = set()

    def path(self, sha256: str, version: str) -> Path | None:
        """Where the entry is kept; None for a version that cannot be part of a file name."""
        if not _VERSION.match(version):
            return None
        return self.directory / f"{sha256}-{version}.json"

    def get(self, sha256: str, version: str) -> Extracted | None:
        """The entry if there is a sound one, else None."""
        path = self.path(sha256, version)
        if path is None or cache_problem(path) is not None:
            return None
        try:
            data = orjson.loads(read_regular_file(path, limit=ENTRY_LIMIT).data)
        except (OSError, ValueError):
            return None
        return _extracted_of(data, version)

    def put(self, sha256: str, extracted: Extracted) -> bool:
        """Keep `extracted` (atomically: a reader never sees half an entry). False when it
        cannot be written: no error, the file is extracted again next time."""
        path = self.path(sha256, extracted.extractor_version)
        if path is None:
            return False
        try:
            self.directory.mkdir(mode=0o700, exist_ok=True)
            if not self._cleaned:
                remove_stale_temporaries(self.directory)  # what a killed run left
                self._cleaned = True
            if cache_problem(path) is not None:
                return False  # a folder, a pipe or a link in its place: left alone
            body = orjson.dumps(_record(extracted))
            handle, temporary = temporary_beside(path)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(body)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return False
        for older in self.directory.glob(f"{sha256}-*.json"):
            if older != path:  # the same file by an older extractor: never asked for again
                with contextlib.suppress(OSError):
                    older.unlink()
        version = extracted.extractor_version
        if version not in self._versions_cleaned:
            # Once a run: any file's entry by another version of this extractor is never
            # asked for again (a file unchanged is extracted anew, by this one).
            self._versions_cleaned.add(version)
            self._remove(
                lambda _, made_by: made_by != version and _format_of(made_by) == _format_of(version)
            )
        return True

    def keep_only(self, sources: set[str]) -> int:
        """Remove the entries of files the corpus no longer holds: those whose hash is not
        in `sources` (the hashes of the bytes of every document listed), unless made or
        used within `KEPT_WHILE_NEW`. How many went; a folder that cannot be listed or an
        entry that cannot be removed is left as it is, silently."""
        return self._remove(lambda sha256, _: sha256 not in sources, KEPT_WHILE_NEW)

    def _remove(self, unused: Callable[[str, str], bool], younger_kept: float = 0.0) -> int:
        """Remove the entries that `unused(sha256, version)` says no one asks for; only files
        named as glose names entries, never anything else put in the folder."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return 0
        now = time.time()
        removed = 0
        for name in names:
            found = _ENTRY.match(name)
            if found is None or not unused(found.group(1), found.group(2)):
                continue
            path = self.directory / name
            try:
                status = os.lstat(path)
                if not stat.S_ISREG(status.st_mode) or now - status.st_mtime < younger_kept:
                    continue
                path.unlink()
            except OSError:
                continue
            removed += 1
        return removed

    def extract(
        self,
        data: bytes,
        suffix: str,
        progress: Callable[[int, int], None] | None = None,
        sha256: str | None = None,
    ) -> Extracted:
        """The text of the file's bytes, from the cache if it holds it, else extracted and
        kept (NotExtracted as `extract`)."""
        sha256 = sha256 or file_sha256(data)
        version = extractor_version(data, suffix)
        cached = self.get(sha256, version)
        if cached is not None:
            self._used(sha256, version)
            return cached
        extracted = extract(data, suffix, progress)
        self.put(sha256, extracted)
        return extracted

    def _used(self, sha256: str, version: str) -> None:
        """Mark the entry used now (its time), so that `keep_only` leaves it for a while."""
        path = self.path(sha256, version)
        if path is not None:
            with contextlib.suppress(OSError):
                os.utime(path)


def _format_of(version: str) -> str:
    """The extractor a version is of: `pdf` for `pdf-2`."""
    return version.rsplit("-", 1)[0]


OPENING_PAGES = 8
"""A long PDF first shows this many pages, read at once, while the rest is read."""


def extracted_opening(
    data: bytes, suffix: str, cache: ExtractionCache | None
) -> tuple[Extracted, bool] | None:
    """What to show of a long document while it is read: its text from the cache (True: the
    whole of it), else a long PDF's first pages (False); None for a document read whole
    as quickly (a short PDF, another format the cache does not hold)."""
    from tui.corpus.extract.sniffing import format_for

    if cache is not None:
        cached = cache.get(file_sha256(data), extractor_version(data, suffix))
        if cached is not None:
            return cached, True
    if format_for(data, suffix) != "pdf":
        return None
    from tui.corpus.extract.pdf import extract_pdf_start

    start = extract_pdf_start(data, OPENING_PAGES)
    return (start[0], False) if start is not None else None


def extract_cached(
    data: bytes,
    suffix: str,
    cache: ExtractionCache | None,
    progress: Callable[[int, int], None] | None = None,
    sha256: str | None = None,
) -> Extracted:
    """The text of the file's bytes, through `cache` when there is one (`sha256`: the bytes'
    when it is known already)."""
    if cache is not None:
        return cache.extract(data, suffix, progress, sha256)
    return extract(data, suffix, progress)


def _record(extracted: Extracted) -> dict[str, Any]:
    metadata = extracted.metadata
    return {
        "extractor_version": extracted.extractor_version,
        "text": extracted.text,
        "metadata": {
            "title": metadata.title,
            "author": metadata.author,
            "date": metadata.date,
            "site": metadata.site,
            "url": metadata.url,
        },
        "headings": [list(heading) for heading in extracted.headings],
        "links": [[link.start, link.end, link.target] for link in extracted.links],
        "styles": [list(style) for style in extracted.styles],
        "blocks": [list(block) for block in extracted.blocks],
    }


def _extracted_of(data: Any, version: str) -> Extracted | None:
    """The entry as written by `_record`, or None for anything else."""
    if not isinstance(data, dict) or data.get("extractor_version") != version:
        return None
    text, metadata = data.get("text"), data.get("metadata")
    headings, links = data.get("headings"), data.get("links")
    if not isinstance(text, str) or not isinstance(metadata, dict):
        return None
    if not isinstance(headings, list) or not isinstance(links, list):
        return None
    fields = {name: metadata.get(name, "") for name in ("title", "author", "date", "site", "url")}
    if not all(isinstance(value, str) for value in fields.values()):
        return None
    found_headings: list[tuple[int, int, int]] = []
    for heading in headings:
        if not (isinstance(heading, list) and len(heading) == 3 and _span(heading, text)):
            return None
        if type(heading[2]) is not int or not 1 <= heading[2] <= 6:
            return None
        found_headings.append((heading[0], heading[1], heading[2]))
    found_links: list[Link] = []
    for link in links:
        if not (isinstance(link, list) and len(link) == 3 and _span(link, text)):
            return None
        if not isinstance(link[2], str):
            return None
        found_links.append(Link(link[0], link[1], link[2]))
    spans = {}
    for name in ("styles", "blocks"):  # each a span of the text and a name
        found = data.get(name, [])
        if not isinstance(found, list) or not all(
            isinstance(span, list)
            and len(span) == 3
            and _span(span, text)
            and isinstance(span[2], str)
            for span in found
        ):
            return None
        spans[name] = tuple((span[0], span[1], span[2]) for span in found)
    return Extracted(
        text,
        Metadata(**fields),
        version,
        tuple(found_headings),
        tuple(found_links),
        styles=spans["styles"],
        blocks=spans["blocks"],
    )


def _span(fields: list[Any], text: str) -> bool:
    """Whether the fields start with a span of `text`: whole numbers, in order, inside it."""
    start, end = fields[0], fields[1]
    return type(start) is int and type(end) is int and 0 <= start <= end <= len(text)
