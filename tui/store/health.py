"""`glose check`: the store's health and how its annotations fit the corpus, as text lines."""

from __future__ import annotations

from tui.corpus import Corpus
from tui.corpus.catalog import CATALOG_NAME, cache_problem, left_alone
from tui.corpus.search import INDEX_FILE
from tui.store.schema import SCHEMA_VERSION
from tui.store.store import Store
from tui.text import counted


def report(corpus: Corpus, store: Store) -> tuple[list[str], list[str]]:
    """Lines to print, and the problems among them (an empty list means healthy)."""
    health = store.health()
    journal = health.journal
    lines = [
        f"store     {health.path} (schema {health.schema}"
        + (
            f", read as {SCHEMA_VERSION}: glose migrates it when it next writes)"
            if health.schema < SCHEMA_VERSION
            else ")"
        ),
        f"          {health.tags} tags, {counted(health.annotations, 'annotation')} "
        f"in {counted(health.documents, 'document')}",
    ]
    since = (
        f"the snapshot of {journal.snapshot_written}" if journal.snapshot_written else "creation"
    )
    lines.append(
        f"journal   {counted(journal.journal_records, 'action')} since {since} "
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
            f"          {journal.leftovers} temporary files left by an interrupted write "
            "(removed when glose next opens the store for writing)"
        )
    # A cache that cannot be kept costs time, not annotations: a note, not a problem.
    notes = [
        left_alone(problem, cache)
        for name, cache in ((INDEX_FILE, "search index"), (CATALOG_NAME, "catalog"))
        if (problem := cache_problem(store.directory / name)) is not None
    ]
    lines.extend(f"{'caches' if i == 0 else '':<10}{note}" for i, note in enumerate(notes))
    annotated = {a.document for a in [*store.annotations(), *store.highlights()]}
    lines.append(f"corpus    {counted(len(corpus), 'document')} in {corpus.root}")
    # Files the corpus left out are the corpus's business, not damage to the store: said,
    # not counted as problems.
    lines.extend(f"          {problem}" for problem in corpus.problems)
    for document in corpus:
        if document.id not in annotated:
            continue
        counts = store.anchor(document, document.passages).counts
        lines.append(
            f"          {document.id}: {counts['exact']} exact, {counts['moved']} moved, "
            f"{counts['fuzzy']} fuzzy, {counts['orphan']} orphans"
        )
        if counts["orphan"]:
            problems.append(
                f"{document.id}: {counted(counts['orphan'], 'orphan')} (o in the reader lists "
                "them, to attach again or delete)"
            )
    for doc_id in sorted(annotated - {d.id for d in corpus}):
        problems.append(f"{doc_id}: annotations on a document that is not in the corpus")
    lines.append("problems  none" if not problems else f"problems  {len(problems)}")
    lines.extend(f"          {problem}" for problem in problems)
    return lines, problems
