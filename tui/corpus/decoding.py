"""Turn a file's bytes into text: which encoding, whether bytes were lost, whether it is text.

Order: a byte-order mark decides; strict UTF-8 (by far the most common) next; then
charset-normalizer, asked first among the Western European code pages (glose's readers work on
French and its neighbours, and on short texts the unrestricted guess often lands on a Central
European or Arabic page), then among all. Bytes that decode nowhere become U+FFFD and the
document says it lost some.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

WESTERN = ["cp1252", "latin_1", "iso8859_15"]
"""Tried first when the file is not UTF-8: Windows-1252 covers latin-1 text and adds €, œ, ’."""

MOSTLY_UTF8 = 0.01
"""Text that is UTF-8 but for at most this share of bad bytes stays UTF-8, marked lossy."""

NOT_TEXT_REPLACED = 0.05
"""Bytes that decode in no encoding, past this share, make a file that is not text."""

NOT_TEXT = 0.30
"""A decoded file with more than this share of control characters is not text (scraped
pages with some escape codes still are)."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_LABELS = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16 LE",
    "utf_16_be": "UTF-16 BE",
    "utf-32": "UTF-32",
    "utf_32": "UTF-32",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1",
    "iso8859_15": "Latin-9",
}


class NotText(ValueError):
    """The bytes are not a text file (binary data, or mostly unprintable)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    lossy: bool = False

    @property
    def label(self) -> str:
        """The encoding as a person would name it."""
        return _LABELS.get(self.encoding, self.encoding)


def _bom(raw: bytes) -> str | None:
    for mark, encoding in _BOMS:
        if raw.startswith(mark):
            return encoding
    return None


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) but for tab, newline, return and form feed."""


def unprintable_share(text: str) -> float:
    if not text:
        return 0.0
    # A regular expression, not a loop over characters: a book is checked at once.
    controls = len(text) - len(_CONTROLS.sub("", text))
    return controls / len(text)


def _plain_western(raw: bytes) -> Decoded | None:
    """The text as Windows-1252 when that reads like a Western European language.

    charset-normalizer turns down short French texts it cannot score. Windows-1252 is taken
    when nearly every byte is defined there (the five it leaves out may be a stray or two,
    shown as U+FFFD) and accented letters stay a minority, as they are in French, Spanish or
    German; Cyrillic or Greek read as Windows-1252 are nearly all accents.
    """
    text = raw.decode("cp1252", errors="replace")
    stray = text.count("\ufffd")
    if stray > max(1, len(raw) * MOSTLY_UTF8):
        return None
    letters = [char for char in text if char.isalpha()]
    accented = sum(1 for char in letters if not char.isascii())
    if not letters or accented > len(letters) * 0.5:
        return None
    return Decoded(text, "cp1252", lossy=bool(stray))


def _checked(decoded: Decoded) -> Decoded:
    if unprintable_share(decoded.text) > NOT_TEXT:
        raise NotText("mostly unprintable characters")
    return decoded


def decode(raw: bytes) -> Decoded:
    """Decode a file's bytes (NotText when they are not text; never UnicodeDecodeError)."""
    encoding = _bom(raw)
    if encoding is not None:
        try:
            return _checked(Decoded(raw.decode(encoding), encoding))
        except UnicodeDecodeError:
            return _checked(Decoded(raw.decode(encoding, errors="replace"), encoding, lossy=True))
    if b"\x00" in raw:
        wide = _utf16_without_bom(raw)
        if wide is not None:
            return _checked(wide)
        raise NotText("NUL bytes, so binary data")
    try:
        return _checked(Decoded(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    # A few stray bytes in text that is otherwise UTF-8 (accents decoded fine as UTF-8):
    # reading the rest as a code page would garble it.
    really_utf8 = any(ord(char) > 0x7F and char != "\ufffd" for char in text)
    if really_utf8 and bad <= max(1, len(raw) * MOSTLY_UTF8):
        return _checked(Decoded(text, "utf-8", lossy=True))

    import charset_normalizer  # only needed for the rare file that is not UTF-8

    guess = charset_normalizer.from_bytes(raw, cp_isolation=WESTERN).best()
    if guess is None and (western := _plain_western(raw)) is not None:
        return _checked(western)
    if guess is None:
        guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        if bad > len(text) * NOT_TEXT_REPLACED:
            raise NotText("mostly bytes that are no text")
        return _checked(Decoded(text, "utf-8", lossy=True))
    return _checked(Decoded(str(guess), guess.encoding))


def _utf16_without_bom(raw: bytes) -> Decoded | None:
    """Text saved as UTF-16 without its mark: Western text then has a NUL in every other byte."""
    if len(raw) % 2 or len(raw) < 4:
        return None
    odd_nuls = raw[1::2].count(0) / (len(raw) / 2)
    even_nuls = raw[0::2].count(0) / (len(raw) / 2)
    encoding = (
        "utf_16_le"
        if odd_nuls > 0.5 > even_nuls
        else "utf_16_be"
        if even_nuls > 0.5 > odd_nuls
        else None
    )
    if encoding is None:
        return None
    try:
        return Decoded(raw.decode(encoding), encoding)
    except UnicodeDecodeError:
        return None
