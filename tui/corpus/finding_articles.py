"""Finding articles in the list by what is known of them without reading a file: the title,
the folder and file name, what the document says of itself, the tags on its passages.

Everything matched is in memory (the catalog's titles, the store's records), so the list can
narrow at each key on a corpus of ten thousand files. Words are folded as search folds them:
`securite` finds `Sécurité`, `l'ia` finds `l’IA`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from tui.corpus.document import Document

TAG_PREFIX = "tag:"
"""A word after it is looked for in the article's tags only."""

_FIELDS = "\x00"
"""Between the folded fields: a query never holds it, so no word spans two fields."""


def folded(text: str) -> str:
    # Search's module is imported when first used: the reader's first frame needs none of it.
    from tui.corpus.folding import fold_words

    return fold_words(text)


@dataclass(frozen=True)
class ArticleQuery:
    """What the user typed, folded: every word must be found somewhere in an article."""

    words: tuple[str, ...] = ()
    """Each in the title, the path, what the document says of itself, or a tag's name."""
    tags: tuple[str, ...] = ()
    """Each in the name of a tag on the article (`tag:pol` finds `politique/europe`)."""

    @classmethod
    def parse(cls, typed: str) -> ArticleQuery:
        words: list[str] = []
        tags: list[str] = []
        for word in typed.split():
            if word.casefold().startswith(TAG_PREFIX):
                tag = _folded_word(word[len(TAG_PREFIX) :])
                if tag:  # `tag:` alone, while the name is being typed, narrows nothing yet
                    tags.append(tag)
            else:
                words.append(_folded_word(word))
        return cls(tuple(w for w in words if w), tuple(tags))

    @property
    def empty(self) -> bool:
        return not self.words and not self.tags


def _folded_word(word: str) -> str:
    """A typed word folded, without the control characters a paste may bring."""
    return "".join(c for c in folded(word) if c.isprintable())


def folder_of(relpath: str) -> str:
    """The folder an article's file is in, relative to the corpus ('' at its top)."""
    return relpath.rpartition("/")[0]


def described_words(document: Document) -> str:
    """The title (none while it is unknown: the path says the file's name), the path and
    what the document says of itself, as one string to fold."""
    title = document.known_title
    fields = [title or "", document.relpath]
    if document.metadata is not None:
        fields.extend(document.metadata.said().values())
    return _FIELDS.join(fields)


class ArticleFinder:
    """Matches articles against a query, keeping each article's folded words from one key to
    the next: only an article whose title, metadata or tags changed is folded again."""

    def __init__(self) -> None:
        self._folded: dict[str, tuple[tuple[object, ...], str]] = {}
        self._tags: dict[frozenset[str], str] = {}

    def matching(
        self,
        documents: Iterable[Document],
        query: ArticleQuery,
        tags: Mapping[str, Collection[str]] | None = None,
    ) -> list[Document]:
        """The documents `query` finds, in their order; every one for an empty query."""
        documents = list(documents)
        if query.empty:
            return documents
        tags = tags or {}
        found = []
        for document in documents:
            words = self._words(document)
            names = self._tag_names(tags.get(document.id, ()))
            if all(w in words or w in names for w in query.words) and all(
                t in names for t in query.tags
            ):
                found.append(document)
        return found

    def _words(self, document: Document) -> str:
        # What the words are made of, compared rather than joined: a key costs little then.
        source = (document.known_title, document.relpath, document.metadata)
        known = self._folded.get(document.id)
        if known is None or known[0] != source:
            known = self._folded[document.id] = (source, folded(described_words(document)))
        return known[1]

    def _tag_names(self, names: Collection[str]) -> str:
        if not names:
            return ""
        key = frozenset(names)
        joined = self._tags.get(key)
        if joined is None:
            joined = self._tags[key] = folded(_FIELDS.join(sorted(key)))
        return joined
