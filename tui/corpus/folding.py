"""Case- and accent-insensitive matching: `securite` finds `sécurité` and `SÉCURITÉ`."""

from __future__ import annotations

import re
import unicodedata


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def fold(text: str) -> str:
    """Lower case without accents: decompose, drop combining marks, casefold."""
    return strip_accents(text).casefold()


def folded_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a regular expression to run on folded text (re.error when it is invalid).

    Only accents are taken off the pattern: lower-casing it would turn `\\W` into `\\w`.
    Case is ignored by the regular expression instead.
    """
    return re.compile(strip_accents(pattern), re.IGNORECASE)
