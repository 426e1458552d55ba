"""REFI-QDA 1.5 (QDA-XML 1.0): a `.qdpx` project for NVivo, ATLAS.ti, MAXQDA and QualCoder,
and a `.qdc` codebook alone; a project read back as coded segments.

A project holds every corpus document as a source (`sources/<guid>.txt`, the document's
text in UTF-8 with LF, exactly the text glose's offsets count in), or only the annotated
ones when asked; each annotation (a passage's or a coded segment) as a PlainTextSelection
over it in code points, by its user and dated, its tags as Codings of the codebook's Codes,
and its note twice: as the selection's Description (where QualCoder reads a coding's memo)
and as a Note it refers to (where the standard, NVivo and ATLAS.ti put one). A code is
named by its last level unless another code shares it, then by as much of its path as
tells them apart (`acteurs/autres`, `politique/autres`); QualCoder needs unique names.
A highlight's colour does not travel: REFI-QDA has no place for it (older glose exports
said it in the Description, which the import still reads). GUIDs are derived from what they
name, so that exporting twice gives the same GUIDs and a QDA program can tell a re-import
from new data.
"""

from __future__ import annotations

import contextlib
import functools
import re
import uuid
import zipfile
from bisect import bisect_left
from importlib import resources
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree as ET

from tui import __version__
from tui.anchoring import describe
from tui.corpus import Corpus, Document
from tui.corpus.archives import BoundedZip, Limits, Refused, Why
from tui.corpus.document import normalise_newlines, text_sha256
from tui.interchange.export import Export, Item
from tui.interchange.formats import EmptyCodebook
from tui.interchange.reading import FileError, Outside, Parsed, note_from_file, timestamp
from tui.store.codebook import TagNode, path_of, tag_tree
from tui.store.model import (
    DEFAULT_HIGHLIGHT,
    HIGHLIGHT_COLORS,
    TAG_COLOR_PATTERN,
    Highlight,
    NoteError,
    Tag,
    TagNameError,
    clean_description,
    clean_tag_name,
    now,
)

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_GUIDS = uuid.UUID("0f1b4c52-6b8e-4d51-9a55-8c2f3e1d7a90")
"""The namespace of glose's derived GUIDs (fixed: the same things get the same GUIDs)."""

_NOTE_NAME = 60

NOBODY = "(no annotator)"
"""The user of an old record that names nobody: read back as naming nobody, as is the user
of `NOBODY_GUID`, so that it never merges with a person."""
NOBODY_GUID = str(uuid.uuid5(_GUIDS, "nobody"))


VARIABLES = {"title": "Title", "author": "Author", "date": "Date", "site": "Site", "url": "URL"}
"""What a file says of itself, by the name of the source variable it is exported as (text:
dates are written in the forms files give, not always a calendar date)."""


def guid(kind: str, name: str) -> str:
    return str(uuid.uuid5(_GUIDS, f"{kind}:{name}"))


def left_out(export: Export) -> int:
    """Orphans have no place in a source's text: a project cannot hold them."""
    return sum(1 for item in export.items if not item.placed)


def write_project(export: Export, corpus: Corpus, out: IO[bytes]) -> None:
    """The `.qdpx` archive: project.qde and one text file per source."""
    documents = sources(export, corpus)
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


def sources(export: Export, corpus: Corpus) -> list[Document]:
    """The documents the project holds, in corpus order: every one the export's filters let
    through, so the rest can be coded in the QDA program; only those with a placed
    annotation when the export says `annotated_only`."""
    annotated = {item.annotation.document for item in export.items if item.placed}
    if export.annotated_only:
        return [document for document in corpus if document.id in annotated]
    # Asked-for documents narrow the sources; tag or annotator filters narrow the codings.
    asked = set(export.documents_asked)
    return [
        document
        for document in corpus
        if document.id in annotated or not asked or document.id in asked
    ]


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
            ET.SubElement(users, f"{ns}User", guid=_user_guid(person), name=_text(person or NOBODY))
    if export.tags:
        codebook = ET.SubElement(root, f"{ns}CodeBook")
        codebook.append(_codes(export.tags, PROJECT_NS))
    said = {
        name
        for document in documents
        if document.metadata is not None
        for name in document.metadata.said()
    }
    if said:
        # What the files say of themselves, as the sources' variables a QDA program shows.
        variables = ET.SubElement(root, f"{ns}Variables")
        for name in (name for name in VARIABLES if name in said):
            ET.SubElement(
                variables,
                f"{ns}Variable",
                guid=guid("variable", name),
                name=VARIABLES[name],
                typeOfVariable="Text",
            )
    notes: list[ET.Element] = []
    if documents:
        sources = ET.SubElement(root, f"{ns}Sources")
        by_document: dict[str, list[Item]] = {}
        for item in export.items:
            if item.placed:
                by_document.setdefault(item.annotation.document, []).append(item)
        for document in documents:
            sources.append(_source(document, by_document.get(document.id, []), notes, created))
    if notes:
        ET.SubElement(root, f"{ns}Notes").extend(notes)
    return root


def _codes(tags: list[Tag], namespace: str) -> ET.Element:
    """The tags as codes, `a/b` nested as code `b` inside code `a`; a level no tag is named
    after is a code that cannot be coded (a category, as QualCoder calls it)."""
    ns = f"{{{namespace}}}"
    codes = ET.Element(f"{ns}Codes")

    roots = tag_tree(tags, {})
    names = _code_names(roots)

    def add(parent: ET.Element, node: TagNode) -> None:
        tag = node.tag
        attributes = {"guid": guid("tag", tag.name if tag else node.path)}
        name = names[id(node)]
        attributes |= {"name": _text(name), "isCodable": "true" if tag else "false"}
        if tag is not None:
            attributes["color"] = tag.color.upper()
        code = ET.SubElement(parent, f"{ns}Code", attributes)
        if tag is not None and tag.description:
            ET.SubElement(code, f"{ns}Description").text = _text(tag.description)
        for child in node.children:
            add(code, child)

    for node in roots:
        add(codes, node)
    return codes


def _code_names(roots: list[TagNode]) -> dict[int, str]:
    """Each code's name by its node's id: its last level, or if another code ends the same,
    the fewest last levels that no other code ends with (case ignored, as QualCoder and glose
    match names). Two codes on one path (an old store's `a/b` and `a / b`) end the same
    however many levels are taken: the second is numbered, `b (2)`, so names never clash."""
    nodes: list[tuple[TagNode, list[str]]] = []

    def walk(node: TagNode) -> None:
        # A tag's own spelling: its level may first have been met, in other case, above another.
        nodes.append((node, path_of(node.tag.name if node.tag else node.path).split("/")))
        for child in node.children:
            walk(child)

    for node in roots:
        walk(node)
    ends: dict[str, int] = {}
    for _, path in nodes:
        for k in range(1, len(path) + 1):
            end = "/".join(path[-k:]).casefold()
            ends[end] = ends.get(end, 0) + 1
    names: dict[int, str] = {}
    taken: set[str] = set()
    for node, path in nodes:
        k = next(
            (k for k in range(1, len(path)) if ends["/".join(path[-k:]).casefold()] == 1),
            len(path),
        )
        name = wanted = "/".join(path[-k:])
        number = 1
        while name.casefold() in taken or (number > 1 and name.casefold() in ends):
            number += 1
            name = f"{wanted} ({number})"
        taken.add(name.casefold())
        names[id(node)] = name
    return names


def _source(
    document: Document, items: list[Item], notes: list[ET.Element], exported: str
) -> ET.Element:
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
        source.append(_selection(item, notes, exported))
    said = document.metadata.said() if document.metadata is not None else {}
    for name in (name for name in VARIABLES if name in said):
        value = ET.SubElement(source, f"{ns}VariableValue")
        ET.SubElement(value, f"{ns}VariableRef", targetGUID=guid("variable", name))
        ET.SubElement(value, f"{ns}TextValue").text = _text(said[name])
    return source


def _selection(item: Item, notes: list[ET.Element], exported: str) -> ET.Element:
    """One annotation as a selection; `exported` dates what an old record left undated."""
    ns = f"{{{PROJECT_NS}}}"
    found = item.annotation
    user = _user_guid(found.annotator)
    created = _time(found.created, exported)
    updated = _time(found.updated, created)
    export = ET.Element(
        f"{ns}PlainTextSelection",
        guid=found.uuid,
        name=_text(_shortened(found.quote)),
        startPosition=str(found.start),
        endPosition=str(found.end),
        creatingUser=user,
        creationDateTime=created,
        modifyingUser=user,
        modifiedDateTime=updated,
    )
    if found.note:
        # QualCoder reads a coding's memo here; the Note below is where the others read it.
        ET.SubElement(export, f"{ns}Description").text = _text(found.note)
    for tag in found.tags:
        coding = ET.SubElement(
            export,
            f"{ns}Coding",
            guid=guid("coding", f"{found.uuid}:{tag}"),
            creatingUser=user,
            creationDateTime=updated,
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
            creationDateTime=created,
        )
        ET.SubElement(note, f"{ns}PlainTextContent").text = _text(found.note)
        notes.append(note)
    return export


def _user_guid(annotator: str) -> str:
    """A user's GUID; an old record naming nobody has one no named user can have."""
    return guid("user", annotator) if annotator else NOBODY_GUID


def _time(value: str, otherwise: str) -> str:
    """A stored time as xsd:dateTime, else `otherwise` (an old record's time is not one)."""
    return value if len(value) >= 20 and value[10] == "T" else otherwise


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


# Reading

_COLOR_SAID = re.compile(r"(?:highlight|highlighted passage) \(([a-z]+)\)")
"""The Description older glose exports gave a highlighted selection: its colour."""

_NOT_TEXT = {
    "PictureSource": "a picture",
    "PDFSource": "a PDF",
    "AudioSource": "a recording",
    "VideoSource": "a video",
}


MOST_MEMBERS = 100_000
"""Files an archive may list: past that, it is taken for a trap, not a project."""


def read_project(data: bytes, corpus: Corpus, limit: int) -> Parsed:
    """The coded text selections of a `.qdpx` project, each a segment of its own words; what
    glose cannot keep (pictures, sources outside the archive) gets a skipped line. Nothing
    is written to disk. The archive is refused before anything is unpacked when its files
    declare more than `limit` bytes in all, pack too well (a zip bomb), or one's name points
    outside the archive; a project that declares a DOCTYPE (where XML entities live) is
    refused too."""
    parsed = Parsed("REFI-QDA project")
    try:
        archive = BoundedZip(data, Limits(unpacked=limit, members=MOST_MEMBERS))
    except Refused as refused:
        raise _refusal(refused, limit) from refused
    outside = archive.outside()
    if outside is not None:
        raise FileError(
            f"holds a file named {outside!r}, a path outside the archive: refused as hostile"
        )
    names = archive.names
    projects = [name for name in names if name.lower().endswith(".qde") and "/" not in name]
    if not projects:
        raise FileError("is a zip archive without a project.qde: not a REFI-QDA project")
    name = "project.qde" if "project.qde" in projects else projects[0]
    root = _valid_root(_unpacked(archive, name, limit), name, "Project")
    reading = _Reading(root, archive, corpus, limit, parsed)
    for source in reading.children(root, "Sources"):
        kind = source.tag.rsplit("}", 1)[-1]
        if kind == "TextSource":
            reading.source(source)
        elif kind in _NOT_TEXT:
            parsed.skipped.append(
                f"skipped source {source.get('name')!r}: {_NOT_TEXT[kind]}, not a text"
            )
    return parsed


def _unpacked(archive: BoundedZip, name: str, limit: int) -> bytes:
    """A file of the project, unpacked no further than it declares (FileError if refused)."""
    try:
        return archive.read(name)
    except Refused as refused:
        raise _refusal(refused, limit) from refused


def _refusal(refused: Refused, limit: int) -> FileError:
    """The sentence an import says for an archive `refused`."""
    name = refused.member
    match refused.why:
        case Why.BROKEN:
            return FileError(f"is not a REFI-QDA project (a zip archive): {refused.detail}")
        case Why.CROWDED:
            return FileError(f"lists {refused.detail} files, more than a project holds: refused")
        case Why.TOO_BIG:
            return FileError(
                f"declares more than {limit:,} bytes unpacked in all (a zip bomb?): refused"
            )
        case Why.BOMB:
            where = f"{name}: " if name else ""
            return FileError(f"{where}unpacks to far more than it holds (a zip bomb?): refused")
    return FileError(f"{name}: cannot be unpacked ({refused.detail})")


def _valid_root(raw: bytes, name: str, kind: str) -> ET.Element:
    """The root of a REFI-QDA `kind` (Project or CodeBook) that its XSD finds valid, else
    FileError naming the first place that is not. A DOCTYPE (where XML entities live) is
    refused before anything is parsed, and the parser refuses one besides."""
    ascii_view = raw.replace(b"\x00", b"")  # UTF-16 and UTF-32 markup read as ASCII too
    if b"<!DOCTYPE" in ascii_view or b"<!ENTITY" in ascii_view:
        # A REFI-QDA file needs no DTD; entities are how XML bombs are made.
        raise FileError(f"{name}: declares XML entities, which no REFI-QDA file needs")
    import xmlschema

    try:
        root = xmlschema.XMLResource(raw, defuse="always").root
    except (ET.ParseError, xmlschema.XMLResourceError, ValueError) as error:
        raise FileError(f"{name}: not XML ({_first_line(str(error))})") from error
    namespace = PROJECT_NS if kind == "Project" else CODEBOOK_NS
    if root.tag != f"{{{namespace}}}{kind}":
        raise FileError(f"{name}: not a REFI-QDA {kind} (its root is {root.tag})")
    error = next(_schema(kind).iter_errors(root), None)
    if error is not None:
        where = _unqualified(error.path or f"/{kind}")
        reason = _first_line(_unqualified(error.reason or str(error)))
        raise FileError(f"{name}: not valid REFI-QDA at {where}: {reason}")
    return root


@functools.cache
def _schema(kind: str) -> Any:
    """The REFI-QDA XSD of a Project or a CodeBook, shipped in the package, loaded once."""
    import xmlschema

    file = "Project-mrt2019.xsd" if kind == "Project" else "Codebook-mrt2019.xsd"
    with resources.as_file(resources.files("tui.interchange").joinpath("schemas", file)) as path:
        return xmlschema.XMLSchema(str(path))


def _unqualified(text: str) -> str:
    """Element names as the file spells them, without their namespace."""
    return re.sub(r"\{[^{}]*\}", "", text)


def _first_line(message: str) -> str:
    """An error's first line, not too long for one sentence."""
    line = message.strip().split("\n", 1)[0].rstrip(".:")
    return line if len(line) <= 160 else line[:159] + "…"


def read_codebook(data: bytes) -> Parsed:
    """The codes of a `.qdc` codebook as tags, nested codes as `parent/child`, with their
    colours and descriptions; nothing else is in a codebook."""
    parsed = Parsed("REFI-QDA codebook")
    root = _valid_root(data, "the codebook", "CodeBook")
    ns = f"{{{CODEBOOK_NS}}}"
    codes = root.find(f"{ns}Codes")
    if codes is not None:
        _read_codes(codes, ns, [], {}, parsed)
    _say_case_twins(parsed)
    return parsed


def _say_case_twins(parsed: Parsed) -> None:
    """A line for each code named as an earlier one but for case (`Oui/non`, `oui/non`):
    glose's tag names ignore case, so the store holds them as one tag."""
    first: dict[str, str] = {}
    for tag in parsed.tags:
        held = first.setdefault(tag.name.casefold(), tag.name)
        if held != tag.name:
            parsed.skipped.append(
                f"merged code {tag.name!r} into {held!r}: tag names that differ only in case "
                "are one tag in glose"
            )


def looks_like_codebook(data: bytes) -> bool:
    """Whether a file is a REFI-QDA codebook, by its content (whatever its name): XML whose
    root is in the codebook's namespace."""
    start = data[:4096].replace(b"\x00", b"")  # UTF-16 read as ASCII too
    return start.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<") and (
        CODEBOOK_NS.encode() in start
    )


def _read_codes(
    codes: ET.Element,
    ns: str,
    above: list[str],
    names: dict[str, str | None],
    parsed: Parsed,
) -> None:
    """Each code's tag name into `names` by GUID (None for one glose cannot name), and each
    codable one as a tag into `parsed`, nested codes as paths."""
    for code in codes.findall(f"{ns}Code"):
        levels = [*above, *_own_levels(code.get("name") or "", above)]
        path = "/".join(levels)
        try:
            name: str | None = clean_tag_name(path)
        except TagNameError as error:
            name = None
            parsed.skipped.append(f"left out code {path[:80]!r}: {error}")
        names[code.get("guid", "")] = name
        if name is not None and code.get("isCodable") != "false":
            color = (code.get("color") or "").lower()
            try:
                description = clean_description(code.findtext(f"{ns}Description") or "")
            except NoteError:
                description = ""
            parsed.tags.append(
                Tag(
                    name,
                    color if TAG_COLOR_PATTERN.fullmatch(color) else "",
                    None,
                    description=description,
                )
            )
        _read_codes(code, ns, levels, names, parsed)


class _Reading:
    """What one project's selections need: its users, codes, notes and texts."""

    def __init__(
        self,
        root: ET.Element,
        archive: BoundedZip,
        corpus: Corpus,
        limit: int,
        parsed: Parsed,
    ) -> None:
        self.ns = root.tag[: root.tag.index("}") + 1]
        self.archive, self.corpus, self.limit, self.parsed = archive, corpus, limit, parsed
        self._by_text: dict[str, Document] | None = None
        self.files = {name.lower(): name for name in archive.names}
        self.users = {
            user.get("guid", ""): _annotator(user) for user in self.children(root, "Users")
        }
        self.codes: dict[str, str | None] = {}
        """Each code's tag name by GUID; None for one glose cannot name."""
        codebook = root.find(f"{self.ns}CodeBook/{self.ns}Codes")
        if codebook is not None:
            _read_codes(codebook, self.ns, [], self.codes, parsed)
            _say_case_twins(parsed)
        self.notes = {note.get("guid", ""): note for note in self.children(root, "Notes")}
        self.by_guid = {guid("document", document.id): document for document in corpus}
        self.by_name: dict[str, Document] = {}
        for document in corpus:
            for name in (document.title, document.id, document.relpath):
                self.by_name.setdefault(name, document)

    def by_text(self) -> dict[str, Document]:
        """The corpus's documents by their text's SHA-256, hashed once, only if needed (a
        project glose wrote names its documents by GUID)."""
        if self._by_text is None:
            self._by_text = {document.sha256: document for document in self.corpus}
        return self._by_text

    def children(self, parent: ET.Element, name: str) -> list[ET.Element]:
        found = parent.find(self.ns + name)
        return list(found) if found is not None else []

    def source(self, source: ET.Element) -> None:
        name = source.get("name") or source.get("guid") or "?"
        text = self._text(source, name)
        if text is None:
            return
        raw, text = text
        sha256 = text_sha256(text)
        document = (
            self.by_guid.get(source.get("guid", ""))
            or self.by_text().get(sha256)
            or self.by_name.get(name)
            or self.by_name.get(source.findtext(f"{self.ns}Description") or "")
        )
        if document is not None:
            doc_id = document.id
        else:
            # Kept on its name until it is added to the corpus (`--into`); two sources of one
            # name and different texts are two documents.
            doc_id = wanted = name.removesuffix(".txt")
            number = 1
            while doc_id in self.parsed.outside and self.parsed.outside[doc_id].text != text:
                number += 1
                doc_id = f"{wanted} ({number})"
            self.parsed.outside[doc_id] = Outside(name, text)
        at = _Offsets(raw)
        for selection in source.findall(f"{self.ns}PlainTextSelection"):
            self._selection(selection, doc_id, text, sha256, at)
        # QualCoder keeps a memo on words as a Note that holds their selection.
        for ref in source.findall(f"{self.ns}NoteRef"):
            note = self.notes.get(ref.get("targetGUID", ""))
            for selection in [] if note is None else note.findall(f"{self.ns}PlainTextSelection"):
                self._selection(selection, doc_id, text, sha256, at, note)

    def _text(self, source: ET.Element, name: str) -> tuple[str, str] | None:
        """The source's text as the file has it and as glose counts it (LF line ends)."""
        inline = source.find(f"{self.ns}PlainTextContent")
        path = source.get("plainTextPath") or ""
        if inline is not None:
            raw = inline.text or ""
        elif path.startswith("internal://"):
            wanted = path.removeprefix("internal://").lstrip("/")
            member = self.files.get(f"sources/{wanted}".lower())
            if member is None:
                self.parsed.skipped.append(f"skipped source {name!r}: {path} is not in the file")
                return None
            try:
                raw = _unpacked(self.archive, member, self.limit).decode("utf-8-sig")
            except UnicodeDecodeError as error:
                self.parsed.skipped.append(
                    f"skipped source {name!r}: its text is not UTF-8 (byte {error.start})"
                )
                return None
        else:
            self.parsed.skipped.append(
                f"skipped source {name!r}: its text is not in the file ({path or 'no path'})"
            )
            return None
        return raw, normalise_newlines(raw)

    def _selection(
        self,
        selection: ET.Element,
        document: str,
        text: str,
        sha256: str,
        at: _Offsets,
        held_by: ET.Element | None = None,
    ) -> None:
        """One selection, as a segment; `held_by` the Note it is in, if it is in one."""
        label = selection.get("guid") or "a selection"
        where = f"selection {label}"
        try:
            start, end = (int(selection.get(key, "")) for key in ("startPosition", "endPosition"))
        except ValueError:
            self.parsed.skipped.append(f"skipped {where}: its positions are not whole numbers")
            return
        if not 0 <= start < end <= at.length:
            self.parsed.skipped.append(
                f"skipped {where}: its position {start}-{end} is not words of its source"
            )
            return
        start, end = at.counted(start), at.counted(end)
        tags = []
        refs = selection.findall(f"{self.ns}Coding/{self.ns}CodeRef")
        for ref in refs:
            tag = self.codes.get(ref.get("targetGUID", ""))
            if tag is not None and tag not in tags:
                tags.append(tag)
        # Its memo (Description), the note holding it and the notes it refers to; one that
        # says a colour as glose writes it is the highlight, the others its note.
        notes = [selection.findtext(f"{self.ns}Description") or ""]
        held = [held_by] if held_by is not None else []
        refs_to = [
            self.notes.get(r.get("targetGUID", "")) for r in selection.iterfind(f"{self.ns}NoteRef")
        ]
        notes += [
            n.findtext(f"{self.ns}PlainTextContent") or ""
            for n in [*held, *refs_to]
            if n is not None
        ]
        # A memo said both as the Description and as a Note (as glose writes it) is one note.
        notes = list(dict.fromkeys(normalise_newlines(text) for text in notes))
        colors = [_color_said(text) for text in notes]
        color = next((c for c in colors if c is not None), None)
        notes = [text.strip() for text, c in zip(notes, colors, strict=True) if c is None]
        try:
            note = note_from_file("\n\n".join(text for text in notes if text))
        except NoteError as error:
            note = ""
            self.parsed.skipped.append(f"kept {where} without its note ({error})")
        selector = describe(text, start, end, sha256)
        segment = Highlight(
            document=document,
            sha256=sha256,
            start=start,
            end=end,
            quote=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
            occurrences=selector.occurrences,
            tags=tags,
            # Words marked with neither code nor memo are highlighted, else they are nothing.
            highlighted=color is not None or not (refs or note),
            color=color or DEFAULT_HIGHLIGHT,
            note=note,
            annotator=self.users.get(_who(selection, held_by), ""),
            uuid=_uuid(label),
            **_stamps(selection if held_by is None else held_by),
        )
        self.parsed.add(segment, where)


class _Offsets:
    """Positions in a source's text as the file has it, counted as glose counts them: a CRLF
    is one character."""

    def __init__(self, raw: str) -> None:
        self.length = len(raw)
        self._pairs = [m.start() + 1 for m in re.finditer("\r\n", raw)]

    def counted(self, position: int) -> int:
        return position - bisect_left(self._pairs, position)


LEVEL_SLASH = "\u2215"
"""What a `/` in a code's own name becomes (DIVISION SLASH, which looks the same): in glose
a `/` separates the levels of a tag."""


def _own_levels(name: str, above: list[str]) -> list[str]:
    """A nested code's own level: `autres`, or the last level of `acteurs/autres` when the
    levels before its last are those it is nested in (glose's name for a shared last level).
    Any other `/` is part of the name (`oui/non`), kept as one level that looks the same."""
    *before, last = name.split("/")
    if before and [b.casefold() for b in before] == [a.casefold() for a in above[-len(before) :]]:
        return [last]
    return [name.replace("/", LEVEL_SLASH)]


def _annotator(user: ET.Element) -> str:
    """A user's name as an annotator; glose's user for an old record naming nobody, nobody."""
    name = user.get("name") or ""
    return "" if name == NOBODY or user.get("guid", "").lower() == NOBODY_GUID else name


def _color_said(text: str) -> str | None:
    """The highlight colour a memo says as glose writes it (`highlight (pink)`), if it does."""
    said = _COLOR_SAID.fullmatch(text.strip())
    return said.group(1) if said and said.group(1) in HIGHLIGHT_COLORS else None


def _who(selection: ET.Element, held_by: ET.Element | None) -> str:
    """The GUID of the user who made a selection (or the note that holds it)."""
    for element in (selection, held_by):
        if element is not None:
            found = element.get("creatingUser") or element.get("modifyingUser")
            if found:
                return found
    return ""


def _uuid(label: str) -> str:
    """A selection's GUID as glose's UUID (as written, glose's own), else one drawn from it."""
    try:
        return str(uuid.UUID(label))
    except ValueError:
        return str(uuid.uuid5(_GUIDS, f"selection:{label}"))


def _stamps(selection: ET.Element) -> dict[str, str]:
    found = {}
    for attribute, field in (("creationDateTime", "created"), ("modifiedDateTime", "updated")):
        value = selection.get(attribute)
        # A time another program wrote oddly: the import's time instead.
        with contextlib.suppress(FileError):
            if value:
                found[field] = timestamp(value, attribute)
    return found
