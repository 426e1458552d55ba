"""The corpus: every text file (`*.txt`, `*.md`) and document (web page, PDF, EPUB, Word,
OpenDocument) under a directory, as documents in path order."""

from __future__ import annotations

import bisect
import os
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tui.corpus.catalog import Catalog
from tui.corpus.decoding import NotText
from tui.corpus.document import (
    LINK_OUTSIDE,
    Document,
    NotRead,
    document_id,
    file_stamp,
    former_name,
    is_inside,
    name_text,
)
from tui.corpus.extract import SUFFIXES, NotExtracted
from tui.corpus.extraction_cache import FOLDER as CACHE_FOLDER
from tui.corpus.extraction_cache import ExtractionCache
from tui.corpus.watching import (
    Folders,
    FolderStamp,
    Identity,
    ListingChanges,
    folder_stamp,
    identity_of,
    listing_changes,
)
from tui.text import counted

TEXT_SUFFIXES = (".txt", ".md", *SUFFIXES)
"""The suffixes of the files the corpus lists: plain text, and the documents text is
extracted from."""


class CorpusError(Exception):
    """The corpus directory cannot be used; the message names it and says why."""


NOT_TEXT_REASONS = ("NUL bytes, so binary data", "mostly unprintable characters")
"""Reasons too ordinary to repeat in the notice that lists files left out."""


def walk_text_files(
    root: Path,
    problems: list[str] | None = None,
    inside: str | None = None,
    folders: dict[str, FolderStamp] | None = None,
) -> Iterator[tuple[str, str]]:
    """(relative name, path) of each text file under `root`, one at a time in the order of
    their relative names; hidden entries skipped.

    Each folder's entries are sorted with a folder's name read as `name/`: walked depth
    first, the files then come in the order of their whole relative names, so a corpus can
    be shown from its first files while the rest are listed. Symlinked folders are followed,
    each real folder once, so a link loop ends the walk; with `inside` (a real path), only
    those that stay in that folder. Folders that cannot be read, or are not followed, are
    named in `problems`. The walk keeps its own stack: a tree of any depth is walked.
    `folders` gets the stamp of each folder walked, taken before it is read.
    """
    seen: set[tuple[int, int]] = set()

    def entries(directory: str, prefix: str) -> list[tuple[str, str, bool]] | None:
        """The folder's (sort key, name, is a folder), sorted; None if already walked."""
        try:
            status = os.stat(directory)
            if (status.st_dev, status.st_ino) in seen:
                return None
            seen.add((status.st_dev, status.st_ino))
            if folders is not None:
                folders[directory] = folder_stamp(status)
            found = []
            with os.scandir(directory) as listing:
                for entry in listing:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    try:
                        is_folder = entry.is_dir()  # through a symlink too
                    except OSError:
                        is_folder = False
                    leaves = is_folder and inside is not None and entry.is_symlink()
                    if leaves and not is_inside(entry.path, inside):
                        if problems is not None:
                            where = prefix + name_text(name)
                            problems.append(f"folder {where}: {LINK_OUTSIDE}; left out")
                        continue
                    if is_folder:
                        found.append((name_text(name) + "/", name, True))
                    elif name.lower().endswith(TEXT_SUFFIXES):
                        found.append((name_text(name), name, False))
        except OSError as error:
            if problems is not None:
                where = prefix.rstrip("/") or str(root)
                problems.append(f"folder {where}: {error.strerror or error}")
            return None
        found.sort()
        return found

    top = entries(str(root), "")
    stack = [(iter(top), "", str(root))] if top is not None else []
    while stack:
        listing, prefix, directory = stack[-1]
        item = next(listing, None)
        if item is None:
            stack.pop()
            continue
        key, name, is_folder = item
        path = os.path.join(directory, name)
        if not is_folder:
            yield prefix + key, path
        elif (listed := entries(path, prefix + key)) is not None:
            stack.append((iter(listed), prefix + key, path))


def left_out_notice(not_text: list[tuple[str, NotText]]) -> str:
    """One notice for every file left out: a folder of scans must not bury the screen. Files
    that are all binary are said as not text; otherwise each says why (a link, a pipe)."""
    count = counted(len(not_text), "file")
    if all(str(why) in NOT_TEXT_REASONS for _, why in not_text):
        verb = "is" if len(not_text) == 1 else "are"
        return f"Left out {count} that {verb} not text: {', '.join(r for r, _ in not_text)}"
    named = ", ".join(f"{relpath} ({left_out_reason(why)})" for relpath, why in not_text)
    return f"Left out {count}: {named}"


def left_out_reason(why: Exception) -> str:
    """Why a file was left out, in a few words ("not text", "a named pipe (FIFO), not a file")."""
    if str(why) in NOT_TEXT_REASONS:
        return "not text"
    if isinstance(why, NotExtracted):
        return str(why).removeprefix("is ")  # said of the file: "an encrypted PDF: …"
    return (why.strerror if isinstance(why, OSError) else None) or str(why)


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
        self.left_out: list[tuple[str, Exception]] = []
        """Each file found but left out as it was listed, and why (NotText or OSError)."""
        self.folder_problems: list[str] = []
        """The sentences of `problems` about folders, not files (a folder that cannot be read,
        a link to a folder outside the corpus): for who says the files left out itself."""
        self._file_problems: list[tuple[str, str]] = []
        """The sentences of `problems` about one file each, with its relative path."""
        self._by_id = {document.id: document for document in documents}
        self._listing: _Listing | None = None
        """The files still to list (see `open`'s `first`)."""
        self.extraction_cache: ExtractionCache | None = None
        """Where the texts extracted from documents are kept (the store's), if anywhere."""
        self._lister: _Listing | None = None
        """What listed the corpus, kept to list it again when its folders change."""

    @classmethod
    def open(
        cls,
        root: Path | str,
        catalog: Catalog | None = None,
        *,
        first: int | None = None,
        until: str | None = None,
        follow_links_outside: bool = False,
        store: Path | None = None,
    ) -> Corpus:
        """Every text file under `root`, read now; with a `catalog`, only listed and read when
        first needed (the app: a big corpus opens at once), files the catalog knows as not
        text left out unread.

        With `first`, only the first files are listed, and the document `until` if it comes
        later: `list_rest` lists the others (in a worker) and `add_listed` adds them.

        Links, to files or folders, are followed only while they stay in `root`, unless
        `follow_links_outside`: a corpus from elsewhere could link to any file of the user's
        (`notes.txt` to `/etc/passwd`), whose text an export would carry.

        The text extracted from documents (PDF, EPUB…) is kept in the store's folder, `store`
        or the catalog's: with neither, it is extracted each time.
        """
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
        inside = None if follow_links_outside else os.path.realpath(root)
        listing = _Listing(root, catalog, inside, store)
        listed = listing.take(first, until)
        corpus = cls(root, [], [], catalog)
        corpus._listing = None if listing.done else listing
        corpus.extraction_cache = listing.cache
        corpus._lister = listing
        corpus.add_listed(listed)
        return corpus

    @property
    def folders(self) -> list[tuple[str, FolderStamp]]:
        """Each folder walked, with its stamp (all of them once every file is listed): the
        search index knows by them that no file came, went or was renamed."""
        lister = self._lister
        if lister is None:
            return []
        return list(lister.folders.stamps.items())

    @property
    def complete(self) -> bool:
        """Whether every file is listed (see `open`'s `first`)."""
        return self._listing is None

    def list_rest(self) -> Listed:
        """List the files `open` left for later; the corpus is unchanged until `add_listed`
        (this may run in a worker while the screen reads the corpus)."""
        listing = self._listing
        return listing.take() if listing is not None else Listed([], [], [])

    def list_until(self, doc_id: str) -> None:
        """List on until the document `doc_id`, or to the end if there is none."""
        if self._listing is not None and doc_id not in self._by_id:
            self.add_listed(self._listing.take(0, doc_id))

    def add_listed(self, listed: Listed) -> None:
        """Add what `list_rest` found (on the thread that reads the corpus)."""
        for document in listed.documents:
            self.documents.append(document)
            self._by_id[document.id] = document
        self.listed.update(listed.names)
        self.problems.extend(listed.problems)
        self.left_out.extend(listed.left_out)
        self.folder_problems.extend(listed.folder_problems)
        self._file_problems.extend(listed.file_problems)
        if self._listing is not None and self._listing.done:
            self._listing = None

    def folders_changed(self) -> bool:
        """Whether a file may have been added to, removed from or renamed in the corpus since
        it was listed whole: its folders' stamps, cheap enough to check every tick of a watch."""
        lister = self._lister
        return self.complete and lister is not None and lister.folders.changed()

    def look_again(self, keep: str | None = None) -> Relisted:
        """List the corpus's folder again and make documents of the files new since it was
        listed; `keep` (the open article's name) holds its id even if its file went, as
        `take_relisted` keeps it. This may run in a worker while the screen reads the corpus,
        which is unchanged until `take_relisted`."""
        lister = self._lister
        assert lister is not None, "a corpus made by `open` is listed again"
        documents, names = list(self.documents), set(self.listed)
        known = {document.relpath: identity_of(document.stamp) for document in documents}
        before = {name: known.get(name) for name in names}
        folders = Folders(walked_at=time.time_ns())
        problems: list[str] = []
        walked = dict(walk_text_files(self.root, problems, lister.inside, folders.stamps))
        changes = listing_changes(before, walked, lambda name: _identity(walked[name]))
        went = {*changes.removed, *(former for former, _ in changes.renamed)}
        # The ids of the files that stay are taken; those of the files that went are free.
        taken = {document.id for document in documents if document.relpath not in went - {keep}}
        taken.update(document_id(name) for name in names - went - known.keys())
        new = sorted([*changes.added, *(name for _, name in changes.renamed)])
        listed = lister.make(new, walked, taken)
        # A folder that cannot be read was said when first found: not again at each change.
        listed.folder_problems = [p for p in problems if p not in self.folder_problems]
        listed.problems.extend(listed.folder_problems)
        return Relisted(changes, listed, folders)

    def take_relisted(self, relisted: Relisted, keep: str | None = None) -> Taken:
        """Put what `look_again` found in the corpus (on the thread that reads it): the files
        that went leave it, but `keep` (the open article's name), and the new documents come
        in their places in path order. What was taken, as documents."""
        changes, listed = relisted.changes, relisted.listed
        assert self._lister is not None
        self._lister.folders = relisted.folders
        taken = Taken()
        if not changes and not listed.problems:
            return taken  # a file saved or a hidden one written: the folder's time moved
        by_name = {document.relpath: document for document in self.documents}
        renamed_to = {new: former for former, new in changes.renamed}
        went = [*changes.removed, *renamed_to.values()]
        for name in went:
            if name == keep or name not in self.listed:
                continue
            self.listed.discard(name)
            document = by_name.get(name)
            if document is not None:
                self.drop(document)
                taken.removed.append(document)
        gone = {document.relpath for document in taken.removed}
        skipped = set()
        for document in listed.documents:
            if document.relpath in self.listed or document.id in self._by_id:
                skipped.add(document.relpath)  # listed meanwhile: the next look sees it again
                continue
            at = bisect.bisect(self.documents, document.relpath, key=lambda d: d.relpath)
            self.documents.insert(at, document)
            self._by_id[document.id] = document
            taken.added.append(document)
        self.listed.update(name for name in listed.names if name not in skipped)
        self.left_out = [(name, why) for name, why in self.left_out if name not in gone]
        self.left_out.extend(listed.left_out)
        self.problems.extend(listed.problems)
        self.folder_problems.extend(listed.folder_problems)
        self._file_problems.extend(listed.file_problems)
        formerly = {former: document for former, document in by_name.items() if former in gone}
        for document in list(taken.added):
            former = formerly.get(renamed_to.get(document.relpath, ""))
            if former is not None:
                taken.added.remove(document)
                taken.removed.remove(former)
                taken.renamed.append((former, document))
        return taken

    def remove(self, document: Document) -> None:
        """Take out of the corpus a document whose file went (kept while it was open)."""
        self.listed.discard(document.relpath)
        self.drop(document)

    def read_now(self, ids: Collection[str] | None = None) -> None:
        """Read now the documents `ids`, or (None) every one the catalog does not know as
        text, and leave out those that are not text or cannot be read, said as a corpus read
        whole says them: a command reads only what it reports on, the rest listed unread.

        Meant for a corpus listed at once (`open` without `first`), whose problems it rebuilds.
        """
        dropped = []
        for document in list(self.documents):
            wanted = not document.told_by_catalog if ids is None else document.id in ids
            if not wanted or document.is_read:
                continue
            try:
                _ = document.text
            except (NotText, OSError) as why:
                dropped.append((document.relpath, why))
                self.drop(document)
        if not dropped:
            return
        gone = {relpath for relpath, _ in dropped}
        # Said of a file as the listing says it; what was said of it while listed (its id)
        # no longer holds, since a file left out has no id.
        self._file_problems = [p for p in self._file_problems if p[0] not in gone]
        for relpath, why in dropped:
            if not isinstance(why, NotText):
                self._file_problems.append((relpath, f"{relpath}: {why.strerror or why}"))
        self._file_problems.sort(key=lambda problem: problem[0])  # the walk's order
        self.left_out.extend(dropped)
        self.left_out.sort(key=lambda pair: pair[0])
        not_text = [(relpath, why) for relpath, why in self.left_out if isinstance(why, NotText)]
        notice = [left_out_notice(not_text)] if not_text else []
        files = [sentence for _, sentence in self._file_problems]
        self.problems = [*notice, *files, *self.folder_problems]

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
        fresh = Document.load(self.root, document.path, document.inside, document.cache)
        fresh.id = document.id
        self.documents[self.documents.index(document)] = fresh
        self._by_id[fresh.id] = fresh
        return fresh

    @staticmethod
    def signature(document: Document) -> tuple[int, ...] | None:
        """The file's stamp now (size, times and inode), or None when it cannot be seen."""
        try:
            status = document.path.stat()
        except OSError:
            return None
        return file_stamp(status)

    def changed_on_disk(self, document: Document) -> bool:
        """Whether the file changed, or went, since it was read: by its change time and inode
        too, so a copy made with its times kept (`cp -p`) is seen."""
        return self.signature(document) != document.stamp

    def index_of(self, doc_id: str) -> int:
        for index, document in enumerate(self.documents):
            if document.id == doc_id:
                return index
        raise KeyError(doc_id)


@dataclass
class Listed:
    """What a part of a corpus's listing found."""

    documents: list[Document]
    names: list[str]
    """Every file found, left out or not."""
    problems: list[str]
    left_out: list[tuple[str, Exception]] = field(default_factory=list)
    """The files left out, and why."""
    folder_problems: list[str] = field(default_factory=list)
    """The sentences of `problems` about folders."""
    file_problems: list[tuple[str, str]] = field(default_factory=list)
    """The sentences of `problems` about one file each, with its relative path."""


@dataclass
class Relisted:
    """What listing a corpus again found: the changes, the new files listed, and the stamps
    of the folders walked."""

    changes: ListingChanges
    listed: Listed
    folders: Folders


@dataclass
class Taken:
    """The documents that came into a corpus listed again, that left it, and that were
    renamed (the former document, then the new one)."""

    added: list[Document] = field(default_factory=list)
    removed: list[Document] = field(default_factory=list)
    renamed: list[tuple[Document, Document]] = field(default_factory=list)


def _identity(path: str) -> Identity | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def _names_a_file(root: Path, doc_id: str) -> bool:
    """Whether a text file of the corpus is named `doc_id` plus a text suffix."""
    folder, _, stem = doc_id.rpartition("/")
    try:
        names = os.listdir(root / folder if folder else root)
    except OSError:
        return True  # cannot tell: nothing is moved
    return any(name.lower().endswith(TEXT_SUFFIXES) and document_id(name) == stem for name in names)


class _Listing:
    """A corpus's files as they are walked, made documents a part at a time."""

    def __init__(
        self, root: Path, catalog: Catalog | None, inside: str | None, store: Path | None = None
    ) -> None:
        self.root, self.catalog = root, catalog
        self.inside = inside
        """The corpus's real path, which links must stay in; None: links go anywhere."""
        folder = store
        if folder is None and catalog is not None and catalog.path is not None:
            folder = catalog.path.parent
        # Beside the catalog, in the store: where no store is, nothing is kept.
        self.cache = ExtractionCache(folder / CACHE_FOLDER) if folder is not None else None
        self.problems: list[str] = []
        self.folders = Folders(walked_at=time.time_ns())
        """The stamps of the folders walked so far: what tells that the corpus changed."""
        self.files = walk_text_files(root, self.problems, inside, self.folders.stamps)
        self.taken: set[str] = set()
        self.formerly_taken: set[str] = set()
        """The ids an older glose gave the files listed so far (see `Document.former_id`)."""
        self.done = False

    def take(self, limit: int | None = None, until: str | None = None) -> Listed:
        """The next `limit` documents (all of them if None), and on to `until` if it is
        further; their problems said in sentences."""
        documents: list[Document] = []
        names: list[str] = []
        problems: list[tuple[str, str]] = []
        not_text: list[tuple[str, NotText]] = []
        left_out: list[tuple[str, Exception]] = []
        found_until = until is None
        if limit == 0 and found_until:
            return Listed(documents, names, [])  # nothing asked for
        for relpath, path in self.files:
            names.append(relpath)
            document = self._document(relpath, path, problems, not_text, left_out)
            if document is not None:
                documents.append(document)
                found_until = found_until or document.id == until
            if limit is not None and len(documents) >= limit and found_until:
                break
        else:
            self.done = True
        said = [sentence for _, sentence in problems]
        if not_text:
            said.insert(0, left_out_notice(not_text))
        # Folders that could not be read, named as the walk came to them.
        folder_problems = list(self.problems)
        said.extend(folder_problems)
        self.problems.clear()
        return Listed(documents, names, said, left_out, folder_problems, problems)

    def make(self, names: list[str], paths: Mapping[str, str], taken: set[str]) -> Listed:
        """The documents of the files `names` (at their `paths`), found since the corpus was
        listed, when the ids in `taken` are those of the files that stay."""
        self.taken = set(taken)
        documents: list[Document] = []
        problems: list[tuple[str, str]] = []
        not_text: list[tuple[str, NotText]] = []
        left_out: list[tuple[str, Exception]] = []
        for relpath in names:
            document = self._document(relpath, paths[relpath], problems, not_text, left_out)
            if document is not None:
                documents.append(document)
        said = [sentence for _, sentence in problems]
        if not_text:
            said.insert(0, left_out_notice(not_text))
        return Listed(documents, list(names), said, left_out, [], problems)

    def _document(
        self,
        relpath: str,
        path: str,
        problems: list[tuple[str, str]],
        not_text: list[tuple[str, NotText]],
        left_out: list[tuple[str, Exception]],
    ) -> Document | None:
        root, catalog = self.root, self.catalog
        # Ids come from the names alone, whatever can be read: `a.txt` and `a.md` would
        # share the id `a`, and the later keeps its extension even if `a.md` is left out,
        # so that an id never changes between a run that read a file and one that did not.
        # A document extracted from another format keeps its suffix (`a.pdf`): adding one
        # beside `a.txt` changes no id a store holds.
        doc_id = document_id(relpath)
        renamed = doc_id in self.taken
        doc_id = relpath if renamed else doc_id
        number = 1
        while doc_id in self.taken:
            # A name that is not UTF-8 can read as a UTF-8 one (`a%FF.txt`): still an id of
            # its own, the same on every run.
            number += 1
            doc_id = f"{relpath} ({number})"
        self.taken.add(doc_id)
        inside = self.inside
        try:
            if inside is not None and os.path.islink(path) and not is_inside(path, inside):
                raise NotRead(LINK_OUTSIDE)
            if catalog is None:
                document = Document.unread(root, path, os.stat(path), relpath=relpath)
                document.inside, document.cache = inside, self.cache
                _ = document.text  # read now: the whole corpus is wanted
            else:
                status = os.stat(path)
                entry = catalog.get(relpath, file_stamp(status))
                if entry is not None and entry.not_text:
                    raise NotText(entry.not_text)
                document = Document.unread(root, path, status, entry, relpath)
                document.inside, document.cache = inside, self.cache
        except NotText as why:
            not_text.append((relpath, why))
            left_out.append((relpath, why))
            return None
        except OSError as error:
            problems.append((relpath, f"{relpath}: {error.strerror or error}"))
            left_out.append((relpath, error))
            return None
        if renamed:
            problems.append(
                (
                    relpath,
                    f"{relpath}: another file already has the id {document.id!r}, "
                    f"so this one is {relpath!r}",
                )
            )
            document.id = doc_id
        document.former_id = self._former_id(relpath, path, doc_id)
        return document

    def _former_id(self, relpath: str, path: str, doc_id: str) -> str | None:
        """The id glose gave this file before names were made real text, if another."""
        if "%" not in relpath:  # the name is UTF-8: the same id then as now
            self.formerly_taken.add(doc_id)
            return None
        former = former_name(self.root, path)
        former_id = document_id(former)
        if _names_a_file(self.root, former_id):
            return None  # a file really named so (with `�`) has that id: its annotations stay
        if former_id in self.formerly_taken:
            former_id = former  # as the id of a clashing name was then
        if former_id in self.formerly_taken:
            return None  # two files had it: whose annotations they were cannot be told
        self.formerly_taken.add(former_id)
        return former_id if former_id != doc_id else None
