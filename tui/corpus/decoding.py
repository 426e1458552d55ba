"""Turn a file's bytes into text, saying which encoding was used and whether bytes were lost."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    lossy: bool = False


def decode(raw: bytes) -> Decoded:
    """Decode UTF-8 (a BOM is dropped); bytes that are not UTF-8 become U+FFFD."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return Decoded(raw.decode("utf-8"), encoding)
    except UnicodeDecodeError:
        return Decoded(raw.decode("utf-8", errors="replace"), encoding, lossy=True)
