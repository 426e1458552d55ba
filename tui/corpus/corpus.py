"""The corpus: every `*.txt` and `*.md` file under a directory, as documents in path order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from tui.corpus.catalog import Catalog
from tui.corpus.decoding import NotText
from tui.corpus.display import counted
from tui.corpus.document import Document, relative_name

TEXT_SUFFIXES = (".txt", ".md")


class CorpusError(Exception):
    """The corpus directory cannot be used; the message names it and says why."""


NOT_TEXT_REASONS = ("NUL bytes, so binary data", "mostly unprintable characters")
"""Reasons too ordinary to repeat in the notice that lists files left out."""


def discover(root: Path, problems: list[str] | None = None) -> list[Path]:
    """Text files under `root`, recursively, sorted by relative path; hidden entries skipped.

    Symlinked directories are followed, each real directory once, so a link loop ends the walk.
    Folders that cannot be read are named in `problems`.
    """
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        if problems is not None:
            where = Path(error.filename or root)
            name = where.relative_to(root).as_posix() if where != root else str(root)
            problems.append(f"folder {name}: {error.strerror or error}")

    for directory, subdirs, files in os.walk(root, followlinks=True, onerror=unreadable):
        try:
            status = os.stat(directory)
        except OSError:
            subdirs[:] = []
            continue
        if (status.st_dev, status.st_ino) in seen:
            subdirs[:] = []
            continue
        seen.add((status.st_dev, status.st_ino))
        subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
        for name in files:
            if not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES):
                found.append(Path(directory, name))
    return sorted(found, key=lambda path: relative_name(root, path))


def left_out_notice(not_text: list[str]) -> str:
    """One notice for every file left out: a folder of scans must not bury the screen."""
    verb = "is" if len(not_text) == 1 else "are"
    return f"Left out {counted(len(not_text), 'file')} that {verb} not text: {', '.join(not_text)}"


def left_out_name(relpath: str, why: Exception) -> str:
    return relpath if str(why) in NOT_TEXT_REASONS else f"{relpath} ({why})"


class Corpus:
    """The documents of one directory, loaded once, in path order."""

    def __init__(
        self,
        root: Path,
        documents: list[Document],
        problems: list[str],
        catalog: Catalog | None = None,
    ) -> None:
        self.root = root
        self.listed = {document.relpath for document in documents}
        """Every file found, left out or not: what the catalog may keep."""
        self.catalog = catalog
        """Where titles and counts are kept between runs (None: the corpus was read whole)."""
        self.documents = documents
        self.problems = problems
        """One sentence per file the corpus could not take as it is."""
        self._by_id = {document.id: document for document in documents}

    @classmethod
    def open(cls, root: Path | str, catalog: Catalog | None = None) -> Corpus:
        """Every text file under `root`, read now; with a `catalog`, only listed and read when
        first needed (the app: a big corpus opens at once), files the catalog knows as not
        text left out unread."""
        root = Path(root)
        try:
            exists, is_dir = root.exists(), root.is_dir()
        except OSError as error:  # a path too long, a folder on the way not to be entered
            raise CorpusError(
                f"cannot read the corpus {root}: {error.strerror or error}"
            ) from error
        if not exists:
            raise CorpusError(f"corpus directory not found: {root}")
        if not is_dir:
            raise CorpusError(f"corpus is not a directory: {root}")
        documents: list[Document] = []
        problems: list[str] = []
        not_text: list[str] = []
        taken: set[str] = set()
        try:
            paths = discover(root, problems)
        except OSError as error:
            raise CorpusError(
                f"cannot read the corpus {root}: {error.strerror or error}"
            ) from error
        names = []
        for path in paths:
            relpath = relative_name(root, path)
            names.append(relpath)
            # Ids come from the names alone, whatever can be read: `a.txt` and `a.md` would
            # share the id `a`, and the later keeps its extension even if `a.md` is left out,
            # so that an id never changes between a run that read a file and one that did not.
            doc_id = relpath.rsplit(".", 1)[0]
            renamed = doc_id in taken
            doc_id = relpath if renamed else doc_id
            taken.add(doc_id)
            try:
                if catalog is None:
                    document = Document.unread(root, path, path.stat(), relpath=relpath)
                    _ = document.text  # read now: the whole corpus is wanted
                else:
                    status = path.stat()
                    entry = catalog.get(relpath, status.st_size, status.st_mtime)
                    if entry is not None and entry.not_text:
                        raise NotText(entry.not_text)
                    document = Document.unread(root, path, status, entry, relpath)
            except NotText as why:
                not_text.append(left_out_name(relpath, why))
                continue
            except OSError as error:
                problems.append(f"{relpath}: {error.strerror or error}")
                continue
            if renamed:
                problems.append(
                    f"{relpath}: another file already has the id {document.id!r}, "
                    f"so this one is {relpath!r}"
                )
                document.id = doc_id
            documents.append(document)
        if not_text:
            problems.insert(0, left_out_notice(not_text))
        corpus = cls(root, documents, problems, catalog)
        corpus.listed.update(names)
        return corpus

    def drop(self, document: Document) -> None:
        """Leave out a document found unreadable or not text once read (a big corpus is read
        after it is listed); the article list shares `documents` and sees it go."""
        if self._by_id.get(document.id) is document:
            del self._by_id[document.id]
            self.documents.remove(document)

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def get(self, doc_id: str) -> Document | None:
        return self._by_id.get(doc_id)

    def reload(self, document: Document) -> Document:
        """Read `document` from disk again and put the new version in its place.

        Raises OSError when the file is gone or unreadable and NotText when it no longer is
        text; the corpus then keeps the version it had.
        """
        fresh = Document.load(self.root, document.path)
        fresh.id = document.id
        self.documents[self.documents.index(document)] = fresh
        self._by_id[fresh.id] = fresh
        return fresh

    @staticmethod
    def signature(document: Document) -> tuple[int, float] | None:
        """The file's size and modification time now, or None when it cannot be seen."""
        try:
            status = document.path.stat()
        except OSError:
            return None
        return status.st_size, status.st_mtime

    def changed_on_disk(self, document: Document) -> bool:
        """Whether the file changed, or went, since it was read."""
        return self.signature(document) != (document.size, document.mtime)

    def index_of(self, doc_id: str) -> int:
        for index, document in enumerate(self.documents):
            if document.id == doc_id:
                return index
        raise KeyError(doc_id)
