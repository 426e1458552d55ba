"""The reader over a corpus folder holding a named pipe, a link to a device and links out of
it: it starts, says what it left out and why, and never waits. Run in a child process with a
timeout, since a regression would block the screen's own thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import SEEDS

PROJECT = Path(__file__).resolve().parents[2]

READER = """
import asyncio, json, sys
from pathlib import Path
from tests.helpers import recording
from tests.waiting import articles_read
from tui.app.app import GloseApp
from tui.app.widgets.article_list import ArticleList
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.store import Store


async def main() -> None:
    root, store_dir = Path(sys.argv[1]), Path(sys.argv[2])
    store = Store(store_dir)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), store)
    notified = recording(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await articles_read(app, pilot)
        listed = [d.relpath for d in app.screen.query_one(ArticleList).documents]
    store.close()
    print(json.dumps({"listed": listed, "notified": notified}))


asyncio.run(main())
"""


@pytest.mark.slow
def test_the_reader_lists_what_it_left_out_and_never_waits(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "ok.txt").write_bytes((SEEDS / "000_9ff77a90e9a0ba93.txt").read_bytes())
    os.mkfifo(root / "x.txt")
    os.symlink("/dev/zero", root / "zero.txt")
    (root / "y.txt").mkdir()
    (tmp_path / "secret.txt").write_text("Hors du corpus.", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "notes.txt")
    done = subprocess.run(
        [sys.executable, "-c", READER, str(root), str(tmp_path / "store")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.splitlines()[-1])
    assert shown["listed"] == ["ok.txt"]
    assert (
        "Left out 3 files: notes.txt (a link outside the corpus), "
        "x.txt (a named pipe (FIFO), not a file), zero.txt (a link outside the corpus)"
    ) in shown["notified"]
