"""Real files made by other people's tools (tests/data/documents/README.md says where each comes
from and under which licence): their extracted text holds sentences read in them by hand."""

from __future__ import annotations

from pathlib import Path

from tui.corpus.extract import extract

DATA = Path(__file__).parent.parent / "data" / "documents"


def _blocks(name: str) -> tuple[object, list[str]]:
    extracted = extract((DATA / name).read_bytes(), Path(name).suffix)
    return extracted, extracted.text.split("\n\n")


def test_a_french_fixed_layout_book_is_read_from_its_drawn_pages():
    """ "Sous le vent" (IDPF's samples) draws each page as SVG, one `<tspan>` per line: its
    paragraphs come back whole, the hyphens of its line ends undone."""
    extracted, blocks = _blocks("sous-le-vent.epub")
    assert "Il en avait souvent rêvé, au moins depuis la communale." in blocks
    assert (
        "Eh bien, ce moment était arrivé." in blocks
    )  # a paragraph of one line, set in from the margin
    assert "alors que l’histoire restait toujours l’histoire, et quelquefois" in extracted.text
    assert "Pas seulement en classe, mais aussi dans sa Bretagne centrale" in extracted.text
    assert "la « géo »" in extracted.text
    # A paragraph over the page break, and a line drawn in two runs (its title in italics).
    assert "les fruits seraient gros et juteux, où le vent serait chaud, il ne savait" in (
        extracted.text
    )
    assert "Sirop de Liège, éditions Estuaire, 2005. Fratelli, éditions" in extracted.text
    assert "Roman" in blocks and "Joe G. Pinelli" in blocks  # the title page's lines apart
    assert extracted.metadata.title == "Sous le vent"
    assert extracted.metadata.author == "Jean-Bernard Pouy, Joe G. Pinelli"
    assert extracted.metadata.date == "2012-02-01"
    assert extracted.metadata.site == "éditions Jean-Claude Lattès"


def test_a_gutenberg_book_keeps_its_sentences_without_its_page_numbers():
    """IDPF's "Children's Literature" (Project Gutenberg 25545) marks its printed pages in the
    middle of sentences; its chapter titles are headings."""
    extracted, blocks = _blocks("childrens-literature.epub")
    assert (
        "He proceeded to the palace, and, undismayed at sight of long lines of soldiery and "
        "officials, asked for an audience with the Empress." in blocks
    )
    assert "but solely to comply with the Divine command not to withhold" in extracted.text
    headings = [extracted.text[start:end] for start, end, _level in extracted.headings]
    assert "A FOUR-LEAVED CLOVER" in headings
    assert "1. The Rabbi and The Diadem" in headings
    assert extracted.metadata.title == "Children's Literature"
    assert extracted.metadata.author == "Charles Madison Curry, Erle Elsworth Clippinger"
    assert extracted.metadata.url == "http://www.gutenberg.org/files/25545/25545-h/25545-h.htm"


def test_a_saved_web_page_gives_its_article_and_metadata_without_its_frame():
    """Creative Commons' "What we do", saved by trafilatura's test corpus."""
    extracted, blocks = _blocks("creativecommons-what-we-do.html")
    assert blocks[0] == "What is Creative Commons?"
    assert (
        "Creative Commons helps you legally share your knowledge and creativity to build a more "
        "equitable, accessible, and innovative world." in extracted.text
    )
    assert "We'd love to hear from you!" not in extracted.text  # the page's footer
    assert "PO Box 1866" not in extracted.text
    assert extracted.metadata.title == "What we do"  # its <title> ends "- Creative Commons"
    assert extracted.metadata.site == "Creative Commons"
    assert extracted.metadata.url == "https://creativecommons.org/about/"
    linked = {link.target for link in extracted.links}
    assert "https://creativecommons.org/about/global-affiliate-network/" in linked


def test_a_blog_post_keeps_its_typographic_quotes_and_its_author():
    """A Hypotheses blog post (German text in a French frame), saved by trafilatura's corpus."""
    extracted, blocks = _blocks("achtundvierzig-822.html")
    assert blocks[0].startswith(
        "Das DFG-Projekt „Edition der Akten der Provisorischen Zentralgewalt“ veranstaltet am "
        "26. und 27. Februar 2015 im Bischöflichen Seminar Eichstätt die Tagung"
    )
    assert "Blog zur Edition der Akten" not in extracted.text  # the sidebar
    assert extracted.metadata.author == "Karstenruppert"
    assert extracted.metadata.date == "2015-01-28"
    assert extracted.metadata.url == "https://achtundvierzig.hypotheses.org/822"


def test_a_word_document_keeps_its_footnotes_and_table_rows():
    """mammoth's test documents, made in Word: notes at the end, a row's cells tab-separated."""
    extracted, blocks = _blocks("footnotes.docx")
    assert blocks == ["Ouch[1].[2]", "[1] A tachyon walks into a bar.", "[2] Fin."]
    assert extracted.metadata.author == "Michael Williamson"
    _, blocks = _blocks("tables.docx")
    assert blocks == ["Above", "Top left\tTop right", "Bottom left\tBottom right", "Below"]


def test_a_text_box_is_read_once_not_again_from_its_fallback():
    """Word writes a text box twice (the drawing, and a fallback for older readers)."""
    extracted, _ = _blocks("text-box.docx")
    assert extracted.text == "Datum plane"


def test_a_link_in_a_word_footnote_is_kept():
    """A footnote's hyperlink names its address by the notes' own relationships."""
    extracted, blocks = _blocks("footnote-hyperlink.docx")
    assert blocks == ["[1]", "[1] Example"]
    [link] = extracted.links
    assert (extracted.text[link.start : link.end], link.target) == (
        "Example",
        "http://www.example.com",
    )
