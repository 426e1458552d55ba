"""kill -9 at random moments: after every kill the store opens and holds every reported write.

CI runs CRASH_KILLS kills (default 60); `GLOSE_CRASH_KILLS=1000 pytest tests/store/test_crash.py`
is the longer local run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.store.writer import DOCUMENT, PASSAGES
from tui.store import ALL, Store

pytestmark = pytest.mark.process  # each test starts processes of its own

PROJECT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("GLOSE_CRASH_KILLS", "60"))


def reported_writes(output: bytes) -> list[str]:
    """The tags the writer said were durable; a line cut by the kill is not a report."""
    lines = output.decode("utf-8").split("\n")[:-1]  # the last piece has no newline yet
    return [line.removeprefix("done ") for line in lines if line.startswith("done ")]


@pytest.mark.slow
def test_every_reported_write_survives_sigkill(tmp_path):
    store_dir = tmp_path / "store"
    rng = random.Random(20231205)
    confirmed: set[str] = set()
    killed_mid_run = 0
    for run in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.store.writer", str(store_dir), f"r{run}"],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Wait for the store to be open (the app's own report), then kill at a random moment:
        # mid-append, mid-fsync, mid-snapshot or mid-open.
        assert writer.stdout is not None
        first = writer.stdout.readline()
        assert first == b"open\n", writer.stderr.read() if writer.stderr else first
        time.sleep(rng.uniform(0, 0.08))
        writer.send_signal(signal.SIGKILL)
        # Read through the same buffered pipe as readline() did (communicate() would skip it).
        output = writer.stdout.read()
        errors = writer.stderr.read() if writer.stderr else b""
        writer.wait()
        assert writer.returncode == -signal.SIGKILL, errors.decode()
        reported = reported_writes(output)
        killed_mid_run += bool(reported)

        with Store(store_dir, readonly=True) as store:
            present = {tag for annotation in store.annotations() for tag in annotation.tags}
        missing = (confirmed | set(reported)) - present
        assert not missing, f"run {run}: reported writes lost: {sorted(missing)[:5]}"
        # At most one write beyond the reports: the next one, durable just before the kill.
        unreported = {tag for tag in present if tag.startswith(f"r{run}-")} - set(reported)
        assert unreported <= {f"r{run}-{len(reported)}"}, unreported
        confirmed |= set(reported)
        confirmed |= unreported

    assert killed_mid_run > KILLS // 2, "most kills should land while writes are under way"
    # The store still works as a writer after all that.
    with Store(store_dir) as store:
        store.add_tag(DOCUMENT, DOCUMENT.passages[PASSAGES - 1], "after")
    with Store(store_dir, readonly=True) as store:
        assert "after" in store.tag_counts()


def seed_large_store(store_dir: Path, count: int) -> None:
    """A store of `count` annotations written as one snapshot, as a long project leaves it."""
    Store(store_dir).close()
    path = store_dir / "glose.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["passages"] = {
        str(index + 1): {
            "document": "big",
            "sha256": "0" * 64,
            "passage": index,
            "start": index,
            "end": index + 1,
            "quote": "x",
            "tags": ["ancien"],
            "highlighted": False,
            "created": "",
            "updated": "",
        }
        for index in range(count)
    }
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.slow
def test_kills_while_a_large_snapshot_is_written_lose_nothing(tmp_path):
    """Each writer run opens a store of 20,000 annotations and compacts it: kills land there."""
    store_dir = tmp_path / "store"
    seed_large_store(store_dir, 20_000)
    rng = random.Random(7)
    confirmed: set[str] = set()
    runs = max(KILLS // 5, 10)
    for run in range(runs):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.store.writer", str(store_dir), f"big{run}"],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.05, 0.6))  # from process start: open, compaction, writes
        writer.send_signal(signal.SIGKILL)
        assert writer.stdout is not None and writer.stderr is not None
        output, errors = writer.stdout.read(), writer.stderr.read()
        writer.wait()
        assert writer.returncode in (-signal.SIGKILL, None), errors.decode()
        reported = reported_writes(output)
        with Store(store_dir, readonly=True) as store:
            counts = store.tag_counts(ALL)
        assert counts["ancien"] == 20_000, f"run {run}: older annotations lost"
        missing = {tag for tag in confirmed | set(reported) if counts[tag] != 1}
        assert not missing, f"run {run}: reported writes lost: {sorted(missing)[:5]}"
        confirmed |= set(reported)
