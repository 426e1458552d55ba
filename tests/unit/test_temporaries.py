"""Temporaries a kill leaves (an export's, the search index's, the catalog's) are removed by the
next run, and only those: never one another glose may still be writing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import SEEDS
from tui.temporaries import SUFFIX, remove_stale_temporaries

PROJECT = Path(__file__).resolve().parents[2]

MINUTES = 60 * 10**9


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=20)
    return child.pid


def left(directory: Path, name: str, pid: int, untouched_ns: int) -> Path:
    """A temporary as a writer of `pid` leaves it, last written `untouched_ns` ago."""
    path = directory / f".{name}.{pid}.k3j9x0_a{SUFFIX}"
    path.write_bytes(b"{half a fi")
    when = time.time_ns() - untouched_ns
    os.utime(path, ns=(when, when))
    return path


def test_only_stale_temporaries_are_removed(tmp_path):
    gone = dead_pid()
    stale = left(tmp_path, "a.json", gone, 2 * MINUTES)
    recent = left(tmp_path, "b.json", gone, 0)  # its writer may be on another machine
    running = left(tmp_path, "c.json", os.getpid(), 2 * MINUTES)
    abandoned = left(tmp_path, "d.json", os.getpid(), 25 * 60 * MINUTES)  # its id reused since
    mine = tmp_path / ".notes.json.1234.tmp"  # not glose's
    mine.write_text("à garder")
    os.utime(mine, ns=(0, 0))
    pipe = tmp_path / f".e.json.{gone}.abcdefgh{SUFFIX}"
    os.mkfifo(pipe)
    os.utime(pipe, ns=(0, 0))
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted([stale.name, abandoned.name])
    assert not stale.exists() and not abandoned.exists()
    assert recent.exists() and running.exists() and mine.exists() and pipe.exists()


def test_a_folder_that_cannot_be_listed_is_no_error(tmp_path):
    assert remove_stale_temporaries(tmp_path / "nowhere") == []


KILLED_WHILE_RENAMING = """
import os, signal, sys
from pathlib import Path

os.replace = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
what, seeds, target = sys.argv[1:]
if what == "export":
    from tui.interchange.files import write_atomically

    write_atomically(Path(target), lambda out: out.write("{}"))
elif what == "index":
    from tui.corpus import Corpus
    from tui.corpus.search import SearchIndex

    SearchIndex.build(Corpus.open(seeds).documents, Path(target))
else:
    from tui.corpus import Corpus
    from tui.corpus.catalog import Catalog

    corpus = Corpus.open(seeds, Catalog.load(Path(target)))
    for document in corpus:
        document.count_passages()
        corpus.catalog.put(document.relpath, document.catalog_entry())
    corpus.catalog.save()
"""


def killed_while_renaming(what: str, target: Path, folder: Path) -> list[Path]:
    """Run a write of `what` into `folder` that is killed (SIGKILL) just before its rename;
    what it left there."""
    before = set(folder.iterdir())
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_RENAMING, what, str(SEEDS), str(target)],
        cwd=PROJECT,
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -9, killed.stderr.decode()
    leftovers = sorted(set(folder.iterdir()) - before)
    assert leftovers, "the kill left a temporary"
    for path in leftovers:
        when = time.time_ns() - 2 * MINUTES  # as if the next run came later
        os.utime(path, ns=(when, when))
    return leftovers


@pytest.mark.process
def test_an_export_killed_before_its_rename_leaves_nothing_after_the_next_export(tmp_path):
    from tui.interchange.files import write_atomically

    exports = tmp_path / "exports"
    exports.mkdir()
    leftovers = killed_while_renaming("export", exports / "annotations-1.json", exports)
    write_atomically(exports / "annotations-2.json", lambda out: out.write("{}"))
    assert not any(path.exists() for path in leftovers)
    assert sorted(path.name for path in exports.iterdir()) == ["annotations-2.json"]


@pytest.mark.process
def test_an_index_save_killed_before_its_rename_leaves_nothing_after_the_next_run(tmp_path):
    from tui.corpus import Corpus
    from tui.corpus.search import INDEX_FILE, SearchIndex

    store = tmp_path / "store"
    store.mkdir()
    leftovers = killed_while_renaming("index", store, store)
    index, refresh = SearchIndex.build(Corpus.open(SEEDS).documents, store)
    assert refresh.saved and index.search("alliance").total > 0
    assert not any(path.exists() for path in leftovers)
    assert sorted(path.name for path in store.iterdir()) == [INDEX_FILE]


@pytest.mark.process
def test_a_catalog_save_killed_before_its_rename_leaves_nothing_after_the_next_run(tmp_path):
    from tui.corpus.catalog import Catalog

    store = tmp_path / "store"
    store.mkdir()
    leftovers = killed_while_renaming("catalog", store, store)
    Catalog.load(store)
    assert not any(path.exists() for path in leftovers)
    assert list(store.iterdir()) == []
