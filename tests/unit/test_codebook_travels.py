"""The codebook travels: an export carries every tag's colour, key and description where its
format can, and an import never changes the tags a store already has."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import SEEDS
from tui.corpus import Corpus
from tui.interchange import importing
from tui.interchange.export import select
from tui.interchange.formats import FORMATS
from tui.store import Store
from tui.store.codebook import path_of
from tui.store.model import NoteError, TagNameError, clean_description, clean_tag_name

DOCUMENT = "000_9ff77a90e9a0ba93"


def codebook(store: Store) -> dict[str, tuple]:
    return {tag.name: (tag.color, tag.key, tag.description) for tag in store.tags()}


@pytest.fixture
def coded(tmp_path: Path):
    """A store whose codebook the defaults would not make: colours of its own (two tags
    sharing one), keys out of order, descriptions."""
    corpus = Corpus.open(SEEDS)
    store = Store(tmp_path / "source", annotator="ana")
    document = corpus.get(DOCUMENT)
    for place, (name, color, key, description) in enumerate(
        [
            ("politique/régulation", "#123456", 7, "Ce que l'État encadre."),
            ("politique/autres", "#123456", 3, ""),
            ("acteurs", "#abcdef", 9, "Qui agit."),
        ],
        start=1,
    ):
        store.create_tag(name, description=description)
        store.recolor_tag(name, color)
        store.set_tag_key(name, key)
        store.toggle_tag(document, document.passages[place], name)
    yield corpus, store
    store.close()


def exported(format_name: str, corpus: Corpus, store: Store) -> str:
    return FORMATS[format_name].to_bytes(select(corpus, store), corpus).decode("utf-8")


def imported(text: str, corpus: Corpus, store: Store):
    parsed = importing.read_text(text, corpus)
    for annotation in parsed.annotations:
        annotation.annotator = annotation.annotator or "importer"
    return store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)


@pytest.mark.parametrize("format_name", ["json", "jsonl"])
def test_a_round_trip_carries_colours_keys_and_descriptions_into_a_fresh_store(
    coded, tmp_path, format_name
):
    corpus, source = coded
    with Store(tmp_path / "fresh") as fresh:
        imported(exported(format_name, corpus, source), corpus, fresh)
        assert codebook(fresh) == codebook(source)
        assert {tag.name: tag.created for tag in fresh.tags()} == {
            tag.name: tag.created for tag in source.tags()
        }


@pytest.mark.parametrize("format_name", ["json", "jsonl", "w3c", "refi-qda"])
def test_importing_keeps_the_colours_keys_and_descriptions_the_store_has(
    coded, tmp_path, format_name
):
    corpus, source = coded
    with Store(tmp_path / "target") as target:
        target.create_tag("acteurs", description="Les acteurs, pour nous.")
        target.recolor_tag("acteurs", "#00ff00")
        target.set_tag_key("acteurs", 1)
        target.create_tag("Politique/Autres")  # the same tag, in other case: united
        target.recolor_tag("Politique/Autres", "#ff0000")
        target.set_tag_key("Politique/Autres", 7)  # the key the file gives another tag
        held = codebook(target)
        if format_name == "refi-qda":
            from tui.interchange import refi

            data = FORMATS[format_name].to_bytes(select(corpus, source), corpus)
            parsed = refi.read_project(data, corpus, 10_000_000)
            assert parsed.tags  # the reader's codebook, with colours
            report = target.import_annotations(
                parsed.annotations, {d.id: d for d in corpus}, parsed.tags
            )
        else:
            report = imported(exported(format_name, corpus, source), corpus, target)
        after = codebook(target)
        assert {name: after[name] for name in held} == held
        new = after["politique/régulation"]
        if format_name in ("json", "jsonl"):
            # The file's colour and description; its key 7 is taken here: the next free one.
            assert new == ("#123456", 2, "Ce que l'État encadre.")
            assert report.descriptions_differ == 1  # acteurs: the store's is kept
        elif format_name == "refi-qda":
            assert new[0] == "#123456" and new[2] == "Ce que l'État encadre."
        else:  # W3C carries tag names only: a new tag takes the next free colour and key
            assert new[1] == 2 and new[0] not in {"#00ff00", "#ff0000"}
        assert "politique/autres" not in after  # united with the store's Politique/Autres


def test_an_empty_description_in_the_store_takes_the_files(coded, tmp_path):
    corpus, source = coded
    with Store(tmp_path / "target") as target:
        target.create_tag("politique/régulation")
        report = imported(exported("json", corpus, source), corpus, target)
        assert target.find_tag("politique/régulation").description == "Ce que l'État encadre."
        assert report.descriptions_differ == 0


def test_json_lines_of_annotations_only_still_read_and_of_tags_only_bring_the_codebook(
    coded, tmp_path
):
    corpus, source = coded
    lines = exported("jsonl", corpus, source).splitlines()
    tags = [line for line in lines if json.loads(line)["kind"] == "tag"]
    annotations = [line for line in lines if json.loads(line)["kind"] != "tag"]
    assert len(tags) == 3 and lines[:3] == tags  # the codebook first
    parsed = importing.read_text("\n".join(annotations), corpus)
    assert len(parsed.annotations) == 3 and parsed.tags == []
    with Store(tmp_path / "fresh") as fresh:
        report = imported("\n".join(tags), corpus, fresh)
        assert report.added == 0 and codebook(fresh) == codebook(source)
    with Store(tmp_path / "one") as one:
        imported(tags[0], corpus, one)  # a file of one line: one tag
        assert [tag.name for tag in one.tags()] == [json.loads(tags[0])["name"]]


def test_a_tag_line_with_a_colour_glose_cannot_keep_is_named(coded):
    corpus, source = coded
    lines = exported("jsonl", corpus, source).splitlines()
    lines[0] = json.dumps({**json.loads(lines[0]), "color": "rouge"})
    with pytest.raises(importing.FileError, match=r"^line 1: color: 'rouge' does not match"):
        importing.read_text("\n".join(lines), corpus)


def test_version_4_json_with_index_imports_to_the_same_place_as_version_5(coded, tmp_path):
    corpus, source = coded
    data = json.loads(exported("json", corpus, source))
    old = json.loads(json.dumps(data))
    old["version"] = 4
    old["tags"] = [
        {key: value for key, value in tag.items() if key != "created"}
        for tag in old.pop("codebook")["tags"]
    ]
    for document in old["documents"]:
        for passage in document["passages"]:
            passage["index"] = passage.pop("passage_index")
    with Store(tmp_path / "five") as five, Store(tmp_path / "four") as four:
        imported(json.dumps(data), corpus, five)
        imported(json.dumps(old), corpus, four)
        place = [(a.document, a.start, a.end, a.tags) for a in five.annotations()]
        assert place == [(a.document, a.start, a.end, a.tags) for a in four.annotations()]
        assert codebook(four) == codebook(five)


def _valid(clean, value: str) -> bool:
    try:
        return clean(value) == value
    except (TagNameError, NoteError):
        return False


PRINTABLE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))
TAG = st.tuples(
    st.text(PRINTABLE, min_size=1, max_size=30).filter(lambda name: _valid(clean_tag_name, name)),
    st.from_regex(r"#[0-9a-f]{6}", fullmatch=True),
    st.text(st.one_of(PRINTABLE, st.just("\n")), max_size=80).filter(
        lambda text: _valid(clean_description, text)
    ),
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tags=st.lists(TAG, min_size=1, max_size=9, unique_by=lambda tag: path_of(tag[0]).casefold()),
    keys=st.permutations(range(1, 10)),
    format_name=st.sampled_from(["json", "jsonl"]),
)
def test_any_codebook_comes_back_whole_through_glose_json_and_json_lines(tags, keys, format_name):
    corpus = Corpus.open(SEEDS)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "source") as source:
        for (name, color, description), key in zip(tags, keys, strict=False):
            made = source.create_tag(name, description=description)
            source.recolor_tag(made.name, color)
            source.set_tag_key(made.name, key)
        text = exported(format_name, corpus, source)
        with Store(Path(folder) / "fresh") as fresh:
            imported(text, corpus, fresh)
            assert codebook(fresh) == codebook(source)


def test_the_schemas_say_which_fields_count_from_0():
    from tui.interchange.reading import schema

    five = schema("glose-annotations-5.schema.json")
    passage = five["$defs"]["passage"]["properties"]
    assert "index" not in passage and "counting from 0" in passage["passage_index"]["description"]
    assert five["required"].count("codebook") == 1 and "tags" not in five["properties"]
    line = schema("glose-annotation-line.schema.json")
    assert "passage_index" in line["properties"] and "counting from 0" in line["description"]
