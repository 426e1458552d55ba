"""The corpus: every `*.txt` and `*.md` file under a directory, as documents in path order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from tui.corpus.document import Document

TEXT_SUFFIXES = (".txt", ".md")


class CorpusError(Exception):
    """The corpus directory cannot be used; the message names it and says why."""


def discover(root: Path) -> list[Path]:
    """Text files under `root`, recursively, sorted by relative path; hidden entries skipped."""
    found: list[Path] = []
    # Symlinked directories are not followed, so a link loop cannot trap the walk.
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [name for name in subdirs if not name.startswith(".")]
        for name in files:
            if not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES):
                found.append(Path(directory, name))
    return sorted(found, key=lambda path: path.relative_to(root).as_posix())


class Corpus:
    """The documents of one directory, loaded once, in path order."""

    def __init__(self, root: Path, documents: list[Document], problems: list[str]) -> None:
        self.root = root
        self.documents = documents
        self.problems = problems
        """One sentence per file the corpus could not take as it is."""
        self._by_id = {document.id: document for document in documents}

    @classmethod
    def open(cls, root: Path | str) -> Corpus:
        root = Path(root)
        if not root.exists():
            raise CorpusError(f"corpus directory not found: {root}")
        if not root.is_dir():
            raise CorpusError(f"corpus is not a directory: {root}")
        documents: list[Document] = []
        problems: list[str] = []
        taken: set[str] = set()
        for path in discover(root):
            try:
                document = Document.load(root, path)
            except OSError as error:
                problems.append(f"{path.relative_to(root).as_posix()}: {error.strerror or error}")
                continue
            if document.id in taken:
                # `a.txt` and `a.md` would share the id `a`: the later one keeps its extension.
                problems.append(
                    f"{document.relpath}: another file already has the id {document.id!r}, "
                    f"so this one is {document.relpath!r}"
                )
                document.id = document.relpath
            taken.add(document.id)
            documents.append(document)
        return cls(root, documents, problems)

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def get(self, doc_id: str) -> Document | None:
        return self._by_id.get(doc_id)

    def index_of(self, doc_id: str) -> int:
        for index, document in enumerate(self.documents):
            if document.id == doc_id:
                return index
        raise KeyError(doc_id)
