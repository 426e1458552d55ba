"""Coded segments in and out: every export holds each segment's own words and tags, imports
land them as segments (a Hypothesis annotation keeps its span), and random segments survive
export, import into an empty store and export again, in every re-importable format."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import SEEDS, glose
from tui.corpus import Corpus, Document
from tui.interchange import importing, refi
from tui.interchange.export import Filters, select
from tui.interchange.formats import FORMATS
from tui.interchange.reading import FileError
from tui.store import Store
from tui.store.model import DEFAULT_HIGHLIGHT, HIGHLIGHT_COLORS, Highlight, clean_note
from tui.text import trimmed

NS = {"q": refi.PROJECT_NS}


def strip_time(data: bytes) -> dict:
    """A JSON export without the moment it was made."""
    parsed = json.loads(data)
    del parsed["exported_at"]
    return parsed


def exported(format_name: str, corpus: Corpus, store: Store) -> bytes:
    return FORMATS[format_name].to_bytes(select(corpus, store), corpus)


def imported(data: bytes, corpus: Corpus, directory: Path) -> Store:
    """An empty store with `data` imported, as `glose import` does it (no annotator named:
    the file's)."""
    directory.mkdir(exist_ok=True)
    path = directory / "import.bin"
    path.write_bytes(data)
    parsed = importing.read_file(path, corpus)
    store = Store(directory / "imported", annotator="importer")
    for annotation in parsed.annotations:
        annotation.annotator = annotation.annotator or "importer"
    store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)
    return store


def segments(store: Store, corpus: Corpus, positions: bool = True) -> list[tuple]:
    """What each segment is, whoever stored it: everything but its record id and passage. A
    segment whose words are not in the corpus is an orphan, its last known offsets not in
    every format (positions=False)."""
    found = []
    for h in store.highlights():
        orphan = h.is_orphan or corpus.get(h.document) is None
        where = (-1, -1) if orphan and not positions else (h.start, h.end)
        found.append(
            (
                h.document,
                *where,
                h.quote,
                tuple(h.tags),
                h.highlighted,
                h.color if h.highlighted else None,
                h.note,
                h.annotator,
                "orphan" if orphan else h.status,
                h.uuid,
                h.created,
                h.updated,
            )
        )
    return sorted(found)


def as_refi_keeps(found: list[tuple]) -> list[tuple]:
    """Segments as a REFI-QDA project brings them back: it has no place for a highlight's
    colour, so words with neither code nor note are a highlight of the default colour and
    nothing else is highlighted."""
    kept = []
    for s in found:
        highlighted = not s[4] and not s[7]
        kept.append((*s[:5], highlighted, DEFAULT_HIGHLIGHT if highlighted else None, *s[7:]))
    return sorted(kept)  # in the order `segments` gives: what changed may sort elsewhere


# The example: a Hypothesis annotation tagging 68 characters of a 224-character passage.

PASSAGE = "ChatGPT, Bard et Claude sont depuis des mois les leaders incontestés"


def hypothesis_annotation(document: Document) -> dict:
    start = document.text.index(PASSAGE)
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/Xy4rK2bDEe-abcdEFGH",
        "type": "Annotation",
        "creator": "acct:marie@hypothes.is",
        "created": "2024-03-01T10:00:00.000Z",
        "modified": "2024-03-01T10:00:00.000Z",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "chatbots"},
            {"type": "TextualBody", "value": "Trois chatbots fermés.", "format": "text/markdown"},
        ],
        "target": [
            {
                "source": f"file:///home/marie/seeds/{document.relpath}",
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startSelector": {"type": "XPathSelector", "value": "/p[2]"},
                        "endSelector": {"type": "XPathSelector", "value": "/p[2]"},
                    },
                    {"type": "TextPositionSelector", "start": start, "end": start + 68},
                    {
                        "type": "TextQuoteSelector",
                        "exact": PASSAGE,
                        "prefix": document.text[start - 32 : start],
                        "suffix": document.text[start + 68 : start + 100],
                    },
                ],
            }
        ],
    }


def test_a_hypothesis_annotation_keeps_its_own_words_exactly_and_exports_them(tmp_path):
    corpus = Corpus.open(SEEDS)
    document = corpus.get("000_9ff77a90e9a0ba93")
    start = document.text.index(PASSAGE)
    passage = document.passages[2]
    assert (len(PASSAGE), passage.end - passage.start) == (68, 224)
    data = json.dumps(hypothesis_annotation(document)).encode()
    store = imported(data, corpus, tmp_path)
    try:
        assert store.annotations() == [], "not widened to its passage"
        (segment,) = store.highlights()
        assert (segment.start, segment.end, segment.quote) == (start, start + 68, PASSAGE)
        assert segment.status == "exact"  # its words are where its position says
        assert segment.tags == ["chatbots"] and segment.note == "Trois chatbots fermés."
        assert segment.annotator == "acct:marie@hypothes.is"
        (item,) = json.loads(exported("w3c", corpus, store))["first"]["items"]
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        assert selectors["TextQuoteSelector"]["exact"] == PASSAGE
        position = selectors["TextPositionSelector"]
        assert (position["start"], position["end"]) == (start, start + 68)
        assert item["glose:kind"] == "segment" and item["motivation"] == "tagging"
        assert [b["value"] for b in item["body"] if b["purpose"] == "tagging"] == ["chatbots"]
        assert "styleClass" not in item["target"], "a tag is not a highlight"
    finally:
        store.close()


# Every export holds each segment's own words and tags.


def test_json_lines_and_csv_have_a_row_per_segment_with_its_words_and_tags(coded):
    corpus, store = coded.corpus, coded.store
    lines = [json.loads(line) for line in exported("jsonl", corpus, store).splitlines()]
    lines = [line for line in lines if line["kind"] != "tag"]  # the codebook comes first
    rows = list(csv.DictReader(io.StringIO(exported("csv", corpus, store).decode("utf-8-sig"))))
    stored = [*store.annotations(), *store.highlights()]
    assert len(lines) == len(rows) == len(stored)
    by_uuid = {a.uuid: a for a in stored}
    for line, row in zip(lines, rows, strict=True):
        annotation = by_uuid[line["uuid"]]
        assert line["quote"] == annotation.quote and line["tags"] == annotation.tags
        # A cell that would start a formula is quoted with an apostrophe.
        assert row["quote"] in (annotation.quote, f"'{annotation.quote}")
        assert row["tags"] in (";".join(annotation.tags), f"'{';'.join(annotation.tags)}")
        assert line["highlighted"] is annotation.highlighted
        assert row["color"] == (annotation.color if annotation.highlighted else "")
        assert row["kind"] == line["kind"]
    kinds = {(line["kind"], line["highlighted"], bool(line["tags"])) for line in lines}
    assert {
        ("segment", False, True),  # tagged words
        ("segment", True, True),  # tagged and highlighted words
        ("segment", False, False),  # words with a note alone
        ("highlight", True, False),  # a highlight, as before
    } <= kinds
    assert {line["kind"] for line in lines} == {"passage", "segment", "highlight"}


def test_markdown_quotes_each_segment_under_its_document_with_its_tags(coded):
    text = exported("markdown", coded.corpus, coded.store).decode()
    section = text.split("\n## ")[2]  # the second document, 001
    assert section.startswith("IA: Meta et IBM")
    assert "> Meta et IBM\n\npassage" in section
    assert "tags `acteurs/entreprises` · highlight orange · by alice" in section
    assert "Deux géants — « ouverts » ?" in section


def test_glose_json_4_carries_each_segment_with_its_tags_and_whether_highlighted(coded):
    data = json.loads(exported("json", coded.corpus, coded.store))
    assert data["version"] == 5
    found = {
        h["quote"]: h
        for document in data["documents"]
        for entry in document["passages"]
        for h in entry["highlights"]
    }
    tagged = found["leaders incontestés"]
    assert tagged["tags"] == ["acteurs/entreprises", "sécurité"]
    assert (tagged["highlighted"], tagged["color"]) == (False, None)
    lit = found["Meta et IBM"]
    assert (lit["tags"], lit["highlighted"], lit["color"]) == (
        ["acteurs/entreprises"],
        True,
        "orange",
    )
    (gone,) = next(d for d in data["documents"] if d["id"] == "ailleurs/parti")["orphans"]
    assert (gone["kind"], gone["tags"], gone["highlighted"]) == ("segment", ["politique"], False)


def test_w3c_says_highlighted_only_with_a_style_and_tags_as_tagging_bodies(coded):
    items = json.loads(exported("w3c", coded.corpus, coded.store))["first"]["items"]
    stored = {f"urn:uuid:{h.uuid}": h for h in coded.store.highlights()}
    seen = set()
    for item in items:
        segment = stored.get(item["id"])
        if segment is None:
            continue  # a passage's annotation
        seen.add(item["id"])
        bodies = item.get("body", [])
        assert [b["value"] for b in bodies if b["purpose"] == "tagging"] == segment.tags
        assert ("styleClass" in item["target"]) is segment.highlighted
        assert ("stylesheet" in item) is segment.highlighted
        assert (item["motivation"] == "highlighting") is (
            segment.highlighted and not (segment.tags or segment.note)
        )
    assert seen == set(stored), "every segment is in the export"


def test_refi_qda_codes_each_segment_at_its_code_points_with_its_note_as_memo(coded):
    archive = zipfile.ZipFile(io.BytesIO(exported("refi-qda", coded.corpus, coded.store)))
    root = ElementTree.fromstring(archive.read("project.qde"))
    stored = {h.uuid: h for h in coded.store.highlights()}
    seen = 0
    for source in root.iterfind(".//q:TextSource", NS):
        text = archive.read(f"sources/{source.get('guid')}.txt").decode()
        for selection in source.iterfind("q:PlainTextSelection", NS):
            segment = stored.get(selection.get("guid"))
            if segment is None:
                continue
            seen += 1
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == segment.quote
            assert len(selection.findall("q:Coding", NS)) == len(segment.tags)
            # The note is the memo QualCoder reads, and no label of glose's is.
            described = selection.findtext("q:Description", namespaces=NS)
            assert described == (segment.note or None)
            # Every selection and coding says who made it and when.
            for dated in [selection, *selection.findall("q:Coding", NS)]:
                assert dated.get("creatingUser") and dated.get("creationDateTime")
    assert seen == len(stored) - 1  # all but the segment of the document gone


# Imports land segments as segments.


@pytest.mark.parametrize("format_name", ["json", "jsonl", "w3c", "refi-qda"])
def test_segments_come_back_as_segments_with_their_tags(format_name, coded, tmp_path):
    corpus, store = coded.corpus, coded.store
    copy = imported(exported(format_name, corpus, store), corpus, tmp_path)
    try:
        # W3C gives an orphan its quote and context, not offsets that no longer hold it.
        positions = format_name != "w3c"
        expected, got = segments(store, corpus, positions), segments(copy, corpus, positions)
        if format_name == "refi-qda":
            # A project holds no orphan, and every passage's annotation comes back as a
            # segment of the passage's words.
            expected = as_refi_keeps([s for s in expected if s[9] != "orphan"])
            got = [s for s in got if s[10] in {s[10] for s in expected}]
        assert got == expected
        assert any(s[4] for s in got) and any(not s[5] for s in got)
    finally:
        copy.close()


def test_a_passage_annotation_through_refi_qda_is_a_segment_of_the_passage(coded, tmp_path):
    corpus, store = coded.corpus, coded.store
    copy = imported(exported("refi-qda", corpus, store), corpus, tmp_path)
    try:
        held = {h.uuid: h for h in copy.highlights()}
        for passage in store.annotations():
            if passage.is_orphan or corpus.get(passage.document) is None:
                continue
            segment = held[passage.uuid]
            assert (segment.start, segment.end) == (passage.start, passage.end)
            assert (segment.tags, segment.note) == (passage.tags, passage.note)
            assert segment.highlighted is not (passage.tags or passage.note)
    finally:
        copy.close()


@pytest.mark.parametrize("format_name", ["json", "jsonl", "w3c", "refi-qda"])
def test_importing_an_export_into_its_own_store_adds_nothing(format_name, coded, tmp_path):
    # REFI-QDA has no passages: a passage annotation comes back as a span, which must be
    # known as the passage annotation it was (its GUID, its words), not added as a copy.
    corpus, store = coded.corpus, coded.store
    path = tmp_path / "export.bin"
    path.write_bytes(exported(format_name, corpus, store))
    before = exported("json", corpus, store)
    parsed = importing.read_file(path, corpus)
    report = store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)
    assert (report.added, report.merged) == (0, 0)
    assert strip_time(exported("json", corpus, store)) == strip_time(before)


@pytest.mark.parametrize("second", ["json", "jsonl"])
def test_a_project_then_the_json_of_the_same_work_adds_nothing(second, coded, tmp_path):
    # The project made each passage annotation a segment (same UUID); the JSON says passage.
    corpus, store = coded.corpus, coded.store
    copy = imported(exported("refi-qda", corpus, store), corpus, tmp_path)
    try:
        held = len(copy.highlights()) + len(copy.annotations())
        parsed = importing.read_text(exported(second, corpus, store).decode(), corpus)
        documents = {d.id: d for d in corpus}
        report = copy.import_annotations(parsed.annotations, documents, parsed.tags)
        on_text = [a for a in parsed.annotations if corpus.get(a.document) and not a.is_orphan]
        assert report.added == 0
        assert len(copy.highlights()) + len(copy.annotations()) == held + report.orphaned
        uuids = [a.uuid for a in [*copy.highlights(), *copy.annotations()]]
        assert len(uuids) == len(set(uuids))
        assert {a.uuid for a in on_text} <= {h.uuid for h in copy.highlights()}
    finally:
        copy.close()


def test_a_passage_annotation_is_the_segment_of_its_very_words_without_its_uuid(tmp_path):
    corpus = Corpus.open(SEEDS)
    document = corpus.get("000_9ff77a90e9a0ba93")
    passage = document.passages[1]
    store = Store(tmp_path / "store", annotator="marie")
    try:
        store.tag_span(document, document.passages, passage.start, passage.end, "acteurs")
        source = Store(tmp_path / "source", annotator="marie")
        source.toggle_tag(document, passage, "politique")
        data = exported("json", corpus, source)
        source.close()
        parsed = importing.read_text(data.decode(), corpus)
        report = store.import_annotations(parsed.annotations, {document.id: document})
        assert (report.added, report.merged) == (0, 1)
        assert store.annotations() == []
        (segment,) = store.highlights()
        assert segment.tags == ["acteurs", "politique"]
    finally:
        store.close()


def test_an_imported_segment_adds_its_tags_to_the_segment_of_the_same_words(tmp_path):
    corpus = Corpus.open(SEEDS)
    document = corpus.get("000_9ff77a90e9a0ba93")
    start = document.text.index(PASSAGE)
    source = Store(tmp_path / "source", annotator="marie")
    source.tag_span(document, document.passages, start, start + 68, "chatbots")
    data = exported("jsonl", corpus, source)
    source.close()
    target = Store(tmp_path / "target", annotator="marie")
    try:
        target.tag_span(document, document.passages, start, start + 68, "fermés")
        parsed = importing.read_text(data.decode(), corpus)
        report = target.import_annotations(parsed.annotations, {document.id: document})
        assert report.merged == 1
        (segment,) = target.highlights()
        assert segment.tags == ["fermés", "chatbots"]
        again = target.import_annotations(parsed.annotations, {document.id: document})
        assert again.unchanged == 1
    finally:
        target.close()


def test_versions_before_4_read_their_highlights_as_highlights(coded):
    data = json.loads(exported("json", coded.corpus, coded.store))
    data["version"] = 3
    data["tags"] = [
        {key: value for key, value in tag.items() if key != "created"}
        for tag in data.pop("codebook")["tags"]
    ]
    for document in data["documents"]:
        for entry in document["passages"]:
            entry["index"] = entry.pop("passage_index")
            entry["highlights"] = [
                {k: v for k, v in h.items() if k not in ("tags", "highlighted")}
                for h in entry["highlights"]
                if h["highlighted"] and not h["tags"]
            ]
        document["orphans"] = [o for o in document["orphans"] if o["kind"] == "passage"]
    parsed = importing.read_text(json.dumps(data), coded.corpus)
    spans = [a for a in parsed.annotations if isinstance(a, Highlight)]
    assert spans and all(h.highlighted and h.tags == [] for h in spans)


# REFI-QDA projects of other programs.


def project(sources: str, *, codes: str = "", users: str = "", notes: str = "") -> str:
    # The schema wants no empty list: each is left out when it would hold nothing.
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{refi.PROJECT_NS}" '
        f'name="p" origin="QualCoder 3.6">{f"<Users>{users}</Users>" if users else ""}'
        f"{f'<CodeBook><Codes>{codes}</Codes></CodeBook>' if codes else ''}"
        f"{f'<Sources>{sources}</Sources>' if sources else ''}{notes}</Project>"
    )


def qdpx(
    path: Path, xml: str, files: dict[str, bytes], compression: int = zipfile.ZIP_STORED
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        archive.writestr("project.qde", xml)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


GUID = "3F2504E0-4F89-11D3-9A0C-0305E82C33{:02d}"


def test_a_project_from_another_program_lands_as_segments(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    text = "Premier paragraphe.\n\nLe second parle de Meta."
    (root / "entretien.txt").write_text(text, encoding="utf-8")
    corpus = Corpus.open(root)
    codes = (
        f'<Code guid="{GUID.format(1)}" name="acteurs" isCodable="true" color="#AA0000">'
        f"<Description>Qui agit.</Description>"
        f'<Code guid="{GUID.format(2)}" name="entreprises" isCodable="true" color="#00AA00"/>'
        "</Code>"
        f'<Code guid="{GUID.format(3)}" name="a;b" isCodable="true"/>'
    )
    users = f'<User guid="{GUID.format(9)}" name="Marie"/>'
    start = text.index("Meta")
    raw = text.replace("\n", "\r\n")  # a Windows program's text: CRLF counted as two
    at = raw.index("Meta")

    def selection(number: int, code: int, memo: str = "") -> str:
        described = f"<Description>{memo}</Description>" if memo else ""
        return (
            f'<PlainTextSelection guid="{GUID.format(number)}" startPosition="{at}" '
            f'endPosition="{at + 4}" creatingUser="{GUID.format(9)}" '
            f'creationDateTime="2024-01-02T03:04:05Z">{described}<Coding '
            f'guid="{GUID.format(number + 20)}"><CodeRef targetGUID="{GUID.format(code)}"/>'
            "</Coding></PlainTextSelection>"
        )

    sources = (
        f'<TextSource guid="{GUID.format(10)}" name="entretien.txt" '
        f'plainTextPath="internal://{GUID.format(10)}.txt">'
        # QualCoder writes one selection per code: the same words twice.
        f"{selection(11, 2, 'Un mémo.')}{selection(12, 1)}{selection(13, 3)}"
        f'<NoteRef targetGUID="{GUID.format(14)}"/><NoteRef targetGUID="{GUID.format(17)}"/>'
        "</TextSource>"
        f'<PictureSource guid="{GUID.format(15)}" name="photo.png" path="internal://x.png"/>'
    )
    notes = (
        f'<Notes><Note guid="{GUID.format(14)}" creatingUser="{GUID.format(9)}">'
        "<PlainTextContent>Au début.</PlainTextContent>"
        f'<PlainTextSelection guid="{GUID.format(16)}" startPosition="0" endPosition="7"/>'
        f'</Note><Note guid="{GUID.format(17)}"><PlainTextContent>highlight (green)'
        f'</PlainTextContent><PlainTextSelection guid="{GUID.format(18)}" startPosition="8" '
        'endPosition="18"/></Note></Notes>'
    )
    path = qdpx(
        tmp_path / "qualcoder.qdpx",
        project(sources, codes=codes, users=users, notes=notes),
        {f"Sources/{GUID.format(10)}.txt": raw.encode()},
    )
    parsed = importing.read_file(path, corpus)
    assert parsed.format == "REFI-QDA project"
    assert [t.name for t in parsed.tags] == ["acteurs", "acteurs/entreprises"]
    assert parsed.tags[0].description == "Qui agit." and parsed.tags[0].color == "#aa0000"
    assert any("left out code 'a;b'" in line for line in parsed.skipped)
    assert any("skipped source 'photo.png': a picture" in line for line in parsed.skipped)
    store = Store(tmp_path / "store", annotator="me")
    try:
        store.import_annotations(
            parsed.annotations, {"entretien": corpus.get("entretien")}, parsed.tags
        )
        memo, lit, meta = sorted(store.highlights(), key=lambda h: h.start)
        assert (meta.start, meta.end, meta.quote, meta.status) == (
            start,
            start + 4,
            "Meta",
            "exact",
        )
        assert meta.tags == ["acteurs/entreprises", "acteurs"] and meta.note == "Un mémo."
        assert not meta.highlighted and meta.annotator == "Marie"
        assert meta.created == "2024-01-02T03:04:05Z"
        assert (memo.quote, memo.note, memo.tags, memo.highlighted) == (
            "Premier",
            "Au début.",
            [],
            False,
        )
        assert (memo.quote, memo.note, memo.annotator) == ("Premier", "Au début.", "Marie")
        assert (lit.quote, lit.note, lit.highlighted, lit.color) == (
            "paragraphe",
            "",
            True,
            "green",
        )
    finally:
        store.close()


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ({"autre.txt": b"x"}, "without a project.qde"),
        ({"project.qde": b"<Project"}, r"project\.qde: not XML"),
        ({"project.qde": b"<Projet/>"}, "not a REFI-QDA Project"),
    ],
)
def test_a_zip_that_is_not_a_project_is_refused_in_one_sentence(tmp_path, contents, message):
    path = tmp_path / "faux.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    with pytest.raises(FileError, match=message):
        importing.read_file(path, Corpus.open(SEEDS))


def _laughs(level: int) -> str:
    """An entity ten times the one below it: eight levels make a hundred million laughs."""
    below = "&" + chr(97 + level - 1) + ";"
    return f'<!ENTITY {chr(97 + level)} "{below * 10}">'


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "ha">'
    + "".join(_laughs(level) for level in range(1, 9))
    + ']><Project xmlns="urn:QDA-XML:project:1.0" name="&i;"/>'
)


def test_hostile_archives_are_refused_in_one_sentence_and_nothing_is_imported(
    tmp_path, store_dir, monkeypatch
):
    corpus = Corpus.open(SEEDS)
    laughs = qdpx(tmp_path / "laughs.qdpx", BILLION_LAUGHS, {})
    with pytest.raises(FileError, match="declares XML entities"):
        importing.read_file(laughs, corpus)
    wide = BILLION_LAUGHS.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16")
    wide_laughs = tmp_path / "wide.qdpx"
    with zipfile.ZipFile(wide_laughs, "w") as archive:
        archive.writestr("project.qde", wide)
    with pytest.raises(FileError, match="declares XML entities"):
        importing.read_file(wide_laughs, corpus)
    # Many members, each small, whose sum is past what may be unpacked.
    sources = "".join(
        f'<TextSource guid="{GUID.format(i)}" name="t{i}" plainTextPath="internal://t{i}.txt"/>'
        for i in range(1, 4)
    )
    bombs = {f"sources/t{i}.txt": b"a" * 40_000 for i in range(1, 4)}
    path = qdpx(tmp_path / "bombs.qdpx", project(sources), bombs)
    with pytest.raises(FileError, match="more than 100,000 bytes unpacked in all"):
        refi.read_project(path.read_bytes(), corpus, 100_000)
    many = tmp_path / "many.qdpx"
    monkeypatch.setattr(refi, "MOST_MEMBERS", 20)  # the rule, without writing a huge zip
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(refi.MOST_MEMBERS + 1):
            archive.writestr(f"f{i}", b"")
    with pytest.raises(FileError, match="more than a project holds"):
        importing.read_file(many, corpus)
    # From the command line: one sentence, and the store is not even made.
    done = glose(
        "--corpus", str(SEEDS), "--store", str(store_dir), "import", str(laughs), cwd=tmp_path
    )
    assert done.returncode != 0 and done.stderr.count("\n") == 1, done.stderr
    assert "declares XML entities" in done.stderr and "Traceback" not in done.stderr
    assert not store_dir.exists()


def _refuses_unpacking(monkeypatch) -> None:
    """Opening any file of an archive fails the test: it must be refused before."""

    def opened(*args, **kwargs):
        raise AssertionError("a file of the archive was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", opened)


def test_a_bomb_no_source_uses_is_refused_before_anything_is_unpacked(tmp_path, monkeypatch):
    corpus = Corpus.open(SEEDS)
    sources = f'<TextSource guid="{GUID.format(1)}" name="t" plainTextPath="internal://t.txt"/>'
    # Two megabytes of zeros pack a thousand times smaller: a bomb, though no source names it.
    packed = qdpx(
        tmp_path / "bomb.qdpx",
        project(sources),
        {"sources/t.txt": b"court", "sources/zeros.txt": b"\0" * (2 << 20)},
        zipfile.ZIP_DEFLATED,
    )
    # Plain text past the limit, which packs no better than text does.
    big = qdpx(
        tmp_path / "big.qdpx",
        project(sources),
        {"sources/t.txt": b"court", "sources/unused.txt": bytes(range(256)) * 500},
    )
    _refuses_unpacking(monkeypatch)
    with pytest.raises(FileError, match=r"^sources/zeros\.txt: unpacks to far more .* zip bomb"):
        importing.read_file(packed, corpus)
    with pytest.raises(FileError, match="declares more than 100,000 bytes unpacked in all"):
        refi.read_project(big.read_bytes(), corpus, 100_000)


def test_a_file_of_a_project_is_unpacked_no_further_than_it_declares(tmp_path, monkeypatch):
    sources = f'<TextSource guid="{GUID.format(1)}" name="t" plainTextPath="internal://t.txt"/>'
    path = qdpx(tmp_path / "p.qdpx", project(sources), {"sources/t.txt": b"court"})
    asked = []
    read = zipfile.ZipExtFile.read

    def counted(self, n=-1):
        asked.append((self.name, n))
        return read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted)
    refi.read_project(path.read_bytes(), Corpus.open(SEEDS), 500_000_000)
    sizes = {info.filename: info.file_size for info in zipfile.ZipFile(path).infolist()}
    assert asked and all(0 <= n <= sizes[name] + 1 for name, n in asked)


def slipping(path: Path, member: str) -> Path:
    """A project with one more file, named `member`."""
    sources = (
        f'<TextSource guid="{GUID.format(1)}" name="t" plainTextPath="internal://t.txt">'
        f'<PlainTextSelection guid="{GUID.format(2)}" startPosition="0" endPosition="2"/>'
        "</TextSource>"
    )
    return qdpx(path, project(sources), {"sources/t.txt": b"court", member: b"x"})


@pytest.mark.parametrize("member", ["../../evil.txt", "/etc/evil.txt", "sources\\..\\evil.txt"])
def test_a_file_named_outside_the_archive_refuses_the_project(member, tmp_path):
    path = slipping(tmp_path / "p.qdpx", member)
    with pytest.raises(FileError, match="a path outside the archive") as refused:
        importing.read_file(path, Corpus.open(SEEDS))
    assert repr(member) in str(refused.value)


def test_a_backslash_inside_the_archive_is_a_windows_folder_not_a_slip(tmp_path):
    path = slipping(tmp_path / "p.qdpx", "notes\\memo.txt")
    parsed = importing.read_file(path, Corpus.open(SEEDS))
    assert len(parsed.annotations) == 1


@pytest.mark.slow
def test_a_zip_slip_is_refused_in_one_sentence_and_nothing_imported(tmp_path, store_dir):
    path = slipping(tmp_path / "p.qdpx", "../../evil.txt")
    done = glose(
        "--corpus", str(SEEDS), "--store", str(store_dir), "import", str(path), cwd=tmp_path
    )
    assert done.returncode != 0 and done.stderr.count("\n") == 1, done.stderr
    assert "'../../evil.txt'" in done.stderr and "nothing was imported" in done.stderr
    assert not store_dir.exists()


def test_a_selection_outside_its_text_is_skipped_with_a_line(tmp_path):
    sources = (
        f'<TextSource guid="{GUID.format(1)}" name="t" plainTextPath="internal://t.txt">'
        f'<PlainTextSelection guid="{GUID.format(2)}" startPosition="3" endPosition="99"/>'
        "</TextSource>"
    )
    path = qdpx(tmp_path / "p.qdpx", project(sources), {"sources/t.txt": b"court"})
    parsed = importing.read_file(path, Corpus.open(SEEDS))
    assert parsed.annotations == []
    assert any("position 3-99 is not words of its source" in line for line in parsed.skipped)


def test_a_project_the_xsd_refuses_is_named_at_its_first_invalid_place(tmp_path, store_dir):
    sources = (
        f'<TextSource guid="{GUID.format(1)}" name="t" plainTextPath="internal://t.txt">'
        f'<PlainTextSelection guid="{GUID.format(2)}" startPosition="0" endPosition="2"/>'
        f'<PlainTextSelection guid="{GUID.format(3)}" startPosition="a" endPosition="2"/>'
        "</TextSource>"
    )
    path = qdpx(tmp_path / "p.qdpx", project(sources), {"sources/t.txt": b"court"})
    with pytest.raises(FileError) as refused:
        importing.read_file(path, Corpus.open(SEEDS))
    assert str(refused.value).startswith(
        "project.qde: not valid REFI-QDA at /Project/Sources/TextSource/PlainTextSelection[2]: "
        "attribute startPosition='a'"
    )
    # A code list with nothing in it: the schema wants one code at least.
    empty = qdpx(
        tmp_path / "e.qdpx",
        project("").replace("</Project>", "<CodeBook><Codes/></CodeBook></Project>"),
        {},
    )
    done = glose(
        "--corpus", str(SEEDS), "--store", str(store_dir), "import", str(empty), cwd=tmp_path
    )
    assert done.returncode != 0 and done.stderr.count("\n") == 1, done.stderr
    assert "not valid REFI-QDA at /Project/CodeBook/Codes" in done.stderr
    assert done.stderr.rstrip().endswith("nothing was imported")
    assert not store_dir.exists()


# Random segments survive export, import into an empty store, and export again.

TAGS = ["politique", "politique/loi", "acteurs/entreprises", "économie", "a/b/c"]
NOTES = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), include_characters="\n"), max_size=40
)
SEGMENT = st.tuples(
    st.integers(0, 10_000),  # where it starts, as a share of the text
    st.integers(1, 300),  # how many characters
    st.lists(st.sampled_from(TAGS), max_size=3, unique=True),
    NOTES,
    st.booleans(),  # highlighted
    st.sampled_from(sorted(HIGHLIGHT_COLORS)),
    st.sampled_from(["ana", "bea"]),
)
TEXTS = st.one_of(
    st.just((SEEDS / "001_5049656ab526f4d3.txt").read_text(encoding="utf-8")),
    st.lists(
        st.text(st.characters(categories=("L", "N", "P", "Zs", "So")), min_size=1, max_size=60),
        min_size=1,
        max_size=6,
    ).map("\n\n".join),
)


def coded_store(corpus: Corpus, directory: Path, wanted: list[tuple]) -> Store:
    """A store holding the wanted segments, made as the reader makes them."""
    store = Store(directory, annotator="ana")
    document = corpus.get("texte")
    text = document.text
    for share, length, tags, note, highlighted, color, who in wanted:
        start = share * len(text) // 10_001
        end = min(len(text), start + length)
        store.annotator = who
        try:
            for tag in tags:
                store.tag_span(document, document.passages, start, end, tag)
            if not tags:
                store.tag_span(document, document.passages, start, end, "provisoire")
        except ValueError:
            continue  # only spaces there: nothing to code
        segment = store.segment_at(document, *trimmed(text, start, end))
        assert segment is not None
        segment.note = clean_note(note)
        segment.highlighted = highlighted
        segment.color = color
        store.update_highlight(segment)
        if not tags:
            store.toggle_segment_tag(segment, "provisoire")
    if store.find_tag("provisoire"):
        store.delete_tag("provisoire")
    return store


def without_volatile(format_name: str, data: bytes) -> object:
    """The export as data, without what changes from one export to the next."""
    if format_name == "json":
        parsed = json.loads(data)
        del parsed["exported_at"]
        return parsed
    if format_name == "w3c":
        parsed = json.loads(data)
        del parsed["id"], parsed["created"]
        parsed.get("first", {}).pop("id", None)  # the page's own id is fresh too
        return parsed
    if format_name == "refi-qda":
        archive = zipfile.ZipFile(io.BytesIO(data))
        root = ElementTree.fromstring(archive.read("project.qde"))
        del root.attrib["creationDateTime"]
        files = {n: archive.read(n) for n in archive.namelist() if n != "project.qde"}
        return ElementTree.tostring(root), files
    return data.decode()


@pytest.mark.slow
@pytest.mark.parametrize("format_name", ["json", "jsonl", "w3c", "refi-qda"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS, wanted=st.lists(SEGMENT, min_size=1, max_size=6))
def test_random_segments_survive_export_import_export(format_name, text, wanted, tmp_path_factory):
    directory = tmp_path_factory.mktemp("round")
    root = directory / "corpus"
    root.mkdir()
    (root / "texte.txt").write_text(text, encoding="utf-8")
    corpus = Corpus.open(root)
    store = coded_store(corpus, directory / "first", wanted)
    try:
        first, made = exported(format_name, corpus, store), segments(store, corpus)
    finally:
        store.close()
    copy = imported(first, corpus, directory / "second")
    try:
        again, held = exported(format_name, corpus, copy), segments(copy, corpus)
    finally:
        copy.close()
    if format_name == "refi-qda":
        made = as_refi_keeps(made)
    assert held == made  # the very segments: words, tags, highlight, note, whose, when
    assert without_volatile(format_name, again) == without_volatile(format_name, first)


# What QDA programs need of a project: unique code names, every document, memos, who and when.


def project_of(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))


def same_last_level(corpus: Corpus, directory: Path) -> Store:
    """A store whose codes `acteurs/autres` and `politique/autres` end the same, each on a
    segment of its own, and a code `autres` at the root."""
    store = Store(directory, annotator="ana")
    document = corpus.get("000_9ff77a90e9a0ba93")
    for tag, words in [
        ("acteurs/autres", "Bard et Claude"),
        ("politique/autres", "ChatGPT"),
        ("autres", "leaders"),
    ]:
        start = document.text.index(words)
        store.tag_span(document, document.passages, start, start + len(words), tag)
    return store


def test_codes_sharing_their_last_level_are_named_apart_and_stay_nested(tmp_path):
    corpus = Corpus.open(SEEDS)
    store = same_last_level(corpus, tmp_path / "store")
    try:
        root = project_of(exported("refi-qda", corpus, store))
    finally:
        store.close()
    codes = root.find("q:CodeBook/q:Codes", NS)
    names = [code.get("name") for code in codes.iter(f"{{{refi.PROJECT_NS}}}Code")]
    assert len(names) == len({name.casefold() for name in names}), names
    nested = {
        (parent.get("name"), child.get("name"))
        for parent in codes.iter(f"{{{refi.PROJECT_NS}}}Code")
        for child in parent.findall("q:Code", NS)
    }
    assert nested == {("acteurs", "acteurs/autres"), ("politique", "politique/autres")}
    assert "autres" in names  # the root's code keeps its one level


def test_codes_sharing_their_last_level_come_back_as_the_same_tags(tmp_path):
    corpus = Corpus.open(SEEDS)
    store = same_last_level(corpus, tmp_path / "store")
    try:
        data = exported("refi-qda", corpus, store)
        wanted = sorted((h.quote, tuple(h.tags)) for h in store.highlights())
    finally:
        store.close()
    copy = imported(data, corpus, tmp_path / "copy")
    try:
        assert sorted((h.quote, tuple(h.tags)) for h in copy.highlights()) == wanted
        assert {"acteurs/autres", "politique/autres", "autres"} <= {t.name for t in copy.tags()}
    finally:
        copy.close()


def test_a_project_holds_every_corpus_document_unless_asked_for_the_annotated_only(coded):
    selection = select(coded.corpus, coded.store)
    every = project_of(FORMATS["refi-qda"].to_bytes(selection, coded.corpus))
    sources = [s.get("name") for s in every.iterfind(".//q:TextSource", NS)]
    assert sources == [document.title for document in coded.corpus]
    selection.annotated_only = True
    only = project_of(FORMATS["refi-qda"].to_bytes(selection, coded.corpus))
    annotated = {item.annotation.document for item in selection.items if item.placed}
    assert [s.get("name") for s in only.iterfind(".//q:TextSource", NS)] == [
        document.title for document in coded.corpus if document.id in annotated
    ]
    assert len(annotated) < len(sources)


def test_a_document_filter_narrows_the_sources_to_it(coded):
    wanted = "000_9ff77a90e9a0ba93"
    selection = select(coded.corpus, coded.store, Filters(documents=(wanted,)))
    root = project_of(FORMATS["refi-qda"].to_bytes(selection, coded.corpus))
    assert [s.get("name") for s in root.iterfind(".//q:TextSource", NS)] == [
        coded.corpus.get(wanted).title
    ]


def test_an_old_record_without_a_time_or_a_name_is_still_dated_and_someones(coded):
    selection = select(coded.corpus, coded.store)
    old = next(item.annotation for item in selection.items if item.placed and item.annotation.tags)
    old.created, old.updated, old.annotator = "2019-05-01", "", ""
    root = project_of(FORMATS["refi-qda"].to_bytes(selection, coded.corpus))
    users = {user.get("guid"): user.get("name") for user in root.iterfind(".//q:User", NS)}
    selections = list(root.iterfind(".//q:PlainTextSelection", NS))
    assert selections
    for found in selections:
        for dated in [found, *found.findall("q:Coding", NS)]:
            assert dated.get("creatingUser") in users
            assert dated.get("creationDateTime", "")[10:11] == "T"
    mine = next(s for s in selections if s.get("guid") == old.uuid)
    assert users[mine.get("creatingUser")] == refi.NOBODY
    assert mine.get("creationDateTime") == root.get("creationDateTime")


def test_a_note_is_the_memo_and_the_note_and_comes_back_once(coded, tmp_path):
    root = project_of(exported("refi-qda", coded.corpus, coded.store))
    notes = {
        note.get("guid"): note.findtext("q:PlainTextContent", namespaces=NS)
        for note in root.iterfind(".//q:Notes/q:Note", NS)
    }
    described = 0
    for selection in root.iterfind(".//q:PlainTextSelection", NS):
        memo = selection.findtext("q:Description", namespaces=NS)
        refs = [notes[r.get("targetGUID")] for r in selection.iterfind("q:NoteRef", NS)]
        assert refs == ([memo] if memo else [])
        described += bool(memo)
    assert described >= 2
    copy = imported(exported("refi-qda", coded.corpus, coded.store), coded.corpus, tmp_path)
    try:
        stored = {a.uuid: a.note for a in [*coded.store.annotations(), *coded.store.highlights()]}
        for segment in copy.highlights():
            assert segment.note == stored[segment.uuid]
    finally:
        copy.close()


LEVELS = st.lists(st.sampled_from(["autres", "Autres", "acteurs", "politique", "a"]), min_size=1)


@settings(max_examples=60)
@given(paths=st.lists(LEVELS.map(lambda levels: "/".join(levels[:4])), min_size=1, max_size=8))
def test_any_codebook_names_its_codes_apart_and_reads_back_as_its_tags(paths):
    from tui.interchange.export import Export
    from tui.store.model import Tag

    tags = list({path.casefold(): Tag(path, "#112233") for path in paths}.values())
    out = io.BytesIO()
    refi.write_codebook(Export(tags=tags), out)
    root = ElementTree.fromstring(out.getvalue())
    code = f"{{{refi.CODEBOOK_NS}}}Code"
    names = [found.get("name").casefold() for found in root.iter(code)]
    assert len(names) == len(set(names))
    read: list[str] = []

    def walk(parent: ElementTree.Element, above: list[str]) -> None:
        for found in parent.findall(code):
            levels = [*above, *refi._own_levels(found.get("name"), above)]
            assert "/".join(levels).casefold().endswith(found.get("name").casefold())
            if found.get("isCodable") == "true":
                read.append("/".join(levels))
            walk(found, levels)

    walk(root.find(f"{{{refi.CODEBOOK_NS}}}Codes"), [])
    # Case ignored, as glose unites tags: a level is spelt as the code above it spells it.
    assert sorted(map(str.casefold, read)) == sorted(tag.name.casefold() for tag in tags)
