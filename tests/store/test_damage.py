"""Damaged, destroyed and raced stores: always found out, never taken for new, never touched."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import text_document
from tui.store import Store, StoreError
from tui.store import journal as journal_module
from tui.store.journal import JournalDB, JournalStorage
from tui.store.lock import read_holder
from tui.temporaries import SUFFIX

DOCUMENT = text_document("doc", "Un.\n\nDeux.\n\nTrois.\n\nQuatre.")


def fingerprint(store_dir) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(store_dir.iterdir())
        if path.is_file() and not path.name.startswith("glose.lock")
    }


def assert_refused_untouched(store_dir: Path, match: str) -> None:
    """Opening the store, to read or to write, is refused with `match`, and no file of it
    changes."""
    before = fingerprint(store_dir)
    for readonly in (True, False):
        with pytest.raises(StoreError, match=match):
            Store(store_dir, readonly=readonly)
    assert fingerprint(store_dir) == before


def annotated(store_dir, passages=(0, 1)) -> None:
    with Store(store_dir) as store:
        for index in passages:
            store.toggle_highlight(DOCUMENT, DOCUMENT.passages[index])


def test_a_snapshot_lost_after_compaction_is_never_taken_for_a_new_store(store_dir):
    annotated(store_dir)
    with Store(store_dir, compact_after=0):
        pass  # compacted: the journal now holds no action but the snapshot's number
    assert (store_dir / "glose.journal").read_bytes() == b'{"seq":2,"ops":[]}\n'
    (store_dir / "glose.json").unlink()
    for readonly in (True, False):
        with pytest.raises(StoreError, match="glose.json is missing.*snapshot was lost"):
            Store(store_dir, readonly=readonly)
    assert not (store_dir / "glose.json").exists()


@pytest.mark.parametrize("compacted", [False, True])
def test_a_deleted_journal_is_found_out(store_dir, compacted):
    annotated(store_dir)
    if compacted:
        with Store(store_dir, compact_after=0) as store:
            store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    (store_dir / "glose.journal").unlink()
    assert_refused_untouched(store_dir, "glose.journal is missing")


def test_damage_is_found_before_anything_is_written(store_dir):
    """A torn tail, a journal over the compaction threshold and a damaged record: untouched."""
    with Store(store_dir, compact_after=1) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    path = store_dir / "glose.journal"
    bad = {"seq": 1, "ops": [["put", "passages", "9", {"document": "doc", "start": "x"}]]}
    good = {"seq": 2, "ops": [["put", "state", "1", {"key": "k", "value": 1}]]}
    path.write_bytes(
        json.dumps(bad).encode() + b"\n" + json.dumps(good).encode() + b"\n" + b'{"seq": 3'
    )
    snapshot = json.loads((store_dir / "glose.json").read_text())
    snapshot["_snapshot"]["1"]["seq"] = 0
    (store_dir / "glose.json").write_text(json.dumps(snapshot))
    before = fingerprint(store_dir)
    with pytest.raises(StoreError, match="record 9 of the passages table"):
        Store(store_dir, compact_after=1)
    assert fingerprint(store_dir) == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ('{"seq": 1, "ops": [1]}', "line 1 is damaged"),
        ('{"seq": 1, "ops": [["put", "tags", "1"]]}', "line 1 is damaged"),
        ('{"seq": 1, "ops": [["zap", "tags", "1", null]]}', "newer glose"),
        ('{"seq": 1, "ops": [["put", "state", "x", {"key": "a", "value": 1}]]}', "line 1"),
        ('{"seq": "1", "ops": []}', "line 1 is damaged"),
    ],
)
def test_damaged_journal_operations_are_named_not_tracebacks(store_dir, damage, message):
    Store(store_dir).close()
    (store_dir / "glose.journal").write_text(damage + "\n")
    assert_refused_untouched(store_dir, message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data["_snapshot"]["1"].update(seq="x"), "damaged _snapshot record"),
        (lambda data: data["_snapshot"].update({"1": 5}), "not a TinyDB database"),
        (lambda data: data["meta"]["1"].update(schema="one"), "damaged schema record"),
        (lambda data: data["meta"]["1"].update(schema=0), "damaged schema record"),
        (lambda data: data.update(meta={"1": [1]}), "not a TinyDB database"),
    ],
)
def test_damaged_snapshot_records_are_named_not_tracebacks(store_dir, change, message):
    Store(store_dir).close()
    path = store_dir / "glose.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    before = fingerprint(store_dir)
    with pytest.raises(StoreError, match=message):
        Store(store_dir)
    assert fingerprint(store_dir) == before


def test_a_reader_racing_a_compaction_still_sees_every_durable_action(store_dir, monkeypatch):
    writer = Store(store_dir, compact_after=10**6)
    for passage in DOCUMENT.passages:
        writer.toggle_highlight(DOCUMENT, passage)
    real_read_journal = journal_module.read_journal
    raced = []

    def compact_in_between(path, after_seq):
        # The reader has read the old snapshot; the writer compacts (closing, as it does past
        # its threshold) before the reader reads the journal.
        if not raced:
            raced.append(True)
            writer.compact_after = 0
            writer.close()
        return real_read_journal(path, after_seq)

    monkeypatch.setattr(journal_module, "read_journal", compact_in_between)
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 4
    assert raced
    assert journal_module.read_journal(store_dir / "glose.journal", 4).lines == 1, "compacted"


def test_temporary_snapshots_left_by_a_killed_writer_are_reported_then_removed(store_dir, seeds):
    annotated(store_dir)
    leftover = store_dir / ".glose-snapshot-abc123"
    leftover.write_bytes(b"{" * 1000)
    with Store(store_dir, readonly=True) as reader:
        assert reader.health().journal.leftovers == 1
    assert leftover.exists()
    Store(store_dir).close()
    assert not leftover.exists()


def test_the_holder_record_is_readable_by_whoever_may_read_the_store(store_dir):
    umask = os.umask(0o022)
    try:
        with Store(store_dir):
            mode = stat.S_IMODE((store_dir / "glose.holder").stat().st_mode)
    finally:
        os.umask(umask)
    assert mode == 0o644  # another user's `glose check` names the writer from it


def test_snapshots_keep_the_files_permissions_and_symlinks(store_dir, tmp_path):
    annotated(store_dir)
    path = store_dir / "glose.json"
    path.chmod(0o640)
    with Store(store_dir, compact_after=0):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    with Store(store_dir, compact_after=0) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[3])
    assert path.is_symlink()
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 3


def test_a_holder_record_left_by_a_crash_is_not_taken_for_a_writer(store_dir):
    Store(store_dir).close()
    (store_dir / "glose.holder").write_text(
        json.dumps({"pid": 2**22 + 12345, "host": os.uname().nodename, "since": "then"})
    )
    assert read_holder(store_dir) is None
    with Store(store_dir) as writer:  # a writer is never refused because of the record
        assert read_holder(store_dir).pid == os.getpid()
        writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])


def test_a_store_path_that_is_a_file_is_a_clear_error(tmp_path):
    path = tmp_path / "store"
    path.write_text("not a directory")
    for readonly in (True, False):
        with pytest.raises(StoreError, match="is a file, not a directory"):
            Store(path, readonly=readonly)


def test_documents_are_private_copies(store_dir):
    with Store(store_dir) as store:
        store.toggle_tag(DOCUMENT, DOCUMENT.passages[0], "a")
    db = JournalDB(store_dir, storage=JournalStorage, readonly=True)
    record = db.table("passages").get(doc_id=1)
    record["tags"].append("sneaky")
    assert db.table("passages").get(doc_id=1)["tags"] == ["a"]
    db.close()


def set_snapshot_marker(store_dir, **fields) -> None:
    path = store_dir / "glose.json"
    data = json.loads(path.read_text())
    data["_snapshot"]["1"].update(fields)
    path.write_text(json.dumps(data))


def test_a_snapshot_ahead_of_its_journal_is_refused_before_any_write(store_dir):
    annotated(store_dir, passages=(0, 1, 2))  # the journal holds actions 1 to 3
    set_snapshot_marker(store_dir, seq=7)
    assert_refused_untouched(
        store_dir,
        r"glose.journal ends at action 3 but the snapshot beside it holds actions up "
        r"to 7: they do not belong together; the store was left as it is",
    )


def journal_line(seq: int) -> str:
    record = {"key": f"k{seq}", "value": seq}
    return json.dumps({"seq": seq, "ops": [["put", "state", str(seq + 1), record]]})


@settings(max_examples=60, deadline=None)
@given(snapshot=st.integers(0, 6), first=st.integers(0, 9), count=st.integers(0, 6))
def test_a_journal_is_read_only_beside_a_snapshot_it_follows_on_from(
    tmp_path_factory, snapshot, first, count
):
    """Empty, or without a gap from no later than the snapshot's next action to no earlier
    than its own: anything else is two files that do not belong together."""
    store_dir = tmp_path_factory.mktemp("pair") / "store"
    Store(store_dir).close()
    # As older glose wrote it, whose journals could be empty (this one's never are).
    set_snapshot_marker(store_dir, seq=snapshot, header=False)
    seqs = range(first, first + count)
    (store_dir / "glose.journal").write_text("".join(journal_line(s) + "\n" for s in seqs))
    belongs = not seqs or (seqs[0] <= snapshot + 1 and seqs[-1] >= snapshot)
    try:
        store = Store(store_dir, readonly=True)
    except StoreError as error:
        assert not belongs, error
        assert "glose.journal" in str(error)
        return
    assert belongs
    with store:
        # The actions after the snapshot's are replayed; the others are in the snapshot.
        assert [s for s in range(16) if store.get_state(f"k{s}") == s] == [
            s for s in seqs if s > snapshot
        ]


def test_a_journal_emptied_from_outside_is_found_out(store_dir):
    annotated(store_dir)
    with Store(store_dir, compact_after=0):
        pass  # compacted: the journal begins at the snapshot's action
    with Store(store_dir) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[3])
    (store_dir / "glose.journal").write_bytes(b"")  # two actions lost
    assert_refused_untouched(
        store_dir,
        r"glose.journal is empty, but it began with action 2 when the snapshot of "
        r".* was written: another program emptied it",
    )


def test_an_empty_journal_beside_an_older_glose_s_snapshot_still_opens(store_dir):
    """Older glose cut the journal to nothing when it compacted: that is no damage."""
    annotated(store_dir)
    with Store(store_dir, compact_after=0):
        pass
    set_snapshot_marker(store_dir, header=None)
    data = json.loads((store_dir / "glose.json").read_text())
    del data["_snapshot"]["1"]["header"]
    (store_dir / "glose.json").write_text(json.dumps(data))
    (store_dir / "glose.journal").write_bytes(b"")
    with Store(store_dir) as store:
        assert len(store.annotations()) == 2
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 3


@pytest.mark.parametrize("journal_empty", [False, True])
@pytest.mark.parametrize("fails", ["glose.json", "glose.journal"])
def test_a_compaction_cut_short_leaves_files_that_belong_together(
    store_dir, monkeypatch, fails, journal_empty
):
    """Whichever of its two renames does not happen, the store opens with every action."""
    annotated(store_dir)
    if journal_empty:
        # As an older glose left it: compacted, the journal cut to nothing.
        with Store(store_dir, compact_after=0):
            pass
        set_snapshot_marker(store_dir, header=False)
        (store_dir / "glose.journal").write_bytes(b"")
    real_replace = os.replace

    def replace(source, target):
        if Path(target).name == fails:
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    # A threshold below nothing: it compacts at opening, after each action and at closing.
    Store(store_dir, compact_after=-1).close()
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 2
    with Store(store_dir, compact_after=-1) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    monkeypatch.undo()
    with Store(store_dir) as store:
        assert len(store.annotations()) == 3
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[3])
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 4


def test_stale_temporary_files_are_reported_and_removed_a_live_writer_s_kept(store_dir):
    annotated(store_dir)
    gone, alive = 2**22 + 12345, os.getppid()
    stale = [
        store_dir / f".glose.json.{gone}.x1y2{SUFFIX}",
        store_dir / f".glose.journal.{gone}.x1y2{SUFFIX}",
        store_dir / f".glose.holder.{gone}.x1y2{SUFFIX}",
        # As the previous release named them: a store it left is cleaned too.
        store_dir / ".glose-snapshot-abc123",  # from before temporaries were named by process
        store_dir / f".glose-snapshot-{gone}-x1y2",
        store_dir / f".glose-journal-{gone}-x1y2",
        store_dir / f".glose.holder.{gone}",
    ]
    kept = [
        store_dir / f".glose.json.{alive}.x1y2{SUFFIX}",
        store_dir / f".glose.holder.{alive}.x1y2{SUFFIX}",
        store_dir / f".glose-snapshot-{alive}-x1y2",
        store_dir / f".glose.holder.{alive}",
        # The index's is written without the store's lock: it waits its minute.
        store_dir / f".glose.search.{gone}.x1y2{SUFFIX}",
    ]
    for path in stale + kept:
        path.write_bytes(b"{" * 100)
    with Store(store_dir, readonly=True) as reader:
        assert reader.health().journal.leftovers == 5  # the holder's are not the store's
    assert all(path.exists() for path in stale + kept), "a reader never removes anything"
    Store(store_dir).close()
    assert [path for path in stale if path.exists()] == []
    assert all(path.exists() for path in kept)


def test_a_snapshot_that_is_not_utf8_is_named_at_its_line(store_dir):
    annotated(store_dir)
    path = store_dir / "glose.json"
    text = json.dumps(json.loads(path.read_text()), indent=1)
    lines = text.split("\n")
    lines[3] = lines[3].replace('"', '"\xff', 1)
    path.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(StoreError, match=r"glose.json is not valid UTF-8 at line 4, byte \d+;"):
        Store(store_dir, readonly=True)


@pytest.mark.parametrize("name", ["glose.json", "glose.journal", "glose.lock", "glose.holder"])
def test_a_folder_in_place_of_a_store_file_is_named(store_dir, name):
    annotated(store_dir)
    path = store_dir / name
    path.unlink(missing_ok=True)
    path.mkdir()
    for readonly in (True, False):
        with pytest.raises(StoreError, match=rf"^{path} is a folder, not a file[:;]") as raised:
            Store(store_dir, readonly=readonly)
        assert str(raised.value).count(str(store_dir)) == 1, "the path said once"


def test_a_damaged_journal_is_named_with_its_path_said_once(store_dir):
    annotated(store_dir)
    path = store_dir / "glose.journal"
    path.write_bytes(path.read_bytes().replace(b'"seq":2', b'"seq":5'))
    with pytest.raises(StoreError, match="line 3 is out of sequence") as raised:
        Store(store_dir)
    assert str(raised.value).count(str(store_dir)) == 1


def test_an_older_snapshot_put_back_beside_a_newer_journal_is_refused(store_dir):
    """The journal begun at action 3 says the snapshot held actions up to 3: one holding only
    up to 2 lacks the third."""
    annotated(store_dir)
    with Store(store_dir, compact_after=0):
        pass  # a snapshot at action 2
    older = (store_dir / "glose.json").read_bytes()
    with Store(store_dir, compact_after=0) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])  # action 3, then compacted
    (store_dir / "glose.json").write_bytes(older)  # a restore from yesterday's backup
    assert_refused_untouched(store_dir, "starts at action 3 but the snapshot ends at 2")
