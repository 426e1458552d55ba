"""`glose check`: the store's health and how its annotations fit the corpus, as text lines."""

from __future__ import annotations

from collections import Counter

from tui.corpus import Corpus
from tui.store.store import Store


def report(corpus: Corpus, store: Store) -> tuple[list[str], list[str]]:
    """Lines to print, and the problems among them (an empty list means healthy)."""
    health = store.health()
    journal = health.journal
    lines = [
        f"store     {health.path} (schema {health.schema})",
        f"          {health.tags} tags, {health.annotations} annotated passages "
        f"in {health.documents} documents",
    ]
    since = (
        f"the snapshot of {journal.snapshot_written}" if journal.snapshot_written else "creation"
    )
    lines.append(
        f"journal   {journal.journal_records} actions since {since} "
        f"({journal.journal_bytes:,} bytes)"
    )
    if journal.torn_tail:
        lines.append("          an unfinished last action (a crash mid-write) will be dropped")
    holder = health.holder
    lines.append(f"lock      held by {holder.describe()}" if holder else "lock      free")

    problems: list[str] = []
    if not store.exists:
        problems.append(f"there is no store at {store.directory} (nothing annotated there yet)")
    if journal.leftovers:
        lines.append(
            f"          {journal.leftovers} temporary snapshots left by an interrupted write "
            "(removed when glose next opens the store for writing)"
        )
    by_document = Counter(a.document for a in store.annotations())
    lines.append(f"corpus    {len(corpus)} documents in {corpus.root}")
    for document in corpus:
        annotations = store.annotations(document.id)
        if not annotations:
            continue
        stale = sum(1 for a in annotations if document.text[a.start : a.end] != a.quote)
        lines.append(
            f"          {document.id}: {len(annotations)} annotated, "
            f"{len(annotations) - stale} in place, {stale} no longer matching"
        )
        if stale:
            problems.append(f"{document.id}: {stale} annotations no longer match the text")
    for doc_id in sorted(set(by_document) - {d.id for d in corpus}, key=str):
        problems.append(f"{doc_id}: {by_document[doc_id]} annotations, document not in the corpus")
    for problem in corpus.problems:
        problems.append(f"unreadable: {problem}")
    lines.append("problems  none" if not problems else f"problems  {len(problems)}")
    lines.extend(f"          {problem}" for problem in problems)
    return lines, problems
