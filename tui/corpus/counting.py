"""Counting every article's passages in the background, for a corpus listed with the catalog:
how far it is said as it goes, and what was learnt kept in the catalog for the next start."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from tui.corpus.catalog import Entry
from tui.corpus.corpus import Corpus
from tui.corpus.decoding import NotText
from tui.corpus.document import Document, NotRead
from tui.corpus.extract.sniffing import is_extracted

PROGRESS_SECONDS = 0.1
"""How often reading a big corpus in the background shows how far it is."""

CATALOG_SAVE_SECONDS = 5.0
"""How often the catalog is saved while a big corpus is read: quitting early keeps most."""

Unreadable = list[tuple[Document, Exception]]

Progress = Callable[[list[str], int, int], None]
"""Told the ids of the articles counted since it was last told, how many are done, and of how
many."""


@dataclass(frozen=True, slots=True)
class Share:
    """How many of an article's passages are annotated, and of how many: what the article
    list, the article's information and the statistics all say, made by `annotated_share`."""

    annotated: int
    passages: int | None
    """None until the article is counted."""


Counting = Literal["known", "quick", "annotated"]
"""How far `annotated_share` goes for a count not known yet: not at all (`known`: the list,
drawn row by row), cutting a text already read if that is quick (`quick`: on the screen's
thread), or, for an annotated article, cutting it however long it takes (`annotated`: the
statistics, whose share needs it)."""


def annotated_share(
    document: Document, annotated: Collection[int], count: Counting = "known"
) -> Share:
    """The share of `document`'s passages that carry annotations, `annotated` being the
    passages (by index) the store has them on.

    A count the catalog told that leaves out an annotated passage was made of another cut of
    the text (an older glose): it is never shown. Passages past a count cut from this very
    text are not in it, and not counted as annotated.
    """
    passages = document.known_passage_count
    beyond = bool(annotated) and passages is not None and max(annotated) >= passages
    if beyond and not document.count_is_cut:
        passages = None
    if passages is None and count != "known":
        try:
            if annotated and count == "annotated":
                passages = document.count_passages()
            elif document.is_read:
                passages = document.count_passages(quick_only=True)
        except (OSError, NotText):
            passages = None
    if passages is None:
        return Share(len(annotated), None)
    return Share(sum(1 for index in annotated if index < passages), passages)


def forget_stale_counts(corpus: Corpus, annotated: Mapping[str, Collection[int]]) -> bool:
    """Forget the counts the catalog told that leave out annotated passages, so that they are
    counted again; True if there were any."""
    forgotten = False
    for doc_id, passages in annotated.items():
        document = corpus.get(doc_id)
        if document is None or not passages or document.count_is_cut:
            continue
        count = document.known_passage_count
        if count is not None and max(passages) >= count:
            document.forget_told_count()
            forgotten = True
    return forgotten


def count_unknown(corpus: Corpus, progress: Progress, *, save: bool = True) -> Unreadable:
    """Read and count every article the catalog did not know, telling `progress` how far it
    is; then keep what was found in the catalog, saved unless `save` is false. Returns the
    articles that could not be read."""
    unreadable: Unreadable = []
    # Twice at most: a file that changed since it was listed loses its count when read.
    for _ in range(2):
        pending = [d for d in list(corpus.documents) if d.known_passage_count is None]
        pending = [d for d in pending if all(d is not u for u, _ in unreadable)]
        if not pending:
            break
        _count(corpus, pending, unreadable, progress, save)
    keep_catalog(corpus, unreadable, final=True, save=save)
    return unreadable


def _count(
    corpus: Corpus, pending: list[Document], unreadable: Unreadable, progress: Progress, save: bool
) -> None:
    done: list[str] = []
    last_shown = last_saved = time.monotonic()
    for number, document in enumerate(pending, 1):
        try:
            document.count_passages()
        except (OSError, NotText) as why:
            unreadable.append((document, why))
        else:
            done.append(document.id)
        now = time.monotonic()
        if now - last_shown > PROGRESS_SECONDS or number == len(pending):
            # Batched: one call per tenth of a second, not one per file.
            progress(done, number, len(pending))
            done, last_shown = [], now
        if now - last_saved > CATALOG_SAVE_SECONDS:
            keep_catalog(corpus, unreadable, save=save)
            last_saved = now


def keep_catalog(
    corpus: Corpus, unreadable: Unreadable, *, final: bool = False, save: bool = True
) -> None:
    """Put what is known of every article in the catalog and save it; `final`: the files no
    longer listed leave it."""
    catalog = corpus.catalog
    if catalog is None:
        return
    for document in list(corpus.documents):
        entry = document.catalog_entry()
        if entry is not None:
            catalog.put(document.relpath, entry)
    for document, why in unreadable:
        # Left out unread next time; a read error is retried, and so is a path that was no
        # file to read (the settings may follow that link next time, the pipe may go).
        if isinstance(why, NotText) and not isinstance(why, NotRead):
            catalog.put(
                document.relpath,
                Entry(document.stamp, document.read_at, "", 0, "", False, str(why)),
            )
    if final:
        catalog.keep_only(corpus.listed)
        if save:
            _keep_used_extractions(corpus)
    if save:
        catalog.save()


def _keep_used_extractions(corpus: Corpus) -> None:
    """Once the whole corpus is listed and known, remove the extracted texts none of its files
    uses; while the catalog does not know the bytes of a listed document (read by an older
    glose, or not read), nothing is removed."""
    cache, catalog = corpus.extraction_cache, corpus.catalog
    if cache is None or catalog is None or not corpus.complete:
        return
    sources = set()
    for relpath in corpus.listed:
        if not is_extracted(relpath):
            continue
        entry = catalog.entries.get(relpath)
        if entry is None or not (entry.source or entry.not_text):
            return
        sources.add(entry.source)
    cache.keep_only(sources)
