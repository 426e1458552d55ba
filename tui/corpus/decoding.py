"""Turn a file's bytes into text: which encoding, whether bytes were lost, whether it is text.

Order: a byte-order mark decides; strict UTF-8 (by far the most common) next; then
charset-normalizer, asked first among the Western European code pages (glose's readers work on
French and its neighbours, and on short texts the unrestricted guess often lands on a Central
European or Arabic page), then among all. Bytes that decode nowhere become U+FFFD and the
document says it lost some.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

WESTERN = ["cp1252", "latin_1", "iso8859_15"]
"""Tried first when the file is not UTF-8: Windows-1252 covers latin-1 text and adds €, œ, ’."""

MOSTLY_UTF8 = 0.01
"""Text that is UTF-8 but for at most this share of bad bytes stays UTF-8, marked lossy."""

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


def _unprintable_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\r\t\f"
    )
    return controls / len(text)


def _plain_western(raw: bytes) -> str | None:
    """The text as Windows-1252 when that reads like a Western European language.

    charset-normalizer turns down short French texts it cannot score. Windows-1252 is taken
    when every byte is defined there and accented letters stay a minority, as they are in
    French, Spanish or German; Cyrillic or Greek read as Windows-1252 are nearly all accents.
    """
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [char for char in text if char.isalpha()]
    accented = sum(1 for char in letters if not char.isascii())
    return text if letters and accented <= len(letters) * 0.5 else None


def _checked(decoded: Decoded) -> Decoded:
    if _unprintable_share(decoded.text) > NOT_TEXT:
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
        raise NotText("NUL bytes, so binary data")
    try:
        return _checked(Decoded(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(1, len(raw) * MOSTLY_UTF8):
        # A few stray bytes in UTF-8 text: reading the rest as a code page would garble it.
        return _checked(Decoded(text, "utf-8", lossy=True))

    import charset_normalizer  # only needed for the rare file that is not UTF-8

    guess = charset_normalizer.from_bytes(raw, cp_isolation=WESTERN).best()
    if guess is None and (western := _plain_western(raw)) is not None:
        return _checked(Decoded(western, "cp1252"))
    if guess is None:
        guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        return _checked(Decoded(text, "utf-8", lossy=True))
    return _checked(Decoded(str(guess), guess.encoding))
