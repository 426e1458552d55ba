"""Adding articles to the corpus: a web page or a document fetched from its address, or a
file copied in, never over a file already there, and not at all when the corpus already
holds the same bytes.

A fetched file's address and the date it was fetched are kept beside it, in
`<name>.source.json` (a file the corpus does not list): a PDF has no place of its own for them,
and the saved page stays the very bytes the server sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

import orjson

from tui.corpus.corpus import TEXT_SUFFIXES, walk_text_files
from tui.corpus.decoding import NotText
from tui.corpus.document import MAX_FILE_SIZE, is_inside
from tui.corpus.extract import FORMATS, SUFFIXES, NotExtracted, extract, format_of
from tui.corpus.extract.common import with_article
from tui.corpus.sources import SOURCE_SUFFIX
from tui.regular_files import FileTooLarge, NotRegularFile, read_regular_file

FETCH_LIMIT = 100_000_000
"""A page or document larger than this is not fetched whole: no article is that large."""

FETCH_TIMEOUT = 30.0
"""Seconds a server may stay silent before the fetch is given up."""

FETCH_DEADLINE = 300.0
"""Seconds the whole download may take: a server that trickles a byte now and then, never
silent long enough for `FETCH_TIMEOUT`, is given up all the same."""

_CHUNK = 1 << 16
"""Bytes asked of the server at a time, the deadline checked between them."""

_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/epub+zip": ".epub",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "text/plain": ".txt",
    "text/markdown": ".md",
}
"""The content types glose reads, and the suffix a file of that type is saved with."""

_SLUG_CUT = 60
"""A name made from a title is cut at a word before this many characters."""


class NotAdded(Exception):
    """The source cannot be added; `str(error)` is one sentence for the user."""


@dataclass(frozen=True)
class Added:
    """What happened to one source: `relpath` the file added, or `same_as` the file of the
    corpus that already holds its bytes (nothing added)."""

    source: str
    relpath: str | None = None
    same_as: str | None = None


@dataclass(frozen=True)
class Fetched:
    data: bytes
    url: str
    """The address the bytes came from, after redirects."""
    suffix: str


def is_address(source: str) -> bool:
    """Whether `source` is meant as an address (`scheme://…`), not a file's path."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", source) is not None


class _OnlyWeb(urllib.request.HTTPRedirectHandler):
    """Redirects followed to http and https addresses only (never `file:` or `ftp:`)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise NotAdded(f"redirects to {newurl}, which is not an http or https address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def fetch(url: str, *, limit: int = FETCH_LIMIT, timeout: float = FETCH_TIMEOUT) -> Fetched:
    """The page or document at `url` (http or https only), redirects followed, at most
    `limit` bytes; NotAdded with one sentence when it cannot be had or is not for glose."""
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        raise NotAdded("only http and https addresses are fetched")
    started = time.monotonic()
    opener = urllib.request.build_opener(_OnlyWeb())
    request = urllib.request.Request(url, headers={"User-Agent": "glose (article reader)"})
    try:
        with opener.open(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            suffix = _TYPES.get(kind)
            if suffix is None:
                raise NotAdded(f"is {kind}, not a web page or a document glose reads")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise NotAdded(f"is larger than {_megabytes(limit)}")
            data = _read_by(response, limit + 1, started + FETCH_DEADLINE)
            final = response.geturl()
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400 and (location := error.headers.get("Location")):
            # urllib refuses a redirect to `file:` itself, in its own words.
            target = urllib.parse.urljoin(error.url or url, location)
            raise NotAdded(
                f"redirects to {target}, which is not an http or https address"
            ) from error
        raise NotAdded(f"the server answered {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        reason = error.reason
        why = getattr(reason, "strerror", None) or str(reason)
        raise NotAdded(f"cannot be fetched: {why}") from error
    except TimeoutError as error:
        raise NotAdded(f"the server did not answer within {timeout:g} seconds") from error
    except (OSError, ValueError) as error:  # a connection cut, an address that cannot be
        raise NotAdded(f"cannot be fetched: {getattr(error, 'strerror', None) or error}") from error
    if len(data) > limit:
        raise NotAdded(f"is larger than {_megabytes(limit)}")
    found = format_of(data)
    meant = suffix.removeprefix(".")
    if meant in FORMATS and meant != "html" and found != meant:
        raise NotAdded(f"was sent as {kind} but is not {with_article(FORMATS[meant])}")  # type: ignore[index]
    return Fetched(data, final, suffix)


def _read_by(response: http.client.HTTPResponse, most: int, deadline: float) -> bytes:
    """At most `most` bytes of the body, a chunk at a time; NotAdded when the download is
    still going at `deadline` (monotonic seconds)."""
    chunks: list[bytes] = []
    got = 0
    while got < most:
        chunk = response.read1(min(_CHUNK, most - got))  # returns what one read of the socket gave
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
        if time.monotonic() >= deadline:
            raise NotAdded(f"took more than {FETCH_DEADLINE:g} seconds to download; not added")
    return b"".join(chunks)


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB"


def slug(title: str, fallback: str = "page") -> str:
    """A safe file name made of `title`: letters without accents and digits, words joined by
    `-`, lower case, cut at a word; `fallback` when nothing is left."""
    # Accents dropped from their letters; any other character parts words (`L’IA` is `l-ia`).
    plain = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", plain.lower())
    name = ""
    for word in words:
        longer = f"{name}-{word}" if name else word
        if len(longer) > _SLUG_CUT:
            break
        name = longer
    return name or (words[0][:_SLUG_CUT] if words else fallback)


def name_from_address(url: str) -> str:
    """A name for a page from its address: its path's last part, else its host."""
    parts = urllib.parse.urlsplit(url)
    last = urllib.parse.unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    last = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", last)  # `article.html` gives `article`
    return last or parts.hostname or "page"


def same_content(root: Path, data: bytes) -> str | None:
    """The corpus file (relative name) that holds exactly `data`, if one does; only files of
    the same size are read, and only those the corpus lists (no link out of it followed)."""
    digest = hashlib.sha256(data).digest()
    inside = os.path.realpath(root)  # the corpus's own rule: links out of it are not its files
    for relpath, path in walk_text_files(root, inside=inside):
        if os.path.islink(path) and not is_inside(path, inside):
            continue
        try:
            if os.stat(path).st_size != len(data):
                continue
            if hashlib.sha256(read_regular_file(path, limit=MAX_FILE_SIZE).data).digest() == digest:
                return relpath
        except (OSError, NotRegularFile, FileTooLarge):
            continue
    return None


def folder_inside(root: Path, into: str | Path | None, *, make: bool = True) -> Path:
    """The folder `--into` names, taken from the current directory like any path argument (made
    if missing, unless not `make`); NotAdded in one sentence when it is not inside the corpus.
    `glose add` and `glose import` both read `--into` by this one rule."""
    if into is None or str(into) == "":
        return root
    folder = Path(os.path.abspath(into))
    if not is_inside(folder, os.path.realpath(root)):
        raise NotAdded(f"--into {into}: not a folder inside the corpus ({root})")
    if folder.exists() and not folder.is_dir():
        raise NotAdded(f"--into {into}: not a folder")
    if not make:
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise NotAdded(f"--into {into}: {error.strerror or error}") from error
    return folder


def _relpath(root: Path, path: Path) -> str:
    """`path`'s name in the corpus, links followed as `folder_inside` follows them."""
    return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()


def save_new(
    folder: Path, stem: str, suffix: str, data: bytes, source: dict[str, str] | None
) -> Path:
    """Write `data` as `<stem><suffix>` in `folder`, or `<stem>-2<suffix>`… when that name or
    its source file is taken: never over a file already there."""
    for number in range(1, 10_000):
        name = stem if number == 1 else f"{stem}-{number}"
        path = folder / f"{name}{suffix}"
        beside = folder / f"{name}{suffix}{SOURCE_SUFFIX}"
        if source is not None and os.path.lexists(beside):
            continue
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            if source is not None:
                with open(beside, "xb") as out:
                    out.write(orjson.dumps(source, option=orjson.OPT_INDENT_2) + b"\n")
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return path
    raise NotAdded(f"no free name for {stem}{suffix} in {folder}")


def add_address(root: Path, url: str, into: str | None = None, **fetching: float) -> Added:
    """Fetch `url` and save it in the corpus (see `fetch`), its address and date beside it."""
    fetched = fetch(url, **fetching)  # type: ignore[arg-type]
    same = same_content(root, fetched.data)
    if same is not None:
        return Added(url, same_as=same)
    title = _examined(fetched.data, fetched.suffix)
    stem = slug(title) if slug(title, "") else slug(name_from_address(fetched.url))
    source = {"url": fetched.url, "fetched": datetime.now(UTC).isoformat(timespec="seconds")}
    if fetched.url != url:
        source["requested"] = url
    folder = folder_inside(root, into)
    try:
        path = save_new(folder, stem, fetched.suffix, fetched.data, source)
    except OSError as error:
        raise NotAdded(f"cannot be saved in {folder}: {error.strerror or error}") from error
    return Added(url, relpath=_relpath(root, path))


def add_file(root: Path, given: Path, into: str | None = None) -> Added:
    """Copy the file `given` into the corpus under its own name (numbered if taken)."""
    suffix = "." + given.name.rsplit(".", 1)[-1].lower() if "." in given.name else ""
    if suffix not in TEXT_SUFFIXES:
        kinds = " ".join(TEXT_SUFFIXES)
        raise NotAdded(f"is not a kind of file glose reads ({kinds})")
    try:
        data = read_regular_file(given, limit=MAX_FILE_SIZE).data
    except NotRegularFile as error:
        raise NotAdded(error.strerror) from error
    except FileTooLarge as error:
        raise NotAdded(f"is larger than {_megabytes(MAX_FILE_SIZE)}") from error
    except OSError as error:
        raise NotAdded(f"cannot be read: {error.strerror or error}") from error
    same = same_content(root, data)
    if same is not None:
        return Added(str(given), same_as=same)
    _examined(data, suffix)
    folder = folder_inside(root, into)
    stem = given.name[: -len(suffix)]
    try:
        path = save_new(folder, stem, given.name[-len(suffix) :], data, None)
    except OSError as error:
        raise NotAdded(f"cannot be saved in {folder}: {error.strerror or error}") from error
    return Added(str(given), relpath=_relpath(root, path))


def _examined(data: bytes, suffix: str) -> str:
    """The title of a file read through an extractor ("" for any other); NotAdded with one
    sentence when its text cannot be had."""
    if suffix not in SUFFIXES:
        return ""
    try:
        return extract(data, suffix).metadata.title
    except NotExtracted as error:
        raise NotAdded(f"{error}; not added") from error
    except NotText as error:  # decoding a page's bytes: NUL bytes, say
        raise NotAdded(f"is not text ({error}); not added") from error
