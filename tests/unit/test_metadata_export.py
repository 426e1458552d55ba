"""What a document says of itself, exported: JSON `metadata`, REFI-QDA source variables."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from jsonschema import Draft202012Validator

from tests.helpers import WEB_PAGE as PAGE
from tests.helpers import export_data
from tui.corpus import Corpus
from tui.interchange import json_format, refi
from tui.interchange.export import select
from tui.interchange.reading import schema
from tui.store import Store

REFI = Path(__file__).resolve().parents[1] / "conformance" / "refi-qda"


@pytest.fixture
def page_annotated(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "page.html").write_text(PAGE)
    (root / "notes.txt").write_text("Notes\n\nPremier entretien.\n")
    corpus = Corpus.open(root)
    store = Store(tmp_path / "store", annotator="alice")
    store.create_tag("terrain")
    for document in corpus:
        store.toggle_tag(document, document.passages[-1], "terrain")
    yield corpus, store
    store.close()


def test_json_export_holds_each_documents_metadata_and_stays_valid(page_annotated):
    corpus, store = page_annotated
    data = export_data(corpus, store)
    entries = {entry["id"]: entry for entry in data["documents"]}
    assert entries["page.html"]["metadata"] == {
        "title": "Terrain [b]x[/b]",
        "author": "Claire Dupont",
        "date": "2024-05-01",
        "site": "Le Journal",
        "url": "https://journal.example/terrain",
    }
    assert "metadata" not in entries["notes"]  # plain text says nothing of itself
    validator = Draft202012Validator(
        schema(f"glose-annotations-{json_format.VERSION}.schema.json"),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = list(validator.iter_errors(json.loads(json.dumps(data))))
    assert not errors, errors[0].message
    parsed = json_format.read(json.loads(json.dumps(data)))  # and it reads back
    assert sorted(annotation.document for annotation in parsed.annotations) == [
        "notes",
        "page.html",
    ]
    entries["page.html"]["metadata"]["colour"] = "x"
    assert list(validator.iter_errors(data))  # the metadata's names are closed


def test_refi_qda_sources_carry_the_metadata_as_variables(page_annotated):
    corpus, store = page_annotated
    out = io.BytesIO()
    refi.write_project(select(corpus, store), corpus, out)
    project = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("project.qde")
    xmlschema.XMLSchema(REFI / "Project-mrt2019.xsd").validate(project.decode("utf-8"))
    ns = {"q": refi.PROJECT_NS}
    root = ElementTree.fromstring(project)
    names = {
        variable.get("guid"): variable.get("name")
        for variable in root.findall("q:Variables/q:Variable", ns)
    }
    assert sorted(names.values()) == ["Author", "Date", "Site", "Title", "URL"]
    sources = {source.get("name"): source for source in root.findall(".//q:TextSource", ns)}
    page = sources["Terrain [b]x[/b]"]
    values = {
        names[value.find("q:VariableRef", ns).get("targetGUID")]: value.find("q:TextValue", ns).text
        for value in page.findall("q:VariableValue", ns)
    }
    assert values["Author"] == "Claire Dupont"
    assert values["URL"] == "https://journal.example/terrain"
    assert sources["Notes"].findall("q:VariableValue", ns) == []


def test_w3c_sources_are_described_and_meet_every_must_and_read_back(page_annotated):
    from tests.unit.test_conformance import W3C_SUITE, _assertions
    from tui.interchange import w3c

    corpus, store = page_annotated
    collection = w3c.build(select(corpus, store), corpus)
    items = collection["first"]["items"]
    sources = [item["target"]["source"] for item in items]
    described = [source for source in sources if isinstance(source, dict)]
    assert len(described) == 1 and len(sources) == 2  # plain text keeps its IRI alone
    assert described[0]["id"].endswith("/page.html")
    assert described[0]["dc:title"] == "Terrain [b]x[/b]"
    assert described[0]["dc:creator"] == "Claire Dupont"
    assert described[0]["dc:source"] == "https://journal.example/terrain"
    musts = _assertions(W3C_SUITE / "annotations" / "annotationMusts.test")
    for item in items:
        for name, validator in musts:
            errors = list(validator.iter_errors(item))
            assert not errors, f"{item['id']} fails {name}: {errors[0].message}"
    parsed = w3c.read(json.loads(json.dumps(collection)), corpus)
    assert not parsed.skipped
    assert sorted(annotation.document for annotation in parsed.annotations) == [
        "notes",
        "page.html",
    ]
