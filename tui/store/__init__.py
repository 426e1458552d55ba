"""The annotation store on TinyDB (no Textual here)."""

from tui.store.annotators import ALL, clean_annotator, default_annotator
from tui.store.errors import (
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnwritable,
    StoreWriteError,
)
from tui.store.model import PassageAnnotation, Tag, TagNameError, clean_tag_name
from tui.store.store import Store

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
    "clean_annotator",
    "clean_tag_name",
    "default_annotator",
]
