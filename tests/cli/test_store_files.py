"""A store's files replaced by what is not a file, or by a snapshot and a journal that do not
belong together: every command says so in one sentence naming the file, and never hangs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import glose
from tui.temporaries import SUFFIX

PROJECT = Path(__file__).resolve().parents[2]
STORE_FILES = ["glose.json", "glose.journal", "glose.lock", "glose.holder"]
KINDS = {
    "fifo": ("a named pipe (FIFO)", os.mkfifo),
    "folder": ("a folder", Path.mkdir),
    "link to /dev/zero": (None, lambda path: path.symlink_to("/dev/zero")),
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """glose in its own process, given far less time than it would hang for."""
    return glose(*args, cwd=cwd, timeout=20)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A store with annotations, a holder record as a live writer leaves it, to copy."""
    store = tmp_path_factory.mktemp("made") / "store"
    tagged = run(
        "tag",
        "--tag",
        "x",
        "--match",
        "IBM",
        "--store",
        str(store),
        "--corpus",
        str(PROJECT / "seeds"),
        cwd=PROJECT,
    )
    assert tagged.returncode == 0, tagged.stderr
    (store / "glose.holder").write_text(json.dumps({"pid": 1, "host": "h", "since": "s"}))
    return store


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("name", STORE_FILES)
def test_a_store_file_that_is_not_a_file_is_named_by_every_command(
    made, tmp_path, seeds, name, kind
):
    store = tmp_path / "store"
    shutil.copytree(made, store)
    path = store / name
    path.unlink()
    said, make = KINDS[kind]
    make(path)
    where = ("--corpus", str(seeds), "--store", str(store))
    for command in (["check"], ["tag", "--tag", "y", "--match", "IBM"], ["export"]):
        result = run(*command, *where, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert result.stdout == ""
        message = result.stderr.strip()
        assert message.startswith(f"glose: {path} is "), (command, message)
        # glose makes the lock and its holder itself: a link there is refused as it is.
        made_by_glose = name in ("glose.lock", "glose.holder")
        expected = said or ("a symbolic link" if made_by_glose else "a device")
        assert f"is {expected}, not a file" in message
        assert "\n" not in message and "Traceback" not in message


def test_check_refuses_a_snapshot_ahead_of_its_journal(made, tmp_path, seeds):
    store = tmp_path / "store"
    shutil.copytree(made, store)
    snapshot = json.loads((store / "glose.json").read_text())
    snapshot["_snapshot"]["1"]["seq"] = 732
    (store / "glose.json").write_text(json.dumps(snapshot))
    check = run("check", "--corpus", str(seeds), "--store", str(store), cwd=tmp_path)
    assert check.returncode == 2
    assert check.stdout == ""
    assert re.match(
        rf"glose: {store / 'glose.journal'} ends at action \d+ but .* up to 732", check.stderr
    )


def test_check_counts_the_temporaries_a_killed_writer_left_not_a_live_one_s(made, tmp_path, seeds):
    store = tmp_path / "store"
    shutil.copytree(made, store)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        timeout=20,
    ).stdout.strip()
    left = [store / f".glose.json.{gone}.x1y2{SUFFIX}", store / f".glose-snapshot-{gone}-x1y2"]
    live = store / f".glose.journal.{os.getpid()}.x1y2{SUFFIX}"
    for path in [*left, live]:
        path.write_text("{")
    check = run("check", "--corpus", str(seeds), "--store", str(store), cwd=tmp_path)
    assert "2 temporary files left by an interrupted write" in check.stdout, check.stdout
    assert all(path.exists() for path in [*left, live]), "check removes nothing"
