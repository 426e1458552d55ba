"""Helpers the tests of every layer share: documents made from a string, an export as data."""

from __future__ import annotations

import contextlib
import fcntl
import os
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


def journal_fd(store: Store) -> int:
    """The descriptor through which a writer appends to its journal, found as the system sees
    it: the one open for writing on `glose.journal`."""
    journal = os.stat(store.directory / "glose.journal")
    for name in os.listdir("/dev/fd"):
        fd = int(name)
        with contextlib.suppress(OSError):  # the descriptor of the listing itself, now closed
            writable = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY
            if writable and os.path.samestat(os.fstat(fd), journal):
                return fd
    raise LookupError(f"no journal of {store.directory} is open for writing")


def export_data(corpus: Corpus, store: Store, filters: Filters | None = None) -> dict[str, Any]:
    """The glose JSON export of what the filters keep (everything by default), as a dict."""
    return json_format.build(select(corpus, store, filters), corpus)
