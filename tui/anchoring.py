"""Selectors and re-anchoring: annotations follow their words when a document changes.

An annotation keeps the two W3C Web Annotation selectors of the text it was made on: a
TextPositionSelector (code-point `start`, `end`) and a TextQuoteSelector (`exact` with 32
characters of `prefix` and `suffix`), plus how many times the quote occurred in that text.
When the document's SHA-256 differs, `reanchor` looks for the words, in this order:

1. exact: the text at the old position still equals the quote;
2. moved: the quote elsewhere, nearest the old position among the places whose context
   (prefix, suffix) agrees; a quote that was unique needs no context while it stays unique;
3. fuzzy: the best approximate match near the old position (rapidfuzz), scored on the quote,
   prefix, suffix and distance, kept only above a threshold and with some context agreeing;
4. orphan: nowhere. Orphans are never deleted; they keep their last position and quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tui.text import trimmed

# rapidfuzz is imported by the functions that use it: only a changed text needs it, and
# importing it would cost glose's first frame.

Status = Literal["exact", "moved", "fuzzy", "orphan"]

CONTEXT = 32
"""Characters of prefix and suffix kept with a quote, as Hypothesis does."""

LONG_CONTEXT = 128
"""...and with words that occur more than once: twins are told apart by more of their
surroundings (a line printed twice agrees with its copy over 32 characters)."""

LONG_AGREES = 0.9
"""A long context agrees when at least this similar; only then do its nearest 32 count."""

CONTEXT_AGREES = 0.6
"""A side of the context agrees when it is at least this similar (0-1)."""

FUZZY_QUOTE = 0.85
"""A fuzzy match must be at least this similar to the quote (0-1)."""

FUZZY_ACCEPT = 0.75
"""...and score at least this when quote, context and distance are weighed together."""

LONG_QUOTE = 256
"""Quotes this long are found by their ends (see `_by_ends`)."""

ENDS = 48
"""Characters at each end of a long quote that find it."""

FUZZY_MIN_LENGTH = 16
"""Quotes shorter than this are found exactly or not at all."""

AMBIGUOUS = 0.1
"""Two places whose contexts score within this of each other cannot be told apart."""

MAX_CANDIDATES = 200
"""Exact occurrences looked at, nearest first: a one-letter quote must not scan a book."""


@dataclass(frozen=True, slots=True)
class Selector:
    """Where an annotation was made: position, quote with its context, and the text's hash."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    sha256: str
    occurrences: int = 1


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation is now, and how it was found."""

    start: int
    end: int
    status: Status

    def quote(self, text: str) -> str:
        return text[self.start : self.end]


def describe(text: str, start: int, end: int, sha256: str) -> Selector:
    """The selectors of `text[start:end]`."""
    exact = text[start:end]
    occurrences = count_occurrences(text, exact)
    reach = LONG_CONTEXT if occurrences > 1 else CONTEXT
    return Selector(
        start=start,
        end=end,
        exact=exact,
        prefix=text[max(0, start - reach) : start],
        suffix=text[end : end + reach],
        sha256=sha256,
        occurrences=occurrences,
    )


def count_occurrences(text: str, quote: str, limit: int = 1_000) -> int:
    """How many times `quote` occurs in `text` (overlaps included), up to `limit`."""
    if not quote:
        return 0
    count, position = 0, text.find(quote)
    while position >= 0 and count < limit:
        count += 1
        position = text.find(quote, position + 1)
    return count


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    if not a and not b:
        return 1.0
    return fuzz.ratio(a, b) / 100


def context_agreement(text: str, start: int, end: int, selector: Selector) -> tuple[float, float]:
    """How similar the text around `start:end` is to the selector's prefix and suffix.

    A full context's worth is compared: a selector made at the very end of the document (an
    empty suffix) agrees with a place that is at the end too, not with any place at all.
    """
    return (
        _side(selector.prefix, text[max(0, start - LONG_CONTEXT) : start], before=True),
        _side(selector.suffix, text[end : end + LONG_CONTEXT], before=False),
    )


def _side(kept: str, around: str, *, before: bool) -> float:
    """How one side of the context agrees: over the 32 characters nearest the words, once the
    whole of a long context (kept for repeated words) agrees too."""

    def near(context: str) -> str:
        return context[-CONTEXT:] if before else context[:CONTEXT]

    score = _similarity(near(kept), near(around))
    if len(kept) > CONTEXT:
        reach = len(kept)
        whole = around[-reach:] if before else around[:reach]
        if _similarity(kept, whole) < LONG_AGREES:
            return 0.0
    return score


def _occurrences(text: str, quote: str, near: int) -> list[int]:
    """Exact occurrences of `quote`, the nearest to `near` first, at most MAX_CANDIDATES."""
    found: list[int] = []
    position = text.find(quote)
    while position >= 0 and len(found) < 10 * MAX_CANDIDATES:
        found.append(position)
        position = text.find(quote, position + 1)
    found.sort(key=lambda start: abs(start - near))
    return found[:MAX_CANDIDATES]


def reanchor(text: str, sha256: str, selector: Selector) -> Anchor:
    """Where the selector's words are in `text` (whose hash is `sha256`)."""
    start, end, quote = selector.start, selector.end, selector.exact
    # Words that were repeated when annotated are told from their twins by both sides of
    # their context; words that were unique, by either.
    sides = min if selector.occurrences > 1 else max
    if text[start:end] == quote and (
        sha256 == selector.sha256
        or (selector.occurrences <= 1 and count_occurrences(text, quote, 2) == 1)
        or sides(context_agreement(text, start, end, selector)) >= CONTEXT_AGREES
    ):
        # Still there. (A repeated quote also needs its context: an edit may have slid
        # another copy of the same words into the old position.)
        return Anchor(start, end, "exact")
    if not quote:
        return Anchor(start, end, "orphan")
    moved = _moved(text, selector)
    nearby = (max(0, start - CONTEXT * 2), min(len(text), end + CONTEXT * 2))
    lost_a_copy = count_occurrences(text, quote) < selector.occurrences
    if moved is not None and not (lost_a_copy and not nearby[0] <= moved.start < nearby[1]):
        return moved
    if len(quote) >= LONG_QUOTE:
        # A long quote is found by its ends, and judged whole: fast in a book, and distinctive
        # enough to need no context (a paragraph moved and retouched is still found).
        steps = [moved, _by_ends(text, selector)]
    else:
        # A copy was lost and the one found is elsewhere: if the words were changed where they
        # stood, that changed text is theirs, not the faraway twin.
        steps = [
            _fuzzy(text, selector, [nearby]),
            moved,
            _fuzzy(text, selector, _windows(text, selector)),
        ]
    for found in steps:
        if found is not None:
            return found
    return Anchor(start, end, "orphan")


def _moved(text: str, selector: Selector) -> Anchor | None:
    candidates = _occurrences(text, selector.exact, selector.start)
    length = len(selector.exact)
    if not candidates:
        return None
    if selector.occurrences <= 1 and len(candidates) == 1:
        # The words were unique and still are: they are the same words, wherever they went.
        return Anchor(candidates[0], candidates[0] + length, "moved")
    # Repeated words are told apart by their surroundings. One side may have changed (an
    # edit right next to them), but a twin with one matching side must not take their place:
    # short quotes need both sides to agree; a quote that lost a copy (maybe its own) takes
    # another only in the very same surroundings, both sides unchanged.
    fewer = count_occurrences(text, selector.exact) < selector.occurrences
    sides_needed = 2 if fewer or length < FUZZY_MIN_LENGTH or selector.occurrences > 1 else 1
    threshold = 1.0 if fewer else CONTEXT_AGREES
    scored: list[tuple[float, int]] = []
    for start in candidates:
        before, after = context_agreement(text, start, start + length, selector)
        if sorted((before, after))[-sides_needed] < threshold:
            continue  # the same words among other words: not these
        scored.append((before + after, start))
    if not scored:
        return None
    scored.sort(key=lambda item: -item[0])
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - AMBIGUOUS:
        return None  # twins in the same surroundings: guessing could point at the wrong words
    return Anchor(scored[0][1], scored[0][1] + length, "moved")


def _ends(text: str, piece: str, near: int) -> list[int]:
    """Where `piece` (a quote's first or last words) is: exactly, or else changed a little
    within reach of `near`."""
    from rapidfuzz import fuzz

    found = _occurrences(text, piece, near)
    if found:
        return found
    low = max(0, near - 4_000)
    window = text[low : near + 4_000 + len(piece)]
    match = fuzz.partial_ratio_alignment(piece, window, score_cutoff=80)
    return [low + match.dest_start] if match else []


def _by_ends(text: str, selector: Selector) -> Anchor | None:
    """A long quote, perhaps moved and retouched: the span between where its first and its
    last words are now, if it is still at least FUZZY_QUOTE like the quote."""
    from rapidfuzz import fuzz

    quote = selector.exact
    head, tail = quote[:ENDS], quote[-ENDS:]
    offset = selector.end - ENDS
    starts = _ends(text, head, selector.start)[:20]
    ends = [found + len(tail) for found in _ends(text, tail, offset)[:20]]
    best: tuple[float, int, int, int] | None = None
    for start in starts:
        for end in ends:
            if not 0.7 * len(quote) <= end - start <= 1.3 * len(quote):
                continue
            start_, end_ = trimmed(text, start, end)
            similarity = fuzz.ratio(quote, text[start_:end_]) / 100
            distance = abs(start_ - selector.start)
            if similarity >= FUZZY_QUOTE and (
                best is None or (similarity, -distance) > (best[0], -best[1])
            ):
                best = (similarity, distance, start_, end_)
    if best is None:
        return None
    _, _, start, end = best
    return Anchor(start, end, "moved" if text[start:end] == quote else "fuzzy")


def _windows(text: str, selector: Selector) -> list[tuple[int, int]]:
    """Near the old position first (edits rarely move text far), then the whole text."""
    reach = max(2_000, 10 * (len(selector.exact) + 2 * CONTEXT))
    near = (max(0, selector.start - reach), min(len(text), selector.end + reach))
    return [near] if near == (0, len(text)) else [near, (0, len(text))]


def _fuzzy(text: str, selector: Selector, windows: list[tuple[int, int]]) -> Anchor | None:
    """The quote, changed a little, found by aligning it with its context to the new text."""
    from rapidfuzz import fuzz

    quote = selector.exact
    if len(quote) < FUZZY_MIN_LENGTH:
        return None  # a few words changed are other words: no telling them apart
    context = selector.prefix + quote + selector.suffix
    for low, high in windows:
        found = fuzz.partial_ratio_alignment(context, text[low:high])
        if found is None or found.score < FUZZY_QUOTE * 100 * 0.8:
            continue
        # Align the old context with the region found (and a margin): map the quote's ends.
        margin = len(context) // 2
        region_start = max(0, low + found.dest_start - margin)
        region = text[region_start : min(len(text), low + found.dest_end + margin)]
        position = _position_map(context, region)
        start = region_start + position(len(selector.prefix))
        end = region_start + position(len(selector.prefix) + len(quote))
        start, end = trimmed(text, start, end)
        if start >= end:
            continue
        if text[start:end] == quote:
            continue  # an exact copy: the moved step already weighed it, and turned it down
        similarity = fuzz.ratio(quote, text[start:end]) / 100
        before, after = context_agreement(text, start, end, selector)
        # Changed words are only taken where both their neighbours are still recognisable.
        if similarity < FUZZY_QUOTE or min(before, after) < CONTEXT_AGREES:
            continue
        distance = abs(start - selector.start) / max(len(text), 1)
        score = 0.6 * similarity + 0.2 * before + 0.2 * after - 0.1 * distance
        if score >= FUZZY_ACCEPT:
            return Anchor(start, end, "fuzzy")
    return None


def _position_map(old: str, new: str):  # -> Callable[[int], int]
    """Map a position in `old` to the corresponding one in `new`, by their edit operations."""
    from rapidfuzz.distance import Levenshtein

    opcodes = Levenshtein.opcodes(old, new)

    def position(point: int) -> int:
        for tag, old_start, old_end, new_start, new_end in opcodes:
            if old_start <= point < old_end or (point == old_end == len(old) and tag != "insert"):
                if tag == "equal":
                    return new_start + (point - old_start)
                if tag == "replace":
                    return new_start + min(point - old_start, new_end - new_start)
                return new_start  # deleted from the old text: where the deletion happened
        return len(new)

    return position
