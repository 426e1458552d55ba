"""Round trips: one rich store exported in each format glose re-imports, imported into a fresh
store (and into one that already has the same tags, coloured and keyed otherwise), and
compared with the original, field by field, for what the format carries.

| what comes back                 | JSON | JSONL | W3C | W3C lines | .qdpx | .qdc | Taguette |
|---------------------------------|------|-------|-----|-----------|-------|------|----------|
| spans: start, end, quote        | yes  | yes   | yes | yes       | yes   | -    | -        |
| tags, by their full paths       | yes  | yes   | yes | yes       | yes   | yes  | yes      |
| notes, exact text               | yes  | yes   | yes | yes       | yes * | -    | -        |
| annotators, created, updated    | yes  | yes   | yes | yes       | yes   | -    | -        |
| uuid                            | yes  | yes   | yes | yes       | yes   | -    | -        |
| a passage's tags as a passage's | yes  | yes   | yes | yes       | no ** | -    | -        |
| highlight and its colour        | yes  | yes   | yes | yes       | no ** | -    | -        |
| tag colour                      | yes  | yes   | no  | no        | yes   | yes  | no       |
| tag key                         | yes  | yes   | no  | no        | no    | no   | no       |
| tag description                 | yes  | yes   | no  | no        | yes   | yes  | yes      |
| tag creation date               | yes  | yes   | no  | no        | no    | no   | no       |
| web page (source), group        | yes  | yes   | yes | yes       | no    | -    | -        |
| orphans                         | yes  | yes   | *** | ***       | no    | -    | -        |

(.qdpx, .qdc: REFI-QDA project and codebook; Taguette: its codebook CSV; W3C lines: one
annotation per line.) A "no" for a tag: a new tag takes the store's next free colour or key.
* XML 1.0 cannot hold U+FFFE and U+FFFF, which glose accepts in notes and tag names: a
project holds U+FFFD in their place. ** A passage's tags, note and dates come back on a
segment of its words; a span with neither code nor note comes back highlighted in the
default colour, nothing else highlighted. *** An orphan comes back by its quote, without the
offsets its words last had; a project leaves orphans out (the export says so). A project
also spells a tag's upper levels as the codes it is nested in spell them, and one annotator's
passage and segment of the very same words come back as one segment (both tags, both notes).

A store that already has a tag keeps its colour, key and
description whatever the file says (every format).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import SEEDS, text_document
from tui.corpus import Corpus
from tui.interchange import importing, w3c
from tui.interchange.export import select
from tui.interchange.formats import FORMATS
from tui.store import Store
from tui.store.model import (
    DEFAULT_HIGHLIGHT,
    NoteError,
    PassageAnnotation,
    TagNameError,
    clean_note,
    clean_tag_name,
)

A = "000_9ff77a90e9a0ba93"
B = "001_5049656ab526f4d3"
C = "002_c25bee6c01f21316"
D = "003_df3649e4754c1e63"

WEB_PAGE = "https://example.org/articles/ia-ouverte"
GROUP = "Kd3pQ9xz"

NOTE_LINES = "Première ligne.\nDeuxième ligne,\n\ttabulée.\n\nAprès une ligne vide."
NOTE_MARKDOWN = (
    "**Important** : voir [la source](https://example.org/a_b).\n\n- un *point*\n- `code`"
)
DESCRIPTION = "Les firmes nommées.\nPas l'État, « ni » les “autres”."
NOTE_QUOTES = "Il dit « ouvert » — et puis “fermé”, l’‘autre’…"


@dataclass
class Rich:
    corpus: Corpus
    store: Store
    root: Path


def build_rich(base: Path) -> Rich:
    """The store every round trip starts from (see the module's docstring for the cases)."""
    root = base / "corpus"
    shutil.copytree(SEEDS, root)
    corpus = Corpus.open(root)
    store = Store(base / "source", annotator="alice")
    a, b, c, d = (corpus.get(doc) for doc in (A, B, C, D))
    # The codebook: nested tags, two sharing their last level, one described, coloured, keyed.
    store.create_tag("acteurs/entreprises", description=DESCRIPTION)
    store.recolor_tag("acteurs/entreprises", "#123456")
    store.set_tag_key("acteurs/entreprises", 7)
    store.create_tag("acteurs/autres")
    store.create_tag("politique/autres")
    store.create_tag("sécurité")
    # Passage tags, a passage note, a passage highlighted in a colour not the default.
    store.toggle_tag(a, a.passages[1], "sécurité")
    store.toggle_tag(a, a.passages[1], "politique/autres")
    store.set_passage_note(a, a.passages[1], NOTE_LINES)
    store.toggle_highlight(a, a.passages[3], "green")
    store.toggle_tag(a, a.passages[4], "acteurs/autres")
    store.toggle_highlight(a, a.passages[4], "purple")
    # Segments: within a passage with two tags, across passages, a Markdown note.
    start = a.text.index("leaders incontestés")
    store.tag_span(a, a.passages, start, start + 19, "acteurs/entreprises")
    two, _ = store.tag_span(a, a.passages, start, start + 19, "acteurs/autres")
    two.note = NOTE_MARKDOWN
    store.update_highlight(two)
    across = b.passages[1].end - 10, b.passages[2].start + 12
    store.tag_span(b, b.passages, *across, "politique/autres")
    start = b.text.index("Meta et IBM")
    lit, _ = store.tag_span(b, b.passages, start, start + 11, "acteurs/entreprises")
    lit.highlighted, lit.color, lit.note = True, "orange", NOTE_QUOTES
    store.update_highlight(lit)
    # A quote a spreadsheet would take for a formula, and a plain highlight in pink.
    start = c.text.index("-mêmes")
    store.tag_span(c, c.passages, start, start + 6, "sécurité")
    start = d.text.index("Meta, la société")
    store.add_highlight(d, d.passages, start, start + 4, "pink")
    # Bob: a passage tag, a segment with a note only.
    store.annotator = "bob"
    store.toggle_tag(a, a.passages[1], "sécurité")
    start = c.text.index("ci-dessous")
    noted, _ = store.tag_span(c, c.passages, start, start + 10, "sécurité")
    noted.note = "Seulement une note, à la fin."
    store.update_highlight(noted)
    store.toggle_segment_tag(noted, "sécurité")
    store.annotator = "alice"
    # A web annotation attached by its quote, with the page and the group it came from.
    _import_hypothesis(store, corpus, d)
    # An orphan: a tagged passage whose words leave the document.
    doomed = c.passages[3]
    store.toggle_tag(c, doomed, "politique/autres")
    path = root / f"{C}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(doomed.text, ""), encoding="utf-8")
    # A segment on a document gone from the corpus (kept by id where the format can).
    gone = text_document("ailleurs/parti", "Des mots qui ne sont plus dans le corpus.")
    store.tag_span(gone, gone.passages, 4, 8, "politique/autres")
    corpus = Corpus.open(root)
    for document in corpus:
        store.anchor(document, document.passages)
    return Rich(corpus, store, root)


def _import_hypothesis(store: Store, corpus: Corpus, document) -> None:
    start = document.text.index("la société-mère")
    end = start + len("la société-mère")
    annotation = {
        "id": "WebNote1",
        "created": "2024-01-31T09:00:00.123456+00:00",
        "updated": "2024-02-01T10:30:00.654321+00:00",
        "user": "acct:marie@hypothes.is",
        "uri": WEB_PAGE,
        "text": "Vu *en ligne*.",
        "tags": ["acteurs/entreprises", "web"],
        "group": GROUP,
        "target": [
            {
                "source": WEB_PAGE,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": document.text[start:end],
                        "prefix": document.text[max(0, start - 32) : start],
                        "suffix": document.text[end : end + 32],
                    }
                ],
            }
        ],
    }
    parsed = importing.read_text(json.dumps(annotation), corpus)
    assert [a.source for a in parsed.annotations] == [WEB_PAGE]  # attached, not an orphan
    store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)


@dataclass(frozen=True)
class Seen:
    """An annotation as a person sees it: everything but its record id and passage number."""

    document: str
    kind: str
    start: int | None
    end: int | None
    quote: str
    tags: tuple[str, ...]
    note: str
    highlighted: bool
    color: str | None
    annotator: str
    created: str
    updated: str
    uuid: str
    source: str
    group: str
    orphan: bool


def view(store: Store, corpus: Corpus) -> list[Seen]:
    """Every annotation of the store, in one order whatever the order of import."""
    found = []
    for annotation in [*store.annotations(), *store.highlights()]:
        document = corpus.get(annotation.document)
        orphan = annotation.is_orphan or document is None
        found.append(
            Seen(
                annotation.document,
                "passage" if isinstance(annotation, PassageAnnotation) else "segment",
                annotation.start,
                annotation.end,
                annotation.quote,
                tuple(annotation.tags),
                annotation.note,
                annotation.highlighted,
                annotation.color if annotation.highlighted else None,
                annotation.annotator,
                annotation.created,
                annotation.updated,
                annotation.uuid,
                annotation.source,
                annotation.group,
                orphan,
            )
        )
    return sorted(found, key=repr)


def codebook(store: Store) -> dict[str, tuple]:
    return {tag.name: (tag.color, tag.key, tag.description) for tag in store.tags()}


def export(format_name: str, rich: Rich) -> bytes:
    selection = select(rich.corpus, rich.store)
    if format_name == "w3c-lines":
        lines = [json.dumps(w3c.annotation(item), ensure_ascii=False) for item in selection.items]
        return "\n".join(lines).encode("utf-8")
    return FORMATS[format_name].to_bytes(selection, rich.corpus)


def import_into(store: Store, data: bytes, corpus: Corpus, folder: Path | None = None):
    folder = folder or store.directory.parent
    path = folder / f"{store.directory.name}.import"
    path.write_bytes(data)
    parsed = importing.read_file(path, corpus)
    for annotation in parsed.annotations:
        annotation.annotator = annotation.annotator or "importer"
    return store.import_annotations(parsed.annotations, {d.id: d for d in corpus}, parsed.tags)


# What each format carries, as the expected view of what comes back.


def carried(format_name: str, seen: list[Seen]) -> list[Seen]:
    """`seen` as `format_name` brings it back (the table at the top of the module)."""
    if format_name in ("json", "jsonl"):
        return seen
    if format_name in ("w3c", "w3c-lines"):
        # An orphan is exported by its quote alone: the offsets its words had are not said.
        return sorted((replace(s, start=0, end=0) if s.orphan else s for s in seen), key=repr)
    assert format_name == "refi-qda"
    kept = []
    for s in seen:
        if s.orphan:
            continue  # a project's selections are on its sources' words
        highlighted = not s.tags and not s.note
        kept.append(
            replace(
                s,
                kind="segment",
                highlighted=highlighted,
                color=DEFAULT_HIGHLIGHT if highlighted else None,
                source="",
                group="",
            )
        )
    return sorted(kept, key=repr)


def codebook_carried(format_name: str, held: dict[str, tuple]) -> dict[str, tuple]:
    """The source's codebook as `format_name` brings it into a fresh store, keys left out:
    no format but glose's own says them (the fresh store gives its next free ones)."""
    if format_name in ("json", "jsonl"):
        return {name: (color, description) for name, (color, _, description) in held.items()}
    if format_name in ("refi-qda", "refi-qdc"):
        return {name: (color, description) for name, (color, _, description) in held.items()}
    if format_name == "taguette-codebook":
        return {name: (None, description) for name, (_, _, description) in held.items()}
    return {name: (None, "") for name in held}  # W3C: tag names only


def codebook_seen(format_name: str, store: Store) -> dict[str, tuple]:
    colours = format_name not in ("w3c", "w3c-lines", "taguette-codebook")
    return {
        name: (color if colours else None, description)
        for name, (color, _, description) in codebook(store).items()
    }


ANNOTATION_FORMATS = ["json", "jsonl", "w3c", "w3c-lines", "refi-qda"]
CODEBOOK_FORMATS = ["refi-qdc", "taguette-codebook"]


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> Iterator[Rich]:
    found = build_rich(tmp_path_factory.mktemp("rich"))
    yield found
    found.store.close()


def test_the_rich_store_holds_every_case_the_round_trips_are_about(rich):
    """A case missing here would let a loss through unseen."""
    seen = view(rich.store, rich.corpus)
    assert {s.annotator for s in seen} >= {"alice", "bob"}
    assert any(s.kind == "passage" and len(s.tags) == 2 and s.note == NOTE_LINES for s in seen)
    assert any(s.kind == "passage" and s.color == "green" and not s.tags for s in seen)
    segments = [s for s in seen if s.kind == "segment"]
    assert any(len(s.tags) == 2 and s.note == NOTE_MARKDOWN for s in segments)
    assert any(s.color == "orange" and s.tags and s.note == NOTE_QUOTES for s in segments)
    assert any(s.color == "pink" and not s.tags and not s.note for s in segments)
    assert any(not s.tags and not s.highlighted and s.note for s in segments)
    assert any(s.quote.startswith("-") for s in segments)
    assert any(s.source == WEB_PAGE and s.group == GROUP for s in segments)
    assert any(s.orphan for s in seen)
    across = [s for s in segments if "\n" in s.quote]
    assert across, "a segment across two passages"
    names = {tag.name for tag in rich.store.tags()}
    assert {"acteurs/entreprises", "acteurs/autres", "politique/autres"} <= names
    assert codebook(rich.store)["acteurs/entreprises"] == ("#123456", 7, DESCRIPTION)


@pytest.mark.parametrize("format_name", ANNOTATION_FORMATS)
def test_a_round_trip_into_a_fresh_store_brings_back_what_the_format_carries(
    rich, tmp_path, format_name
):
    data = export(format_name, rich)
    with Store(tmp_path / "fresh", annotator="importer") as fresh:
        import_into(fresh, data, rich.corpus)
        assert view(fresh, rich.corpus) == carried(format_name, view(rich.store, rich.corpus))
        assert codebook_seen(format_name, fresh) == codebook_carried(
            format_name, codebook(rich.store)
        )
        keys = sorted(tag.key for tag in fresh.tags())
        if format_name in ("json", "jsonl"):
            assert codebook(fresh) == codebook(rich.store)
            created = {tag.name: tag.created for tag in rich.store.tags()}
            assert {tag.name: tag.created for tag in fresh.tags()} == created
        else:  # the file says no key: the store gives each tag its next free one
            assert keys == list(range(1, len(keys) + 1))


@pytest.mark.parametrize("format_name", CODEBOOK_FORMATS)
def test_a_codebook_round_trip_brings_back_the_tags_and_what_the_format_says_of_them(
    rich, tmp_path, format_name
):
    data = export(format_name, rich)
    with Store(tmp_path / "fresh", annotator="importer") as fresh:
        report = import_into(fresh, data, rich.corpus)
        assert report.added == 0 and view(fresh, rich.corpus) == []
        assert codebook_seen(format_name, fresh) == codebook_carried(
            format_name, codebook(rich.store)
        )


OTHER_COLOURS = ("#010101", "#020202", "#030303", "#040404", "#050505", "#060606")


def held_otherwise(store: Store, source: Store) -> dict[str, tuple]:
    """The source's tags made in `store` first, in other case, colours, keys, descriptions."""
    for place, tag in enumerate(source.tags()):
        name = tag.name.upper()
        store.create_tag(name, description=f"Notre sens de {tag.name}.")
        store.recolor_tag(name, OTHER_COLOURS[place])
        store.set_tag_key(name, 9 - place)
    return codebook(store)


@pytest.mark.parametrize("format_name", ANNOTATION_FORMATS + CODEBOOK_FORMATS)
def test_a_store_with_the_same_tags_keeps_its_colours_keys_and_descriptions(
    rich, tmp_path, format_name
):
    data = export(format_name, rich)
    with Store(tmp_path / "held", annotator="importer") as held:
        before = held_otherwise(held, rich.store)
        import_into(held, data, rich.corpus)
        assert codebook(held) == before
        # The annotations carry the store's names of the tags (its case), nothing else changed.
        upper = [
            replace(s, tags=tuple(name.upper() for name in s.tags))
            for s in view(rich.store, rich.corpus)
        ]
        expected = [] if format_name in CODEBOOK_FORMATS else carried(format_name, upper)
        assert view(held, rich.corpus) == sorted(expected, key=repr)


@pytest.mark.parametrize("format_name", ANNOTATION_FORMATS + CODEBOOK_FORMATS)
def test_importing_the_same_export_twice_adds_and_changes_nothing_the_second_time(
    rich, tmp_path, format_name
):
    data = export(format_name, rich)
    with Store(tmp_path / "twice", annotator="importer") as store:
        import_into(store, data, rich.corpus)
        annotations, tags = view(store, rich.corpus), codebook(store)
        again = import_into(store, data, rich.corpus)
        assert (again.added, again.merged) == (0, 0)
        assert view(store, rich.corpus) == annotations
        assert codebook(store) == tags


# Any note and any tag name glose accepts comes back exactly.


def _accepted(clean: Callable[[str], str], value: str) -> bool:
    try:
        return clean(value) == value
    except (NoteError, TagNameError):
        return False


# Any character, with the ones a format treats apart (spaces, line ends, markup) often.
CHARACTERS = st.one_of(
    st.characters(exclude_categories=("Cs",)),
    st.sampled_from(" \n\t*_#>-=+@<&\"'«»“”’…\u00a0/\\"),
)
NOTES = st.text(CHARACTERS, min_size=1, max_size=80).filter(
    lambda note: _accepted(clean_note, note)
)
TAG_NAMES = st.text(CHARACTERS, min_size=1, max_size=40).filter(
    lambda name: _accepted(clean_tag_name, name)
)
SEEDS_CORPUS = Corpus.open(SEEDS)


XML_CANNOT = "\ufffe\uffff"
"""Characters glose accepts in notes and tag names that XML 1.0 forbids: a REFI-QDA file
holds U+FFFD in their place (glose JSON, JSON Lines and W3C hold them)."""


def round_trip(format_name: str, note: str, tag: str) -> tuple[list[str], str, tuple, tuple]:
    """A segment tagged `tag` with `note`, exported and imported into a fresh store: the
    tags and note that come back, and the span before and after."""
    corpus = SEEDS_CORPUS
    document = corpus.get(A)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        with Store(base / "source", annotator="alice") as source:
            start = document.text.index("leaders incontestés")
            segment, _ = source.tag_span(document, document.passages, start, start + 19, tag)
            segment.note = note
            source.update_highlight(segment)
            data = export(format_name, Rich(corpus, source, SEEDS))
            with Store(base / "fresh", annotator="importer") as fresh:
                import_into(fresh, data, corpus)
                [back] = fresh.highlights()
                span = (segment.start, segment.end, segment.quote)
                return back.tags, back.note, span, (back.start, back.end, back.quote)


@pytest.mark.slow
@pytest.mark.parametrize("format_name", ["json", "jsonl", "w3c", "refi-qda"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=NOTES, tag=TAG_NAMES)
def test_any_note_and_tag_name_on_a_segment_come_back_exactly(format_name, note, tag):
    if format_name == "refi-qda":
        note, tag = (
            text.translate(dict.fromkeys(map(ord, XML_CANNOT), "x")) for text in (note, tag)
        )
    tags, back_note, span, back_span = round_trip(format_name, note, tag)
    assert (tags, back_note, back_span) == ([clean_tag_name(tag)], note, span)


@pytest.mark.parametrize("format_name", ["json", "jsonl", "w3c", "refi-qda"])
def test_the_characters_xml_cannot_hold_are_lost_in_refi_qda_only(format_name):
    tags, note, _, _ = round_trip(format_name, f"a{XML_CANNOT}b", f"t{XML_CANNOT}")
    if format_name == "refi-qda":
        assert (tags, note) == (["t\ufffd\ufffd"], "a\ufffd\ufffdb")
    else:
        assert (tags, note) == ([f"t{XML_CANNOT}"], f"a{XML_CANNOT}b")


def test_refi_qda_brings_a_passage_and_a_segment_of_its_very_words_back_as_one(tmp_path):
    """A project has selections only: one annotator's passage and segment of the same words
    are one selection's place, so they come back as one segment with both tags and notes."""
    corpus = SEEDS_CORPUS
    document = corpus.get(A)
    passage = document.passages[1]
    with Store(tmp_path / "source", annotator="alice") as source:
        source.tag_passage(document, passage, "un")
        source.set_passage_note(document, passage, "Du passage.")
        segment, _ = source.tag_span(
            document, document.passages, passage.start, passage.end, "deux"
        )
        segment.note = "Du segment."
        source.update_highlight(segment)
        with Store(tmp_path / "fresh", annotator="importer") as fresh:
            import_into(fresh, export("refi-qda", Rich(corpus, source, SEEDS)), corpus)
            assert fresh.annotations() == []
            [back] = fresh.highlights()
            assert (back.start, back.end, back.annotator) == (passage.start, passage.end, "alice")
            assert (back.tags, back.note) == (["un", "deux"], "Du passage.\n\nDu segment.")


def test_refi_qda_spells_a_tags_upper_levels_as_the_code_it_is_nested_in(tmp_path):
    """Codes nest, and a nested code names its own level: the levels above it are spelt as
    the codes above spell them (the same tag to glose, which ignores case)."""
    corpus = SEEDS_CORPUS
    document = corpus.get(A)
    with Store(tmp_path / "source", annotator="alice") as source:
        source.create_tag("acteurs/entreprises")
        source.tag_passage(document, document.passages[1], "Acteurs/Entreprises/Grandes")
        data = export("refi-qda", Rich(corpus, source, SEEDS))
        with Store(tmp_path / "fresh", annotator="importer") as fresh:
            import_into(fresh, data, corpus)
            assert [segment.tags for segment in fresh.highlights()] == [
                ["acteurs/entreprises/Grandes"]
            ]
        with Store(tmp_path / "json", annotator="importer") as fresh:
            import_into(fresh, export("json", Rich(corpus, source, SEEDS)), corpus)
            assert [a.tags for a in fresh.annotations()] == [["Acteurs/Entreprises/Grandes"]]


@pytest.mark.parametrize("format_name", ANNOTATION_FORMATS + CODEBOOK_FORMATS)
def test_importing_an_export_into_the_store_it_came_from_changes_nothing(tmp_path, format_name):
    own = build_rich(tmp_path)
    try:
        annotations, tags = view(own.store, own.corpus), codebook(own.store)
        report = import_into(own.store, export(format_name, own), own.corpus, tmp_path)
        assert (report.added, report.merged) == (0, 0)
        assert view(own.store, own.corpus) == annotations
        assert codebook(own.store) == tags
    finally:
        own.store.close()
