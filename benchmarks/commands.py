"""How long `glose export`, `check`, `stats` and `agreement` take as whole processes, against
`glose --version` started the same way in the same run.

    python benchmarks/commands.py [--files 400] [--megabytes 3.6] [--runs 7] [--before REV]
                                  [--work DIR]

It generates a corpus of `--files` files of `--megabytes` MB from the seeds (as
`benchmarks/scale.py` does) and puts 4 annotations on 2 of its documents, by two annotators
(agreement needs two). Each command runs on the seeds and on that corpus (annotated the same
way), with the store as commands leave it (no catalog) and as the reader leaves it (its
catalog knows every file), `--runs` times; the median is shown. With `--before REV`, the same
commands of that git revision are run too, in the same run.

The target of a command is twice `glose --version` plus the time to read the documents it
reports on: the annotated ones, read and cut into passages inside a fresh process (a figure of
its own in the table). Bytecode is compiled first, in a folder of its own: no run pays for it.
Machines are noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interchange import median_time  # a script beside this one: benchmarks/ is on sys.path
from scale import write_corpus

from tui.corpus import Corpus, Document
from tui.corpus.catalog import Catalog
from tui.store import Store

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
COMMANDS = (("export",), ("check",), ("stats", "--all"), ("agreement",))
SETTLED_SECONDS = 2.1
"""Files this old are trusted by the catalog by their times (see `catalog.RACY_NS`)."""


def annotate(corpus_dir: Path, store_dir: Path, relpaths: list[str]) -> list[Path]:
    """Two annotations by each of two annotators, on the second passage of two documents."""
    paths = [corpus_dir / relpath for relpath in relpaths]
    with Store(store_dir, annotator="alice") as store:
        store.create_tag("politique")
        for annotator in ("alice", "bob"):
            store.annotator = annotator
            for path in paths:
                document = Document.load(corpus_dir, path)
                store.toggle_tag(document, document.passages[1], "politique")
    return paths


def catalogue(corpus_dir: Path, store_dir: Path) -> None:
    """The catalog the reader leaves in the store once it has counted every file."""
    corpus = Corpus.open(corpus_dir, Catalog.load(store_dir))
    for document in corpus:
        document.count_passages()
        corpus.catalog.put(document.relpath, document.catalog_entry())
    corpus.catalog.save()


def reading(
    tree: Path, corpus_dir: Path, paths: list[Path], env: dict[str, str], runs: int
) -> float:
    """Reading the documents a command reports on and cutting them into passages, timed inside
    a fresh process as a command does it (sentence cutting's first use included)."""
    program = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from tui.corpus import Document\n"
        "started = time.perf_counter()\n"
        "for path in sys.argv[2:]:\n"
        "    _ = Document.load(Path(sys.argv[1]), Path(path)).passages\n"
        "print(time.perf_counter() - started)\n"
    )
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", program, str(corpus_dir), *map(str, paths)],
            env={**env, "PYTHONPATH": str(tree)},
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(done.stdout))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--megabytes", type=float, default=3.6)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", default=None, help="a git revision to compare with")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(dir=args.work, prefix="glose-commands-"))
    try:
        measure(args, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def measure(args: argparse.Namespace, root: Path) -> None:
    console = Console(width=120)
    trees = {"after": PROJECT}
    if args.before:
        before = root / "before"
        before.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(PROJECT), "archive", args.before],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        trees = {"before": before, **trees}

    corpus_dir = root / "corpus"
    size = write_corpus(corpus_dir, args.files, args.megabytes)
    seeds = sorted(path.name for path in SEEDS.glob("*.txt"))
    generated = sorted(p.relative_to(corpus_dir).as_posix() for p in corpus_dir.rglob("*.txt"))
    step = max(1, len(generated) // 2)  # two documents far apart
    cases = {}
    for name, corpus, relpaths in (
        ("seeds", SEEDS, seeds[:2]),
        (f"{args.files} files, {size / 1e6:.1f} MB", corpus_dir, generated[1::step][:2]),
    ):
        bare, known = root / f"{len(cases)}-store", root / f"{len(cases)}-catalogued"
        paths = annotate(corpus, bare, relpaths)
        shutil.copytree(bare, known)
        cases[name] = (corpus, paths, {"no catalog": bare, "catalog": known})
    time.sleep(SETTLED_SECONDS)  # the files just written are trusted by their times only now
    for corpus, _, stores in cases.values():
        catalogue(corpus, stores["catalog"])

    pycache = root / "pycache"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)

    def timed(tree: Path, *arguments: str) -> Timed:
        """The median wall and CPU time of `glose *arguments` run from `tree`."""
        command = [sys.executable, "-m", "tui", *arguments]
        run_env = {**env, "PYTHONPATH": str(tree), "GLOSE_ANNOTATOR": "alice"}
        cpu: list[float] = []

        def run() -> None:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                command,
                cwd=root,
                env=run_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

        run()  # compiles the bytecode (kept in `pycache`) and warms the file cache
        cpu.clear()
        wall = median_time(run, args.runs)
        return Timed(wall, statistics.median(cpu))

    table = Table(
        title=f"glose commands as whole processes, median of {args.runs}: wall clock (CPU) "
        f"(Python {sys.version.split()[0]}, {os.cpu_count()} cores)",
        title_justify="left",
    )
    table.add_column("Command")
    table.add_column("Corpus")
    table.add_column("Store")
    for label in trees:
        table.add_column(label.capitalize(), justify="right")
    table.add_column("After / --version", justify="right")
    table.add_column("Target", justify="right")
    table.add_column("Met")
    for name, (corpus, paths, stores) in cases.items():
        read = reading(trees["after"], corpus, paths, env, args.runs)
        blank = ["" for _ in trees][1:]
        what = f"reading the {len(paths)} annotated documents"
        table.add_row(what, name, "in process", *blank, _ms(read))
        for store_name, store_dir in stores.items():
            # Measured beside the commands it is compared to: a shared machine's load drifts.
            version = {label: timed(tree, "--version") for label, tree in trees.items()}
            reference = version["after"]
            cells = [str(version[label]) for label in trees]
            table.add_row("glose --version", name, store_name, *cells, "1.0 (1.0)")
            for command in COMMANDS:
                arguments = ("--corpus", str(corpus), "--store", str(store_dir), *command)
                found = {label: timed(tree, *arguments) for label, tree in trees.items()}
                after = found["after"]
                target = Timed(2 * reference.wall + read, 2 * reference.cpu + read)
                table.add_row(
                    f"glose {' '.join(command)}",
                    name,
                    store_name,
                    *(str(found[label]) for label in trees),
                    f"{after.wall / reference.wall:.1f} ({after.cpu / reference.cpu:.1f})",
                    str(target),
                    f"{_met(after.wall, target.wall)} ({_met(after.cpu, target.cpu)})",
                )
    console.print(table)
    console.print(
        "Target: twice `glose --version` plus reading and cutting the annotated documents "
        "inside a fresh process. CPU: the process's user and system time, which a loaded "
        "machine changes less than the wall clock."
    )


@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{_ms(self.wall)} ({self.cpu * 1000:,.0f})"


def _met(value: float, target: float) -> str:
    return "yes" if value <= target else "no"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


if __name__ == "__main__":
    main()
