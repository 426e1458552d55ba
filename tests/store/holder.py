"""A second process holding a store for writing, driven line by line from the test.

    python -m tests.store.holder STORE

Prints `ready` once the store is open. Each line `highlight N` on standard input highlights
passage N of a fixed document and prints `done N`; `close` closes the store and exits.
"""

from __future__ import annotations

import sys

from tests.helpers import text_document
from tui.store import Store

DOCUMENT = text_document("doc", "\n\n".join(f"Passage {n}." for n in range(20)))


def main(store_dir: str) -> None:
    store = Store(store_dir)
    print("ready", flush=True)
    for line in sys.stdin:
        command, *argument = line.split()
        if command == "highlight":
            index = int(argument[0])
            store.toggle_highlight(DOCUMENT, DOCUMENT.passages[index])
            print(f"done {index}", flush=True)
        elif command == "close":
            break
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
