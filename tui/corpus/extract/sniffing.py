"""What a file is, told by its bytes (a suffix may lie), and the extractor for it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from tui.corpus.extract.common import Extracted, NotExtracted, with_article

if TYPE_CHECKING:
    import zipfile

Format = Literal["html", "pdf", "epub", "docx", "odt"]

SUFFIXES: dict[str, Format] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".epub": "epub",
    ".docx": "docx",
    ".odt": "odt",
}
"""The suffixes of the files read through an extractor."""

FORMATS: dict[Format, str] = {
    "html": "web page",
    "pdf": "PDF",
    "epub": "EPUB",
    "docx": "Word document",
    "odt": "OpenDocument text",
}

_HTML = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.I | re.S,
)
_ODT = b"application/vnd.oasis.opendocument.text"

MIMETYPE_LIMIT = 100
"""An EPUB's or ODT's `mimetype` member larger than this (unpacked) is not one: it is never
unpacked, so that it cannot be a zip bomb."""


def format_of(data: bytes) -> Format | None:
    """The format the bytes are in, or None for none of these (plain text, or something else)."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile  # only for a zip: the corpus of plain text never needs it

        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = set(archive.namelist())
            mimetype = _mimetype(archive) if "mimetype" in names else b""
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ):
            return None
        if mimetype == b"application/epub+zip":
            return "epub"
        if mimetype == _ODT:
            return "odt"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        return None
    head = data[:2048].removeprefix(b"\xef\xbb\xbf")
    if _HTML.match(head):
        return "html"
    return None


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    """The archive's `mimetype` member, read only when its declared size is small, and never
    more than that size even when the declaration lies."""
    if archive.getinfo("mimetype").file_size > MIMETYPE_LIMIT:
        return b""
    with archive.open("mimetype") as member:
        return member.read(MIMETYPE_LIMIT + 1)[:MIMETYPE_LIMIT].strip()


def extract(
    data: bytes, suffix: str, progress: Callable[[int, int], None] | None = None
) -> Extracted:
    """The file's text by the extractor its bytes call for; `suffix` (such as `.pdf`) only
    says what the file was meant to be, for the sentence when it is not. A PDF tells
    `progress` (pages read, pages in all) as it goes."""
    found = format_for(data, suffix)
    if found == "pdf" and progress is not None:
        from tui.corpus.extract.pdf import extract_pdf

        return extract_pdf(data, progress)
    return _EXTRACTORS[found]()(data)


def extractor_version(data: bytes, suffix: str) -> str:
    """The version of the extractor `extract` would read the bytes with (NotExtracted as
    `extract`): what a cached text must have been made by to be used."""
    import importlib

    module = importlib.import_module(_MODULES[format_for(data, suffix)])
    return str(module.VERSION)


EXTRACTOR_VERSIONS = "html-4 pdf-1 epub-3 office-4 markdown-3"
"""Every extractor's version (each module's `VERSION`), without importing them: what the
catalog's titles and counts of documents were made by."""


def is_extracted(relpath: str) -> bool:
    """Whether the file's text is extracted (its suffix is one of `SUFFIXES`)."""
    return "." + relpath.rsplit(".", 1)[-1].lower() in SUFFIXES


def is_rendered(relpath: str) -> bool:
    """Whether an extractor made the file's text and passages: an extracted file's, or a
    Markdown file's (rendered, its markup left out)."""
    return is_extracted(relpath) or relpath.lower().endswith(".md")


_MODULES: dict[Format, str] = {
    "html": "tui.corpus.extract.web",
    "pdf": "tui.corpus.extract.pdf",
    "epub": "tui.corpus.extract.epub",
    "docx": "tui.corpus.extract.office",
    "odt": "tui.corpus.extract.office",
}


def format_for(data: bytes, suffix: str) -> Format:
    """The format `extract` reads the bytes as (NotExtracted when none)."""
    found = format_of(data)
    meant = SUFFIXES.get(suffix.lower())
    if found is None:
        if meant == "html":
            found = "html"  # a page saved without its <html>: read as one all the same
        elif meant is not None:
            raise NotExtracted(f"is named {suffix} but is not {with_article(FORMATS[meant])}")
        else:
            raise NotExtracted("is not a document glose can read")
    return found


def _html() -> Callable[[bytes], Extracted]:
    from tui.corpus.extract.web import extract_html

    return extract_html


def _pdf() -> Callable[[bytes], Extracted]:
    from tui.corpus.extract.pdf import extract_pdf

    return extract_pdf


def _epub() -> Callable[[bytes], Extracted]:
    from tui.corpus.extract.epub import extract_epub

    return extract_epub


def _docx() -> Callable[[bytes], Extracted]:
    from tui.corpus.extract.office import extract_docx

    return extract_docx


def _odt() -> Callable[[bytes], Extracted]:
    from tui.corpus.extract.office import extract_odt

    return extract_odt


_EXTRACTORS: dict[Format, Callable[[], Callable[[bytes], Extracted]]] = {
    "html": _html,
    "pdf": _pdf,
    "epub": _epub,
    "docx": _docx,
    "odt": _odt,
}
"""Each extractor imported only when a file needs it (their libraries are slow to import)."""
