"""Case- and accent-insensitive matching: `securite` finds `sécurité` and `SÉCURITÉ`.

`fold` is for names and short strings. `fold_text` folds a document for search one character
at a time, so that a match in the folded text maps back to exact code-point offsets in the
document's own text: case, accents, apostrophes, quotes, dashes and kinds of space are ignored,
`l'IA` finds `l’IA`, `-` finds `–`, and a space finds a line break or a non-breaking space.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def fold(text: str) -> str:
    """Lower case without accents: decompose, drop combining marks, casefold."""
    return strip_accents(text).casefold()


def folded_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a regular expression to run on folded text (re.error when it is invalid).

    Only accents are taken off the pattern: lower-casing it would turn `\\W` into `\\w`.
    Case is ignored by the regular expression instead.
    """
    return re.compile(strip_accents(pattern), re.IGNORECASE)


SPACES = {
    code: " " for code in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F)
}
SPACES.update({code: " " for code in range(0x2000, 0x200B)})  # en, em, thin, hair spaces…
SPACES[0x205F] = SPACES[0x3000] = " "
QUOTES = {0x2018: "'", 0x2019: "'", 0x02BC: "'", 0x2032: "'", 0x201C: '"', 0x201D: '"'}
DASHES = {code: "-" for code in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212)}
"""Hyphens, dashes and minus as typed: `-` finds `–`. (Quotes and dashes folded so, French text
folds to Latin-1 alone: Python keeps it at one byte a character, half the memory of a book.)"""
LIGATURES = {"œ": "oe", "æ": "ae"}
"""Typed as two letters on most keyboards: `oeuvre` finds `œuvre`."""


class _Folds(dict[int, str]):
    """What each character folds to, worked out the first time it is seen."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = SPACES.get(code) or QUOTES.get(code) or DASHES.get(code)
        if folded is None and unicodedata.category(char) == "Cf":
            folded = ""  # soft hyphens and zero-width spaces, invisible in a word
        if folded is None:
            folded = "".join(c for c in fold(char) if not unicodedata.combining(c))
            folded = "".join(LIGATURES.get(c, c) for c in folded)
        self[code] = folded
        return folded


FOLDS = _Folds()


class Breaks:
    """(folded offset, original offset) pairs where the one-for-one alignment restarts, in
    order, kept as two arrays of machine integers: a book has one per paragraph, and a tuple
    of two Python ints takes a hundred bytes."""

    __slots__ = ("folded", "original")

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()) -> None:
        self.folded = array("q")
        self.original = array("q")
        for folded_at, original_at in pairs:
            self.add(folded_at, original_at)

    @classmethod
    def of_lists(cls, folded: list[int], original: list[int]) -> Breaks:
        """From the two lists an index file keeps (TypeError, OverflowError or ValueError
        when they are not two lists of as many integers)."""
        if len(folded) != len(original):
            raise ValueError("unpaired breaks")
        breaks = cls()
        breaks.folded, breaks.original = array("q", folded), array("q", original)
        return breaks

    def add(self, folded_at: int, original_at: int) -> None:
        self.folded.append(folded_at)
        self.original.append(original_at)

    def __len__(self) -> int:
        return len(self.folded)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.folded, self.original, strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Breaks):
            return NotImplemented
        return self.folded == other.folded and self.original == other.original

    def __hash__(self) -> int:
        return hash((self.folded.tobytes(), self.original.tobytes()))

    def __repr__(self) -> str:
        return f"Breaks({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Folded:
    """A text folded for search, with what it takes to map offsets back to the original."""

    text: str
    breaks: Breaks = field(default_factory=Breaks)
    """Empty when every character folded to exactly one."""

    def original(self, offset: int) -> int:
        breaks = self.breaks
        if not breaks:
            return offset
        index = bisect_right(breaks.folded, offset) - 1
        if index < 0:
            return offset
        return breaks.original[index] + offset - breaks.folded[index]

    def at_or_before(self, original: int) -> int:
        """A folded offset whose original offset is at most `original` (a place to start a
        search from: nothing at or after `original` lies before it)."""
        original = max(original, 0)
        breaks = self.breaks
        if not breaks:
            return original  # one for one throughout
        # The last alignment that starts strictly before: all folded text before it maps
        # before `original` (an expansion maps several folded characters to one original).
        index = bisect_left(breaks.original, original) - 1
        if index < 0:
            return min(original, breaks.folded[0])  # one for one up to the first break
        # One for one from that break up to the next, whose original is at least `original`.
        ahead = breaks.folded[index] + original - breaks.original[index]
        return min(ahead, breaks.folded[index + 1]) if index + 1 < len(breaks) else ahead

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded `[start, end)` (a match ending inside an expansion,
        `s` of `ß`, takes the whole character)."""
        low = self.original(start)
        return low, max(self.original(end), self.original(end - 1) + 1, low)


FOLD_SLICE = 1 << 18
"""Characters folded at a time."""


def fold_text(text: str) -> Folded:
    """`text` folded for search, one character at a time; a run of spaces (a paragraph
    break, two spaces after a full stop) folds to one, as in a query."""
    # Slice by slice, each cut to one space a run, then joined: folding a book whole holds
    # two or three copies of it at once (`str.translate`, then `re.sub`), by slices one more.
    parts: list[str] = []
    breaks = Breaks()
    start = removed = 0
    while start < len(text):
        end = min(start + FOLD_SLICE, len(text))
        while end < len(text) and FOLDS[ord(text[end])] == " ":
            end += 1  # no run of spaces across two slices
        piece = text[start:end]
        folded = piece.translate(FOLDS)
        if len(folded) != len(piece) or any(len(FOLDS[ord(c)]) != 1 for c in set(piece)):
            return _fold_by_character(text)  # a ligature or a soft hyphen: offsets shift
        for run in _RUN_OF_SPACES.finditer(folded):
            removed += run.end() - run.start() - 1
            breaks.add(start + run.end() - removed, start + run.end())  # what follows the run
        parts.append(_RUN_OF_SPACES.sub(" ", folded) if "  " in folded else folded)
        start = end
    return Folded("".join(parts), breaks)


def fold_words(text: str) -> str:
    """`text` folded as `fold_text` folds it, spaces aside, without the offsets: quicker, for
    matching words in short strings (the article list's titles)."""
    return text.translate(FOLDS)


def _fold_by_character(text: str) -> Folded:
    pieces: list[str] = []
    breaks = Breaks()
    at = shift = 0  # shift: original offset minus folded offset, as far as known
    spaced = False
    for position, char in enumerate(text):
        piece = FOLDS[ord(char)]
        if piece == " ":
            if spaced:
                continue  # the run already has its space
            spaced = True
        elif piece:
            spaced = piece.endswith(" ")
        pieces.append(piece)
        for step in range(len(piece)):
            if at + step + shift != position:
                shift = position - (at + step)
                breaks.add(at + step, position)
        at += len(piece)
    if at + shift != len(text):
        breaks.add(at, len(text))
    return Folded("".join(pieces), breaks)


_RUN_OF_SPACES = re.compile(" {2,}")


def find_in(folded: Folded, query: str, since: int = 0) -> Iterator[tuple[int, int]]:
    """Original spans of every match of a folded `query` in `folded`, in text order; with
    `since`, those starting at or after that original offset."""
    reached = since
    start = folded.text.find(query, folded.at_or_before(since))
    while start >= 0:
        low, high = folded.span(start, start + len(query))
        if low >= reached:  # `s` twice in the `ss` of one `ß` is one match
            yield low, high
            reached = high
            start = folded.text.find(query, start + len(query))
        else:
            start = folded.text.find(query, start + 1)
