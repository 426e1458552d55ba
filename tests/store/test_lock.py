"""One writer per store: a second one is refused or reads only; readers see whole actions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.holder import DOCUMENT
from tui.store import Store, StoreLocked

pytestmark = pytest.mark.process  # each test starts processes of its own

PROJECT = Path(__file__).resolve().parents[2]


class Holder:
    """The other process, holding the store for writing."""

    def __init__(self, store_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.store.holder", str(store_dir)],
            cwd=PROJECT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.readline() == "ready"

    def readline(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def highlight(self, index: int) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"highlight {index}\n")
        self.process.stdin.flush()
        assert self.readline() == f"done {index}"

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("close\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)


@pytest.fixture
def holder(store_dir):
    held = Holder(store_dir)
    yield held
    held.close()


def glose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_second_writer_is_refused_and_told_who_holds_the_store(holder, store_dir):
    with pytest.raises(
        StoreLocked, match=rf"another glose is writing .*process {holder.process.pid}"
    ):
        Store(store_dir)
    assert json.loads((store_dir / "glose.holder").read_text())["pid"] == holder.process.pid


def test_readers_work_beside_the_writer_and_see_whole_actions(holder, store_dir):
    holder.highlight(3)
    with Store(store_dir, readonly=True) as reader:
        assert [a.passage for a in reader.annotations()] == [3]
        assert reader.health().holder.pid == holder.process.pid
    holder.highlight(5)
    with Store(store_dir, readonly=True) as reader:
        assert [a.passage for a in reader.annotations()] == [3, 5]


def test_command_line_writer_refuses_readers_work(holder, store_dir, seeds):
    holder.highlight(1)
    tag = glose(
        "tag", "--tag", "x", "--match", "IBM", "--corpus", str(seeds), "--store", str(store_dir)
    )
    assert tag.returncode == 2
    assert tag.stderr.strip() == (
        f"glose: another glose is writing to {store_dir} "
        f"(process {holder.process.pid} on {os.uname().nodename}, since "
        + json.loads((store_dir / "glose.holder").read_text())["since"]
        + ")"
    )
    assert tag.stdout == ""
    export = glose("export", "--corpus", str(seeds), "--store", str(store_dir))
    assert export.returncode == 0, export.stderr
    check = glose("check", "--corpus", str(seeds), "--store", str(store_dir))
    assert f"lock      held by process {holder.process.pid}" in check.stdout
    # The refused writer changed nothing.
    with Store(store_dir, readonly=True) as reader:
        assert reader.tags() == []


def test_a_killed_writer_releases_the_lock(store_dir):
    held = Holder(store_dir)
    held.highlight(2)
    held.process.send_signal(signal.SIGKILL)
    held.process.wait(timeout=30)
    with Store(store_dir) as store:
        assert [a.passage for a in store.annotations()] == [2]
        assert store.toggle_highlight(DOCUMENT, DOCUMENT.passages[4])
    with Store(store_dir, readonly=True) as reader:
        assert reader.health().holder is None
