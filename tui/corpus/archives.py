"""Zip archives read within limits, for every reader of one (an EPUB, DOCX or ODT document, a
REFI-QDA project): a zip bomb is refused from what the archive declares, before anything is
unpacked, and no member is read past the size it declares. Each reader says why in its own
words (`Refused.why`)."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum


class Why(Enum):
    BROKEN = "its zip archive cannot be read"
    CROWDED = "it lists more files than allowed"
    TOO_BIG = "its files declare more bytes than may be unpacked"
    BOMB = "a file unpacks to far more than it holds"
    MISSING = "a file it needs is not in it"
    UNREADABLE = "a file cannot be unpacked"
    OUTSIDE = "a file's name points outside the archive"


class Refused(Exception):
    """An archive, or one of its files, not to read: `why`, the `member` concerned (if one)
    and what zipfile said (`detail`, if anything)."""

    def __init__(self, why: Why, member: str = "", detail: str = "") -> None:
        super().__init__(f"{why.value}{f': {member}' if member else ''}")
        self.why, self.member, self.detail = why, member, detail


@dataclass(frozen=True)
class Limits:
    unpacked: int
    """All files together may unpack to this many bytes."""
    members: int
    """An archive listing more files than this is a trap, not a document."""
    ratio: int = 200
    """Unpacked bytes per packed byte past which a file is a bomb (text and XML pack well,
    but not this well)."""
    small: int = 1 << 20
    """Below this many bytes unpacked, the ratio is not looked at (tiny files pack oddly)."""


class BoundedZip:
    """A zip archive checked whole from its directory on opening (member count, declared
    sizes, compression ratios), whose files are then read no further than they declare."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise Refused(Why.BROKEN, detail=str(error)) from error
        if len(infos) > limits.members:
            raise Refused(Why.CROWDED, detail=f"{len(infos):,}")
        if sum(info.file_size for info in infos) > limits.unpacked:
            biggest = max(infos, key=lambda info: info.file_size)
            raise Refused(Why.TOO_BIG, biggest.filename)
        for info in infos:
            if info.file_size > limits.small and (
                info.file_size > limits.ratio * max(info.compress_size, 1)
            ):
                raise Refused(Why.BOMB, info.filename)
        declared = sum(info.file_size for info in infos)
        if declared > limits.small and declared > limits.ratio * max(len(data), 1):
            raise Refused(Why.BOMB)  # many files, none past the ratio alone
        self.sizes = {info.filename: info.file_size for info in infos}
        self.names = list(self.sizes)
        self.left = limits.unpacked

    def outside(self) -> str | None:
        """The first file whose name would land outside a folder it were unpacked into (a
        `..` level, an absolute path, a drive; a backslash read as Windows reads it), if any:
        no honest archive has one."""
        for name in self.names:
            path = name.replace("\\", "/")
            if posixpath.isabs(path) or ".." in path.split("/") or path[1:2] == ":":
                return name
        return None

    def read(self, name: str) -> bytes:
        """One file, unpacked no further than its declared size and what is left of the
        budget: a file that holds more than it says is refused as a bomb."""
        size = self.sizes.get(name)
        if size is None:
            raise Refused(Why.MISSING, name)
        try:
            with self.zip.open(name) as member:
                data = member.read(min(size, self.left) + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            RuntimeError,
            NotImplementedError,
            EOFError,
            zlib.error,
        ) as error:
            raise Refused(Why.UNREADABLE, name, str(error)) from error
        if len(data) > size:
            raise Refused(Why.BOMB, name)
        if len(data) > self.left:
            raise Refused(Why.TOO_BIG, name)
        self.left -= len(data)
        return data
