"""The annotation store on TinyDB (no Textual here)."""

from tui.store.model import PassageAnnotation, Tag, TagNameError, clean_tag_name
from tui.store.store import (
    ALL,
    Store,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnwritable,
    StoreWriteError,
)

__all__ = [
    "ALL",
    "PassageAnnotation",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "StoreUnwritable",
    "StoreWriteError",
    "Tag",
    "TagNameError",
    "clean_tag_name",
]
