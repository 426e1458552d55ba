"""Managing tags: rename (and merge), delete, recolour, keys, descriptions, and the tag tree
with its rolled-up counts; every change reaches every passage and undoes as one step."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import Corpus
from tui.interchange.export import select
from tui.store import ALL, Store, StoreError, TagNameError
from tui.store.codebook import flattened, groups_of, is_under, levels, parents, tag_tree
from tui.store.model import clean_tag_name


@pytest.fixture
def coded(seeds, tmp_path):
    corpus = Corpus.open(seeds)
    store = Store(tmp_path / "store", annotator="alice")
    document = corpus.documents[0]
    p = document.passages
    for name in ("politique/régulation", "politique", "économie", "politique/éthique"):
        store.create_tag(name)
    with store.undoable("coding"):
        store.toggle_tag(document, p[0], "politique/régulation")
        store.toggle_tag(document, p[1], "politique")
        store.toggle_tag(document, p[1], "politique/régulation")
        store.toggle_tag(document, p[2], "économie")
        store.toggle_tag(document, p[3], "politique/éthique")
        store.toggle_tag(document, p[3], "politique/régulation")
    yield corpus, store, tmp_path / "store"
    store.close()


def state(store: Store) -> tuple:
    tags = sorted((t.name, t.color, t.key, t.description) for t in store.tags())
    passages = sorted(
        (a.document, a.start, a.annotator, tuple(a.tags)) for a in store.annotations()
    )
    return tags, passages


def test_names_are_levels_separated_by_slashes():
    assert clean_tag_name(" politique /  régulation ") == "politique/régulation"
    # Empty levels, as names made before levels existed may have, are dropped.
    assert clean_tag_name("politique//régulation/") == "politique/régulation"
    assert clean_tag_name("/politique") == "politique"
    with pytest.raises(TagNameError, match="needs a name"):
        clean_tag_name(" / / ")
    assert levels("a/b/c") == ["a", "b", "c"] and parents("a/b/c") == ["a", "a/b"]
    assert is_under("Politique/X", "politique") and not is_under("politiques", "politique")
    assert groups_of(["a/b/c", "a"]) == {"a/b"}


def test_counts_roll_up_to_each_level_counting_a_passage_once(coded):
    _, store, _ = coded
    counts = store.node_counts()
    # p0, p1, p3 carry a politique tag; p1 carries two of them and counts once.
    assert counts["politique"] == 3
    assert counts["politique/régulation"] == 3 and counts["politique/éthique"] == 1
    assert store.node_counts(ALL)["politique"] == 3
    tree = tag_tree(store.tags(), counts)
    politique = next(node for node in tree if node.path == "politique")
    assert politique.tag is not None and politique.count == 3
    assert [child.label for child in politique.children] == ["régulation", "éthique"]
    assert [n.path for n in flattened(tree, {"politique"})] == ["politique", "économie"]


def test_a_level_without_its_own_tag_is_a_node_with_the_count_of_those_below(coded):
    _, store, _ = coded
    with store.undoable("delete"):
        store.delete_tag("économie")
    store.create_tag("monde/europe")
    tree = tag_tree(store.tags(), store.node_counts())
    monde = next(node for node in tree if node.path == "monde")
    assert monde.tag is None and monde.count == 0 and monde.children[0].tag is not None


def test_renaming_a_parent_moves_its_children_and_undo_brings_all_back(coded):
    _corpus, store, directory = coded
    before = state(store)
    with store.undoable("rename"):
        renamed = store.rename_tag("politique", "policy")
    assert renamed == {
        "politique/régulation": "policy/régulation",
        "politique": "policy",
        "politique/éthique": "policy/éthique",
    }
    names = {t.name for t in store.tags()}
    assert names == {"policy/régulation", "policy", "économie", "policy/éthique"}
    assert all("politique" not in tag for a in store.annotations() for tag in a.tags)
    assert store.node_counts()["policy"] == 3
    after = state(store)
    store.undo()
    assert state(store) == before
    store.redo()
    store.close()
    reopened = Store(directory, annotator="alice")  # durable as it is shown
    assert state(reopened) == after
    reopened.close()


def test_renaming_onto_an_existing_tag_merges_and_a_passage_carries_it_once(coded):
    _, store, _ = coded
    assert store.merges_for("politique/éthique", "politique/régulation") == ["politique/régulation"]
    before = state(store)
    with store.undoable("merge"):
        store.rename_tag("politique/éthique", "politique/régulation")
    assert store.find_tag("politique/éthique") is None
    carried = [a.tags for a in store.annotations() if "politique/régulation" in a.tags]
    assert all(tags.count("politique/régulation") == 1 for tags in carried)
    assert store.node_counts()["politique/régulation"] == 3
    store.undo()
    assert state(store) == before


def test_a_tag_cannot_move_under_itself_nor_take_a_bad_name(coded):
    _, store, _ = coded
    with pytest.raises(TagNameError, match="under itself"):
        store.rename_tag("politique", "politique/sous")
    with pytest.raises(TagNameError):
        store.rename_tag("politique", "a;b")
    with pytest.raises(TagNameError, match="No tag"):
        store.rename_tag("absent", "b")
    assert store.find_tag("politique") is not None


def test_deleting_takes_the_tag_off_every_annotator_s_passages_and_undo_restores_them(coded):
    corpus, store, _directory = coded
    document = corpus.documents[0]
    store.annotator = "bob"
    with store.undoable("bob"):
        store.toggle_tag(document, document.passages[2], "économie")
        store.toggle_highlight(document, document.passages[2])
    store.annotator = "alice"
    before = state(store)
    with store.undoable("delete"):
        changed = store.delete_tag("économie")
    assert changed == 2
    # Alice's passage had only the tag: it goes; Bob's keeps its highlight.
    left = [a for a in store.annotations() if a.start == document.passages[2].start]
    assert [(a.annotator, a.tags, a.highlighted) for a in left] == [("bob", [], True)]
    store.undo()
    assert state(store) == before


def test_keys_swap_colours_change_and_descriptions_are_kept(coded):
    _, store, directory = coded
    first = store.tag_for_key(1)
    economie = store.find_tag("économie")
    assert first is not None and economie is not None and economie.key != 1
    with store.undoable("key"):
        store.set_tag_key("économie", 1)
    assert store.tag_for_key(1).name == "économie"
    assert store.find_tag(first.name).key == economie.key  # the keys changed places
    with store.undoable("no key"):
        store.set_tag_key("économie", None)
    assert store.find_tag("économie").key is None
    with store.undoable("colour"):
        store.recolor_tag("économie", "#ABCDEF")
    with store.undoable("describe"):
        store.describe_tag("économie", "  Ce qui touche à l'argent. ")
    with pytest.raises(ValueError):
        store.recolor_tag("économie", "red")
    with pytest.raises(ValueError):
        store.set_tag_key("économie", 10)
    store.close()
    store = Store(directory, annotator="alice")
    kept = store.find_tag("économie")
    assert (kept.color, kept.description) == ("#abcdef", "Ce qui touche à l'argent.")
    store.close()


def test_retrieval_of_a_parent_lists_the_passages_of_every_tag_under_it(coded):
    _, store, _ = coded
    assert len(store.with_tag("politique")) == 3
    assert len(store.with_tag("politique/éthique")) == 1


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["rename", "delete", "key", "colour"]),
        st.sampled_from(["politique", "politique/régulation", "économie", "politique/éthique"]),
        st.sampled_from(["politique", "économie/x", "neuf", "politique/régulation", "Économie"]),
    ),
    max_size=6,
)


@settings(max_examples=25, deadline=None)
@given(OPERATIONS)
def test_any_sequence_of_tag_changes_undoes_to_the_start_and_redoes_to_the_end(operations):
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    corpus = Corpus.open(seeds)
    with tempfile.TemporaryDirectory() as directory:
        store = Store(Path(directory), annotator="alice")
        document = corpus.documents[0]
        for index, name in enumerate(["politique/régulation", "politique", "économie"]):
            with store.undoable("tag"):
                store.toggle_tag(document, document.passages[index], name)
                store.toggle_tag(document, document.passages[index + 1], name)
        start, recorded = state(store), 0
        for kind, name, other in operations:
            last = store.last_change
            try:
                with store.undoable(kind):
                    if kind == "rename":
                        store.rename_tag(name, other)
                    elif kind == "delete":
                        store.delete_tag(name)
                    elif kind == "key":
                        store.set_tag_key(name, 1)
                    else:
                        store.recolor_tag(name, "#123456")
            except TagNameError:
                pass  # a name gone or refused: nothing happened
            recorded += store.last_change is not last
        end = state(store)
        for _ in range(recorded):
            store.undo()
        assert state(store) == start
        while store.redo() is not None:
            pass
        assert state(store) == end
        store.close()


def test_a_rename_onto_names_that_are_moving_too_merges_nothing(coded):
    corpus, store, _ = coded
    document = corpus.documents[0]
    for name in ("a/b", "a/b/b", "a/b/c"):
        store.create_tag(name)
    with store.undoable("tags"):
        for index, name in enumerate(("a/b", "a/b/b", "a/b/c")):
            store.toggle_tag(document, document.passages[5 + index], name)
    # a/b/b becomes a/b, but a/b is itself moving (to a): nothing is merged.
    assert store.merges_for("a/b", "a") == []
    with store.undoable("rename"):
        store.rename_tag("a/b", "a")
    names = {t.name for t in store.tags()}
    assert {"a", "a/b", "a/c"} <= names and "a/b/b" not in names
    on_passages = {tag for a in store.annotations() for tag in a.tags}
    assert on_passages <= names, "every tag on a passage has its record"


def test_renaming_a_level_cuts_names_by_levels_whatever_their_case(coded):
    _, store, _ = coded
    store.create_tag("Straße/x")
    store.create_tag("STRASSE/y")
    with store.undoable("rename"):
        renamed = store.rename_tag("Straße", "road")
    assert sorted(renamed.values()) == ["road/x", "road/y"]


def with_tag_records(store_dir: Path, *records: dict) -> Store:
    """The store reopened with tag records added to its files as they are written, unchecked."""
    Store(store_dir, annotator="alice", compact_after=0).close()  # every action in the snapshot
    path = store_dir / "glose.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    tags = data.setdefault("tags", {})
    for record in records:
        tags[str(max(map(int, tags), default=0) + 1)] = record
    path.write_text(json.dumps(data), encoding="utf-8")
    return Store(store_dir, annotator="alice")


def test_a_name_stored_before_levels_is_found_as_typed_and_shown(coded):
    _corpus, store, store_dir = coded
    store.close()
    # Written as an old glose would have: spaces around '/', kept as they were.
    store = with_tag_records(store_dir, {"name": "a / b", "color": "#123456", "key": None})
    assert store.find_tag("a/b").name == "a / b", "typing a/b finds it: no second tag"
    assert store.create_tag("A/B").name == "a / b"
    store.close()
    store = with_tag_records(
        store_dir,
        {"name": "x/y", "color": "#654321", "key": None},
        {"name": "x / y", "color": "#654322", "key": None},
    )
    tree = tag_tree(store.tags(), store.node_counts())
    shown = {node.tag.name for node in flattened(tree) if node.tag}
    assert {"a / b", "x/y", "x / y"} <= shown, "no tag is hidden by another on its path"
    with store.undoable("delete"):
        store.delete_tag("a/b")
    assert store.find_tag("a/b") is None
    store.close()


def test_an_undo_that_would_make_a_second_tag_of_one_name_is_refused(coded):
    corpus, store, _ = coded
    document = corpus.documents[0]
    with store.undoable("rename"):
        store.rename_tag("économie", "eco")
    store.create_tag("économie", color="#123456")  # outside undoable: not a step of undo
    with pytest.raises(StoreError, match="already exists"):
        store.undo()
    assert [t.name for t in store.tags()].count("économie") == 1
    assert store.find_tag("eco") is not None, "the refused undo changed nothing"
    assert document.passages  # the corpus is untouched


def test_everyone_s_tag_counts_count_each_passage_once(annotated):
    select(annotated.corpus, annotated.store)  # anchors: the deleted passage's tag is an orphan
    counts = annotated.store.tag_counts(ALL)
    # Alice and Bob both tagged passage 2 of 000: one passage, counted once.
    assert counts["sécurité"] == 4 + 2 - 1
