"""Import: round trips through every re-importable format, merging, idempotence, one
transaction, errors naming record and field, the W3C suite's own samples."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tui.corpus import Corpus, Document
from tui.interchange import importing
from tui.interchange.export import select
from tui.interchange.formats import FORMATS
from tui.interchange.reading import FileError
from tui.store import Store
from tui.store.records import joined_notes

W3C_SAMPLES = (
    Path(__file__).resolve().parents[1]
    / "conformance/w3c-web-annotation-tests/tools/samples/correct"
)


def export_text(format_name: str, corpus: Corpus, store: Store) -> str:
    out = io.StringIO()
    FORMATS[format_name].write(select(corpus, store), corpus, out)
    return out.getvalue()


def contents(store: Store, corpus: Corpus, positions: bool = True) -> list[tuple]:
    """What an annotation is, whoever stored it: everything but its record id. An orphan's
    last known offsets (positions=False) are not in every format."""
    found = []
    present = {document.id for document in corpus}
    for a in [*store.annotations(), *store.highlights()]:
        record = a.to_record()
        orphan = a.is_orphan or a.document not in present
        where = (record["start"], record["end"]) if positions or not orphan else (-1, -1)
        found.append(
            (
                type(a).__name__,
                record["document"],
                *where,
                *(record[key] for key in ("quote", "annotator")),
                tuple(record.get("tags", ())),
                record.get("highlighted"),
                record["color"] if record.get("highlighted", True) else None,
                record["note"],
                orphan,
            )
        )
    return sorted(found)


def annotation_lines(text: str) -> list[str]:
    """The lines of a JSON Lines export after its codebook."""
    return [line for line in text.splitlines() if json.loads(line)["kind"] != "tag"]


def import_into(tmp_path: Path, corpus: Corpus, text: str, name: str = "in") -> Store:
    store = Store(tmp_path / f"store-{name}", annotator="importer")
    parsed = importing.read_text(text, corpus)
    for annotation in parsed.annotations:
        annotation.annotator = annotation.annotator or "importer"
    store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)
    return store


@pytest.mark.parametrize("format_name", ["json", "jsonl", "w3c"])
def test_export_then_import_into_an_empty_store_gives_the_same_annotations(
    format_name, annotated, tmp_path
):
    text = export_text(format_name, annotated.corpus, annotated.store)
    copy = import_into(tmp_path, annotated.corpus, text, format_name)
    try:
        # W3C gives an orphan its quote and context, not offsets that no longer hold it.
        positions = format_name != "w3c"
        expected = contents(annotated.store, annotated.corpus, positions)
        assert contents(copy, annotated.corpus, positions) == expected
        assert len(expected) == 17
        used = {tag for a in annotated.store.annotations() for tag in a.tags}
        if format_name == "json":
            # glose's JSON carries the tags themselves: colours, keys, descriptions.
            def kept(store):
                return [(t.name, t.color, t.key, t.description) for t in store.tags()]

            assert kept(copy) == kept(annotated.store)
        else:
            assert {tag.name for tag in copy.tags()} == used
        # The UUIDs follow (W3C ids, REFI-QDA GUIDs stay the same after a round trip).
        uuids = {a.uuid for a in [*annotated.store.annotations(), *annotated.store.highlights()]}
        assert {a.uuid for a in [*copy.annotations(), *copy.highlights()]} == uuids
    finally:
        copy.close()


def test_importing_the_same_file_twice_changes_nothing(annotated, tmp_path):
    text = export_text("json", annotated.corpus, annotated.store)
    store = import_into(tmp_path, annotated.corpus, text)
    journal = store.directory / "glose.journal"
    before = journal.read_bytes()
    parsed = importing.read_text(text, annotated.corpus)
    report = store.import_annotations(
        parsed.annotations, {d.id: d for d in annotated.corpus}, parsed.tags
    )
    assert report.added == report.merged == 0
    assert report.unchanged + report.orphaned == 17
    assert journal.read_bytes() == before  # not one byte written
    store.close()


def test_import_merges_into_what_the_store_has(annotated, tmp_path):
    corpus = annotated.corpus
    document = corpus.get("000_9ff77a90e9a0ba93")
    target = Store(tmp_path / "target", annotator="alice")
    target.create_tag("Sécurité")  # the same tag, other case: united, not doubled
    target.toggle_tag(document, document.passages[1], "Sécurité")
    target.set_passage_note(document, document.passages[1], "Ma note.")
    text = export_text("json", corpus, annotated.store)
    parsed = importing.read_text(text, corpus)
    report = target.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)
    names = [tag.name for tag in target.tags()]
    assert "Sécurité" in names and "sécurité" not in names
    merged = target.annotation(document, document.passages[1])
    assert merged.tags == ["Sécurité"]  # the incoming "sécurité" is the same tag
    assert merged.note == "Ma note."
    assert report.merged + report.unchanged >= 1
    assert report.added + report.merged + report.unchanged + report.orphaned == 17
    target.close()


def test_annotations_on_documents_not_in_the_corpus_are_kept_and_come_back(annotated, tmp_path):
    text = export_text("json", annotated.corpus, annotated.store)
    small = tmp_path / "small"
    small.mkdir()
    (small / "autre.txt").write_text("Un autre texte.", encoding="utf-8")
    corpus = Corpus.open(small)
    store = import_into(tmp_path, corpus, text, "small")
    assert len(store.annotations()) + len(store.highlights()) == 17
    assert len(store.orphans(corpus={"autre"})) == 17
    store.close()
    # Opened with the full corpus, they are found in their documents again.
    reopened = Store(tmp_path / "store-small")
    selection = select(annotated.corpus, reopened)
    placed = sum(1 for item in selection.items if item.placed)
    assert placed == 15  # all but the orphan and the vanished document's
    reopened.close()


def test_a_dry_run_changes_nothing_and_says_the_same(annotated, tmp_path):
    text = export_text("json", annotated.corpus, annotated.store)
    store = Store(tmp_path / "dry")
    store.close()
    before = {p.name: p.read_bytes() for p in (tmp_path / "dry").iterdir()}
    reader = Store(tmp_path / "dry", readonly=True)
    parsed = importing.read_text(text, annotated.corpus)
    with reader.rehearsal():
        rehearsed = reader.import_annotations(
            parsed.annotations, {d.id: d for d in annotated.corpus}, parsed.tags
        )
        assert len(reader.annotations()) > 0  # visible inside the rehearsal
    assert reader.annotations() == [] and reader.tags() == []
    reader.close()
    assert {p.name: p.read_bytes() for p in (tmp_path / "dry").iterdir()} == before
    real = import_into(tmp_path, annotated.corpus, text, "real")
    parsed = importing.read_text(text, annotated.corpus)
    assert rehearsed.added == len(real.annotations()) + len(real.highlights()) - 2
    real.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["documents"][1]["passages"][0].update(start=-1),
            r"documents\[1\]\.passages\[0\]\.start",
        ),
        (
            lambda d: d["documents"][0]["passages"][1].update(tags=["a;b"]),
            r"documents\[0\]\.passages\[1\]\.tags\[0\]: A tag name cannot hold ';'",
        ),
        (
            lambda d: d["documents"][0]["passages"][0].update(text="faux"),
            r"documents\[0\]\.passages\[0\]\.text: 4 characters long",
        ),
        (lambda d: d["codebook"]["tags"][0].update(color="rouge"), r"codebook\.tags\[0\]\.color"),
        (lambda d: d.update(version=9), r"version: glose reads versions 1 to 5"),
        (
            lambda d: d["documents"][0]["passages"][0].update(uuid="zz"),
            r"^documents\[0\]\.passages\[0\]\.uuid: 'zz' does not match",
        ),
        (
            lambda d: d["documents"][0]["passages"][0].update(color="rouge"),
            r"^documents\[0\]\.passages\[0\]\.color: 'rouge' is not one of \['yellow'",
        ),
        (
            lambda d: d["documents"][0]["passages"][0].update(note="\x1b[2J"),
            r"note: A note cannot hold control characters",
        ),
    ],
)
def test_a_malformed_file_names_the_record_and_field_and_changes_nothing(
    annotated, tmp_path, change, message
):
    data = json.loads(export_text("json", annotated.corpus, annotated.store))
    change(data)
    with pytest.raises(FileError, match=message):
        importing.read_text(json.dumps(data), annotated.corpus)


def test_a_bad_line_in_json_lines_is_named(annotated):
    text = annotation_lines(export_text("jsonl", annotated.corpus, annotated.store))
    text[3] = re.sub(r'"kind": ?"\w+"', '"kind": "chapitre"', text[3])
    with pytest.raises(FileError, match=r"^line 4: kind: 'chapitre' is not one of"):
        importing.read_text("\n".join(text), annotated.corpus)
    with pytest.raises(FileError, match=r"^line 2: not JSON"):
        importing.read_text(text[0] + "\n{pas du json\n", annotated.corpus)


def test_a_failed_write_leaves_the_store_as_it_was(annotated, tmp_path, monkeypatch):
    from tui.store import StoreWriteError
    from tui.store.journal import JournalStorage, StoreWriteFailed

    store = Store(tmp_path / "full")
    store.create_tag("déjà là")
    parsed = importing.read_text(
        export_text("json", annotated.corpus, annotated.store), annotated.corpus
    )

    def full(self, ops):
        raise StoreWriteFailed("No space left on device")

    monkeypatch.setattr(JournalStorage, "_append", full)
    with pytest.raises(StoreWriteError):
        store.import_annotations(
            parsed.annotations, {d.id: d for d in annotated.corpus}, parsed.tags
        )
    assert store.annotations() == [] and [t.name for t in store.tags()] == ["déjà là"]
    store.close()


def test_versions_1_and_2_of_glose_json_are_read(annotated, tmp_path):
    document = annotated.corpus.get("000_9ff77a90e9a0ba93")
    passage = document.passages[2]
    v1 = {
        "format": "glose.annotations",
        "version": 1,
        "exported_at": "2025-01-01T00:00:00Z",
        "corpus": "/x",
        "tags": [{"name": "sécurité", "color": "#1f77b4", "key": 1}],
        "documents": [
            {
                "id": document.id,
                "path": document.relpath,
                "title": document.title,
                "sha256": document.sha256,
                "passages": [
                    {
                        "index": passage.index,
                        "start": passage.start,
                        "end": passage.end,
                        "text": passage.text,
                        "tags": ["sécurité"],
                        "highlighted": True,
                    }
                ],
            }
        ],
    }
    parsed = importing.read_text(json.dumps(v1), annotated.corpus)
    assert parsed.format == "glose.annotations 1"
    (annotation,) = parsed.annotations
    assert annotation.tags == ["sécurité"] and annotation.highlighted
    assert annotation.annotator == ""  # the importer names it (--annotator, or the user)
    v2 = json.loads(export_text("json", annotated.corpus, annotated.store))
    v2["version"] = 2
    v2["tags"] = [{k: t[k] for k in ("name", "color", "key")} for t in v2.pop("codebook")["tags"]]
    for entry in v2["documents"]:
        for p in entry["passages"]:
            p["index"] = p.pop("passage_index")
            for key in ("annotator", "created", "updated", "uuid", "prefix", "suffix"):
                del p[key]
            del p["occurrences"]
            for h in p["highlights"]:
                for key in ("annotator", "created", "updated", "uuid", "occurrences"):
                    del h[key]
                del h["tags"], h["highlighted"]
        for o in entry["orphans"]:
            for key in ("annotator", "created", "updated", "uuid", "sha256", "occurrences"):
                del o[key]
            if o["kind"] != "passage":
                del o["tags"], o["highlighted"]
    assert len(importing.read_text(json.dumps(v2), annotated.corpus).annotations) == 17


def test_w3c_samples_from_the_suite_are_imported_or_skipped_with_a_reason(annotated, tmp_path):
    kept = skipped = 0
    for sample in sorted(W3C_SAMPLES.glob("anno*.json")):
        parsed = importing.read_file(sample, annotated.corpus)
        assert parsed.format == "W3C Web Annotation"
        for line in parsed.skipped:
            # One line each, naming the annotation and why.
            assert line.startswith("skipped http://example.org/anno") and ": " in line
        kept += len(parsed.annotations)
        skipped += len(parsed.skipped)
        for annotation in parsed.annotations:
            # Text targets on pages not in the corpus: kept on their source, as orphans-to-be.
            assert annotation.document.startswith("http://example.")
            assert annotation.quote
    assert kept == 2  # anno26 (a TextQuoteSelector) and anno32 (one refining a fragment)
    assert skipped == len(list(W3C_SAMPLES.glob("anno*.json"))) - kept
    collection = importing.read_file(W3C_SAMPLES / "collection1.json", annotated.corpus)
    assert len(collection.annotations) == 2 and len(collection.skipped) == 39


def test_w3c_from_another_tool_keeps_its_own_words(annotated, tmp_path):
    document = annotated.corpus.get("000_9ff77a90e9a0ba93")
    words = "Bard et Claude"
    start = document.text.index(words)
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/abc",
        "type": "Annotation",
        "creator": "acct:marie@hypothes.is",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "chatbots"},
            {"type": "TextualBody", "value": "Les trois grands."},
        ],
        "target": {
            # Another machine's copy of the same corpus.
            "source": f"file:///home/marie/corpus/{document.relpath}",
            "selector": {"type": "TextQuoteSelector", "exact": words, "suffix": " sont d"},
        },
    }
    parsed = importing.read_text(json.dumps(foreign), annotated.corpus)
    (annotation,) = parsed.annotations
    assert annotation.document == document.id
    assert annotation.annotator == "acct:marie@hypothes.is"
    store = Store(tmp_path / "foreign", annotator="me")
    report = store.import_annotations(parsed.annotations, {d.id: d for d in annotated.corpus})
    assert report.added == 1 and store.annotations() == []
    (stored,) = store.highlights()
    # A segment of its own words, found by them (no position was given), not their passage.
    assert (stored.start, stored.end, stored.quote) == (start, start + len(words), words)
    assert stored.tags == ["chatbots"] and stored.note == "Les trois grands."
    assert not stored.highlighted  # a tag and a note, no colour: a coded segment
    store.close()


def test_files_that_are_not_annotations_are_refused_clearly(annotated, tmp_path):
    with pytest.raises(FileError, match="not annotations glose can read"):
        importing.read_text('{"a": 1}', annotated.corpus)
    with pytest.raises(FileError, match="not JSON"):
        importing.read_text("ceci n'est pas du JSON", annotated.corpus)
    binary = tmp_path / "image.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(FileError, match="is not UTF-8"):
        importing.read_file(binary, annotated.corpus)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # A spreadsheet saved in Latin-1: the byte, and that any file glose reads is UTF-8.
        (
            "codes.csv",
            "tag,description\ncafé,x\n".encode("latin-1"),
            r"^is not UTF-8 \(byte 19: 0xE9\): glose reads UTF-8 files \(JSON, CSV, XML\)$",
        ),
        # Taguette's header with the separator of a spreadsheet set to French.
        (
            "codes.csv",
            b"tag;description\nsemi;x\n",
            r"^is a CSV file with ';' between its cells, where Taguette's CSV has commas",
        ),
        ("p.qdpx", b"hello", r"^is named \.qdpx but is not a REFI-QDA project: a \.qdpx is a zip"),
        ("c.qdc", b"\xe9t\xe9", r"^is named \.qdc but is not a REFI-QDA codebook: a \.qdc is"),
    ],
    ids=["latin-1", "semicolons", "qdpx", "qdc"],
)
def test_a_file_glose_cannot_read_is_said_for_what_it_is(name, data, message, tmp_path):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FileError, match=message):
        importing.read_file(path, Corpus.open(tmp_path))


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
        (
            lambda d: d["documents"][0]["passages"][0].update(passage_index=1.0),
            r"passage_index: 1\.0 is not",
        ),
        (lambda d: d.update(version=3.0), r"version: glose reads versions 1 to 5"),
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
    lines = annotation_lines(export_text("jsonl", annotated.corpus, annotated.store))
    record = json.loads(lines[0])
    with pytest.raises(FileError, match=r"^line 1: passage_index: 1\.0 is not a whole number"):
        importing.read_text(json.dumps({**record, "passage_index": 1.0}), annotated.corpus)
    old = {key: value for key, value in record.items() if key != "passage_index"}
    with pytest.raises(FileError, match=r"^line 1: passage: 1\.0 is not a whole number"):
        importing.read_text(json.dumps({**old, "passage": 1.0}), annotated.corpus)
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
    (annotation,) = store.highlights()
    assert (annotation.start, annotation.status) == (start, "exact")
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


def test_a_json_lines_export_of_nothing_imports_nothing(annotated):
    """An export with no annotation is an empty JSON Lines file: read back, it holds none."""
    for text in ("", "\n"):
        parsed = importing.read_text(text, annotated.corpus)
        assert (parsed.format, parsed.annotations) == ("JSON Lines", [])
