"""Temporaries a kill leaves (an export's, the search index's, the catalog's, the store's) are
removed by the next run, and only those: never one another glose may still be writing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import SEEDS
from tui.temporaries import (
    SUFFIX,
    process_running,
    remove_stale_temporaries,
    stale_temporaries,
    temporary_beside,
)

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


def test_under_a_lock_a_gone_writer_s_temporaries_are_stale_at_once(tmp_path):
    gone = dead_pid()
    fresh_of_gone = left(tmp_path, "glose.json", gone, 0)
    mine = left(tmp_path, "glose.journal", os.getpid(), 0)  # an earlier process of this id
    running = left(tmp_path, "glose.json", os.getppid(), 2 * MINUTES)
    abandoned = left(tmp_path, "glose.json", os.getppid(), 25 * 60 * MINUTES)
    not_asked = left(tmp_path, "glose.search", gone, 0)  # written by no lock's holder
    locked = stale_temporaries(tmp_path, of={"glose.json", "glose.journal"}, locked=True)
    assert locked == sorted([fresh_of_gone, mine, abandoned])
    assert stale_temporaries(tmp_path) == [abandoned]  # without the lock, the minute is waited
    assert all(path.exists() for path in [fresh_of_gone, mine, running, abandoned, not_asked])


def test_names_earlier_versions_gave_their_temporaries_are_recognised_when_asked(tmp_path):
    gone = dead_pid()
    former = re.compile(r"^\.old-(?:(?P<pid>[0-9]+)-)?")
    of_gone, unnamed = tmp_path / f".old-{gone}-x1", tmp_path / ".old-x1"
    of_running = tmp_path / f".old-{os.getppid()}-x1"
    for path in (of_gone, unnamed, of_running):
        path.write_text("{")
    assert stale_temporaries(tmp_path, locked=True) == []
    assert stale_temporaries(tmp_path, locked=True, former=former) == sorted([unnamed, of_gone])


@given(
    st.text(st.characters(exclude_characters="/\0", exclude_categories=["Cs"]), max_size=40).map(
        lambda name: f"n{name}"
    )
)
def test_a_temporary_is_told_by_the_name_of_the_file_it_replaces(name):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        handle, temporary = temporary_beside(target)
        os.close(handle)
        assert Path(temporary).parent == target.parent
        assert Path(temporary).name.endswith(SUFFIX)
        assert stale_temporaries(target.parent, of={name}, locked=True) == [Path(temporary)]
        assert stale_temporaries(target.parent, of={f"{name}x"}, locked=True) == []


def test_whether_a_process_runs():
    assert process_running(os.getpid()) and process_running(os.getppid())
    assert not process_running(dead_pid())
    for not_one in (0, -1, 2**64):  # groups of processes, past any process id
        assert not process_running(not_one)


KILLED_WHILE_RENAMING = """
import os, signal, sys
from pathlib import Path

os.replace = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
what, seeds, target = sys.argv[1:]
if what == "export":
    from tui.interchange.files import write_atomically

    write_atomically(Path(target), lambda out: out.write("{}"))
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
def test_a_catalog_save_killed_before_its_rename_leaves_nothing_after_the_next_run(tmp_path):
    from tui.corpus.catalog import Catalog

    store = tmp_path / "store"
    store.mkdir()
    leftovers = killed_while_renaming("catalog", store, store)
    Catalog.load(store)
    assert not any(path.exists() for path in leftovers)
    assert list(store.iterdir()) == []


KILLED_WHILE_RENAMING_IN_THE_STORE = """
import os, signal, sys
from pathlib import Path

from tui.store import Store

store, name = Path(sys.argv[1]), sys.argv[2]
real_replace = os.replace


def replace(source, target):
    if Path(target).name == name:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(source, target)


os.replace = replace
Store(store, compact_after=-1).close()  # a threshold below nothing: it compacts at opening
"""


@pytest.mark.process
@pytest.mark.parametrize("name", ["glose.holder", "glose.json", "glose.journal"])
def test_a_store_write_killed_before_its_rename_is_cleaned_by_the_next_writer_at_once(
    tmp_path, name
):
    from tui.store import Store

    store = tmp_path / "store"
    Store(store).close()
    before = set(store.iterdir())
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_RENAMING_IN_THE_STORE, str(store), name],
        cwd=PROJECT,
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -9, killed.stderr.decode()
    leftovers = sorted(path for path in set(store.iterdir()) - before if path.name.startswith("."))
    assert [path.name.split(".")[:3] for path in leftovers] == [["", *name.split(".")]]
    assert leftovers[0].name.endswith(SUFFIX)
    with Store(store, readonly=True) as reader:
        counted = reader.health().journal.leftovers
    assert counted == (0 if name == "glose.holder" else 1)  # the holder's are the lock's
    assert all(path.exists() for path in leftovers), "a reader removes nothing"
    Store(store).close()  # at once: a writer holds the lock, no other can be writing them
    assert not any(path.exists() for path in leftovers)
