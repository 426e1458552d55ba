"""Taguette's CSV files: its codebook out and back, its highlights in, placed by their words.

The fixtures in taguette/ are written by hand as Taguette's exports are (taguette/export.py:
Python's csv writer, CRLF line ends, a cell quoted when it holds a comma, a quote or a line
end), with words from the seeds."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import SEEDS
from tui.corpus import Corpus
from tui.interchange import importing, taguette
from tui.interchange.export import Export, select
from tui.interchange.formats import FORMATS
from tui.interchange.reading import FileError
from tui.store import Store
from tui.store.model import (
    TAG_COLORS,
    Tag,
    TagNameError,
    clean_description,
    clean_tag_name,
)

FIXTURES = Path(__file__).parent / "taguette"
SEEDS_CORPUS = Corpus.open(SEEDS)
FIRST = "000_9ff77a90e9a0ba93"
CODEBOOK = taguette.CODEBOOK_HEADER


def fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def codebook_of(tags: list[Tag]) -> str:
    data = FORMATS["taguette-codebook"].to_bytes(Export(tags=tags), SEEDS_CORPUS)
    return data.decode("utf-8")


def test_the_codebook_is_written_as_taguette_writes_and_reads_it(tmp_path):
    store = Store(tmp_path / "store", annotator="alice")
    document = SEEDS_CORPUS.get(FIRST)
    store.create_tag("politique/régulation", description="Ce que l'État encadre, « ou pas »")
    store.create_tag("fermeture", description="Deux lignes\npour dire ce qui est fermé")
    for passage in document.passages[1:3]:
        store.toggle_tag(document, passage, "fermeture")
    written = FORMATS["taguette-codebook"].to_bytes(select(SEEDS_CORPUS, store), SEEDS_CORPUS)
    store.close()
    # Its header as Taguette's export.py writes it, CRLF line ends, UTF-8 with no BOM.
    assert written.startswith(b"tag,description,number of highlights\r\n")
    rows = list(csv.reader(io.StringIO(written.decode("utf-8"), newline="")))
    assert rows[1:] == [
        ["politique/régulation", "Ce que l'État encadre, « ou pas »", "0"],
        ["fermeture", "Deux lignes\npour dire ce qui est fermé", "2"],
    ]


def test_a_codebook_from_taguette_gives_its_tags_and_a_line_for_each_row_left_out():
    parsed = importing.read_text(fixture("codebook.csv"), SEEDS_CORPUS)
    assert parsed.format == "Taguette codebook CSV"
    assert [(tag.name, tag.description) for tag in parsed.tags] == [
        ("fermeture", "Ce qui reste privé, « source fermée »"),
        ("acteurs/autres", "Les entreprises citées en passant;\nune ligne de plus"),
        ("politique/régulation", ""),
        ("« confiance », dit-on", 'Guillemets, virgules et "citations"'),
    ]
    assert parsed.annotations == []
    assert parsed.skipped == [
        "skipped row 6: it names no tag",
        "skipped row 7: its tag 'une étiquette bien trop longue pour glose qui en garde "
        "soixante au plus' (A tag name is at most 60 characters.)",
        "skipped row 8: the tag 'Fermeture' is on row 2",
    ]


@pytest.mark.parametrize(
    "header",
    ["tag,parent,description,number of highlights", "Name,Description", "path", "TAG"],
)
def test_every_codebook_header_taguette_reads_is_read(header):
    parsed = importing.read_text(
        f"{header}\r\nfermeture{',' * header.count(',')}\r\n", SEEDS_CORPUS
    )
    assert [tag.name for tag in parsed.tags] == ["fermeture"]


def test_importing_a_codebook_keeps_the_stores_tags_and_colours_new_ones_as_glose_does(tmp_path):
    store = Store(tmp_path / "store", annotator="alice")
    mine = store.create_tag("Fermeture", color="#123456", key=7)
    parsed = importing.read_text(fixture("codebook.csv"), SEEDS_CORPUS)
    store.import_annotations(parsed.annotations, {}, parsed.tags)
    tags = {tag.name: tag for tag in store.tags()}
    assert (tags["Fermeture"].color, tags["Fermeture"].key) == ("#123456", 7)
    assert tags["Fermeture"].description == "Ce qui reste privé, « source fermée »"
    new = [tags[name] for name in ("acteurs/autres", "politique/régulation")]
    # The least used colours in glose's order and the first free keys, as `t` gives them.
    assert [tag.color for tag in new] == list(TAG_COLORS[:2])
    assert [tag.key for tag in new] == [1, 2]
    assert "fermeture" not in tags and mine.name in tags
    store.close()


def test_highlights_are_placed_by_their_words_one_segment_for_the_rows_of_one_highlight():
    parsed = importing.read_text(fixture("highlights.csv"), SEEDS_CORPUS)
    assert parsed.format == "Taguette highlights CSV"
    text = SEEDS_CORPUS.get(FIRST).text
    found = [(a.document, a.quote, a.tags, a.highlighted) for a in parsed.annotations]
    assert found == [
        (
            FIRST,
            "Ils ont tous quelque chose d’important en commun : Ce sont des développements "
            "privés et source fermée.",
            ["fermeture", "acteurs/autres"],
            False,
        ),
        # A paragraph break Taguette wrote otherwise: the words are the document's own.
        (
            FIRST,
            "source fermée.\n\nC’est précisément ce contre quoi",
            ["politique/régulation"],
            False,
        ),
        (FIRST, "une IA « digne de confiance », même si", ["« confiance »"], False),
        ("001_5049656ab526f4d3", 'un modèle d’IA dit "Open Source", dans l’espoir', [], True),
    ]
    for annotation in parsed.annotations:
        document = SEEDS_CORPUS.get(annotation.document)
        assert document.text[annotation.start : annotation.end] == annotation.quote
    assert text.count("Meta") > 1
    assert parsed.skipped == [
        f"skipped row 7: its words are not in {FIRST}",
        f"skipped row 8: its words are in {FIRST} more than once: glose cannot tell where",
        "skipped row 9: no document of the corpus goes by the name "
        "'Un document que le corpus n’a pas'",
    ]


def highlights(*rows: str) -> str:
    return "\r\n".join(["id,document,tag,content", *rows, ""])


def test_a_document_is_named_by_its_file_or_else_its_title_and_two_named_alike_are_neither(
    tmp_path,
):
    root = tmp_path / "corpus"
    (root / "a").mkdir(parents=True)
    (root / "a" / "entretien.txt").write_text("Titre un\n\nLes mots un.", encoding="utf-8")
    (root / "b.md").write_text("# Entretien\n\nLes mots deux.", encoding="utf-8")
    (root / "c.txt").write_text("Même titre\n\nLes mots trois.", encoding="utf-8")
    (root / "d.txt").write_text("Même titre\n\nLes mots quatre.", encoding="utf-8")
    corpus = Corpus.open(root)
    parsed = importing.read_text(
        highlights(
            "1,ENTRETIEN.TXT,t,mots un",  # its file's name, case ignored
            "2,b,t,mots deux",  # its file's name without extension
            "3,Titre un,t,Les mots un",  # a title when no file goes by the name
            "4,Même titre,t,mots trois",
        ),
        corpus,
    )
    assert [a.quote for a in parsed.annotations] == ["mots un", "mots deux", "Les mots un"]
    assert parsed.skipped == [
        "skipped row 5: 2 documents of the corpus go by the name 'Même titre'"
    ]


def test_the_words_of_a_highlight_are_text_never_markup(tmp_path):
    (tmp_path / "d.txt").write_text("Un <b>gras</b> &amp; rien.\n\nFin.", encoding="utf-8")
    corpus = Corpus.open(tmp_path)
    parsed = importing.read_text(highlights("1,d,t,<b>gras</b> &amp;", "2,d,t,gras &"), corpus)
    assert [a.quote for a in parsed.annotations] == ["<b>gras</b> &amp;"]
    assert parsed.skipped == ["skipped row 3: its words are not in d"]


def test_a_space_taguette_put_between_two_elements_of_its_html_is_no_space_here(tmp_path):
    (tmp_path / "d.txt").write_text("Il dit que l’IA,\ndemain, changera.", encoding="utf-8")
    corpus = Corpus.open(tmp_path)
    # `l’<em>IA</em>,` in Taguette's HTML, written as text: `l’ IA ,`; the line end a space.
    parsed = importing.read_text(highlights('1,d,t,"l’ IA , demain"'), corpus)
    assert [a.quote for a in parsed.annotations] == ["l’IA,\ndemain"]


def test_a_csv_that_taguette_did_not_write_keeps_todays_message():
    with pytest.raises(FileError, match=r"^not JSON: Expecting value at line 1, column 1$"):
        importing.read_text("document,title,passage\r\nd,t,1\r\n", SEEDS_CORPUS)
    assert taguette.kind("document,title,kind,passage,start,end,quote,tags\r\n") is None
    assert taguette.kind("tag,tags\r\n") is None


def test_a_cell_too_big_for_csv_is_one_sentence_not_a_traceback():
    huge = "mot " * 40_000  # past what Python's csv reads in one cell
    with pytest.raises(FileError, match="^not CSV Taguette writes: field larger than"):
        importing.read_text(f'tag,description\r\nfermeture,"{huge}"\r\n', SEEDS_CORPUS)


def _acceptable(name: str) -> bool:
    try:
        return clean_tag_name(name) == name
    except TagNameError:
        return False


def _description(text: str) -> bool:
    try:
        return clean_description(text) == text
    except ValueError:
        return False


# Characters glose refuses in a name are left out up front: filtering them out is slow.
CHARACTERS = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"), blacklist_characters=";"
)
NAMES = st.text(CHARACTERS, min_size=1, max_size=60).filter(_acceptable)
DESCRIPTIONS = st.text(st.one_of(CHARACTERS, st.sampled_from('\n\t",')), max_size=80).filter(
    _description
)


@pytest.mark.slow
@settings(max_examples=60)
@given(
    st.lists(st.tuples(NAMES, DESCRIPTIONS), max_size=8, unique_by=lambda pair: pair[0].casefold())
)
def test_a_codebook_out_and_back_keeps_every_name_and_description(tags):
    written = codebook_of([Tag(name, "#1f77b4", description=text) for name, text in tags])
    parsed = taguette.read_codebook(written)
    assert [(tag.name, tag.description) for tag in parsed.tags] == tags
    assert parsed.skipped == []
