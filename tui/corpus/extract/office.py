"""Word (DOCX, through python-docx) and OpenDocument text (ODT, its XML read directly):
paragraphs, headings, list items, tables (a row a paragraph, its cells separated by a tab)
and footnotes, gathered at the end with their marks (`[1]`) left where they were called.

A list item starts with its marker as the document numbers it (`1.`, `a)`, `iv.`, read from
Word's numbering.xml or the ODT list style), or a bullet by depth (`•`, `◦`, `▪`, as in
Markdown: the document's own bullet is often a symbol font's private character); a nested
item is set in by two spaces a level. The marker is text: what is shown is what is quoted."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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

VERSION = "office-4"
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
    out = TextBuilder(laid_out=True)
    # A hyperlink names its address by a relationship of the document's part.
    addresses = {
        key: relationship.target_ref
        for key, relationship in document.part.rels.items()
        if relationship.is_external
    }
    notes = _Notes(out, addresses)
    numbering = _WordNumbering(archive)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block._tbl.tr_lst:
                cells = [_cell_text(cell, notes) for cell in row.tc_lst]
                out.block("\t".join(cells))
            continue
        text = join_lines([_runs(block._p, notes)])
        level = _heading_level(styles.get(block._p.style or "", ""))
        item = numbering.marker(block._p)
        if level:
            out.heading(text, level)
        elif item is not None:
            marker, depth = item
            out.block(f"{marker} {text}" if marker else text, "item", depth)
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


BULLETS = ("•", "◦", "▪")
"""A bulleted item's marker by depth, as Markdown's."""


def bullet(depth: int) -> str:
    return BULLETS[depth % len(BULLETS)]


def numeral(number: int, style: str) -> str:
    """`number` written as a list numbers it: `style` is ODF's `1`, `a`, `A`, `i`, `I` (Word's
    formats are named to these first); anything else is written in figures, and so are
    letters past `zzz` (a hostile list of a million items would make markers of thousands)."""
    if style in ("a", "A") and 0 < number <= 26 * 3:
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if style == "A" else letter
    if style in ("i", "I") and 0 < number < 4000:
        roman = ""
        for value, letters in _ROMAN:
            count, number = divmod(number, value)
            roman += letters * count
        return roman.upper() if style == "I" else roman
    if style == "01":
        return f"{number:02d}"
    return str(number)


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
_WORD_FORMATS = {
    "lowerLetter": "a",
    "upperLetter": "A",
    "lowerRoman": "i",
    "upperRoman": "I",
    "decimalZero": "01",
}
_LEVEL_TEXT = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class _WordLevel:
    """One level of a Word list: its number format (`bullet`, `none`, or a `numeral` style),
    the text its marker is made from (`%1.`), the number it starts at."""

    style: str
    text: str
    start: int


class _WordNumbering:
    """The markers of a Word document's list paragraphs, counted as Word counts them: each
    list (`w:num`) on its own, a deeper level starting again after a higher one."""

    def __init__(self, archive: Archive) -> None:
        self.lists: dict[str, dict[int, _WordLevel]] = {}
        self.by_style: dict[str, tuple[str, int]] = {}
        self.counts: dict[str, dict[int, int]] = {}
        based_on: dict[str, str] = {}
        if "word/styles.xml" in archive.names:
            for style in xml_tree(archive.read("word/styles.xml"), "word/styles.xml").iter(
                f"{_W}style"
            ):
                name = style.get(f"{_W}styleId", "")
                found = _numbering_of(style.find(f"{_W}pPr"))
                if found is not None:
                    self.by_style[name] = (found[0], found[1] or 0)
                parent = style.find(f"{_W}basedOn")
                if parent is not None:
                    based_on[name] = parent.get(f"{_W}val", "")
        for name in list(based_on):  # a style numbered through the one it is based on
            ancestor, seen = name, {name}
            while ancestor not in self.by_style and based_on.get(ancestor, "") not in seen:
                ancestor = based_on.get(ancestor, "")
                seen.add(ancestor)
            if ancestor in self.by_style:
                self.by_style[name] = self.by_style[ancestor]
        if "word/numbering.xml" not in archive.names:
            return
        root = xml_tree(archive.read("word/numbering.xml"), "word/numbering.xml")
        abstracts = {
            element.get(f"{_W}abstractNumId", ""): element
            for element in root.iter(f"{_W}abstractNum")
        }
        for element in root.iter(f"{_W}num"):
            abstract = element.find(f"{_W}abstractNumId")
            definition = abstracts.get(abstract.get(f"{_W}val", "") if abstract is not None else "")
            if definition is None:
                continue
            levels = self._levels(definition, abstracts, root)
            for override in element.iter(f"{_W}lvlOverride"):
                level = _whole(override.get(f"{_W}ilvl"), 0)
                redefined = override.find(f"{_W}lvl")
                if redefined is not None:
                    levels[level] = _word_level(redefined)
                start = override.find(f"{_W}startOverride")
                if start is not None and level in levels:
                    old = levels[level]
                    levels[level] = _WordLevel(
                        old.style, old.text, _whole(start.get(f"{_W}val"), 1)
                    )
            self.lists[element.get(f"{_W}numId", "")] = levels

    def _levels(
        self, definition: etree._Element, abstracts: dict[str, etree._Element], root: Any
    ) -> dict[int, _WordLevel]:
        levels = {
            _whole(level.get(f"{_W}ilvl"), 0): _word_level(level)
            for level in definition.iter(f"{_W}lvl")
        }
        link = definition.find(f"{_W}numStyleLink")
        if not levels and link is not None:  # defined by a numbering style's own list
            linked = self.by_style.get(link.get(f"{_W}val", ""))
            for element in root.iter(f"{_W}num") if linked else ():
                abstract = element.find(f"{_W}abstractNumId")
                if element.get(f"{_W}numId") == linked[0] and abstract is not None:
                    target = abstracts.get(abstract.get(f"{_W}val", ""))
                    if target is not None and target is not definition:
                        levels = {
                            _whole(level.get(f"{_W}ilvl"), 0): _word_level(level)
                            for level in target.iter(f"{_W}lvl")
                        }
        return levels

    def marker(self, paragraph: etree._Element) -> tuple[str, int] | None:
        """The marker of a list paragraph and its depth; None for a paragraph of no list."""
        found = _numbering_of(paragraph.find(f"{_W}pPr"))
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        by_style = self.by_style.get(style.get(f"{_W}val", "")) if style is not None else None
        if found is None and by_style is None:
            return None
        if found is not None:
            list_id, given = found
        else:
            list_id, given = by_style  # type: ignore[misc]
        if given is None:  # the level the style gives, when it is the style's list
            given = by_style[1] if by_style is not None and by_style[0] == list_id else 0
        depth = given
        if list_id == "0":
            return None  # numbering taken off a paragraph whose style has it
        depth = min(depth, 8)
        levels = self.lists.get(list_id)
        if levels is None:
            return bullet(depth), depth  # numbered by a list the file does not define
        counts = self.counts.setdefault(list_id, {})
        level = levels.get(depth, _WordLevel("1", f"%{depth + 1}.", 1))
        counts[depth] = counts.get(depth, level.start - 1) + 1
        for deeper in [key for key in counts if key > depth]:
            del counts[deeper]
        if level.style == "bullet":
            return bullet(depth), depth
        if level.style == "none":
            return "", depth

        def number(found: re.Match[str]) -> str:
            at = int(found.group(1)) - 1
            shown = levels.get(at, level)
            return numeral(counts.get(at, shown.start), shown.style)

        return tidy(_LEVEL_TEXT.sub(number, level.text)), depth


def _numbering_of(properties: etree._Element | None) -> tuple[str, int | None] | None:
    """The list (`w:numId`) and level a paragraph's or style's properties name, if any."""
    if properties is None:
        return None
    numbered = properties.find(f"{_W}numPr")
    if numbered is None:
        return None
    list_id = numbered.find(f"{_W}numId")
    level = numbered.find(f"{_W}ilvl")
    if list_id is None:
        return None
    depth = _whole(level.get(f"{_W}val"), 0) if level is not None else None
    return list_id.get(f"{_W}val", ""), depth


def _word_level(level: etree._Element) -> _WordLevel:
    style = level.find(f"{_W}numFmt")
    text = level.find(f"{_W}lvlText")
    start = level.find(f"{_W}start")
    form = style.get(f"{_W}val", "decimal") if style is not None else "decimal"
    depth = _whole(level.get(f"{_W}ilvl"), 0)
    return _WordLevel(
        form if form in ("bullet", "none") else _WORD_FORMATS.get(form, "1"),
        text.get(f"{_W}val", "") if text is not None else f"%{depth + 1}.",
        _whole(start.get(f"{_W}val"), 1) if start is not None else 1,
    )


def _whole(value: str | None, default: int, most: int = 100_000) -> int:
    """A count the file gives, within bounds a list can use; `default` for anything else
    (`²` is a digit to `isdigit` but no number to `int`; a thousand digits are no count)."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdecimal() or len(value) > 9:
        return default
    return min(int(value), most)


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
        return _whole(level, 1)
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
    out = TextBuilder(laid_out=True)
    styles = _odt_list_styles(content, archive)
    for kind, text, level, depth in _odt_blocks(body, notes, out, _OdtLists(styles, content)):
        if kind == "heading":
            out.heading(text, level)
        else:
            out.block(text, kind, depth)
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


_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


@dataclass(frozen=True)
class _OdtLevel:
    """One level of an ODT list style: bulleted, or numbered in `style` (`1`, `a`, `i`…,
    empty for no number) between `prefix` and `suffix`, from `start`, showing the numbers of
    `shown` levels (`1.2.`)."""

    numbered: bool
    style: str = "1"
    prefix: str = ""
    suffix: str = ""
    start: int = 1
    shown: int = 1


def _odt_list_styles(content: etree._Element, archive: Archive) -> dict[str, dict[int, _OdtLevel]]:
    """The list styles of the document (content.xml's, then styles.xml's), by name."""
    roots = [content]
    if "styles.xml" in archive.names:
        roots.append(xml_tree(archive.read("styles.xml"), "styles.xml"))
    styles: dict[str, dict[int, _OdtLevel]] = {}
    for root in roots:
        for style in root.iter(f"{_TEXT}list-style"):
            levels: dict[int, _OdtLevel] = {}
            for level in style:
                depth = _whole(level.get(f"{_TEXT}level"), 1) - 1
                if level.tag == f"{_TEXT}list-level-style-number":
                    levels[depth] = _OdtLevel(
                        True,
                        level.get(f"{_STYLE}num-format", "1"),
                        level.get(f"{_STYLE}num-prefix", ""),
                        level.get(f"{_STYLE}num-suffix", ""),
                        _whole(level.get(f"{_TEXT}start-value"), 1),
                        max(_whole(level.get(f"{_TEXT}display-levels"), 1), 1),
                    )
                elif isinstance(level.tag, str) and level.tag.startswith(f"{_TEXT}list-level"):
                    levels[depth] = _OdtLevel(False)
            styles.setdefault(style.get(f"{_STYLE}name", ""), levels)
    return styles


class _OdtLists:
    """The markers of an ODT's list items: counted per list, a list that continues another
    (`text:continue-numbering`, `text:continue-list`) going on from its numbers."""

    def __init__(self, styles: dict[str, dict[int, _OdtLevel]], content: etree._Element) -> None:
        self.styles = styles
        self.last: dict[int, int] = {}
        # A paragraph style may name the list style its list items take.
        self.paragraph_lists = {
            style.get(f"{_STYLE}name", ""): style.get(f"{_STYLE}list-style-name", "")
            for style in content.iter(f"{_STYLE}style")
            if style.get(f"{_STYLE}list-style-name")
        }

    def marker(self, style: str, depth: int, counts: dict[int, int], item: Any) -> str:
        level = self.styles.get(style, {}).get(depth)
        if level is None or not level.numbered:
            return bullet(depth)
        start = item.get(f"{_TEXT}start-value")
        counts[depth] = _whole(start, 1) if start else counts.get(depth, level.start - 1) + 1
        for deeper in [key for key in counts if key > depth]:
            del counts[deeper]
        if not level.style:
            return tidy(level.prefix + level.suffix)
        numbers = []
        for at in range(max(depth - level.shown + 1, 0), depth + 1):
            upper = self.styles.get(style, {}).get(at, level)
            numbers.append(numeral(counts.get(at, upper.start), upper.style or "1"))
        return tidy(level.prefix + ".".join(numbers) + level.suffix)


def _odt_blocks(
    element: Iterable[etree._Element],
    notes: list[tuple[str, str]],
    out: TextBuilder,
    lists: _OdtLists,
    depth: int = 0,
) -> Iterator[tuple[str, str, int, int]]:
    """(kind, text, heading level, depth) of each block; `depth` is the margin in levels."""
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}h":
            level = child.get(f"{_TEXT}outline-level", "1")
            text = _odt_text(child, notes, out)
            yield "heading", text, _whole(level, 1), depth
        elif tag == f"{_TEXT}p":
            yield "paragraph", join_lines([_odt_text(child, notes, out)]), 0, depth
        elif tag == f"{_TABLE}table":
            for row in child.iter(f"{_TABLE}table-row"):
                cells = [
                    join_lines([" ".join(_odt_text(p, notes) for p in cell.iter(f"{_TEXT}p"))])
                    for cell in row
                    if cell.tag == f"{_TABLE}table-cell"
                ]
                yield "paragraph", "\t".join(cells), 0, depth
        elif tag == f"{_TEXT}list":
            yield from _odt_list(child, notes, out, lists, depth, "", None, 0)
        elif tag in (f"{_TEXT}section", f"{_TEXT}list-header"):
            yield from _odt_blocks(child, notes, out, lists, depth)


def _odt_list(
    element: etree._Element,
    notes: list[tuple[str, str]],
    out: TextBuilder,
    lists: _OdtLists,
    depth: int,
    style: str,
    counts: dict[int, int] | None,
    level: int,
) -> Iterator[tuple[str, str, int, int]]:
    """A list's items, each its marker before its first paragraph, the rest set in under
    it; `level` is the list's in its outermost one, whose `counts` it shares."""
    style = element.get(f"{_TEXT}style-name") or style
    if counts is None:  # an outermost list: numbered afresh unless it goes on from the last
        goes_on = element.get(f"{_TEXT}continue-numbering") == "true"
        counts = lists.last if goes_on or element.get(f"{_TEXT}continue-list") else {}
        lists.last = counts
    for item in element:
        if item.tag not in (f"{_TEXT}list-item", f"{_TEXT}list-header"):
            continue
        marker: str | None = None
        for child in item:
            if child.tag == f"{_TEXT}list":
                yield from _odt_list(child, notes, out, lists, depth + 1, style, counts, level + 1)
                marker = ""  # a later paragraph of the item is no item of its own
                continue
            if marker is None:
                own = style or lists.paragraph_lists.get(child.get(f"{_TEXT}style-name", ""), "")
                if item.tag == f"{_TEXT}list-header":
                    marker = ""
                else:
                    marker = lists.marker(own, level, counts, item)
                for kind, text, heading, _ in _odt_blocks([child], notes, out, lists, depth):
                    shown = f"{marker} {text}" if marker else text
                    yield ("heading" if kind == "heading" else "item"), shown, heading, depth
                marker = ""
            else:
                yield from _odt_blocks([child], notes, out, lists, depth + 1)


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
            parts.append(" " * _whole(count, 1, 100))
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
