"""Search as a reader means it: case, accents, apostrophes and kinds of space ignored, the
text folded as `tui.corpus.folding` folds it (a match maps back to exact offsets).

The corpus is searched through its full-text index (`tui.corpus.fulltext`, SQLite FTS5): the
index names the paragraphs that hold the query's words, best first; each is then read again
from its document and folded, to find the exact matches and show them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sqlite3
import threading
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tui.corpus.decoding import NotText
from tui.corpus.folding import (
    DASHES,
    FOLDS,
    QUOTES,
    SPACES,
    Folded,
    fold_text,
    fold_words,
)
from tui.corpus.fulltext import (
    INDEX_FILE,
    RACY_NS,
    Index,
    Known,
    cache_folder,
    file_or_nothing,
    location,
)

if TYPE_CHECKING:
    from tui.corpus.document import Document
    from tui.corpus.watching import FolderStamp

# The corpus's modules (listing, reading, cutting) are imported where they are used: a search
# whose index is up to date reads a few documents, or none.

__all__ = ["INDEX_FILE", "Hit", "QueryError", "Results", "SearchIndex"]

SNIPPET = 40
"""Characters of context shown on each side of a match."""

QUERY_MAX = 200
"""A longer query is refused: nobody types it, and a pasted page is not a search."""

_SPACE = re.compile(r"\s")


class QueryError(ValueError):
    """A query that cannot be searched for; the message says why."""


def fold_query(query: str) -> str:
    """The folded query, spaces run together (QueryError when there is nothing to search)."""
    if len(query) > QUERY_MAX:
        raise QueryError(f"A search is at most {QUERY_MAX} characters.")
    folded = "".join(char for char in fold_words(query) if unicodedata.category(char)[0] != "C")
    folded = " ".join(folded.split())
    if not folded:
        raise QueryError("Type something to search for.")
    return folded


def snippet(text: str, start: int, end: int, context: int = SNIPPET) -> tuple[str, str, str]:
    """(before, match, after): the match with up to `context` characters each side, cut at
    word boundaries, on one line."""
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    if start - context > 0 and (space := _SPACE.search(before)):
        before = "…" + before[space.end() :]
    if end + context < len(text) and (spaces := _SPACE.findall(after)) and after.strip():
        after = after[: after.rindex(spaces[-1])] + "…"

    def one_line(part: str) -> str:
        return " ".join(part.split())

    lead = " " if before[-1:].isspace() else ""
    trail = " " if after[:1].isspace() else ""
    return one_line(before) + lead, one_line(text[start:end]), trail + one_line(after)


@dataclass(frozen=True, slots=True)
class Hit:
    """One passage found: `document.text[start:end]` is its first match."""

    document: Document
    start: int
    end: int
    score: float = 0.0
    """How well it matches (BM25, higher is better; 0 when found by reading)."""

    def snippet(self, context: int = SNIPPET) -> tuple[str, str, str]:
        return snippet(self.document.text, self.start, self.end, context)


@dataclass(frozen=True, slots=True)
class Results:
    hits: list[Hit]
    """The first passages found, best first or in corpus order (at most the limit asked)."""
    total: int
    """Every passage found (past the limit, as the index counts them: for a query of single
    words exact, else at most that many)."""
    documents: int
    """How many documents hold one."""


@dataclass(frozen=True, slots=True)
class Refresh:
    """What bringing the index up to date took."""

    folded: int
    """Documents indexed afresh (new or changed)."""
    reused: int
    """Documents the index already held at their version."""
    saved: bool
    """Whether the index file was written."""
    unusable: str | None = None
    """Why the index file can be neither read nor written (a folder or a named pipe in its
    place): the index is then kept in memory only."""
    left_out: list[tuple[Document, Exception]] = field(default_factory=list)
    """Documents found unreadable or not text as they were read to be indexed, and why."""


class Searched(Protocol):
    """A query as the index needs it (`tui.corpus.query.Query`): an FTS5 expression that lets
    every passage it finds through, and the decision on one passage's folded text."""

    def fts_match(self, *, whole_words: bool = False) -> str | None: ...

    def spans(self, folded: str) -> list[tuple[int, int]] | None: ...


# The index of the corpus

MANY_ROWS = 20_000
"""Rows written at once past which the index is made compact again (`Index.optimize`)."""


_SIMPLE: dict[str, bool] = {}


def _is_simple(char: str) -> bool:
    """Whether the tokenizer folds `char` as search does (`é` as `e`, `’` as a space)."""
    known = _SIMPLE.get(char)
    if known is None:
        code = ord(char)
        folded = FOLDS[code]
        if char.isascii() or code in SPACES or code in QUOTES or code in DASHES:
            known = True
        else:
            decomposition = unicodedata.decomposition(char)
            # One mark on an ASCII letter: SQLite takes off no more than that (`ǡ` stays).
            known = (
                bool(decomposition)
                and not decomposition.startswith("<")
                and int(decomposition.split()[0], 16) < 0x80
                and len(folded) == 1
                and folded.isascii()
            )
        _SIMPLE[char] = known
    return known


def index_words(text: str) -> str:
    """`text` with what the tokenizer would fold otherwise than search folded as search
    does (`œ` as `oe`, a soft hyphen gone): its words are then those of the folded text."""
    if text.isascii():
        return text
    odd = [char for char in set(text) if not _is_simple(char)]
    if len(odd) > 32:
        return text.translate(FOLDS)
    for char in odd:
        folded = FOLDS[ord(char)]
        if folded != char:
            text = text.replace(char, folded)
    return text


def listing_options(inside: str | None) -> str:
    """What the listing of the corpus depends on besides its folders' contents."""
    return "inside" if inside is not None else "anywhere"


class SearchIndex:
    """The corpus's documents, searchable through the full-text index (`tui.corpus.fulltext`).

    Documents are known by their relative path: the reader's own, or made on demand from what
    the index holds (`glose search`, when nothing changed, lists no folder)."""

    def __init__(self, index: Index, documents: list[Document], root: Path | None = None) -> None:
        self._index = index
        self._lock = threading.RLock()
        """The reader's screen and its worker may both use it."""
        self.documents = documents
        self._by_relpath = {document.relpath: document for document in documents}
        self._versions = {document.relpath: document.stamp for document in documents}
        self._pending: dict[str, Document] = {}
        """Changed files the index could not be written for: read at each search."""
        self._root = root
        self._on_demand = False
        """Documents are made from what the index holds when first asked for (none listed)."""
        self._hidden: set[str] = set()
        """Files the index holds that are not searched (gone, or left out by the reader)."""
        self._units: dict[str, tuple[Document, list[tuple[int, int]]]] = {}
        self._cuts: dict[int, list[int]] = {}
        self._within: dict[str, list[tuple[int, int]]] | None = None
        """Where passages start in files cut since the index was opened, to be kept."""
        self.inside: str | None = None
        self.cache: Any = None
        self.store: Path | None = None
        """The store's folder, where extracted texts are kept (documents made on demand)."""
        """Where extracted texts are kept (for documents made on demand)."""

    @property
    def index(self) -> Index:
        return self._index

    # Building

    @classmethod
    def build(
        cls,
        documents: list[Document],
        directory: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
        *,
        save: bool = True,
        root: Path | None = None,
        folders: list[tuple[str, FolderStamp]] | None = None,
        options: str = "",
        left_out: list[tuple[str, Exception]] | None = None,
    ) -> tuple[SearchIndex, Refresh]:
        """The index of `documents`, brought up to date file by file: kept beside the store in
        `directory` when it holds one, else (given the corpus's `root`) in the cache folder,
        else in memory. A file that changed is indexed again alone. `folders` (as the corpus
        walked them, with `options`) let the next search skip listing the corpus."""
        from tui.corpus.catalog import cache_problem

        path: Path | None = None
        if root is not None:
            path = location(directory, root)
            if path.parent.parent == cache_folder() and save:
                with contextlib.suppress(OSError):
                    path.parent.mkdir(parents=True, exist_ok=True)
        elif directory is not None and directory.is_dir():
            path = directory / INDEX_FILE
        unusable = cache_problem(path) if path is not None else None
        if path is not None and unusable is None and not save and not path.is_file():
            path = None
        index = Index.open(path, writable=save)
        index.root = os.path.abspath(root) if root is not None else None
        try:
            return cls._brought_up_to_date(
                index, documents, progress, save, root, folders, options, left_out, unusable
            )
        except sqlite3.DatabaseError as error:
            index.close()  # damaged where opening did not look: made again
            remade: Index | None = None
            if path is not None and save and not _not_damaged(error):
                with contextlib.suppress(OSError, sqlite3.Error):  # else kept in memory
                    remade = Index.remade(path)
            index = remade if remade is not None else Index.open(None)
            index.root = os.path.abspath(root) if root is not None else None
            return cls._brought_up_to_date(
                index, documents, progress, save, root, folders, options, left_out, unusable
            )

    @classmethod
    def _brought_up_to_date(
        cls,
        index: Index,
        documents: list[Document],
        progress: Callable[[int, int], None] | None,
        save: bool,
        root: Path | None,
        folders: list[tuple[str, FolderStamp]] | None,
        options: str,
        left_out: list[tuple[str, Exception]] | None,
        unusable: str | None,
    ) -> tuple[SearchIndex, Refresh]:
        known = index.known()
        writing = (save or index.path is None) and index.begin()
        if writing and index.too_stale():
            index.clear()
            known = {}
        listed = {document.relpath for document in documents}
        outside = {relpath for relpath, _ in left_out or ()}
        readable: list[Document] = []
        pending: dict[str, Document] = {}
        failed: list[tuple[Document, Exception]] = []
        put: list[Document] = []
        fresh = 0
        try:
            for number, document in enumerate(documents, 1):
                entry = known.get(document.relpath)
                if entry is not None and _current(entry, document):
                    readable.append(document)
                elif not writing:
                    try:
                        _ = document.text
                    except (OSError, NotText) as why:
                        failed.append((document, why))
                        continue
                    readable.append(document)
                    pending[document.relpath] = document
                elif (why := _put(index, document)) is not None:
                    failed.append((document, why))
                else:
                    readable.append(document)
                    put.append(document)
                    fresh += 1
                if progress is not None:
                    progress(number, len(documents))
            if writing:
                for relpath, entry in known.items():
                    if relpath not in listed and relpath not in outside:
                        index.forget(entry)
                from tui.corpus.corpus import left_out_reason

                for relpath, why in left_out or ():
                    entry = known.get(relpath)
                    reason = left_out_reason(why)
                    if entry is None or entry.left_out != reason:
                        _left_out(index, relpath, why)
                if folders is not None:
                    index.set_folders(folders, options)
                committed = index.commit()
                if not committed:  # a full disk: what was indexed is read at each search
                    pending.update((document.relpath, document) for document in put)
                saved = committed and index.path is not None
                if saved and index.rows_written > MANY_ROWS:
                    index.optimize()
            else:
                saved = False
        except BaseException:
            if writing:
                index.rollback()
            raise
        searcher = cls(index, readable, root)
        searcher._pending = pending
        searcher._hidden = {relpath for relpath in known if relpath not in listed}
        reused = len(readable) - fresh - len(pending)
        return searcher, Refresh(fresh, reused, saved, unusable, failed)

    @classmethod
    def quick(
        cls,
        directory: Path | None,
        root: Path,
        options: str,
        inside: str | None = None,
    ) -> tuple[SearchIndex, list[tuple[str, str]], list[str]] | None:
        """The index kept for `root`, when no folder changed since it was last brought up to
        date: the files changed meanwhile indexed again alone (none listed). With the files
        it left out (relative path, why) and the folders' problems. None: list the corpus.
        Documents are made as they are found, with `inside` as the corpus's, their extracted
        texts kept in the store's folder as the corpus keeps them."""
        path = location(directory, root)
        if not path.is_file() or not file_or_nothing(path):
            return None
        index = Index.open(path)
        if index.path is None:
            return None
        index.root = os.path.abspath(root)
        try:
            changed = index.changed_files(options, str(path.parent))
            if changed is None:
                index.close()
                return None
            searcher = cls(index, [], root)
            searcher._on_demand = True
            searcher.inside, searcher.store = inside, directory
            if changed and index.begin():
                put: dict[str, Document] = {}
                for entry in changed:
                    document = searcher._make(entry)
                    if document is None:
                        _left_out(index, entry.relpath, FileNotFoundError("gone"))
                    elif _put(index, document) is None:  # else left out, with why
                        put[entry.relpath] = document
                if not index.commit():  # a full disk: read at each search
                    searcher._pending.update(put)
            elif changed:
                for entry in changed:
                    document = searcher._make(entry)
                    if document is not None:
                        searcher._pending[entry.relpath] = document
            problems = [line for line in (index.meta("problems") or "").split("\n") if line]
            return searcher, index.left_out(), problems
        except sqlite3.DatabaseError:
            index.close()
            return None

    def save_problems(self, problems: list[str]) -> None:
        """Keep what the listing said of folders, for the searches that list none."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            if self._index.begin():
                self._index.set_problems("\n".join(problems))
                self._index.commit()

    def _make(self, entry: Known) -> Document | None:
        """The document of a file the index knows, made from its path (None: it is gone)."""
        from tui.corpus.document import Document

        try:
            document = Document.unread(
                self._root or Path(), entry.path, os.stat(entry.path), relpath=entry.relpath
            )
        except (OSError, NotText):
            return None
        document.relpath, document.id = entry.relpath, entry.doc_id
        if self.store is not None and self.cache is None:  # slow to import: when first needed
            from tui.corpus.extraction_cache import FOLDER, ExtractionCache

            self.cache = ExtractionCache(self.store / FOLDER)
        document.inside, document.cache = self.inside, self.cache
        return document

    def document(self, relpath: str) -> Document | None:
        document = self._pending.get(relpath) or self._by_relpath.get(relpath)
        if document is None and self._on_demand:
            entry = self._index.entry(relpath)
            if entry is not None and entry.left_out is None:
                document = self._make(entry)
                if document is not None:
                    self._by_relpath[relpath] = document
        return document

    def article_count(self) -> int:
        if self._on_demand:
            return self._index.searched_count()
        return len(self.documents)

    # Keeping up with the reader

    def replace(self, document: Document) -> SearchIndex:
        """The index with `document` (reloaded from disk) in place of its old version."""
        return self.refolded([document])

    def refolded(self, fresh: list[Document]) -> SearchIndex:
        """The index with each of `fresh` indexed again, in place of the document of its
        relative path (written to the index file when it can be, else read at each search)."""
        with self._lock:
            fresh = [d for d in fresh if d.relpath in self._by_relpath]
            if not fresh:
                return self
            writing = self._index.begin()
            for document in fresh:
                self._by_relpath[document.relpath] = document
                self._versions[document.relpath] = document.stamp
                if writing and _put(self._index, document) is None:
                    self._pending.pop(document.relpath, None)
                else:
                    self._pending[document.relpath] = document
            if writing and not self._index.commit():  # a full disk: read at each search
                self._pending.update((document.relpath, document) for document in fresh)
            self.documents = [self._by_relpath[d.relpath] for d in self.documents]
        return self

    def stale(self) -> list[Document]:
        """Documents read since at another version than the one indexed: a file changed
        between the corpus being listed and being read."""
        return [
            document
            for document in self.documents
            if document.is_read and document.stamp != self._versions.get(document.relpath)
        ]

    def without(self, ids: set[int]) -> SearchIndex:
        """The index without the documents whose `id()` is in `ids` (left out of the corpus)."""
        with self._lock:
            gone = [d for d in self.documents if id(d) in ids]
            self.documents = [d for d in self.documents if id(d) not in ids]
            for document in gone:
                self._by_relpath.pop(document.relpath, None)
                self._pending.pop(document.relpath, None)
                self._hidden.add(document.relpath)
        return self

    def folded(self, document: Document) -> Folded | None:
        """No folded text is kept: the reader folds the open article itself."""
        return None

    # Searching

    def search(
        self,
        query: str | Searched,
        limit: int | None = None,
        skip: Document | None = None,
        *,
        by_position: bool = True,
        each_match: bool = True,
        within: dict[str, list[tuple[int, int]]] | None = None,
    ) -> Results:
        """Every match of `query` (QueryError when it cannot be searched for), or with
        `each_match` false every passage that holds one, shown by its first; in corpus order
        or (not `by_position`) best first; those of `skip` (the open article, listed apart)
        left out. At most `limit` are read to be shown: past it, each passage the index finds
        counts once (for a query of single words, as many passages as there are). With
        `within` (spans by document id: the places a query's filters keep), only in paragraphs
        overlapping one; a query of filters alone finds the places themselves."""
        if isinstance(query, str):
            from tui.corpus.query import parse  # it builds on this module

            wanted: Searched = parse(query)
        else:
            wanted = query
        with self._lock:
            self._within = within
            try:
                return self._search(
                    wanted, limit, skip.relpath if skip else None, by_position, each_match
                )
            finally:
                self._within = None

    def _search(
        self,
        wanted: Searched,
        limit: int | None,
        skip: str | None,
        by_position: bool,
        each_match: bool,
    ) -> Results:
        match = wanted.fts_match()
        index = self._index
        hidden = set(self._pending) | self._hidden
        if skip is not None:
            hidden.add(skip)
        left_aside = set(index.files_where("relpath", hidden)) if hidden else set()
        kept = None if self._within is None else index.files_where("doc_id", self._within)
        names: dict[int, str | None] = {}

        def searched(file: int) -> bool:
            return file not in left_aside and (kept is None or file in kept)

        def name(file: int) -> str | None:
            if file not in names:
                names[file] = index.relpath(file) if searched(file) else None
            return names[file]

        extra = [
            (relpath, number, 0.0, relpath)
            for relpath, document in sorted(self._pending.items())
            if relpath != skip
            for number in range(len(self._units_of(document)))
        ]
        # (relative path, paragraph, score, what counts it: its file's number in the index)
        candidates: Iterable[tuple[str, int, float, int | str]] | None = None
        within = kept is not None  # the index cannot count what filters keep
        if match is not None:
            batch = None if limit is None or within else 2 * limit + 16
            try:
                if by_position:
                    rows = index.candidates(match, ranked=False)
                else:
                    whole = wanted.fts_match(whole_words=True)
                    rows = _ranked(index, match, whole, batch)
                first = next(rows, None)  # a query FTS5 cannot run fails here
            except sqlite3.OperationalError:
                match = None  # every passage is read
            else:
                found = itertools.chain([first] if first else [], rows)
                if by_position:
                    names.update(
                        (file, relpath)
                        for file, relpath in index.searched().items()
                        if searched(file)
                    )
                candidates = (
                    (relpath, unit, -rank, file)
                    for file, unit, rank in found
                    if (relpath := name(file)) is not None
                )
        if match is None:
            everything = index.searched().items()
            candidates = self._every_passage(
                sorted((relpath, file) for file, relpath in everything if searched(file))
            )
        assert candidates is not None
        if by_position:
            candidates = sorted([*candidates, *extra], key=lambda row: (row[0], row[1]))
        else:
            candidates = itertools.chain(extra, candidates)
        hits: list[Hit] = []
        files: set[int | str] = set()
        total = examined = 0
        unread = {(row[0], row[1]) for row in extra}  # paragraphs the index knows nothing of
        stopped = False
        for relpath, unit, score, file in candidates:
            if limit is not None and len(hits) >= limit and match is not None and not within:
                stopped = True  # the rest counted by the index, not read
                break
            if isinstance(file, int):
                examined += 1  # a row the index counts
            else:
                unread.discard((relpath, unit))
            found_here = self._verified(wanted, relpath, unit, score)
            if not found_here:
                continue
            if not each_match:
                found_here = found_here[:1]
            total += len(found_here)
            files.add(file)
            if limit is None or len(hits) < limit:
                hits.extend(found_here[: None if limit is None else limit - len(hits)])
        documents = len(files)
        if stopped and match is not None:
            rows, counted = index.tally(match, left_aside)
            total += rows - examined
            # Files a row was read from are counted too: only those not in the index are added.
            documents = counted + sum(isinstance(file, str) for file in files)
            for relpath, unit, score, _ in extra:
                if (relpath, unit) not in unread:
                    continue
                found_here = self._verified(wanted, relpath, unit, score)
                if found_here:
                    total += len(found_here) if each_match else 1
                    documents += relpath not in files
                    files.add(relpath)
        return Results(hits, total, documents)

    def passage_number(self, hit: Hit) -> int:
        """The number (from 1) of the passage holding the hit, as the reader cuts them: kept
        in the index once cut (`keep_cuts` saves those cut since)."""
        document = hit.document
        starts: list[int] | None = None
        entry = None if document.relpath in self._pending else self._index.entry(document.relpath)
        if entry is not None and entry.doc_id == document.id:
            starts = self._cuts.get(entry.id) or self._index.cut(entry.id)
        if starts is None:
            starts = [passage.start for passage in document.passages]
            if entry is not None and tuple(document.stamp) == entry.stamp:
                self._cuts[entry.id] = starts
        return max(bisect_right(starts, hit.start), 1)

    def keep_cuts(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._index.keep_cuts(self._cuts)
            self._cuts = {}

    def _units_of(self, document: Document) -> list[tuple[int, int]]:
        units = self._units.get(document.relpath)
        if units is None or units[0] is not document:
            units = self._units[document.relpath] = (document, _units(document))
        return units[1]

    def _every_passage(
        self, files: list[tuple[str, int]]
    ) -> Iterator[tuple[str, int, float, int | str]]:
        for relpath, file in files:
            document = self.document(relpath)
            if document is None:
                continue
            try:
                count = len(self._units_of(document))
            except (OSError, NotText):
                continue
            for number in range(count):
                yield relpath, number, 0.0, file

    def _verified(
        self, wanted: Searched, relpath: str, unit: int, score: float
    ) -> list[Hit] | None:
        """The paragraph's matches, read again from its document; None if none."""
        document = self.document(relpath)
        if document is None:
            return None
        try:
            text = document.text
            units = self._units_of(document)
        except (OSError, NotText):
            return None
        if unit >= len(units):
            return None  # changed since it was indexed
        start, end = units[unit]
        folded = fold_text(text[start:end])
        spans = wanted.spans(folded.text)
        if spans is None:
            return None
        within = None if self._within is None else self._within.get(document.id, [])
        if within is not None:
            within = [(low, high) for low, high in within if low < end and high > start]
            if not within:
                return None
        if not spans:  # filters or exclusions alone: the places kept, or the paragraph whole
            if within is not None:
                return [Hit(document, low, high, score) for low, high in within if low >= start]
            return [Hit(document, start, end, score)]
        hits: list[Hit] = []
        for span in spans:
            low, high = folded.span(*span)
            if hits and start + low < hits[-1].end:  # overlapping words: one match
                last = hits[-1]
                hits[-1] = Hit(document, last.start, max(last.end, start + high), score)
            else:
                hits.append(Hit(document, start + low, start + high, score))
        return hits


def _ranked(
    index: Index, match: str, whole: str | None, batch: int | None
) -> Iterator[tuple[int, int, float]]:
    """The rows `match` finds, best first: those holding the query's words whole (`whole`)
    before those where they only start longer words, each by BM25. Only as many are ranked
    as are read: a first `batch`, the rest only if it ran out."""
    seen: set[tuple[int, int]] = set()
    if whole is not None and whole != match:
        for row in _batched(index, whole, batch):
            seen.add((row[0], row[1]))
            yield row
    for row in _batched(index, match, batch):
        if (row[0], row[1]) not in seen:
            yield row


def _batched(index: Index, match: str, batch: int | None) -> Iterator[tuple[int, int, float]]:
    if batch is None:
        yield from index.candidates(match, ranked=True)
        return
    first = list(index.ranked_rows(match, batch))
    yield from index.located(first)
    if len(first) == batch:  # there may be more: ranked only if they are read
        yield from index.located(index.ranked_rows(match, offset=batch))


def _not_damaged(error: sqlite3.Error) -> bool:
    """Whether the error says the index cannot be written now (a read-only file, another glose
    writing it), not that it is damaged: never a reason to make it again."""
    said = str(error).lower()
    return any(word in said for word in ("readonly", "read-only", "busy", "locked"))


def _units(document: Document) -> list[tuple[int, int]]:
    return [(start, end) for start, end, _ in document.units()]


def _current(entry: Known, document: Document) -> bool:
    """Whether the index holds this version of the document's file."""
    return (
        entry.left_out is None
        and entry.doc_id == document.id
        and entry.stamp == tuple(document.stamp)
        and max(entry.stamp[1], entry.stamp[2]) < entry.read_at - RACY_NS
    )


def _put(index: Index, document: Document) -> Exception | None:
    """Index the document's paragraphs; the reason it was left out when it cannot be read."""
    try:
        text = document.text
        units = document.units()
    except (OSError, NotText) as why:
        _left_out(index, document.relpath, why, document)
        return why
    index.put(
        document.relpath,
        document.id,
        str(document.path),
        document.stamp,
        document.read_at,
        (index_words(text[start:end]) for start, end, _ in units),
    )
    return None


def _left_out(index: Index, relpath: str, why: Exception, document: Document | None = None) -> None:
    from tui.corpus.corpus import left_out_reason
    from tui.corpus.document import file_stamp

    path = str(document.path) if document is not None else ""
    stamp: tuple[int, ...] = ()
    if document is not None and document.stamp:
        stamp = document.stamp
    elif path:
        with contextlib.suppress(OSError):
            stamp = file_stamp(os.stat(path))
    index.put(relpath, relpath, path, stamp, time.time_ns(), (), left_out_reason(why))
