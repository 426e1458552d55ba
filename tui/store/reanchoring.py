"""Annotation records found again in a document's current text, and how each was found."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.anchoring import AMBIGUOUS, CONTEXT_AGREES, MAX_CANDIDATES, Anchor, Selector, reanchor
from tui.corpus import Document, Passage
from tui.corpus.passages import index_at
from tui.store.records import selectors, spanned

Located = tuple[str, str, dict[str, Any]]
"""A record with where the store holds it: table, id, record."""


@dataclass
class AnchorReport:
    """How one document's annotations were found: exact, moved, fuzzy, orphan."""

    document: str
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, status: str) -> None:
        self.counts[status] += 1

    @property
    def orphans(self) -> int:
        return self.counts["orphan"]


def is_stale(record: dict[str, Any], document: Document) -> bool:
    """Whether the record was made on another version of the document's text (or, an
    orphan, not yet looked for in this one)."""
    if record.get("status") == "orphan":
        return record.get("tried") != document.sha256
    return record["sha256"] != document.sha256 or record.get("occurrences", 1) == 0


def off_the_cut(record: dict[str, Any], passages: list[Passage]) -> bool:
    """Whether a passage annotation, not an orphan, lies on words that are not one of
    `passages`: cut by other rules (an older glose's), the reader would show it nowhere."""
    if record.get("status") == "orphan" or not passages:
        return False
    passage = passages[index_at(passages, record["start"])]
    return (passage.start, passage.end) != (record["start"], record["end"])


def reanchoring(
    records: Iterable[Located], document: Document, passages: list[Passage]
) -> tuple[AnchorReport, list[Located]]:
    """How a document's records are found in its current text, and those that change."""
    report = AnchorReport(document.id)
    changes: list[Located] = []
    for table, doc_id, record in records:
        if record.get("status") == "orphan" and record.get("tried") == document.sha256:
            report.add("orphan")  # looked for in this very text already: not again
            continue
        if (
            record["sha256"] == document.sha256
            and record.get("status") != "orphan"
            and not (table == "passages" and off_the_cut(record, passages))
        ):
            report.add(record.get("status", "exact"))
            if record.get("occurrences", 1) == 0:
                # Made before glose kept context (schema 1): add it while the text is right.
                fields = selectors(document, record["start"], record["end"])
                changes.append((table, doc_id, {**record, **fields}))
            continue
        anchored = reanchored(record, table, document, passages)
        report.add(anchored["status"])
        changes.append((table, doc_id, anchored))
    return report, changes


def reanchored(
    record: dict[str, Any], table: str, document: Document, passages: list[Passage]
) -> dict[str, Any]:
    """The record as it is in the document's current text (an orphan if nowhere)."""
    selector = Selector(
        start=record["start"],
        end=record["end"],
        exact=record["quote"],
        prefix=record.get("prefix", ""),
        suffix=record.get("suffix", ""),
        sha256=record["sha256"],
        occurrences=record.get("occurrences", 1),
    )
    anchor = reanchor(document.text, document.sha256, selector)
    if anchor.status == "orphan" and document.is_markdown:
        anchor = _rendered(document, selector) or anchor
    if anchor.status == "orphan":
        # Keeps its selectors as made; `tried` saves looking again in the same text.
        return {**record, "status": "orphan", "tried": document.sha256}
    start, end, status = anchor.start, anchor.end, anchor.status
    index = index_at(passages, start)
    if table == "passages" and passages:
        # A passage's annotation belongs to the passage that holds most of its words now.
        index = holding_most(passages, start, end)
        passage = passages[index]
        if (passage.start, passage.end) != (start, end):
            status = "fuzzy"  # the passage is not the words it was made on, only near them
        start, end = passage.start, passage.end
    found = {**record, **selectors(document, start, end), "status": status, "passage": index}
    if table == "highlights":
        found.update(spanned(passages, start, end))
    found.pop("tried", None)
    return found


_MARKUP = (
    (re.compile(r"<!--.*?-->", re.DOTALL), " "),  # comments are never shown
    (re.compile(r"^[ \t]*(?:`{3,}|~{3,}).*$", re.MULTILINE), " "),  # fences and their language
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # an autolink shows its address
    (re.compile(r"</?[A-Za-z][^>]*>"), " "),  # raw HTML tags
    (re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]"), "]"),  # a link's target is not shown
    (re.compile(r"^[ \t]*\[[^\]]+\]:.*$", re.MULTILINE), " "),  # nor its definition
)
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[re.Match[str]]:
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return list(_WORD.finditer(text))


def _rendered(document: Document, selector: Selector) -> Anchor | None:
    """Words annotated on a Markdown file's raw text (before glose rendered it) found in the
    rendered text: the same words in the same order, markup and padding aside. A quote that
    was unique and still is needs no context; among several places, the one whose words
    before and after agree with the record's context, if one clearly does (else None)."""
    quote = [word.group() for word in _words(selector.exact)]
    if not quote:
        return None
    text = document.text
    found = list(_WORD.finditer(text))
    words = [word.group() for word in found]
    joined = "\0" + "\0".join(words) + "\0"
    starts = list(itertools.accumulate((len(word) + 1 for word in words), initial=1))
    wanted = "\0" + "\0".join(quote) + "\0"
    places: list[int] = []
    at = joined.find(wanted)
    while at >= 0 and len(places) < 10 * MAX_CANDIDATES:
        places.append(bisect_right(starts, at + 1) - 1)
        at = joined.find(wanted, at + 1)
    if not places:
        return None
    # The nearest first, as in the raw text: a one-word quote must not scan a book.
    places = sorted(places, key=lambda first: abs(found[first].start() - selector.start))
    places = places[:MAX_CANDIDATES]
    if len(places) == 1 and selector.occurrences <= 1:
        first = places[0]
    else:
        before = [word.group() for word in _words(selector.prefix)][::-1]
        after = [word.group() for word in _words(selector.suffix)]
        scored = []
        for first in places:
            last = first + len(quote)
            sides = (
                _side_agrees(words[max(0, first - len(before)) : first][::-1], before),
                _side_agrees(words[last : last + len(after)], after),
            )
            # Repeated words need both sides to agree, as in the raw text; others, one.
            if min(sides) >= CONTEXT_AGREES or (
                selector.occurrences <= 1 and max(sides) >= CONTEXT_AGREES
            ):
                scored.append((sum(sides), first))
        if not scored:
            return None  # the same words among other words: not these
        scored.sort(key=lambda item: -item[0])
        if len(scored) > 1 and scored[1][0] >= scored[0][0] - AMBIGUOUS:
            return None  # twins in the same surroundings: never guessed between
        first = scored[0][1]
    return Anchor(found[first].start(), found[first + len(quote) - 1].end(), "moved")


def _side_agrees(these: list[str], those: list[str]) -> float:
    """How much of one side of the context agrees, word by word from the quote outwards
    (0-1). Its farthest word may have been cut by the context's end: not counted. A side
    with no words agrees only with a place that has none either (the text's start or end)."""
    counted = those[:-1] if len(those) > 1 else those
    if not counted:
        return 0.0 if these else 1.0
    return _agreeing(these, counted) / len(counted)


def _agreeing(these: list[str], those: list[str]) -> int:
    """How many words agree from the start of both lists on."""
    pairs = zip(these, those, strict=False)  # the shorter list ends the count
    return sum(1 for _ in itertools.takewhile(lambda pair: pair[0] == pair[1], pairs))


def placed(record: dict[str, Any], table: str, document: Document) -> dict[str, Any]:
    """An imported record as it lies in the document's current text (or an orphan)."""
    text = document.text
    start, end = record["start"], record["end"]
    if not record["quote"] and start < end <= len(text):
        record = {**record, "quote": text[start:end]}  # placed by position alone
    if record["sha256"] == document.sha256 and (
        text[start:end] != record["quote"] or record["status"] == "orphan"
    ):
        record = {**record, "sha256": ""}  # its words are not where it says: look for them
    elif not record["sha256"] and record["quote"] and text[start:end] == record["quote"]:
        # Made on a version of the text nobody recorded (another tool): its words are
        # where it says they are, and that is all there is to know.
        record = {**record, "sha256": document.sha256}
    # Found (exact at once when it is where it says), on this corpus's passages.
    return reanchored(record, table, document, document.passages)


def holding_most(passages: list[Passage], start: int, end: int) -> int:
    """The passage sharing most characters with [start, end) (the nearest if none does;
    the first of equals). Only the passages around the span are looked at: a book has many."""
    first = index_at(passages, start)
    after = bisect_left(passages, end, key=lambda passage: passage.start)
    candidates = range(first, min(after, len(passages) - 1) + 1)
    return max(
        candidates,
        key=lambda i: min(passages[i].end, end) - max(passages[i].start, start),
    )
