"""Cut a document's text into passages: the paragraphs a reader perceives, the unit of tagging.

Rules, in order:
- blank lines separate blocks;
- Markdown headings and list items are passages of their own (a list item keeps its
  indented continuation lines); a fenced code block in Markdown is one passage;
- a block of short lines that mostly break mid-sentence is hard-wrapped prose: one paragraph
  (Markdown joins every block of prose, as CommonMark does); a block with long lines, or lines
  that each end a sentence, holds one paragraph per line (web text saved that way);
- a paragraph longer than `LONG_PARAGRAPH` characters is cut into passages of whole
  sentences found by pysbd's French segmenter.

Offsets are code-point offsets into the text, end exclusive; a passage never starts or ends
with whitespace, and the same text always gives the same passages.
"""

from __future__ import annotations

import itertools
import re
import statistics
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Literal, NamedTuple

from tui.text import trimmed

PassageKind = Literal["paragraph", "heading", "item", "code", "table", "sentences", "pending"]

PASSAGE_RULES = 3
"""Which rules cut passages: raised with any change that may cut a text differently, so that
counts kept from before (the catalog's) are made again rather than shown."""

LONG_PARAGRAPH = 600
"""A paragraph longer than this is split into passages of whole sentences."""

WRAPPED_LINE = 100
"""A block whose lines are all at most this long is hard-wrapped prose: one paragraph."""

SENTENCE_WINDOW = 4_000
"""pysbd reads long paragraphs this many characters at a time (its cost grows faster)."""

LONGEST_SENTENCE = 2_000
"""Sentence runs longer than this (a run-on line with no full stop) are cut at spaces."""

_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_SENTENCE_END = (".", "!", "?", "…", ":", ";", "»", "”", '"', "'", ")", "]")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_FENCE = re.compile(r"(`{3,}|~{3,})")


class Passage:
    """One passage: `text == document_text[start:end]`.

    Made from a document, a passage keeps the document's text and slices it when asked: a
    book's hundred thousand passages would otherwise hold a second copy of the book.
    """

    __slots__ = ("_base", "_source", "end", "index", "kind", "start")

    def __init__(
        self,
        index: int,
        start: int,
        end: int,
        text: str | None = None,
        kind: PassageKind = "paragraph",
        *,
        source: str | None = None,
    ) -> None:
        """`text` is the passage's own text; or `source` is the whole document's."""
        setting = object.__setattr__  # past the guard below, which is for after __init__
        setting(self, "index", index)
        setting(self, "start", start)
        setting(self, "end", end)
        setting(self, "kind", kind)
        setting(self, "_source", source if source is not None else text or "")
        setting(self, "_base", 0 if source is not None else start)

    @property
    def text(self) -> str:
        return self._source[self.start - self._base : self.end - self._base]

    def _fields(self) -> tuple[int, int, int, str, str]:
        return self.index, self.start, self.end, self.kind, self.text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Passage):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((self.index, self.start, self.end, self.kind))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a passage's {name} cannot change: passages are values")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a passage's {name} cannot change: passages are values")

    def __reduce__(self) -> tuple[type[Passage], tuple[int, int, int, str, str]]:
        # Copied or pickled alone, a passage keeps its own text, not the whole document.
        return Passage, (self.index, self.start, self.end, self.text, self.kind)

    def __repr__(self) -> str:
        return (
            f"Passage(index={self.index}, start={self.start}, end={self.end}, "
            f"text={self.text!r}, kind={self.kind!r})"
        )


class _Line(NamedTuple):  # a tuple: a book has half a million lines, made in a third the time
    start: int
    end: int  # end of the line's content, before "\n"
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


def index_at(passages: list[Passage], offset: int) -> int:
    """The index of the passage holding `offset`, or of the last one before it (0 if none)."""
    return max(bisect_right(passages, offset, key=lambda passage: passage.start) - 1, 0)


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for raw in text.split("\n"):
        lines.append(_Line(position, position + len(raw), raw))
        position += len(raw) + 1
    return lines


def _front_matter_end(lines: list[_Line]) -> int:
    """How many lines a Markdown file's YAML front matter (`---` … `---`) takes, or 0."""
    if len(lines) < 2 or lines[0].text.rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].text.rstrip() in ("---", "..."):
            return index + 1
    return 0


def _blocks(lines: list[_Line], markdown: bool) -> Iterator[tuple[list[_Line], bool]]:
    """Yield runs of non-blank lines, and whether the run is kept line by line (code)."""
    block: list[_Line] = []
    index = _front_matter_end(lines) if markdown else 0
    if index:
        yield lines[:index], True  # front matter is data, shown as it is written
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line.text.lstrip()) if markdown else None
        if fence:
            if block:
                yield block, False
                block = []
            closing = fence.group(1)[0] * len(fence.group(1))
            end = index + 1
            while end < len(lines) and not lines[end].text.lstrip().startswith(closing):
                end += 1
            yield lines[index : min(end + 1, len(lines))], True
            index = end + 1
            continue
        if line.blank:
            if block:
                yield block, False
                block = []
        else:
            block.append(line)
        index += 1
    if block:
        yield block, False


def _interrupts(previous: _Line, item: str, markdown: bool) -> bool:
    """Whether a list-item-looking line starts a list rather than continuing the prose above.

    CommonMark lets a bullet, or an ordered item numbered 1, interrupt a paragraph; in plain
    text a wrapped line may well begin "2023. Les…" or "- dit-il", so it takes a full stop first.
    """
    if markdown:
        return item[0] in "-*+" or item.startswith("1.") or item.startswith("1)")
    return _ends_sentence(previous)


def _ends_sentence(line: _Line) -> bool:
    return line.text.rstrip().endswith(_SENTENCE_END)


def _continues(line: _Line, following: _Line) -> bool:
    """Whether a line break looks like a wrap inside a sentence rather than a paragraph end."""
    head = following.text.lstrip()[:1]
    return not _ends_sentence(line) and (head.islower() or not head.isalpha())


def _prose_paragraphs(lines: list[_Line], markdown: bool) -> Iterator[list[_Line]]:
    """Group a run of prose lines into paragraphs.

    Markdown joins them all (a soft line break). Otherwise a run whose lines are short and
    mostly break mid-sentence is hard-wrapped prose, one paragraph except after a short line
    that ends a sentence; any other run holds one paragraph per line, except where a line
    plainly continues on the next (no full stop, next line in lower case).
    """
    if markdown or len(lines) == 1:
        yield lines
        return
    pairs = list(itertools.pairwise(lines))
    typical = statistics.median(len(line.text.strip()) for line in lines[:-1])
    wraps = sum(_continues(line, following) for line, following in pairs)
    hard_wrapped = typical <= WRAPPED_LINE and wraps * 2 >= len(pairs)
    paragraph = [lines[0]]
    for line, following in pairs:
        if hard_wrapped:
            short = len(line.text.strip()) < 0.6 * typical
            joined = not (short and _ends_sentence(line))
        else:
            joined = _continues(line, following)
        if not joined:
            yield paragraph
            paragraph = []
        paragraph.append(following)
    yield paragraph


def _units(block: list[_Line], markdown: bool) -> Iterator[tuple[list[_Line], PassageKind]]:
    """Split a block into headings, list items and paragraphs."""
    prose: list[_Line] = []
    item: list[_Line] = []

    def flush_prose() -> Iterator[tuple[list[_Line], PassageKind]]:
        for paragraph in _prose_paragraphs(prose, markdown) if prose else ():
            yield paragraph, "paragraph"
        prose.clear()

    for line in block:
        stripped = line.text.lstrip()
        if markdown and prose and not item and _SETEXT.match(line.text):
            # "Titre" underlined with === or --- is a heading, underline included.
            yield [*prose, line], "heading"
            prose.clear()
        elif _HEADING.match(stripped):
            if item:
                yield list(item), "item"
                item.clear()
            yield from flush_prose()
            yield [line], "heading"
        elif _LIST_ITEM.match(stripped) and (
            item or not prose or _interrupts(prose[-1], stripped, markdown)
        ):
            if item:
                yield list(item), "item"
                item.clear()
            yield from flush_prose()
            item.append(line)
        elif item:
            # Indented or not ("lazy"), a line right under a list item continues it.
            item.append(line)
        else:
            if item:
                yield list(item), "item"
                item.clear()
            prose.append(line)
    if item:
        yield list(item), "item"
    yield from flush_prose()


LAYOUT_SAMPLE = 1 << 16
"""How much of a text's start `carries_layout` reads: a book is judged by its first pages."""


def carries_layout(text: str) -> bool:
    """Whether plain text is laid out by its spaces, to be shown as written: a manual page
    (headings at the margin in capitals over indented bodies), aligned columns, or code (a
    third of its lines ending in a brace or a semicolon)."""
    lines = [line for line in text[:LAYOUT_SAMPLE].split("\n") if line.strip()]
    if len(lines) < 5:
        return False
    indented = sum(line[:2].isspace() for line in lines)
    headings = sum(
        not line[0].isspace() and len(line) <= LEAD_LINE and line.upper() == line for line in lines
    )
    columns = sum(bool(_COLUMNS.search(line.strip())) for line in lines)
    code = sum(line.rstrip().endswith(("{", "}", ";")) for line in lines)
    return (
        (indented * 2 >= len(lines) and headings >= 2)
        or columns * 3 >= len(lines)
        or code * 3 >= len(lines)
    )


_COLUMNS = re.compile(r"\S {3,}\S")


LEAD_LINE = 48
"""A line at most this long over more deeply indented lines leads them: a manual page's
`NAME` over its body, an option over its description."""


def _outlined(block: list[_Line]) -> Iterator[tuple[list[_Line], PassageKind]]:
    """`_units` of a plain-text block, each line that leads more deeply indented lines a
    unit of its own (a heading when at the margin in capitals): laid out as an outline, the
    block is not one paragraph."""
    rest: list[_Line] = []
    for line, following in itertools.pairwise([*block, None]):
        if following is not None and _leads(line, following):
            yield from _units(rest, False) if rest else ()
            rest = []
            text = line.text.strip()
            heading = not line.indent and text.upper() == text and any(c.isalpha() for c in text)
            yield [line], "heading" if heading else "paragraph"
        else:
            rest.append(line)
    yield from _units(rest, False) if rest else ()


def _leads(line: _Line, following: _Line) -> bool:
    text = line.text.strip()
    return (
        following.indent >= line.indent + 2
        and len(text) <= LEAD_LINE
        and not text.endswith((",", ";", "-"))
        and not following.blank
    )


_per_thread = threading.local()


def _segmenter():  # pysbd is imported on first use: it is slow to import and rarely needed
    """This thread's segmenter: pysbd keeps the text it cuts in the segmenter, so one shared by
    the reader and the background counting mixed their texts up."""
    segmenter = getattr(_per_thread, "segmenter", None)
    if segmenter is None:
        import pysbd

        segmenter = _per_thread.segmenter = pysbd.Segmenter(language="fr", clean=False)
    return segmenter


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of `text[start:end]`: trimmed spans, in order, covering all non-blank text.

    pysbd's time grows faster than the text, so a long run is read in windows: every sentence
    of a window but its last is kept, and the next window starts where that last one starts.
    """
    spans: list[tuple[int, int]] = []
    position = start
    while position < end:
        window_end = min(end, position + SENTENCE_WINDOW)
        found = _pysbd_spans(text, position, window_end)
        if window_end < end and len(found) > 1:
            spans.extend(found[:-1])
            position = found[-1][0]  # the last sentence may run past the window: read it again
        else:
            spans.extend(found)
            position = window_end
    return spans


def _pysbd_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """pysbd's sentences of one window, as trimmed spans covering all its non-blank text."""
    # pysbd takes every newline for a sentence end; a space keeps offsets and joins wrapped lines.
    chunk = text[start:end].replace("\n", " ")
    try:
        sentences = _segmenter().segment(chunk)
    except Exception:  # pysbd fails on some pathological inputs: fall back to one run
        sentences = [chunk]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentences:
        found = chunk.find(sentence, cursor) if sentence else -1
        if found < 0:
            # pysbd may normalise what it returns; re-sync by covering up to the next match
            continue
        if found > cursor and spans:
            # text pysbd skipped joins the previous sentence so nothing is lost
            spans[-1] = (spans[-1][0], found)
        elif found > cursor:
            found = cursor
        spans.append((found, found + len(sentence)))
        cursor = found + len(sentence)
    if not spans:
        spans = [(0, len(chunk))]
    elif cursor < len(chunk):
        spans[-1] = (spans[-1][0], len(chunk))
    result = []
    for a, b in spans:
        a, b = trimmed(text, start + a, start + b)
        if a < b:
            result.append((a, b))
    return result


def _hard_split(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long run at the last space before `limit`, or at `limit` when there is none."""
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        if cut <= start:
            cut = start + limit
        a, b = trimmed(text, start, cut)
        if a < b:
            yield a, b
        start, _ = trimmed(text, cut, end)
    if start < end:
        yield start, end


def _sentence_groups(
    text: str, start: int, end: int, quick: bool = False
) -> Iterator[tuple[int, int]]:
    """Group consecutive sentences into passages of at most `LONG_PARAGRAPH` characters.

    `quick` cuts at spaces instead of sentences: a stand-in shown while pysbd works.
    """
    group: tuple[int, int] | None = None
    runs = (
        _hard_split(text, start, end, LONG_PARAGRAPH) if quick else sentence_spans(text, start, end)
    )
    for s_start, s_end in runs:
        for a, b in _hard_split(text, s_start, s_end, LONGEST_SENTENCE):
            if group is None:
                group = (a, b)
            elif b - group[0] <= LONG_PARAGRAPH:
                group = (group[0], b)
            else:
                yield group
                group = (a, b)
    if group is not None:
        yield group


Unit = tuple[int, int, PassageKind]
"""A paragraph, heading, list item or code block as a trimmed span, before any sentence cut."""


_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
"""The end of a line and the blank lines after it (whitespace only, as `str.strip` sees it).
It starts at a newline: a search costs one pass, however long a run of spaces."""


def units_of(text: str, markdown: bool = False) -> list[Unit]:
    """The text's units in order: what a quick and a full cut both start from.

    Plain text is read block by block, and a block of one line, the common case in a book
    saved one paragraph per line, is taken without the line-by-line rules (five times faster).
    """
    if markdown:
        return _units_by_line(text, markdown)
    found: list[Unit] = []
    pieces, start = [], 0
    for gap in _BLANK_LINES.finditer(text):
        pieces.append((start, gap.start()))
        start = gap.end()
    pieces.append((start, len(text)))
    for start, end in pieces:
        if text.find("\n", start, end) < 0:
            start, end = trimmed(text, start, end)
            if start == end:
                continue
            stripped = text[start:end]
            kind: PassageKind = "paragraph"
            if _HEADING.match(stripped):
                kind = "heading"
            elif _LIST_ITEM.match(stripped):
                kind = "item"
            found.append((start, end, kind))
        else:
            lines = _lines(text[start:end])
            found.extend(
                (start + a, start + b, kind) for a, b, kind in _units_of_lines(text, lines, start)
            )
    return found


def _units_by_line(text: str, markdown: bool) -> list[Unit]:
    """`units_of`, every line through the rules: Markdown needs it (fences span blank lines)."""
    return [
        (start, end, kind) for start, end, kind in _units_of_lines(text, _lines(text), 0, markdown)
    ]


def _units_of_lines(
    text: str, lines: list[_Line], offset: int, markdown: bool = False
) -> Iterator[Unit]:
    """Units of `lines` (offsets relative to `offset` in `text`), made relative again."""
    for block, fenced in _blocks(lines, markdown):
        if fenced:
            units: Iterable[tuple[list[_Line], PassageKind]] = [(block, "code")]
        elif markdown:
            units = _units(block, markdown)
        else:
            units = _outlined(block)
        for unit_lines, kind in units:
            start, end = trimmed(text, offset + unit_lines[0].start, offset + unit_lines[-1].end)
            if start < end:
                yield start - offset, end - offset, kind


def _is_long(kind: PassageKind, start: int, end: int) -> bool:
    return kind in ("paragraph", "item") and end - start > LONG_PARAGRAPH


def sentence_work(units: list[Unit]) -> int:
    """How many characters sit in paragraphs long enough to need pysbd."""
    return sum(end - start for start, end, kind in units if _is_long(kind, start, end))


def segment(
    text: str, markdown: bool = False, *, quick: bool = False, units: list[Unit] | None = None
) -> list[Passage]:
    """Cut `text` into passages (see the module docstring for the rules).

    With `quick`, long paragraphs are cut at spaces (kind "pending") instead of between
    sentences: for a first screen of a large text, while the real cut is made elsewhere.
    `units` are the text's `units_of`, when already found.
    """
    passages: list[Passage] = []

    def add(start: int, end: int, kind: PassageKind) -> None:
        passages.append(Passage(len(passages), start, end, kind=kind, source=text))

    for start, end, kind in units_of(text, markdown) if units is None else units:
        if _is_long(kind, start, end):
            for a, b in _sentence_groups(text, start, end, quick):
                add(a, b, "pending" if quick else "sentences")
        else:
            add(start, end, kind)
    return passages
