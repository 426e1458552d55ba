"""REFI-QDA read back: codebooks (`.qdc`) found by their content, the ATLAS.ti sample
projects, and code names that hold a `/`, which is a level separator in glose."""

from __future__ import annotations

import errno
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import SEEDS
from tui.corpus import Corpus
from tui.interchange import importing, refi
from tui.interchange.export import Export, select
from tui.interchange.formats import FORMATS
from tui.store import Store
from tui.store.model import Tag

REFI = Path(__file__).parent.parent / "conformance" / "refi-qda"


def codebook(tags: list[Tag]) -> bytes:
    out = io.BytesIO()
    refi.write_codebook(Export(tags=tags), out)
    return out.getvalue()


def test_the_atlas_ti_samples_give_their_codes_nested_and_no_annotations():
    corpus = Corpus.open(SEEDS)
    blank = importing.read_file(REFI / "blank-atlas.qdpx", corpus)
    assert (blank.tags, blank.annotations, blank.skipped) == ([], [], [])
    target = importing.read_file(REFI / "target-atlas.qdpx", corpus)
    assert [tag.name for tag in target.tags] == [
        "Commits",
        "Commits/2022-05-10T02:05:59Z 19e4dce",
        "Commits/2022-02-11T10:39:25Z cdbfd92",
    ]
    assert target.annotations == [] and target.skipped == []


def test_a_codebook_is_read_by_its_content_with_its_tree_colours_and_descriptions(tmp_path):
    tags = [
        Tag("acteurs/entreprises", "#aa0000", None, description="Qui vend.\nEt achète."),
        Tag("politique", "#00aa00", None),
        Tag("politique/autres", "#0000aa", None),
        Tag("acteurs/autres", "#123456", None),
    ]
    path = tmp_path / "codes.xml"  # not named .qdc: the content says what it is
    path.write_bytes(codebook(tags))
    parsed = importing.read_file(path, Corpus.open(SEEDS))
    assert parsed.format == "REFI-QDA codebook" and parsed.annotations == []
    assert sorted((t.name, t.color, t.description) for t in parsed.tags) == sorted(
        (t.name, t.color, t.description) for t in tags
    )


def test_a_codebook_into_a_store_keeps_the_colours_and_keys_of_the_tags_there(tmp_path):
    store = Store(tmp_path / "store", annotator="ana")
    try:
        store.create_tag("politique", color="#111111")
        key = store.find_tag("politique").key
        path = tmp_path / "codes.qdc"
        path.write_bytes(
            codebook([Tag("politique", "#00aa00", None), Tag("économie", "#0000aa", None)])
        )
        parsed = importing.read_file(path, Corpus.open(SEEDS))
        store.import_annotations([], {}, parsed.tags)
        held = {tag.name: (tag.color, tag.key) for tag in store.tags()}
        assert held["politique"] == ("#111111", key)
        assert held["économie"][0] == "#0000aa"
    finally:
        store.close()


def test_a_slash_in_a_code_name_is_one_level_that_looks_the_same(tmp_path):
    ns = refi.CODEBOOK_NS
    xml = (
        f'<?xml version="1.0"?><CodeBook xmlns="{ns}"><Codes>'
        '<Code guid="3F2504E0-4F89-11D3-9A0C-0305E82C3301" name="oui/non" isCodable="true"/>'
        '<Code guid="3F2504E0-4F89-11D3-9A0C-0305E82C3302" name="Réponses" isCodable="true">'
        '<Code guid="3F2504E0-4F89-11D3-9A0C-0305E82C3303" name="peut-être/non" '
        'isCodable="true"/>'
        # glose's own name for a last level another code shares: the path, nested as it is.
        '<Code guid="3F2504E0-4F89-11D3-9A0C-0305E82C3304" name="Réponses/autres" '
        'isCodable="true"/></Code></Codes></CodeBook>'
    )
    path = tmp_path / "codes.qdc"
    path.write_text(xml, encoding="utf-8")
    parsed = importing.read_file(path, Corpus.open(SEEDS))
    names = [tag.name for tag in parsed.tags]
    assert names == ["oui∕non", "Réponses", "Réponses/peut-être∕non", "Réponses/autres"]
    # And those tags go out and come back as they are.
    path.write_bytes(codebook([Tag(name, "#112233", None) for name in names]))
    assert [tag.name for tag in importing.read_file(path, Corpus.open(SEEDS)).tags] == names


def test_a_codebook_the_xsd_refuses_is_named_at_its_first_invalid_place(tmp_path):
    xml = codebook([Tag("politique", "#00aa00", None)]).replace(b'"true"', b'"oui"')
    path = tmp_path / "codes.qdc"
    path.write_bytes(xml)
    try:
        importing.read_file(path, Corpus.open(SEEDS))
    except importing.FileError as error:
        assert str(error).startswith(
            "the codebook: not valid REFI-QDA at /CodeBook/Codes/Code: attribute isCodable='oui'"
        ), error
    else:
        raise AssertionError("a codebook the XSD refuses was read")


def test_a_project_of_nothing_says_it_holds_every_document_as_a_source():
    corpus = Corpus.open(SEEDS)
    said = FORMATS["refi-qda"].contents(Export(), corpus)
    assert said == f"0 annotations, {len(list(corpus))} documents as sources"


def test_an_annotation_naming_nobody_is_no_one_not_a_user_named_unknown(coded, tmp_path):
    selection = select(coded.corpus, coded.store)
    placed = [item.annotation for item in selection.items if item.placed]
    nobody, someone = placed[0], placed[1]
    nobody.annotator, someone.annotator = "", "unknown"
    data = FORMATS["refi-qda"].to_bytes(selection, coded.corpus)
    root = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))
    users = {u.get("name"): u.get("guid") for u in root.iter(f"{{{refi.PROJECT_NS}}}User")}
    assert users["(no annotator)"] != users["unknown"]
    path = tmp_path / "p.qdpx"
    path.write_bytes(data)
    back = {a.uuid: a.annotator for a in importing.read_file(path, coded.corpus).annotations}
    assert back[nobody.uuid] == "" and back[someone.uuid] == "unknown"


LEVEL = st.sampled_from(["a", "A", "b", " b ", "B", "c", "b (2)", "oui∕non"])


@settings(max_examples=80, deadline=None)
@given(
    names=st.lists(
        st.lists(LEVEL, min_size=1, max_size=3).flatmap(
            lambda levels: st.sampled_from(["/", " / "]).map(lambda sep: sep.join(levels))
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_tags_an_old_store_holds_give_codes_with_names_of_their_own(names):
    # As a store holds them: names differ once case is ignored, spaces around levels may stay.
    tags = list({name.casefold(): Tag(name, "#112233", None) for name in names}.values())
    xml = codebook(tags)
    refi._schema("CodeBook").validate(xml.decode("utf-8"))
    root = ElementTree.fromstring(xml)
    codes = [found.get("name") for found in root.iter(f"{{{refi.CODEBOOK_NS}}}Code")]
    assert len({name.casefold() for name in codes}) == len(codes), codes


def test_a_project_imported_twice_adds_nothing_and_a_failed_write_changes_nothing(
    coded, tmp_path, monkeypatch
):
    from tests.store.test_faults import fail_journal
    from tui.store import StoreWriteError

    data = FORMATS["refi-qda"].to_bytes(select(coded.corpus, coded.store), coded.corpus)
    path = tmp_path / "p.qdpx"
    path.write_bytes(data)
    documents = {document.id: document for document in coded.corpus}
    target = Store(tmp_path / "target", annotator="me")
    try:
        target.create_tag("déjà", color="#111111")
        before = (sorted(h.uuid for h in target.highlights()), target.tags())
        parsed = importing.read_file(path, coded.corpus)
        fail_journal(monkeypatch, target, "write", errno.ENOSPC)
        with pytest.raises(StoreWriteError):
            target.import_annotations(parsed.annotations, documents, parsed.tags)
        monkeypatch.undo()
        assert (sorted(h.uuid for h in target.highlights()), target.tags()) == before
        with Store(tmp_path / "target", readonly=True) as reader:
            assert (sorted(h.uuid for h in reader.highlights()), reader.tags()) == before
        first = target.import_annotations(parsed.annotations, documents, parsed.tags)
        assert first.added > 0 and first.merged == first.unchanged == 0
        parsed = importing.read_file(path, coded.corpus)
        again = target.import_annotations(parsed.annotations, documents, parsed.tags)
        assert (again.added, again.merged, again.unchanged) == (0, 0, first.added)
    finally:
        target.close()


CASE_TWINS = (
    '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    '<Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3301" name="oui" isCodable="true"/>'
    '<Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3302" name="Oui" isCodable="true"/>'
    "</Codes></CodeBook>"
)


def test_codes_named_alike_but_for_case_are_said_to_be_one_tag(tmp_path):
    path = tmp_path / "codes.qdc"
    path.write_text(CASE_TWINS, encoding="utf-8")
    parsed = importing.read_file(path, Corpus.open(SEEDS))
    assert parsed.skipped == [
        "merged code 'Oui' into 'oui': tag names that differ only in case are one tag in glose"
    ]
    store = Store(tmp_path / "store", annotator="me")
    try:
        store.import_annotations([], {}, parsed.tags)
        assert [tag.name for tag in store.tags()] == ["oui"]
    finally:
        store.close()
