"""glose's own JSON: annotated passages with their tags, highlights and notes, each document's
orphans, and the documents gone from the corpus, so that nothing stored is left out.

Versions: 1 had passages with tags and highlighted; 2 added highlights, notes, statuses,
orphans and missing documents; 3 added annotators, times, UUIDs and tag descriptions; 4 made
each highlight a coded segment, with its tags and whether it is highlighted; 5 put the tags in
a `codebook` (with when each was made) and named a passage's place `passage_index`, as it
counts from 0. `read` reads all five; `build` writes the newest.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from tui.corpus import Corpus
from tui.interchange.export import Export, Item, kind_of
from tui.interchange.files import dump_json
from tui.interchange.reading import (
    FileError,
    Parsed,
    check_text,
    note_from_file,
    timestamp,
    validate,
    whole,
)
from tui.store.model import (
    DEFAULT_HIGHLIGHT,
    Anchored,
    Highlight,
    NoteError,
    PassageAnnotation,
    Tag,
    TagNameError,
    clean_description,
    clean_note,
    clean_tag_name,
    now,
)

FORMAT = "glose.annotations"
VERSION = 5
VERSIONS = (1, 2, 3, 4, 5)


def _times(annotation: Anchored) -> dict[str, Any]:
    return {
        "annotator": annotation.annotator,
        "created": annotation.created,
        "updated": annotation.updated,
        "uuid": annotation.uuid,
    }


def _place(annotation: Anchored) -> dict[str, Any]:
    """Where an annotation is (its W3C selectors' fields), its note and status."""
    return {
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "occurrences": annotation.occurrences,
        "note": annotation.note,
        "status": annotation.status,
    }


OPTIONAL = ("source", "group", "note_format")
"""Fields written only when set: where it was made and shared, when not here (a web page, a
Hypothesis group), and the note's format when it is not plain text."""


def _elsewhere(annotation: Anchored) -> dict[str, Any]:
    return {key: getattr(annotation, key) for key in OPTIONAL if getattr(annotation, key)}


def _kept_elsewhere(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in OPTIONAL if entry.get(key)}


def _segment(segment: Highlight) -> dict[str, Any]:
    return {
        **_place(segment),
        "tags": list(segment.tags),
        "highlighted": segment.highlighted,
        "color": segment.color if segment.highlighted else None,
        **_times(segment),
        **_elsewhere(segment),
    }


def _orphan(annotation: PassageAnnotation | Highlight) -> dict[str, Any]:
    """An annotation whose words were not found: its last known place and quote."""
    return {
        "kind": kind_of(annotation),
        **_place(annotation),
        "status": "orphan",  # also when its whole document is gone from the corpus
        "sha256": annotation.sha256,  # of the text it was made on
        "color": annotation.color,
        **_times(annotation),
        "tags": list(annotation.tags),
        "highlighted": annotation.highlighted,
        **_elsewhere(annotation),
    }


def _passage_entry(item: Item, annotator: str) -> dict[str, Any]:
    assert item.document is not None and item.passage is not None
    passage = item.document.passages[item.passage]
    annotation = item.annotation if isinstance(item.annotation, PassageAnnotation) else None
    return {
        "passage_index": passage.index,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        # The context its words were found by: an import finds them again as the store would.
        "prefix": annotation.prefix if annotation else "",
        "suffix": annotation.suffix if annotation else "",
        "occurrences": annotation.occurrences if annotation else 0,
        "annotator": annotator,
        "tags": list(annotation.tags) if annotation else [],
        "highlighted": annotation.highlighted if annotation else False,
        "color": annotation.color if annotation and annotation.highlighted else None,
        "note": annotation.note if annotation else "",
        "status": annotation.status if annotation else "exact",
        "created": annotation.created if annotation else None,
        "updated": annotation.updated if annotation else None,
        "uuid": annotation.uuid if annotation else None,
        **(_elsewhere(annotation) if annotation else {}),
        "highlights": [],
    }


def build(export: Export, corpus: Corpus) -> dict[str, Any]:
    """The export as a dict: one entry per annotated passage and annotator, with the
    segments (highlights) that start in it, then the orphans, document by document."""
    documents: dict[str, dict[str, Any]] = {}
    entries: dict[tuple[str, int, str], dict[str, Any]] = {}
    for item in export.items:
        annotation = item.annotation
        document = documents.get(annotation.document)
        if document is None:
            document = documents[annotation.document] = _document_entry(item)
        if not item.placed:
            document["orphans"].append(_orphan(annotation))
            continue
        assert item.passage is not None
        key = (annotation.document, item.passage, annotation.annotator)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = _passage_entry(item, annotation.annotator)
            document["passages"].append(entry)
        if isinstance(annotation, Highlight):
            entry["highlights"].append(_segment(annotation))
    for document in documents.values():
        document["passages"].sort(key=lambda entry: (entry["passage_index"], entry["annotator"]))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now(),
        "corpus": str(Path(corpus.root).resolve()),
        "codebook": {"tags": [_tag(tag) for tag in export.tags]},
        "documents": list(documents.values()),
    }


def _tag(tag: Tag) -> dict[str, Any]:
    return {
        "name": tag.name,
        "color": tag.color,
        "key": tag.key,
        "description": tag.description,
        "created": tag.created or None,
    }


def _document_entry(item: Item) -> dict[str, Any]:
    if item.document is None:
        # Not in this corpus: kept whole, as orphans, never dropped.
        return {
            "id": item.annotation.document,
            "path": None,
            "title": None,
            "sha256": item.annotation.sha256,
            "missing": True,
            "passages": [],
            "orphans": [],
        }
    entry: dict[str, Any] = {
        "id": item.document.id,
        "path": item.document.relpath,
        "title": item.document.title,
        "sha256": item.document.sha256,
    }
    if item.document.metadata is not None and item.document.metadata.said():
        entry["metadata"] = item.document.metadata.said()  # only what the file says
    return {**entry, "passages": [], "orphans": []}


def write(data: dict[str, Any], out: IO[str]) -> None:
    dump_json(data, out)


# Reading


def read(data: Any) -> Parsed:
    """The annotations of an export of any version (FileError naming the record and field)."""
    version = data.get("version") if isinstance(data, dict) else None
    if type(version) is not int or version not in VERSIONS:
        raise FileError(
            f"version: glose reads versions 1 to {VERSION} of {FORMAT}, not {version!r}"
        )
    validate(data, f"glose-annotations-{version}.schema.json")
    parsed = Parsed(f"{FORMAT} {version}")
    # Version 5 keeps the tags in a codebook; before, they were a list of their own.
    tags, where = (
        (data["codebook"]["tags"], "codebook.tags") if version >= 5 else (data["tags"], "tags")
    )
    for t, tag in enumerate(tags):
        path = f"{where}[{t}]"
        name = _tag_name(tag["name"], f"{path}.name")
        description = _note(tag.get("description", ""), f"{path}.description", clean_description)
        key = whole(tag["key"], f"{path}.key", optional=True)
        created = timestamp(tag["created"], f"{path}.created") if tag.get("created") else now()
        parsed.tags.append(Tag(name, tag["color"], key, created, description))
    for d, document in enumerate(data["documents"]):
        for p, entry in enumerate(document["passages"]):
            where = f"documents[{d}].passages[{p}]"
            for annotation, place in _from_passage(document, entry, where):
                parsed.add(annotation, place)
        for o, orphan in enumerate(document.get("orphans", [])):
            where = f"documents[{d}].orphans[{o}]"
            parsed.add(_from_orphan(document, orphan, where), where)
    return parsed


def _from_passage(
    document: dict[str, Any], entry: dict[str, Any], path: str
) -> list[tuple[PassageAnnotation | Highlight, str]]:
    check_text(entry["start"], entry["end"], entry["text"], path, "text")
    # Version 5 names the place `passage_index` (from 0, as `index` counted before).
    field = "passage_index" if "passage_index" in entry else "index"
    index = whole(entry[field], f"{path}.{field}")
    found: list[tuple[PassageAnnotation | Highlight, str]] = []
    common = {"document": document["id"], "sha256": document["sha256"]}
    annotator = _annotator(entry)
    tags = _tags(entry, path)
    annotation = PassageAnnotation(
        **common,
        start=entry["start"],
        end=entry["end"],
        quote=entry["text"],
        # Version 3 keeps a passage's context; before, it is found again from the text.
        prefix=entry.get("prefix", ""),
        suffix=entry.get("suffix", ""),
        occurrences=_occurrences(entry, f"{path}.occurrences", unknown=0),
        passage=index,
        tags=tags,
        highlighted=entry["highlighted"],
        color=entry.get("color") or DEFAULT_HIGHLIGHT,
        note=_note(entry.get("note", ""), f"{path}.note"),
        status=entry.get("status", "exact"),
        annotator=annotator,
        **_stamps(entry, path),
        **_kept_elsewhere(entry),
    )
    if not annotation.is_empty:
        found.append((annotation, path))
    for h, highlight in enumerate(entry.get("highlights", [])):
        where = f"{path}.highlights[{h}]"
        check_text(highlight["start"], highlight["end"], highlight["quote"], where, "quote")
        segment = Highlight(
            **common,
            **_selectors(highlight),
            occurrences=_occurrences(highlight, f"{where}.occurrences"),
            passage=index,
            # Before version 4 every one was a highlight: coloured, with no tag.
            tags=_tags(highlight, where),
            highlighted=highlight.get("highlighted", True),
            color=highlight["color"] or DEFAULT_HIGHLIGHT,
            note=_note(highlight["note"], f"{where}.note"),
            status=highlight["status"],
            annotator=_annotator(highlight) or annotator,
            **_stamps(highlight, where),
            **_kept_elsewhere(highlight),
        )
        found.append((segment, where))
    return found


def _from_orphan(
    document: dict[str, Any], orphan: dict[str, Any], path: str
) -> PassageAnnotation | Highlight:
    check_text(orphan["start"], orphan["end"], orphan["quote"], path, "quote")
    common = {
        "document": document["id"],
        "sha256": orphan.get("sha256") or document["sha256"],
        **_selectors(orphan),
        "note": _note(orphan["note"], f"{path}.note"),
        "occurrences": _occurrences(orphan, f"{path}.occurrences"),
        "status": "orphan",
        "color": orphan["color"],
        "annotator": _annotator(orphan),
        **_stamps(orphan, path),
        **_kept_elsewhere(orphan),
    }
    tags = _tags(orphan, path)
    if orphan["kind"] != "passage":
        return Highlight(**common, tags=tags, highlighted=orphan.get("highlighted", True))
    return PassageAnnotation(
        **common, passage=0, tags=tags, highlighted=orphan.get("highlighted", False)
    )


def _tags(entry: dict[str, Any], path: str) -> list[str]:
    return [_tag_name(tag, f"{path}.tags[{i}]") for i, tag in enumerate(entry.get("tags", []))]


def _selectors(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in ("start", "end", "quote", "prefix", "suffix")}


def _annotator(entry: dict[str, Any]) -> str:
    return entry.get("annotator") or ""


def _stamps(entry: dict[str, Any], path: str) -> dict[str, Any]:
    """Times and UUID as the file has them; new ones where it has none (versions 1 and 2)."""
    found = {
        key: timestamp(entry[key], f"{path}.{key}")
        for key in ("created", "updated")
        if entry.get(key)
    }
    if entry.get("uuid"):
        found["uuid"] = entry["uuid"]
    return found


def _occurrences(entry: dict[str, Any], path: str, unknown: int = 1) -> int:
    """How many times the quote was in its text (version 3); `unknown` before."""
    if "occurrences" not in entry:
        return unknown
    return whole(entry["occurrences"], path)


def _tag_name(name: str, path: str) -> str:
    try:
        return clean_tag_name(name)
    except TagNameError as error:
        raise FileError(f"{path}: {error}") from error


def _note(note: str, path: str, clean=clean_note) -> str:
    try:
        return note_from_file(note, clean)
    except NoteError as error:
        raise FileError(f"{path}: {error}") from error
