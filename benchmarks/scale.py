"""What glose costs on big inputs, each figure against a reference measured in the same run.

    python benchmarks/scale.py [--files 10000] [--corpus-megabytes 50] [--megabytes 20]
                               [--runs 5] [--presses 40] [--timeout 120] [--work DIR] [--quick]
                               [--search-only] [--keep-corpus DIR]

It first generates its inputs from the seeds: one document of `--megabytes` MB (the five
articles again and again under numbered headers) and a corpus of `--files` files of
`--corpus-megabytes` MB in all (seed paragraphs picked per file by a seeded random generator,
one word in eight given a number, `sécurité4242`, for a vocabulary as varied as a real one's;
each file numbered). Then it measures, medians of `--runs` unless said:

- process start to first frame: `python -m tui` (what `glose` runs, without a pyenv shim) in a
  120x36 pseudo-terminal, its bytecode compiled first, with a fresh store each run, until the
  first article's text is on the screen, for the seeds, the big document and the corpus;
  against a bare Textual app showing one line, started the same way;
- keystroke to repaint in the big document, once its sentences are cut: the key event posted,
  every handler run and the screen's update composed, in process and headless (the terminal
  write is not included), `--presses` times per key; against the same in the bare app. Pilot's
  own `press` + `pause` is shown too: it sleeps at least 60 ms per key whatever the app does;
- peak memory (max RSS) of a process that showed the big document, against the file's size;
- search in the corpus, every figure a whole process against `grep -ril` (and `rg -il` when
  installed) on the same files: `glose search` with a store and without one (second call,
  its index in the cache folder), for no match, rare words, a common word and a word in
  nearly every passage; the index's size against the corpus's, its build time; one changed
  file indexed again, and what telling that nothing changed costs (in process).
  `--search-only` measures search alone: `--files 100000 --corpus-megabytes 500` is the big
  case, not run by default.

`--quick` is 1,000 files of 5 MB, a 2 MB document, one run, 10 presses. Machines are noisy:
compare within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import fcntl
import json
import os
import platform
import random
import re
import resource
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import textual
from rich.console import Console
from rich.table import Table
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interchange import median_time  # a script beside this one: benchmarks/ is on sys.path

from tui.app.app import GloseApp
from tui.corpus import Corpus, Document
from tui.corpus.catalog import Catalog
from tui.corpus.corpus import walk_text_files
from tui.corpus.search import INDEX_FILE
from tui.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
COLUMNS, LINES = 120, 36
BARE_LINE = "bare Textual app, one line"
KEYS = ("j", "k", "G", "g", "space", "pageup")
MB = 1_000_000
ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")

BARE_APP = f"""from textual.app import App
from textual.widgets import Static


class Bare(App[None]):
    def compose(self):
        yield Static({BARE_LINE!r})


Bare().run()
"""

# What is searched for: glose folds case and accents, grep -i only case, so grep gets the
# accented spelling. The rare word is one file's number; the last is in no file.
QUERIES = (
    ("common word", "securite", "sécurité"),
    ("rare word (one file)", "fichier {rare}", "fichier {rare}"),
    ("no match", "ornithorynque", "ornithorynque"),
)


class Bare(App[None]):
    """The reference for keystrokes: Textual with one line and nothing bound."""

    def compose(self) -> ComposeResult:
        yield Static(BARE_LINE)


# Generating the inputs


def seed_articles() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of each seed, in file order."""
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs = [part.strip() for part in path.read_text("utf-8").split("\n\n")]
        paragraphs = [part for part in paragraphs if part]
        articles.append((paragraphs[0], paragraphs[1:]))
    return articles


def write_document(path: Path, megabytes: float) -> int:
    """The seeds repeated, each copy under its own numbered header, until `megabytes` MB."""
    articles = seed_articles()
    parts = ["Dossier : les articles de l’AI Alliance, encore et encore\n\n"]
    size, number = len(parts[0].encode("utf-8")), 0
    while size < megabytes * MB:
        title, paragraphs = articles[number % len(articles)]
        number += 1
        part = f"Article {number} : {title}\n\n" + "\n\n".join(paragraphs) + "\n\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), "utf-8")
    return path.stat().st_size


def write_corpus(directory: Path, files: int, megabytes: float) -> int:
    """`files` articles of seed paragraphs; the same arguments always give the same files."""
    articles = seed_articles()
    pool = [paragraph for _, paragraphs in articles for paragraph in paragraphs]
    per_file = megabytes * MB / files
    total = 0
    for number in range(files):
        rng = random.Random(number)
        title = rng.choice(articles)[0]
        paragraphs = [f"Fichier {number:05d} : {title}"]
        size = len(paragraphs[0])
        while size < per_file:
            paragraph = varied(rng.choice(pool), rng)
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 2
        # A hundred files to a folder, as a real archive would be sorted.
        path = directory / f"{number // 100:03d}" / f"{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
        total += path.stat().st_size
    return total


def kept_corpus(directory: Path, files: int, megabytes: float) -> int:
    """The corpus generated in `directory` with these sizes, generated there if it is not."""
    stamp = directory.with_name(directory.name + ".generated.json")
    wanted = {"files": files, "megabytes": megabytes}
    if stamp.is_file() and directory.is_dir():
        kept = json.loads(stamp.read_text("utf-8"))
        if {key: kept.get(key) for key in wanted} == wanted:
            return kept["size"]
    shutil.rmtree(directory, ignore_errors=True)
    size = write_corpus(directory, files, megabytes)
    stamp.write_text(json.dumps({**wanted, "size": size}), "utf-8")
    return size


def varied(paragraph: str, rng: random.Random) -> str:
    """The paragraph with one word in eight numbered (`sécurité4242`): a real corpus has far
    more distinct words than five articles, and an index's size follows them."""
    words = paragraph.split(" ")
    for at in range(len(words)):
        if rng.random() < 1 / 8 and words[at].isalpha():
            words[at] += str(rng.randrange(10_000))
    return " ".join(words)


def first_text(corpus_dir: Path) -> str:
    """Words only the reader shows: the start of the first article's second paragraph."""
    # Only the first file: reading all 10,000 would take seconds per case.
    document = Document.load(corpus_dir, Path(next(walk_text_files(corpus_dir))[1]))
    lines = [line.strip() for line in document.text.split("\n") if line.strip()]
    return lines[1][:20]


# Process start to first frame


def first_frame(command: list[str], marker: str, timeout: float) -> float | None:
    """Seconds from spawning `command` in a pseudo-terminal to `marker` on its screen (None:
    not within `timeout`, or the process ended first)."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    wanted = marker.encode("utf-8")
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    output = bytearray()
    try:
        while (left := started + timeout - time.perf_counter()) > 0:
            if not select.select([master], [], [], left)[0]:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the process closed the terminal
                return None
            if not chunk:
                return None
            output += chunk
            # Styles and cursor moves sit between the words of a frame: look past them.
            if wanted in ESCAPES.sub(b"", output):
                return time.perf_counter() - started
        return None
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)


def first_frames(
    command: Callable[[Path], list[str]], marker: str, work: Path, runs: int, timeout: float
) -> float | None:
    """Median of `runs` first frames, each with a fresh store; None once one times out."""
    times = []
    for run in range(runs):
        store = work / f"store-{time.perf_counter_ns()}-{run}"
        seconds = first_frame(command(store), marker, timeout)
        shutil.rmtree(store, ignore_errors=True)
        if seconds is None:
            return None
        times.append(seconds)
    return statistics.median(times)


# Keystrokes and memory, in a child process each so that peak memory is the document's own


async def keystroke(app: App, pilot: Pilot, key: str) -> float:
    """Key event to composed repaint, without the idle sleeps of `Pilot.press`."""
    character = " " if key == "space" else key if len(key) == 1 else None
    started = time.perf_counter()
    assert app._driver is not None
    app._driver.send_message(events.Key(key, character))
    # The app forwards the key to the focused widget, which may post more: three rounds.
    for _ in range(3):
        await pilot._wait_for_screen()
    app.screen._on_timer_update()  # the repaint Textual would do on its next refresh tick
    return time.perf_counter() - started


async def measure_app(app: App, presses: int, timeout: float) -> dict:
    """What the child reports: seconds until the real passages show, key and Pilot times."""
    result: dict = {"keys": {key: [] for key in KEYS}, "pilot": []}
    started = time.perf_counter()
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        await pilot.pause()
        screen = app.screen
        document = getattr(screen, "document", None)
        if document is not None:
            # Until the sentences are cut the reader shows a stand-in: wait for the real one.
            while screen.reader.passages is not document.passages:
                if time.perf_counter() - started > timeout:
                    return result
                await pilot.pause(0.1)
            await pilot.pause()
        result["ready"] = time.perf_counter() - started
        for _ in range(presses):
            for key in KEYS:
                result["keys"][key].append(await keystroke(app, pilot, key))
        for number in range(presses):
            key = "j" if number % 2 == 0 else "k"
            at = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            result["pilot"].append(time.perf_counter() - at)
    return result


def peak_memory() -> int:
    """Bytes of this process's peak RSS."""
    # VmHWM is this program's own; ru_maxrss keeps the parent's peak across fork and exec.
    with contextlib.suppress(OSError, StopIteration):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("VmHWM:")).split()[1]) * 1024
    # Elsewhere ru_maxrss is all there is (kilobytes on Linux, bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def child(corpus_dir: str, store_dir: str, presses: int, timeout: float) -> None:
    """Run in a process of its own; prints its measures as JSON."""
    if corpus_dir:
        # As `glose` opens it: listed, with the store's catalog, each file read when needed.
        corpus = Corpus.open(corpus_dir, Catalog.load(Path(store_dir)))
        app: App = GloseApp(corpus, Store(Path(store_dir)))
    else:
        app = Bare()
    result = asyncio.run(measure_app(app, presses, timeout))
    if corpus_dir:
        app.store.close()
    result["peak"] = peak_memory()
    print(json.dumps(result))


def run_child(corpus_dir: Path | None, work: Path, presses: int, timeout: float) -> dict:
    store = work / f"store-{time.perf_counter_ns()}"
    command = [sys.executable, __file__, "--child", str(corpus_dir or ""), str(store)]
    command += ["--presses", str(presses), "--timeout", str(timeout)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    shutil.rmtree(store, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# Search


def process(command: list[str], extra: dict[str, str] | None = None) -> Callable[[], object]:
    # grep needs a UTF-8 locale to fold the case of É.
    env = dict(os.environ, LC_ALL="C.UTF-8", **(extra or {}))
    return lambda: subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )


def measure_search(
    args: argparse.Namespace,
    root: Path,
    corpus_dir: Path,
    corpus_size: int,
    glose: list[str],
    console: Console,
) -> list[Row]:
    """`glose search` as a whole process, with a store and without one (its index then in
    the cache folder), against `grep -ril` and `rg -il` on the same files; the index's size
    and build time; one changed file indexed again; the freshness check."""
    rows = [Row(f"Search in {args.files:,} files (grep gets the accented spelling)", None)]
    rows[-1].unit = "section"
    console.print("Search…")
    store = root / "search-store"
    Store(store).close()
    cache = root / "search-cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    with_store = [*glose, "search", "--corpus", str(corpus_dir), "--store", str(store)]
    no_store = [*glose, "search", "--corpus", str(corpus_dir), "--store", str(root / "none")]
    index_file = store / INDEX_FILE

    def cold() -> None:
        index_file.unlink(missing_ok=True)
        process([*with_store, "ornithorynque"], env)()

    build = median_time(cold, max(1, min(args.runs, 3)))
    process([*no_store, "ornithorynque"], env)()  # the first search without a store builds
    size = index_file.stat().st_size
    row = Row(f"index size ({size / MB:,.1f} MB for {corpus_size / MB:,.1f} MB)", size)
    row.reference, row.unit = corpus_size, "B"
    row.target, row.met = "< half the corpus", size < corpus_size / 2
    rows.append(row)
    rg = shutil.which("rg")
    rare = f"{args.files // 2:05d}"
    grep_common = None
    for what, query, accented in SEARCHES:
        query, accented = query.format(rare=rare), accented.format(rare=rare)
        grep = median_time(process(["grep", "-ril", accented, str(corpus_dir)]), args.runs)
        grep_common = grep_common or grep
        rows.append(Row(f"{what}: grep -ril '{accented}'", grep, grep, is_reference=True))
        if rg is not None:
            found = median_time(process([rg, "-il", accented, str(corpus_dir)]), args.runs)
            rows.append(Row(f"  rg -il '{accented}'", found, grep))
        for label, command in (("with a store", with_store), ("no store, 2nd call", no_store)):
            whole = median_time(process([*command, query], env), args.runs)
            row = Row(f"  glose search '{query}', {label} (whole process)", whole, grep)
            row.target, row.met = "faster than grep", whole < grep
            rows.append(row)
    rows.append(Row("index build, cold (glose search, whole process)", build, grep_common))
    rows.extend(measure_upkeep(args, corpus_dir, store))
    return rows


# Searched for: grep -i folds only case, so it gets the accented spelling. The rare words are
# in one file; the last query is in nearly every passage.
SEARCHES = (
    ("no match", "ornithorynque", "ornithorynque"),
    ("rare words (one file)", '"fichier {rare}"', "fichier {rare}"),
    ("common word", "securite", "sécurité"),
    ("very many hits", "de", "de"),
)


def measure_upkeep(args: argparse.Namespace, corpus_dir: Path, store: Path) -> list[Row]:
    """One file changed and indexed again, alone; what telling that nothing changed costs."""
    from tui.corpus.fulltext import Index
    from tui.corpus.search import SearchIndex, listing_options

    options = listing_options(os.path.realpath(corpus_dir))
    index = Index.open(store / INDEX_FILE)
    index.root = os.path.abspath(corpus_dir)
    assert index.changed_files(options, str(store)) == [], "the index is up to date"
    check = median_time(lambda: index.changed_files(options, str(store)), args.runs)
    index.close()
    victim = next(corpus_dir.glob("*/*.txt"))
    times = []
    for number in range(args.runs):
        with victim.open("a", encoding="utf-8") as out:
            out.write(f"\n\nUn mot de plus : tatou{number}.\n")
        os.utime(victim, ns=(1, 1 + number))  # seen changed, not as racy
        started = time.perf_counter()
        found = SearchIndex.quick(store, corpus_dir, options)
        times.append(time.perf_counter() - started)
        assert found is not None and found[0].index.files_indexed == 1
        found[0].index.close()
    again = statistics.median(times)
    row = Row("one changed file indexed again (stamps checked, in process)", again, check)
    row.target, row.met = "< 50 ms", again < 0.050
    return [
        Row(f"telling nothing changed: stat of {args.files:,} files (in process)", check),
        row,
    ]


# The table


@dataclass
class Row:
    what: str
    value: float | None
    """Seconds, or bytes for memory; None: not measured in time."""
    reference: float | None = None
    """The value the ratio is taken to; None: no ratio."""
    target: str = ""
    met: bool | None = None
    unit: str = "s"
    is_reference: bool = False


def shown(value: float | None, unit: str, timeout: float) -> str:
    if value is None:
        return f"> {timeout:.0f} s"
    if unit == "B":
        return f"{value / MB:,.0f} MB"
    if value < 1:
        return f"{value * 1000:,.2f} ms"
    return f"{value:,.2f} s"


def ratio(row: Row, timeout: float) -> str:
    if row.reference is None:
        return ""
    if row.is_reference:
        return "reference"
    if row.value is None:
        return f"> {timeout / row.reference:,.0f}x"
    return f"{row.value / row.reference:,.2f}x"


def verdict(row: Row) -> str:
    if not row.target:
        return ""
    if row.met is None:
        return row.target
    return f"{row.target} [green]met[/]" if row.met else f"{row.target} [bold red]MISSED[/]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--corpus-megabytes", type=float, default=50)
    parser.add_argument("--megabytes", type=float, default=20, help="the big document's size")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=40, help="per key")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per first frame")
    parser.add_argument("--work", type=Path, help="where to generate inputs (default: temp dir)")
    parser.add_argument(
        "--keep-corpus",
        type=Path,
        metavar="DIR",
        help="generate the corpus in DIR, or take the one generated there with the same sizes",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 files, 5 MB, 2 MB, 1 run")
    parser.add_argument(
        "--search-only", action="store_true", help="search alone (for --files 100000: 500 MB)"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.presses, args.timeout)
        return
    if args.quick:
        args.files, args.corpus_megabytes, args.megabytes = 1_000, 5, 2
        args.runs, args.presses = 1, 10
    console = Console()
    root = Path(tempfile.mkdtemp(dir=args.work, prefix="glose-scale-"))
    try:
        rows, facts = measure(args, root, console)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    table = Table(
        title=f"glose at scale, median of {args.runs} (keys: {args.presses} presses each)",
        caption=facts,
    )
    table.add_column("What")
    table.add_column("Median", justify="right")
    table.add_column("Ratio to reference", justify="right")
    table.add_column("Target")
    for row in rows:
        if row.value is None and row.unit == "section":
            table.add_section()
            table.add_row(f"[bold]{row.what}[/]")
            continue
        table.add_row(
            row.what,
            shown(row.value, row.unit, args.timeout),
            ratio(row, args.timeout),
            verdict(row),
        )
    console.print(table)
    command = f"python benchmarks/scale.py --files {args.files} --corpus-megabytes "
    command += f"{args.corpus_megabytes:g} --megabytes {args.megabytes:g} --runs {args.runs}"
    console.print(f"Rerun: {command} --presses {args.presses}")


def measure(args: argparse.Namespace, root: Path, console: Console) -> tuple[list[Row], str]:
    """Generate the inputs, measure everything, return the table's rows and its caption."""
    started = time.perf_counter()
    big_dir, corpus_dir = root / "big", root / "corpus"
    big_size = 0 if args.search_only else write_document(big_dir / "dossier.txt", args.megabytes)
    if args.keep_corpus is not None:
        corpus_dir = args.keep_corpus
        corpus_size = kept_corpus(corpus_dir, args.files, args.corpus_megabytes)
    else:
        corpus_size = write_corpus(corpus_dir, args.files, args.corpus_megabytes)
    (root / "bare.py").write_text(BARE_APP, "utf-8")
    generated = time.perf_counter() - started
    console.print(
        f"Inputs generated in {generated:.1f} s: a document of {big_size / MB:.1f} MB, "
        f"{args.files:,} files of {corpus_size / MB:.1f} MB."
    )
    rows: list[Row] = []

    def section(title: str) -> None:
        rows.append(Row(title, None, unit="section"))

    # The command a user types, as pip installed it beside this Python, when it is there.
    installed = Path(sys.executable).with_name("glose")
    glose = [str(installed)] if installed.is_file() else [sys.executable, "-m", "tui"]
    compileall.compile_dir(SEEDS.parent / "tui", quiet=1)
    if args.search_only:
        rows += measure_search(args, root, corpus_dir, corpus_size, glose, console)
        return rows, f"corpus {args.files:,} files of {corpus_size / MB:.1f} MB (search only)"

    # Process start to first frame, with glose's bytecode compiled as Textual's is: pip
    # compiles an installed package, and any start after the first has it, except where
    # PYTHONDONTWRITEBYTECODE is set (then every start would compile glose afresh).
    compileall.compile_dir(SEEDS.parent / "tui", quiet=1)
    section("Process start to first frame (pseudo-terminal 120x36, fresh store)")
    console.print("First frames…")
    bare = first_frames(
        lambda _: [sys.executable, str(root / "bare.py")], BARE_LINE, root, args.runs, 60
    )
    assert bare is not None, "the bare Textual app showed nothing in 60 s"
    rows.append(Row("bare Textual app, one line", bare, bare, is_reference=True))
    for what, directory in (
        ("glose, the 5 seeds", SEEDS),
        (f"glose, one document of {big_size / MB:.0f} MB", big_dir),
        (f"glose, {args.files:,} files of {corpus_size / MB:.0f} MB", corpus_dir),
    ):
        seconds = first_frames(
            lambda store, directory=directory: [
                *glose,
                "--corpus",
                str(directory),
                "--store",
                str(store),
            ],
            first_text(directory),
            root,
            args.runs,
            args.timeout,
        )
        met = seconds is not None and seconds <= 1.5 * bare
        rows.append(Row(what, seconds, bare, "≤ 1.5x", met))

    # Keystrokes and memory.
    section("Keystroke to repaint in the big document (in process, headless; key → composed)")
    console.print("Keystrokes and memory…")
    reference = run_child(None, root, args.presses, args.timeout)
    big = run_child(big_dir, root, args.presses, args.timeout)
    seeds = run_child(SEEDS, root, 1, args.timeout)
    bare_key = statistics.median(t for times in reference["keys"].values() for t in times)
    rows.append(
        Row("bare Textual app, same keys (nothing bound)", bare_key, bare_key, is_reference=True)
    )
    for key in KEYS:
        times = big["keys"][key]
        if not times:
            rows.append(Row(f"key {key}", None, bare_key, "< 16 ms", False))
            continue
        key_median = statistics.median(times)
        worst = max(times)
        row = Row(f"key {key} (slowest {worst * 1000:,.1f} ms)", key_median, bare_key)
        row.target, row.met = "< 16 ms", key_median < 0.016
        rows.append(row)
    pilot_bare = statistics.median(reference["pilot"])
    rows.append(Row("Pilot press + pause j/k, bare app", pilot_bare, pilot_bare, is_reference=True))
    pilot_big = statistics.median(big["pilot"]) if big["pilot"] else None
    rows.append(Row("Pilot press + pause j/k, big document", pilot_big, pilot_bare))
    rows.append(Row("big document: until sentences are cut and shown", big.get("ready")))
    section("Peak memory (max RSS of a process that showed the document)")
    rows.append(Row("glose, the 5 seeds (Python, Textual, glose: the floor)", seeds["peak"]))
    rows[-1].unit = "B"
    grown = (big["peak"] - seeds["peak"]) / big_size
    what = f"glose, one document of {big_size / MB:.0f} MB ({grown:.1f}x its size over the floor)"
    peak = Row(what, big["peak"], big_size, "< 10x its size", big["peak"] < 10 * big_size)
    peak.unit = "B"
    rows.append(peak)

    # Search.
    rows += measure_search(args, root, corpus_dir, corpus_size, glose, console)
    facts = (
        f"{os.cpu_count()} CPUs ({platform.machine()}), Python {platform.python_version()}, "
        f"Textual {textual.__version__}; document {big_size / MB:.1f} MB, corpus "
        f"{args.files:,} files of {corpus_size / MB:.1f} MB; inputs generated in "
        f"{generated:.1f} s. Keys: key event to the screen's update composed (no terminal "
        "write); Pilot's press + pause adds its own idle sleeps (≥ 60 ms)."
    )
    return rows, facts


if __name__ == "__main__":
    main()
