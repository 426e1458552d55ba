"""Markdown read as it is meant: the text a reader sees once the file is rendered, without
its markup characters (`#`, `*`, `|`, `>`, backquotes), which are syntax, not words.

- headings are blocks of their own, their level kept in `Extracted.headings`;
- list items start with their marker (`•`, `◦`, `▪` by depth, or their number `1.`), and a
  nested item is indented by two spaces a level before its marker;
- a block quote's paragraphs are indented by two spaces a level (the reader draws a
  block's indent under every line it wraps);
- a table is one block: its rows as lines, cells padded with spaces so that columns line up;
- a code block is kept verbatim, one block (the reader cuts its long lines at the edge);
- links are shown as their text, their targets kept in `Extracted.links`; an image as its
  description; emphasis, strong and code spans kept in `Extracted.styles`;
- HTML comments and raw HTML are dropped; front matter is data: its `title:` is the title.

Blocks are separated by a blank line, as every extractor's; `Extracted.blocks` says what each
block is, so that passages are cut along them rather than guessed again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from tui.corpus.extract.common import Extracted, Link, Metadata, NotExtracted

VERSION = "markdown-3"
"""Raised with any change that may give a file a different text (annotations re-anchor)."""

_FRONT_MATTER = re.compile(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+)$", re.MULTILINE)
_BULLETS = ("•", "◦", "▪")
_INDENT = "  "
_CELL_GAP = "  "
_SPACES = re.compile(r"[ \t]*\n[ \t]*|[ \t]{2,}")

_MARKERLESS = frozenset(
    {"bullet_list_open", "ordered_list_open", "blockquote_open", "heading_open", "table_open"}
)
"""Blocks that cannot begin with a list item's marker: an item starting with one shows its
marker alone first, rather than losing it."""

_STYLE_OF = {"em_open": "emphasis", "strong_open": "strong", "s_open": "strike"}


@dataclass
class _Inline:
    """One block's text as it is shown, with its styles and links (offsets in the block)."""

    text: str = ""
    styles: list[tuple[int, int, str]] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)


def _inline(token) -> _Inline:  # a markdown-it inline token
    shown = _Inline()
    parts: list[str] = []
    length = 0
    opened: list[tuple[str, int, str]] = []  # (kind, start, link target)

    def add(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    for child in token.children or ():
        kind = child.type
        if kind == "text":
            add(child.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            shown.styles.append((length, length + len(child.content), "code"))
            add(child.content)
        elif kind == "image":
            # Its description, without its own markup: the words a reader without the picture gets.
            add(_inline(child).text if child.children else child.content)
        elif kind in _STYLE_OF or kind == "link_open":
            target = str(child.attrs.get("href", "")) if kind == "link_open" else ""
            opened.append((kind, length, target))
        elif kind.endswith("_close") and opened:
            opening, start, target = opened.pop()
            if opening == "link_open":
                if target and length > start:
                    shown.links.append((start, length, target))
            elif length > start:
                shown.styles.append((start, length, _STYLE_OF[opening]))
        # html_inline is dropped: raw markup is never shown
    shown.text = "".join(parts)
    return shown


def _cells(text: str) -> int:
    """Columns `text` takes in a terminal: wide East Asian characters two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    headings: list[tuple[int, int, int]] = field(default_factory=list)
    blocks: list[tuple[int, int, str]] = field(default_factory=list)
    styles: list[tuple[int, int, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def add(self, text: str, kind: str, indent: int = 0, shown: _Inline | None = None) -> int:
        """Lay `text` as a block `indent` levels in; the offset where it starts, or -1 when
        there is nothing to show. `shown`'s spans are offsets in `text`."""
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if start >= end:
            return -1
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        margin = _INDENT * indent
        if kind == "code":  # the first line's own indent is code, kept before the block
            margin = text[text.rfind("\n", 0, start) + 1 : start]
        self.parts.append(margin + text[start:end])
        base = self.length + len(margin) - start
        self.length += len(margin) + end - start
        self.blocks.append((base + start, base + end, kind))
        if shown is not None:
            for low, high, style in shown.styles:
                low, high = max(low, start), min(high, end)
                if low < high:
                    self.styles.append((base + low, base + high, style))
            for low, high, target in shown.links:
                low, high = max(low, start), min(high, end)
                if low < high:
                    self.links.append(Link(base + low, base + high, target))
        return base + start


def _one_line(shown: _Inline) -> _Inline:
    """A heading's or a cell's text on one line (offsets kept: each space stands for one)."""
    text = shown.text.replace("\n", " ")
    return _Inline(text, shown.styles, shown.links)


def _table(rows: list[list[_Inline]]) -> _Inline:
    """Rows of cells as lines, each column as wide as its widest cell, two spaces between."""
    columns = max(len(row) for row in rows)
    widths = [0] * columns
    for row in rows:
        for column, cell in enumerate(row):
            widths[column] = max(widths[column], _cells(cell.text))
    table = _Inline()
    lines: list[str] = []
    offset = 0
    for row in rows:
        line = ""
        for column, cell in enumerate(row):
            if column:
                line += _CELL_GAP
            at = offset + len(line)
            table.styles.extend((at + a, at + b, s) for a, b, s in cell.styles)
            table.links.extend((at + a, at + b, t) for a, b, t in cell.links)
            line += cell.text
            if column < len(row) - 1:
                line += " " * (widths[column] - _cells(cell.text))
        lines.append(line.rstrip())
        offset += len(lines[-1]) + 1
    table.text = "\n".join(lines)
    return table


MAX_NESTING = 100
"""markdown-it's bound on nested blocks: its own default drops what lies deeper than 20, and
far deeper would exhaust Python's recursion; a file past it is shown as written."""


def extract_markdown(source: str) -> Extracted:
    """The text of a Markdown file as it reads once rendered (see the module's docstring)."""
    from markdown_it import MarkdownIt  # imported when a Markdown file is first read

    title = ""
    if front := _FRONT_MATTER.match(source):
        declared = _FRONT_TITLE.search(front.group(0))
        if declared:
            title = declared.group(1).strip().strip("\"'").strip()
        source = source[front.end() :]
    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    tokens = parser.enable(["table", "strikethrough"]).parse(source)
    if any(token.level >= MAX_NESTING - 2 for token in tokens):  # deeper blocks were dropped
        raise NotExtracted("nests quotes or lists too deep to be rendered")
    built = _Builder()
    lists: list[list[int | None]] = []  # per open list: its next number, None for bullets
    marker: str | None = None  # the marker of the list item whose first block comes next
    quotes = 0
    row: list[_Inline] = []
    rows: list[list[_Inline]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        depth = len(lists) + quotes
        if marker is not None and kind in _MARKERLESS:
            built.add(marker, "item", depth - 1)  # the item's own marker, on a line of its own
            marker = None
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrs.get("start", 1) if kind == "ordered_list_open" else None
            lists.append([int(start) if start is not None else None])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open" and lists:
            number = lists[-1][0]
            if number is None:
                marker = _BULLETS[(len(lists) - 1) % len(_BULLETS)]
            else:
                marker = f"{number}{token.markup or '.'}"
                lists[-1][0] = number + 1
        elif kind == "list_item_close" and marker is not None:
            built.add(marker, "item", depth - 1)  # an empty item still shows its marker
            marker = None
        elif kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind == "heading_open":
            shown = _one_line(_inline(tokens[index + 1]))
            at = built.add(shown.text, "heading", depth, shown)
            if at >= 0:
                level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
                built.headings.append((at, built.length, level))
                title = title or _SPACES.sub(" ", shown.text).strip()
            index += 3
            continue
        elif kind == "paragraph_open":
            shown = _inline(tokens[index + 1])
            if marker is not None:
                prefix = marker + " "
                shown = _Inline(
                    prefix + shown.text,
                    [(a + len(prefix), b + len(prefix), s) for a, b, s in shown.styles],
                    [(a + len(prefix), b + len(prefix), t) for a, b, t in shown.links],
                )
                built.add(shown.text, "item", depth - 1, shown)
                marker = None
            else:
                built.add(shown.text, "paragraph", depth, shown)
            index += 3
            continue
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            if marker is not None:
                built.add(marker, "item", depth - 1)
                marker = None
            margin = _INDENT * depth
            # Every line carries its margin and its own indent, the first one's lying before
            # the block (a passage never starts with a space): the reader draws them as is.
            code = "\n".join(margin + line if line else line for line in code.split("\n"))
            built.add(code, "code")
        elif kind == "tr_open":
            row = []
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            row.append(_one_line(_inline(token)))
        elif kind == "tr_close":
            rows.append(row)
        elif kind == "table_close":
            if rows:
                table = _table(rows)
                built.add(table.text, "table", depth, table)
            rows = []
        # html_block, hr: raw markup and rules are not words
        index += 1
    text = "".join(built.parts)
    return Extracted(
        text,
        Metadata(title=title),
        VERSION,
        tuple(built.headings),
        tuple(built.links),
        styles=tuple(built.styles),
        blocks=tuple(built.blocks),
    )
