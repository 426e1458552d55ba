"""File names that are not UTF-8: each gets an id of its own, the same on every run, and keeps
it through every export and back."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import export_data
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.document import name_text
from tui.interchange import importing
from tui.interchange.export import select
from tui.interchange.formats import FORMATS
from tui.store import Store


def write(root: Path, name: bytes, text: str) -> None:
    with open(os.path.join(os.fsencode(root), name), "wb") as file:
        file.write(text.encode("utf-8"))


def corpus_of(root: Path, files: dict[bytes, str]) -> Corpus:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write(root, name, text)
    return Corpus.open(root)


def test_names_that_differ_in_bytes_that_are_not_utf8_get_ids_of_their_own(tmp_path):
    corpus = corpus_of(
        tmp_path / "c",
        {b"a\xff.txt": "Premier texte.", b"a\xfe.txt": "Second texte.", b"50%\xe9.txt": "Cent."},
    )
    assert {d.id: d.text for d in corpus} == {
        "a%FF": "Premier texte.",
        "a%FE": "Second texte.",
        "50%25%E9": "Cent.",
    }
    assert sorted(d.relpath for d in corpus) == ["50%25%E9.txt", "a%FE.txt", "a%FF.txt"]
    assert corpus.problems == [], "no id taken by another file"
    # The same id whatever else the folder holds: it is the name's own.
    os.remove(os.path.join(os.fsencode(tmp_path / "c"), b"a\xfe.txt"))
    assert Corpus.open(tmp_path / "c").get("a%FF").text == "Premier texte."
    assert Corpus.open(tmp_path / "c", Catalog()).get("a%FF") is not None, "listed the same"


def test_utf8_names_keep_their_ids():
    for name in ("a.txt", "é é.txt", "50%.txt", "a%FF.txt", "日本.md", "a\ufffd.txt"):
        assert name_text(name) == name


def test_each_annotation_is_exported_once_on_its_own_document_and_comes_back(tmp_path):
    corpus = corpus_of(
        tmp_path / "c", {b"a\xff.txt": "Premier texte.", b"a\xfe.txt": "Second texte."}
    )
    store = Store(tmp_path / "store")
    for document in corpus:
        store.toggle_tag(document, document.passages[0], "t")

    data = export_data(corpus, store)
    documents = {d["id"]: d for d in data["documents"]}
    assert {i: (d["path"], d["passages"][0]["text"]) for i, d in documents.items()} == {
        "a%FE": ("a%FE.txt", "Second texte."),
        "a%FF": ("a%FF.txt", "Premier texte."),
    }
    uuids = [p["uuid"] for d in data["documents"] for p in d["passages"]]
    assert len(uuids) == len(set(uuids)) == 2

    out = io.BytesIO()
    FORMATS["refi-qda"].write(select(corpus, store), corpus, out)
    with zipfile.ZipFile(out) as archive:
        project = ElementTree.fromstring(archive.read("project.qde"))
        names = archive.namelist()
    sources = [e for e in project.iter() if e.tag.endswith("TextSource")]
    selections = [e for e in project.iter() if e.tag.endswith("PlainTextSelection")]
    assert len({s.get("guid") for s in sources}) == 2
    assert len({s.get("guid") for s in selections}) == 2
    assert len([n for n in names if n.startswith("sources/")]) == 2

    # Back, into another copy of the corpus: by id (glose JSON) and by file IRI (W3C).
    copy = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "c", copy)
    elsewhere = Corpus.open(copy)
    for format_name in ("json", "w3c"):
        text = io.StringIO()
        FORMATS[format_name].write(select(corpus, store), corpus, text)
        parsed = importing.read_text(text.getvalue(), elsewhere)
        placed = {(a.document, a.quote) for a in parsed.annotations}
        assert placed == {("a%FE", "Second texte."), ("a%FF", "Premier texte.")}, format_name
    store.close()


def test_a_utf8_name_that_reads_as_one_that_is_not_still_leaves_both_their_ids(tmp_path):
    corpus = corpus_of(
        tmp_path / "c", {b"a%FF.txt": "UTF-8.", b"a\xff.txt": "Pas UTF-8.", b"a%FF.md": "Md."}
    )
    ids = [d.id for d in corpus]
    assert len(set(ids)) == 3
    assert corpus.get("a%FF").text == "Md.", "a UTF-8 name keeps its id"
    assert ids == [d.id for d in Corpus.open(tmp_path / "c")]


NAME = st.lists(
    st.sampled_from([b"a", b"%", b"F", b"2", b"5", b"\xff", b"\xfe", b"\xc3", b"\xa9", b" "]),
    min_size=1,
    max_size=5,
).map(b"".join)


@settings(max_examples=60, deadline=None)
@given(names=st.sets(st.tuples(NAME, st.sampled_from([b".txt", b".md"])), min_size=1, max_size=8))
def test_distinct_names_get_distinct_ids_and_the_same_name_the_same_id(names):
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for stem, suffix in names:
            write(root, stem + suffix, (stem + suffix).decode("utf-8", "replace"))
        first = {os.fsencode(d.path.name): d.id for d in Corpus.open(root)}
        again = {os.fsencode(d.path.name): d.id for d in Corpus.open(root, Catalog())}
        assert len(first) == len(names)
        assert len(set(first.values())) == len(names)
        assert again == first


@given(st.binary(min_size=1, max_size=12), st.binary(min_size=1, max_size=12))
def test_names_that_are_not_utf8_never_read_the_same(one, other):
    def not_utf8(name: bytes) -> bool:
        try:
            name.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    if one != other and not_utf8(one) and not_utf8(other):
        assert name_text(os.fsdecode(one)) != name_text(os.fsdecode(other))
    shown = name_text(os.fsdecode(one))
    assert shown.encode("utf-8")  # real text: it goes into JSON, XML and CSV as it is
    json.dumps(shown)
