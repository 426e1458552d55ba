"""The search language, the same in the reader's `/` and in `glose search`.

Words must all be in one passage, in any order; each finds the words it begins (`securite`
finds `sécurité` and `sécurités`, `the` finds `These`), or whole words only with whole-word
search, where `prefix*` still finds the words it begins. `"an exact phrase"`, `-excluded`
(a word, a phrase or a group), `OR` between words, phrases or groups (binding tighter than
the plain juxtaposition: `a b OR c` is `a (b OR c)`), parentheses, and filters on the
annotations: `tag:NAME` (the tag or a tag under it), `note:WORD`, `annotator:NAME`.

Everything is folded as the reader's search folds text (`fold_text`): case, accents,
apostrophes, quotes, dashes and ligatures. A query is decided on one passage's folded text
(`Query.spans`); `Query.fts_match` gives an SQLite FTS5 expression that lets through every
passage the query may match, for an index to narrow the passages to decide on.
"""

from __future__ import annotations

import itertools
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from tui.corpus.folding import FOLDS, Folded, fold_text
from tui.corpus.search import QUERY_MAX, QueryError

__all__ = [
    "QUERY_MAX",
    "REGEX_TIMEOUT",
    "Filters",
    "Query",
    "QueryError",
    "WantedPlace",
    "parse",
]

REGEX_TIMEOUT = 0.25
"""Seconds a regular expression may take on one passage: past them the search gives it up
(a pattern such as `(a|aa)+$` takes longer than anyone waits)."""

Span = tuple[int, int]

_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201d": "\u201d", "\u00ab": "\u00bb"}
"""Opening quote: the quote that closes it (`"`, `“…”` and French `«…»`; `"` also closes `“`)."""
_CLOSING = {'"', "\u201d", "\u00bb"}

FIELDS = ("tag", "note", "annotator")
_NEEDS = {"tag": "a tag name", "note": "a word", "annotator": "a name"}


def is_word_char(char: str) -> bool:
    """Whether `char` may be part of a word: anything but spaces, punctuation, symbols and
    control characters, as SQLite's unicode61 tokenizer splits words, erring towards word.
    (SQLite's tables are of an older Unicode, where a newer symbol was no character at all and
    is part of a word: one is a separator only if Unicode 3.2 already said so.)"""
    return not (_separates(unicodedata.category(char)) and _separates(_OLD.category(char)))


_OLD = unicodedata.ucd_3_2_0


def _separates(category: str) -> bool:
    return category[0] in "ZPS" or category in ("Cc", "Cf")


# The query as a tree


@dataclass(frozen=True, slots=True)
class _Term:
    """A word or a phrase, folded: found where a word begins; `whole` also where one ends."""

    text: str
    whole: bool

    def find(self, folded: str) -> list[Span]:
        text, found = self.text, []
        begins, ends = is_word_char(text[0]), self.whole and is_word_char(text[-1])
        at = folded.find(text)
        while at >= 0:
            end = at + len(text)
            if (not begins or at == 0 or not is_word_char(folded[at - 1])) and (
                not ends or end == len(folded) or not is_word_char(folded[end])
            ):
                found.append((at, end))
                at = folded.find(text, end)
            else:
                at = folded.find(text, at + 1)
        return found

    def fts(self, whole: bool = False) -> str | None:
        if not _indexable(self.text) or not any(c.isalnum() for c in self.text):
            return None
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted if self.whole or whole else quoted + "*"


def _indexable(text: str) -> bool:
    """Whether SQLite's tokenizer splits `text` (folded) into words as search does, so the
    index can look it up: ASCII, and letters and digits old enough for SQLite's Unicode tables
    (those of Unicode 3.2 are) that folding and lower case leave as they are (Greek, Cyrillic:
    `ασφαλεια`)."""
    if text.isascii():
        return True
    return all(
        char.isascii()
        or (
            unicodedata.ucd_3_2_0.category(char)[0] in "LN"
            and FOLDS[ord(char)] == char
            and char.lower() == char
        )
        for char in text
    )


@dataclass(frozen=True, slots=True)
class _Not:
    inside: _Node


@dataclass(frozen=True, slots=True)
class _All:
    parts: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Any:
    parts: tuple[_Node, ...]


_Node = _Term | _Not | _All | _Any


def _decide(node: _Node, folded: str) -> list[Span] | None:
    """None when `node` does not match `folded`, else the spans to show (maybe none)."""
    if isinstance(node, _Term):
        return node.find(folded) or None
    if isinstance(node, _Not):
        return [] if _decide(node.inside, folded) is None else None
    found: list[Span] = []
    if isinstance(node, _All):
        for part in node.parts:
            spans = _decide(part, folded)
            if spans is None:
                return None
            found += spans
        return found
    matched = False
    for part in node.parts:
        spans = _decide(part, folded)
        if spans is not None:
            matched = True
            found += spans
    return found if matched else None


def _fts(node: _Node, whole: bool = False) -> str | None:
    """An FTS5 expression every passage `node` matches satisfies, or None when there is none
    (an exclusion is left to the decision: the index only narrows); with `whole`, one its
    words whole satisfy."""
    if isinstance(node, _Term):
        return node.fts(whole)
    if isinstance(node, _Not):
        return None
    parts = [_fts(part, whole) for part in node.parts]
    if isinstance(node, _All):
        kept = [part for part in parts if part is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else "(" + " AND ".join(kept) + ")"
    if any(part is None for part in parts):
        return None  # one side the index cannot narrow: nor can it the whole
    return "(" + " OR ".join(p for p in parts if p is not None) + ")"


def _candidates(node: _Node) -> list[str] | None:
    if isinstance(node, _Term):
        return [node.text]
    if isinstance(node, _Not):
        return None
    found = [_candidates(part) for part in node.parts]
    if isinstance(node, _Any):
        if any(words is None for words in found):
            return None
        return [word for words in found if words is not None for word in words]
    known = [words for words in found if words]
    if not known:
        return None
    # The fewest and longest words: the fewest passages to decide on.
    return max(known, key=lambda words: (min(map(len, words)), -len(words)))


def _overlapping(wanted: Sequence[Span]) -> Callable[[int, int], bool]:
    """Whether a span overlaps one of `wanted` (an empty one counts where it is)."""
    ordered = sorted(wanted)
    starts = [start for start, _ in ordered]
    reach = list(itertools.accumulate((max(end, start + 1) for start, end in ordered), max))

    def overlaps(start: int, end: int) -> bool:
        before = bisect_left(starts, max(end, start + 1))
        return before > 0 and reach[before - 1] > start

    return overlaps


def _finds(node: _Node) -> bool:
    """Whether `node` holds something to find, not only things to leave out."""
    if isinstance(node, _Term):
        return True
    if isinstance(node, _Not):
        return False
    return any(_finds(part) for part in node.parts)


def _merged(spans: Iterable[Span]) -> list[Span]:
    found: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue  # an empty match shows nothing
        if found and start < found[-1][1]:
            found[-1] = (found[-1][0], max(end, found[-1][1]))
        else:
            found.append((start, end))
    return found


# Filters on annotations


class _Passage(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class WantedPlace:
    """A passage or a coded segment whose annotation satisfies the filters."""

    document: str
    start: int
    end: int
    """Its span in the document's text (original offsets)."""
    passage: int
    last_passage: int
    """The passages it lies in, by index (the same for a passage's annotation)."""
    segment: int | None = None
    """The coded segment's id in the store (None: a passage's annotation)."""


def _tag_path(name: str) -> str:
    """A tag name as compared: levels without the spaces around them, folded."""
    levels = [level.strip() for level in name.split("/") if level.strip()]
    return fold_text("/".join(levels)).text


@dataclass(frozen=True, slots=True)
class Filters:
    """What the annotations of a place must hold: every tag (or a tag under it) and every
    note word, on one annotation, by one of the annotators (any when none is named)."""

    tags: tuple[str, ...] = ()
    """Tag names as typed."""
    notes: tuple[str, ...] = ()
    """Words or phrases, folded."""
    annotators: tuple[str, ...] = ()
    """Annotator names as typed."""
    whole: bool = False
    """Whether note words match whole words only."""
    _terms: tuple[_Term, ...] = field(default=(), repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.tags or self.notes or self.annotators)

    def accepts(self, annotation: Any) -> bool:
        """Whether one annotation (a passage's or a coded segment's) satisfies the filters."""
        if self.annotators:
            who = fold_text(annotation.annotator).text.strip()
            if all(fold_text(name).text.strip() != who for name in self.annotators):
                return False
        if self.tags:
            carried = [_tag_path(tag) for tag in getattr(annotation, "tags", ())]
            for wanted in self.tags:
                path = _tag_path(wanted)
                if not any(tag == path or tag.startswith(path + "/") for tag in carried):
                    return False
        if self._terms:
            note = fold_text(annotation.note).text if annotation.note else ""
            if not note or any(not term.find(note) for term in self._terms):
                return False
        return True


# The query


class Query:
    """A parsed query: `spans` decides a passage, `fts_match` narrows passages beforehand,
    `filters` and `wanted_passages` say which annotated places the filters keep."""

    def __init__(
        self,
        text: str,
        tree: _Node | None,
        filters: Filters,
        *,
        pattern: Any = None,
        whole_word: bool = False,
    ) -> None:
        self.text = text
        """The query as typed."""
        self._tree = tree
        self.filters = filters
        self._pattern = pattern
        self.whole_word = whole_word
        self.gave_up = False
        """Whether a regular expression took too long on a passage: the search then stops
        looking (every later passage is taken not to match) and should say so."""

    @property
    def is_regex(self) -> bool:
        return self._pattern is not None

    def spans(self, folded: str) -> list[Span] | None:
        """None if the passage whose folded text is `folded` does not match, else the spans
        to show in it (folded offsets, sorted, not overlapping; none for a passage matched
        by its annotations or exclusions alone). Filters are not decided here."""
        if self._pattern is not None:
            return self._regex_spans(folded)
        if self._tree is None:
            return []
        found = _decide(self._tree, folded)
        return None if found is None else _merged(found)

    def _regex_spans(self, folded: str) -> list[Span] | None:
        if self.gave_up:
            return None
        try:
            found = [
                match.span() for match in self._pattern.finditer(folded, timeout=REGEX_TIMEOUT)
            ]
        except TimeoutError:
            self.gave_up = True
            return None
        return _merged(found) if found else None

    def fts_match(self, *, whole_words: bool = False) -> str | None:
        """An FTS5 MATCH expression over folded words that every passage the query matches
        satisfies (it may let through more), or None when only reading every passage can
        tell (a regular expression, only exclusions or filters, words the index cannot see).
        With `whole_words`, the passages holding the query's words whole, not as the start
        of longer words: those a ranking puts first."""
        if self._tree is None:
            return None
        return _fts(self._tree, whole_words)

    def candidate_words(self) -> list[str] | None:
        """Folded words or phrases one of which every match holds as it is written (a plain
        index can look for them to find the passages to decide on); None when none can tell
        (a regular expression, only exclusions or filters)."""
        if self._pattern is not None or self._tree is None:
            return None
        return _candidates(self._tree)

    def find(
        self,
        passages: Sequence[_Passage],
        folded: Sequence[Folded],
        wanted: Sequence[Span] | None = None,
    ) -> list[Span]:
        """Where the query matches a document: original spans of the matches in `passages`
        (whose texts folded are `folded`), in order. With `wanted` (the spans of the places
        the filters keep, see `wanted_passages`), only in passages overlapping one of them; a
        passage matched with nothing to show in it (filters or exclusions alone) is shown
        whole, and filters alone show the places themselves."""
        if wanted is not None and self._tree is None and self._pattern is None:
            return _merged(wanted)
        overlaps = _overlapping(wanted) if wanted is not None else None
        found: list[Span] = []
        for passage, text in zip(passages, folded, strict=True):
            if overlaps is not None and not overlaps(passage.start, passage.end):
                continue
            spans = self.spans(text.text)
            if spans is None:
                continue
            if not spans:
                found.append((passage.start, passage.end))
            for start, end in spans:
                low, high = text.span(start, end)
                found.append((passage.start + low, passage.start + high))
        return _merged(found)

    def wanted_passages(self, annotations: Iterable[Any]) -> list[WantedPlace]:
        """The places (passages and coded segments) whose annotation satisfies the filters,
        orphans left out, in document and text order; none without filters."""
        if not self.filters:
            return []
        found = [
            WantedPlace(
                a.document,
                a.start,
                a.end,
                a.passage,
                a.passage if getattr(a, "last_passage", None) is None else a.last_passage,
                a.id if hasattr(a, "last_passage") else None,
            )
            for a in annotations
            if a.status != "orphan" and self.filters.accepts(a)
        ]
        return sorted(found, key=lambda place: (place.document, place.start, place.end))

    def __repr__(self) -> str:
        return f"Query({self.text!r})"


# Reading a query


@dataclass(slots=True)
class _Token:
    kind: str
    """word, phrase, field, not, or, open, close."""
    text: str = ""
    star: bool = False
    key: str = ""
    at: int = 0


def _excerpt(text: str, at: int) -> str:
    piece = " ".join(text[at : at + 20].split())
    return piece + ("…" if len(text) > at + 20 else "")


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    depth = 0
    at, length = 0, len(text)
    while at < length:
        char = text[at]
        if char.isspace():
            at += 1
        elif char == "(":
            tokens.append(_Token("open", at=at))
            depth += 1
            at += 1
        elif char == ")":
            if not depth:  # as `(` always opens a group, `)` always closes one
                raise QueryError(f"A parenthesis closes none opened: «{_excerpt(text, at)}».")
            tokens.append(_Token("close", at=at))
            depth -= 1
            at += 1
        elif char == "-" and at + 1 < length and not text[at + 1].isspace():
            tokens.append(_Token("not", at=at))
            at += 1
        elif char in _QUOTES:
            phrase, at = _quoted(text, at)
            star = text.startswith("*", at)
            tokens.append(_Token("phrase", phrase, star=star, at=at))
            at += star
        else:
            start = at
            while at < length and not text[at].isspace():
                if text[at] == ")" and depth:
                    break
                at += 1
            word = text[start:at]
            key, colon, value = word.partition(":")
            if colon and key.casefold() in FIELDS:
                key = key.casefold()
                after = start + len(key) + 1
                if value[:1] in _QUOTES or (not value and at < length and text[at] in _QUOTES):
                    value, at = _quoted(text, after if value else at)
                if not value.strip():
                    raise QueryError(f"{key}: needs {_NEEDS[key]}.")
                tokens.append(_Token("field", value, key=key, at=start))
            elif word == "OR":
                tokens.append(_Token("or", at=start))
            elif len(word) > 1 and word.endswith("*"):
                tokens.append(_Token("word", word[:-1], star=True, at=start))
            else:
                tokens.append(_Token("word", word, at=start))
    if depth:
        opened = max(t.at for t in tokens if t.kind == "open")
        raise QueryError(f"Unclosed parenthesis: «{_excerpt(text, opened)}».")
    return tokens


def _quoted(text: str, at: int) -> tuple[str, int]:
    """The text between the quote at `at` and the one closing it, and where reading goes on."""
    closing = _QUOTES[text[at]]
    end = at + 1
    while end < len(text) and not (
        text[end] == closing or (closing == "\u201d" and text[end] in _CLOSING - {"\u00bb"})
    ):
        end += 1
    if end >= len(text):
        raise QueryError(f"Unclosed quote: «{_excerpt(text, at)}».")
    return text[at + 1 : end], end + 1


class _Reader:
    """Reads tokens into a tree: a sequence of ORs, each of negations of words, phrases or
    groups; filters only at the top."""

    def __init__(self, tokens: list[_Token], whole_word: bool) -> None:
        self.tokens = tokens
        self.at = 0
        self.whole_word = whole_word
        self.tags: list[str] = []
        self.notes: list[_Term] = []
        self.annotators: list[str] = []

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def sequence(self, top: bool) -> _Node | None:
        parts: list[_Node] = []
        while (token := self.peek()) is not None and token.kind != "close":
            if token.kind == "field":
                if not top:
                    raise QueryError(
                        f"{token.key}: narrows the whole search: it cannot be in parentheses."
                    )
                self.at += 1
                self.field(token)
                if (after := self.peek()) is not None and after.kind == "or":
                    raise QueryError(f"{token.key}: cannot be on a side of OR.")
                continue
            part = self.either()
            if part is not None:
                parts.append(part)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else _All(tuple(parts))

    def either(self) -> _Node | None:
        token = self.peek()
        if token is not None and token.kind == "or":
            raise QueryError("OR needs words on both sides.")
        sides = [self.unary()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.at += 1
            after = self.peek()
            if after is None or after.kind in ("or", "close"):
                raise QueryError("OR needs words on both sides.")
            if after.kind == "field":
                raise QueryError(f"{after.key}: cannot be on a side of OR.")
            sides.append(self.unary())
        kept = [side for side in sides if side is not None]
        if len(kept) < len(sides) and len(sides) > 1:
            raise QueryError("OR needs words on both sides.")
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else _Any(tuple(kept))

    def unary(self) -> _Node | None:
        token = self.peek()
        if token is None:
            raise QueryError("OR needs words on both sides.")
        self.at += 1
        if token.kind == "not":
            after = self.peek()
            if after is None or after.kind in ("or", "close"):
                raise QueryError("- needs a word, a phrase or a group to leave out.")
            if after.kind == "field":
                raise QueryError(f"{after.key}: cannot be left out with -.")
            inside = self.unary()
            return None if inside is None else _Not(inside)
        if token.kind == "open":
            inside = self.sequence(top=False)
            closing = self.peek()
            assert closing is not None and closing.kind == "close"  # the tokens pair them
            self.at += 1
            if inside is None:
                raise QueryError("Empty parentheses: put words inside them.")
            return inside
        if token.kind in ("word", "phrase"):
            return self.term(token.text, token.star)
        raise QueryError("OR needs words on both sides.")

    def term(self, text: str, star: bool) -> _Term | None:
        # Control characters (a pasted escape sequence) are taken out, as the reader's
        # search always did; anything else stays, to find the text as it folds.
        folded = fold_text(text).text
        folded = " ".join("".join(c for c in folded if unicodedata.category(c) != "Cc").split())
        if not folded:
            return None  # nothing left once folded (a soft hyphen): nothing to find
        return _Term(folded, self.whole_word and not star)

    def field(self, token: _Token) -> None:
        if token.key == "tag":
            self.tags.append(token.text.strip())
        elif token.key == "annotator":
            self.annotators.append(token.text.strip())
        elif (term := self.term(token.text, False)) is not None:
            self.notes.append(term)
        else:
            raise QueryError("note: needs a word.")


def exactly(words: str) -> Query:
    """A query finding `words` (folded, as `Query.candidate_words` gives them) as written:
    never parsed again, so a phrase holding `-`, `(` or `tag:` stays a phrase."""
    return Query(words, _Term(words, False), Filters())


def parse(text: str, *, regex: bool = False, whole_word: bool = False) -> Query:
    """The query `text` means (QueryError, one sentence, when it means nothing)."""
    if len(text) > QUERY_MAX:
        raise QueryError(f"A search is at most {QUERY_MAX} characters.")
    if not text.strip():
        raise QueryError("Type something to search for.")
    if regex:
        return Query(text, None, Filters(), pattern=_compile(text), whole_word=whole_word)
    reader = _Reader(_tokens(text), whole_word)
    tree = reader.sequence(top=True)
    filters = Filters(
        tuple(reader.tags),
        tuple(term.text for term in reader.notes),
        tuple(reader.annotators),
        whole_word,
        tuple(reader.notes),
    )
    if tree is not None and not _finds(tree):
        if not filters:
            raise QueryError(
                f"{_excerpt(text.strip(), 0)} alone finds nothing: add words to search for."
            )
    elif tree is None and not filters:
        raise QueryError("Type something to search for.")
    return Query(text, tree, filters, whole_word=whole_word)


_PATTERN_FOLDS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
    }
)


def _compile(text: str) -> Any:
    """A regular expression run on folded text: its accents, quotes, dashes and ligatures
    folded as the text's are, case ignored (not lower-cased: `\\W` would become `\\w`)."""
    import regex

    from tui.corpus.folding import strip_accents

    try:
        return regex.compile(
            strip_accents(text.translate(_PATTERN_FOLDS)),
            regex.IGNORECASE | regex.FULLCASE,
        )
    except (regex.error, ValueError, OverflowError, RecursionError) as error:
        message = str(error).split(" at position")[0]
        raise QueryError(f"The regular expression is not valid: {message}.") from error
