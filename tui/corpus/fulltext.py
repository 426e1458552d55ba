"""The corpus's full-text index: SQLite's FTS5 (public domain, in Python's standard library).

One row per paragraph of every document (its units, the reader's cut before sentences), its
words folded as search folds them and then tokenized by `unicode61`. The table keeps no text
(`content=''`), only which paragraph holds which word where (positions are what BM25 ranks by
and phrases need); a file's paragraphs are rows numbered one after the other from its first,
which starts a block of numbers of its own (see `BLOCK_BITS`).
The exact matches and their snippets come from reading the few documents found again
(`tui.corpus.search`).

It is a cache, never the record of anything: kept beside the store when there is one, else in
the user's cache folder keyed by the corpus's real path; made again whenever it is missing,
damaged or of another version, and brought up to date file by file (a file's size, times and
inode tell it changed). Every change is one SQLite transaction: a kill leaves the index as it
was. A second glose writing it at the same time makes the first search without saving.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.corpus.watching import FolderStamp, folder_stamp

INDEX_FILE = "glose.search"
"""The index's file in the store folder, or in its cache folder."""

VERSION = 8
"""Bumped whenever what is indexed, or how, changes: an index of another version is remade."""

BLOCK_BITS = 5
"""A file's rows are numbered from a multiple of `2 ** BLOCK_BITS`, so that a row's number
tells its file (`rowid >> BLOCK_BITS`, through the blocks table), in SQL as in Python; a
longer file takes several blocks. Small blocks keep the gaps between row numbers small, and
the index stores each gap in as few bytes as it needs."""

BLOCK = 1 << BLOCK_BITS

_STAT_FROM_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")

LOOKED_UP_ALONE = 256
"""Blocks looked up one by one; past these, every block is read at once."""

RACY_NS = 2_000_000_000
"""As the catalog's: a file changed this close before it was read is read again."""

BUSY_SECONDS = 0.2
"""How long to wait for another glose writing the index before searching without saving."""

STALE_SHARE = 1
"""Paragraph rows left over from files indexed again (the table keeps no text to delete them
by) are dropped, by indexing everything again, once there are this many per live row."""

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(
    id INTEGER PRIMARY KEY, relpath TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
    path BLOB NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, read_at INTEGER NOT NULL,
    first_row INTEGER NOT NULL, units INTEGER NOT NULL, left_out TEXT
);
CREATE TABLE blocks(block INTEGER PRIMARY KEY, file INTEGER NOT NULL);
CREATE TABLE cuts(file INTEGER PRIMARY KEY, starts BLOB NOT NULL);
CREATE TABLE folders(
    path BLOB PRIMARY KEY, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE words USING fts5(
    text, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
"""


def cache_folder() -> Path:
    """Where indexes of corpora without a store are kept: `$XDG_CACHE_HOME/glose/search`."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    home = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return home / "glose" / "search"


def location(store: Path | None, root: Path) -> Path:
    """The index file: beside the store when `store` holds one, else in the cache folder under
    a name of the corpus's real path (two paths to one folder share an index)."""
    if store is not None and (store / "glose.json").is_file():
        return store / INDEX_FILE
    real = os.path.realpath(root)
    import hashlib  # slow to import: only for a corpus without a store

    key = hashlib.sha256(os.fsencode(real)).hexdigest()[:24]
    return cache_folder() / key / INDEX_FILE


_KNOWN_COLUMNS = (
    "id, relpath, doc_id, path, size, mtime_ns, ctime_ns, ino, read_at, units, left_out"
)


@dataclass(frozen=True, slots=True)
class Known:
    """A file as the index knows it."""

    id: int
    relpath: str
    doc_id: str
    path: str
    stamp: tuple[int, int, int, int]
    read_at: int
    units: int
    left_out: str | None


class Index:
    """An open index: which files it holds, at which version, and their paragraphs' words."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path | None, *, writable: bool = True
    ) -> None:
        self.connection = connection
        self.writable = writable
        """False: opened read-only (a second glose); changes are never written."""
        self.path = path
        """None: kept in memory only (no place to keep it)."""
        self.rows_written = 0
        """Paragraph rows written since it was opened (what tests count)."""
        self.files_indexed = 0
        """Files indexed since it was opened."""
        self.root: str | None = None
        """The corpus's folder: paths in it are kept relative to it (a tenth of the index)."""
        self._entries: dict[str, Known] = {}
        """Files looked up by their relative path, kept until the next change."""
        self._rows: dict[int, tuple[int, int, int] | None] | None = None
        """Blocks of row numbers looked up: their file's id, first row and rows (see
        `locate`); None for a block no file claims."""

    # Opening

    @classmethod
    def open(cls, path: Path | None, *, writable: bool = True) -> Index:
        """The index at `path`, made again (empty) when it is missing, damaged or of another
        version; in memory when `path` is None or nothing can be kept there. Never raises."""
        if path is not None and file_or_nothing(path):
            try:
                return cls._open_file(path, writable=writable)
            except (sqlite3.Error, OSError):
                pass  # a busy or unwritable place: kept in memory this time
        connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        connection.executescript(_SCHEMA + _meta_script())
        return cls(connection, None)

    @classmethod
    def _open_file(cls, path: Path, *, writable: bool) -> Index:
        if not writable:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            connection = _connect(uri, uri=True)
            if not _valid(connection):
                connection.close()
                raise sqlite3.DatabaseError("no usable index to read")
            return cls(connection, path, writable=False)
        connection = _connect(str(path))
        if _valid(connection):
            return cls(connection, path)
        connection.close()
        return cls.remade(path)

    @classmethod
    def remade(cls, path: Path) -> Index:
        """A new, empty index at `path` in place of whatever is there (damaged, or of another
        glose); sqlite3.Error or OSError when it cannot be made."""
        for stale in (path, path.with_name(path.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        connection = _connect(str(path))
        try:
            connection.executescript("BEGIN IMMEDIATE;" + _SCHEMA + _meta_script() + "COMMIT;")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            if not _valid(connection):  # unless another glose made it meanwhile
                connection.close()
                raise
        return cls(connection, path)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()

    # What it knows

    def known(self) -> dict[str, Known]:
        rows = self.connection.execute(f"SELECT {_KNOWN_COLUMNS} FROM files")
        return {row[1]: self._known(row) for row in rows}

    def _full(self, path: bytes) -> str:
        """A path as kept (bytes: a name need not be UTF-8), whole again."""
        name = os.fsdecode(path)
        if self.root is None or not name or name.startswith(os.sep):
            return name
        return f"{self.root}{os.sep}{name}"

    def entry(self, relpath: str) -> Known | None:
        known = self._entries.get(relpath)
        if known is None:
            row = self.connection.execute(
                f"SELECT {_KNOWN_COLUMNS} FROM files WHERE relpath = ?", (relpath,)
            ).fetchone()
            if row is None:
                return None
            known = self._entries[relpath] = self._known(row)
        return known

    def _known(self, row: tuple) -> Known:
        return Known(*row[:3], self._full(row[3]), (row[4], row[5], row[6], row[7]), *row[8:])

    def _entries_of(self, files: set[int]) -> list[Known]:
        """The files of these numbers, in the order of their relative paths."""
        wanted = sorted(files)
        found: list[Known] = []
        for at in range(0, len(wanted), 500):
            part = wanted[at : at + 500]
            marks = ", ".join("?" * len(part))
            found += [
                self._known(row)
                for row in self.connection.execute(
                    f"SELECT {_KNOWN_COLUMNS} FROM files WHERE id IN ({marks})", part
                )
            ]
        return sorted(found, key=lambda known: known.relpath)

    def searched(self) -> dict[int, str]:
        """The relative path of each file searched (not left out), by its number."""
        return dict(self.connection.execute("SELECT id, relpath FROM files WHERE left_out IS NULL"))

    def files_where(self, column: str, values: Iterable[str]) -> dict[int, str]:
        """The relative path of each file searched whose `column` (`relpath` or `doc_id`) is
        one of `values`, by its number."""
        assert column in ("relpath", "doc_id")
        wanted = list(values)
        found: dict[int, str] = {}
        for at in range(0, len(wanted), 500):
            part = wanted[at : at + 500]
            marks = ", ".join("?" * len(part))
            found.update(
                self.connection.execute(
                    f"SELECT id, relpath FROM files WHERE {column} IN ({marks}) "
                    "AND left_out IS NULL",
                    part,
                )
            )
        return found

    def relpath(self, file: int) -> str | None:
        """The relative path of a file searched, by its number (what it knows of it kept)."""
        row = self.connection.execute(
            f"SELECT {_KNOWN_COLUMNS} FROM files WHERE id = ? AND left_out IS NULL", (file,)
        ).fetchone()
        if row is None:
            return None
        known = self._entries[row[1]] = self._known(row)
        return known.relpath

    def searched_count(self) -> int:
        (count,) = self.connection.execute(
            "SELECT count(*) FROM files WHERE left_out IS NULL"
        ).fetchone()
        return count

    def left_out(self) -> list[tuple[str, str]]:
        """(relative path, why) of each file left out, in order."""
        return list(
            self.connection.execute(
                "SELECT relpath, left_out FROM files WHERE left_out IS NOT NULL ORDER BY relpath"
            )
        )

    def meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def changed_files(self, options: str, own_folder: str | None) -> list[Known] | None:
        """The files that changed since they were indexed, found by their stamps alone; None
        when a folder changed (a file added, removed or renamed) or the corpus was never
        listed with these `options`: the corpus must then be listed again."""
        if self.meta("listed") != options:
            return None
        own = os.fsencode(own_folder) if own_folder is not None else None
        # A folder's change time and inode too: a chmod that makes it readable moves no mtime.
        for folder, *stamp in self.connection.execute(
            "SELECT path, mtime_ns, ctime_ns, ino FROM folders"
        ):
            if folder == own:
                continue  # the index's own writes change it
            try:
                if folder_stamp(os.stat(folder)) != tuple(stamp):
                    return None
            except OSError:
                return None
        changed: list[int] = []
        stat = os.stat
        # Files changed as they were read are read again (their times may hide an edit).
        racy = self.connection.execute(
            "SELECT id FROM files WHERE max(mtime_ns, ctime_ns) >= read_at - ?", (RACY_NS,)
        ).fetchall()
        rows = self.connection.execute("SELECT path, ctime_ns, size, ino, mtime_ns, id FROM files")
        folder = self.root or os.curdir
        root: int | None = None
        try:
            # Paths are kept relative to the root: looked up from it, not from `/` each time
            # (where the system can; elsewhere joined to it).
            if _STAT_FROM_FOLDER:
                root = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return None
        prefix = os.fsencode(folder + os.sep)
        try:
            for path, ctime_ns, size, ino, mtime_ns, file in rows:
                if not path:
                    continue  # left out before it could be found (listed again anyway)
                if root is not None:
                    status = stat(path, dir_fd=root)
                else:
                    status = stat(path if os.path.isabs(path) else prefix + path)
                # The change time moves with any write, chmod or rename; utime cannot set it.
                if (
                    status.st_ctime_ns != ctime_ns
                    or status.st_size != size
                    or status.st_ino != ino
                    or status.st_mtime_ns != mtime_ns
                ):
                    changed.append(file)
        except OSError:
            return None
        finally:
            if root is not None:
                os.close(root)
        changed.extend(file for (file,) in racy)
        return self._entries_of(set(changed))

    # Writing

    def begin(self) -> bool:
        """Start a change; False when another glose is writing (search without saving)."""
        if not self.writable:
            return False
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        return True

    def commit(self) -> bool:
        try:
            self.connection.execute("COMMIT")
        except sqlite3.Error:
            self.rollback()
            return False
        return True

    def rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.execute("ROLLBACK")

    def forget(self, known: Known) -> None:
        """Drop a file (its paragraphs' words stay in the table, of a file no longer there)."""
        self._stale(known.id)
        self._unclaim(known.id)
        self.connection.execute("DELETE FROM files WHERE id = ?", (known.id,))
        self.connection.execute("DELETE FROM cuts WHERE file = ?", (known.id,))
        self._rows = None
        self._entries = {}

    def _unclaim(self, file_id: int) -> None:
        """The file's blocks of row numbers no longer name it: its rows left stay uncounted."""
        self.connection.execute(
            f"DELETE FROM blocks WHERE block BETWEEN (SELECT first_row >> {BLOCK_BITS} FROM "
            f"files WHERE id = ?1) AND (SELECT (first_row + units - 1) >> {BLOCK_BITS} FROM "
            "files WHERE id = ?1)",
            (file_id,),
        )

    def _stale(self, file_id: int) -> None:
        self.connection.execute(
            "UPDATE meta SET value = value + (SELECT units FROM files WHERE id = ?) "
            "WHERE key = 'stale'",
            (file_id,),
        )

    def put(
        self,
        relpath: str,
        doc_id: str,
        path: str,
        stamp: tuple[int, ...],
        read_at: int,
        paragraphs: Iterable[str] = (),
        left_out: str | None = None,
    ) -> None:
        """Index one file's paragraphs' words, in place of what was known of it."""
        connection = self.connection
        row = connection.execute("SELECT id FROM files WHERE relpath = ?", (relpath,)).fetchone()
        if row is not None:
            self._stale(row[0])
            self._unclaim(row[0])
            connection.execute("DELETE FROM files WHERE id = ?", (row[0],))
            connection.execute("DELETE FROM cuts WHERE file = ?", (row[0],))
        size, mtime_ns, ctime_ns, ino = (*stamp, 0, 0, 0, 0)[:4]
        if path:  # as the corpus was named (maybe from the current folder): kept whole
            path = os.path.abspath(path)
        if self.root is not None and path.startswith(self.root + os.sep):
            path = path[len(self.root) + 1 :]
        kept = os.fsencode(path)
        cursor = connection.execute(
            "INSERT INTO files(relpath, doc_id, path, size, mtime_ns, ctime_ns, ino, read_at, "
            "first_row, units, left_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)",
            (relpath, doc_id, kept, size, mtime_ns, ctime_ns, ino, read_at, left_out),
        )
        (first,) = connection.execute(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_row'"
        ).fetchone()
        first = -(-first // BLOCK) * BLOCK  # a block's start
        rows = [(first + number, words) for number, words in enumerate(paragraphs)]
        connection.executemany("INSERT INTO words(rowid, text) VALUES (?, ?)", rows)
        connection.execute(
            "UPDATE files SET first_row = ?, units = ? WHERE id = ?",
            (first, len(rows), cursor.lastrowid),
        )
        # Numbers are never given twice: rows of a file indexed again stay unclaimed.
        blocks = max(1, -(-len(rows) // BLOCK))
        if rows:
            connection.executemany(
                "INSERT INTO blocks VALUES (?, ?)",
                [((first >> BLOCK_BITS) + n, cursor.lastrowid) for n in range(blocks)],
            )
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'next_row'", (str(first + blocks * BLOCK),)
        )
        self.rows_written += len(rows)
        self._rows = None
        self._entries = {}
        self.files_indexed += 1

    def set_folders(self, folders: Iterable[tuple[str, FolderStamp]], options: str) -> None:
        self.connection.execute("DELETE FROM folders")
        self.connection.executemany(
            "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?)",
            ((os.fsencode(folder), *stamp) for folder, stamp in folders),
        )
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('listed', ?)", (options,))

    def set_problems(self, problems: str) -> None:
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('problems', ?)", (problems,))

    def too_stale(self) -> bool:
        """Whether rows left over outnumber the live ones (then the index is made again)."""
        stale = int(self.meta("stale") or 0)
        if stale < 1000:
            return False
        (live,) = self.connection.execute("SELECT total(units) FROM files").fetchone()
        return stale > STALE_SHARE * live

    def clear(self) -> None:
        """Empty it (in a change begun), to index everything again."""
        connection = self.connection
        for table in ("files", "folders", "cuts", "blocks"):
            connection.execute(f"DELETE FROM {table}")
        connection.execute("INSERT INTO words(words) VALUES ('delete-all')")
        self._rows = None
        self._entries = {}
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'stale'")
        connection.execute("DELETE FROM meta WHERE key = 'listed'")

    # Reading

    def candidates(
        self, match: str, *, ranked: bool = True, limit: int | None = None
    ) -> Iterator[tuple[int, int, float]]:
        """(file id, paragraph number, score) of each row that `match` (an FTS5 query)
        finds, best first (lower BM25 scores are better, ties in row order) or in the table's
        order, rows of files gone left out; the first `limit` rows only when given.
        sqlite3.Error when the query is one FTS5 cannot run."""
        if ranked:
            return self.located(self.ranked_rows(match, limit))
        rows = self.connection.execute("SELECT rowid, 0.0 FROM words WHERE words MATCH ?", (match,))
        return self.located(rows)

    def ranked_rows(
        self, match: str, limit: int | None = None, offset: int = 0
    ) -> Iterator[tuple[int, float]]:
        """(row, score) of the rows `match` finds, best first, ties in row order: `limit` of
        them from the `offset`th, or all the rest."""
        return self.connection.execute(
            "SELECT rowid, rank FROM words WHERE words MATCH ? ORDER BY rank, rowid "
            "LIMIT ? OFFSET ?",
            (match, -1 if limit is None else limit, offset),
        )

    def located(self, rows: Iterable[tuple[int, float]]) -> Iterator[tuple[int, int, float]]:
        """(file id, paragraph number, score) of each row, rows of files gone left out."""
        locate = self.locate
        for rowid, rank in rows:
            found = locate(rowid)
            if found is not None:
                yield found[0], found[1], rank

    def locate(self, row: int) -> tuple[int, int] | None:
        """(file id, paragraph number) of a row; None for a row of a file indexed again."""
        block = row >> BLOCK_BITS
        if self._rows is None:
            self._rows = {}
        if block not in self._rows:
            if len(self._rows) == LOOKED_UP_ALONE:  # many files: all at once
                self._rows.update(
                    (found[0], found[1:])
                    for found in self.connection.execute(
                        "SELECT block, file, first_row, units FROM blocks "
                        "JOIN files ON files.id = blocks.file"
                    )
                )
                self._rows.setdefault(block, None)
            else:
                found = self.connection.execute(
                    "SELECT file, first_row, units FROM blocks JOIN files ON files.id = "
                    "blocks.file WHERE block = ?",
                    (block,),
                ).fetchone()
                self._rows[block] = found
        where = self._rows.get(block)
        if where is None:
            return None
        file, first, units = where
        return (file, row - first) if 0 <= row - first < units else None

    def optimize(self) -> None:
        """Merge the table's pieces into one, and give back the space freed (after a build)."""
        with contextlib.suppress(sqlite3.Error):
            if self.begin():
                self.connection.execute("INSERT INTO words(words) VALUES ('optimize')")
                self.commit()
            (free,) = self.connection.execute("PRAGMA freelist_count").fetchone()
            (pages,) = self.connection.execute("PRAGMA page_count").fetchone()
            if self.path is not None and free > pages // 20:
                self.connection.execute("VACUUM")

    def cut(self, file: int) -> list[int] | None:
        """Where each of a file's passages starts, as the reader cuts them, if kept."""
        row = self.connection.execute("SELECT starts FROM cuts WHERE file = ?", (file,)).fetchone()
        if row is None:
            return None
        starts = array("q")
        starts.frombytes(row[0])
        return starts.tolist()

    def keep_cuts(self, cuts: dict[int, list[int]]) -> None:
        """Keep where passages start in these files (cutting sentences takes a while)."""
        if not cuts or not self.begin():
            return
        self.connection.executemany(
            "INSERT OR REPLACE INTO cuts VALUES (?, ?)",
            [(file, array("q", starts).tobytes()) for file, starts in cuts.items()],
        )
        self.commit()

    def tally(self, match: str, leaving: Iterable[int] = ()) -> tuple[int, int]:
        """(rows, files) that `match` finds, those of the files numbered in `leaving` left
        out: counted by SQLite, a row's file told by its block."""
        left = list(leaving)
        marks = ", ".join("?" * len(left))
        (rows, files) = self.connection.execute(
            "SELECT total(found.rows), count(DISTINCT blocks.file) FROM (SELECT rowid >> "
            f"{BLOCK_BITS} AS block, count(*) AS rows FROM words WHERE words MATCH ? GROUP BY 1)"
            f" AS found JOIN blocks USING (block) WHERE blocks.file NOT IN ({marks})",
            (match, *left),
        ).fetchone()
        return int(rows), files


def file_or_nothing(path: Path) -> bool:
    """Whether a file, or nothing, is at `path` (a folder or a pipe there is left alone)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return True


def _connect(database: str, *, uri: bool = False) -> sqlite3.Connection:
    connection = sqlite3.connect(
        database, timeout=BUSY_SECONDS, isolation_level=None, uri=uri, check_same_thread=False
    )
    # A cache: a kill mid-change is undone from the journal, and only a power cut could
    # leave it damaged (then made again), so no change waits for the disk.
    with contextlib.suppress(sqlite3.Error):
        connection.execute("PRAGMA synchronous = OFF")
    return connection


def _valid(connection: sqlite3.Connection) -> bool:
    """Whether the file is an index of this version (sqlite3 errors: damaged, not one)."""
    try:
        rows = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        connection.execute("SELECT count(*) FROM words WHERE words MATCH 'a'").fetchone()
        connection.execute("SELECT max(units) FROM files").fetchone()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise  # another glose writing it: not damaged, never made again
        return False
    except sqlite3.Error:
        return False
    return rows.get("version") == str(VERSION) and rows.get("unicode") == (
        unicodedata.unidata_version
    )


def _meta_script() -> str:
    return (
        f"INSERT INTO meta VALUES ('version', '{VERSION}'), "
        f"('unicode', '{unicodedata.unidata_version}'), ('stale', '0'), ('next_row', '1');"
    )
