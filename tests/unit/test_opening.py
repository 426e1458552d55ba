"""A big file's first screen is cut from its first bytes, at the offsets of the whole text."""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import document as document_module
from tui.corpus.document import OPENING_BYTES, OPENING_FROM, Document

PARAGRAPH = (
    "L’Alliance IA réunit plus de cinquante membres fondateurs ; « open source » et sécurité "
    "sont au cœur du projet. "
)


def book(tmp_path: Path, text: str, name: str = "livre.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def open_unread(path: Path) -> Document:
    return Document.unread(path.parent, path, path.stat())


def big_text(first_line: str = "Titre du livre") -> str:
    paragraphs, size = [first_line], 0
    number = 0
    while size < OPENING_FROM + 1000:
        number += 1
        paragraph = f"{number}. " + PARAGRAPH * (1 + number % 7)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(paragraphs) + "\n"


def test_a_big_file_opens_on_its_first_bytes_without_being_read(tmp_path):
    text = big_text()
    document = open_unread(book(tmp_path, text))
    opening = document.read_opening()
    assert opening is not None
    assert not document.is_read  # the rest waits for a worker
    assert document.known_title == "Titre du livre"
    assert opening[-1].end <= OPENING_BYTES
    for passage in opening:
        assert passage.text == text[passage.start : passage.end]
    # Read whole, the same passages come first (the last may be a paragraph cut short).
    whole = document.quick_passages()
    assert document.is_read
    assert [(p.start, p.end, p.kind) for p in opening[:-1]] == [
        (p.start, p.end, p.kind) for p in whole[: len(opening) - 1]
    ]
    assert document.title == "Titre du livre"


def test_a_character_cut_by_the_bytes_read_is_left_for_later(tmp_path):
    # "é" is two bytes: put one across the end of the bytes read.
    filler = "a" * (OPENING_BYTES - 1 - len(b"Titre\n\n"))
    text = "Titre\n\n" + filler + "é suite\n\n" + big_text()
    assert text.encode("utf-8")[OPENING_BYTES - 1 : OPENING_BYTES + 1] == "é".encode()
    document = open_unread(book(tmp_path, text))
    opening = document.read_opening()
    assert opening is not None
    assert [p.text for p in opening] == ["Titre"]  # the line cut short is left out


def test_a_small_file_or_one_read_already_is_read_whole(tmp_path):
    small = open_unread(book(tmp_path, "Titre\n\nUn paragraphe.\n", "court.txt"))
    assert small.read_opening() is None
    read = Document.load(tmp_path, book(tmp_path, big_text(), "lu.txt"))
    assert read.read_opening() is None


def test_a_start_that_is_not_plain_utf8_is_read_whole(tmp_path):
    # The encoding of the whole file is guessed from all of it: no first screen before then.
    latin = open_unread(book(tmp_path, big_text("Titre à accents"), "latin.txt", "cp1252"))
    assert latin.read_opening() is None
    wide = open_unread(book(tmp_path, "\ufeff" + big_text(), "wide.txt", "utf-16"))
    assert wide.read_opening() is None
    bom = open_unread(book(tmp_path, "\ufeff" + big_text(), "bom.txt"))
    opening = bom.read_opening()
    assert opening is not None and opening[0].text == "Titre du livre"
    assert opening[0].start == 0  # the mark is no text, as when the file is read whole


def test_a_file_of_one_endless_line_is_read_whole(tmp_path):
    line = open_unread(book(tmp_path, "mot " * (OPENING_FROM // 2), "ligne.txt"))
    assert line.read_opening() is None


TEXT = st.lists(
    st.one_of(
        st.text(alphabet="aé’ «»\t.!?", min_size=0, max_size=40),
        st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\n\n\n", "   \n"]),
    ),
    min_size=1,
    max_size=40,
).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(text=TEXT, head=st.integers(min_value=1, max_value=160), bom=st.booleans())
def test_the_opening_passages_are_where_the_whole_text_has_them(text, head, bom):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "livre.txt"
        path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
        with (
            mock.patch.object(document_module, "OPENING_FROM", 1),
            mock.patch.object(document_module, "OPENING_BYTES", head),
        ):
            document = open_unread(path)
            opening = document.read_opening()
        if opening is None:
            return
        whole = Document.load(Path(directory), path)
        for passage in opening:
            assert passage.text == whole.text[passage.start : passage.end]
        # Passages before the last paragraph break read are those of the whole text.
        last_break = whole.text.rfind("\n\n", 0, opening[-1].end)
        settled = [p for p in opening if p.end <= last_break]
        full = whole.quick_passages()
        assert [(p.start, p.end, p.kind) for p in settled] == [
            (p.start, p.end, p.kind) for p in full[: len(settled)]
        ]
        assert document.known_title == whole.title
