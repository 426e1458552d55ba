"""glose's own JSON export: annotated passages with their tags, highlights and notes, and the
orphans of each document, so that nothing stored is left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from tui.corpus import Corpus, Document
from tui.corpus.display import counted
from tui.corpus.passages import index_at
from tui.store import ALL, Store
from tui.store.model import Anchored, Highlight, PassageAnnotation, now

FORMAT = "glose.annotations"
VERSION = 2
"""2 added highlights, notes, statuses, orphans and documents missing from the corpus."""


def _highlight(highlight: Highlight | PassageAnnotation) -> dict[str, Any]:
    """Where an annotation is (its W3C selectors' fields), its colour, note and status."""
    return {
        "start": highlight.start,
        "end": highlight.end,
        "quote": highlight.quote,
        "prefix": highlight.prefix,
        "suffix": highlight.suffix,
        "color": highlight.color,
        "note": highlight.note,
        "status": highlight.status,
    }


def _orphan(annotation: Anchored) -> dict[str, Any]:
    """An annotation whose words were not found: its last known place and quote."""
    assert isinstance(annotation, Highlight | PassageAnnotation)
    entry: dict[str, Any] = {
        "kind": "highlight" if isinstance(annotation, Highlight) else "passage",
        **_highlight(annotation),
        "status": "orphan",  # also when its whole document is gone from the corpus
    }
    if isinstance(annotation, PassageAnnotation):
        entry.update(
            tags=list(annotation.tags),
            highlighted=annotation.highlighted,
            color=annotation.color,
        )
    return entry


def _document(document: Document, store: Store) -> dict[str, Any] | None:
    passages = document.passages
    if store.needs_anchoring(document):
        store.anchor(document, passages)
    annotations = store.annotations_on(document, passages)
    by_passage: dict[int, list[Highlight]] = {}
    for highlight in store.highlights_on(document, annotator=ALL):
        # Where it starts in these passages (a stored index may come from a stand-in cut).
        by_passage.setdefault(index_at(passages, highlight.start), []).append(highlight)
    entries = []
    for index in sorted(set(annotations) | set(by_passage)):
        passage = passages[index]
        annotation = annotations.get(index)
        entries.append(
            {
                "index": passage.index,
                "start": passage.start,
                "end": passage.end,
                "text": passage.text,
                "tags": list(annotation.tags) if annotation else [],
                "highlighted": annotation.highlighted if annotation else False,
                "color": annotation.color if annotation and annotation.highlighted else None,
                "note": annotation.note if annotation else "",
                "status": annotation.status if annotation else "exact",
                "highlights": [_highlight(h) for h in by_passage.get(index, [])],
            }
        )
    orphans = [_orphan(orphan) for orphan in store.orphans(document.id)]
    if not entries and not orphans:
        return None
    return {
        "id": document.id,
        "path": document.relpath,
        "title": document.title,
        "sha256": document.sha256,
        "passages": entries,
        "orphans": orphans,
    }


def build_export(corpus: Corpus, store: Store) -> dict[str, Any]:
    """The export as a dict: annotated passages and orphans, and only their documents."""
    documents = [entry for document in corpus if (entry := _document(document, store))]
    present = {document.id for document in corpus}
    missing: dict[str, list[Anchored]] = {}
    for annotation in [*store.annotations(), *store.highlights()]:
        if annotation.document not in present:
            missing.setdefault(annotation.document, []).append(annotation)
    for doc_id, kept in sorted(missing.items()):
        # Their document is not in this corpus: kept whole, as orphans, never dropped.
        documents.append(
            {
                "id": doc_id,
                "path": None,
                "title": None,
                "sha256": kept[0].sha256,
                "missing": True,
                "passages": [],
                "orphans": [_orphan(annotation) for annotation in kept],
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now(),
        "corpus": str(Path(corpus.root).resolve()),
        "tags": [{"name": t.name, "color": t.color, "key": t.key} for t in store.tags()],
        "documents": documents,
    }


def exported_count(data: dict[str, Any]) -> int:
    """How many annotations an export holds: passages, highlights and orphans."""
    return sum(
        sum(1 for p in d["passages"] if p["tags"] or p["highlighted"] or p["note"])
        + sum(len(p["highlights"]) for p in d["passages"])
        + len(d["orphans"])
        for d in data["documents"]
    )


def left_out(store: Store, data: dict[str, Any]) -> str | None:
    """A sentence saying how many stored annotations the export could not hold, if any."""
    missing = len(store.annotations()) + len(store.highlights()) - exported_count(data)
    if missing <= 0:
        return None
    verb = "fits" if missing == 1 else "fit"
    return (
        f"{counted(missing, 'annotation')} no longer {verb} a passage of the corpus and "
        f"{'is' if missing == 1 else 'are'} not in this export; glose check lists them."
    )


def write_json(data: dict[str, Any], out: IO[str]) -> None:
    """UTF-8 as is (no \\u escapes), indented for people who open it."""
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
