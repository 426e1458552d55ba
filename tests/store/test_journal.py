"""The journal storage: replay, torn lines, corruption, new vs destroyed, migrations."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage

from tests.helpers import text_document
from tui.store import Store, StoreError, StoreReadOnly
from tui.store import journal as journal_module
from tui.store import schema as schema_module
from tui.store.journal import JournalDB, JournalStorage
from tui.store.schema import SCHEMA_VERSION

DOCUMENT = text_document("doc", "Un.\n\nDeux.\n\nTrois.\n\nQuatre.")


def journal_lines(store_dir) -> list[dict]:
    raw = (store_dir / "glose.journal").read_bytes()
    return [json.loads(line) for line in raw.splitlines()]


def test_a_new_store_is_a_snapshot_and_an_empty_journal(store_dir):
    Store(store_dir).close()
    snapshot = json.loads((store_dir / "glose.json").read_text())
    assert snapshot["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert snapshot["_snapshot"]["1"]["seq"] == 0
    # An empty action begins it: emptied later, it is not taken for a new one.
    assert (store_dir / "glose.journal").read_bytes() == b'{"seq":0,"ops":[]}\n'


def test_each_action_is_one_fsynced_journal_line_replayed_on_open(store_dir):
    with Store(store_dir) as store:
        store.create_tag("sécurité")
        store.toggle_tag(DOCUMENT, DOCUMENT.passages[1], "sécurité")
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    lines = journal_lines(store_dir)
    assert [line["seq"] for line in lines] == [0, 1, 2, 3, 4]
    assert lines[0]["ops"] == [], "the empty action that begins every journal"
    assert lines[1]["ops"][0][:3] == ["put", "tags", "1"]
    assert lines[4]["ops"][0][0] == "del"
    with Store(store_dir, readonly=True) as store:
        assert [(a.passage, a.tags, a.highlighted) for a in store.annotations()] == [
            (1, ["sécurité"], False)
        ]


def test_compaction_writes_a_snapshot_and_cuts_the_journal(store_dir):
    with Store(store_dir, compact_after=3) as store:
        for passage in DOCUMENT.passages:
            store.toggle_highlight(DOCUMENT, passage)
    # The journal starts again with an empty action at the snapshot's number.
    assert (store_dir / "glose.journal").read_bytes() == b'{"seq":4,"ops":[]}\n'
    snapshot = json.loads((store_dir / "glose.json").read_text())
    assert snapshot["_snapshot"]["1"]["seq"] == 4
    assert len(snapshot["passages"]) == 4
    with Store(store_dir) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    assert [(line["seq"], len(line["ops"])) for line in journal_lines(store_dir)] == [
        (4, 0),
        (5, 1),
    ]
    with Store(store_dir, readonly=True) as store:
        assert len(store.annotations()) == 3


def test_journal_lines_already_in_the_snapshot_are_skipped(store_dir):
    """A crash between the snapshot's rename and the journal's cut replays nothing twice."""
    with Store(store_dir) as store:
        store.create_tag("a")
        store.toggle_tag(DOCUMENT, DOCUMENT.passages[0], "a")
    journal = (store_dir / "glose.journal").read_bytes()
    with Store(store_dir, compact_after=0):
        pass
    (store_dir / "glose.journal").write_bytes(journal)  # as if the cut never happened
    with Store(store_dir) as store:
        assert store.tag_counts() == {"a": 1}
        store.toggle_tag(DOCUMENT, DOCUMENT.passages[1], "a")
    with Store(store_dir, readonly=True) as store:
        assert store.tag_counts() == {"a": 2}


def test_a_torn_last_line_is_dropped_readers_leave_it_the_writer_cuts_it(store_dir):
    with Store(store_dir) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    path = store_dir / "glose.journal"
    torn = path.read_bytes() + b'{"seq": 2, "ops": [["put", "passa'
    path.write_bytes(torn)
    with Store(store_dir, readonly=True) as reader:
        assert len(reader.annotations()) == 1
        assert reader.health().journal.torn_tail
    assert path.read_bytes() == torn, "a reader never writes"
    with Store(store_dir) as writer:
        assert len(writer.annotations()) == 1
        writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    assert [line["seq"] for line in journal_lines(store_dir)] == [0, 1, 2]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw.replace(b'"seq":1', b'"seq":1x', 1), "line 2 is damaged"),
        (lambda raw: raw.replace(b'"seq":2', b'"seq":7', 1), "line 3 is out of sequence"),
        (lambda raw: b"\x00\x00\n" + raw, "line 1 is damaged"),
    ],
)
def test_a_damaged_journal_line_is_corruption_and_nothing_is_touched(store_dir, damage, message):
    with Store(store_dir) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    path = store_dir / "glose.journal"
    damaged = damage(path.read_bytes())
    path.write_bytes(damaged)
    snapshot = (store_dir / "glose.json").read_bytes()
    for readonly in (True, False):
        with pytest.raises(StoreError, match=message) as raised:
            Store(store_dir, readonly=readonly)
        assert "glose.journal" in str(raised.value)
        assert "left as it is" in str(raised.value)
    assert path.read_bytes() == damaged
    assert (store_dir / "glose.json").read_bytes() == snapshot


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b'{"meta": {"1": {"schema"', "not valid JSON"),
        (b"[1, 2]", "not a TinyDB database"),
        (b'{"tags": {}}', "no schema record"),
    ],
)
def test_a_destroyed_snapshot_is_never_taken_for_a_new_store(store_dir, content, message):
    store_dir.mkdir()
    (store_dir / "glose.json").write_bytes(content)
    with pytest.raises(StoreError, match=message):
        Store(store_dir)
    assert (store_dir / "glose.json").read_bytes() == content
    assert not (store_dir / "glose.journal").exists()


def test_a_journal_without_its_snapshot_is_a_lost_store(store_dir):
    with Store(store_dir) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
    (store_dir / "glose.json").unlink()
    with pytest.raises(StoreError, match=r"glose.json is missing"):
        Store(store_dir)
    assert not (store_dir / "glose.json").exists()


def test_newer_schema_is_refused_and_untouched(store_dir):
    Store(store_dir).close()
    path = store_dir / "glose.json"
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema"] = 99
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer glose.*upgrade glose"):
        Store(store_dir)
    assert path.read_bytes() == before


def test_an_older_schema_is_migrated_and_written_whole(store_dir, monkeypatch):
    with Store(store_dir) as store:
        store.create_tag("a")
    now, then = schema_module.SCHEMA_VERSION + 1, schema_module.SCHEMA_VERSION
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", now)

    def add_shades(tables):
        for record in tables.get("tags", {}).values():
            record.setdefault("shade", "")

    monkeypatch.setitem(schema_module.MIGRATIONS, then, add_shades)
    with Store(store_dir, readonly=True) as reader:
        assert reader.schema == now
    assert json.loads((store_dir / "glose.json").read_text())["meta"]["1"]["schema"] == then
    with Store(store_dir) as writer:
        assert writer.schema == now
    snapshot = json.loads((store_dir / "glose.json").read_text())
    assert snapshot["meta"]["1"]["schema"] == now
    assert snapshot["tags"]["1"]["shade"] == ""
    assert sorted(p.name for p in store_dir.iterdir() if "schema" in p.name) == [], (
        "the copies kept while migrating are gone once the migration is written"
    )


def test_a_read_only_store_refuses_changes(store_dir):
    Store(store_dir).close()
    with Store(store_dir, readonly=True) as store, pytest.raises(StoreReadOnly):
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])


def test_reading_a_store_that_does_not_exist_creates_nothing(tmp_path):
    with Store(tmp_path / "none", readonly=True) as store:
        assert store.annotations() == []
    assert not (tmp_path / "none").exists()


# TinyDB's API keeps its meaning over the journal: the same operations give the same tables.

operations = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(0, 5)),
        st.tuples(st.just("update"), st.integers(0, 5), st.integers(0, 9)),
        st.tuples(st.just("upsert"), st.integers(0, 5), st.integers(0, 9)),
        st.tuples(st.just("remove"), st.integers(0, 5)),
        st.tuples(st.just("remove_id"), st.integers(1, 8)),
        st.tuples(st.just("truncate")),
    ),
    max_size=30,
)


def run(db: TinyDB, ops) -> list:
    table = db.table("t")
    results = []
    item = Query()
    for op in ops:
        if op[0] == "insert":
            results.append(table.insert({"k": op[1], "v": 0}))
        elif op[0] == "update":
            results.append(sorted(table.update({"v": op[2]}, item.k == op[1])))
        elif op[0] == "upsert":
            results.append(sorted(table.upsert({"k": op[1], "v": op[2]}, item.k == op[1])))
        elif op[0] == "remove":
            results.append(sorted(table.remove(item.k == op[1])))
        elif op[0] == "remove_id":
            if table.contains(doc_id=op[1]):
                results.append(table.remove(doc_ids=[op[1]]))
        else:
            table.truncate()
        results.append(sorted((doc.doc_id, dict(doc)) for doc in table.all()))
    results.append(len(table.search(item.v > 3)))
    return results


@settings(max_examples=80, deadline=None)
@given(operations)
def test_journal_tables_behave_like_tinydb_and_survive_reopening(tmp_path_factory, ops):
    directory = tmp_path_factory.mktemp("journal")
    expected = run(TinyDB(storage=MemoryStorage), ops)
    storage_db = JournalDB(directory, storage=JournalStorage)
    storage_db.storage.open_for_writing()
    storage_db.storage.snapshot()
    assert run(storage_db, ops) == expected
    tables = {name: dict(docs) for name, docs in storage_db.storage.read().items()}
    storage_db.close()
    reopened = JournalDB(directory, storage=JournalStorage, readonly=True)
    assert {name: dict(docs) for name, docs in reopened.storage.read().items()} == tables


@pytest.mark.parametrize(
    ("table", "record", "message"),
    [
        ("passages", {"document": "doc"}, "record 7 of the passages table"),
        ("passages", ["not", "a", "record"], "not a TinyDB database"),
        ("tags", {"color": "#ffffff"}, "record 7 of the tags table"),
        ("tags", {"name": 5, "color": "#fff", "key": 1}, "record 7 of the tags table"),
        ("state", {"key": "reading"}, "record 7 of the state table"),
    ],
)
def test_a_damaged_record_is_a_clear_error_not_a_traceback(store_dir, table, record, message):
    Store(store_dir).close()
    path = store_dir / "glose.json"
    data = json.loads(path.read_text())
    data[table] = {"7": record}
    path.write_text(json.dumps(data))
    for readonly in (True, False):
        with pytest.raises(StoreError, match=message):
            Store(store_dir, readonly=readonly)


def test_a_schema_1_store_gains_context_the_first_time_its_document_is_read(store_dir):
    """Stores written before annotations kept their context (prefix, suffix) still open."""
    store_dir.mkdir()
    passage = DOCUMENT.passages[1]
    record = {
        "document": "doc",
        "sha256": DOCUMENT.sha256,
        "passage": 1,
        "start": passage.start,
        "end": passage.end,
        "quote": passage.text,
        "tags": ["a"],
        "highlighted": True,
        "created": "2026-01-01T00:00:00.000Z",
        "updated": "2026-01-01T00:00:00.000Z",
    }
    (store_dir / "glose.json").write_text(
        json.dumps({"meta": {"1": {"schema": 1}}, "passages": {"1": record}}), encoding="utf-8"
    )
    with Store(store_dir) as store:
        assert store.schema == SCHEMA_VERSION
        assert store.needs_anchoring(DOCUMENT)
        report = store.anchor(DOCUMENT, DOCUMENT.passages)
        assert report.counts == {"exact": 1}
        annotation = store.annotation(DOCUMENT, passage)
        assert annotation.tags == ["a"] and annotation.highlighted
        assert annotation.prefix == DOCUMENT.text[: passage.start][-32:]
        assert annotation.suffix == DOCUMENT.text[passage.end :][:32]
        assert not store.needs_anchoring(DOCUMENT)
        uuid = annotation.uuid
        assert len(uuid) == 36
    snapshot = json.loads((store_dir / "glose.json").read_text())
    assert snapshot["meta"]["1"]["schema"] == SCHEMA_VERSION
    # The UUID given by the migration is the annotation's for good: written, not redrawn.
    with Store(store_dir, readonly=True) as store:
        assert store.annotation(DOCUMENT, passage).uuid == uuid


def test_a_last_action_without_its_newline_is_kept_and_the_writer_ends_it(store_dir):
    with Store(store_dir) as store:
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[0])
        store.toggle_highlight(DOCUMENT, DOCUMENT.passages[1])
    path = store_dir / "glose.journal"
    path.write_bytes(path.read_bytes().removesuffix(b"\n"))  # an editor's save, a copy tool
    unterminated = path.read_bytes()
    with Store(store_dir, readonly=True) as reader:
        assert [a.passage for a in reader.annotations()] == [0, 1]
        assert not reader.health().journal.torn_tail
    assert path.read_bytes() == unterminated, "a reader never writes"
    with Store(store_dir) as writer:
        assert [a.passage for a in writer.annotations()] == [0, 1]
        writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[2])
    assert [line["seq"] for line in journal_lines(store_dir)] == [0, 1, 2, 3]
    with Store(store_dir, readonly=True) as reader:
        assert [a.passage for a in reader.annotations()] == [0, 1, 2]


def test_a_journal_heavier_than_the_threshold_is_compacted_at_the_next_opening(
    store_dir, monkeypatch
):
    """One large import is one long line: the count of actions alone never compacts it."""
    with Store(store_dir) as store:
        store.set_state("big", "x" * 5_000)
    assert [line["seq"] for line in journal_lines(store_dir)] == [0, 1]
    monkeypatch.setattr(journal_module, "COMPACT_BYTES", 1_000, raising=False)
    with Store(store_dir) as store:
        assert store.get_state("big") == "x" * 5_000
    assert journal_lines(store_dir) == [{"seq": 1, "ops": []}]
    snapshot = json.loads((store_dir / "glose.json").read_text())
    assert snapshot["_snapshot"]["1"]["seq"] == 1
    # Past the snapshot's size, not only the threshold: a small journal beside a big snapshot
    # is cheaper to replay than a snapshot to rewrite.
    with Store(store_dir) as store:
        store.set_state("small", "y" * 1_500)
    with Store(store_dir):
        pass
    assert [line["seq"] for line in journal_lines(store_dir)] == [1, 2]


def test_a_new_store_and_the_folders_made_for_it_are_made_durable(tmp_path, monkeypatch):
    synced: set[tuple[int, int]] = set()
    real_fsync = os.fsync

    def fsync(fd):
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            synced.add((status.st_dev, status.st_ino))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    store_dir = tmp_path / "projet" / "notes" / "store"
    Store(store_dir).close()
    for folder in (tmp_path, tmp_path / "projet", tmp_path / "projet" / "notes", store_dir):
        status = folder.stat()
        assert (status.st_dev, status.st_ino) in synced, f"{folder} was not fsync-ed"
