"""Search as a reader means it: case, accents, apostrophes and kinds of space ignored.

`securite` finds `sécurité` and `SÉCURITÉ`, `l'IA` finds `l’IA`, `-` finds `–`, and a space in
the query finds a line break or a non-breaking space in the text. Text is folded one character
at a time, so a match in folded text maps back to exact code-point offsets in the document's
own text.

The corpus index is the folded text of every document, one string, kept in the store directory
(`glose.search`) and refreshed by file: a document whose size, times or inode changed is folded
again, the others are reused. A query is then one `str.find` loop over that string. The saved
index is a cache checked before it is used: its first line holds the SHA-256 of the rest, and
its offsets must fit the text it holds; one that does not check out is built again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import orjson

from tui.corpus.catalog import cache_problem, settled
from tui.corpus.decoding import NotText
from tui.corpus.document import Document, utf8_chunks
from tui.corpus.folding import fold
from tui.regular_files import read_regular_file
from tui.temporaries import remove_stale_temporaries, temporary_beside

INDEX_FILE = "glose.search"
INDEX_FORMAT = "glose.search"
INDEX_VERSION = 6

INDEX_LIMIT_BASE = 16_000_000
INDEX_LIMIT_PER_BYTE = 16
"""A saved index is read no further than this many bytes a byte of its documents, and the
base: folded text and its offsets never come near (and a bigger file is only built again)."""

SNIPPET = 40
"""Characters of context shown on each side of a match."""

QUERY_MAX = 200
"""A longer query is refused: nobody types it, and a pasted page is not a search."""

_SPACE = re.compile(r"\s")

_SEPARATOR = "\x00"
"""Between documents in the index: a query never holds it, so no match spans two documents."""

_SPACES = {
    code: " " for code in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F)
}
_SPACES.update({code: " " for code in range(0x2000, 0x200B)})  # en, em, thin, hair spaces…
_SPACES[0x205F] = _SPACES[0x3000] = " "
_QUOTES = {0x2018: "'", 0x2019: "'", 0x02BC: "'", 0x2032: "'", 0x201C: '"', 0x201D: '"'}
_DASHES = {code: "-" for code in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212)}
"""Hyphens, dashes and minus as typed: `-` finds `–`. (Quotes and dashes folded so, French text
folds to Latin-1 alone: Python keeps it at one byte a character, half the memory of a book.)"""
_LIGATURES = {"œ": "oe", "æ": "ae"}
"""Typed as two letters on most keyboards: `oeuvre` finds `œuvre`."""


class _Folds(dict[int, str]):
    """What each character folds to, worked out the first time it is seen."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _SPACES.get(code) or _QUOTES.get(code) or _DASHES.get(code)
        if folded is None and unicodedata.category(char) == "Cf":
            folded = ""  # soft hyphens and zero-width spaces, invisible in a word
        if folded is None:
            folded = "".join(c for c in fold(char) if not unicodedata.combining(c))
            folded = "".join(_LIGATURES.get(c, c) for c in folded)
        self[code] = folded
        return folded


_FOLDS = _Folds()


class Breaks:
    """(folded offset, original offset) pairs where the one-for-one alignment restarts, in
    order, kept as two arrays of machine integers: a book has one per paragraph, and a tuple
    of two Python ints takes a hundred bytes."""

    __slots__ = ("folded", "original")

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()) -> None:
        self.folded = array("q")
        self.original = array("q")
        for folded_at, original_at in pairs:
            self.add(folded_at, original_at)

    @classmethod
    def of_lists(cls, folded: list[int], original: list[int]) -> Breaks:
        """From the two lists an index file keeps (TypeError, OverflowError or ValueError
        when they are not two lists of as many integers)."""
        if len(folded) != len(original):
            raise ValueError("unpaired breaks")
        breaks = cls()
        breaks.folded, breaks.original = array("q", folded), array("q", original)
        return breaks

    def add(self, folded_at: int, original_at: int) -> None:
        self.folded.append(folded_at)
        self.original.append(original_at)

    def __len__(self) -> int:
        return len(self.folded)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.folded, self.original, strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Breaks):
            return NotImplemented
        return self.folded == other.folded and self.original == other.original

    def __hash__(self) -> int:
        return hash((self.folded.tobytes(), self.original.tobytes()))

    def __repr__(self) -> str:
        return f"Breaks({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Folded:
    """A text folded for search, with what it takes to map offsets back to the original."""

    text: str
    breaks: Breaks = field(default_factory=Breaks)
    """Empty when every character folded to exactly one."""

    def original(self, offset: int) -> int:
        breaks = self.breaks
        if not breaks:
            return offset
        index = bisect_right(breaks.folded, offset) - 1
        if index < 0:
            return offset
        return breaks.original[index] + offset - breaks.folded[index]

    def at_or_before(self, original: int) -> int:
        """A folded offset whose original offset is at most `original` (a place to start a
        search from: nothing at or after `original` lies before it)."""
        original = max(original, 0)
        breaks = self.breaks
        if not breaks:
            return original  # one for one throughout
        # The last alignment that starts strictly before: all folded text before it maps
        # before `original` (an expansion maps several folded characters to one original).
        index = bisect_left(breaks.original, original) - 1
        if index < 0:
            return min(original, breaks.folded[0])  # one for one up to the first break
        # One for one from that break up to the next, whose original is at least `original`.
        ahead = breaks.folded[index] + original - breaks.original[index]
        return min(ahead, breaks.folded[index + 1]) if index + 1 < len(breaks) else ahead

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded `[start, end)` (a match ending inside an expansion,
        `s` of `ß`, takes the whole character)."""
        low = self.original(start)
        return low, max(self.original(end), self.original(end - 1) + 1, low)


FOLD_SLICE = 1 << 18
"""Characters folded at a time."""


def fold_text(text: str) -> Folded:
    """`text` folded for search, one character at a time; a run of spaces (a paragraph
    break, two spaces after a full stop) folds to one, as in a query."""
    # Slice by slice, each cut to one space a run, then joined: folding a book whole holds
    # two or three copies of it at once (`str.translate`, then `re.sub`), by slices one more.
    parts: list[str] = []
    breaks = Breaks()
    start = removed = 0
    while start < len(text):
        end = min(start + FOLD_SLICE, len(text))
        while end < len(text) and _FOLDS[ord(text[end])] == " ":
            end += 1  # no run of spaces across two slices
        piece = text[start:end]
        folded = piece.translate(_FOLDS)
        if len(folded) != len(piece) or any(len(_FOLDS[ord(c)]) != 1 for c in set(piece)):
            return _fold_by_character(text)  # a ligature or a soft hyphen: offsets shift
        for run in _RUN_OF_SPACES.finditer(folded):
            removed += run.end() - run.start() - 1
            breaks.add(start + run.end() - removed, start + run.end())  # what follows the run
        parts.append(_RUN_OF_SPACES.sub(" ", folded) if "  " in folded else folded)
        start = end
    return Folded("".join(parts), breaks)


def fold_words(text: str) -> str:
    """`text` folded as `fold_text` folds it, spaces aside, without the offsets: quicker, for
    matching words in short strings (the article list's titles)."""
    return text.translate(_FOLDS)


def _fold_by_character(text: str) -> Folded:
    pieces: list[str] = []
    breaks = Breaks()
    at = shift = 0  # shift: original offset minus folded offset, as far as known
    spaced = False
    for position, char in enumerate(text):
        piece = _FOLDS[ord(char)]
        if piece == " ":
            if spaced:
                continue  # the run already has its space
            spaced = True
        elif piece:
            spaced = piece.endswith(" ")
        pieces.append(piece)
        for step in range(len(piece)):
            if at + step + shift != position:
                shift = position - (at + step)
                breaks.add(at + step, position)
        at += len(piece)
    if at + shift != len(text):
        breaks.add(at, len(text))
    return Folded("".join(pieces), breaks)


_RUN_OF_SPACES = re.compile(" {2,}")


class QueryError(ValueError):
    """A query that cannot be searched for; the message says why."""


def fold_query(query: str) -> str:
    """The folded query, spaces run together (QueryError when there is nothing to search)."""
    if len(query) > QUERY_MAX:
        raise QueryError(f"A search is at most {QUERY_MAX} characters.")
    folded = "".join(
        char for char in query.translate(_FOLDS) if unicodedata.category(char)[0] != "C"
    )
    folded = " ".join(folded.split())
    if not folded:
        raise QueryError("Type something to search for.")
    return folded


def find_in(folded: Folded, query: str, since: int = 0) -> Iterator[tuple[int, int]]:
    """Original spans of every match of a folded `query` in `folded`, in text order; with
    `since`, those starting at or after that original offset."""
    reached = since
    start = folded.text.find(query, folded.at_or_before(since))
    while start >= 0:
        low, high = folded.span(start, start + len(query))
        if low >= reached:  # `s` twice in the `ss` of one `ß` is one match
            yield low, high
            reached = high
            start = folded.text.find(query, start + len(query))
        else:
            start = folded.text.find(query, start + 1)


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
    """One match: `document.text[start:end]` is the matched text."""

    document: Document
    start: int
    end: int

    def snippet(self, context: int = SNIPPET) -> tuple[str, str, str]:
        return snippet(self.document.text, self.start, self.end, context)


@dataclass(frozen=True, slots=True)
class Results:
    hits: list[Hit]
    """The first matches, in corpus order (at most the limit asked for)."""
    total: int
    """Every match in the corpus."""
    documents: int
    """How many documents hold a match."""


@dataclass(frozen=True, slots=True)
class _Entry:
    relpath: str
    version: tuple[int | str, ...]
    sha256: str
    start: int
    folded_length: int
    breaks: Breaks
    read_at: int

    def key(self) -> _Key:
        return self.relpath, self.version


@dataclass(frozen=True, slots=True)
class _Saved:
    """A folded text the saved index holds, and what tells it is still the file's."""

    folded: Folded
    sha256: str
    read_at: int
    racy: bool
    """Changed too close to when it was read for its times to tell an edit made in the same
    clock tick: its text is hashed before it is trusted (git's "racy" entries)."""


_Key = tuple[str, tuple[int | str, ...]]


def _key(document: Document, stamp: tuple[int, ...] | None = None) -> _Key:
    """Which version of a file the folded text is of, known without reading it: its size,
    times and inode (`stamp`, else the document's), as git tells (an edit that kept its
    modification time, `cp -p`, still changes its change time). A document not from a file
    is known by its text's hash."""
    return document.relpath, (document.stamp if stamp is None else stamp) or (document.sha256,)


@dataclass(frozen=True, slots=True)
class Refresh:
    """What bringing the index up to date took."""

    folded: int
    """Documents folded afresh (new or changed)."""
    reused: int
    """Documents whose folded text was taken from the saved index."""
    saved: bool
    """Whether the index file was written."""
    unusable: str | None = None
    """Why the index file can be neither read nor written (a folder or a named pipe in its
    place): the index is then kept in memory only."""
    left_out: list[tuple[Document, Exception]] = field(default_factory=list)
    """Documents found unreadable or not text as they were read to be folded, and why."""


class SearchIndex:
    """The folded text of every document of a corpus, searchable as one string."""

    def __init__(self, documents: list[Document], folded: list[Folded]) -> None:
        self.documents = documents
        self._folded = folded
        self._hashes: list[str] | None = None
        """Each text's hash when known without reading it again (as the saved index had it)."""
        self._versions = [document.stamp for document in documents]
        """Which version of its file each folded text is of (see `stale`)."""
        self._read_at = [document.read_at for document in documents]
        """When the version folded was read (see `settled`)."""
        self._starts: list[int] = []
        parts: list[str] = []
        at = 0
        for text in folded:
            self._starts.append(at)
            parts.append(text.text)
            at += len(text.text) + len(_SEPARATOR)
        self._text = _SEPARATOR.join(parts)

    @classmethod
    def build(
        cls,
        documents: list[Document],
        directory: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
        *,
        save: bool = True,
    ) -> tuple[SearchIndex, Refresh]:
        """The index of `documents`, reusing what the index saved in `directory` still holds
        and saving it again there when anything changed and `save` allows (a cache: failing
        to save is no error)."""
        path = directory / INDEX_FILE if directory is not None else None
        unusable = cache_problem(path) if path is not None else None
        saved = None
        if path is not None and unusable is None:
            remove_stale_temporaries(path.parent)  # a save a kill cut short
            sizes = sum(document.size for document in documents)
            saved = _load(path, INDEX_LIMIT_BASE + INDEX_LIMIT_PER_BYTE * sizes)
        reusable: dict[_Key, _Saved] = saved or {}
        folded: list[Folded] = []
        hashes: list[str] = []
        fresh = settling = 0
        readable: list[Document] = []
        versions: list[tuple[int, ...]] = []
        read_at: list[int] = []
        left_out: list[tuple[Document, Exception]] = []
        for number, document in enumerate(documents, 1):
            try:
                version = document.stamp  # once: a worker may read the file meanwhile
                entry = reusable.get(_key(document, version))
                when = entry.read_at if entry is not None else 0
                if entry is not None and entry.racy:
                    if entry.sha256 != document.sha256:  # read now to be hashed
                        entry = None
                    else:  # the text read now is the one folded: known as of this reading
                        version, when = document.stamp, document.read_at
                        settling += settled(version, when)
                if entry is None:
                    known = fold_text(document.text)
                    version = document.stamp  # the version read, if it was read just now
                    hashes.append(document.sha256)
                    read_at.append(document.read_at)
                    fresh += 1
                else:
                    known = entry.folded
                    hashes.append(entry.sha256)
                    read_at.append(when)
            except (OSError, NotText) as why:
                left_out.append((document, why))
                continue  # a big corpus is read as it is indexed: the app says what it left out
            readable.append(document)
            folded.append(known)
            # The document may be read later at another version (changed since it was listed).
            versions.append(version)
            if progress is not None:
                progress(number, len(documents))
        documents = readable
        index = cls(documents, folded)
        index._hashes = hashes
        index._versions, index._read_at = versions, read_at
        changed = fresh > 0 or settling > 0 or saved is None or len(saved) != len(documents)
        written = False
        if path is not None and unusable is None and changed and save:
            written = index.save(path)
            unusable = cache_problem(path)  # put there meanwhile
        return index, Refresh(fresh, len(documents) - fresh, written, unusable, left_out)

    def replace(self, document: Document) -> SearchIndex:
        """A new index with `document` (reloaded from disk) in place of its old version."""
        return self.refolded([document])

    def refolded(self, fresh: list[Document]) -> SearchIndex:
        """A new index with each of `fresh` folded again, in place of the document of its id
        (the string of all is joined once, however many there are)."""
        positions = {document.id: position for position, document in enumerate(self.documents)}
        documents, folded = list(self.documents), list(self._folded)
        hashes = list(self._hashes) if self._hashes is not None else None
        versions, read_at = list(self._versions), list(self._read_at)
        changed = False
        for document in fresh:
            position = positions.get(document.id)
            if position is None:
                continue
            documents[position], folded[position] = document, fold_text(document.text)
            versions[position], read_at[position] = document.stamp, document.read_at
            if hashes is not None:
                hashes[position] = document.sha256
            changed = True
        if not changed:
            return self
        index = SearchIndex(documents, folded)
        index._hashes, index._versions, index._read_at = hashes, versions, read_at
        return index

    def stale(self) -> list[Document]:
        """Documents read since at another version than the one folded: a file changed
        between the corpus being listed and being read, its folded text reused meanwhile."""
        return [
            document
            for document, version in zip(self.documents, self._versions, strict=True)
            if document.is_read and document.stamp != version
        ]

    def without(self, ids: set[int]) -> SearchIndex:
        """A new index without the documents whose `id()` is in `ids` (left out of the corpus)."""
        kept = [i for i, document in enumerate(self.documents) if id(document) not in ids]
        index = SearchIndex([self.documents[i] for i in kept], [self._folded[i] for i in kept])
        if self._hashes is not None:
            index._hashes = [self._hashes[i] for i in kept]
        index._versions = [self._versions[i] for i in kept]
        index._read_at = [self._read_at[i] for i in kept]
        return index

    def folded(self, document: Document) -> Folded | None:
        for position, known in enumerate(self.documents):
            if known is document:
                return self._folded[position]
        return None

    def search(self, query: str, limit: int | None = None, skip: Document | None = None) -> Results:
        """Every match of `query` (QueryError when it is empty or too long), in corpus order;
        those in `skip` (the open article, listed apart) are not counted."""
        wanted = fold_query(query)
        hits: list[Hit] = []
        total = 0
        seen: set[int] = set()
        last, reached = -1, 0
        text, starts = self._text, self._starts
        at = text.find(wanted)
        while at >= 0 and (limit is None or len(hits) < limit):
            position = bisect_right(starts, at) - 1
            if self.documents[position] is skip:
                at = text.find(wanted, starts[position] + len(self._folded[position].text))
                continue
            local = at - starts[position]
            start, end = self._folded[position].span(local, local + len(wanted))
            if position != last or start >= reached:  # as in `find_in`
                total += 1
                seen.add(position)
                hits.append(Hit(self.documents[position], start, end))
                last, reached = position, end
                at = text.find(wanted, at + len(wanted))
            else:
                at = text.find(wanted, at + 1)
        if at >= 0:
            # Past the limit, matches are only counted, by `str.count` document by document:
            # a one-letter query in a big corpus answers at once. (Counted so, `s` twice in
            # one `ß` counts twice: a count, not a list.)
            position = bisect_right(starts, at) - 1
            for number in range(position, len(self.documents)):
                if self.documents[number] is skip:
                    continue
                folded = self._folded[number].text
                found = folded.count(wanted, at - starts[number] if number == position else 0)
                if found:
                    total += found
                    seen.add(number)
        return Results(hits, total, len(seen))

    def save(self, path: Path) -> bool:
        """Write the index beside the store (temporary file, rename); False when it cannot be,
        or when something other than a file is in its place (never replaced)."""
        if cache_problem(path) is not None:
            return False
        hashes = self._hashes or [document.sha256 for document in self.documents]
        documents = orjson.dumps(
            [
                {
                    "relpath": document.relpath,
                    "version": _key(document, version)[1],  # of the text folded
                    "read_at": read_at,
                    "sha256": sha256,
                    "start": start,
                    "folded_length": len(folded.text),
                    # Two lists, read back into arrays at C speed: 10,000 files have 170,000.
                    "folded_at": folded.breaks.folded.tolist(),
                    "original_at": folded.breaks.original.tolist(),
                }
                for document, folded, start, sha256, version, read_at in zip(
                    self.documents,
                    self._folded,
                    self._starts,
                    hashes,
                    self._versions,
                    self._read_at,
                    strict=True,
                )
            ]
        )
        # The first line vouches for the rest: the documents' line, then the folded text.
        digest = hashlib.sha256(documents)
        digest.update(b"\n")
        for chunk in utf8_chunks(self._text):  # not a second copy at once
            digest.update(chunk)
        header = {
            "format": INDEX_FORMAT,
            "version": INDEX_VERSION,
            "unicode": unicodedata.unidata_version,  # folding follows Python's Unicode tables
            "sha256": digest.hexdigest(),
        }
        try:
            handle, temporary = temporary_beside(path)
        except OSError:
            return False
        with contextlib.suppress(OSError):  # readable by whoever may read the store beside it
            os.fchmod(handle, (path.parent / "glose.json").stat().st_mode & 0o666)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(orjson.dumps(header) + b"\n" + documents + b"\n")
                for chunk in utf8_chunks(self._text):
                    out.write(chunk)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return False
        return True


def _load(path: Path, limit: int) -> dict[_Key, _Saved] | None:
    """The folded texts a saved index holds, by document key; None when there is none or it
    cannot be trusted (it is only a cache: it is then built again)."""
    try:
        raw = read_regular_file(path, limit=limit).data
        head_end = raw.find(b"\n")
        if head_end < 0:
            return None
        header: Any = orjson.loads(raw[:head_end])
        if (
            not isinstance(header, dict)
            or header.get("format") != INDEX_FORMAT
            or header.get("version") != INDEX_VERSION
            or header.get("unicode") != unicodedata.unidata_version
        ):
            return None
        rest = memoryview(raw)[head_end + 1 :]
        if hashlib.sha256(rest).hexdigest() != header.get("sha256"):
            return None  # damaged, or cut short: not what glose wrote
        documents_end = raw.find(b"\n", head_end + 1)
        if documents_end < 0:
            return None
        records = orjson.loads(raw[head_end + 1 : documents_end])
        text = raw[documents_end + 1 :].decode("utf-8", "surrogatepass")
        del raw, rest
        if not isinstance(records, list):
            return None
        found: dict[_Key, _Saved] = {}
        at = 0
        for entry in _entries(records):
            # Documents follow one another, a separator between: each where the last ended.
            if entry.start != at or entry.folded_length < 0 or not _fits(entry):
                return None
            piece = text[entry.start : entry.start + entry.folded_length]
            if len(piece) != entry.folded_length:
                return None
            at = entry.start + entry.folded_length + len(_SEPARATOR)
            # Hashed before it is trusted unless it was read well after it last changed.
            racy = not (_is_stamp(entry.version) and settled(entry.version, entry.read_at))
            found[entry.key()] = _Saved(
                Folded(piece, entry.breaks), entry.sha256, entry.read_at, racy
            )
        if max(at - len(_SEPARATOR), 0) != len(text):
            return None
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return None


def _is_stamp(version: tuple[int | str, ...]) -> bool:
    return len(version) == 4 and all(type(part) is int for part in version)


def _fits(entry: _Entry) -> bool:
    """Whether the entry's offsets are in order and within its folded text."""
    folded, original = entry.breaks.folded, entry.breaks.original
    if not folded:
        return True
    if folded[0] < 0 or original[0] < 0 or folded[-1] > entry.folded_length:
        return False
    return all(a <= b for a, b in pairwise(folded)) and all(a <= b for a, b in pairwise(original))


def _entries(records: Iterable[Any]) -> Iterator[_Entry]:
    for record in records:
        breaks = Breaks.of_lists(record["folded_at"], record["original_at"])
        version = tuple(v if isinstance(v, str) else int(v) for v in record["version"])
        yield _Entry(
            str(record["relpath"]),
            version,
            str(record["sha256"]),
            int(record["start"]),
            int(record["folded_length"]),
            breaks,
            int(record["read_at"]),
        )
