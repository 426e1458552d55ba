"""Annotations made on a web page (or on any source that is not a corpus document) attached
to the corpus document that holds their words.

An annotation whose source is not in the corpus is looked for by its quote across the
corpus's texts; the one place whose context (prefix, suffix) agrees, in one document, takes
it, at that position, exact. Several such places, or none, leave it on its source, an orphan,
as before. `--map SOURCE=DOCUMENT` names the document by hand: there it is placed by its
words as any annotation of that document is.

Quotes are compared as a reader sees text: a browser's DOM text and a saved copy seldom
agree on whitespace (a line end here, two spaces or a non-breaking space there), nor always
on apostrophes and quotation marks (’ or '). Both sides are compared with every whitespace
run as one space and typographic quotes as plain ones; the place found is mapped back to
the document's own offsets, and the annotation takes the document's words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.anchoring import AMBIGUOUS, CONTEXT_AGREES, MAX_CANDIDATES
from tui.store.model import Highlight
from tui.store.reanchoring import placed
from tui.store.records import selectors
from tui.text import counted

if TYPE_CHECKING:
    from tui.corpus import Corpus, Document
    from tui.interchange.reading import Parsed
    from tui.store.model import PassageAnnotation

_RUNS = re.compile(r"\s{2,}|[^\S ]")
"""Whitespace that is not already one plain space."""

_SPACES = re.compile(r"\s+")

FOLDS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
    }
)
"""Typographic apostrophes and quotation marks as plain ones, one character for one."""

WEB = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class Flattened:
    """A text as quotes are compared with it, and the way back to the text's offsets."""

    text: str
    marks: list[int]
    """Positions in `text` from which offsets shift..."""
    origins: list[int]
    """...and the offset in the original text each of them stands for."""

    def original(self, position: int) -> int:
        at = bisect_right(self.marks, position) - 1
        if at < 0:
            return position
        return self.origins[at] + position - self.marks[at]


def flattened(text: str) -> Flattened:
    """`text` with each whitespace run as one space and typographic quotes as plain ones."""
    pieces: list[str] = []
    marks: list[int] = []
    origins: list[int] = []
    last = length = 0
    for run in _RUNS.finditer(text):
        pieces.append(text[last : run.start()])
        length += run.start() - last
        pieces.append(" ")
        marks.append(length)
        origins.append(run.start())
        length += 1
        marks.append(length)
        origins.append(run.end())
        last = run.end()
    pieces.append(text[last:])
    return Flattened("".join(pieces).translate(FOLDS), marks, origins)


def flat(words: str) -> str:
    """A quote, prefix or suffix as it is compared (see `flattened`)."""
    return _SPACES.sub(" ", words).translate(FOLDS)


@dataclass(frozen=True, slots=True)
class Place:
    document: str
    start: int
    end: int


Found = Place | str
"""A place, or why there is none: `ambiguous` or `not found`."""


def find(quote: str, prefix: str, suffix: str, texts: Mapping[str, Flattened]) -> Found:
    """The one place among `texts` (flattened, by document id) of the quote in its context."""
    exact = flat(quote).strip()
    if not exact:
        return "not found"
    places: list[tuple[str, int]] = []
    for document, text in texts.items():
        start = text.text.find(exact)
        while start >= 0:
            places.append((document, start))
            if len(places) > MAX_CANDIDATES:
                return "ambiguous"  # a word or two found everywhere: no telling
            start = text.text.find(exact, start + 1)
    if not places:
        return "not found"
    before, after = flat(prefix), flat(suffix)
    agreeing: list[tuple[float, str, int]] = []
    for document, start in places:
        if not (before.strip() or after.strip()):
            agreeing.append((0.0, document, start))  # no context: the quote alone says
            continue
        sides = _agreement(texts[document].text, start, start + len(exact), before, after)
        # One side may differ (a page's heading is not in a copy): the other must agree.
        if max(sides) >= CONTEXT_AGREES:
            agreeing.append((sum(sides), document, start))
    if not agreeing:
        return "not found"
    agreeing.sort(key=lambda found: -found[0])
    if len(agreeing) > 1 and agreeing[1][0] >= agreeing[0][0] - AMBIGUOUS:
        return "ambiguous"
    _, document, start = agreeing[0]
    text = texts[document]
    return Place(document, text.original(start), text.original(start + len(exact) - 1) + 1)


def _agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """How like the prefix and suffix the text around `start:end` is, each side over as many
    characters as the page gave (its first words have a short prefix, or none: no say)."""
    from rapidfuzz import fuzz

    def side(kept: str, around: str) -> float:
        return fuzz.ratio(kept, around) / 100 if kept.strip() else 0.0

    return (
        side(prefix, text[max(0, start - len(prefix)) : start]),
        side(suffix, text[end : end + len(suffix)]),
    )


@dataclass
class Attaching:
    """What attaching did, for the import's summary."""

    attached: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Annotations attached by their words, by (source, document)."""
    mapped: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Annotations moved by --map, by (source, document)."""
    left: Counter[str] = field(default_factory=Counter)
    """Annotations left on their source, by why (`ambiguous`, `not found`)."""
    mapped_orphans: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Of those, the ones whose words are not in the document: orphans there."""
    unused: list[str] = field(default_factory=list)
    """Sources --map names that no annotation of the file is on."""

    def lines(self) -> list[str]:
        """The summary's lines: what was attached, mapped, left; the mappings used by none."""
        lines = []
        said = []
        if self.attached:
            pages = {source for source, _ in self.attached}
            where = _pairs(self.attached)
            said.append(
                f"attached {counted(self.attached.total(), 'annotation')} on "
                f"{counted(len(pages), 'page')} to corpus documents ({where})"
            )
        if self.left:
            why = ", ".join(
                f"{self.left[reason]:,} {reason}"
                for reason in ("ambiguous", "not found")
                if self.left[reason]
            )
            left = counted(self.left.total(), "annotation")
            said.append(
                f"{left} left on their page, not in the corpus: {why}"
                if not self.attached
                else f"{self.left.total():,} left on their page: {why}"
            )
        if said:
            lines.append("; ".join(said))
        if self.mapped:
            placed = self.mapped.total() - self.mapped_orphans.total()
            line = f"placed {counted(placed, 'annotation')} by --map ({_pairs(self.mapped)})"
            if self.mapped_orphans:
                documents = ", ".join(sorted({document for _, document in self.mapped_orphans}))
                line += (
                    f"; {self.mapped_orphans.total():,} kept as orphans on {documents}: "
                    "their words are not in it"
                )
            lines.append(line)
        lines.extend(
            f"--map {source}: no annotation in the file is on it" for source in self.unused
        )
        return lines


def _orphan_on(annotation: PassageAnnotation | Highlight, document: Document) -> bool:
    """Whether the store will keep `annotation` as an orphan on `document` (its words not
    found there), found as the store finds it."""
    table = "highlights" if isinstance(annotation, Highlight) else "passages"
    return placed(annotation.to_record(), table, document)["status"] == "orphan"


def _pairs(counts: Counter[tuple[str, str]], shown: int = 5) -> str:
    pairs = sorted({(source, document) for source, document in counts})
    said = ", ".join(f"{source} → {document}" for source, document in pairs[:shown])
    return said + (", …" if len(pairs) > shown else "")


def source_of(annotation: PassageAnnotation | Highlight) -> str:
    """The address an annotation not on a corpus document was made on ('' if none)."""
    if annotation.source:
        return annotation.source
    return annotation.document if annotation.document.startswith(WEB) else ""


def attach(parsed: Parsed, corpus: Corpus, mapping: Mapping[str, str] | None = None) -> Attaching:
    """Attach the annotations of `parsed` made on sources not in the corpus: by `mapping`
    (source → document id, every id in the corpus) or by their words. Changed in place."""
    mapping = mapping or {}
    report = Attaching()
    documents = {document.id: document for document in corpus}
    texts: dict[str, Flattened] = {}

    def text_of(document: Document) -> Flattened:
        if document.id not in texts:
            texts[document.id] = flattened(document.text)
        return texts[document.id]

    seen: set[str] = set()
    for annotation in parsed.annotations:
        if annotation.document in documents:
            continue
        source = source_of(annotation)
        named = source or annotation.document
        seen.add(named)
        if named in mapping:
            target = documents[mapping[named]]
            found = find(
                annotation.quote, annotation.prefix, annotation.suffix, {target.id: text_of(target)}
            )
            if isinstance(found, Place):
                _attach(annotation, target, found)
            else:
                # Placed by its words as any annotation of that document is, when stored.
                annotation.document, annotation.sha256 = target.id, ""
                if _orphan_on(annotation, target):
                    report.mapped_orphans[named, target.id] += 1
            annotation.source = named
            report.mapped[named, target.id] += 1
            continue
        if not source:
            continue  # a glose document gone from the corpus: it waits for its return
        annotation.source = source
        if len(texts) < len(documents):
            for document in corpus:
                text_of(document)  # every text, once: the first page's words may be anywhere
        found = find(annotation.quote, annotation.prefix, annotation.suffix, texts)
        if isinstance(found, Place):
            _attach(annotation, documents[found.document], found)
            report.attached[source, found.document] += 1
        else:
            report.left[found] += 1
    report.unused = [source for source in mapping if source not in seen]
    return report


def _attach(annotation: PassageAnnotation | Highlight, document: Document, place: Place) -> None:
    """The annotation on the document's own words there, as glose describes them."""
    for key, value in selectors(document, place.start, place.end).items():
        setattr(annotation, key, value)
    annotation.status = "exact"
