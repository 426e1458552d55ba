"""W3C Web Annotation Data Model (JSON-LD): written as an AnnotationCollection, read from the
files glose and other tools write.

Each annotation (a passage's, or a coded segment) targets its document (a `file:` IRI, or
`urn:glose:document:<id>` once the document is gone) with a TextQuoteSelector and, while its
words are where it says, a TextPositionSelector in code points. Tags are TextualBody bodies
with purpose `tagging`, a note one with purpose `commenting`; a highlighted annotation's
colour is a CSS class with its stylesheet, which nothing else has. `glose:kind` says whether
glose kept it on a whole passage, a segment or a highlight; an annotation from another tool
is a segment of its own words.

An annotation made on a web page and attached to a corpus document (see `attaching`) keeps
the page as its target's `source`, as it came, and names the document as the target's
`scope`, which an import finds it by again; a Hypothesis group is `glose:group`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from tui import __version__
from tui.corpus import Corpus
from tui.corpus.document import name_text
from tui.interchange.export import Export, Item
from tui.interchange.files import dump_json
from tui.interchange.reading import FileError, Parsed, note_from_file, timestamp, whole
from tui.store.model import (
    HIGHLIGHT_COLORS,
    TAG_NAME_MAX,
    Highlight,
    NoteError,
    PassageAnnotation,
    TagNameError,
    clean_tag_name,
    now,
)

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GLOSE_TERMS = "urn:glose:terms:"
CONTEXT = [ANNO_CONTEXT, {"glose": GLOSE_TERMS}]
DUBLIN_CORE = {
    "title": "dc:title",
    "author": "dc:creator",
    "date": "dc:date",
    "site": "dc:publisher",
    "url": "dc:source",
}
"""What a document says of itself, as the Dublin Core terms of its W3C source."""
DOCUMENT_URN = "urn:glose:document:"
OCCURRENCES = "glose:occurrences"
GROUP = "glose:group"
STYLE_CLASS = "glose-"


def document_iri(item: Item) -> str:
    if item.document is not None:
        return _file_iri(item.document.path)
    return DOCUMENT_URN + quote(item.annotation.document, safe="")


@lru_cache(maxsize=4096)
def _file_iri(path: Path) -> str:
    # Absolute but not resolved: a folder linked into the corpus keeps its name in the IRI,
    # which another copy of the corpus can match.
    return Path(os.path.abspath(path)).as_uri()


def annotation(item: Item) -> dict[str, Any]:
    """One annotation as the W3C model has it, complete on its own (with its @context)."""
    found = item.annotation
    bodies: list[dict[str, Any]] = []
    tags = found.tags
    bodies.extend(
        {"type": "TextualBody", "purpose": "tagging", "value": tag, "format": "text/plain"}
        for tag in tags
    )
    if found.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": found.note,
                "format": found.note_format or "text/plain",
            }
        )
    # `highlighting` only with neither tag nor note: then it is highlighted, or it is nothing.
    motivation = "tagging" if tags else "commenting" if found.note else "highlighting"
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": found.quote,
            "prefix": found.prefix,
            "suffix": found.suffix,
            # How many times the words were in the text: a quote that lost a copy is placed
            # with care on import, as glose places it on its own store.
            OCCURRENCES: found.occurrences,
        }
    ]
    if item.placed:
        # An orphan's offsets no longer hold its words: only its quote is given.
        selectors.append({"type": "TextPositionSelector", "start": found.start, "end": found.end})
    target: dict[str, Any] = {
        "type": "SpecificResource",
        # The page it was made on, as it came; the document that holds its words is the
        # scope it was read in here (which an import finds it by again).
        "source": found.source or document_iri(item),
        "selector": selectors,
    }
    if found.source and found.source != found.document:
        target["scope"] = document_iri(item)
    said = item.document.metadata.said() if item.document and item.document.metadata else {}
    if said and not found.source:
        # What the file says of itself, in Dublin Core terms (prefixed in the W3C context).
        target["source"] = {
            "id": target["source"],
            "type": "Text",
            **{DUBLIN_CORE[name]: value for name, value in said.items()},
        }
    entry: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{found.uuid}",
        "type": "Annotation",
        "motivation": motivation,
        "created": found.created,
        "modified": found.updated,
        "creator": {"type": "Person", "name": found.annotator},
        "glose:kind": item.kind,
    }
    if found.group:
        entry[GROUP] = found.group  # W3C has no groups: Hypothesis's, kept for the way back
    if found.highlighted:
        target["styleClass"] = STYLE_CLASS + found.color
        rule = f"background-color: {HIGHLIGHT_COLORS[found.color]}"
        entry["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{STYLE_CLASS}{found.color} {{ {rule} }}",
        }
    if bodies:
        entry["body"] = bodies
    entry["target"] = target
    return entry


def build(export: Export, corpus: Corpus) -> dict[str, Any]:
    """An AnnotationCollection with its one page of items embedded."""
    items = [annotation(item) for item in export.items]
    collection: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": "AnnotationCollection",
        "label": f"glose annotations of {Path(corpus.root).resolve().name}",
        "created": now(),
        "generator": {"type": "Software", "name": f"glose {__version__}"},
        "total": len(items),
    }
    if items:
        # The model requires a page to have its own id, even when embedded in the collection.
        collection["first"] = {
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
    return collection


def write(data: dict[str, Any], out: IO[str]) -> None:
    dump_json(data, out)


# Reading


def looks_like_w3c(data: Any) -> bool:
    """Whether parsed JSON is Web Annotation data: an annotation, a page, a collection, a list."""
    if isinstance(data, list):
        return all(isinstance(entry, dict) and _is_annotation(entry) for entry in data) and bool(
            data
        )
    return isinstance(data, dict) and (
        _is_annotation(data) or bool(_types(data) & {"AnnotationCollection", "AnnotationPage"})
    )


def read(data: Any, corpus: Corpus) -> Parsed:
    """The text annotations of W3C data; each that glose cannot keep gets a skipped line."""
    return read_entries("W3C Web Annotation", data, corpus, _annotations, _read_annotation)


def read_entries(
    name: str,
    data: Any,
    corpus: Corpus,
    entries: Callable[[Any, Parsed], Iterable[tuple[str, Any]]],
    read_one: Callable[[Any, str, dict[str, str], dict[str, str], Parsed], None],
) -> Parsed:
    """Each annotation `entries` finds in `data` (with where it is), read by `read_one` onto
    the corpus's documents, known by their IRIs and their paths."""
    parsed = Parsed(name)
    documents = _documents_by_iri(corpus)
    paths = {document.relpath: document.id for document in corpus}
    for where, entry in entries(data, parsed):
        read_one(entry, where, documents, paths, parsed)
    return parsed


def _annotations(data: Any, parsed: Parsed) -> Iterator[tuple[str, Any]]:
    if isinstance(data, list):
        yield from ((f"[{i}]", entry) for i, entry in enumerate(data))
        return
    kinds = _types(data)
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if isinstance(first, str):
            parsed.skipped.append(
                f"the collection's pages are not in the file (first: {first}): nothing to import"
            )
            return
        if isinstance(first, dict):
            yield from _page_items(first, "first")
            if first.get("next"):
                parsed.skipped.append(
                    f"the collection's later pages are not in the file (next: {first['next']})"
                )
        return
    if "AnnotationPage" in kinds:
        yield from _page_items(data, "")
        return
    yield "the annotation", data


def _page_items(page: dict[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    items = page.get("items", [])
    if not isinstance(items, list):
        raise FileError(f"{path}.items: must be a list of annotations".lstrip("."))
    yield from ((f"{path}.items[{i}]".lstrip("."), entry) for i, entry in enumerate(items))


def _read_annotation(
    entry: Any, where: str, documents: dict[str, str], paths: dict[str, str], parsed: Parsed
) -> None:
    if not isinstance(entry, dict):
        raise FileError(f"{where}: must be an annotation (a JSON object)")
    name = entry.get("id") if isinstance(entry.get("id"), str) else where
    if not _is_annotation(entry):
        parsed.skipped.append(f"skipped {name}: not an Annotation (type {entry.get('type')!r})")
        return
    tags, note, left = _bodies(entry, where)
    markdown = note and _says_markdown(entry)
    parsed.skipped.extend(f"kept {name} without {what}" for what in left)
    targets = entry.get("target")
    if targets is None:
        raise FileError(f"{where}.target: an annotation must have a target")
    texts = []
    for path, target in _each(targets, f"{where}.target"):
        found, why = _text_target(target, path, documents, paths)
        if found is None:
            parsed.skipped.append(f"skipped {name}: {why}")
            return
        texts.append(found)
    motivations = set(_strings(entry.get("motivation")))
    # glose says what it kept; any other tool's annotation is a segment of its own words.
    passage = entry.get("glose:kind") == "passage"
    group = entry.get(GROUP)
    common = {
        "annotator": _creator(entry.get("creator"), f"{where}.creator"),
        "group": group if isinstance(group, str) else "",
        "note": note,
        "note_format": MARKDOWN if markdown else "",
        **_stamp(entry, "created", "created", where),
        **_stamp(entry, "modified", "updated", where),
    }
    for number, (document, selector) in enumerate(texts):
        color = _color(entry, selector.pop("styleClass", None))
        fields = {**common, **selector, "document": document, "sha256": ""}
        # Each target is an annotation here: the first keeps the id's UUID, the others get
        # ones drawn from it, the same at every import.
        fields["uuid"] = _uuid(entry.get("id"), number)
        place = where if len(texts) == 1 else f"{where}.target[{number}]"
        highlighted = color is not None or "highlighting" in motivations
        if passage:
            annotation: PassageAnnotation | Highlight = PassageAnnotation(
                **fields, passage=0, tags=tags, highlighted=highlighted, color=color or "yellow"
            )
        else:
            # Words marked with nothing on them (a Hypothesis highlight) are highlighted.
            highlighted = highlighted or not (tags or note)
            annotation = Highlight(
                **fields, tags=tags, highlighted=highlighted, color=color or "yellow"
            )
        parsed.add(annotation, place)


def _bodies(entry: dict[str, Any], where: str) -> tuple[list[str], str, list[str]]:
    """Tags, note, and what of them could not be kept (a tag glose cannot name, say)."""
    tags: list[str] = []
    left: list[str] = []
    notes: list[str] = []
    motivations = set(_strings(entry.get("motivation")))
    if "bodyValue" in entry:
        value = entry["bodyValue"]
        if not isinstance(value, str):
            raise FileError(f"{where}.bodyValue: must be text")
        notes.append(_lines(value))
    for path, body in _each(entry.get("body", []), f"{where}.body"):
        if not isinstance(body, str | dict):
            raise FileError(f"{path}: must be a body (a link or a JSON object)")
        link = _link(body)
        if link is not None:
            notes.append(link)  # a body glose cannot hold (audio, a page): named in the note
            continue
        if not isinstance(body, dict) or "value" not in body:
            continue  # nothing to keep: no text, no link
        value = body["value"]
        if not isinstance(value, str):
            raise FileError(f"{path}.value: must be text")
        purposes = set(_strings(body.get("purpose")))
        value = _lines(value)
        if "tagging" in purposes or (not purposes and motivations == {"tagging"}):
            try:
                tags.append(clean_tag_name(value))
            except TagNameError as error:
                # Another tool's tag need not fit glose's names: the rest is still kept.
                left.append(f"its tag {value[:80]!r} ({error})")
        else:
            notes.append(value)
    try:
        note = note_from_file("\n\n".join(note for note in notes if note.strip()))
    except NoteError as error:
        raise FileError(f"{where}.body: {error}") from error
    return list(dict.fromkeys(tags)), note, left


MARKDOWN = "text/markdown"


def _says_markdown(entry: dict[str, Any]) -> bool:
    """Whether a note body of `entry` is Markdown by its format (kept so for the way back)."""
    bodies = entry.get("body", [])
    return any(
        isinstance(body, dict)
        and "tagging" not in _strings(body.get("purpose"))
        and body.get("format") == MARKDOWN
        for body in (bodies if isinstance(bodies, list) else [bodies])
    )


def _lines(value: str) -> str:
    """Windows and old Mac line ends as LF: glose's notes and texts have no other."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _link(body: str | dict[str, Any]) -> str | None:
    """The IRI of a body that is a resource rather than text (of a Choice, its first)."""
    if isinstance(body, str):
        return body
    if "Choice" in _types(body) and isinstance(body.get("items"), list) and body["items"]:
        first = body["items"][0]
        return _link(first) if isinstance(first, str | dict) else None
    if "TextualBody" in _types(body) or "value" in body:
        return None
    for key in ("id", "source"):
        value = body.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            return value["id"]
    return None


def _text_target(
    target: Any, path: str, documents: dict[str, str], paths: dict[str, str]
) -> tuple[tuple[str, dict[str, Any]] | None, str]:
    """(document id, selector fields) of a target in a text, or None and why not."""
    if isinstance(target, str):
        return None, f"it targets a whole resource ({target}), not words in a text"
    if not isinstance(target, dict):
        raise FileError(f"{path}: must be a target (a link or a JSON object)")
    source = target.get("source")
    if isinstance(source, dict) and isinstance(source.get("id"), str):
        source = source["id"]  # a source described (its title, author): its IRI names it
    if not isinstance(source, str):
        if isinstance(target.get("id"), str):
            return None, f"it targets a whole resource ({target['id']}), not words in a text"
        kinds = ", ".join(sorted(_types(target))) or "a target without a source"
        return None, f"its target ({kinds}) is not words in one text"
    quote_fields: dict[str, Any] = {}
    position: tuple[int, int] | None = None
    for where, selector in _each(target.get("selector", []), f"{path}.selector"):
        if not isinstance(selector, dict):
            continue  # a selector given by link: nothing here to find words with
        refined = selector.get("refinedBy")
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds:
            quote_fields = _quote(selector, where)
        elif "TextPositionSelector" in kinds:
            position = _position(selector, where)
        elif isinstance(refined, dict) and "TextQuoteSelector" in _types(refined):
            # Words inside a fragment: they can still be looked for in the whole text.
            quote_fields = _quote(refined, f"{where}.refinedBy")
    if not quote_fields and position is None:
        return None, f"its target in {source} has no TextQuoteSelector or TextPositionSelector"
    document = _document_named(source, documents, paths)
    elsewhere = ""
    if document is None:
        elsewhere = source  # made on a page, a file not here: kept as it came
        scope = target.get("scope")
        if isinstance(scope, str):
            # glose's export of words found in a document: the document, as its scope.
            document = _document_named(scope, documents, paths)
    if position is not None:
        quote_fields.setdefault("quote", "")
        start, end = position
        quote_fields.update(start=start, end=end)
    elif "quote" in quote_fields:
        # No position: looked for by its words and context (an empty span holds no words).
        quote_fields.update(start=0, end=0)
    if not quote_fields.get("quote") and document is None:
        return (
            None,
            f"{source} is not in the corpus and the target gives a position without its words",
        )
    style = target.get("styleClass")
    fields = {
        **quote_fields,
        "source": elsewhere,
        "styleClass": style if isinstance(style, str) else None,
    }
    return (document or source, fields), ""


def _quote(selector: dict[str, Any], path: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, name in (("exact", "quote"), ("prefix", "prefix"), ("suffix", "suffix")):
        value = selector.get(key, "")
        if not isinstance(value, str):
            raise FileError(f"{path}.{key}: must be text")
        fields[name] = value
    if OCCURRENCES in selector:
        fields["occurrences"] = whole(selector[OCCURRENCES], f"{path}.{OCCURRENCES}")
    if not fields["quote"]:
        raise FileError(f"{path}.exact: a TextQuoteSelector needs the words it selects")
    return fields


def _position(selector: dict[str, Any], path: str) -> tuple[int, int]:
    values = []
    for key in ("start", "end"):
        value = selector.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FileError(f"{path}.{key}: must be a whole number, 0 or more")
        values.append(value)
    if values[1] < values[0]:
        raise FileError(f"{path}.end: {values[1]} is before start {values[0]}")
    return values[0], values[1]


def _color(entry: dict[str, Any], style: str | None) -> str | None:
    if style and style.startswith(STYLE_CLASS) and style[len(STYLE_CLASS) :] in HIGHLIGHT_COLORS:
        return style[len(STYLE_CLASS) :]
    return "yellow" if style else None


def _creator(creator: Any, path: str) -> str:
    """An annotator's name from a creator: its name, nickname or IRI."""
    for found in _each(creator or [], path):
        value = found[1]
        if isinstance(value, dict):
            value = value.get("name") or value.get("nickname") or value.get("id")
            if isinstance(value, list):
                value = next(iter(value), None)
        if isinstance(value, str) and value.strip():
            name = " ".join(value.split())
            if not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name):
                return name[:TAG_NAME_MAX]
    return ""


def _stamp(entry: dict[str, Any], key: str, field: str, where: str) -> dict[str, str]:
    value = entry.get(key)
    if value is None:
        return {}
    return {field: timestamp(value, f"{where}.{key}")}


def _uuid(iri: Any, target: int = 0) -> str:
    """The UUID of an annotation's `target`-th target: for the first, its own when its id is
    a `urn:uuid:`; otherwise drawn from its id, the same every time."""
    if not isinstance(iri, str):
        return str(uuid.uuid4())  # no id: nothing to know it by again
    if target == 0 and iri.lower().startswith("urn:uuid:"):
        try:
            return str(uuid.UUID(iri[9:]))
        except ValueError:
            pass
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri if target == 0 else f"{iri}#{target}"))


def _documents_by_iri(corpus: Corpus) -> dict[str, str]:
    """Document ids by every IRI that names them: their file's, and glose's URN."""
    found = {}
    for document in corpus:
        found[document.path.resolve().as_uri()] = document.id
        found[_file_iri(document.path)] = document.id
        found[DOCUMENT_URN + quote(document.id, safe="")] = document.id
    return found


def _document_named(source: str, documents: dict[str, str], paths: dict[str, str]) -> str | None:
    """The corpus document a source IRI names, if any."""
    if source in documents:
        return documents[source]
    if source.startswith(DOCUMENT_URN):
        return unquote(source[len(DOCUMENT_URN) :]) or None
    parts = urlsplit(source)
    if parts.scheme != "file":
        return None
    # Another machine's copy of the corpus: the file whose path ends the same way, the
    # longest such ending first (`sub/x.txt` before `x.txt`).
    # Named as the corpus names its files: a name that is not UTF-8 by its bytes' `%XX`.
    segments = [name_text(os.fsdecode(part)) for part in unquote_to_bytes(parts.path).split(b"/")]
    for first in range(1, len(segments)):
        found = paths.get("/".join(segments[first:]))
        if found is not None:
            return found
    return None


def _is_annotation(entry: dict[str, Any]) -> bool:
    return "Annotation" in _types(entry)


def _types(entry: dict[str, Any]) -> set[str]:
    return set(_strings(entry.get("type")))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _each(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, list):
        yield from ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        yield path, value
