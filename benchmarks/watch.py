"""What the reader's watch of the corpus folder costs each tick, against walking the folder.

    python benchmarks/watch.py [--files 10000] [--folders 1 100] [--runs 20]

For a corpus of `--files` small files, in one folder and spread over 100 (each count of
`--folders`), medians of `--runs`:

- the tick when nothing changed: the folders' stamps compared (one `stat` a folder), on the
  screen's thread every two seconds;
- listing the folder again after one file was added (the walk, the difference and the new
  document), in a worker;
- of that, what the screen's thread does: the list changed;
- the reference: walking the folder alone, what a watch without the stamps would do each tick.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from interchange import median_time  # a script beside this one: benchmarks/ is on sys.path
from rich.console import Console
from rich.table import Table

from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.corpus import Relisted, walk_text_files

LONG_AGO = 1_000_000_000


def write_corpus(root: Path, files: int, folders: int) -> None:
    for number in range(files):
        folder = root / f"f{number % folders:03d}" if folders > 1 else root
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number:05d}.txt").write_text(f"Article {number}\n\nUn paragraphe.\n")
    for folder, _, _ in os.walk(root):
        os.utime(folder, (LONG_AGO, LONG_AGO))  # untouched for a while: no racy stamp


def measure(work: Path, files: int, folders: int, runs: int) -> list[tuple[str, float]]:
    root = work / f"corpus-{folders}"
    write_corpus(root, files, folders)
    corpus = Corpus.open(root, Catalog.load(None))
    assert not corpus.folders_changed()
    tick = median_time(corpus.folders_changed, runs)
    walk = median_time(lambda: list(walk_text_files(root)), runs)
    added = root / "new.txt"

    taking: list[float] = []

    def take(relisted: Relisted) -> None:
        started = time.perf_counter()
        corpus.take_relisted(relisted)
        taking.append(time.perf_counter() - started)

    def look_again() -> None:
        added.write_text("Un nouvel article.\n")
        take(corpus.look_again())
        added.unlink()
        take(corpus.look_again())

    again = median_time(look_again, max(runs // 4, 1)) / 2
    return [
        ("tick, nothing changed (screen)", tick),
        ("listed again, one file added (worker)", again),
        ("  of which taken into the list (screen)", statistics.median(taking)),
        ("reference: the walk alone", walk),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--folders", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="glose-watch-"))
    table = Table(title=f"The corpus watch, {args.files:,} files, median of {args.runs}")
    table.add_column("folders", justify="right")
    table.add_column("what")
    table.add_column("time", justify="right")
    table.add_column("against the walk", justify="right")
    try:
        for folders in args.folders:
            rows = measure(work, args.files, folders, args.runs)
            walk = rows[-1][1]
            for what, seconds in rows:
                table.add_row(
                    str(folders), what, f"{seconds * 1000:.3f} ms", f"{seconds / walk:.3f}"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    Console().print(table)


if __name__ == "__main__":
    main()
