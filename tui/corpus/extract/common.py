"""What every extractor gives back, and the way it builds its text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.corpus.decoding import NotText


class NotExtracted(NotText):
    """The file cannot be turned into text; `str(error)` is one sentence for the user."""


@dataclass(frozen=True)
class Metadata:
    """What a document says about itself; empty strings for what it does not say."""

    title: str = ""
    author: str = ""
    date: str = ""
    site: str = ""
    url: str = ""


@dataclass(frozen=True)
class Link:
    """Words of the text that lead somewhere: `text[start:end]` shown, `target` followed."""

    start: int
    end: int
    target: str


@dataclass(frozen=True)
class Extracted:
    """A document's canonical text, its metadata, and the extractor that made them.

    `headings` holds `(start, end, level)` for each heading in `text` (level 1 the highest):
    the text itself carries no markup, so that what is quoted is what is shown.
    """

    text: str
    metadata: Metadata
    extractor_version: str
    headings: tuple[tuple[int, int, int], ...] = ()
    links: tuple[Link, ...] = ()
    """The links of the text, in order; filled by the extractors that know them."""
    styles: tuple[tuple[int, int, str], ...] = ()
    """`(start, end, style)` of emphasis, strong and code spans ("emphasis", "strong",
    "strike", "code"), for the reader to draw; the text carries no mark of them."""
    blocks: tuple[tuple[int, int, str], ...] = ()
    """`(start, end, kind)` of each block (a passage kind: "paragraph", "heading", "item",
    "code", "table"), when the extractor knows them; else passages are cut from the text."""


_SPACES = re.compile(r"[^\S\n\u00a0\u202f]+")
_SOFT_HYPHEN = "\u00ad"


def tidy(text: str) -> str:
    """A run of text on one line: soft hyphens out, whitespace runs as one space."""
    return _SPACES.sub(" ", text.replace(_SOFT_HYPHEN, "").replace("\n", " ")).strip()


_BROKEN_WORD = re.compile(r"([^\W\d_]+)-$")


def join_lines(lines: list[str]) -> str:
    """The lines of one paragraph as one line: a word cut by a hyphen at a line's end is made
    whole again when the next line goes on in lower case ("exam-" "ple" is "example"), or in
    capitals after capitals ("OP-" "TIONAL"); any other hyphen stays ("Jean-" "Paul")."""
    joined = ""
    for raw in lines:
        line = tidy(raw)
        if not line:
            continue
        cut = _BROKEN_WORD.search(joined)
        rest = line.split(" ", 1)[0]
        if not joined:
            joined = line
        elif cut and (line[0].islower() or (cut.group(1).isupper() and rest.isupper())):
            joined = joined[:-1] + line
        elif cut:
            joined += line  # a hyphen of its own ("Jean-" "Paul"), kept without a space
        else:
            joined += " " + line
    return joined


@dataclass
class TextBuilder:
    """Blocks (paragraphs, headings, list items, rows) laid one after another, a blank line
    between each: the shape `tui.corpus.passages` cuts into passages."""

    parts: list[str] = field(default_factory=list)
    headings: list[tuple[int, int, int]] = field(default_factory=list)
    length: int = 0

    def block(self, text: str) -> None:
        """One paragraph (already one line, or lines kept as they are)."""
        text = text.strip()
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        self.parts.append(text)
        self.length += len(text)

    def heading(self, text: str, level: int) -> None:
        text = tidy(text)
        if text:
            self.block(text)
            self.headings.append((self.length - len(text), self.length, max(1, min(level, 6))))

    def extracted(self, metadata: Metadata, version: str) -> Extracted:
        return Extracted("".join(self.parts), metadata, version, tuple(self.headings))
