"""Hypothesis API JSON import: one annotation, a list, a search result; fixtures written from
the API reference (https://h.readthedocs.io/en/latest/api-reference/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import SEEDS
from tui.corpus import Corpus
from tui.interchange import importing
from tui.interchange.reading import FileError
from tui.store import Store

TEXT = "Meta.\n\nMeta encore.\n\nEt Meta avance.\n\nMeta enfin."
LATER = TEXT.index("Et Meta") + 3
"""The third of four `Meta`: a quote alone would not say which."""
SEEDS_CORPUS = Corpus.open(SEEDS)
"""For examples whose corpus does not matter (the annotation is on a file not in it)."""


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "d.txt").write_text(TEXT, encoding="utf-8")
    return Corpus.open(root)


def annotation(**changed: Any) -> dict[str, Any]:
    """An annotation as the API returns it, on the third `Meta` of d.txt's copy elsewhere."""
    found: dict[str, Any] = {
        "id": "AbC123xyZ",
        "created": "2024-01-31T09:00:00.123456+00:00",
        "updated": "2024-02-01T10:30:00.654321+00:00",
        "user": "acct:marie@hypothes.is",
        "uri": "file:///home/marie/corpus/d.txt",
        "text": "**Important** : voir [ceci](https://example.org/a_b).\r\n\r\n- un *point*",
        "tags": ["acteurs/meta", "à revoir"],
        "group": "__world__",
        "permissions": {"read": ["group:__world__"], "update": ["acct:marie@hypothes.is"]},
        "target": [
            {
                "source": "file:///home/marie/corpus/d.txt",
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startContainer": "/div[1]/p[3]",
                        "startOffset": 3,
                        "endContainer": "/div[1]/p[3]",
                        "endOffset": 7,
                    },
                    {"type": "TextPositionSelector", "start": LATER, "end": LATER + 4},
                    {
                        "type": "TextQuoteSelector",
                        "exact": "Meta",
                        "prefix": TEXT[:LATER][-32:],
                        "suffix": TEXT[LATER + 4 : LATER + 36],
                    },
                ],
            }
        ],
        "document": {"title": ["d"]},
        "links": {"html": "https://hypothes.is/a/AbC123xyZ"},
        "flagged": False,
        "hidden": False,
        "user_info": {"display_name": "Marie Curie"},
    }
    found.update(changed)
    return found


def page_note() -> dict[str, Any]:
    return annotation(
        id="PageNote1",
        uri="https://example.org/article",
        tags=[],
        target=[{"source": "https://example.org/article"}],
        text="Bien.",
    )


def reply() -> dict[str, Any]:
    return annotation(
        id="Reply1",
        references=["AbC123xyZ"],
        tags=[],
        target=[{"source": "file:///home/marie/corpus/d.txt"}],
        text="D'accord.",
    )


def import_into(store: Store, corpus: Corpus, data: Any):
    parsed = importing.read_text(json.dumps(data), corpus)
    report = store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)
    return parsed, report


def test_one_annotation_is_a_segment_with_its_tags_markdown_user_and_dates(corpus, tmp_path):
    parsed = importing.read_text(json.dumps(annotation()), corpus)
    assert parsed.format == "Hypothesis API JSON" and parsed.skipped == []
    store = Store(tmp_path / "s", annotator="me")
    store.import_annotations(parsed.annotations, {d.id: d for d in corpus})
    (segment,) = store.highlights()
    # The position holds the quote: trusted, the third `Meta`, not the first.
    assert (segment.document, segment.start, segment.status) == ("d", LATER, "exact")
    assert segment.tags == ["acteurs/meta", "à revoir"]
    # Markdown as written (its CRLF as LF), not rendered nor escaped.
    assert segment.note == ("**Important** : voir [ceci](https://example.org/a_b).\n\n- un *point*")
    assert segment.annotator == "marie"
    assert segment.created == "2024-01-31T09:00:00.123456+00:00"
    assert segment.updated == "2024-02-01T10:30:00.654321+00:00"
    assert not segment.highlighted  # tags and a note, no colour: a coded segment
    store.close()


def test_a_list_and_a_search_result_are_read_like_one_annotation(corpus):
    one = importing.read_text(json.dumps(annotation()), corpus).annotations
    listed = importing.read_text(json.dumps([annotation()]), corpus).annotations
    search = importing.read_text(json.dumps({"total": 1, "rows": [annotation()]}), corpus)
    assert [a.to_record() for a in listed] == [a.to_record() for a in one]
    assert [a.to_record() for a in search.annotations] == [a.to_record() for a in one]
    assert search.format == "Hypothesis API JSON" and search.skipped == []


def test_a_search_result_says_when_the_file_holds_only_its_first_page(corpus):
    parsed = importing.read_text(json.dumps({"total": 450, "rows": [annotation()]}), corpus)
    assert len(parsed.annotations) == 1
    assert parsed.skipped == [
        "the search found 450 annotations and the file holds 1: the others are not in it "
        "(ask the API for them with offset or search_after)"
    ]


def test_an_empty_search_result_imports_nothing(corpus):
    parsed = importing.read_text('{"total": 0, "rows": []}', corpus)
    assert parsed.format == "Hypothesis API JSON" and parsed.annotations == []


def test_page_notes_and_replies_are_skipped_each_with_a_line(corpus):
    parsed = importing.read_text(json.dumps([page_note(), reply(), annotation()]), corpus)
    assert len(parsed.annotations) == 1
    assert parsed.skipped == [
        "skipped PageNote1: a page note on https://example.org/article, on no words of it",
        "skipped Reply1: a reply in a discussion, not words of a text",
    ]


def test_a_position_that_misses_the_quote_and_a_range_alone_fall_back_on_the_quote(
    corpus, tmp_path
):
    moved = annotation()
    moved["target"][0]["selector"][1] = {"type": "TextPositionSelector", "start": 1, "end": 5}
    ranged = annotation(id="Ranged")
    del ranged["target"][0]["selector"][1]  # a web page's HTML path: nothing in a text
    store = Store(tmp_path / "s", annotator="me")
    for data in (moved, ranged):
        import_into(store, corpus, data)
    # Both found by their quote and its context, the third `Meta`: one segment, merged.
    (segment,) = store.highlights()
    assert (segment.start, segment.end, segment.quote) == (LATER, LATER + 4, "Meta")
    store.close()


def test_a_range_without_a_quote_is_skipped_with_a_line(corpus):
    only_range = annotation()
    only_range["target"][0]["selector"] = only_range["target"][0]["selector"][:1]
    parsed = importing.read_text(json.dumps(only_range), corpus)
    assert parsed.annotations == []
    assert parsed.skipped == [
        "skipped AbC123xyZ: its target in file:///home/marie/corpus/d.txt has no "
        "TextQuoteSelector or TextPositionSelector"
    ]


def test_a_web_page_whose_words_are_not_in_the_corpus_keeps_it_on_its_url(corpus, tmp_path):
    web = annotation(uri="https://example.org/article")
    web["target"][0]["source"] = "https://example.org/article"
    web["target"][0]["selector"] = [{"type": "TextQuoteSelector", "exact": "Google"}]
    store = Store(tmp_path / "s", annotator="me")
    _, report = import_into(store, corpus, web)
    assert report.orphaned == 1
    (kept,) = store.highlights()
    assert kept.document == "https://example.org/article" and kept.quote == "Google"
    assert kept.source == "https://example.org/article"
    store.close()


def test_a_highlight_is_highlighted_and_another_authoritys_user_keeps_it(corpus):
    marked = annotation(text="", tags=[], user="acct:bob@example.edu")
    (found,) = importing.read_text(json.dumps(marked), corpus).annotations
    assert found.highlighted and found.annotator == "bob@example.edu"


def test_importing_the_same_search_twice_changes_nothing(corpus, tmp_path):
    data = {"total": 2, "rows": [annotation(), annotation(id="Other", text="Autre.", tags=[])]}
    store = Store(tmp_path / "s", annotator="me")
    _, first = import_into(store, corpus, data)
    before = sorted(a.uuid for a in store.highlights())
    _, again = import_into(store, corpus, data)
    assert first.added == 1 and first.merged == 1  # the same words by the same person: one
    assert again.added == again.merged == 0
    assert sorted(a.uuid for a in store.highlights()) == before
    store.close()


def test_it_is_known_by_its_content_whatever_the_files_name(corpus, tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(json.dumps({"total": 1, "rows": [annotation()]}), encoding="utf-8")
    assert importing.read_file(path, corpus).format == "Hypothesis API JSON"


def test_a_tag_glose_cannot_name_is_left_off_with_a_line(corpus):
    parsed = importing.read_text(json.dumps(annotation(tags=["ok", "a;b"])), corpus)
    (found,) = parsed.annotations
    assert found.tags == ["ok"]
    assert parsed.skipped[0].startswith("kept AbC123xyZ without its tag 'a;b'")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"created": "hier"}, r"the annotation\.created: 'hier' is not a date"),
        ({"text": "a\x00b"}, r"the annotation\.text: A note cannot hold control"),
        ({"tags": "meta"}, r"the annotation\.tags: must be a list of texts"),
    ],
)
def test_a_malformed_annotation_names_its_field(corpus, change, message):
    with pytest.raises(FileError, match=message):
        importing.read_text(json.dumps(annotation(**change)), corpus)


def test_a_search_result_with_something_else_in_its_rows_is_not_read_as_hypothesis(corpus):
    with pytest.raises(FileError, match="not annotations glose can read"):
        importing.read_text('{"total": 1, "rows": [{"a": 1}]}', corpus)


NOTE_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs", "Cf")) | st.sampled_from(
    "\n\t*_[]()#>`\\<&"
)


@given(text=st.text(NOTE_CHARACTERS, max_size=200))
def test_any_markdown_text_is_the_note_as_written(text):
    data = annotation(text=text, tags=["t"])
    (found,) = importing.read_text(json.dumps(data), SEEDS_CORPUS).annotations
    assert found.note == text.strip()


def test_an_annotation_has_the_same_uuid_from_the_api_and_from_its_w3c_form(corpus):
    (from_api,) = importing.read_text(json.dumps(annotation()), corpus).annotations
    w3c = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/AbC123xyZ",
        "type": "Annotation",
        "target": annotation()["target"][0],
    }
    (from_w3c,) = importing.read_text(json.dumps(w3c), corpus).annotations
    assert from_api.uuid == from_w3c.uuid


def w3c_markdown() -> dict[str, Any]:
    """The annotation in W3C form, its note a body that says it is Markdown."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/AbC123xyZ",
        "type": "Annotation",
        "motivation": "commenting",
        "body": {"type": "TextualBody", "value": "# Titre\r\n*gras*", "format": "text/markdown"},
        "target": annotation()["target"][0],
    }


def note_bodies(data: bytes) -> list[dict[str, Any]]:
    """The note bodies of a W3C export."""
    collection = json.loads(data)
    return [
        body
        for entry in collection["first"]["items"]
        for body in entry.get("body", [])
        if body.get("purpose") == "commenting"
    ]


@pytest.mark.parametrize("given_as", ["hypothesis", "w3c"])
@pytest.mark.parametrize("through", ["json", "jsonl", "w3c"])
def test_a_markdown_note_goes_out_of_w3c_as_markdown_after_any_trip(
    given_as, through, corpus, tmp_path
):
    from tui.interchange.export import select
    from tui.interchange.formats import FORMATS

    data = annotation() if given_as == "hypothesis" else w3c_markdown()
    first = Store(tmp_path / "first", annotator="me")
    second = Store(tmp_path / "second", annotator="me")
    try:
        parsed = importing.read_text(json.dumps(data), corpus)
        for found in parsed.annotations:
            found.annotator = found.annotator or "me"  # as `glose import` names nobody's
        first.import_annotations(parsed.annotations, {d.id: d for d in corpus})
        exported = FORMATS[through].to_bytes(select(corpus, first), corpus)
        parsed = importing.read_text(exported.decode(), corpus)
        second.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)
        (body,) = note_bodies(FORMATS["w3c"].to_bytes(select(corpus, second), corpus))
        assert body["format"] == "text/markdown"
        assert body["value"] == second.highlights()[0].note
    finally:
        first.close()
        second.close()


def test_a_plain_note_stays_plain_text(corpus, tmp_path):
    from tui.interchange.export import select
    from tui.interchange.formats import FORMATS

    entry = w3c_markdown()
    entry["body"]["format"] = "text/plain"
    store = Store(tmp_path / "s", annotator="me")
    try:
        import_into(store, corpus, entry)
        (body,) = note_bodies(FORMATS["w3c"].to_bytes(select(corpus, store), corpus))
        assert body["format"] == "text/plain"
        assert "note_format" not in store.highlights()[0].to_record()
    finally:
        store.close()
