"""The interchange review's cases, one test each: each failed before its fix."""

from __future__ import annotations

import io
import json
import zipfile
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import text_document
from tui.corpus import Corpus, Document, Passage
from tui.interchange import importing, refi
from tui.interchange.export import Filters, select
from tui.interchange.files import WriteCancelled, write_atomically
from tui.interchange.formats import FORMATS
from tui.interchange.reading import FileError
from tui.store import ALL, Store
from tui.store.reanchoring import holding_most
from tui.store.records import joined_notes

from .test_import import export_text


def documents_of(corpus: Corpus) -> dict[str, Document]:
    return {document.id: document for document in corpus}


def import_text(store: Store, corpus: Corpus, text: str):
    parsed = importing.read_text(text, corpus)
    for annotation in parsed.annotations:
        annotation.annotator = annotation.annotator or store.annotator
    return store.import_annotations(parsed.annotations, documents_of(corpus), parsed.tags)


def every_uuid(store: Store) -> list[str]:
    return [a.uuid for a in [*store.annotations(), *store.highlights()]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["documents"][0]["passages"][0].update(start=95.0), r"start: 95\.0 is not"),
        (lambda d: d["documents"][0]["passages"][0].update(index=1.0), r"index: 1\.0 is not"),
        (lambda d: d.update(version=3.0), r"version: glose reads versions 1 to 3"),
        (lambda d: d["documents"][0]["passages"][0].update(created="hier"), r"created: 'hier'"),
    ],
)
def test_numbers_that_are_not_whole_and_times_that_are_not_times_are_refused(
    annotated, change, message
):
    data = json.loads(export_text("json", annotated.corpus, annotated.store))
    change(data)
    with pytest.raises(FileError, match=message):
        importing.read_text(json.dumps(data), annotated.corpus)


def test_json_lines_refuse_float_offsets_huge_numbers_and_deep_nesting(annotated):
    lines = export_text("jsonl", annotated.corpus, annotated.store).splitlines()
    record = json.loads(lines[0])
    with pytest.raises(FileError, match=r"^line 1: passage: 1\.0 is not a whole number"):
        importing.read_text(json.dumps({**record, "passage": 1.0}), annotated.corpus)
    huge = lines[0] + "\n" + lines[1].replace('"start":', '"start":' + "9" * 5000 + ',"x":')
    with pytest.raises(FileError, match=r"^line 2: not JSON glose can read"):
        importing.read_text(huge, annotated.corpus)
    deep = lines[0] + "\n" + "[" * 100_000 + "]" * 100_000
    with pytest.raises(FileError, match=r"^line 2: not JSON"):
        importing.read_text(deep, annotated.corpus)


def test_a_float_on_a_document_not_in_the_corpus_never_reaches_the_store(annotated, tmp_path):
    data = json.loads(export_text("json", annotated.corpus, annotated.store))
    missing = next(d for d in data["documents"] if d.get("missing"))
    missing["orphans"][0]["start"] = 0.0
    with pytest.raises(FileError, match=r"orphans\[0\]\.start: 0\.0"):
        importing.read_text(json.dumps(data), annotated.corpus)


def test_importing_after_the_article_changed_finds_what_is_already_there(tmp_path, seeds):
    root = tmp_path / "corpus"
    root.mkdir()
    text = (seeds / "000_9ff77a90e9a0ba93.txt").read_text(encoding="utf-8")
    (root / "a.txt").write_text(text, encoding="utf-8")
    corpus = Corpus.open(root)
    document = corpus.get("a")
    store = Store(tmp_path / "store", annotator="alice")
    store.create_tag("politique")
    store.toggle_tag(document, document.passages[2], "politique")
    start = document.text.index("Bard et Claude")
    store.add_highlight(document, document.passages, start, start + 14, "pink")
    (root / "a.txt").write_text("Un paragraphe ajouté en tête.\n\n" + text, encoding="utf-8")
    corpus = Corpus.open(root)
    exported = export_text("json", corpus, store)  # anchors in the new text, in memory
    report = import_text(store, corpus, exported)
    assert (report.added, report.unchanged) == (0, 2)
    assert len(store.annotations()) == 1 and len(store.highlights()) == 1
    assert len(set(every_uuid(store))) == 2
    store.close()


def test_one_file_imported_as_two_annotators_gives_each_its_own_uuids(annotated, tmp_path):
    text = export_text("json", annotated.corpus, annotated.store)
    store = Store(tmp_path / "two")
    for who in ("carol", "dave"):
        parsed = importing.read_text(text, annotated.corpus)
        for annotation in parsed.annotations:
            annotation.annotator = who
        store.import_annotations(parsed.annotations, documents_of(annotated.corpus), parsed.tags)
    uuids = every_uuid(store)
    # Alice's and Bob's annotations of one passage become one annotation of each importer.
    assert len(uuids) == 2 * 16 and len(set(uuids)) == len(uuids)
    # And the W3C export names every annotation once.
    ids = [
        item["id"]
        for item in json.loads(export_text("w3c", annotated.corpus, store))["first"]["items"]
    ]
    assert len(ids) == len(set(ids))
    store.close()


def test_two_w3c_annotations_with_one_id_do_not_share_it(annotated, tmp_path):
    document = annotated.corpus.get("000_9ff77a90e9a0ba93")

    def annotation(words: str) -> dict:
        return {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "http://example.org/same",
            "type": "Annotation",
            "target": {
                "source": f"urn:glose:document:{document.id}",
                "selector": {"type": "TextQuoteSelector", "exact": words},
            },
        }

    text = json.dumps([annotation("Bard et Claude"), annotation("The AI Alliance")])
    store = Store(tmp_path / "same", annotator="me")
    report = import_text(store, annotated.corpus, text)
    assert report.added == 2
    assert len(set(every_uuid(store))) == 2
    store.close()


def test_a_quote_that_lost_a_copy_is_placed_on_import_as_the_store_places_it(tmp_path):
    words = "ntreprises comme Met"
    first = f"Les entreprises comme Meta annoncent. {'Un long remplissage. ' * 5}"
    second = f"D’autres entreprises comme Meta suivent. {'Encore du texte. ' * 5}"
    root = tmp_path / "c"
    root.mkdir()
    (root / "d.txt").write_text(first + "\n\n" + second, encoding="utf-8")
    corpus = Corpus.open(root)
    document = corpus.get("d")
    store = Store(tmp_path / "s", annotator="me")
    start = document.text.index(words)  # the first copy
    store.add_highlight(document, document.passages, start, start + len(words), "green")
    (root / "d.txt").write_text(second, encoding="utf-8")  # its paragraph deleted
    corpus = Corpus.open(root)
    selection = select(corpus, store)
    assert [item.annotation.status for item in selection.items] == ["orphan"]
    for format_name in ("json", "jsonl", "w3c"):
        copy = Store(tmp_path / f"copy-{format_name}", annotator="me")
        import_text(copy, corpus, export_text(format_name, corpus, store))
        assert [h.status for h in copy.highlights()] == ["orphan"], format_name
        copy.close()
    store.close()


def test_a_tagged_passage_that_is_one_of_two_identical_ones_survives_glose_json(tmp_path):
    paragraph = "Ce paragraphe revient deux fois, mot pour mot."
    root = tmp_path / "c"
    root.mkdir()
    (root / "d.txt").write_text(f"Titre\n\n{paragraph}\n\n{paragraph}", encoding="utf-8")
    corpus = Corpus.open(root)
    document = corpus.get("d")
    store = Store(tmp_path / "s", annotator="me")
    store.create_tag("double")
    store.toggle_tag(document, document.passages[2], "double")
    (root / "d.txt").write_text(f"Titre modifié\n\n{paragraph}\n\n{paragraph}", encoding="utf-8")
    corpus = Corpus.open(root)
    exported = export_text("json", Corpus.open(root), store)
    copy = Store(tmp_path / "copy", annotator="me")
    import_text(copy, corpus, exported)
    (annotation,) = copy.annotations()
    assert not annotation.is_orphan and annotation.passage == 2
    copy.close()
    store.close()


def test_refi_qda_with_a_tag_filter_defines_every_code_it_references(annotated):
    selection = select(annotated.corpus, annotated.store, Filters(tags=("sécurité",)))
    out = io.BytesIO()
    refi.write_project(selection, annotated.corpus, out)
    root = ElementTree.fromstring(zipfile.ZipFile(out).read("project.qde"))
    ns = {"q": refi.PROJECT_NS}
    codes = {code.get("guid") for code in root.iterfind(".//q:Code", ns)}
    references = {ref.get("targetGUID") for ref in root.iterfind(".//q:CodeRef", ns)}
    assert references and references <= codes
    names = {code.get("name") for code in root.iterfind(".//q:Code", ns)}
    assert {"[bold]gras[", "bold]"} <= names  # '/' makes levels: nested codes


def test_a_file_iri_from_another_machine_takes_the_longest_matching_path(tmp_path):
    root = tmp_path / "c"
    (root / "sub").mkdir(parents=True)
    (root / "x.txt").write_text("Le premier texte.", encoding="utf-8")
    (root / "sub" / "x.txt").write_text("Le texte du dossier, tagué.", encoding="utf-8")
    corpus = Corpus.open(root)
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:6a6f0a53-8c0e-4a57-b0b2-6b8c1f3d2a11",
        "type": "Annotation",
        "target": {
            "source": "file:///home/autre/corpus/sub/x.txt",
            "selector": {"type": "TextQuoteSelector", "exact": "tagué"},
        },
    }
    (parsed,) = importing.read_text(json.dumps(annotation), corpus).annotations
    assert parsed.document == "sub/x"


def w3c_on(document: Document, selector) -> str:
    return json.dumps(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "http://example.org/a",
            "type": "Annotation",
            "creator": {"name": "Marie"},
            "created": "2024-01-31T09:00:00Z",
            "body": [
                {"type": "TextualBody", "purpose": "tagging", "value": "ok"},
                {"type": "TextualBody", "purpose": "tagging", "value": "a;b"},
                {"type": "TextualBody", "value": "Ligne un\r\nligne deux"},
            ],
            "target": {"source": f"urn:glose:document:{document.id}", "selector": selector},
        }
    )


def test_w3c_position_and_quote_that_agree_are_trusted_even_for_repeated_words(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "d.txt").write_text(
        "Meta.\n\nMeta encore.\n\nEt Meta.\n\nMeta enfin.", encoding="utf-8"
    )
    corpus = Corpus.open(root)
    document = corpus.get("d")
    start = document.text.index("Et Meta") + 3
    selectors = [
        {"type": "TextQuoteSelector", "exact": "Meta"},
        {"type": "TextPositionSelector", "start": start, "end": start + 4},
    ]
    parsed = importing.read_text(w3c_on(document, selectors), corpus)
    (left,) = parsed.skipped
    assert left.startswith("kept http://example.org/a without its tag 'a;b' (A tag name")
    store = Store(tmp_path / "s", annotator="me")
    store.import_annotations(parsed.annotations, documents_of(corpus))
    (annotation,) = store.annotations()
    assert annotation.passage == 2 and annotation.tags == ["ok"]
    assert annotation.note == "Ligne un\nligne deux"  # CRLF from another tool, as LF
    assert annotation.annotator == "Marie" and annotation.created == "2024-01-31T09:00:00Z"
    store.close()


@pytest.mark.parametrize(("start", "end"), [(100_000, 100_010), (5, 5)])
def test_w3c_positions_that_hold_no_words_are_skipped_with_a_line(annotated, start, end):
    document = annotated.corpus.get("000_9ff77a90e9a0ba93")
    selector = {"type": "TextPositionSelector", "start": start, "end": end}
    parsed = importing.read_text(w3c_on(document, selector), annotated.corpus)
    assert parsed.annotations == []
    assert any(line.startswith("skipped") and "is not words of" in line for line in parsed.skipped)


def test_words_that_contradict_the_text_the_file_claims_are_refused(annotated):
    data = json.loads(export_text("json", annotated.corpus, annotated.store))
    entry = data["documents"][0]["passages"][0]
    entry["text"] = "x" * len(entry["text"])
    with pytest.raises(FileError, match=r"documents\[0\]\.passages\[0\]: made on this very text"):
        importing.read_text(json.dumps(data), annotated.corpus)


def test_a_note_inside_a_longer_note_is_still_added():
    assert joined_notes("Pas important du tout", "important") == (
        "Pas important du tout\n\nimportant"
    )
    assert joined_notes("Un.\n\nDeux.", "Deux.") == "Un.\n\nDeux."
    assert joined_notes("", "Seul.") == "Seul."


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


def test_a_cancelled_write_replaces_nothing(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("ancien", encoding="utf-8")
    with pytest.raises(WriteCancelled):
        write_atomically(target, lambda out: out.write("nouveau"), wanted=lambda: False)
    assert target.read_text(encoding="utf-8") == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_empty_annotations_from_other_tools_are_not_stored(annotated, tmp_path):
    document = annotated.corpus.get("000_9ff77a90e9a0ba93")
    empty = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/vide",
        "type": "Annotation",
        "glose:kind": "passage",
        "target": {
            "source": f"urn:glose:document:{document.id}",
            "selector": {"type": "TextQuoteSelector", "exact": "Bard et Claude"},
        },
    }
    store = Store(tmp_path / "s", annotator="me")
    report = import_text(store, annotated.corpus, json.dumps(empty))
    assert report.skipped == 1 and store.annotations() == []
    store.close()


def test_everyone_s_tag_counts_count_each_passage_once(annotated):
    select(annotated.corpus, annotated.store)  # anchors: the deleted passage's tag is an orphan
    counts = annotated.store.tag_counts(ALL)
    # Alice and Bob both tagged passage 2 of 000: one passage, counted once.
    assert counts["sécurité"] == 4 + 2 - 1


def test_a_new_tag_does_not_take_a_colour_another_tag_has(tmp_path):
    store = Store(tmp_path / "s")
    first = store.create_tag("un")
    second = store.create_tag("deux", color=first.color)
    assert second.color != first.color
    store.close()


@given(
    st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=20),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=60),
)
def test_the_passage_holding_most_is_found_among_neighbours_as_among_all(lengths, start, span):
    passages, position = [], 0
    for index, length in enumerate(lengths):
        passages.append(Passage(index, position, position + length, "x" * length))
        position += length + 2  # a blank line between passages
    end = start + span

    def overlap(i: int) -> int:
        return min(passages[i].end, end) - max(passages[i].start, start)

    assert holding_most(passages, start, end) == max(range(len(passages)), key=overlap)


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
