"""Documents that are not plain text (web pages, PDF, EPUB, Word, OpenDocument) turned into
the one canonical text annotations anchor on, with what the file says about itself.

Every extractor takes the file's bytes (never a path: nothing is fetched, nothing run) and
gives `Extracted`: paragraphs separated by a blank line, as `tui.corpus.passages` cuts them.
What the bytes are is told by their magic, not by the file's suffix, which may lie.
"""

from __future__ import annotations

from tui.corpus.extract.common import Extracted, Link, Metadata, NotExtracted
from tui.corpus.extract.sniffing import FORMATS, SUFFIXES, extract, format_of

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Extracted",
    "Link",
    "Metadata",
    "NotExtracted",
    "extract",
    "format_of",
]
