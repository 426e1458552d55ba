"""Where each article of the list is drawn: its rows, and a line naming its folder above the
first article of each folder (none for the corpus's top folder when it comes first, so a
corpus without subfolders shows as a plain list)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from tui.corpus import Document
from tui.corpus.finding_articles import folder_of

TOP_FOLDER = "./"
"""How the corpus's own folder is named when its files come after a subfolder's."""


class Rows:
    """The list's lines: `starts[i]` is the first of article `i`'s rows, `folders` the lines
    that name a folder (not articles: the cursor never stops on them)."""

    def __init__(self, documents: Sequence[Document], per_article: int) -> None:
        self.per_article = per_article
        self.starts: list[int] = []
        self.folders: dict[int, str] = {}
        line, previous = 0, ""
        for document in documents:
            folder = folder_of(document.relpath)
            if folder != previous:
                self.folders[line] = folder
                line += 1
                previous = folder
            self.starts.append(line)
            line += per_article
        self.height = line

    def article_at(self, line: int) -> tuple[int, int] | None:
        """(article, its row) drawn on `line`; None for a folder's line or past the end."""
        if line in self.folders or not 0 <= line < self.height:
            return None
        index = bisect_right(self.starts, line) - 1
        return (index, line - self.starts[index]) if index >= 0 else None

    def span(self, index: int) -> tuple[int, int]:
        """The first line and the number of lines to show article `index` whole: with its
        folder's line when it is the first of its folder."""
        start = self.starts[index]
        if start - 1 in self.folders:
            return start - 1, self.per_article + 1
        return start, self.per_article


def folder_label(folder: str, width: int) -> str:
    """A folder's line: its path from the corpus's folder, the end kept when it is too long."""
    label = f"{folder}/" if folder else TOP_FOLDER
    if len(label) > width:
        label = "…" + label[-max(width - 1, 1) :]
    return label
