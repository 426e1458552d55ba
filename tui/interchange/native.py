"""glose's own JSON export: every annotated passage with its document, tags and highlight."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from tui.corpus import Corpus
from tui.corpus.display import counted
from tui.store import Store
from tui.store.model import now

FORMAT = "glose.annotations"
VERSION = 1


def build_export(corpus: Corpus, store: Store) -> dict[str, Any]:
    """The export as a dict: only annotated passages, and only their documents."""
    documents = []
    for document in corpus:
        passages = []
        for index, annotation in store.annotations_on(document).items():
            passage = document.passages[index]
            passages.append(
                {
                    "index": passage.index,
                    "start": passage.start,
                    "end": passage.end,
                    "text": passage.text,
                    "tags": list(annotation.tags),
                    "highlighted": annotation.highlighted,
                }
            )
        if passages:
            documents.append(
                {
                    "id": document.id,
                    "path": document.relpath,
                    "title": document.title,
                    "sha256": document.sha256,
                    "passages": passages,
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


def left_out(store: Store, data: dict[str, Any]) -> str | None:
    """A sentence saying how many stored annotations the export could not place, if any."""
    exported = sum(len(document["passages"]) for document in data["documents"])
    missing = len(store.annotations()) - exported
    if not missing:
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
