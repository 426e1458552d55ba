"""Documents: discovery, decoding, normalising, titles and passages (no Textual here)."""

from tui.corpus.corpus import Corpus, CorpusError
from tui.corpus.document import Document
from tui.corpus.passages import Passage, segment

__all__ = ["Corpus", "CorpusError", "Document", "Passage", "segment"]
