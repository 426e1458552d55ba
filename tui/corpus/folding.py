"""Case- and accent-insensitive matching: `securite` finds `sécurité` and `SÉCURITÉ`."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: decompose, drop combining marks, casefold."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped.casefold())


def folded_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a regular expression to run on folded text (re.error when it is invalid)."""
    return re.compile(fold(pattern))
