"""`glose sync` as a user runs it: its report, its one-sentence errors, and a sync killed at
random points then run again."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import glose
from tests.teams import Team, git, git_identity
from tui.store import Store


@pytest.fixture
def team(tmp_path, monkeypatch) -> Team:
    git_identity(monkeypatch, tmp_path)
    return Team(tmp_path)


def sync_args(machine) -> list[str]:
    return [
        "--corpus",
        str(machine.corpus_dir),
        "--store",
        str(machine.store_dir),
        "sync",
        "--annotator",
        machine.annotator,
    ]


def test_sync_prints_what_came_in_and_who_changed_the_codebook(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    bob.tag(1, "climat")
    bob.tag(2, "climat")
    assert glose(*sync_args(bob), cwd=team.folder, timeout=30).returncode == 0
    done = glose(*sync_args(alice), cwd=team.folder, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Synced: 2 new annotations from 2 coders.",
        'bob created "climat"',
    ]


def test_outside_a_repository_sync_says_so_in_one_sentence(tmp_path, monkeypatch) -> None:
    git_identity(monkeypatch, tmp_path)
    (tmp_path / "corpus").mkdir()
    done = glose("--corpus", "corpus", "--store", "store", "sync", cwd=tmp_path, timeout=30)
    assert done.returncode == 2
    assert done.stderr.startswith("glose: ")
    assert "is not in a git repository" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_store_in_use_by_a_reader_is_not_synced(team) -> None:
    alice = team.machine("a", "alice")
    with Store(alice.store_dir, annotator="alice"):  # the reader holds the store
        done = glose(*sync_args(alice), cwd=team.folder, timeout=30)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert not (alice.root / ".glose").exists()


@pytest.mark.slow
def test_a_sync_killed_at_random_points_loses_and_doubles_nothing(team) -> None:
    home, office = team.machine("home", "alice"), team.machine("office", "alice")
    bob = team.machine("b", "bob")
    chance = random.Random(21)
    made: set[tuple[str, int]] = set()
    # alice codes "un" at home and "deux" at the office: one annotation changed on both
    # machines between two syncs keeps only its later change, by design.
    rounds = [(home, "un", 1), (office, "deux", 1), (bob, "un", 1), (home, "un", 2)]
    rounds += [(office, "deux", 2), (bob, "deux", 1), (home, "un", 1), (office, "deux", 1)]
    took, killed = 0.0, 0
    for round, (machine, name, index) in enumerate(rounds):
        machine.tag(index, f"code{round}", name)
        made.add((machine.annotator, round))
        begun = time.monotonic()
        started = subprocess.Popen(
            [sys.executable, "-m", "tui", *sync_args(machine)],
            cwd=team.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # git's processes die with it, as on a crash
        )
        try:
            # The first runs whole, to learn how long a sync takes; the others are killed
            # anywhere from the start of their git commands to their end.
            started.wait(timeout=60 if not took else chance.uniform(0.4 * took, took))
            took = took or time.monotonic() - begun
        except subprocess.TimeoutExpired:
            os.killpg(started.pid, signal.SIGKILL)
            started.wait(timeout=10)
            killed += 1
    assert killed >= len(rounds) // 2  # most were killed: the test tests something
    for machine in (home, office, bob, home, office):
        machine.sync()
    contents = [machine.content() for machine in (home, office, bob)]
    assert contents[0] == contents[1] == contents[2]
    found = sorted((row[0], int(tag.removeprefix("code"))) for row in contents[0] for tag in row[6])
    assert found == sorted(made)  # each once: nothing lost, nothing doubled
    assert not (home.root / ".git" / "MERGE_HEAD").exists()
    assert git(home.root, "status", "--porcelain", "--", ".glose") == ""
