"""A store changed from outside while a writer runs: the journal replaced or removed (sync
tools, restores, editors), the lock deleted. The writer notices before its next write and
stops for the session; no second writer gets in beside it; nothing is lost unseen."""

from __future__ import annotations

import os

import pytest

from tests.helpers import text_document
from tui.store import Store, StoreError, StoreLocked, StoreWriteError

DOCUMENT = text_document("doc", "Un.\n\nDeux.\n\nTrois.\n\nQuatre.")


def passages(store_dir) -> list[int]:
    with Store(store_dir, readonly=True) as reader:
        return [a.passage for a in reader.annotations()]


@pytest.mark.parametrize("change", ["replaced", "removed"])
def test_a_journal_replaced_under_a_writer_stops_it_for_the_session(store_dir, tmp_path, change):
    writer = Store(store_dir)
    writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    journal = store_dir / "glose.journal"
    if change == "replaced":  # `mv new glose.journal`: the same bytes, another inode
        copy = tmp_path / "copy"
        copy.write_bytes(journal.read_bytes())
        os.replace(copy, journal)
    else:
        journal.unlink()
    refused = (
        rf"^Not saved: {journal} was replaced or removed by another program, so nothing more "
        r"is saved in this session: restart glose\.$"
    )
    with pytest.raises(StoreWriteError, match=refused):
        writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    for later in (
        lambda: writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[2]),
        lambda: writer.create_tag("b"),
        lambda: writer.set_state("last", "doc"),
    ):
        with pytest.raises(StoreWriteError, match=refused):
            later()
    assert [a.passage for a in writer.annotations()] == [0], "nothing unsaved is shown"
    writer.close()
    if change == "replaced":
        assert passages(store_dir) == [0]
        with Store(store_dir) as next_writer:  # the new file is the journal from now on
            next_writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[3])
        assert passages(store_dir) == [0, 3]


def test_a_lock_deleted_under_a_writer_lets_no_second_writer_in(store_dir):
    first = Store(store_dir)
    first.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    (store_dir / "glose.lock").unlink()
    # The holder record still names a live writer, of another lock file.
    with pytest.raises(
        StoreLocked, match=rf"process {os.getpid()} .*though glose.lock was removed meanwhile"
    ):
        Store(store_dir)
    with pytest.raises(
        StoreWriteError,
        match=rf"^Not saved: {store_dir / 'glose.lock'} was removed or replaced by another "
        r"program \(another glose may be writing too\), so nothing more is saved",
    ):
        first.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    first.close()
    with Store(store_dir) as after:
        after.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    assert passages(store_dir) == [0, 2]


def test_with_lock_and_holder_deleted_the_first_writer_stops_and_the_store_stays_whole(
    store_dir,
):
    first = Store(store_dir)
    first.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    (store_dir / "glose.lock").unlink()
    (store_dir / "glose.holder").unlink()
    second = Store(store_dir)  # nothing left says the first is writing: it gets in
    second.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    with pytest.raises(StoreWriteError, match="glose.lock was removed or replaced"):
        first.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    first.close()  # and it leaves the second's holder record in place
    assert (store_dir / "glose.holder").exists()
    second.toggle_highlight(DOCUMENT, DOCUMENT.passages[3])
    second.close()
    # One writer's actions only, in sequence: the store opens, for reading and writing.
    assert passages(store_dir) == [0, 1, 3]
    with Store(store_dir) as writer:
        writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    assert passages(store_dir) == [0, 1, 2, 3]


def test_a_journal_emptied_under_a_writer_stops_it_and_is_found_out_at_the_next_opening(
    store_dir,
):
    writer = Store(store_dir)
    writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    journal = store_dir / "glose.journal"
    journal.write_bytes(b"")  # `: > glose.journal`: the same file, emptied
    with pytest.raises(
        StoreWriteError, match=rf"^Not saved: {journal} was changed by another program, so "
    ):
        writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    writer.close()
    assert journal.read_bytes() == b"", "nothing written after it"
    with pytest.raises(StoreError, match=r"glose.journal is empty, but it began with action 0"):
        Store(store_dir, readonly=True)
