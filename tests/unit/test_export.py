"""The JSON export: its shape, only annotated passages, exact slices, UTF-8 as is; every format
written, and written atomically (through symlinks, onto devices, or not at all if cancelled)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import export_data, text_document
from tui.corpus import Corpus
from tui.interchange.export import Filters, select
from tui.interchange.files import WriteCancelled, default_export_path, write_atomically
from tui.interchange.formats import FORMATS
from tui.interchange.json_format import write as write_json
from tui.store import ALL, Store


def test_export_holds_only_annotated_passages_with_exact_text(seeds, store_dir):
    corpus = Corpus.open(seeds)
    store = Store(store_dir)
    store.create_tag("sécurité")
    store.create_tag("économie")
    doc_a = corpus.get("002_c25bee6c01f21316")
    doc_b = corpus.get("004_5666f5666deb1184")
    store.toggle_tag(doc_a, doc_a.passages[1], "sécurité")
    store.toggle_tag(doc_a, doc_a.passages[1], "économie")
    store.toggle_highlight(doc_b, doc_b.passages[3])

    data = export_data(corpus, store)
    assert data["format"] == "glose.annotations"
    assert data["version"] == 5
    assert data["exported_at"].endswith("Z")
    assert data["corpus"] == str(seeds.resolve())
    made = {tag.name: tag.created for tag in store.tags()}
    assert data["codebook"]["tags"] == [
        {
            "name": "sécurité",
            "color": "#1f77b4",
            "key": 1,
            "description": "",
            "created": made["sécurité"],
        },
        {
            "name": "économie",
            "color": "#ff7f0e",
            "key": 2,
            "description": "",
            "created": made["économie"],
        },
    ]
    assert "tags" not in data  # in the codebook since version 5
    assert [d["id"] for d in data["documents"]] == [doc_a.id, doc_b.id]
    first = data["documents"][0]
    assert first["path"] == "002_c25bee6c01f21316.txt"
    assert first["title"] == doc_a.title
    assert first["sha256"] == doc_a.sha256
    annotation = store.annotation(doc_a, doc_a.passages[1])
    assert first["passages"] == [
        {
            "passage_index": 1,
            "start": doc_a.passages[1].start,
            "end": doc_a.passages[1].end,
            "text": doc_a.passages[1].text,
            "prefix": doc_a.text[: doc_a.passages[1].start][-32:],
            "suffix": doc_a.text[doc_a.passages[1].end :][:32],
            "occurrences": 1,
            "tags": ["sécurité", "économie"],
            "highlighted": False,
            "color": None,
            "note": "",
            "status": "exact",
            "annotator": store.annotator,
            "created": annotation.created,
            "updated": annotation.updated,
            "uuid": annotation.uuid,
            "highlights": [],
        }
    ]
    for document in data["documents"]:
        text = corpus.get(document["id"]).text
        for passage in document["passages"]:
            assert passage["text"] == text[passage["start"] : passage["end"]]
    assert data["documents"][1]["passages"][0]["highlighted"] is True
    assert data["documents"][1]["passages"][0]["tags"] == []


def test_json_is_written_as_utf8_not_escaped():
    out = io.StringIO()
    write_json({"text": "l’IA «ouverte» é"}, out)
    assert "l’IA «ouverte» é" in out.getvalue()
    assert "\\u" not in out.getvalue()
    assert json.loads(out.getvalue()) == {"text": "l’IA «ouverte» é"}


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")

    def explode(out):
        out.write("half")
        raise RuntimeError("disk gone")

    with contextlib.suppress(RuntimeError):
        write_atomically(target, explode)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_export_paths_never_collide(tmp_path):
    (tmp_path / "exports").mkdir()
    first = default_export_path(tmp_path)
    first.write_text("{}")
    second = default_export_path(tmp_path)
    assert first.parent == tmp_path / "exports"
    assert second != first and second.name.startswith(first.stem)


def test_export_carries_highlights_notes_and_orphans(seeds, store_dir):
    corpus = Corpus.open(seeds)
    store = Store(store_dir)
    document = corpus.get("000_9ff77a90e9a0ba93")
    passage = document.passages[2]
    start = document.text.index("Bard et Claude")
    store.add_highlight(document, document.passages, start, start + 14, "green")
    store.set_passage_note(document, passage, "Trois chatbots cités.")
    # An annotation whose document left the corpus, and one whose words left its document.
    gone = text_document("ailleurs/disparu", "Un texte qui n’est plus là.")
    store.toggle_highlight(gone, gone.passages[0])
    data = export_data(corpus, store)
    entry = next(d for d in data["documents"] if d["id"] == document.id)
    (exported,) = entry["passages"]
    assert exported["passage_index"] == 2 and exported["note"] == "Trois chatbots cités."
    (highlight,) = store.highlights(document.id)
    assert exported["highlights"] == [
        {
            "start": start,
            "end": start + 14,
            "quote": "Bard et Claude",
            "prefix": document.text[start - 32 : start],
            "suffix": document.text[start + 14 : start + 46],
            "occurrences": 1,
            "tags": [],
            "highlighted": True,
            "color": "green",
            "note": "",
            "status": "exact",
            "annotator": store.annotator,
            "created": highlight.created,
            "updated": highlight.updated,
            "uuid": highlight.uuid,
        }
    ]
    assert entry["orphans"] == []
    missing = next(d for d in data["documents"] if d["id"] == "ailleurs/disparu")
    assert missing["missing"] is True and missing["path"] is None
    assert [o["quote"] for o in missing["orphans"]] == ["Un texte qui n’est plus là."]
    counted = sum(
        len(d["orphans"]) + sum(len(p["highlights"]) + bool(p["uuid"]) for p in d["passages"])
        for d in data["documents"]
    )
    assert counted == 3


def test_export_follows_a_symlink_and_writes_into_devices(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomically(link, lambda out: out.write("new"))
    assert link.is_symlink() and target.read_text() == "new"
    write_atomically(Path("/dev/null"), lambda out: out.write("x"))  # written to, not replaced
    assert Path("/dev/null").exists() and not Path("/dev/null").is_file()


def test_a_cancelled_write_replaces_nothing(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("ancien", encoding="utf-8")
    with pytest.raises(WriteCancelled):
        write_atomically(target, lambda out: out.write("nouveau"), wanted=lambda: False)
    assert target.read_text(encoding="utf-8") == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_every_export_of_the_review_store_still_passes_its_checks(annotated):
    # The formats carry occurrences and context now: re-validated by the conformance tests;
    # here only that each format still writes.
    for format in FORMATS.values():
        out = io.BytesIO()
        selection = select(annotated.corpus, annotated.store)
        if format.binary:
            format.write(selection, annotated.corpus, out)
        else:
            text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
            format.write(selection, annotated.corpus, text)
            text.flush()
        assert out.getvalue()


TREE = ["politique", "politique/loi", "politique/vote", "Politique/Loi/article", "économie"]


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tagging=st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(TREE), st.booleans()), max_size=8
    ),
    asked=st.sampled_from([*TREE, "POLITIQUE", "politique/", "poli"]),
)
def test_a_tag_filter_keeps_what_the_retrieval_of_that_tag_lists(
    tmp_path_factory, make_corpus, tagging, asked
):
    root = make_corpus({"a.txt": "Un.\n\nDeux.\n\nTrois.\n\nQuatre.\n"})
    corpus = Corpus.open(root)
    store = Store(tmp_path_factory.mktemp("store"), annotator="alice")
    try:
        document = corpus.get("a")
        for index, name, words in tagging:
            passage = document.passages[index]
            if words:  # the passage's first two letters: a coded segment
                store.tag_span(document, document.passages, passage.start, passage.start + 2, name)
            else:
                store.tag_passage(document, passage, name)
        kept = select(corpus, store, Filters(tags=(asked,))).items
        listed = store.with_tag(asked, ALL)
        # Both in text order; a passage and a segment that start together, in either order.
        assert sorted(item.annotation.uuid for item in kept) == sorted(a.uuid for a in listed)
        assert [item.annotation.start for item in kept] == [a.start for a in listed]
    finally:
        store.close()
