"""Helpers the tests of every layer share: documents made from a string, an export as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.corpus import Corpus, Document
from tui.corpus.document import normalise_newlines
from tui.interchange import json_format
from tui.interchange.export import Filters, select
from tui.store import Store


def text_document(doc_id: str, text: str, relpath: str | None = None) -> Document:
    """A document that is `text`, as if read from `relpath` (default `<doc_id>.txt`)."""
    relpath = relpath or f"{doc_id}.txt"
    return Document(doc_id, Path(relpath), relpath, normalise_newlines(text))


def export_data(corpus: Corpus, store: Store, filters: Filters | None = None) -> dict[str, Any]:
    """The glose JSON export of what the filters keep (everything by default), as a dict."""
    return json_format.build(select(corpus, store, filters), corpus)
