"""What every extractor gives back, and the way it builds its text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

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

    def said(self) -> dict[str, str]:
        """What the document does say, by name (title, author, date, site, url), each on one
        line."""
        fields = (
            ("title", self.title),
            ("author", self.author),
            ("date", self.date),
            ("site", self.site),
            ("url", self.url),
        )
        return {name: " ".join(value.split()) for name, value in fields if value.strip()}


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
        # Only the last word can be cut: searching the whole paragraph made long ones slow.
        cut = _BROKEN_WORD.search(joined, joined.rfind(" ") + 1) if joined[-1:] == "-" else None
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


_FOLLOWED = ("http", "https", "mailto")


def link_target(target: str, base: str = "") -> str | None:
    """The address a link may be followed to, or None: only web pages and mail addresses
    (never `javascript:` or `file:`), without control characters, made absolute against
    `base` (the page's own address) when it is relative."""
    target = "".join(char for char in target.strip() if char.isprintable()).replace(" ", "%20")
    if not target:
        return None
    try:  # an address with brackets that hold no IPv6 address is no address
        if base and not urlsplit(target).scheme:
            target = urljoin(base, target)
        scheme = urlsplit(target).scheme.lower()
    except ValueError:
        return None
    if scheme not in _FOLLOWED or target.lower() == f"{scheme}:":
        return None
    return target


# Case kept: a scan without it or a word boundary reads a book several times faster.
_BARE_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"'`\u00a0]+")
_TRAILING = ".,;:!?*'\"»…"
_CLOSING = {")": "(", "]": "[", "}": "{"}


def bare_links(text: str) -> tuple[Link, ...]:
    """The web and mail addresses written out in `text`: the sentence's punctuation after
    one is not part of it, a closing bracket is only when the address opened one."""
    links = []
    for found in _BARE_URL.finditer(text):
        if found.start() and text[found.start() - 1].isalnum():
            continue  # inside a word ("xhttps://"), not an address of its own
        url = found.group()
        while url:
            last = url[-1]
            if last in _TRAILING or (
                last in _CLOSING and url.count(_CLOSING[last]) < url.count(last)
            ):
                url = url[:-1]
            else:
                break
        target = link_target(url)
        if target is not None:
            links.append(Link(found.start(), found.start() + len(url), target))
    return tuple(links)


def with_bare_links(text: str, links: tuple[Link, ...]) -> tuple[Link, ...]:
    """`links` and the addresses written out in `text` outside them, in order."""
    taken = [(link.start, link.end) for link in links]
    extra = [
        link
        for link in bare_links(text)
        if not any(link.start < end and start < link.end for start, end in taken)
    ]
    return tuple(sorted((*links, *extra), key=lambda link: (link.start, link.end)))


# Noncharacters, which Unicode keeps for a program's own use: they mark where a link's words
# begin and end while a block is put together, and never reach the text.
MARGIN = "  "
"""A nested block's margin, a level's worth (Markdown's too)."""

_OPEN, _OPENED, _CLOSE = "\ufdd0", "\ufdd2", "\ufdd1"
_MARKS = re.compile("\ufdd0([0-9]*)\ufdd2|\ufdd1|[\ufdd0-\ufdd2]")


@dataclass
class TextBuilder:
    """Blocks (paragraphs, headings, list items, rows) laid one after another, a blank line
    between each: the shape `tui.corpus.passages` cuts into passages."""

    parts: list[str] = field(default_factory=list)
    headings: list[tuple[int, int, int]] = field(default_factory=list)
    length: int = 0
    links: list[Link] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    laid_out: bool = False
    """Whether `extracted` says each block's span and kind (`Extracted.blocks`): the reader
    then draws a block's margin under all its lines (nested list items)."""
    blocks: list[tuple[int, int, str]] = field(default_factory=list)

    def link_marks(self, target: str, base: str = "") -> tuple[str, str]:
        """What to put around a link's words in a block's text (nothing for a link that is
        not followed): `block` takes the marks out and keeps the link."""
        kept = link_target(target, base)
        if kept is None:
            return "", ""
        self.targets.append(kept)
        return f"{_OPEN}{len(self.targets) - 1}{_OPENED}", _CLOSE

    def block(self, text: str, kind: str = "paragraph", indent: int = 0) -> tuple[int, int] | None:
        """One paragraph (already one line, or lines kept as they are), set in by `indent`
        levels of two spaces; where it went (its margin left out)."""
        text, links = self._unmarked(text)
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            return None
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        if indent > 0:
            self.parts.append(MARGIN * indent)
            self.length += len(MARGIN) * indent
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        for link_start, link_end, target in links:
            link_start = min(max(link_start - lead, 0), len(text))
            link_end = min(max(link_end - lead, 0), len(text))
            words = text[link_start:link_end]
            link_start += len(words) - len(words.lstrip())
            link_end -= len(words) - len(words.rstrip())
            if link_start < link_end:
                self.links.append(Link(start + link_start, start + link_end, target))
        self.blocks.append((start, self.length, kind))
        return start, self.length

    def _unmarked(self, text: str) -> tuple[str, list[tuple[int, int, str]]]:
        """The block's text without link marks, and the links as (start, end, target)."""
        if _OPEN not in text and _CLOSE not in text:
            return text, []
        pieces: list[str] = []
        length, opened, links = 0, None, []
        last = 0
        for mark in _MARKS.finditer(text):
            pieces.append(text[last : mark.start()])
            length += mark.start() - last
            last = mark.end()
            index = mark.group(1)
            if index:
                opened = (length, int(index))
            elif mark.group() == _CLOSE and opened is not None:
                if opened[1] < len(self.targets):
                    links.append((opened[0], length, self.targets[opened[1]]))
                opened = None
        pieces.append(text[last:])
        return "".join(pieces), links

    def heading(self, text: str, level: int) -> None:
        place = self.block(tidy(text), "heading")
        if place is not None:
            self.headings.append((*place, max(1, min(level, 6))))

    def extracted(self, metadata: Metadata, version: str) -> Extracted:
        text = "".join(self.parts)
        links = with_bare_links(text, tuple(self.links))
        blocks = tuple(self.blocks) if self.laid_out else ()
        return Extracted(text, metadata, version, tuple(self.headings), links, blocks=blocks)


def with_article(kind: str) -> str:
    """`kind` with its article: "an EPUB", "a Word document"."""
    return f"{'an' if kind[:1] in 'AEIOU' else 'a'} {kind}"
