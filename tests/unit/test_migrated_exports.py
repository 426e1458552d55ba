"""A store written by the previous release (schema 3) opens, migrates, and exports the same
annotations as that release exported from it, in every format: what differs is said here."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.helpers import SEEDS
from tui.corpus import Corpus
from tui.interchange import importing
from tui.interchange.export import select
from tui.interchange.formats import FORMATS
from tui.store import Store

PREVIOUS = Path(__file__).parents[1] / "store" / "stores" / "schema3-previous-release"
WHERE_IT_WAS = "/work/main/seeds"
"""The corpus the previous release exported from (its path is in the JSON and W3C files)."""

FILES = {"json": "json", "jsonl": "jsonl", "csv": "csv", "markdown": "markdown", "w3c": "w3c"}
FILES["refi-qda"] = "qdpx"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> dict[str, bytes]:
    """Every export of the previous release's store, opened (and so migrated) by this one."""
    root = tmp_path_factory.mktemp("migration")
    shutil.copytree(SEEDS, root / "seeds")
    (root / "store").mkdir()
    for name in ("glose.json", "glose.journal"):
        shutil.copy2(PREVIOUS / name, root / "store" / name)
    corpus = Corpus.open(root / "seeds")
    with Store(root / "store", annotator="ana") as store:
        assert store.disk_schema == 4, "migrated in place"
        selection = select(corpus, store)
        exports = {name: FORMATS[name].to_bytes(selection, corpus) for name in FILES}
    exports["corpus"] = str((root / "seeds").resolve()).encode()
    return exports


def previous(format_name: str) -> bytes:
    return (PREVIOUS / f"export.{FILES[format_name]}").read_bytes()


def test_markdown_exports_byte_for_byte_the_same(migrated):
    assert migrated["markdown"] == previous("markdown")


def test_json_lines_differ_by_the_codebook_first_and_the_passage_named_passage_index(migrated):
    """The codebook travels as tag lines first; `passage`, which counted from 0, is named
    `passage_index` (a person's passage number counts from 1)."""
    lines = [json.loads(line) for line in migrated["jsonl"].decode().splitlines()]
    tags = [line for line in lines if line["kind"] == "tag"]
    assert tags and lines[: len(tags)] == tags
    assert all(
        set(tag) == {"kind", "name", "color", "key", "description", "created"} for tag in tags
    )
    old = [json.loads(line) for line in previous("jsonl").decode().splitlines()]
    renamed = [
        {("passage_index" if key == "passage" else key): value for key, value in line.items()}
        for line in old
    ]
    assert lines[len(tags) :] == renamed


def previous_csv_rows() -> list[list[str]]:
    """The previous release's CSV with its `passage` column counting from 1, as now."""
    rows = list(csv.reader(io.StringIO(previous("csv").decode("utf-8-sig"))))
    column = rows[0].index("passage")
    for row in rows[1:]:
        row[column] = str(int(row[column]) + 1) if row[column] else ""
    return rows


def test_csv_differs_only_by_passages_counted_from_1(migrated):
    rows = list(csv.reader(io.StringIO(migrated["csv"].decode("utf-8-sig"))))
    assert rows == previous_csv_rows()


def test_glose_json_differs_only_by_its_version_and_what_versions_4_and_5_add(migrated):
    """Version 4 gives every segment its tags and whether it is highlighted: a highlight of
    the previous release is a segment with no tag, highlighted, as it always was. Version 5
    puts the tags, with when each was made, in a codebook, and names `index` (from 0)
    `passage_index`."""
    old, new = json.loads(previous("json")), json.loads(migrated["json"])
    assert (old["version"], new["version"]) == (3, 5)
    new["tags"] = new.pop("codebook")["tags"]
    for tag in new["tags"]:
        assert tag.pop("created")
    for document in new["documents"]:
        for passage in document["passages"]:
            passage["index"] = passage.pop("passage_index")
    spans = [h for d in new["documents"] for p in d["passages"] for h in p["highlights"]]
    assert len(spans) == 3
    for span in spans:
        assert (span.pop("tags"), span.pop("highlighted")) == ([], True)
    for data in (old, new):
        del data["version"], data["exported_at"], data["corpus"]  # when, and where it was
    assert new == old


def test_w3c_differs_only_by_the_collection_made_at_each_export(migrated):
    old, new = json.loads(previous("w3c")), json.loads(migrated["w3c"])
    for data in (old, new):
        del data["id"], data["created"]  # a new collection each time, by design
    # The page now has its own id (a MUST of the W3C suite), fresh at each export too.
    assert new["first"].pop("id").startswith("urn:uuid:")
    text = json.dumps(new, ensure_ascii=False)
    moved = Path(migrated["corpus"].decode()).as_uri()
    assert json.loads(text.replace(moved, Path(WHERE_IT_WAS).as_uri())) == old


def test_refi_qda_keeps_every_selection_and_text_of_the_previous_release(migrated):
    # Since then a project holds every corpus document and says notes as memos, not
    # colours: what the previous release wrote is all still there, the same.
    old, new = (
        zipfile.ZipFile(io.BytesIO(data)) for data in (previous("refi-qda"), migrated["refi-qda"])
    )
    assert set(old.namelist()) <= set(new.namelist())
    for name in old.namelist():
        if name != "project.qde":
            assert new.read(name) == old.read(name), name
    ns = "{urn:QDA-XML:project:1.0}"

    def selections(archive: zipfile.ZipFile) -> dict:
        root = ElementTree.fromstring(archive.read("project.qde"))
        return {
            s.get("guid"): (
                s.get("startPosition"),
                s.get("endPosition"),
                [r.get("targetGUID") for r in s.iter(f"{ns}CodeRef")],
                [r.get("targetGUID") for r in s.iter(f"{ns}NoteRef")],
            )
            for s in root.iter(f"{ns}PlainTextSelection")
        }

    assert selections(new) == selections(old)


@pytest.mark.parametrize(
    ("format_name", "read_as"),
    [("json", "glose.annotations 3"), ("jsonl", "JSON Lines"), ("w3c", "W3C Web Annotation")],
)
def test_what_the_previous_release_exported_imports_as_it_was(format_name, read_as, tmp_path):
    corpus = Corpus.open(SEEDS)
    parsed = importing.read_text(previous(format_name).decode(), corpus)
    assert parsed.format == read_as
    with Store(tmp_path / "store", annotator="ana") as store:
        store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)
        again = FORMATS["csv"].to_bytes(select(corpus, store), corpus)
    rows = list(csv.reader(io.StringIO(again.decode("utf-8-sig"))))
    assert rows == previous_csv_rows()
