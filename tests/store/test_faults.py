"""Write failures: the action is refused with a reason, nothing of it is applied or kept."""

from __future__ import annotations

import errno
import json
import os

import pytest

from tests.helpers import journal_fd, text_document
from tui.store import Store, StoreUnwritable, StoreWriteError
from tui.temporaries import SUFFIX

DOCUMENT = text_document("doc", "Un.\n\nDeux.\n\nTrois.")


@pytest.fixture
def store(store_dir):
    opened = Store(store_dir)
    opened.create_tag("a")
    opened.toggle_tag(DOCUMENT, DOCUMENT.passages[0], "a")
    yield opened
    opened.close()


def fail_journal(monkeypatch, store, call: str, code: int, *, half: bool = False) -> None:
    """Make `os.<call>` fail with `code` on the store's journal only."""
    real = getattr(os, call)
    journal = journal_fd(store)

    def failing(fd, *args):
        if fd != journal:
            return real(fd, *args)
        if half:
            real(fd, args[0][: len(args[0]) // 2])  # part of the line reaches the disk
            return len(args[0]) // 2
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, call, failing)


def assert_unchanged(store, store_dir) -> None:
    assert [(a.passage, a.tags, a.highlighted) for a in store.annotations()] == [(0, ["a"], False)]
    assert store.tag_counts() == {"a": 1}
    with Store(store_dir, readonly=True) as reader:
        assert [(a.passage, a.tags) for a in reader.annotations()] == [(0, ["a"])]
    raw = (store_dir / "glose.journal").read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 3  # the empty action that begins it


@pytest.mark.parametrize(
    ("call", "code", "half", "reason"),
    [
        ("write", errno.ENOSPC, False, "the disk is full"),
        ("write", errno.ENOSPC, True, "the disk is full"),
        ("write", errno.EROFS, False, "the file system is read-only"),
        ("write", errno.EACCES, False, "permission denied"),
        ("fsync", errno.EIO, False, "an input/output error"),
    ],
)
def test_a_failed_write_is_refused_and_leaves_the_store_as_it_was(
    monkeypatch, store, store_dir, call, code, half, reason
):
    fail_journal(monkeypatch, store, call, code, half=half)
    with pytest.raises(
        StoreWriteError, match=rf"Not saved: cannot write .*glose.journal: {reason}"
    ):
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    with pytest.raises(StoreWriteError):
        store.toggle_tag(DOCUMENT, DOCUMENT.passages[0], "a")
    with pytest.raises(StoreWriteError):
        store.create_tag("b")
    with pytest.raises(StoreWriteError):
        store.set_state("last", "doc")
    monkeypatch.undo()
    assert store.find_tag("b") is None
    assert store.get_state("last") is None
    assert_unchanged(store, store_dir)
    # Once the disk is back, the same store keeps working.
    assert store.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 2


def test_a_failed_snapshot_on_close_loses_nothing(monkeypatch, store_dir):
    store = Store(store_dir, compact_after=1)
    for passage in DOCUMENT.passages:
        store.toggle_highlight(DOCUMENT, passage)

    real_open = os.open

    def no_space(path, flags, *args):
        if str(path).endswith(SUFFIX):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_space)
    store.close()  # compaction fails quietly: the journal still holds every action
    monkeypatch.undo()
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 3
        assert reader.health().journal.snapshot_seq == 0, "the snapshot was not written"
    assert not [p for p in store_dir.iterdir() if p.name.endswith(SUFFIX)]


def test_a_store_on_a_read_only_file_system_is_a_clear_error(monkeypatch, store_dir):
    Store(store_dir).close()
    real_open = os.open

    def read_only(path, flags, *args):
        if str(path).endswith("glose.journal") and flags & os.O_WRONLY:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(StoreUnwritable, match=r"glose.journal: the file system is read-only"):
        Store(store_dir)
    with Store(store_dir, readonly=True) as reader:
        assert reader.annotations() == []
    monkeypatch.undo()
    # The refused writer released its lock.
    Store(store_dir).close()


def test_after_a_failed_repair_every_write_says_why_not_read_only(monkeypatch, store, store_dir):
    real_ftruncate = os.ftruncate
    fail_journal(monkeypatch, store, "write", errno.EIO, half=True)
    journal = journal_fd(store)

    def no_truncate(fd, length):
        if fd == journal:
            raise OSError(errno.EIO, "Input/output error")
        return real_ftruncate(fd, length)

    monkeypatch.setattr(os, "ftruncate", no_truncate)
    with pytest.raises(StoreWriteError, match="the disk is full"):
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    monkeypatch.undo()
    with pytest.raises(StoreWriteError, match=r"could not be repaired.*restart glose"):
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    store.close()
    # The torn half line is dropped when the store is next opened.
    with Store(store_dir, readonly=True) as reader:
        assert [(a.passage, a.tags) for a in reader.annotations()] == [(0, ["a"])]


def test_tagging_with_a_new_tag_is_one_action(monkeypatch, store, store_dir):
    fail_journal(monkeypatch, store, "write", errno.ENOSPC)
    with pytest.raises(StoreWriteError):
        store.tag_passage(DOCUMENT, DOCUMENT.passages[2], "nouveau")
    monkeypatch.undo()
    assert store.find_tag("nouveau") is None
    assert store.tag_counts() == {"a": 1}
    tag, added = store.tag_passage(DOCUMENT, DOCUMENT.passages[2], "nouveau")
    assert added and tag.key == 2
    assert len(journal_lines_of(store_dir)) == 4


def journal_lines_of(store_dir) -> list[bytes]:
    return (store_dir / "glose.journal").read_bytes().splitlines()


def break_journal(monkeypatch, store_dir, *calls: str) -> None:
    """Fault injection: `os.<call>` fails with EIO on any descriptor of the store's journal
    (the file as it is on disk now), as a failing disk does."""
    journal = os.stat(store_dir / "glose.journal")
    for call in calls:
        real = getattr(os, call)

        def failing(fd, *args, real=real):
            if os.path.samestat(os.fstat(fd), journal):
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            return real(fd, *args)

        monkeypatch.setattr(os, call, failing)


def test_an_action_refused_when_fsync_and_ftruncate_fail_never_comes_back(
    monkeypatch, store, store_dir
):
    """The line was written but not made durable, nor taken back: it may reach the disk yet,
    and a write reported as failed must never be replayed."""
    break_journal(monkeypatch, store_dir, "fsync", "ftruncate")
    with pytest.raises(
        StoreWriteError,
        match=r"an input/output error, and the journal could not be repaired; "
        r"nothing more is saved in this session: restart glose\.$",
    ):
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    with pytest.raises(StoreWriteError, match="restart glose"):
        store.create_tag("b")
    monkeypatch.undo()
    store.close()
    assert [(a.passage, a.tags, a.highlighted) for a in store.annotations()] == [(0, ["a"], False)]
    with Store(store_dir, readonly=True) as reader:
        assert [(a.passage, a.tags, a.highlighted) for a in reader.annotations()] == [
            (0, ["a"], False)
        ]
    # The action's number is taken by an empty one: the next writer follows on from it.
    assert json.loads(journal_lines_of(store_dir)[-1]) == {"seq": 3, "ops": []}
    with Store(store_dir) as writer:
        writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    with Store(store_dir, readonly=True) as reader:
        assert [(a.passage, a.highlighted) for a in reader.annotations()] == [(0, False), (2, True)]


def test_when_even_the_blanking_fails_every_later_write_is_refused(monkeypatch, store, store_dir):
    break_journal(monkeypatch, store_dir, "fsync", "ftruncate", "pwrite")
    with pytest.raises(StoreWriteError, match=r"may reappear when the store is reopened"):
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    monkeypatch.undo()
    for change in (
        lambda: store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2]),
        lambda: store.set_state("last", "doc"),
    ):
        with pytest.raises(StoreWriteError, match=r"could not be repaired.*restart glose\.$"):
            change()
    assert store.get_state("last") is None
    store.close()


def test_an_opening_that_fails_late_leaves_no_file_open(monkeypatch, store_dir):
    # A disk that fills while a writer opens (its journal open, its snapshot refused): each
    # failed start must give back what it opened, or a long session runs out of descriptors.
    from tui.store import journal as journal_module

    Store(store_dir).close()
    real = journal_module.JournalStorage.open_for_writing

    def opened_then_full(storage):
        real(storage)
        raise journal_module.StoreWriteFailed("no space left on device")

    monkeypatch.setattr(journal_module.JournalStorage, "open_for_writing", opened_then_full)
    before = sorted(os.listdir("/proc/self/fd"))
    for _ in range(3):
        with pytest.raises(StoreUnwritable):
            Store(store_dir)
    assert sorted(os.listdir("/proc/self/fd")) == before
    monkeypatch.undo()
    with Store(store_dir) as again:  # the lock was given back too
        assert again.tags() == []
