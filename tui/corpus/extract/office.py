"""Word (DOCX, through python-docx) and OpenDocument text (ODT, its XML read directly):
paragraphs, headings, list items, tables (a row a paragraph, its cells separated by a tab)
and footnotes, gathered at the end with their marks (`[1]`) left where they were called."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from lxml import etree

from tui.corpus.extract.common import (
    Extracted,
    Metadata,
    NotExtracted,
    TextBuilder,
    join_lines,
    tidy,
)
from tui.corpus.extract.markup import local, xml_tree
from tui.corpus.extract.zipped import Archive

VERSION = "office-3"
"""Raised with any change that may give a document a different text (annotations re-anchor)."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def extract_docx(data: bytes) -> Extracted:
    """A Word document's body in order, its footnotes after it, its core properties."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    archive = Archive(data, "Word document")
    archive.check_all()  # python-docx unpacks on its own: a bomb is refused first
    for name in archive.names:
        if name.endswith((".xml", ".rels")) and b"<!ENTITY" in archive.read(name):
            raise NotExtracted(f"declares XML entities in {name}, which no document needs")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise NotExtracted("is a broken Word document: it cannot be read") from error
    # Each paragraph's style asked of python-docx costs a walk of all styles: named once here.
    styles = {style.style_id: (style.name or "").lower() for style in document.styles}
    out = TextBuilder()
    # A hyperlink names its address by a relationship of the document's part.
    addresses = {
        key: relationship.target_ref
        for key, relationship in document.part.rels.items()
        if relationship.is_external
    }
    notes = _Notes(out, addresses)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block._tbl.tr_lst:
                cells = [_cell_text(cell, notes) for cell in row.tc_lst]
                out.block("\t".join(cells))
            continue
        text = join_lines([_runs(block._p, notes)])
        level = _heading_level(styles.get(block._p.style or "", ""))
        if level:
            out.heading(text, level)
        else:
            out.block(text)
    if "word/footnotes.xml" in archive.names:
        footnotes = xml_tree(archive.read("word/footnotes.xml"), "word/footnotes.xml")
        footnote_addresses = _external_targets(archive, "word/_rels/footnotes.xml.rels")
        for note in footnotes.iter(f"{_W}footnote"):
            mark = notes.marks.get(note.get(f"{_W}id", ""))
            if mark is not None:
                notes.addresses = footnote_addresses  # the notes' relationships, not the body's
                body = " ".join(_runs(paragraph, notes) for paragraph in note.iter(f"{_W}p"))
                notes.bodies.append((mark, join_lines([body])))
    for mark, body in sorted(notes.bodies, key=lambda note: int(note[0])):
        out.block(f"[{mark}] {body}")
    if not out.parts:
        raise NotExtracted("is a Word document without any text")
    core = document.core_properties
    created = core.created
    return out.extracted(
        Metadata(
            title=tidy(core.title or ""),
            author=tidy(core.author or ""),
            date=created.date().isoformat() if created is not None else "",
        ),
        VERSION,
    )


def _external_targets(archive: Archive, name: str) -> dict[str, str]:
    """The addresses a part's relationships name outside the file, by relationship id."""
    if name not in archive.names:
        return {}
    return {
        relationship.get("Id", ""): relationship.get("Target", "")
        for relationship in xml_tree(archive.read(name), name).iter()
        if local(relationship.tag) == "relationship"
        and relationship.get("TargetMode") == "External"
    }


class _Notes:
    """Footnote marks numbered in the order they are called, and their texts; the builder and
    the addresses hyperlinks name, for the links."""

    def __init__(self, out: TextBuilder, addresses: dict[str, str]) -> None:
        self.marks: dict[str, str] = {}
        self.bodies: list[tuple[str, str]] = []
        self.out = out
        self.addresses = addresses

    def mark(self, key: str) -> str:
        return self.marks.setdefault(key, str(len(self.marks) + 1))


def _heading_level(style: str) -> int:
    if style == "title":
        return 1
    if style.startswith("heading "):
        level = style.removeprefix("heading ").strip()
        return int(level) if level.isdigit() else 1
    return 0


def _runs(paragraph: Any, notes: _Notes) -> str:
    """A paragraph's text as shown: its runs, tabs, breaks, footnote marks; not deleted text,
    not field codes."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        name = local(element.tag)
        if name == "t":
            parts.append(element.text or "")
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append(" ")
        elif name == "fallback":
            pass  # the same text again, for readers that cannot show its alternate content
        elif name == "footnotereference":
            parts.append(f"[{notes.mark(element.get(f'{_W}id', ''))}]")
        elif name == "hyperlink" and notes.addresses.get(element.get(f"{_R}id", "")):
            opening, closing = notes.out.link_marks(notes.addresses[element.get(f"{_R}id")])
            parts.append(opening)
            for child in element:
                walk(child)
            parts.append(closing)
        else:
            for child in element:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _cell_text(cell: Any, notes: _Notes) -> str:
    return join_lines([" ".join(_runs(paragraph, notes) for paragraph in cell.iter(f"{_W}p"))])


_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XLINK = "{http://www.w3.org/1999/xlink}"


def extract_odt(data: bytes) -> Extracted:
    """An OpenDocument text's body in order, its notes after it, its meta.xml's metadata."""
    archive = Archive(data, "OpenDocument text")
    content = xml_tree(archive.read("content.xml"), "content.xml")
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise NotExtracted("is a broken OpenDocument text: it has no body")
    notes: list[tuple[str, str]] = []
    out = TextBuilder()
    for kind, text, level in _odt_blocks(body, notes, out):
        if kind == "heading":
            out.heading(text, level)
        else:
            out.block(text)
    for mark, text in notes:
        out.block(f"[{mark}] {text}")
    if not out.parts:
        raise NotExtracted("is an OpenDocument text without any text")
    metadata = Metadata()
    if "meta.xml" in archive.names:
        meta = xml_tree(archive.read("meta.xml"), "meta.xml")

        def first(*tags: str) -> str:
            for tag in tags:
                element = meta.find(f".//{tag}")
                if element is not None and tidy(element.text or ""):
                    return tidy(element.text or "")
            return ""

        metadata = Metadata(
            title=first(f"{_DC}title"),
            author=first(f"{_META}initial-creator", f"{_DC}creator"),
            date=first(f"{_META}creation-date", f"{_DC}date")[:10],
        )
    return out.extracted(metadata, VERSION)


def _odt_blocks(
    element: etree._Element, notes: list[tuple[str, str]], out: TextBuilder
) -> Iterator[tuple[str, str, int]]:
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}h":
            level = child.get(f"{_TEXT}outline-level", "1")
            yield "heading", _odt_text(child, notes, out), int(level) if level.isdigit() else 1
        elif tag == f"{_TEXT}p":
            yield "paragraph", join_lines([_odt_text(child, notes, out)]), 0
        elif tag == f"{_TABLE}table":
            for row in child.iter(f"{_TABLE}table-row"):
                cells = [
                    join_lines([" ".join(_odt_text(p, notes) for p in cell.iter(f"{_TEXT}p"))])
                    for cell in row
                    if cell.tag == f"{_TABLE}table-cell"
                ]
                yield "paragraph", "\t".join(cells), 0
        elif tag in (f"{_TEXT}list", f"{_TEXT}list-item", f"{_TEXT}section", f"{_TEXT}list-header"):
            yield from _odt_blocks(child, notes, out)


def _odt_text(
    element: etree._Element, notes: list[tuple[str, str]], out: TextBuilder | None = None
) -> str:
    """A paragraph's text: spans, spaces (`text:s`), tabs, line breaks, links; a note as its
    mark."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append(" ")
        elif tag == f"{_TEXT}note":
            citation = child.find(f"{_TEXT}note-citation")
            mark = tidy(citation.text or "") if citation is not None else str(len(notes) + 1)
            note_body = child.find(f"{_TEXT}note-body")
            if note_body is not None:
                text = " ".join(_odt_text(p, notes) for p in note_body.iter(f"{_TEXT}p"))
                notes.append((mark, join_lines([text])))
            parts.append(f"[{mark}]")
        elif tag in (f"{_OFFICE}annotation", f"{_TEXT}tracked-changes"):
            pass  # a reviewer's comment is not the document's text
        elif tag == f"{_TEXT}a" and out is not None:
            opening, closing = out.link_marks(child.get(f"{_XLINK}href", ""))
            parts.extend((opening, _odt_text(child, notes, out), closing))
        elif isinstance(tag, str):
            parts.append(_odt_text(child, notes, out))
        parts.append(child.tail or "")
    return "".join(parts)
