"""A process that makes durable writes as fast as it can, for the crash tests.

    python -m tests.store.writer STORE RUN

Opens STORE (compacting it often), then for i = 0, 1, 2, ... puts the tag `RUN-i` on passage
i % 40 of a synthetic document and prints `done RUN-i` once `add_tag` has returned, that is
once the write is durable. The parent kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.corpus.document import Document, normalise_newlines
from tui.store import Store

PASSAGES = 40
# Built here, not with the tests' helpers: those import Textual, and every kill restarts this.
DOCUMENT = Document(
    "crash/doc",
    Path("crash/doc.txt"),
    "crash/doc.txt",
    normalise_newlines(
        "\n\n".join(f"Passage numéro {n}, « sécurité » et œuvre." for n in range(PASSAGES))
    ),
)


def main(store_dir: str, run: str) -> None:
    # A tiny compaction threshold puts snapshot writes (rename, journal cut) in the kill window.
    store = Store(store_dir, compact_after=25)
    print("open", flush=True)
    index = 0
    while True:
        passage = DOCUMENT.passages[index % PASSAGES]
        store.add_tag(DOCUMENT, passage, f"{run}-{index}")
        print(f"done {run}-{index}", flush=True)
        index += 1
        if index % 60 == 0:
            store.close()  # closing compacts too: kills land in that window as well
            store = Store(store_dir, compact_after=25)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
