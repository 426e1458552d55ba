"""Every export checked against the standard it claims: the W3C Web Annotation test suite's
MUST assertions, the REFI-QDA XSDs, and glose's own JSON Schemas."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import xmlschema
from jsonschema import Draft4Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tui.interchange import json_format, jsonl_format, refi, w3c
from tui.interchange.export import Filters, select
from tui.interchange.formats import FORMATS
from tui.interchange.reading import schema
from tui.store.codebook import path_of

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"
W3C_SUITE = CONFORMANCE / "w3c-web-annotation-tests"
REFI = CONFORMANCE / "refi-qda"


def _assertions(test_file: Path) -> list[tuple[str, Draft4Validator]]:
    """The suite's assertions listed in a .test file, each a validator over `definitions/`."""
    registry = Registry()
    for definition in (W3C_SUITE / "definitions").glob("*.json"):
        contents = json.loads(definition.read_text(encoding="utf-8"))
        registry = registry.with_resource(definition.name, Resource(contents, DRAFT4))
    listed = json.loads(test_file.read_text(encoding="utf-8"))["assertions"]
    validators = []
    for name in listed:
        assertion = json.loads((W3C_SUITE / name).read_text(encoding="utf-8"))
        assert assertion["expectedResult"] == "valid"
        validators.append((name, Draft4Validator(assertion, registry=registry)))
    return validators


def _export(format_name: str, annotated) -> bytes:
    out = io.BytesIO()
    format = FORMATS[format_name]
    selection = select(annotated.corpus, annotated.store)
    if format.binary:
        format.write(selection, annotated.corpus, out)
        return out.getvalue()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    format.write(selection, annotated.corpus, text)
    text.flush()
    return out.getvalue()


def test_every_w3c_annotation_meets_every_must_assertion(annotated):
    collection = json.loads(_export("w3c", annotated))
    items = collection["first"]["items"]
    assert len(items) == collection["total"] == _stored(annotated) == 17
    musts = _assertions(W3C_SUITE / "annotations" / "annotationMusts.test")
    assert len(musts) == 54
    for item in items:
        for name, validator in musts:
            errors = list(validator.iter_errors(item))
            assert not errors, f"{item['id']} fails {name}: {errors[0].message}"


def test_the_w3c_collection_meets_every_must_assertion(annotated):
    collection = json.loads(_export("w3c", annotated))
    musts = _assertions(W3C_SUITE / "collections" / "collectionMusts.test")
    for name, validator in musts:
        errors = list(validator.iter_errors(collection))
        assert not errors, f"the collection fails {name}: {errors[0].message}"


def test_the_w3c_embedded_page_meets_every_must_assertion(annotated):
    """The page assertions take the collection with its embedded page, as the suite asks."""
    collection = json.loads(_export("w3c", annotated))
    musts = _assertions(W3C_SUITE / "collections" / "pages" / "pageMusts.test")
    assert len(musts) == 15
    for name, validator in musts:
        errors = list(validator.iter_errors(collection))
        assert not errors, f"the page fails {name}"
        errors = list(validator.iter_errors({"@context": w3c.ANNO_CONTEXT, **collection["first"]}))
        assert not errors, f"the page on its own fails {name}"


def test_the_must_assertions_catch_a_broken_annotation(annotated):
    """The harness is live: an annotation with a wrong context and no target fails it."""
    item = json.loads(_export("w3c", annotated))["first"]["items"][0]
    broken = {**item, "@context": "http://example.org/other"}
    del broken["target"]
    musts = _assertions(W3C_SUITE / "annotations" / "annotationMusts.test")
    failed = {name for name, validator in musts if not validator.is_valid(broken)}
    assert "annotations/3.1-annotationContextValidated.json" in failed
    assert "annotations/3.1-targetKeyFound.json" in failed


def test_w3c_selectors_hold_the_words_and_bodies_the_tags_and_note(annotated):
    items = json.loads(_export("w3c", annotated))["first"]["items"]
    for item in items:
        target = item["target"]
        selectors = {s["type"]: s for s in target["selector"]}
        quote = selectors["TextQuoteSelector"]["exact"]
        if "TextPositionSelector" in selectors:
            position = selectors["TextPositionSelector"]
            document = next(
                d for d in annotated.corpus if d.path.resolve().as_uri() == target["source"]
            )
            assert document.text[position["start"] : position["end"]] == quote
        else:
            # Orphans: their offsets no longer hold their words, so only the quote is given.
            assert item["id"] in {
                f"urn:uuid:{a.uuid}" for a in annotated.store.orphans(corpus=_ids(annotated))
            }
    tagged = next(i for i in items if i["motivation"] == "tagging")
    assert all(body["purpose"] == "tagging" for body in tagged["body"])
    noted = next(i for i in items if any(b["purpose"] == "commenting" for b in i.get("body", [])))
    assert noted["target"]["styleClass"].startswith("glose-")


def _stored(annotated) -> int:
    return len(annotated.store.annotations()) + len(annotated.store.highlights())


def _ids(annotated) -> set[str]:
    return {document.id for document in annotated.corpus}


def test_the_refi_qda_project_is_valid_against_the_project_xsd(annotated):
    archive = zipfile.ZipFile(io.BytesIO(_export("refi-qda", annotated)))
    project = archive.read("project.qde")
    xmlschema.XMLSchema(REFI / "Project-mrt2019.xsd").validate(project.decode("utf-8"))
    names = set(archive.namelist())
    assert "project.qde" in names


def test_refi_qda_selections_slice_the_text_written_to_the_archive(annotated):
    archive = zipfile.ZipFile(io.BytesIO(_export("refi-qda", annotated)))
    root = ElementTree.fromstring(archive.read("project.qde"))
    ns = {"q": refi.PROJECT_NS}
    stored = {a.uuid: a for a in [*annotated.store.annotations(), *annotated.store.highlights()]}
    codes = _code_paths(root.find(".//q:Codes", ns), refi.PROJECT_NS)
    notes = {
        note.get("guid"): note.findtext("q:PlainTextContent", namespaces=ns)
        for note in root.iterfind(".//q:Notes/q:Note", ns)
    }
    selections = 0
    for source in root.iterfind(".//q:TextSource", ns):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        raw = archive.read(f"sources/{path.removeprefix('internal://')}")
        text = raw.decode("utf-8")
        assert "\r" not in text
        for selection in source.iterfind("q:PlainTextSelection", ns):
            selections += 1
            annotation = stored[selection.get("guid")]
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == annotation.quote  # code points, end exclusive
            coded = [codes[c.get("targetGUID")] for c in selection.iterfind(".//q:CodeRef", ns)]
            assert coded == [path_of(tag) for tag in getattr(annotation, "tags", [])]
            refs = [r.get("targetGUID") for r in selection.iterfind("q:NoteRef", ns)]
            assert [notes[r] for r in refs] == ([annotation.note] if annotation.note else [])
    # Everything placed is there; the orphan and the annotation of the vanished document not.
    assert selections == _stored(annotated) - 2


def _code_paths(codes: ElementTree.Element, namespace: str, above: str = "") -> dict:
    """Each code's GUID and its path: the names of the codes it is nested in, then its own."""
    found = {}
    for code in codes.findall(f"{{{namespace}}}Code"):
        path = f"{above}/{code.get('name')}" if above else code.get("name")
        found[code.get("guid")] = path
        found |= _code_paths(code, namespace, path)
    return found


def test_the_refi_qda_codebook_is_valid_against_the_codebook_xsd(annotated):
    codebook = _export("refi-qdc", annotated).decode("utf-8")
    xmlschema.XMLSchema(REFI / "Codebook-mrt2019.xsd").validate(codebook)
    root = ElementTree.fromstring(codebook)
    codes = root.findall(f".//{{{refi.CODEBOOK_NS}}}Code")
    codable = [c for c in codes if c.get("isCodable") == "true"]
    paths = _code_paths(root.find(f"{{{refi.CODEBOOK_NS}}}Codes"), refi.CODEBOOK_NS)
    assert sorted((paths[c.get("guid")], c.get("color")) for c in codable) == sorted(
        (path_of(tag.name), tag.color.upper()) for tag in annotated.store.tags()
    )


def test_levels_of_tag_names_are_nested_codes_in_the_codebook(annotated):
    store = annotated.store
    store.create_tag("politique/régulation/europe", description="Le droit européen.")
    store.create_tag("politique")
    codebook = _export("refi-qdc", annotated).decode("utf-8")
    xmlschema.XMLSchema(REFI / "Codebook-mrt2019.xsd").validate(codebook)
    ns = {"c": refi.CODEBOOK_NS}
    root = ElementTree.fromstring(codebook)
    politique = root.find("c:Codes/c:Code[@name='politique']", ns)
    assert politique is not None and politique.get("isCodable") == "true"
    # No tag is called politique/régulation: it is a category, a code nobody codes with.
    regulation = politique.find("c:Code[@name='régulation']", ns)
    assert regulation.get("isCodable") == "false" and regulation.get("color") is None
    europe = regulation.find("c:Code[@name='europe']", ns)
    assert europe.get("isCodable") == "true"
    assert europe.findtext("c:Description", namespaces=ns) == "Le droit européen."


def test_the_xsd_check_is_live():
    """A project missing a required attribute is refused: the validation can fail."""
    schema_ = xmlschema.XMLSchema(REFI / "Project-mrt2019.xsd")
    bad = f'<Project xmlns="{refi.PROJECT_NS}"><Users><User name="x"/></Users></Project>'
    assert not schema_.is_valid(bad)


def test_native_json_is_valid_against_its_schema(annotated):
    data = json.loads(_export("json", annotated))
    validator = Draft202012Validator(
        schema(f"glose-annotations-{json_format.VERSION}.schema.json"),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = list(validator.iter_errors(data))
    assert not errors, errors[0].message
    # And the schema is strict enough to fail: a negative offset, an unknown field, a time
    # that is not one (checked: the test extra brings the date-time checker).
    data["documents"][0]["passages"][0]["start"] = -1
    data["documents"][0]["surprise"] = True
    data["documents"][0]["passages"][0]["created"] = "hier"
    assert len(list(validator.iter_errors(data))) == 3


def test_every_json_lines_record_is_valid_against_its_schema(annotated):
    validator = Draft202012Validator(schema(jsonl_format.SCHEMA))
    records = [json.loads(line) for line in _export("jsonl", annotated).decode().splitlines()]
    tags = [record for record in records if record["kind"] == "tag"]
    assert len(tags) == len(annotated.store.tags())  # the codebook, first
    assert records[: len(tags)] == tags
    assert len(records) - len(tags) == _stored(annotated)
    for record in records:
        assert not list(validator.iter_errors(record))
    # Strict enough to fail: a tag's colour is a hex colour, an annotation's a name.
    assert list(validator.iter_errors({**tags[0], "color": "yellow"}))
    assert list(validator.iter_errors({**records[-1], "color": "#ffe680"}))
    assert list(validator.iter_errors({**records[-1], "passage_index": -1}))


def test_w3c_context_names_glose_terms_as_an_iri():
    assert w3c.CONTEXT[0] == "http://www.w3.org/ns/anno.jsonld"
    assert w3c.CONTEXT[1]["glose"].startswith("urn:")


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


def test_coded_segments_meet_every_w3c_must_and_the_refi_qda_xsd(coded):
    """Segments (tagged words, tagged and highlighted words, a note alone) in every standard
    format pass what passages and highlights pass."""
    items = json.loads(_export("w3c", coded))["first"]["items"]
    segments = [item for item in items if item["glose:kind"] == "segment"]
    assert len(segments) == 5
    musts = _assertions(W3C_SUITE / "annotations" / "annotationMusts.test")
    for item in segments:
        for name, validator in musts:
            errors = list(validator.iter_errors(item))
            assert not errors, f"{item['id']} fails {name}: {errors[0].message}"
    project = zipfile.ZipFile(io.BytesIO(_export("refi-qda", coded))).read("project.qde")
    xmlschema.XMLSchema(REFI / "Project-mrt2019.xsd").validate(project.decode("utf-8"))
    data = json.loads(_export("json", coded))
    validator = Draft202012Validator(schema("glose-annotations-5.schema.json"))
    assert not list(validator.iter_errors(data))
    line = Draft202012Validator(schema(jsonl_format.SCHEMA))
    for record in _export("jsonl", coded).decode().splitlines():
        assert not list(line.iter_errors(json.loads(record)))


def test_a_project_with_codes_sharing_their_last_level_is_valid(tmp_path):
    from tests.helpers import SEEDS
    from tui.corpus import Corpus
    from tui.store import Store

    corpus = Corpus.open(SEEDS)
    document = corpus.get("000_9ff77a90e9a0ba93")
    with Store(tmp_path / "store", annotator="ana") as store:
        for tag, words in [("acteurs/autres", "Bard et Claude"), ("politique/autres", "ChatGPT")]:
            start = document.text.index(words)
            store.tag_span(document, document.passages, start, start + len(words), tag)
        segment = store.segment_at(document, start, start + len("ChatGPT"))
        segment.note = "Un mémo."
        store.update_highlight(segment)
        data = FORMATS["refi-qda"].to_bytes(select(corpus, store), corpus)
    project = zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(REFI / "Project-mrt2019.xsd").validate(project)
    root = ElementTree.fromstring(project)
    ns = {"q": refi.PROJECT_NS}
    assert len(root.findall(".//q:TextSource", ns)) == len(list(corpus))
    names = [code.get("name") for code in root.iter(f"{{{refi.PROJECT_NS}}}Code")]
    assert sorted(names) == ["acteurs", "acteurs/autres", "politique", "politique/autres"]
