"""PDF: text in reading order by PDFium (through pypdfium2), paragraphs found from where the
lines stand on the page, joined across line and page breaks, running headers and page
numbers left out where they repeat."""

from __future__ import annotations

import itertools
import re
import statistics
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.corpus.extract.common import Extracted, Metadata, NotExtracted, TextBuilder, join_lines

VERSION = "pdf-1"
"""Raised with any change that may give a PDF a different text (annotations re-anchor)."""

MAX_PAGES = 10_000
"""A PDF of more pages than this is refused, not read: over a minute of reading, and no
article or book is that long."""

_PDFIUM = threading.Lock()
"""PDFium is not thread-safe: one document at a time is read through it."""

_SENTENCE_END = (".", "!", "?", "…", ":", "»", "”", '"')
_PAGE_NUMBER = re.compile(r"(?i)(?:page\s*)?[\divxlc]{1,6}(?:\s*(?:/|of|sur)\s*\d+)?")
_DIGITS = re.compile(r"\d+")
_PDFIUM_MARKS = str.maketrans({"\x02": "-", "\ufffe": "-", "\r": "", "\n": " "})
_PDFIUM_LINE = re.compile("[^\n\ufffe\x02]+[\ufffe\x02]?")
"""A line of PDFium's text: up to a line break, or up to the mark it puts for a hyphen that
ends a line (where it leaves out the line break)."""
_ITEM = re.compile(r"[•◦▪‣∙·*–—-]\s|\(?(?:\d{1,3}|[a-z])[.)]\s")


@dataclass
class Line:
    text: str
    left: float
    right: float
    bottom: float
    top: float


def extract_pdf(data: bytes, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """A PDF's text and its info dictionary's title, author and date; `progress` is told
    (pages read, pages in all) as the pages are read."""
    pages, info, _ = _read_pages(data, None, progress)
    return _extracted(pages, info)


def extract_pdf_start(data: bytes, pages: int) -> tuple[Extracted, int] | None:
    """The text of the PDF's first `pages` pages, and how many it has in all; None when it
    has no more than that (its whole text comes as quickly). The start of a long PDF to show
    while the rest is read: its last paragraph may go on in the pages not read."""
    read, info, count = _read_pages(data, pages, None)
    if count <= pages:
        return None
    return _extracted(read, info), count


def _read_pages(
    data: bytes, first: int | None, progress: Callable[[int, int], None] | None
) -> tuple[list[list[Line]], dict[str, str], int]:
    """The lines of each page (of the `first` pages only, if given), the info dictionary and
    the number of pages. PDFium is held a page at a time: another document waits a page, not
    a book."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if "password" in str(error).lower():
                raise NotExtracted(
                    "is an encrypted PDF: it cannot be read without its password"
                ) from error
            raise NotExtracted("is a broken PDF: it cannot be read") from error
    try:
        with _PDFIUM:
            count = len(document)
            info = document.get_metadata_dict(skip_empty=True)
        if count > MAX_PAGES:
            raise NotExtracted(f"has {count:,} pages, more than the {MAX_PAGES:,} glose reads")
        wanted = count if first is None else min(first, count)
        pages = []
        for index in range(wanted):
            with _PDFIUM:
                pages.append(_lines(document[index]))
            if progress is not None:
                progress(index + 1, wanted)
    finally:
        with _PDFIUM:
            document.close()
    return pages, info, count


def _extracted(pages: list[list[Line]], info: dict[str, str]) -> Extracted:
    pages = _without_running_lines(pages)
    everything = [line for lines in pages for line in lines]
    spacing = _spacing(pages)
    left, right = _margins(everything)
    out = TextBuilder()
    paragraph: list[str] = []
    previous: Line | None = None
    for lines in pages:
        for index, line in enumerate(lines):
            in_item = bool(paragraph) and bool(_ITEM.match(paragraph[0].lstrip()))
            if previous is not None and _starts_paragraph(
                previous, line, index == 0, spacing, left, right, in_item, len(paragraph) == 1
            ):
                out.block(join_lines(paragraph))
                paragraph = []
            paragraph.append(line.text)
            previous = line
    out.block(join_lines(paragraph))
    if not out.parts:
        raise NotExtracted("is a PDF without text (scanned pages need recognising first)")
    metadata = Metadata(
        title=info.get("Title", "").strip(),
        author=info.get("Author", "").strip(),
        date=_pdf_date(info.get("CreationDate", "")),
    )
    return out.extracted(metadata, VERSION)


def _lines(page: object) -> list[Line]:
    """A page's lines as PDFium orders them, each placed by the boxes of its first and last
    letters (two calls a line: reading each run of text on its own is four times slower)."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        text = textpage.get_text_range()
        if len(text) != textpage.count_chars():
            return _lines_by_runs(textpage)  # letters beyond the BMP: offsets are not indexes
        lines: list[Line] = []
        for found in _PDFIUM_LINE.finditer(text):
            start, raw = found.start(), found.group().rstrip("\n")
            first = start + len(raw) - len(raw.lstrip())
            last = start + len(raw.rstrip()) - 1
            if first <= last:
                left, bottom, _, top = textpage.get_charbox(first, loose=True)
                _, low, right, high = textpage.get_charbox(last, loose=True)
                line = raw.translate(_PDFIUM_MARKS).strip()
                lines.append(Line(line, left, right, min(bottom, low), max(top, high)))
        return lines
    finally:
        textpage.close()


def _lines_by_runs(textpage: Any) -> list[Line]:
    """A page's lines made of the runs of text PDFium finds on it."""
    lines: list[Line] = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top).translate(_PDFIUM_MARKS)
        if not text.strip():
            continue
        middle = (bottom + top) / 2
        last = lines[-1] if lines else None
        if last is not None and last.bottom <= middle <= last.top and left >= last.left:
            last.text += ("" if last.text.endswith(" ") or text.startswith(" ") else " ") + text
            last.right = max(last.right, right)
            last.bottom, last.top = min(last.bottom, bottom), max(last.top, top)
        else:
            lines.append(Line(text, left, right, bottom, top))
    return lines


def _spacing(pages: list[list[Line]]) -> float:
    """The usual distance from one line to the next, the whole document through."""
    steps = [
        above.bottom - below.bottom
        for lines in pages
        for above, below in itertools.pairwise(lines)
        if above.bottom > below.bottom
    ]
    if steps:
        return statistics.median(steps)
    return 14.0


def _margins(lines: list[Line]) -> tuple[float, float]:
    """Where the body's lines start (the leftmost place two lines or more start at: first lines
    may all be indented, a lone note may stand in the margin), and where its full lines end."""
    if not lines:
        return 0.0, 0.0
    starts = Counter(round(line.left) for line in lines)
    shared = [left for left, count in starts.items() if count >= 2] or list(starts)
    ends = sorted(line.right for line in lines)
    return float(min(shared)), ends[int(len(ends) * 0.9)]


def _starts_paragraph(
    previous: Line,
    line: Line,
    page_top: bool,
    spacing: float,
    left: float,
    right: float,
    in_item: bool,
    after_first: bool,
) -> bool:
    height = max(line.top - line.bottom, 1.0)
    ended = previous.text.rstrip().endswith(_SENTENCE_END)
    short = previous.right < right - 4 * height
    if short and (ended or not line.text.lstrip()[:1].islower()):
        return True  # a paragraph's last line, or a heading, stops before the margin
    indented = line.left > previous.left + height or (
        # One-line paragraphs each indented: the line before is itself a first line.
        after_first and line.left > left + height and abs(line.left - previous.left) < 1
    )
    if indented and ended and not in_item:
        return True  # an indented first line (not an indented block's or a list item's)
    if _ITEM.match(line.text.lstrip()):
        return True  # a list item
    size = max(previous.top - previous.bottom, 1.0)
    if abs(size - height) > 0.25 * max(size, height):
        return True  # a change of type size: a heading begins or ends
    if page_top:
        return False  # a page break inside a paragraph
    gap = previous.bottom - line.bottom
    return gap > spacing * 1.15 or gap < 0


def _without_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Pages without their page numbers, and without a first or last line that repeats on many
    pages (a running header or footer), its numbers aside."""

    def shape(line: Line) -> str:
        return _DIGITS.sub("#", " ".join(line.text.split())).lower()

    edges: Counter[str] = Counter()
    for lines in pages:
        for line in {shape(line) for line in lines[:1] + lines[-1:]}:
            edges[line] += 1
    repeated = {
        text for text, count in edges.items() if len(pages) >= 3 and count * 2 >= len(pages)
    }
    cleaned = []
    for lines in pages:
        kept = list(lines)
        for position in (0, -1):
            while kept:
                line = kept[position]
                if shape(line) in repeated or _is_page_number(kept, position):
                    kept.pop(position)
                else:
                    break
        cleaned.append(kept)
    return cleaned


def _is_page_number(lines: list[Line], position: int) -> bool:
    """Whether the first (0) or last (-1) line of a page is its number. A number in Roman
    letters is also a word ("c", "dix", "mix" end paragraphs): it must stand apart from the
    text, further from its neighbour than the page's lines are from each other."""
    text = lines[position].text.strip()
    if not _PAGE_NUMBER.fullmatch(text):
        return False
    if any(character.isdigit() for character in text) or text[:4].lower() == "page":
        return True
    if len(lines) < 2:
        return True
    neighbour = lines[1] if position == 0 else lines[-2]
    gap = abs(lines[position].bottom - neighbour.bottom)
    body = lines[1:] if position == 0 else lines[:-1]
    steps = sorted(abs(a.bottom - b.bottom) for a, b in itertools.pairwise(body))
    usual = steps[len(steps) // 2] if steps else 1.2 * (neighbour.top - neighbour.bottom)
    return gap > 1.5 * usual


def _pdf_date(raw: str) -> str:
    """`D:20240305...` as `2024-03-05` (the day is all a reader needs)."""
    found = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", raw.strip())
    if not found:
        return ""
    return "-".join(part for part in found.groups() if part)
