"""A document of the corpus: its decoded, normalised text, its title and its passages."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from tui.corpus.catalog import Entry
from tui.corpus.decoding import NOT_TEXT, Decoded, NotText, decode, unprintable_share
from tui.corpus.extract import SUFFIXES, Extracted, Link, Metadata, NotExtracted
from tui.corpus.extract.common import bare_links
from tui.corpus.extract.markdown import extract_markdown
from tui.corpus.extraction_cache import (
    ExtractionCache,
    extract_cached,
    extracted_opening,
    file_sha256,
)
from tui.corpus.passages import Passage, Unit, segment, sentence_spans, sentence_work, units_of
from tui.corpus.sources import source_address
from tui.regular_files import FileTooLarge, NotRegularFile, kind_of, read_regular_file

TITLE_LINE = 120
"""A first line this short is the title as it stands."""

TITLE_CUT = 100
"""A title taken from a long first sentence is cut at a word boundary before this."""

MAX_FILE_SIZE = 200_000_000
"""Files past this are left out: a reader of articles and books has no use for them."""

OPENING_FROM = 1 << 20
"""A file this large opens on its first bytes: its first screen is drawn before it is read
whole (a big book takes a while to read, decode and cut into paragraphs)."""

OPENING_EXTRACTED_FROM = 1 << 16
"""A PDF this large may be long: it opens on its first pages, the rest read meanwhile."""

OPENING_BYTES = 1 << 14
"""How much of a big file its first screen is cut from: many screens of text."""

QUICK_SENTENCE_WORK = 50_000
"""Up to this many characters of long paragraphs, pysbd runs at once (quick enough
not to be seen); past it, a first screen shows a stand-in cut while it runs in the background."""

_MAY_END_SENTENCE = re.compile("[.!?…)\\]•。．！？‼⁇-⁉\"'»”’]")
"""What pysbd may end a sentence after (stops, a list item's `1)`, quotes). Without one in
its first 120 characters, a line's first sentence is longer than a title, and pysbd (slow to
import and warm up, in a first frame) is not asked."""

_SPACE_RUN = re.compile(r"\s{2,}|[^\S \u00a0\u202f]")
_ATX_MARKS = re.compile(r"^#{1,6}(?=\s|$)|\s#+$")
_FRONT_MATTER = re.compile(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+)$", re.MULTILINE)


_NOT_UTF8 = re.compile("[\udc80-\udcff%]")
"""What a file name that is not UTF-8 writes as `%XX`: its undecodable bytes (which Python
carries as surrogates), and `%` itself, so that the name can be read back."""


def name_text(name: str) -> str:
    """A file or folder name (one part of a path) as real text, the same on every run.

    A UTF-8 name is itself. A name that is not has each byte that is not UTF-8 written `%XX`
    as URIs do (`a\\xff.txt` is `a%FF.txt`), and its `%` written `%25`: two names never
    read the same, as `�` for every such byte made them.
    """
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return _NOT_UTF8.sub(_percent, name)
    return name


def _percent(found: re.Match[str]) -> str:
    char = found.group()
    return "%25" if char == "%" else f"%{ord(char) - 0xDC00:02X}"


def relative_name(root: Path, path: Path | str) -> str:
    """`path` under `root`, as real text (see `name_text`), parts separated by `/`."""
    return "/".join(name_text(part) for part in _relative_path(root, path).split("/"))


def _relative_path(root: Path, path: Path | str) -> str:
    """`path` under `root` as the system names it (surrogates for bytes not UTF-8)."""
    full, base = str(path), str(root).rstrip(os.sep)
    if full.startswith(base + os.sep):
        # As `relative_to`, without its parsing: ten thousand files are named in a blink.
        return full[len(base) + 1 :].replace(os.sep, "/")
    return Path(path).relative_to(root).as_posix()


def former_name(root: Path, path: Path | str) -> str:
    """`path` under `root` as glose named it before names were made real text: each byte
    that is not UTF-8 read as `\N{REPLACEMENT CHARACTER}` (kept to find what was annotated then)."""
    relpath = _relative_path(root, path)
    return relpath.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def document_id(relpath: str) -> str:
    """The id of the file `relpath`: a text file's name without its `.txt` or `.md` (as every
    store holds them), any other file's whole name (`a.pdf`), so that adding `a.pdf` beside
    `a.txt` later changes neither id."""
    if "." + relpath.rsplit(".", 1)[-1].lower() in SUFFIXES:
        return relpath
    return relpath.rsplit(".", 1)[0]


class NotRead(NotText):
    """The path is not a file to read (a link out of the corpus, a pipe, a device): a verdict
    on the path, not on its bytes, which the catalog does not keep."""


LINK_OUTSIDE = "a link outside the corpus"
"""Why a file that links out of the corpus is left out (unless the settings follow such links)."""

TOO_LARGE = f"larger than {MAX_FILE_SIZE // 1_000_000} MB"


def check_readable(status: os.stat_result) -> None:
    """NotText for what a directory entry shows is not a text file to read."""
    if not stat.S_ISREG(status.st_mode):
        # A pipe would block the read forever, a device (/dev/zero) never end it.
        raise NotRead(f"{kind_of(status.st_mode)}, not a file")
    if status.st_size > MAX_FILE_SIZE:
        raise NotText(TOO_LARGE)


def is_inside(path: str | Path, real_root: str) -> bool:
    """Whether `path`, its links followed, is under `real_root` (a real path)."""
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


ENCODE_CHUNK = 1 << 20
"""Characters encoded at a time to hash or write a text: a book is not copied whole as bytes."""


def utf8_chunks(text: str) -> Iterator[bytes]:
    """`text` in UTF-8, a megabyte of characters at a time (lone surrogates kept)."""
    for at in range(0, len(text), ENCODE_CHUNK):
        # Nothing is split: the text holds code points, and each encodes alone.
        yield text[at : at + ENCODE_CHUNK].encode("utf-8", "surrogatepass")


def text_sha256(text: str) -> str:
    digest = hashlib.sha256()
    for chunk in utf8_chunks(text):
        digest.update(chunk)
    return digest.hexdigest()


def make_title(text: str, fallback: str, markdown: bool = False) -> str:
    """The first non-blank line when short, else the start of its first sentence, its runs of
    spaces shown as one (a manual page's header is spaced out across the terminal).

    Markdown front matter gives its `title:` if it has one, and is skipped otherwise.
    """
    if markdown and (front := _FRONT_MATTER.match(text)):
        declared = _FRONT_TITLE.search(front.group(0))
        if declared and declared.group(1).strip(" \"'"):
            return _one_space(declared.group(1).strip(" \"'"))[:TITLE_LINE]
        text = text[front.end() :]
    for line in _lines(text):
        line = _one_space(line.strip())
        if markdown:
            # "# Titre #" is titled "Titre": the marks are syntax, not words.
            line = _ATX_MARKS.sub("", line).strip()
        if not line:
            continue
        if len(line) <= TITLE_LINE:
            return line
        head = line[: TITLE_LINE * 8]
        sentence = head
        if _MAY_END_SENTENCE.search(head, 0, TITLE_LINE + 1):
            spans = sentence_spans(head, 0, len(head))
            sentence = head[spans[0][0] : spans[0][1]] if spans else head
        if len(sentence) <= TITLE_LINE:
            return sentence
        cut = sentence.rfind(" ", 0, TITLE_CUT)
        return sentence[: cut if cut > 0 else TITLE_CUT].rstrip(" ,;:") + "…"
    return fallback


def _one_space(line: str) -> str:
    """`line` with each run of spaces, and each tab, as one space; a lone no-break space stays:
    it keeps `:` with its word."""
    return _SPACE_RUN.sub(" ", line)


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` one by one: splitting a book whole for its first line would be slow."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def file_stamp(status: os.stat_result) -> tuple[int, ...]:
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def _head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (NotText for a pipe or a device: opened without
    waiting, checked on the descriptor)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRead(f"{kind_of(mode)}, not a file")
        return file.read(size)


@dataclass(eq=False)
class Document:
    """One file of the corpus. `id` is its relative path, without the extension for a text
    file (see `document_id`).

    A document of a big corpus is read when its text is first asked for (`text` then raises
    OSError or NotText if the file went or is not text); until then the catalog may say its
    title and passage count.
    """

    id: str
    _path: Path | str
    """The file; a string as the corpus lists it, made a Path when first asked for: a big
    corpus's Paths take time to make, and its listing needs none."""
    relpath: str
    _text: str | None = field(default=None, repr=False)
    encoding: str = "UTF-8"
    """The encoding as a person would name it (Windows-1252, UTF-16…)."""
    lossy: bool = False
    """Some bytes decoded in no encoding and show as U+FFFD."""
    size: int = 0
    mtime: float = 0.0
    stamp: tuple[int, ...] = ()
    """Size, modification and change times (ns) and inode of the file as last seen: which
    version of it this is, as git tells (a change time cannot be set back). Empty for a
    document not read from a file."""
    read_at: int = 0
    """When the file was last read (ns since the epoch, taken before its stamp): a file
    changed within a tick of its clock of being read is not known again by its stamp."""
    _entry: Entry | None = field(default=None, repr=False)
    """What the catalog said of this very version of the file (same stamp)."""
    _count: int | None = field(default=None, repr=False)
    _count_cut: bool = field(default=False, repr=False)
    """Whether `_count` was cut from this text, not told by the catalog."""
    _reading: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _passages: list[Passage] | None = field(default=None, repr=False)
    _segmenting: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _quick: list[Passage] | None = field(default=None, repr=False)
    _units: list[Unit] | None = field(default=None, repr=False)
    _opening: tuple[str, list[Passage]] | None = field(default=None, repr=False)
    """A big file's title and first passages, cut from its first bytes (see `opening`)."""
    inside: str | None = None
    """The real path of the folder the file must be in once its links are followed (the
    corpus's), or None: links are followed anywhere."""
    former_id: str | None = None
    """The id an older glose gave this file, when it differs (a name that is not UTF-8):
    what the store may still hold its annotations under."""
    metadata: Metadata | None = None
    """What a web page, PDF, EPUB, Word or OpenDocument file says of itself, once read."""
    extractor_version: str | None = None
    """The extractor that made the text of such a file, once read (None for plain text)."""
    _links: tuple[str, tuple[Link, ...]] | None = field(default=None, repr=False)
    """The links found in a text (the text they were found in, kept to know them current)."""
    extracted: Extracted | None = field(default=None, repr=False)
    """What the extractor found besides the text (headings, links, styles, blocks), once read."""
    source: str = ""
    """The SHA-256 of the bytes an extracted document's text was made from, once read: the
    name of its entry in the extraction cache, which the catalog keeps."""
    notice: str | None = None
    """A sentence to say once when the document is shown, about the way it is shown (a
    Markdown file nested too deep to lay out), or None."""
    reading_pages: tuple[int, int] | None = None
    """While a PDF is being read: pages read, pages in all (for whoever shows progress)."""
    cache: ExtractionCache | None = field(default=None, repr=False)
    """Where the text extracted from such a file is kept between runs (the store's), if any."""

    @property
    def path(self) -> Path:
        path = self._path
        if isinstance(path, str):
            path = self._path = Path(path)
        return path

    @classmethod
    def load(
        cls,
        root: Path,
        path: Path,
        inside: str | None = None,
        cache: ExtractionCache | None = None,
    ) -> Document:
        """Read and decode `path` (OSError when it cannot be read, NotText when not text or,
        with `inside`, a link out of that folder)."""
        document = cls.unread(root, path, path.stat())
        document.inside, document.cache = inside, cache
        document._read()
        return document

    @classmethod
    def unread(
        cls,
        root: Path,
        path: Path | str,
        status: os.stat_result,
        entry: Entry | None = None,
        relpath: str | None = None,
    ) -> Document:
        """The document of `path` as its directory entry and the catalog know it, unread.
        NotText when the entry alone shows it is not a file to read."""
        check_readable(status)
        relpath = relpath or relative_name(root, path)
        document = cls(document_id(relpath), path, relpath, None)
        document.size, document.mtime = status.st_size, status.st_mtime
        document.stamp = file_stamp(status)
        if entry is not None and entry.matches(document.stamp):
            document._entry, document._count = entry, entry.passages
            document.encoding, document.lossy = entry.encoding, entry.lossy
        return document

    def _read(self) -> None:
        read_at = time.time_ns()
        if self.inside is not None and not is_inside(self.path, self.inside):
            raise NotRead(LINK_OUTSIDE)  # made a link since it was listed
        try:
            # Checked on the descriptor read: a pipe or a device put in its place since it
            # was listed neither blocks nor floods.
            raw, status = read_regular_file(self.path, limit=MAX_FILE_SIZE)
        except NotRegularFile as error:
            raise NotRead(error.strerror.removeprefix("is ")) from error
        except FileTooLarge as error:
            raise NotText(TOO_LARGE) from error
        # The status is taken before reading: a change made meanwhile is seen next time.
        if file_stamp(status) != self.stamp:
            # Changed since the corpus was listed: what the catalog said no longer holds, and
            # a verdict (not text) is kept for this version of the file, not the listed one.
            self._entry = self._count = None
            self._count_cut = False
            self.size, self.mtime = status.st_size, status.st_mtime
        self.stamp, self.read_at = file_stamp(status), read_at
        if self.is_extracted:
            suffix = "." + self.relpath.rsplit(".", 1)[-1]
            self.source = file_sha256(raw)
            try:
                extracted = extract_cached(raw, suffix, self.cache, self._pages_read, self.source)
            finally:
                self.reading_pages = None
            if address := source_address(self.path):  # fetched by `glose add`: from there
                extracted = replace(extracted, metadata=replace(extracted.metadata, url=address))
            self._take(extracted)
            return
        decoded: Decoded = decode(raw)
        self.encoding, self.lossy = decoded.label, decoded.lossy
        self.notice = None
        if self.is_markdown:
            # Shown rendered: its markup characters are syntax, not words to quote.
            try:
                self._take(extract_markdown(normalise_newlines(decoded.text)))
                return
            except NotExtracted:
                self.notice = f"{self.relpath} is nested too deep to lay out; shown as written."
        self._text = normalise_newlines(decoded.text)

    def _take(self, extracted: Extracted) -> None:
        self.metadata, self.extractor_version = extracted.metadata, extracted.extractor_version
        self.extracted = extracted
        self._text = extracted.text
        self._links = (extracted.text, extracted.links)

    def _units_of_text(self) -> list[Unit]:
        """The text's units: the blocks its extractor laid out when it says them, else cut."""
        text = self.text  # read first: reading is what tells the extractor's blocks
        extracted = self.extracted
        if extracted is not None and extracted.blocks:
            return [(start, end, kind) for start, end, kind in extracted.blocks]  # type: ignore[misc]
        return units_of(text)

    def units(self) -> list[Unit]:
        """The text's units (paragraphs, blocks), cut again unless kept: the search index's
        rows, each the span of one or more passages."""
        units = self._units
        return units if units is not None else self._units_of_text()

    def _pages_read(self, done: int, total: int) -> None:
        self.reading_pages = (done, total)

    @property
    def text(self) -> str:
        text = self._text
        if text is None:
            with self._reading:  # a worker and the screen may ask at the same time
                if self._text is None:
                    self._read()
                text = self._text
                assert text is not None
        return text

    @property
    def links(self) -> tuple[Link, ...]:
        """The links of the text, in order: those its format holds, or the web and mail
        addresses written out in it."""
        text = self.text
        found = self._links
        if found is None or found[0] is not text:
            found = self._links = (text, bare_links(text))
        return found[1]

    @property
    def is_read(self) -> bool:
        return self._text is not None

    @property
    def told_by_catalog(self) -> bool:
        """Whether the catalog knows this very version of the file as text."""
        return self._entry is not None

    @cached_property
    def sha256(self) -> str:
        return text_sha256(self.text)

    @property
    def title(self) -> str:
        """The title: the catalog's until the text is read, then the text's own."""
        known = self.known_title
        return known if known is not None else self._title_of_text

    @cached_property
    def _title_of_text(self) -> str:
        text = self.text  # read first: a document's own title comes with its text
        if self.metadata is not None and self.metadata.title:
            return _one_space(self.metadata.title.strip())[:TITLE_LINE]
        return make_title(text, fallback=self.relpath)  # Markdown's is rendered: no marks left

    @property
    def known_title(self) -> str | None:
        """The title if it is known without reading the file, else None."""
        entry, opening = self._entry, self._opening  # a worker may read the file meanwhile
        if self._text is None:
            if entry is not None:
                return entry.title
            return opening[0] if opening is not None else None
        return self._title_of_text

    @property
    def known_length(self) -> int | None:
        """Characters of text, if known without reading the file."""
        text, entry = self._text, self._entry
        if text is not None:
            return len(text)
        return entry.length if entry is not None and entry.length else None

    @property
    def known_passage_count(self) -> int | None:
        """How many passages, if known without cutting the text, else None."""
        final = self._passages
        return len(final) if final is not None else self._count

    @property
    def count_is_cut(self) -> bool:
        """Whether the known passage count was cut from this text, not told by the catalog."""
        return self._passages is not None or self._count_cut

    def forget_told_count(self) -> None:
        """Forget a passage count the catalog told, shown wrong: it is cut again when read."""
        if not self._count_cut:
            self._count = None

    def count_passages(self, *, quick_only: bool = False) -> int | None:
        """Read and cut the text to count its passages (OSError, NotText as `text`).

        A short text's passages are not kept: the list of a big corpus only needs the count.
        A book's final cut is kept, since it is made anyway when it is opened. With
        `quick_only`, a text needing more than a moment of sentence cutting is not counted.
        """
        if self._passages is not None:
            return len(self._passages)
        shown = self._units is not None or self._quick is not None  # its paragraphs are known
        units = self._paragraphs() if shown else self._units_of_text()
        if sentence_work(units) > QUICK_SENTENCE_WORK:
            if quick_only:
                return None
            del units  # not held through seconds of sentence cutting: a book's are large
            count = len(self.passages)
        else:
            count = len(segment(self.text, units=units))
        self._count, self._count_cut = count, True
        return count

    def catalog_entry(self) -> Entry | None:
        """What the catalog should keep of this document, once read and counted."""
        count = self.known_passage_count
        if self._text is None or count is None:
            return self._entry
        title = self._title_of_text
        return Entry(
            self.stamp,
            self.read_at,
            title,
            count,
            self.encoding,
            self.lossy,
            None,
            len(self._text),
            self.source,
        )

    @property
    def is_markdown(self) -> bool:
        return self.relpath.lower().endswith(".md")

    @property
    def is_extracted(self) -> bool:
        """Whether the text is extracted from a document's format, not decoded from a file."""
        return "." + self.relpath.rsplit(".", 1)[-1].lower() in SUFFIXES

    @property
    def passages(self) -> list[Passage]:
        """The passages, sentences cut by pysbd: may take seconds for a book, once."""
        with self._segmenting:  # a worker thread and the screen may ask at the same time
            if self._passages is None:
                self._passages = segment(self.text, units=self._paragraphs())
                self._units = self._quick = None  # only needed until the final cut
            return self._passages

    def _paragraphs(self) -> list[Unit]:
        # Found once for the quick cut and the final one: a book's take a third of a second.
        units = self._units
        if units is None:
            units = self._units = self._units_of_text()
        return units

    @property
    def final_passages(self) -> list[Passage] | None:
        """The passages if their final cut is made, else None (never waits)."""
        return self._passages

    @property
    def has_passages(self) -> bool:
        """Whether `passages` is ready without waiting."""
        return self._passages is not None

    def read_opening(self) -> list[Passage] | None:
        """A big file's first passages, cut from its first `OPENING_BYTES` without reading the
        rest, at the offsets they have in the whole text; None when the file is read whole
        anyway: it is small or read already, or its start is not plain UTF-8 (a guessed
        encoding needs the whole file). OSError when the file cannot be read, NotText when it
        is not a file to read.

        Long paragraphs are cut at spaces, as in `quick_passages`; the last line, which may
        go on past the bytes read, is left out.
        """
        least = OPENING_EXTRACTED_FROM if self.is_extracted else OPENING_FROM
        if self._text is not None or self._passages is not None or self.size < least:
            return None
        if self._opening is not None:
            return self._opening[1]
        if self.is_extracted:
            return self._extracted_opening()  # the first bytes of a PDF are not its first words
        if self.is_markdown:
            return None  # its first bytes are markup, not the words shown
        if self.inside is not None and not is_inside(self.path, self.inside):
            raise NotRead(LINK_OUTSIDE)
        head = _head(self.path, OPENING_BYTES)
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]  # as `decode` reads it: the mark is no text
        elif b"\x00" in head or head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return None
        try:
            # Not final: a character cut by the end of the bytes read is left for later.
            text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return None
        text = normalise_newlines(text)
        end = text.rfind("\n")
        if end <= 0 or unprintable_share(text) > NOT_TEXT:
            return None
        text = text[:end]
        passages = segment(text, self.is_markdown, quick=True)
        if not passages:
            return None
        title = make_title(text, fallback=self.relpath, markdown=self.is_markdown)
        self._opening = (title, passages)
        return passages

    def _extracted_opening(self) -> list[Passage] | None:
        """A long document's first passages: from its text kept in the store, else from a
        PDF's first pages; the last paragraph, which may go on past them, left out."""
        if self.inside is not None and not is_inside(self.path, self.inside):
            raise NotRead(LINK_OUTSIDE)
        try:
            raw, _ = read_regular_file(self.path, limit=MAX_FILE_SIZE)
        except NotRegularFile as error:
            raise NotRead(error.strerror.removeprefix("is ")) from error
        except FileTooLarge as error:
            raise NotText(TOO_LARGE) from error
        found = extracted_opening(raw, "." + self.relpath.rsplit(".", 1)[-1], self.cache)
        if found is None:
            return None
        start, whole = found
        if whole and len(start.text) < OPENING_FROM:
            return None  # kept in the store, and short: read whole as quickly
        head = start.text[:OPENING_BYTES] if whole else start.text
        end = head.rfind("\n\n")
        passages = segment(head[:end], False, quick=True) if end > 0 else []
        if not passages:
            return None
        title = _one_space(start.metadata.title.strip())[:TITLE_LINE] or make_title(
            start.text, fallback=self.relpath
        )
        self._opening = (title, passages)
        return passages

    @property
    def opening(self) -> list[Passage] | None:
        """The passages `read_opening` cut, if it did."""
        opening = self._opening
        return opening[1] if opening is not None else None

    def quick_passages(self) -> list[Passage]:
        """The passages if they come quickly; else a stand-in for a first screen, with long
        paragraphs cut at spaces (kind "pending") until `passages` has been computed."""
        final, quick = self._passages, self._quick  # a worker may finish the cut meanwhile
        if final is not None:
            return final
        if quick is None:
            units = self._paragraphs()
            if sentence_work(units) <= QUICK_SENTENCE_WORK:
                return self.passages
            quick = self._quick = segment(self.text, quick=True, units=units)
        return quick
