"""Undo and redo in the store: every annotation change, step by step, durable like any other."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import Corpus
from tui.store import Store
from tui.store.undo import UNDO_DEPTH

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def opened(seeds, tmp_path):
    corpus = Corpus.open(seeds)
    store = Store(tmp_path / "store")
    store.create_tag("politique")
    yield corpus.documents[0], store, tmp_path / "store"
    store.close()


def snapshot(store: Store) -> tuple:
    return (
        sorted((a.passage, tuple(a.tags), a.highlighted, a.note) for a in store.annotations()),
        sorted((h.start, h.end, h.color, h.note) for h in store.highlights()),
    )


def test_each_change_undoes_and_redoes_in_order_and_survives_a_reopen(opened):
    document, store, directory = opened
    passages = document.passages
    states = [snapshot(store)]
    with store.undoable("tag politique"):
        store.toggle_tag(document, passages[1], "politique")
    states.append(snapshot(store))
    with store.undoable("highlight"):
        highlight = store.add_highlight(
            document, passages, passages[2].start, passages[2].start + 9, "green"
        )
    states.append(snapshot(store))
    with store.undoable("note"):
        store.set_note(highlight, "Une note.")
    states.append(snapshot(store))
    with store.undoable("delete"):
        store.delete(store.get(highlight))
    states.append(snapshot(store))
    assert all(a != b for a, b in itertools.pairwise(states)), "every step changed something"
    for state in reversed(states[:-1]):
        change = store.undo()
        assert change is not None and snapshot(store) == state
    assert store.undo() is None and store.last_change is None
    for state in states[1:]:
        assert store.redo() is not None and snapshot(store) == state
    assert store.redo() is None
    store.undo()
    store.undo()  # back to the highlight without its note
    store.close()
    reopened = Store(directory)
    assert snapshot(reopened) == states[2], "undo is a change like any other: journaled"
    reopened.close()


def test_a_new_change_after_undo_clears_redo(opened):
    document, store, _ = opened
    with store.undoable("tag"):
        store.toggle_tag(document, document.passages[1], "politique")
    store.undo()
    assert store.redo() is not None, "what was undone can be redone"
    store.undo()
    with store.undoable("tag"):
        store.toggle_tag(document, document.passages[3], "politique")
    assert store.redo() is None


def test_at_least_a_hundred_steps_undo(opened):
    document, store, _ = opened
    before = snapshot(store)
    for step in range(150):
        with store.undoable("tag"):
            store.toggle_tag(document, document.passages[step % 10], "politique")
    for _ in range(150):
        assert store.undo() is not None
    assert snapshot(store) == before


def test_undo_keeps_the_last_steps_up_to_its_depth(opened):
    document, store, _ = opened
    for step in range(UNDO_DEPTH + 1):
        with store.undoable("tag"):
            store.toggle_tag(document, document.passages[step % 10], "politique")
    for _ in range(UNDO_DEPTH):
        assert store.undo() is not None
    assert store.undo() is None, "the oldest step went, to keep the depth"
    assert store.tag_counts() == {"politique": 1}, "the first toggle was not undone"


def test_changes_outside_undoable_are_not_recorded(opened):
    document, store, _ = opened
    store.toggle_tag(document, document.passages[1], "politique")  # anchoring, imports…
    assert store.last_change is None


def test_a_change_that_fails_is_not_recorded(opened):
    document, store, _ = opened
    with pytest.raises(RuntimeError), store.undoable("tag"):
        store.toggle_tag(document, document.passages[1], "politique")
        raise RuntimeError("the write failed")
    assert store.last_change is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["tag", "mark", "span", "note", "drop"]), st.integers(0, 9)),
        max_size=25,
    )
)
def test_any_sequence_undoes_to_the_start_and_redoes_to_the_end(actions):
    document = Corpus.open(SEEDS).documents[1]
    passages = document.passages
    with tempfile.TemporaryDirectory() as directory:
        store = Store(directory)
        store.create_tag("politique")
        states = [snapshot(store)]
        for action, number in actions:
            passage = passages[number % len(passages)]
            last = store.last_change
            with store.undoable(action):
                if action == "tag":
                    store.toggle_tag(document, passage, "politique")
                elif action == "mark":
                    store.toggle_highlight(document, passage, "yellow")
                elif action == "span":
                    store.add_highlight(
                        document, passages, passage.start, passage.start + 5, "blue"
                    )
                elif action == "note":
                    store.set_passage_note(document, passage, f"note {number}")
                elif store.highlights():
                    store.delete(store.highlights()[number % len(store.highlights())])
            if store.last_change is not last:  # a step was recorded: something changed
                states.append(snapshot(store))
        for state in reversed(states[:-1]):
            store.undo()
            assert snapshot(store) == state
        for state in states[1:]:
            store.redo()
            assert snapshot(store) == state
        store.close()
