"""Web annotations meet the local copy: an annotation made on a page that is not in the corpus
goes to the one document holding its words (tui/interchange/attaching.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import SEEDS
from tui.corpus import Corpus
from tui.interchange import importing, w3c
from tui.interchange.attaching import Place, find, flat, flattened
from tui.interchange.export import select
from tui.store import Store

PAGE = "https://www.example.org/2023/12/alliance-ia?utm=x"
CORPUS = Corpus.open(SEEDS)
DOCUMENTS = {document.id: document for document in CORPUS}
NBSP_DOC = "000_9ff77a90e9a0ba93"
RUN_DOC = "001_5049656ab526f4d3"
ALLIANCE = "002_c25bee6c01f21316"
OTHER = "004_5666f5666deb1184"


def hypothesis_annotation(exact: str, prefix: str = "", suffix: str = "", **more: Any) -> dict:
    """An annotation as Hypothesis's API gives it, made on PAGE."""
    selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
    if prefix or suffix:
        selector.update(prefix=prefix, suffix=suffix)
    found = {
        "id": more.pop("id", "Hyp0001"),
        "user": "acct:marie@hypothes.is",
        "uri": PAGE,
        "group": "__world__",
        "text": "À suivre.",
        "tags": ["acteurs/meta"],
        "target": [
            {
                "source": PAGE,
                "selector": [
                    {"type": "TextPositionSelector", "start": 5_000, "end": 5_000 + len(exact)},
                    selector,
                ],
            }
        ],
    }
    found.update(more)
    return found


def read(*annotations: dict, mapping: dict[str, str] | None = None):
    return importing.read_text(json.dumps(list(annotations)), CORPUS, mapping)


def test_a_quote_found_in_one_document_is_attached_there_exact_with_its_page_kept():
    text = DOCUMENTS[ALLIANCE].text
    start = text.index("l’Alliance IA, une coalition")
    parsed = read(hypothesis_annotation("l’Alliance IA, une coalition", "ont annoncé ", ""))
    (found,) = parsed.annotations
    assert (found.document, found.start, found.end) == (ALLIANCE, start, start + 28)
    assert found.status == "exact" and found.quote == text[start : start + 28]
    assert found.source == PAGE and found.group == "__world__"
    assert parsed.attached is not None
    assert parsed.attached.lines() == [
        f"attached 1 annotation on 1 page to corpus documents ({PAGE} → {ALLIANCE})"
    ]


def test_words_in_two_documents_are_ambiguous_and_stay_on_their_page():
    parsed = read(hypothesis_annotation("IBM et Meta"))
    (found,) = parsed.annotations
    assert (found.document, found.source) == (PAGE, PAGE)
    assert parsed.attached is not None
    assert parsed.attached.lines() == [
        "1 annotation left on their page, not in the corpus: 1 ambiguous"
    ]


def test_prefix_and_suffix_tell_the_document_apart():
    text = DOCUMENTS[OTHER].text
    start = text.index("IBM et Meta")
    parsed = read(
        hypothesis_annotation("IBM et Meta", text[start - 32 : start], text[start + 11 :][:32])
    )
    (found,) = parsed.annotations
    assert (found.document, found.start) == (OTHER, start)


def test_prefix_and_suffix_tell_places_apart_in_one_document():
    text = "Meta.\n\nMeta encore.\n\nEt Meta avance.\n\nMeta enfin."
    later = text.index("Et Meta") + 3
    texts = {"d": flattened(text)}
    assert find("Meta", "", "", texts) == "ambiguous"
    found = find("Meta", text[:later][-32:], text[later + 4 :][:32], texts)
    assert found == Place("d", later, later + 4)


def test_words_nowhere_and_words_in_other_surroundings_are_not_found():
    parsed = read(
        hypothesis_annotation("Google et Amazon", id="A"),
        # Words that are in the corpus once, among other words entirely.
        hypothesis_annotation(
            "l’Alliance IA, une coalition",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
            id="B",
        ),
        hypothesis_annotation("IBM et Meta", id="C"),
    )
    assert {a.document for a in parsed.annotations} == {PAGE}
    assert parsed.attached is not None
    assert parsed.attached.lines() == [
        "3 annotations left on their page, not in the corpus: 1 ambiguous, 2 not found"
    ]


def test_the_browsers_whitespace_and_plain_apostrophes_find_the_copys_words():
    # The copy has `«\xa0C’est mieux quand l’IA`; the page's DOM gave a plain space, a line
    # end and straight apostrophes.
    text = DOCUMENTS[NBSP_DOC].text
    start = text.index("«\xa0C’est mieux")
    end = text.index("quand l’IA", start) + len("quand l’IA")
    parsed = read(hypothesis_annotation("« C'est mieux\n   quand l'IA"))
    (found,) = parsed.annotations
    assert (found.document, found.start, found.end) == (NBSP_DOC, start, end)
    assert found.quote == text[start:end]  # the document's own words, not the page's


def test_a_quote_across_a_run_of_line_ends_and_a_non_breaking_space():
    text = DOCUMENTS[RUN_DOC].text
    start = text.index("croissance rapide.")
    end = text.index("“AI Alliance”") + len("“AI Alliance”")
    assert "\n\xa0\n\n" in text[start:end]
    parsed = read(hypothesis_annotation('croissance rapide. Cette coalition dite "AI Alliance"'))
    (found,) = parsed.annotations
    assert (found.document, found.start, found.end) == (RUN_DOC, start, end)


def test_map_puts_a_pages_annotations_on_the_document_named():
    parsed = read(hypothesis_annotation("IBM et Meta"), mapping={PAGE: OTHER})
    (found,) = parsed.annotations
    start = DOCUMENTS[OTHER].text.index("IBM et Meta")
    assert (found.document, found.start, found.source) == (OTHER, start, PAGE)
    assert parsed.attached is not None
    assert parsed.attached.lines() == [f"placed 1 annotation by --map ({PAGE} → {OTHER})"]


def test_map_onto_a_document_without_the_words_says_they_are_kept_as_orphans(tmp_path):
    parsed = read(
        hypothesis_annotation("IBM et Meta"),
        hypothesis_annotation("des mots qui ne sont dans aucun document du tout", id="Hyp0002"),
        mapping={PAGE: OTHER},
    )
    assert parsed.attached is not None
    assert parsed.attached.lines() == [
        f"placed 1 annotation by --map ({PAGE} → {OTHER}); 1 kept as orphans on {OTHER}: "
        "their words are not in it"
    ]
    store = Store(tmp_path / "s", annotator="me")
    try:
        report = store.import_annotations(parsed.annotations, DOCUMENTS)
        assert (report.added, report.orphaned) == (1, 1)
    finally:
        store.close()


def test_a_mapping_for_a_page_not_in_the_file_is_said():
    parsed = read(hypothesis_annotation("IBM et Meta"), mapping={"https://ailleurs.fr/": OTHER})
    assert parsed.attached is not None
    assert parsed.attached.lines()[-1] == (
        "--map https://ailleurs.fr/: no annotation in the file is on it"
    )


def import_data(store: Store, data: Any) -> Any:
    parsed = importing.read_text(json.dumps(data), CORPUS)
    return store.import_annotations(parsed.annotations, DOCUMENTS, parsed.tags)


def test_hypothesis_to_w3c_and_back_keeps_the_place_the_page_and_is_idempotent(tmp_path):
    text = DOCUMENTS[ALLIANCE].text
    start = text.index("l’Alliance IA, une coalition")
    original = hypothesis_annotation("l’Alliance IA, une coalition", "ont annoncé ", "")
    store = Store(tmp_path / "first", annotator="me")
    assert import_data(store, original).added == 1
    again = import_data(store, original)  # the same file twice: one segment
    assert (again.added, again.unchanged) == (0, 1)
    selection = select(CORPUS, store)
    exported = w3c.build(selection, CORPUS)
    (item,) = exported["first"]["items"]
    assert item["target"]["source"] == PAGE  # as it came
    assert item["target"]["scope"] == w3c.document_iri(selection.items[0])
    assert item["glose:group"] == "__world__"
    # Into the store it came from: the very same annotation.
    back = import_data(store, exported)
    assert (back.added, back.unchanged) == (0, 1)
    store.close()
    fresh = Store(tmp_path / "fresh", annotator="me")
    assert import_data(fresh, exported).added == 1
    (segment,) = fresh.highlights()
    assert (segment.document, segment.start, segment.status) == (ALLIANCE, start, "exact")
    assert (segment.source, segment.group, segment.tags) == (PAGE, "__world__", ["acteurs/meta"])
    fresh.close()


def test_an_annotation_left_on_its_page_is_exported_with_its_address(tmp_path):
    store = Store(tmp_path / "s", annotator="me")
    assert import_data(store, hypothesis_annotation("IBM et Meta")).orphaned == 1
    (item,) = w3c.build(select(CORPUS, store), CORPUS)["first"]["items"]
    store.close()
    assert item["target"]["source"] == PAGE and "scope" not in item["target"]


WORDS = st.text(st.sampled_from("abcéd’'"), min_size=1, max_size=6)
GAPS = st.sampled_from([" ", "  ", "\n", "\n\n", "\xa0", " \t", "\u202f"])


@given(
    words=st.lists(st.tuples(WORDS, GAPS), min_size=2, max_size=60),
    cut=st.tuples(st.integers(0, 59), st.integers(1, 20)),
    gap=st.sampled_from([" ", "\n  ", "\xa0"]),
)
def test_a_quote_cut_from_a_text_attaches_back_at_its_offsets_when_unique(words, cut, gap):
    text = "".join(word + space for word, space in words)
    first, count = cut[0] % len(words), cut[1]
    start = sum(len(w) + len(s) for w, s in words[:first])
    chosen = words[first : first + count]
    end = start + sum(len(w) + len(s) for w, s in chosen) - len(chosen[-1][1])
    # The page's words: its whitespace its own, its apostrophes plain.
    quote = gap.join(word for word, _ in chosen).replace("’", "'")
    flat_text = flattened(text)
    wanted = flat(quote)
    # Counted as `find` looks, overlaps too: `aa` is in `aaa` twice.
    places = [at for at in range(len(flat_text.text)) if flat_text.text.startswith(wanted, at)]
    if len(places) != 1:
        return  # twins: which one is a matter of context, not of offsets
    found = find(quote, text[max(0, start - 64) : start], text[end : end + 64], {"d": flat_text})
    assert found == Place("d", start, end)


@pytest.mark.parametrize("text", ["", "a", "  a  b\n\nc\xa0 d  ", "\n\n\n", "x’y"])
def test_flattening_maps_every_kept_character_back_to_itself(text):
    flat_text = flattened(text)
    for position, char in enumerate(flat_text.text):
        original = text[flat_text.original(position)]
        assert char == original.translate({0x2019: "'"}) or (char == " " and original.isspace())


@pytest.fixture
def from_the_web(tmp_path):
    """A store holding one annotation attached from a page and one left on its page."""
    store = Store(tmp_path / "s", annotator="me")
    attached = hypothesis_annotation("l’Alliance IA, une coalition", "ont annoncé ", "", id="H1")
    import_data(store, [attached, hypothesis_annotation("IBM et Meta", id="H2", group="g7Kx")])
    yield store
    store.close()


def test_what_came_from_the_web_meets_every_w3c_must(from_the_web):
    from tests.unit.test_conformance import W3C_SUITE, _assertions

    items = w3c.build(select(CORPUS, from_the_web), CORPUS)["first"]["items"]
    assert {item["target"]["source"] for item in items} == {PAGE}
    musts = _assertions(W3C_SUITE / "annotations" / "annotationMusts.test")
    for item in items:
        for name, validator in musts:
            errors = list(validator.iter_errors(item))
            assert not errors, f"{item['id']} fails {name}: {errors[0].message}"


@pytest.mark.parametrize("format_name", ["json", "jsonl"])
def test_glose_json_and_json_lines_carry_the_page_and_the_group(
    from_the_web, tmp_path, format_name
):
    import io

    from tui.interchange.formats import FORMATS

    out = io.StringIO()
    FORMATS[format_name].write(select(CORPUS, from_the_web), CORPUS, out)
    written = out.getvalue()
    assert PAGE in written and "g7Kx" in written  # checked against the schema as it is read
    parsed = importing.read_text(written, CORPUS)
    fresh = Store(tmp_path / format_name, annotator="me")
    report = fresh.import_annotations(parsed.annotations, DOCUMENTS, parsed.tags)
    assert (report.added, report.orphaned) == (1, 1)
    kept = {(a.document, a.source, a.group) for a in fresh.highlights()}
    fresh.close()
    assert kept == {(ALLIANCE, PAGE, "__world__"), (PAGE, PAGE, "g7Kx")}


def test_an_annotation_on_a_glose_document_gone_from_the_corpus_waits_for_it():
    words = "l’Alliance IA, une coalition"
    gone = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:6f1c2a34-8d6e-4f0a-9b1e-3c2d4e5f6a7b",
        "type": "Annotation",
        "target": {
            "source": "urn:glose:document:ancien-article",
            "selector": {"type": "TextQuoteSelector", "exact": words},
        },
    }
    parsed = importing.read_text(json.dumps(gone), CORPUS)
    (found,) = parsed.annotations
    assert (found.document, found.source) == ("ancien-article", "")
    assert parsed.attached is not None and parsed.attached.lines() == []


def test_records_without_a_page_or_group_are_read_and_written_as_before():
    from tui.store.model import Highlight

    record = Highlight(document="d", sha256="", start=0, end=4, quote="Meta").to_record()
    assert "source" not in record and "group" not in record  # stores stay byte for byte
    assert Highlight.from_record(record).source == ""
    kept = Highlight(document="d", sha256="", start=0, end=4, quote="Meta", source=PAGE, group="g")
    assert Highlight.from_record(kept.to_record()).source == PAGE
