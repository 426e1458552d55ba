"""A read-only store follows what the writer saves: it notices the files changed, reads them
again apart from what it shows, then shows what it read; as of when it holds is known."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import text_document
from tui.store import ALL, Store, StoreError

DOCUMENT = text_document("doc", "\n\n".join(f"Passage {n}." for n in range(6)))


def view(store: Store) -> tuple:
    """Everything a reader shows of a store, comparable across two Store objects."""
    return (
        [(t.name, t.color, t.key, t.description) for t in store.tags()],
        [(a.passage, a.tags, a.highlighted, a.color, a.note) for a in store.annotations()],
        [(h.start, h.end, h.color) for h in store.highlights()],
        store.node_counts(ALL),
        store.annotated_counts(),
    )


def test_a_reader_sees_what_the_writer_saved_once_it_reads_again(store_dir):
    writer = Store(store_dir)
    reader = Store(store_dir, readonly=True)
    try:
        assert not reader.files_changed()
        opened_as_of = reader.as_of
        writer.tag_passage(DOCUMENT, DOCUMENT.passages[0], "politique")
        assert reader.annotations() == []  # nothing shows until it is read again
        assert reader.files_changed()
        assert reader.as_of == opened_as_of  # not current any more: as of when it was read
        assert reader.refresh()
        assert [a.tags for a in reader.annotations()] == [["politique"]]
        assert reader.tag_counts() == {"politique": 1}
        assert not reader.files_changed() and not reader.refresh()
        assert reader.as_of > opened_as_of
    finally:
        reader.close()
        writer.close()


def test_a_writer_is_never_behind_its_files(store_dir):
    with Store(store_dir) as writer:
        writer.create_tag("politique")
        assert not writer.files_changed() and not writer.refresh()
        assert writer.reread() is None


def test_a_reader_follows_new_snapshots_and_a_store_made_after_it_opened(store_dir):
    reader = Store(store_dir, readonly=True)
    assert not reader.exists
    writer = Store(store_dir, compact_after=0)  # a new snapshot after every action
    try:
        for index in range(3):
            writer.toggle_highlight(DOCUMENT, DOCUMENT.passages[index])
            assert reader.refresh()
            assert reader.exists
            assert [a.passage for a in reader.annotations()] == list(range(index + 1))
    finally:
        reader.close()
        writer.close()


def test_what_is_read_again_shows_only_once_caught_up(store_dir):
    writer = Store(store_dir)
    reader = Store(store_dir, readonly=True)
    try:
        writer.create_tag("politique")
        first = reader.reread()  # as a worker thread would, while the screen shows the store
        assert first is not None and reader.tags() == []
        writer.create_tag("économie")
        second = reader.reread()
        assert second is not None
        reader.catch_up(second)
        assert [t.name for t in reader.tags()] == ["politique", "économie"]
        reader.catch_up(first)  # an older reading arriving late changes nothing
        assert [t.name for t in reader.tags()] == ["politique", "économie"]
    finally:
        reader.close()
        writer.close()


def test_a_damaged_store_is_not_read_again_until_it_changes_and_the_view_stays(store_dir):
    writer = Store(store_dir)
    writer.create_tag("politique")
    reader = Store(store_dir, readonly=True)
    try:
        as_of = reader.as_of
        # The journal holds its header (line 1) and the new tag (line 2): the damage is line 3.
        with (store_dir / "glose.journal").open("ab") as journal:
            journal.write(b"not an action\n")
        assert reader.files_changed()
        with pytest.raises(StoreError, match="line 3 is damaged"):
            reader.refresh()
        assert [t.name for t in reader.tags()] == ["politique"]
        assert reader.as_of == as_of
        assert not reader.files_changed()  # said once: not read again for nothing
        with (store_dir / "glose.journal").open("ab") as journal:
            journal.write(b"still not one\n")
        assert reader.files_changed()
    finally:
        reader.close()
        writer.close()


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["tag", "highlight", "note", "new tag", "read"]),
        st.integers(0, len(DOCUMENT.passages) - 1),
        st.sampled_from(["politique", "économie", "Santé/hôpital"]),
    ),
    max_size=25,
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(ACTIONS)
def test_a_reader_reading_again_shows_what_a_fresh_reader_shows(actions):
    with tempfile.TemporaryDirectory() as folder:
        store_dir = Path(folder) / "store"
        writer = Store(store_dir, compact_after=3)
        reader = Store(store_dir, readonly=True)
        try:
            for action, index, name in actions:
                passage = DOCUMENT.passages[index]
                if action == "tag":
                    tag = writer.find_tag(name) or writer.create_tag(name)
                    writer.toggle_tag(DOCUMENT, passage, tag.name)
                elif action == "highlight":
                    writer.toggle_highlight(DOCUMENT, passage)
                elif action == "note":
                    writer.set_passage_note(DOCUMENT, passage, f"{name} {index}")
                elif action == "new tag":
                    writer.create_tag(name)
                else:
                    reader.refresh()
                    with Store(store_dir, readonly=True) as fresh:
                        assert view(reader) == view(fresh)
            reader.refresh()
            assert view(reader) == view(writer)
        finally:
            reader.close()
            writer.close()
