"""How long `glose sync` takes for a team, against git's own time for the same exchange.

    python benchmarks/sync.py [--coders 20] [--copies 164] [--new 100] [--runs 3] [--dir DIR]

It makes a bare repository holding a corpus of `copies` copies of the five seeds (~61
passages a copy: 164 copies make about 10,000 passages), and one clone per coder. Every coder
tags every passage (about 10,000 annotations each) and syncs once, in turn. Then it times, as
whole `glose sync` processes:

- the first sync of a coder new to the project, bringing in everyone's annotations;
- an incremental sync sending `--new` new annotations, and the sync that brings them in on
  another machine (medians of `--runs`).

The reference is git's own time for the same exchange, run in the same clones: the commands a
sync runs (`add`, `commit`, `fetch`, `merge`, `push`) on a change of the same size to a file
of the same size, done by hand. Target: an incremental sync within 2 s plus git's own time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.corpus import Corpus
from tui.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TAGS = ("politique", "économie", "sécurité", "technique", "acteurs")
INCREMENTAL_TARGET = 2.0
"""Seconds an incremental sync may take on top of git's own time."""


def git(where: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=where, check=True, capture_output=True, timeout=600)


def glose() -> list[str]:
    """The command a user types, as pip installed it beside this Python, when it is there."""
    installed = Path(sys.executable).with_name("glose")
    return [str(installed)] if installed.is_file() else [sys.executable, "-m", "tui"]


class Team:
    """A bare repository holding the corpus, and a clone per coder with a store of its own."""

    def __init__(self, root: Path, copies: int) -> None:
        self.root = root
        self.bare = root / "team.git"
        git(root, "init", "--quiet", "--bare", str(self.bare))
        first = root / "first"
        git(root, "clone", "--quiet", str(self.bare), str(first))
        for copy in range(copies):
            folder = first / "corpus" / f"{copy:04d}"
            folder.mkdir(parents=True)
            for seed in sorted(SEEDS.glob("*.txt")):
                shutil.copy(seed, folder / seed.name)
        (first / ".gitignore").write_text("/stores/\n", encoding="utf-8")
        git(first, "add", ".")
        git(first, "commit", "--quiet", "-m", "The corpus")
        git(first, "push", "--quiet", "origin", "HEAD")

    def clone(self, name: str) -> Path:
        where = self.root / name
        git(self.root, "clone", "--quiet", str(self.bare), str(where))
        return where

    def store_of(self, name: str) -> Path:
        return self.root / "stores" / name

    def tag_everything(
        self, clone: Path, coder: str, shift: int, only: int | None = None, spare: int = 0
    ) -> int:
        """Tag every passage but the last `spare` (or only the first `only` untagged ones) in
        one action; how many were tagged."""
        corpus = Corpus.open(clone / "corpus")
        places = sum(len(document.passages) for document in corpus)
        if only is None:
            only = places - spare
        tagged = 0
        with Store(self.store_of(coder), annotator=coder) as store:
            mine = [a for a in store.annotations() if a.annotator == coder]
            present = {(a.document, a.start, a.end) for a in mine}
            with store.undoable("fixture"):  # one journal line: the fixture is not measured
                for number, document in enumerate(corpus):
                    for passage in document.passages:
                        if tagged >= only:
                            return tagged
                        if (document.id, passage.start, passage.end) in present:
                            continue
                        tag = TAGS[(number + passage.index + shift) % len(TAGS)]
                        store.add_tag(document, passage, tag)
                        tagged += 1
        return tagged

    def count(self, coder: str, whose: str) -> int:
        """How many of `whose` annotations `coder`'s store holds."""
        with Store(self.store_of(coder), annotator=coder, readonly=True) as store:
            return sum(a.annotator == whose for a in store.annotations())

    def sync(self, clone: Path, coder: str) -> float:
        """`glose sync` as a whole process, in seconds."""
        command = [
            *glose(),
            "--corpus",
            str(clone / "corpus"),
            "--store",
            str(self.store_of(coder)),
        ]
        command += ["--annotator", coder, "sync"]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"glose sync failed: {done.stderr.strip()}")
        return elapsed


def git_alone(team: Team, lines: int, changed: int, runs: int) -> float:
    """git's own time for one exchange: a file of `lines` lines changed by `changed` lines,
    added, committed, fetched, merged and pushed from one clone, then fetched and merged in
    another (what an incremental sync and the one that brings it in ask of git)."""
    sender, receiver = team.clone("git-sender"), team.clone("git-receiver")
    path = sender / "git-reference.jsonl"
    body = [f'{{"uuid": "{number:08d}", "text": "{"x" * 600}"}}' for number in range(lines)]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    git(sender, "add", path.name)
    git(sender, "commit", "--quiet", "-m", "reference")
    git(sender, "push", "--quiet", "origin", "HEAD")
    git(receiver, "pull", "--quiet", "--no-rebase")
    times = []
    for run in range(runs):
        body += [f'{{"uuid": "new-{run}-{n:05d}", "text": "{"y" * 600}"}}' for n in range(changed)]
        path.write_text("\n".join(sorted(body)) + "\n", encoding="utf-8")
        started = time.perf_counter()
        git(sender, "add", path.name)
        git(sender, "commit", "--quiet", "-m", "reference change")
        git(sender, "fetch", "--quiet", "origin")
        git(sender, "merge", "--quiet", "--no-edit", "FETCH_HEAD")
        git(sender, "push", "--quiet", "origin", "HEAD")
        git(receiver, "fetch", "--quiet", "origin")
        git(receiver, "merge", "--quiet", "--no-edit", "FETCH_HEAD")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coders", type=int, default=20)
    parser.add_argument("--copies", type=int, default=164, help="copies of the five seeds")
    parser.add_argument("--new", type=int, default=100, help="annotations of an incremental sync")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    console = Console()
    root = Path(tempfile.mkdtemp(dir=args.dir, prefix="glose-sync-"))
    # Git as on a fresh machine: a name to commit with, nothing else of the user's.
    config = root / "gitconfig"
    config.write_text("[user]\n\tname = Bench\n\temail = bench@example.org\n", encoding="utf-8")
    os.environ.update(GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1")
    try:
        started = time.perf_counter()
        team = Team(root, args.copies)
        coders = [f"coder{number:02d}" for number in range(args.coders)]
        clones = {coder: team.clone(coder) for coder in coders}
        per_coder = per_sender = 0
        for shift, coder in enumerate(coders[:-1]):
            # The first coder keeps passages untagged for the incremental syncs.
            spare = args.new * args.runs if shift == 0 else 0
            per_coder = team.tag_everything(clones[coder], coder, shift, spare=spare)
            per_sender = per_sender or per_coder
        console.print(
            f"{args.coders - 1} coders tagged {per_coder:,} passages each "
            f"in {time.perf_counter() - started:.0f} s; each syncs once…"
        )
        first_out = [team.sync(clones[coder], coder) for coder in coders[:-1]]
        newcomer = coders[-1]
        first_in = team.sync(clones[newcomer], newcomer)
        sender = coders[0]
        sends, receives = [], []
        for _ in range(args.runs):
            added = team.tag_everything(clones[sender], sender, 0, only=args.new)
            assert added == args.new, f"{added} passages were left to tag"
            sends.append(team.sync(clones[sender], sender))
            receives.append(team.sync(clones[newcomer], newcomer))
        arrived = team.count(newcomer, sender)
        assert arrived == per_sender + args.new * args.runs, f"{arrived} of the sender's came"
        reference = git_alone(team, per_coder, args.new, args.runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    send, receive = statistics.median(sends), statistics.median(receives)
    table = Table(
        title=f"glose sync, {args.coders} coders x {per_coder:,} annotations "
        f"(whole processes; incremental: median of {args.runs})"
    )
    for column, justify in (("What", "left"), ("Seconds", "right"), ("Target", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]

    def verdict(seconds: float) -> str:
        limit = INCREMENTAL_TARGET + reference
        met = "[green]met[/]" if seconds <= limit else "[bold red]MISSED[/]"
        return f"<= {INCREMENTAL_TARGET:.0f} s + git's own = {limit:.2f} s {met}"

    table.add_row("git's own time for the same exchange (reference)", f"{reference:.2f}", "")
    table.add_row(
        f"first sync of a coder, {per_coder:,} of their own out (median of {len(first_out)})",
        f"{statistics.median(first_out):.2f}",
        "",
    )
    table.add_row(
        f"first sync of a newcomer, {per_coder * (args.coders - 1):,} in",
        f"{first_in:.2f}",
        "",
    )
    table.add_row(f"incremental sync, {args.new} new out", f"{send:.2f}", verdict(send))
    table.add_row(f"incremental sync, {args.new} new in", f"{receive:.2f}", verdict(receive))
    console.print(table)
    console.print(
        f"Rerun: python benchmarks/sync.py --coders {args.coders} --copies {args.copies} "
        f"--new {args.new} --runs {args.runs}"
    )


if __name__ == "__main__":
    main()
