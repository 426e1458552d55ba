"""REFI-QDA 1.5 (QDA-XML 1.0): a `.qdpx` project for NVivo, ATLAS.ti, MAXQDA and QualCoder,
and a `.qdc` codebook alone.

A project holds every document as a source (`sources/<guid>.txt`, the document's text in
UTF-8 with LF, exactly the text glose's offsets count in), each annotation as a
PlainTextSelection over it in code points, its tags as Codings of the codebook's Codes, and
its note as a Note. GUIDs are derived from what they name, so that exporting twice gives
the same GUIDs and a QDA program can tell a re-import from new data.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from tui import __version__
from tui.corpus import Corpus, Document
from tui.interchange.export import Export, Item
from tui.store.codebook import TagNode, tag_tree
from tui.store.model import Highlight, PassageAnnotation, Tag, now

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_GUIDS = uuid.UUID("0f1b4c52-6b8e-4d51-9a55-8c2f3e1d7a90")
"""The namespace of glose's derived GUIDs (fixed: the same things get the same GUIDs)."""

_NOTE_NAME = 60


class EmptyCodebook(ValueError):
    """A codebook needs at least one code (the schema requires it)."""


def guid(kind: str, name: str) -> str:
    return str(uuid.uuid5(_GUIDS, f"{kind}:{name}"))


def left_out(export: Export) -> int:
    """Orphans have no place in a source's text: a project cannot hold them."""
    return sum(1 for item in export.items if not item.placed)


def write_project(export: Export, corpus: Corpus, out: IO[bytes]) -> None:
    """The `.qdpx` archive: project.qde and one text file per source."""
    documents = _sources(export, corpus)
    project = _project(export, corpus, documents)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", _xml(project))
        for document in documents:
            # Written exactly as glose counts it: positions index this text, code point by point.
            archive.writestr(
                f"sources/{guid('document', document.id)}.txt",
                document.text.encode("utf-8", "surrogatepass"),
            )


def write_codebook(export: Export, out: IO[bytes]) -> None:
    """The `.qdc` codebook: the tags as codes."""
    if not export.tags:
        raise EmptyCodebook("there are no tags to export: a codebook needs at least one")
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=f"glose {__version__}")
    root.append(_codes(export.tags, CODEBOOK_NS))
    out.write(_xml(root))


def _sources(export: Export, corpus: Corpus) -> list[Document]:
    """The documents the project holds: those with a placed annotation, in corpus order."""
    wanted = {item.annotation.document for item in export.items if item.placed}
    return [document for document in corpus if document.id in wanted]


def _project(export: Export, corpus: Corpus, documents: list[Document]) -> ET.Element:
    ns = f"{{{PROJECT_NS}}}"
    created = now()
    root = ET.Element(
        f"{ns}Project",
        name=_text(f"glose: {Path(corpus.root).resolve().name}"),
        origin=f"glose {__version__}",
        creationDateTime=created,
    )
    people = sorted({item.annotation.annotator for item in export.items if item.placed})
    if people:
        users = ET.SubElement(root, f"{ns}Users")
        for person in people:
            ET.SubElement(users, f"{ns}User", guid=guid("user", person), name=_text(person))
    if export.tags:
        codebook = ET.SubElement(root, f"{ns}CodeBook")
        codebook.append(_codes(export.tags, PROJECT_NS))
    notes: list[ET.Element] = []
    if documents:
        sources = ET.SubElement(root, f"{ns}Sources")
        by_document: dict[str, list[Item]] = {}
        for item in export.items:
            if item.placed:
                by_document.setdefault(item.annotation.document, []).append(item)
        for document in documents:
            sources.append(_source(document, by_document.get(document.id, []), notes))
    if notes:
        ET.SubElement(root, f"{ns}Notes").extend(notes)
    return root


def _codes(tags: list[Tag], namespace: str) -> ET.Element:
    """The tags as codes, `a/b` nested as code `b` inside code `a`; a level no tag is named
    after is a code that cannot be coded (a category, as QualCoder calls it)."""
    ns = f"{{{namespace}}}"
    codes = ET.Element(f"{ns}Codes")

    def add(parent: ET.Element, node: TagNode) -> None:
        tag = node.tag
        attributes = {"guid": guid("tag", tag.name if tag else node.path)}
        attributes |= {"name": _text(node.label), "isCodable": "true" if tag else "false"}
        if tag is not None:
            attributes["color"] = tag.color.upper()
        code = ET.SubElement(parent, f"{ns}Code", attributes)
        if tag is not None and tag.description:
            ET.SubElement(code, f"{ns}Description").text = _text(tag.description)
        for child in node.children:
            add(code, child)

    for node in tag_tree(tags, {}):
        add(codes, node)
    return codes


def _source(document: Document, items: list[Item], notes: list[ET.Element]) -> ET.Element:
    ns = f"{{{PROJECT_NS}}}"
    source_guid = guid("document", document.id)
    source = ET.Element(
        f"{ns}TextSource",
        guid=source_guid,
        name=_text(document.title),
        plainTextPath=f"internal://{source_guid}.txt",
    )
    ET.SubElement(source, f"{ns}Description").text = _text(document.relpath)
    for item in items:
        source.append(_selection(item, notes))
    return source


def _selection(item: Item, notes: list[ET.Element]) -> ET.Element:
    ns = f"{{{PROJECT_NS}}}"
    found = item.annotation
    user = guid("user", found.annotator)
    export = ET.Element(
        f"{ns}PlainTextSelection",
        guid=found.uuid,
        name=_text(_shortened(found.quote)),
        startPosition=str(found.start),
        endPosition=str(found.end),
        creatingUser=user,
        **_time("creationDateTime", found.created),
        modifyingUser=user,
        **_time("modifiedDateTime", found.updated),
    )
    description = _description(found)
    if description:
        ET.SubElement(export, f"{ns}Description").text = description
    for tag in found.tags if isinstance(found, PassageAnnotation) else []:
        coding = ET.SubElement(
            export,
            f"{ns}Coding",
            guid=guid("coding", f"{found.uuid}:{tag}"),
            creatingUser=user,
            **_time("creationDateTime", found.updated),
        )
        ET.SubElement(coding, f"{ns}CodeRef", targetGUID=guid("tag", tag))
    if found.note:
        note_guid = guid("note", found.uuid)
        ET.SubElement(export, f"{ns}NoteRef", targetGUID=note_guid)
        note = ET.Element(
            f"{ns}Note",
            guid=note_guid,
            name=_text(_shortened(found.note)),
            creatingUser=user,
            **_time("creationDateTime", found.created),
        )
        ET.SubElement(note, f"{ns}PlainTextContent").text = _text(found.note)
        notes.append(note)
    return export


def _description(found: PassageAnnotation | Highlight) -> str:
    if isinstance(found, Highlight):
        return f"highlight ({found.color})"
    return f"highlighted passage ({found.color})" if found.highlighted else ""


def _time(attribute: str, value: str) -> dict[str, str]:
    """An xsd:dateTime attribute, left out when the stored time is not one (old records)."""
    return {attribute: value} if len(value) >= 20 and value[10] == "T" else {}


def _shortened(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= _NOTE_NAME else words[: _NOTE_NAME - 1].rstrip() + "…"


def _text(text: str) -> str:
    """Text XML 1.0 can hold: the characters it forbids (controls, lone surrogates, U+FFFE
    and U+FFFF) become U+FFFD, so the file always parses."""
    return "".join(c if _allowed(ord(c)) else "\ufffd" for c in text)


def _allowed(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _xml(root: ET.Element) -> bytes:
    ET.register_namespace("", root.tag[1 : root.tag.index("}")])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
