"""How much one durable write costs, by store size, against one append+fsync on the same disk.

    python benchmarks/store.py [--sizes 1000,10000,100000] [--writes 200] [--dir DIR]

For each size it builds a store of that many annotated passages, then times tag toggles
(each one durable before it returns) in glose's store and in TinyDB's default `JSONStorage`,
and the floor: appending one 200-byte line to a file and fsync-ing it. It also times opening
the largest store. Prints medians and ratios; machines are noisy, so compare within one run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table
from tinydb import TinyDB
from tinydb.storages import JSONStorage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.corpus import Document, Passage
from tui.corpus.document import normalise_newlines
from tui.store import Store
from tui.store.model import PassageAnnotation, now
from tui.store.schema import SCHEMA_VERSION

QUOTE = (
    "L’objectif de cette instance est de se concentrer sur le développement responsable "
    "des modèles d’IA, y compris les outils de sécurité."
)
DOCUMENT = Document("bench/doc", Path("bench/doc.txt"), "bench/doc.txt", normalise_newlines(QUOTE))


def passage(index: int) -> Passage:
    start = index * (len(QUOTE) + 2)
    return Passage(index, start, start + len(QUOTE), QUOTE)


def records(count: int) -> dict[str, dict]:
    """`count` passage annotations as TinyDB documents, as a long coding session leaves them."""
    table = {}
    for index in range(count):
        p = passage(index)
        annotation = PassageAnnotation(
            document=DOCUMENT.id,
            sha256=DOCUMENT.sha256,
            passage=index,
            start=p.start,
            end=p.end,
            quote=QUOTE,
            tags=["politique"],
            highlighted=index % 3 == 0,
            annotator="lecteur",
        )
        table[str(index + 1)] = annotation.to_record()
    return table


def build_glose_store(directory: Path, count: int) -> None:
    directory.mkdir(parents=True)
    data = {
        # The current schema: opening measures reading, not a one-off migration.
        "meta": {"1": {"schema": SCHEMA_VERSION, "created": now()}},
        "tags": {
            "1": {"name": "politique", "color": "#1f77b4", "key": 1, "created": now()},
            "2": {"name": "économie", "color": "#ff7f0e", "key": 2, "created": now()},
        },
        "passages": records(count),
        "_snapshot": {"1": {"seq": 0, "written": now()}},
    }
    (directory / "glose.json").write_bytes(orjson.dumps(data))
    (directory / "glose.journal").write_bytes(b"")


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def glose_writes(directory: Path, count: int, writes: int) -> tuple[list[float], float]:
    store_dir = directory / f"glose-{count}"
    build_glose_store(store_dir, count)
    start = time.perf_counter()
    store = Store(store_dir, compact_after=10**9)
    opened = time.perf_counter() - start
    rng = random.Random(count)
    times = timed(
        lambda: store.toggle_tag(DOCUMENT, passage(rng.randrange(count)), "économie"), writes
    )
    store.close()
    return times, opened


def tinydb_writes(directory: Path, count: int, writes: int) -> list[float]:
    path = directory / f"tinydb-{count}.json"
    path.write_bytes(orjson.dumps({"passages": records(count)}))
    db = TinyDB(path, storage=JSONStorage)
    table = db.table("passages")
    rng = random.Random(count)

    def toggle() -> None:
        doc_id = rng.randrange(count) + 1
        tags = table.get(doc_id=doc_id)["tags"]
        new = tags[:-1] if "économie" in tags else [*tags, "économie"]
        table.update({"tags": new}, doc_ids=[doc_id])

    times = timed(toggle, writes)
    db.close()
    return times


def floor_writes(directory: Path, writes: int) -> list[float]:
    line = (b"x" * 199) + b"\n"
    fd = os.open(directory / "floor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def append() -> None:
        os.write(fd, line)
        os.fsync(fd)

    times = timed(append, writes)
    os.close(fd)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--dir", type=Path, help="where to build the stores (default: a temp dir)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(dir=args.dir) as temporary:
        directory = Path(temporary)
        floor = statistics.median(floor_writes(directory, args.writes))
        table = Table(title="One durable write (tag toggle), median")
        for column in (
            "annotations",
            "append+fsync (floor)",
            "glose store",
            "glose / floor",
            "TinyDB JSONStorage",
            "TinyDB / floor",
        ):
            table.add_column(column, justify="right")
        opened_largest = 0.0
        for count in sizes:
            glose_times, opened = glose_writes(directory, count, args.writes)
            # TinyDB rewrites the whole file per write: fewer writes keep the run short.
            tiny_times = tinydb_writes(directory, count, max(5, args.writes * 1000 // count))
            glose_median = statistics.median(glose_times)
            tiny_median = statistics.median(tiny_times)
            table.add_row(
                f"{count:,}",
                ms(floor),
                ms(glose_median),
                f"{glose_median / floor:.2f}x",
                ms(tiny_median),
                f"{tiny_median / floor:.1f}x",
            )
            opened_largest = opened
        console = Console()
        console.print(table)
        console.print(
            f"Opening the glose store of {sizes[-1]:,} annotations: {opened_largest:.3f} s "
            "(snapshot read, journal replay, indexes built)."
        )
        console.print(
            f"Rerun: python benchmarks/store.py --sizes {args.sizes} --writes {args.writes}"
        )


if __name__ == "__main__":
    main()
