"""Reading a file to import: which format it is, its annotations checked, ready to merge."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from tui.corpus import Corpus
from tui.interchange import attaching, hypothesis, json_format, jsonl_format, refi, taguette, w3c
from tui.interchange.reading import FileError, Parsed
from tui.regular_files import FileTooLarge, NotRegularFile, read_regular_file

MAX_IMPORT_SIZE = 500_000_000
"""Bigger files are refused before they are read: no export of glose's comes near."""

ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
"""How a zip archive starts (an empty one, the second)."""


def read_file(path: Path, corpus: Corpus, mapping: Mapping[str, str] | None = None) -> Parsed:
    """The annotations of glose JSON (any version), glose JSON Lines, W3C annotations (a
    collection, a page, a list, one annotation, or one per line), Hypothesis API JSON (one
    annotation, a list, a search result), a REFI-QDA project (`.qdpx`) or codebook (`.qdc`),
    or Taguette's codebook or highlights CSV. Annotations made on sources not in the corpus
    are attached to the documents that hold their words, or to the ones `mapping` names (see
    `attaching`).
    FileError's message leaves the path for the caller to say once."""
    try:
        # Only a file, read no further than the limit: a pipe would block, /dev/zero never end.
        raw = read_regular_file(path, limit=MAX_IMPORT_SIZE).data
    except (NotRegularFile, FileTooLarge) as error:
        raise FileError(str(error.strerror)) from error
    except OSError as error:
        raise FileError(f"cannot be read: {error.strerror or error}") from error
    if raw.startswith(ZIP_STARTS):  # a .qdpx is a zip archive, whatever its name
        return _checked(refi.read_project(raw, corpus, MAX_IMPORT_SIZE), corpus, mapping)
    if refi.looks_like_codebook(raw):  # a .qdc is XML in the codebook's namespace
        return refi.read_codebook(raw)
    try:
        text = raw.decode("utf-8-sig")
        return read_text(text, corpus, mapping)
    except (UnicodeDecodeError, FileError) as error:
        # Found by content, whatever the name; a name that promised REFI-QDA says what it is.
        promised = _REFI_NAMES.get(path.suffix.lower())
        if promised is not None:
            raise FileError(promised) from error
        if isinstance(error, UnicodeDecodeError):
            raise FileError(
                f"is not UTF-8 (byte {error.start}: 0x{raw[error.start]:02X}): glose reads UTF-8 "
                "files (JSON, CSV, XML)"
            ) from error
        raise


_REFI_NAMES = {
    ".qdpx": (
        "is named .qdpx but is not a REFI-QDA project: a .qdpx is a zip archive holding a "
        "project.qde (XML) and the texts of its sources"
    ),
    ".qdc": (
        "is named .qdc but is not a REFI-QDA codebook: a .qdc is an XML file whose root is "
        "a CodeBook of the urn:QDA-XML:codebook:1.0 namespace"
    ),
}
"""What a file named as REFI-QDA's should be, said when it is nothing glose reads."""


def read_text(text: str, corpus: Corpus, mapping: Mapping[str, str] | None = None) -> Parsed:
    return _checked(_parsed(text, corpus), corpus, mapping)


def _parsed(text: str, corpus: Corpus) -> Parsed:
    if not text.strip():
        return Parsed("JSON Lines")  # what a JSON Lines export of nothing holds
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole_error:
        if taguette.kind(text) is not None:  # a CSV file Taguette wrote
            return taguette.read(text, corpus)
        if taguette.kind_with_semicolons(text) is not None:
            raise FileError(
                "is a CSV file with ';' between its cells, where Taguette's CSV has commas: "
                "save it with ',' as the separator"
            ) from whole_error
        return _read_lines(text, corpus, whole_error)
    except RecursionError as error:
        raise FileError("the JSON is nested too deeply to be annotations") from error
    except ValueError as error:  # a number of thousands of digits
        raise FileError(f"not JSON glose can read: {error}") from error
    if isinstance(data, dict) and data.get("format") == json_format.FORMAT:
        return json_format.read(data)
    if w3c.looks_like_w3c(data):
        return w3c.read(data, corpus)
    if hypothesis.looks_like_hypothesis(data):
        return hypothesis.read(data, corpus)
    if _is_line(data):
        return jsonl_format.read(text)  # a JSON Lines file of one line
    raise FileError(
        "not annotations glose can read: it reads its own JSON export "
        f'("format": "{json_format.FORMAT}"), its JSON Lines export, W3C Web Annotations, '
        "Hypothesis API JSON, REFI-QDA projects (.qdpx) and codebooks (.qdc), and "
        "Taguette's codebook and highlights CSV"
    )


def _read_lines(text: str, corpus: Corpus, whole_error: json.JSONDecodeError) -> Parsed:
    """A file of one JSON value per line: glose's JSON Lines, or W3C annotations."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        sample = json.loads(first)
    except (ValueError, RecursionError):
        raise FileError(
            f"not JSON: {whole_error.msg} at line {whole_error.lineno}, column {whole_error.colno}"
        ) from whole_error
    if _is_line(sample):
        return jsonl_format.read(text)
    if isinstance(sample, dict) and w3c.looks_like_w3c(sample):
        entries = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise FileError(f"line {number}: not JSON ({error.msg})") from error
            except (ValueError, RecursionError) as error:
                raise FileError(f"line {number}: not JSON glose can read ({error})") from error
        return w3c.read(entries, corpus)
    raise FileError(
        f"not JSON: {whole_error.msg} at line {whole_error.lineno}, column {whole_error.colno}"
    )


def _is_line(data: object) -> bool:
    """Whether a JSON value is a line of glose's JSON Lines: an annotation, or a codebook tag."""
    if not isinstance(data, dict) or "kind" not in data:
        return False
    return "document" in data or data["kind"] == "tag"


def _checked(parsed: Parsed, corpus: Corpus, mapping: Mapping[str, str] | None) -> Parsed:
    """Each annotation against the corpus's text, once those made elsewhere are attached: a
    position without words gets them (or, if it lies outside the text, a skipped line);
    words that contradict a text the file claims to have been made on are an error."""
    attached = attaching.attach(parsed, corpus, mapping)
    kept = Parsed(
        parsed.format,
        tags=parsed.tags,
        skipped=parsed.skipped,
        attached=attached,
        outside=parsed.outside,
    )
    for annotation, where in zip(parsed.annotations, parsed.places, strict=True):
        document = corpus.get(annotation.document)
        start, end = annotation.start, annotation.end
        if document is not None and not annotation.quote:
            if not 0 <= start < end <= len(document.text):
                kept.skipped.append(
                    f"skipped {where}: its position {start}-{end} is not words of "
                    f"{document.id} ({len(document.text):,} characters)"
                )
                continue
            annotation.quote = document.text[start:end]
        elif (
            document is not None
            and not annotation.is_orphan
            and annotation.sha256 == document.sha256
            and document.text[start:end] != annotation.quote
        ):
            raise FileError(
                f"{where}: made on this very text of {document.id} (same SHA-256), but its "
                f"words are not at {start}-{end}: the file is not as glose wrote it"
            )
        if not annotation.quote:
            kept.skipped.append(f"skipped {where}: it has no words to find")
            continue
        kept.add(annotation, where)
    return kept
