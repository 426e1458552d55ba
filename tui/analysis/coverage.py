"""The characters of a text that spans cover, white space left out: the coded characters that
statistics count and that agreement compares one by one.

White space is what `str.isspace` says it is, as when a selection is trimmed to its words.
It is left out because it carries nothing a coder chose: the line break between two passages
lies in a segment that crosses them but in neither passage's own tag, and would otherwise
count as a disagreement nobody could see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

_SPACE = re.compile(r"\s")
"""The same characters as `str.isspace`, found by the regular expression engine: faster."""


def visible(text: str, start: int = 0, end: int | None = None) -> int:
    """How many characters of `text[start:end]` are not white space."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return 0
    return end - start - len(_SPACE.findall(text, start, end))


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans as the fewest disjoint ones, in order; empty spans dropped."""
    found: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def covered(text: str, spans: Iterable[tuple[int, int]]) -> int:
    """The characters of `text` that any of `spans` covers, white space left out, each once."""
    return sum(visible(text, start, end) for start, end in merged(spans))


def cuts(text: str, spans: Iterable[tuple[int, int]]) -> list[int]:
    """The places where some span begins or ends, with the text's two ends, in order: between
    two cuts every span covers all the characters or none."""
    length = len(text)
    return sorted({0, length, *(min(max(p, 0), length) for span in spans for p in span)})


def pieces(text: str, places: list[int]) -> list[int]:
    """The characters other than white space between each cut and the next."""
    return [visible(text, start, end) for start, end in pairwise(places)]


def covering(spans: Iterable[tuple[int, int]], places: list[int]) -> list[bool]:
    """For each piece between two cuts (`places`, from `cuts`), whether a span covers it."""
    index = {place: number for number, place in enumerate(places)}
    last = places[-1] if places else 0
    steps = [0] * len(places)
    for start, end in spans:
        start, end = min(max(start, 0), last), min(max(end, 0), last)
        if start < end:
            steps[index[start]] += 1
            steps[index[end]] -= 1
    found: list[bool] = []
    depth = 0
    for step in steps[:-1]:
        depth += step
        found.append(depth > 0)
    return found
