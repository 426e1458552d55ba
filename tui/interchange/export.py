"""Which annotations an export holds, in the order every format writes them.

Every format starts from the same flat list of `Item`s: each annotation of the store that
the filters let through, anchored in its document's current text, with that document (or
None when it is no longer in the corpus) and the passage where it starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tui.corpus import Corpus, Document
from tui.corpus.passages import index_at
from tui.store import Store
from tui.store.codebook import is_under
from tui.store.model import Anchored, Highlight, PassageAnnotation, Tag

Progress = Callable[[int, int], None]
"""Told (documents done, documents in all) as an export goes."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What to export: empty means everything."""

    tags: tuple[str, ...] = ()
    """Tags, case ignored; a level of the tree stands for every tag under it."""
    documents: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()

    def keeps(self, annotation: Anchored) -> bool:
        if self.documents and annotation.document not in self.documents:
            return False
        if self.annotators and annotation.annotator not in self.annotators:
            return False
        if not self.tags:
            return True
        # Asking for tags asks for the passages and segments that carry them (a plain
        # highlight carries none). A level of the tree (politique) keeps every tag under it,
        # as the reader's retrieval does.
        tags = getattr(annotation, "tags", ())
        return any(is_under(tag, wanted) for tag in tags for wanted in self.tags)


@dataclass(frozen=True, slots=True)
class Item:
    """One annotation to export, with its document as it is now."""

    annotation: PassageAnnotation | Highlight
    document: Document | None
    """None when the document is no longer in the corpus."""
    passage: int | None
    """The passage where the annotation starts now; None for an orphan."""

    @property
    def kind(self) -> str:
        """`passage` (the special case whose span is a passage), `highlight` (a span with a
        colour and no tag, as the previous releases had them) or `segment` (any other span:
        tagged, or with a note only)."""
        return kind_of(self.annotation)

    @property
    def placed(self) -> bool:
        """Whether the annotation's words are in the corpus now, at its offsets."""
        return self.passage is not None

    @property
    def title(self) -> str | None:
        return self.document.title if self.document is not None else None


@dataclass
class Export:
    """The items of an export and the tags they use."""

    items: list[Item] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    documents_asked: tuple[str, ...] = ()
    """The documents the filters named, if any: a format holding documents holds those."""
    annotated_only: bool = False
    """Whether a format holding documents (a REFI-QDA project) holds only annotated ones."""

    @property
    def documents(self) -> list[str]:
        """The ids of the documents with something exported, in export order."""
        return list(dict.fromkeys(item.annotation.document for item in self.items))


def select(
    corpus: Corpus,
    store: Store,
    filters: Filters | None = None,
    progress: Progress | None = None,
) -> Export:
    """Every annotation the filters keep: the corpus's documents in order, each annotation in
    text order (a passage's annotation before the highlights in it), then the annotations of
    documents that are no longer in the corpus."""
    export = Export()
    for done, total in steps(corpus, store, export, filters):
        if progress is not None:
            progress(done, total)
    return export


def steps(
    corpus: Corpus, store: Store, export: Export, filters: Filters | None = None
) -> Iterator[tuple[int, int]]:
    """`select`, one document at a time: fills `export`, yields (done, total) after each,
    so that an app can show progress and stay responsive between them."""
    filters = filters or Filters()
    export.documents_asked = filters.documents
    documents = [d for d in corpus if not filters.documents or d.id in filters.documents]
    annotated = store.annotated_documents()
    for done, document in enumerate(documents, start=1):
        if document.id in annotated:
            export.items.extend(_items_of(document, store, filters))
        yield done, len(documents)
    present = {document.id for document in corpus}
    gone = [
        annotation
        for doc_id in sorted(annotated - present)
        for annotation in _stored(store, doc_id)
        if filters.keeps(annotation)
    ]
    export.items.extend(Item(a, None, None) for a in sorted(gone, key=_order))
    # Every tag an exported annotation carries (not only the ones asked for: a passage tagged
    # with two must name both); without a tag filter, every tag.
    used = {tag for item in export.items for tag in getattr(item.annotation, "tags", ())}
    export.tags = [tag for tag in store.tags() if tag.name in used or not filters.tags]
    named = {tag.name for tag in export.tags}
    for name in sorted(used - named, key=str.casefold):
        # A tag on an annotation but not in the tag table (a store edited by hand): a grey tag
        # of that name, so that no export points at a tag it does not define.
        export.tags.append(Tag(name, "#7f7f7f"))


def _items_of(document: Document, store: Store, filters: Filters) -> list[Item]:
    passages = document.passages
    if store.needs_anchoring(document):
        store.anchor(document, passages)  # a read-only store anchors in memory only
    found = [a for a in _stored(store, document.id) if filters.keeps(a)]
    return [
        Item(a, document, None if a.is_orphan else index_at(passages, a.start))
        for a in sorted(found, key=_order)
    ]


def _stored(store: Store, document: str) -> Iterable[PassageAnnotation | Highlight]:
    yield from store.annotations(document)
    yield from store.highlights(document)


def _order(annotation: Anchored) -> tuple:
    return (
        annotation.document,
        annotation.is_orphan,
        annotation.start,
        isinstance(annotation, Highlight),
        -annotation.end,
        annotation.annotator,
    )


def kind_of(annotation: PassageAnnotation | Highlight) -> str:
    """What an annotation is called in every export (see `Item.kind`)."""
    if isinstance(annotation, PassageAnnotation):
        return "passage"
    return "highlight" if annotation.highlighted and not annotation.tags else "segment"


def flat(item: Item) -> dict[str, Any]:
    """One annotation as one flat record: a JSONL line, a CSV row, a Markdown entry."""
    annotation = item.annotation
    highlighted = annotation.highlighted
    return {
        "document": annotation.document,
        "title": item.title,
        "kind": item.kind,
        "passage_index": item.passage,  # from 0: a person's passage number is one more
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "occurrences": annotation.occurrences,
        "tags": list(annotation.tags),
        "highlighted": highlighted,
        "color": annotation.color if highlighted else None,
        "note": annotation.note,
        "annotator": annotation.annotator,
        "status": "orphan" if not item.placed else annotation.status,
        "sha256": annotation.sha256,
        "created": annotation.created,
        "updated": annotation.updated,
        "uuid": annotation.uuid,
    }
