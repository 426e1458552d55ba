"""Notes written with Windows (CRLF) or old Mac (CR) line ends come in with LF in every
format glose imports, as a document's text does: never refused, never left out."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.interchange import importing, refi
from tui.interchange.export import select
from tui.interchange.formats import FORMATS
from tui.interchange.reading import note_from_file
from tui.store.model import NoteError, clean_note

PRIVATE = "\ue000"
"""Stands for a CR while the XML is written, then becomes `&#13;`, which parsers keep."""


def other_line_ends(note: str) -> str:
    """A note as a Windows or old Mac program writes it: CRLF inside, a CR before `fin`."""
    return note.replace("\n", "\r\n") + "\rfin"


def _notes_in_json(data: Any) -> Any:
    """glose JSON and JSON Lines keep a note under `note`; W3C in a commenting body's value."""
    if isinstance(data, list):
        return [_notes_in_json(value) for value in data]
    if not isinstance(data, dict):
        return data
    changed = {key: _notes_in_json(value) for key, value in data.items()}
    if isinstance(changed.get("note"), str) and changed["note"]:
        changed["note"] = other_line_ends(changed["note"])
    if changed.get("purpose") == "commenting" and isinstance(changed.get("value"), str):
        changed["value"] = other_line_ends(changed["value"])
    return changed


def _json(data: bytes) -> bytes:
    return json.dumps(_notes_in_json(json.loads(data))).encode("utf-8")


def _jsonl(data: bytes) -> bytes:
    lines = [json.dumps(_notes_in_json(json.loads(line))) for line in data.splitlines()]
    return "\n".join(lines).encode("utf-8")


def _refi(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    root = ElementTree.fromstring(source.read("project.qde"))
    ns = f"{{{refi.PROJECT_NS}}}"
    # The note is a Note's content and the selection's memo (its Description): both rewritten.
    texts = [note.find(f"{ns}PlainTextContent") for note in root.iter(f"{ns}Note")]
    texts += [part.find(f"{ns}Description") for part in root.iter(f"{ns}PlainTextSelection")]
    for text in texts:
        if text is not None and text.text:
            text.text = other_line_ends(text.text).replace("\r", PRIVATE)
    project = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            member = source.read(name)
            if name == "project.qde":
                member = project.replace(PRIVATE.encode("utf-8"), b"&#13;")
            archive.writestr(name, member)
    return out.getvalue()


REWRITE: dict[str, Callable[[bytes], bytes]] = {
    "json": _json,
    "jsonl": _jsonl,
    "w3c": _json,
    "refi-qda": _refi,
}


@pytest.mark.parametrize("format_name", list(REWRITE))
def test_crlf_and_cr_in_notes_are_read_as_lf_in_every_import(format_name, annotated, tmp_path):
    format = FORMATS[format_name]
    exported = format.to_bytes(select(annotated.corpus, annotated.store), annotated.corpus)
    as_written = tmp_path / f"as-written.{format.extension}"
    as_written.write_bytes(exported)
    rewritten = tmp_path / f"rewritten.{format.extension}"
    rewritten.write_bytes(REWRITE[format_name](exported))
    assert b"\\r" in rewritten.read_bytes() or b"&#13;" in rewritten.read_bytes()  # as escaped

    expected = importing.read_file(as_written, annotated.corpus)
    parsed = importing.read_file(rewritten, annotated.corpus)

    notes = sorted(a.note for a in expected.annotations if a.note)
    assert len(notes) >= 3 and any("\n" in note for note in notes)
    assert sorted(a.note for a in parsed.annotations if a.note) == [f"{n}\nfin" for n in notes]
    assert parsed.skipped == expected.skipped  # no note left out for its line ends


LINE = st.text(st.characters(min_codepoint=0x20, exclude_categories=("Cs", "Cc")), max_size=20)
NEXT_LINE = LINE.filter(bool)
"""Not empty: a CR then an empty line then an LF is one CRLF, not two line ends."""


@given(LINE, st.lists(st.tuples(st.sampled_from(["\r\n", "\r", "\n"]), NEXT_LINE), max_size=6))
def test_any_mix_of_line_ends_reads_as_the_lines_joined_by_lf(first, rest):
    written = first + "".join(end + line for end, line in rest)
    try:
        expected = clean_note(first + "".join("\n" + line for _, line in rest))
    except NoteError:
        return  # lines glose refuses for their own sake (bidirectional controls)
    assert note_from_file(written) == expected
