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
    running: list[str] = []  # a drawn page's last paragraph, which may go on over the page
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
        if _is_drawn(body if body is not None else chapter):
            running = _drawn_text(chapter, out, running)
            continue
        out.block(join_lines(running))
        running = []
        before = len(out.parts)
        html_blocks(body if body is not None else chapter, out)
        if len(out.parts) == before:
            out.block(join_lines(_drawn_text(chapter, out, [])))
    out.block(join_lines(running))
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


def _is_drawn(chapter: object) -> bool:
    """Whether a chapter's words (its body's) are all drawn as SVG text (a fixed-layout page)."""
    drawn = [
        word
        for element in chapter.iter()  # type: ignore[attr-defined]
        if local(element.tag) == "svg"
        for word in "".join(element.itertext()).split()
    ]
    return bool(drawn) and drawn == "".join(chapter.itertext()).split()  # type: ignore[attr-defined]


def _drawn_text(chapter: object, out: TextBuilder, running: list[str]) -> list[str]:
    """A fixed-layout page drawn as SVG keeps its words in `<text>` elements, one line per
    `<tspan>` (or more, on one height): a line set in from the leftmost begins a paragraph. A
    paragraph `running` over from the page before goes on unless the first line is set in; the
    page's last paragraph is given back when it may go on over the page (two lines or more,
    not ended by a full stop), the others are laid out."""
    paragraph, first = running, True
    for element in chapter.iter():  # type: ignore[attr-defined]
        if local(element.tag) != "text":
            continue
        if not first:  # a page's drawings of text are blocks of their own
            out.block(join_lines(paragraph))
            paragraph = []
        first = False
        lines: list[tuple[float, str]] = []
        height = None
        for run in element:
            if local(run.tag) != "tspan":
                continue
            if lines and run.get("y") == height:  # a run of the same line (italics, say)
                lines[-1] = (lines[-1][0], lines[-1][1] + "".join(run.itertext()))
            else:
                lines.append((_first_x(run), "".join(run.itertext())))
            height = run.get("y")
        lines = lines or [(0.0, "".join(element.itertext()))]
        margin = min(x for x, _ in lines)
        for x, line in lines:
            if paragraph and x > margin + 1:
                out.block(join_lines(paragraph))
                paragraph = []
            paragraph.append(line)
    if len(paragraph) >= 2 and not paragraph[-1].rstrip().endswith(_ENDS):
        return paragraph
    out.block(join_lines(paragraph))
    return []


_ENDS = (".", "!", "?", "…", "»", ":", '"', "”")


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
