"""Sources a file holds that the corpus does not, added to it as text files (`--into DIR`):
never over a file that is there, each written whole or not at all, all undone together."""

from __future__ import annotations

import contextlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tui.corpus.document import normalise_newlines
from tui.interchange.reading import Outside
from tui.regular_files import FileTooLarge, NotRegularFile, read_regular_file
from tui.temporaries import temporary_beside

NAME_BYTES = 200
"""A file name's most bytes in UTF-8, its `-N.txt` left aside: file systems take 255."""


def safe_name(name: str) -> str:
    """A source's name as a file name in one folder: no folder of its own (`/`, `\\`), no
    control characters, not hidden (nor `..`), not too long; `source` if nothing is left."""
    if name.lower().endswith(".txt"):
        name = name[:-4]
    kept = "".join(
        "_" if char in "/\\" or unicodedata.category(char).startswith("C") else char
        for char in name
    )
    kept = kept.strip().lstrip(".").strip()
    while len(kept.encode("utf-8")) > NAME_BYTES:
        kept = kept[:-1]
    return kept.rstrip() or "source"


@dataclass
class Added:
    """The files a run wrote (and the folders it made), each source's file by document id."""

    paths: dict[str, Path] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    made: list[Path] = field(default_factory=list)

    def undo(self) -> None:
        """Remove what this run wrote, then the folders it made if they are empty."""
        for path in self.written:
            path.unlink(missing_ok=True)
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):  # something else is in it now: it stays
                folder.rmdir()


def add_sources(outside: dict[str, Outside], folder: Path) -> Added:
    """Each text as `folder/<its safe name>.txt`, in UTF-8: a file of that name with another
    text gives way to `name-2.txt`, one with the same text is that source's. OSError when
    a file cannot be written, what was written by then removed."""
    added = Added()
    try:
        missing = [p for p in [folder, *folder.parents] if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        added.made = list(reversed(missing))
        for doc_id, source in outside.items():
            added.paths[doc_id] = _place(folder, safe_name(source.name), source.text, added)
    except BaseException:
        added.undo()
        raise
    return added


def planned_sources(outside: dict[str, Outside], folder: Path) -> dict[str, Path]:
    """The file `add_sources` would give each source, by document id, writing nothing (for a
    dry run to say what the real one does)."""
    planned: dict[Path, str] = {}
    paths = {}
    for doc_id, source in outside.items():
        path = _place(folder, safe_name(source.name), source.text, Added(), planned)
        planned[path] = source.text
        paths[doc_id] = path
    return paths


def _place(
    folder: Path, stem: str, text: str, added: Added, planned: dict[Path, str] | None = None
) -> Path:
    """The file of `text` in `folder`: one holding it already, else a new one, written unless
    this is a plan (`planned`: the texts of the files planned so far, none written)."""
    data = text.encode("utf-8", "surrogatepass")
    number = 1
    while True:
        path = folder / (f"{stem}.txt" if number == 1 else f"{stem}-{number}.txt")
        if planned is not None and path in planned:
            if planned[path] == text:
                return path
        elif _holds(path, text):
            return path
        elif not os.path.lexists(path) and (planned is not None or _write_new(path, data)):
            if planned is None:
                added.written.append(path)
            return path
        number += 1


def _holds(path: Path, text: str) -> bool:
    """Whether `path` is a file whose text is `text`, as the corpus would read it."""
    try:
        raw = read_regular_file(path, limit=len(text.encode("utf-8", "surrogatepass")) * 2 + 8)
    except (NotRegularFile, FileTooLarge, OSError):
        return False
    try:
        return normalise_newlines(raw.data.decode("utf-8-sig")) == text
    except UnicodeDecodeError:
        return False


def _write_new(path: Path, data: bytes) -> bool:
    """Write `data` as `path` whole (a temporary, synced, then linked to its name), unless a
    file has taken that name meanwhile (False): never over another file."""
    handle, temporary = temporary_beside(path, mode=0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)  # fails where a file is: no overwrite, ever
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)
