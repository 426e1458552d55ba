"""Hypothesis API JSON, read: one annotation, a list of them, or a search result
(`{"total": n, "rows": [...]}`), as https://h.readthedocs.io/en/latest/api-reference/ has them.

Each annotation on words is a segment: its tags are tags, its text (Markdown) is the note as
it is, its user is the annotator (`acct:marie@hypothes.is` is `marie`; another authority's
user keeps it, `marie@example.org`), its dates and its group are kept. Its selectors are
read as W3C's are (Hypothesis's are W3C selectors): a TextPositionSelector whose words equal the
TextQuoteSelector's is trusted, otherwise the words are found by their quote and context;
a RangeSelector points into a web page's HTML, which a text has not, so the quote is used.
A page not in the corpus is kept as the annotation's source (see `attaching`).
Page notes and replies select no words: each gets a skipped line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tui.corpus import Corpus
from tui.interchange.reading import FileError, Parsed, timestamp
from tui.interchange.w3c import (
    _creator,
    _lines,
    _text_target,
    _uuid,
    read_entries,
)
from tui.store.model import Highlight, NoteError, TagNameError, clean_note, clean_tag_name

FORMAT = "Hypothesis API JSON"
HOME_AUTHORITY = "hypothes.is"
"""Users of hypothes.is itself are known there by their name alone."""


def looks_like_hypothesis(data: Any) -> bool:
    """Whether parsed JSON is Hypothesis API data: an annotation, a list, a search result."""
    if isinstance(data, dict) and isinstance(data.get("rows"), list) and "total" in data:
        return all(_is_annotation(row) for row in data["rows"])
    if isinstance(data, list):
        return bool(data) and all(_is_annotation(entry) for entry in data)
    return _is_annotation(data)


def _is_annotation(entry: Any) -> bool:
    # A W3C annotation has a `type`; Hypothesis's own format has none, and these three always.
    return (
        isinstance(entry, dict)
        and "type" not in entry
        and isinstance(entry.get("uri"), str)
        and isinstance(entry.get("target"), list)
        and isinstance(entry.get("user"), str)
    )


def read(data: Any, corpus: Corpus) -> Parsed:
    """The annotations on words of Hypothesis data; each that glose cannot keep gets a line."""
    return read_entries(FORMAT, data, corpus, _annotations, _read_annotation)


def _annotations(data: Any, parsed: Parsed) -> Iterator[tuple[str, Any]]:
    if isinstance(data, list):
        yield from ((f"[{i}]", entry) for i, entry in enumerate(data))
        return
    if "rows" in data:
        rows = data["rows"]
        total = data.get("total")
        if isinstance(total, int) and not isinstance(total, bool) and total > len(rows):
            # The API gives a search's results a page at a time (at most 200).
            parsed.skipped.append(
                f"the search found {total:,} annotations and the file holds {len(rows):,}: "
                "the others are not in it (ask the API for them with offset or search_after)"
            )
        yield from ((f"rows[{i}]", row) for i, row in enumerate(rows))
        return
    yield "the annotation", data


def _read_annotation(
    entry: Any, where: str, documents: dict[str, str], paths: dict[str, str], parsed: Parsed
) -> None:
    if not _is_annotation(entry):
        raise FileError(f"{where}: must be a Hypothesis annotation (with uri, user and target)")
    given = entry.get("id")
    name = given if isinstance(given, str) and given else where
    uri = entry["uri"]
    if entry.get("references"):
        parsed.skipped.append(f"skipped {name}: a reply in a discussion, not words of a text")
        return
    targets = entry["target"]
    if not any(isinstance(t, dict) and t.get("selector") for t in targets):
        # glose keeps notes on words; a note on a whole page has none to hold it.
        parsed.skipped.append(f"skipped {name}: a page note on {uri}, on no words of it")
        return
    texts = []
    for number, target in enumerate(targets):
        path = f"{where}.target[{number}]"
        if isinstance(target, dict) and not isinstance(target.get("source"), str):
            target = {**target, "source": uri}  # the annotation's page is its target's
        found, why = _text_target(target, path, documents, paths)
        if found is None:
            parsed.skipped.append(f"skipped {name}: {why}")
            return
        texts.append(found)
    tags, left = _tags(entry.get("tags"), f"{where}.tags")
    parsed.skipped.extend(f"kept {name} without {what}" for what in left)
    text = entry.get("text") or ""
    if not isinstance(text, str):
        raise FileError(f"{where}.text: must be text")
    try:
        note = clean_note(_lines(text))  # Markdown kept as written: it is the note's text
    except NoteError as error:
        raise FileError(f"{where}.text: {error}") from error
    group = entry.get("group")
    common: dict[str, Any] = {
        "annotator": _creator(_user(entry["user"]), f"{where}.user"),
        "group": group if isinstance(group, str) else "",  # `__world__`: public
        "note": note,
        "note_format": "text/markdown" if note else "",  # Hypothesis's text is Markdown
        "tags": tags,
        # Nothing on the words but the words: a Hypothesis highlight.
        "highlighted": not (tags or note),
        "sha256": "",
    }
    for key, field in (("created", "created"), ("updated", "updated")):
        if entry.get(key) is not None:
            common[field] = timestamp(entry[key], f"{where}.{key}")
    # The id as Hypothesis's own W3C export names it: either file gives the same UUID.
    iri = f"https://{HOME_AUTHORITY}/a/{given}" if isinstance(given, str) and given else None
    for number, (document, selector) in enumerate(texts):
        selector.pop("styleClass", None)
        annotation = Highlight(**common, **selector, document=document, uuid=_uuid(iri, number))
        parsed.add(annotation, where if len(texts) == 1 else f"{where}.target[{number}]")


def _tags(value: Any, path: str) -> tuple[list[str], list[str]]:
    """Tags glose can name, and a line for each it cannot (a `;`, over 60 characters)."""
    if value is None:
        return [], []
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise FileError(f"{path}: must be a list of texts")
    tags: list[str] = []
    left: list[str] = []
    for tag in value:
        try:
            tags.append(clean_tag_name(_lines(tag)))
        except TagNameError as error:
            left.append(f"its tag {tag[:80]!r} ({error})")
    return list(dict.fromkeys(tags)), left


def _user(user: str) -> str:
    """`acct:marie@hypothes.is` is `marie`; a user of another authority keeps it."""
    account = user.removeprefix("acct:")
    name, at, authority = account.rpartition("@")
    if at and name and authority.lower() == HOME_AUTHORITY:
        return name
    return account
