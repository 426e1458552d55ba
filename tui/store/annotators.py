"""Annotators' names: who is at the keyboard, and the names a store accepts for them."""

from __future__ import annotations

import getpass
import unicodedata

from tui.store.model import TAG_NAME_MAX

ALL = "*"
"""Everyone's annotations, where a method takes an annotator."""


def default_annotator() -> str:
    """The person at the keyboard, as the operating system names them."""
    try:
        return clean_annotator(getpass.getuser())
    except (KeyError, OSError, ValueError):
        return "unknown"


def clean_annotator(name: str) -> str:
    """An annotator's name as stored (ValueError with a sentence when it cannot be one)."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("An annotator needs a name.")
    if name == ALL:
        raise ValueError(f"'{ALL}' cannot name an annotator: it stands for every annotator.")
    unprintable = next((c for c in name if unicodedata.category(c).startswith("C")), None)
    if unprintable is not None:
        kind = UNPRINTABLE.get(unicodedata.category(unprintable), "an unprintable character")
        raise ValueError(
            f"An annotator's name cannot hold U+{ord(unprintable):04X}, {kind}: "
            "printable characters only."
        )
    if len(name) > TAG_NAME_MAX:
        raise ValueError(
            f"An annotator's name is at most {TAG_NAME_MAX} characters, not {len(name)}."
        )
    return name


UNPRINTABLE = {
    "Cc": "a control character",
    "Cf": "a formatting character",
    "Cs": "half of a surrogate pair",
    "Co": "a private-use character",
    "Cn": "a character Unicode has not assigned",
}
"""What each kind of character a name cannot hold is, as the refusal says it."""
