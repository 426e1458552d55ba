"""The annotation store on TinyDB (no Textual here)."""

from tui.store.model import PassageAnnotation, Tag
from tui.store.store import (
    Store,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnwritable,
    StoreWriteError,
    TagNameError,
    clean_tag_name,
)

__all__ = [
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
