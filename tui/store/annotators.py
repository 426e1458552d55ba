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
    if not name or name == ALL:
        raise ValueError("An annotator needs a name.")
    if len(name) > TAG_NAME_MAX or any(unicodedata.category(c).startswith("C") for c in name):
        raise ValueError(f"An annotator's name is at most {TAG_NAME_MAX} printable characters.")
    return name
