"""EPUB: the chapters of the spine in order, read from the zip archive and its package (OPF)
file, without EbookLib (AGPL); the Dublin Core title, creator and date as metadata."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from tui.corpus.extract.common import Extracted, Metadata, NotExtracted, TextBuilder, tidy
from tui.corpus.extract.markup import html_blocks, html_tree, local, xml_tree
from tui.corpus.extract.zipped import Archive

VERSION = "epub-2"
"""Raised with any change that may give a book a different text (annotations re-anchor)."""

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CHAPTERS = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})


def extract_epub(data: bytes) -> Extracted:
    """A book's chapters in the order of its spine, each chapter's headings as headings."""
    archive = Archive(data, "EPUB")
    container = xml_tree(archive.read("META-INF/container.xml"), "META-INF/container.xml")
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    package_name = rootfile.get("full-path", "") if rootfile is not None else ""
    if not package_name:
        raise NotExtracted("is a broken EPUB: it names no package file")
    package = xml_tree(archive.read(package_name), package_name)
    base = posixpath.dirname(package_name)
    manifest = {
        item.get("id"): item
        for item in package.iter(f"{_OPF}item")
        if item.get("id") and item.get("href")
    }
    out = TextBuilder()
    for reference in package.iter(f"{_OPF}itemref"):
        item = manifest.get(reference.get("idref"))
        if item is None or item.get("media-type") not in _CHAPTERS:
            continue
        name = posixpath.normpath(posixpath.join(base, unquote(item.get("href", "").split("#")[0])))
        if name not in archive.names:
            continue  # a spine that names a missing chapter: the others are read
        chapter = html_tree(archive.read(name))
        body = chapter.find("body")
        html_blocks(body if body is not None else chapter, out)
    if not out.parts:
        raise NotExtracted("is an EPUB without any text")
    return out.extracted(_metadata(package), VERSION)


def _metadata(package: object) -> Metadata:
    def first(name: str) -> str:
        for element in package.iter(f"{_DC}{name}"):  # type: ignore[attr-defined]
            text = tidy("".join(element.itertext()))
            if text:
                return text
        return ""

    creators = [
        tidy("".join(element.itertext()))
        for element in package.iter(f"{_DC}creator")  # type: ignore[attr-defined]
        if local(element.tag) == "creator"
    ]
    return Metadata(
        title=first("title"),
        author=", ".join(creator for creator in creators if creator),
        date=first("date"),
        site=first("publisher"),
        url=first("source"),
    )
