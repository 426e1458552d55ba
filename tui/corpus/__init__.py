"""Documents: discovery, decoding, normalising, titles and passages (no Textual here).

Its names are imported when first asked for: `glose search` with an index up to date needs
none of them, and they take longer to import than it takes to answer."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.corpus.corpus import Corpus, CorpusError
    from tui.corpus.document import Document
    from tui.corpus.passages import Passage, segment

__all__ = ["Corpus", "CorpusError", "Document", "Passage", "segment"]

_HOMES = {
    "Corpus": "tui.corpus.corpus",
    "CorpusError": "tui.corpus.corpus",
    "Document": "tui.corpus.document",
    "Passage": "tui.corpus.passages",
    "segment": "tui.corpus.passages",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tui.corpus' has no attribute {name!r}")
    return getattr(import_module(home), name)
