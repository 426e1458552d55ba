"""Coded segments: tags on any span of words, kept, counted, renamed, undone and migrated
from a store written before spans could carry tags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import text_document
from tui.store import Store, StoreError
from tui.store.model import Highlight

TEXT = "Le premier paragraphe parle d'IA ouverte.\n\nLe second parle de Meta et d'IBM."
DOCUMENT = text_document("doc", TEXT)
PASSAGES = DOCUMENT.passages
PREVIOUS = Path(__file__).parent / "stores" / "schema3-previous-release"


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def test_a_tag_on_words_is_a_segment_of_exactly_those_words(store_dir):
    with Store(store_dir) as store:
        segment, added = store.tag_span(DOCUMENT, PASSAGES, *span("de Meta "), "ia")
        assert added
        assert (segment.quote, segment.tags, segment.highlighted) == ("de Meta", ["ia"], False)
        assert store.tag_counts() == {"ia": 1}
        assert store.annotations() == [], "no passage was tagged"
        assert store.mark_counts() == (0, 0), "a tagged segment is not a highlight"
    with Store(store_dir, readonly=True) as reader:
        [held] = reader.highlights()
        assert (held.start, held.end, held.tags) == (*span("de Meta"), ["ia"])


def test_a_second_tag_on_the_same_words_goes_on_the_same_segment(store_dir):
    with Store(store_dir) as store:
        store.tag_span(DOCUMENT, PASSAGES, *span("IA ouverte"), "ia")
        segment, added = store.tag_span(DOCUMENT, PASSAGES, *span("IA ouverte"), "open")
        _, again = store.tag_span(DOCUMENT, PASSAGES, *span("IA ouverte"), "open")
        assert added and not again
        assert [h.tags for h in store.highlights()] == [["ia", "open"]]
        assert segment.tags == ["ia", "open"]


def test_a_segment_may_cross_passages_and_annotates_each(store_dir):
    with Store(store_dir) as store:
        segment, _ = store.tag_span(DOCUMENT, PASSAGES, *span("ouverte.\n\nLe second"), "x")
        assert segment.quote == "ouverte.\n\nLe second"
        assert segment.passage == 0
        assert store.annotated_passages() == {"doc": {0, 1}}


def test_toggling_the_last_tag_off_a_bare_segment_deletes_it_and_undo_brings_it_back(store_dir):
    with Store(store_dir) as store:
        with store.undoable("tag ia"):
            segment, _ = store.tag_span(DOCUMENT, PASSAGES, *span("IA ouverte"), "ia")
        with store.undoable("removal of tag ia"):
            assert store.toggle_segment_tag(segment, "ia") is False
        assert store.highlights() == []
        assert store.tag_counts() == {}
        store.undo()
        assert [h.tags for h in store.highlights()] == [["ia"]]
        store.undo()
        assert store.highlights() == []
        store.redo()
        assert [h.quote for h in store.highlights()] == ["IA ouverte"]


def test_a_highlight_or_a_note_keeps_a_segment_its_tags_left(store_dir):
    with Store(store_dir) as store:
        highlight = store.add_highlight(DOCUMENT, PASSAGES, *span("Meta"), "green")
        assert store.toggle_segment_tag(highlight, "acteurs") is True
        assert store.mark_counts() == (1, 0)
        assert store.toggle_segment_tag(highlight, "acteurs") is False
        [kept] = store.highlights()
        assert (kept.tags, kept.highlighted, kept.color) == ([], True, "green")
        segment, _ = store.tag_span(DOCUMENT, PASSAGES, *span("IBM"), "acteurs")
        store.set_note(segment, "une note")
        store.toggle_segment_tag(segment, "acteurs")
        assert [h.note for h in store.highlights() if h.quote == "IBM"] == ["une note"]
        store.set_note(segment, "")
        assert [h.quote for h in store.highlights()] == ["Meta"], "left with nothing: gone"


def test_a_segment_deleted_meanwhile_is_said_not_recreated(store_dir):
    with Store(store_dir) as store:
        segment, _ = store.tag_span(DOCUMENT, PASSAGES, *span("Meta"), "acteurs")
        store.delete(segment)
        with pytest.raises(StoreError, match="no longer exists"):
            store.toggle_segment_tag(segment, "autre")
        assert store.highlights() == []


def test_renaming_and_deleting_a_tag_follow_it_onto_segments(store_dir):
    with Store(store_dir) as store:
        store.tag_span(DOCUMENT, PASSAGES, *span("Meta"), "acteurs/meta")
        store.tag_span(DOCUMENT, PASSAGES, *span("IBM"), "acteurs/ibm")
        store.tag_passage(DOCUMENT, PASSAGES[0], "acteurs/meta")
        store.rename_tag("acteurs", "entreprises")
        assert sorted(t for h in store.highlights() for t in h.tags) == [
            "entreprises/ibm",
            "entreprises/meta",
        ]
        assert store.node_counts()["entreprises"] == 3
        assert [a.quote for a in store.with_tag("entreprises/meta")] == [
            PASSAGES[0].text,
            "Meta",
        ]
        store.delete_tag("entreprises/ibm")
        assert [h.quote for h in store.highlights()] == ["Meta"], "a bare segment goes"


def test_a_reader_of_a_store_with_segments_sees_them_counted_the_same(store_dir):
    with Store(store_dir) as store:
        store.tag_span(DOCUMENT, PASSAGES, *span("Meta"), "acteurs")
        store.tag_span(DOCUMENT, PASSAGES, *span("IBM"), "acteurs")
        counts = store.tag_counts()
    with Store(store_dir, readonly=True) as reader:
        assert reader.tag_counts() == counts == {"acteurs": 2}


def test_a_damaged_segment_record_is_refused(store_dir):
    with Store(store_dir) as store:
        store.tag_span(DOCUMENT, PASSAGES, *span("Meta"), "acteurs")
    for damage in ({"tags": "acteurs"}, {"tags": [1]}, {"highlighted": "yes"}):
        record = {**Highlight(document="d", sha256="", start=0, end=1, quote="x").to_record()}
        record.update(damage)
        with pytest.raises(ValueError):
            Highlight.from_record(record)


def previous_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    store.mkdir()
    for name in ("glose.json", "glose.journal"):
        shutil.copyfile(PREVIOUS / name, store / name)
    return store


def test_a_store_of_the_previous_release_is_migrated_once_with_a_copy_kept_until_done(
    tmp_path, monkeypatch
):
    store_dir = previous_store(tmp_path)
    before = {p.name: p.read_bytes() for p in store_dir.iterdir()}
    with Store(store_dir, readonly=True) as reader:
        spans = reader.highlights()
        assert [(h.tags, h.highlighted) for h in spans] == [([], True)] * 3
    assert {p.name: p.read_bytes() for p in store_dir.iterdir()} == before, "a reader wrote"

    # The copies exist while the migrated store is written, and are the files as they were.
    from tui.store import journal as journal_module

    seen: dict[str, bytes] = {}
    snapshot = journal_module.JournalStorage.snapshot

    def watched(storage):
        seen.update({p.name: p.read_bytes() for p in store_dir.glob("glose.schema3.*")})
        snapshot(storage)

    monkeypatch.setattr(journal_module.JournalStorage, "snapshot", watched)
    with Store(store_dir) as writer:
        assert writer.schema == writer.disk_schema == 4
    assert seen == {
        "glose.schema3.json": before["glose.json"],
        "glose.schema3.journal": before["glose.journal"],
    }
    assert not list(store_dir.glob("glose.schema3.*")), "removed once the migration is written"
    data = json.loads((store_dir / "glose.json").read_text(encoding="utf-8"))
    assert data["meta"]["1"]["schema"] == 4
    assert all(r["tags"] == [] and r["highlighted"] for r in data["highlights"].values())


def test_a_migration_that_cannot_keep_its_copy_writes_nothing(tmp_path, monkeypatch):
    store_dir = previous_store(tmp_path)
    before = {p.name: p.read_bytes() for p in store_dir.iterdir()}
    import tui.store.schema as schema_module

    real_open = open

    def full_disk(path, mode="r", *args, **kwargs):
        if "schema3" in str(path) and "w" in mode:
            raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(schema_module, "open", full_disk, raising=False)
    with pytest.raises(StoreError, match="cannot keep a copy"):
        Store(store_dir)
    after = {p.name: p.read_bytes() for p in store_dir.iterdir() if p.name != "glose.lock"}
    assert after == {k: v for k, v in before.items() if k != "glose.lock"}


def test_a_segment_follows_its_words_when_the_text_changes_and_keeps_its_tags(store_dir):
    with Store(store_dir) as store:
        store.tag_span(DOCUMENT, PASSAGES, *span("Meta et d'IBM"), "acteurs")
    edited = text_document("doc", "Un titre ajouté.\n\n" + TEXT.replace("ouverte", "libre"))
    with Store(store_dir) as store:
        assert store.needs_anchoring(edited)
        report = store.anchor(edited, edited.passages)
        assert report.counts == {"moved": 1}
        [segment] = store.highlights()
        assert edited.text[segment.start : segment.end] == "Meta et d'IBM"
        assert (segment.tags, segment.passage) == (["acteurs"], 2)


def test_copies_left_by_a_glose_stopped_after_migrating_go_at_the_next_writer(tmp_path):
    store_dir = previous_store(tmp_path)
    Store(store_dir).close()
    # As if stopped between writing the migrated store and removing the copies.
    (store_dir / "glose.schema3.json").write_bytes((PREVIOUS / "glose.json").read_bytes())
    (store_dir / "glose.schema3.journal").write_bytes(b"")
    with Store(store_dir, readonly=True):
        assert (store_dir / "glose.schema3.json").exists(), "a reader removes nothing"
    with Store(store_dir) as writer:
        assert len(writer.highlights()) == 3
    assert not list(store_dir.glob("glose.schema3.*"))


def test_everyones_counts_take_in_segments_the_same_words_once(store_dir):
    from tui.store import ALL

    with Store(store_dir, annotator="ana") as store:
        store.tag_span(DOCUMENT, PASSAGES, *span("Meta"), "acteurs/meta")
    with Store(store_dir, annotator="bea") as store:
        store.tag_span(DOCUMENT, PASSAGES, *span("Meta"), "acteurs/meta")
        store.tag_span(DOCUMENT, PASSAGES, *span("IBM"), "acteurs/ibm")
        store.tag_passage(DOCUMENT, PASSAGES[0], "acteurs/meta")
        assert store.tag_counts(ALL) == {"acteurs/meta": 2, "acteurs/ibm": 1}
        assert store.node_counts(ALL)["acteurs"] == 3


def test_a_segment_across_passages_annotates_each_of_them_and_follows_them(store_dir):
    three = text_document("doc", "Un.\n\nDeux mots.\n\nTrois.\n\nQuatre.")
    start, end = three.text.index("Deux"), three.text.index("Trois") + 3
    with Store(store_dir) as store:
        segment, _ = store.tag_span(three, three.passages, start, end, "x")
        assert (segment.passage, segment.last_passage) == (1, 2)
        assert store.annotated_passages() == {"doc": {1, 2}}
        one, _ = store.tag_span(three, three.passages, start, start + 4, "y")
        assert (one.passage, one.last_passage) == (1, None), "within one passage: nothing more"
        store.delete(one)
        store.delete(segment)
        assert store.annotated_passages() == {}
        store.tag_span(three, three.passages, start, end, "x")
    moved = text_document("doc", "Zéro.\n\n" + three.text)
    with Store(store_dir) as store:
        store.anchor(moved, moved.passages)
        assert store.annotated_passages() == {"doc": {2, 3}}
    with Store(store_dir, readonly=True) as reader:
        assert reader.annotated_passages() == {"doc": {2, 3}}
