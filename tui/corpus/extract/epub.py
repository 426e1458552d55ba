"""EPUB: the chapters of the spine in order, read from the zip archive and its package (OPF)
file, without EbookLib (AGPL); the Dublin Core title, creator and date as metadata."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from tui.corpus.extract.common import (
    Extracted,
    Metadata,
    NotExtracted,
    TextBuilder,
    join_lines,
    tidy,
)
from tui.corpus.extract.markup import html_blocks, html_tree, local, xml_tree
from tui.corpus.extract.zipped import Archive

VERSION = "epub-3"
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
        _without_page_numbers(chapter)
        body = chapter.find("body")
        before = len(out.parts)
        html_blocks(body if body is not None else chapter, out)
        if len(out.parts) == before:
            _drawn_text(chapter, out)
    if not out.parts:
        raise NotExtracted("is an EPUB without any text")
    return out.extracted(_metadata(package), VERSION)


def _without_page_numbers(chapter: object) -> None:
    """A printed edition's page number marked in the flow of a sentence is not the book's
    text ("to comply 175 with the Divine command"): it is left out, the words around it kept."""
    markers = [
        element
        for element in chapter.iter()  # type: ignore[attr-defined]
        if "pagebreak" in (element.get("epub:type") or "").split()
        or element.get("role") == "doc-pagebreak"
    ]
    for element in markers:
        element.drop_tree()


def _drawn_text(chapter: object, out: TextBuilder) -> None:
    """A fixed-layout page drawn as SVG keeps its words in `<text>` elements, one line per
    `<tspan>`: a line set in from the page's leftmost line begins a paragraph."""
    for element in chapter.iter():  # type: ignore[attr-defined]
        if local(element.tag) != "text":
            continue
        lines = [
            (_first_x(line), "".join(line.itertext()))
            for line in element
            if local(line.tag) == "tspan"
        ] or [(0.0, "".join(element.itertext()))]
        margin = min(x for x, _ in lines)
        paragraph: list[str] = []
        for x, line in lines:
            if paragraph and x > margin + 1:
                out.block(join_lines(paragraph))
                paragraph = []
            paragraph.append(line)
        out.block(join_lines(paragraph))


def _first_x(line: object) -> float:
    try:
        return float(line.get("x", "0").split(",")[0].split()[0])  # type: ignore[attr-defined]
    except (ValueError, IndexError):
        return 0.0


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
