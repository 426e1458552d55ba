"""Damaged, destroyed and raced stores: always found out, never taken for new, never touched."""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest

from tests.helpers import text_document
from tui.store import Store, StoreError
from tui.store import journal as journal_module
from tui.store.journal import JournalDB, JournalStorage
from tui.store.lock import read_holder

DOCUMENT = text_document("doc", "Un.\n\nDeux.\n\nTrois.\n\nQuatre.")


def fingerprint(store_dir) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(store_dir.iterdir())
        if path.is_file() and not path.name.startswith("glose.lock")
    }


def annotated(store_dir, passages=(0, 1)) -> None:
    with Store(store_dir) as store:
        for index in passages:
            store.toggle_highlight(DOCUMENT, DOCUMENT.passages[index])


def test_a_snapshot_lost_after_compaction_is_never_taken_for_a_new_store(store_dir):
    annotated(store_dir)
    with Store(store_dir, compact_after=0):
        pass  # compacted: the journal is now empty
    assert (store_dir / "glose.journal").read_bytes() == b""
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
    before = fingerprint(store_dir)
    for readonly in (True, False):
        with pytest.raises(StoreError, match="glose.journal is missing"):
            Store(store_dir, readonly=readonly)
    assert fingerprint(store_dir) == before


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
    before = fingerprint(store_dir)
    for readonly in (True, False):
        with pytest.raises(StoreError, match=message):
            Store(store_dir, readonly=readonly)
    assert fingerprint(store_dir) == before


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
    real_read_journal = journal_module._read_journal
    raced = []

    def compact_in_between(path, after_seq):
        # The reader has read the old snapshot; the writer compacts (closing, as it does past
        # its threshold) before the reader reads the journal.
        if not raced:
            raced.append(True)
            writer.compact_after = 0
            writer.close()
        return real_read_journal(path, after_seq)

    monkeypatch.setattr(journal_module, "_read_journal", compact_in_between)
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 4
    assert raced
    assert (store_dir / "glose.journal").read_bytes() == b"", "the writer did compact"


def test_temporary_snapshots_left_by_a_killed_writer_are_reported_then_removed(store_dir, seeds):
    annotated(store_dir)
    leftover = store_dir / ".glose-snapshot-abc123"
    leftover.write_bytes(b"{" * 1000)
    with Store(store_dir, readonly=True) as reader:
        assert reader.health().journal.leftovers == 1
    assert leftover.exists()
    Store(store_dir).close()
    assert not leftover.exists()


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
