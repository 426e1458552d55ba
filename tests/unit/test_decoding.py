"""Decoding: every encoding French text arrives in, bad bytes, and files that are not text."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.decoding import Decoded, NotText, decode

FRENCH = "L’œuvre de sécurité coûte 3 € « ouverte » — déjà. Straße, À bientôt."


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        (FRENCH.encode(), "UTF-8"),
        (codecs.BOM_UTF8 + FRENCH.encode(), "UTF-8 with BOM"),
        (FRENCH.encode("utf-16"), "UTF-16"),
        (FRENCH.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]), "UTF-16"),
        (FRENCH.encode("cp1252"), "Windows-1252"),
        ("La sécurité, déjà là, où ça ? À bientôt.".encode("latin-1"), "Windows-1252"),
        ("sécurité".encode("cp1252"), "Windows-1252"),
    ],
)
def test_french_text_reads_right_in_every_encoding(raw, label):
    decoded = decode(raw)
    assert decoded.label == label
    assert not decoded.lossy
    assert decoded.text.lstrip("\ufeff") in (
        FRENCH,
        "La sécurité, déjà là, où ça ? À bientôt.",
        "sécurité",
    )


def test_other_scripts_are_not_forced_into_a_western_code_page():
    russian = "Это русский текст для проверки кодировки. Москва."
    assert decode(russian.encode("cp1251")).text == russian
    greek = "Ελληνικό κείμενο για δοκιμή."
    assert decode(greek.encode("cp1253")).text == greek


def test_a_few_bad_bytes_in_utf8_become_replacement_characters_and_say_so():
    decoded = decode(("Très bien. " * 40).encode() + b"\xff fin")
    assert decoded == Decoded(("Très bien. " * 40) + "\ufffd fin", "utf-8", lossy=True)


@pytest.mark.parametrize(
    "raw",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 3, bytes(range(1, 32)) * 20],
)
def test_binary_and_unprintable_files_are_not_text(raw):
    with pytest.raises(NotText):
        decode(raw)


def test_empty_and_escape_heavy_text_are_still_text():
    assert decode(b"").text == ""
    assert decode(b"\x1b[31mrouge\x1b[0m et du texte autour, bien plus long.").text.startswith(
        "\x1b[31m"
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3_000))
def test_any_bytes_decode_or_are_not_text_never_an_exception(raw):
    try:
        decoded = decode(raw)
    except NotText:
        return
    assert isinstance(decoded.text, str)
    assert decoded.label


@pytest.mark.parametrize(
    ("raw", "text", "lossy"),
    [
        (
            ("Le consortium réunit des entreprises. " + "Sans accent ici. " * 30).encode("cp1252"),
            "Le consortium réunit des entreprises. " + "Sans accent ici. " * 30,
            False,
        ),
        ("œuvre".encode("cp1252"), "œuvre", False),
        ("Ça va, dit-il.".encode("cp1252") + b"\x81", "Ça va, dit-il.\ufffd", True),
        ("La sécurité, déjà là.".encode("utf-16-le"), "La sécurité, déjà là.", False),
        ("La sécurité, déjà là.".encode("utf-16-be"), "La sécurité, déjà là.", False),
    ],
)
def test_sparse_accents_stray_bytes_and_utf16_without_a_mark(raw, text, lossy):
    decoded = decode(raw)
    assert (decoded.text, decoded.lossy) == (text, lossy)


def test_random_bytes_without_nuls_are_not_text():
    rng = random.Random(4)
    raw = bytes(rng.choice(range(1, 256)) for _ in range(4_000))
    with pytest.raises(NotText):
        decode(raw)
