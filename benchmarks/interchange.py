"""How long exports and imports take on a big coding project, against writing the same
records with one `json.dumps` (the floor: any export has at least that to do).

    python benchmarks/interchange.py [--copies 200] [--runs 3] [--dir DIR]

It builds a corpus of `copies` copies of the five seeds (~11 passages each), tags every
passage and highlights a span in each, then times each export format (selection, anchoring
check and writing, as `glose export` does), importing the glose JSON into an empty store,
and importing it again (everything already there). Prints medians and ratios to the floor.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.corpus import Corpus
from tui.interchange import importing
from tui.interchange.export import flat, select
from tui.interchange.formats import FORMATS
from tui.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build(root: Path, copies: int) -> tuple[Corpus, Path]:
    corpus_dir = root / "corpus"
    for copy in range(copies):
        folder = corpus_dir / f"{copy:04d}"
        folder.mkdir(parents=True)
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, folder / seed.name)
    corpus = Corpus.open(corpus_dir)
    store_dir = root / "store"
    with Store(store_dir, annotator="alice") as store:
        tags = [store.create_tag(name).name for name in ("politique", "économie", "sécurité")]
        # One action, so one journal line: building the fixture is not what is measured.
        with store.undoable("fixture"):
            for number, document in enumerate(corpus):
                for passage in document.passages:
                    store.add_tag(document, passage, tags[(number + passage.index) % 3])
                first = document.passages[1]
                store.add_highlight(
                    document, document.passages, first.start, first.start + 20, "green"
                )
    return corpus, store_dir


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(dir=args.dir, prefix="glose-interchange-"))
    try:
        corpus, store_dir = build(root, args.copies)
        store = Store(store_dir, readonly=True)
        count = len(store.annotations()) + len(store.highlights())
        selection = select(corpus, store)
        records = [flat(item) for item in selection.items]

        def floor() -> None:
            (root / "floor.json").write_text(json.dumps(records, ensure_ascii=False))

        base = median_time(floor, args.runs)
        rows = [("json.dumps of the same records (floor)", base)]
        exported = {}
        for format in FORMATS.values():

            def export(format=format) -> None:
                exported[format.name] = format.to_bytes(select(corpus, store), corpus)

            rows.append((f"export {format.name}", median_time(export, args.runs)))
        store.close()
        text = exported["json"].decode("utf-8")
        documents = {document.id: document for document in corpus}

        def import_fresh() -> None:
            target = root / f"import-{time.perf_counter_ns()}"
            with Store(target, annotator="bob") as fresh:
                parsed = importing.read_text(text, corpus)
                fresh.import_annotations(parsed.annotations, documents, parsed.tags)

        rows.append(("import json into an empty store", median_time(import_fresh, args.runs)))
        again = Store(root / "again", annotator="bob")
        parsed = importing.read_text(text, corpus)
        again.import_annotations(parsed.annotations, documents, parsed.tags)

        def import_again() -> None:
            parsed = importing.read_text(text, corpus)
            report = again.import_annotations(parsed.annotations, documents, parsed.tags)
            assert report.added == report.merged == 0

        rows.append(("import the same json again", median_time(import_again, args.runs)))
        again.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    table = Table(
        title=f"{count:,} annotations on {len(corpus):,} documents, median of {args.runs}"
    )
    table.add_column("What")
    table.add_column("Median", justify="right")
    table.add_column("× floor", justify="right")
    for name, seconds in rows:
        table.add_row(name, f"{seconds * 1000:,.0f} ms", f"{seconds / base:,.1f}")
    Console().print(table)


if __name__ == "__main__":
    main()
