"""The store: tags with keys and colours, passage annotations, state, round trips, bad files."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import text_document
from tui.corpus import Corpus, Document
from tui.store import Store, StoreError, TagNameError, clean_annotator, clean_tag_name
from tui.store.model import TAG_COLORS
from tui.store.schema import SCHEMA_VERSION


@pytest.fixture
def document(seeds) -> Document:
    return Corpus.open(seeds).get("000_9ff77a90e9a0ba93")


def test_tags_get_keys_one_to_nine_then_none_and_distinct_colours(store_dir):
    store = Store(store_dir)
    tags = [store.create_tag(f"tag {n}") for n in range(len(TAG_COLORS) + 1)]
    assert [tag.key for tag in tags][:11] == [1, 2, 3, 4, 5, 6, 7, 8, 9, None, None]
    assert len({tag.color for tag in tags[: len(TAG_COLORS)]}) == len(TAG_COLORS)
    assert tags[-1].color == TAG_COLORS[0], "past the palette, the least used colour comes back"
    listed = store.tags()
    assert [tag.key for tag in listed][:9] == list(range(1, 10))
    assert store.tag_for_key(3).name == "tag 2"
    assert store.tag_for_key(0) is None


def test_create_tag_reuses_a_name_that_differs_only_in_case(store_dir):
    store = Store(store_dir)
    first = store.create_tag("Politique")
    assert store.create_tag("  politique ") == first
    assert len(store.tags()) == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * 61, "at most 60"),
        ("bad\x1bname", "control"),
        ("a\u202eb", "control"),
        ("a;b", "';'"),
    ],
)
def test_bad_tag_names_are_refused_with_a_reason(name, message):
    with pytest.raises(TagNameError, match=message):
        clean_tag_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "An annotator needs a name."),
        (" \t ", "An annotator needs a name."),
        ("*", "'*' cannot name an annotator: it stands for every annotator."),
        (
            "a\x1bb",
            "An annotator's name cannot hold U+001B, a control character: "
            "printable characters only.",
        ),
        (
            "a\u202eb",
            "An annotator's name cannot hold U+202E, a formatting character: "
            "printable characters only.",
        ),
        ("x" * 61, "An annotator's name is at most 60 characters, not 61."),
    ],
)
def test_a_refused_annotator_is_told_what_is_wrong_with_the_name(name, message):
    # '*' and a short name with an escape were once called missing and too long.
    with pytest.raises(ValueError) as refused:
        clean_annotator(name)
    assert str(refused.value) == message


@given(st.text(max_size=80))
def test_an_annotator_refusal_never_blames_what_the_name_does_not_have(name):
    try:
        kept = clean_annotator(name)
    except ValueError as error:
        said = str(error)
        assert ("needs a name" in said) == (not name.split())
        assert ("at most" not in said) or len(" ".join(name.split())) > 60
        if "cannot hold U+" in said:
            assert chr(int(said.split("U+")[1].split(",")[0], 16)) in name
    else:
        assert kept == " ".join(name.split()) and len(kept) <= 60


def test_toggle_tag_and_highlight_round_trip_through_a_reopened_store(store_dir, document):
    passage = document.passages[2]
    store = Store(store_dir)
    store.create_tag("économie")
    assert store.toggle_tag(document, passage, "économie") is True
    assert store.toggle_highlight(document, passage) is True
    store.close()

    reopened = Store(store_dir)
    annotation = reopened.annotation(document, passage)
    assert annotation is not None
    assert annotation.tags == ["économie"]
    assert annotation.highlighted is True
    assert annotation.document == document.id
    assert annotation.sha256 == document.sha256
    assert (annotation.passage, annotation.start, annotation.end) == (2, 95, 319)
    assert annotation.quote == document.text[95:319]
    assert annotation.created and annotation.updated >= annotation.created
    assert reopened.tag_counts() == {"économie": 1}
    assert reopened.annotated_counts() == {document.id: 1}
    # The files are UTF-8 as is; the snapshot names its schema version.
    assert "économie" in (store_dir / "glose.journal").read_text(encoding="utf-8")
    snapshot = json.loads((store_dir / "glose.json").read_text(encoding="utf-8"))
    assert snapshot["meta"]["1"]["schema"] == SCHEMA_VERSION == 4


def test_an_annotation_with_nothing_left_is_removed(store_dir, document):
    passage = document.passages[0]
    store = Store(store_dir)
    store.toggle_tag(document, passage, "x")
    store.toggle_highlight(document, passage)
    store.toggle_tag(document, passage, "x")
    assert store.annotation(document, passage) is not None
    store.toggle_highlight(document, passage)
    assert store.annotation(document, passage) is None
    assert store.annotations() == []


def test_add_tag_is_idempotent(store_dir, document):
    store = Store(store_dir)
    assert store.add_tag(document, document.passages[1], "x") is True
    assert store.add_tag(document, document.passages[1], "x") is False
    assert store.annotation(document, document.passages[1]).tags == ["x"]


def test_state_round_trip(store_dir):
    store = Store(store_dir)
    assert store.get_state("last", "none") == "none"
    store.set_state("last", {"document": "a"})
    store.set_state("last", {"document": "b"})
    store.close()
    assert Store(store_dir).get_state("last") == {"document": "b"}


def test_corrupt_store_is_an_error_and_left_untouched(store_dir):
    store_dir.mkdir()
    path = store_dir / "glose.json"
    path.write_bytes(b'{"tags": {"1": {"name": ')
    with pytest.raises(StoreError, match=r"glose\.json.*move it aside"):
        Store(store_dir)
    assert path.read_bytes() == b'{"tags": {"1": {"name": '


def test_newer_schema_is_refused(store_dir):
    store_dir.mkdir()
    path = store_dir / "glose.json"
    path.write_text(json.dumps({"meta": {"1": {"schema": 99}}}))
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer glose"):
        Store(store_dir)
    assert path.read_bytes() == before


def test_an_annotation_made_on_other_text_is_kept_apart_from_the_passage_now_there(store_dir):
    before = text_document("doc", "Alpha beta.\n\nGamma.")
    after = text_document("doc", "Alpha BETA.\n\nGamma.")
    with Store(store_dir) as store:
        store.toggle_tag(before, before.passages[0], "x")
        assert store.annotation(after, after.passages[0]) is None
        assert store.annotations_on(after) == {}
        store.toggle_highlight(after, after.passages[0])
        assert store.annotation(before, before.passages[0]).tags == ["x"]
        assert store.annotation(after, after.passages[0]).highlighted
        assert len(store.annotations("doc")) == 2


def test_tag_records_with_hostile_names_or_colours_are_damage(store_dir):
    Store(store_dir).close()
    path = store_dir / "glose.json"
    data = json.loads(path.read_text())
    data["tags"] = {"1": {"name": "\x1b]0;PWN\x07", "color": "#ffffff", "key": 1}}
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="record 1 of the tags table"):
        Store(store_dir, readonly=True)
    data["tags"] = {"1": {"name": "ok", "color": "not-a-color", "key": 1}}
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="record 1 of the tags table"):
        Store(store_dir, readonly=True)


def test_uuids_given_by_a_migration_are_the_same_at_every_read(tmp_path):
    document = text_document("doc", "Un.\n\nDeux.")
    passage = document.passages[1]
    record = {
        "document": "doc", "sha256": document.sha256, "passage": 1, "start": passage.start,
        "end": passage.end, "quote": passage.text, "tags": ["a"], "highlighted": False,
        "created": "2026-01-01T00:00:00.000Z", "updated": "2026-01-01T00:00:00.000Z",
        "annotator": "",
    }  # fmt: skip
    (tmp_path / "glose.json").write_text(
        json.dumps({"meta": {"1": {"schema": 2}}, "passages": {"1": record}}), encoding="utf-8"
    )
    reads = []
    for _ in range(2):
        with Store(tmp_path, readonly=True) as reader:
            (annotation,) = reader.annotations()
            reads.append(annotation.uuid)
            assert annotation.annotator == "lecteur"  # an unnamed record is the user's
            assert reader.health().schema == 2  # as on disk, until a writer migrates it
    assert reads[0] == reads[1]
    with Store(tmp_path) as writer:
        assert writer.annotations()[0].uuid == reads[0]


def test_a_new_tag_does_not_take_a_colour_another_tag_has(tmp_path):
    store = Store(tmp_path / "s")
    first = store.create_tag("un")
    second = store.create_tag("deux", color=first.color)
    assert second.color != first.color
    store.close()
