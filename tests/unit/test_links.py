"""Links kept by the extractors, and addresses written out in any text."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from tests.unit.test_extract import epub_file, zipped
from tui.corpus.extract import Link, Metadata, extract
from tui.corpus.extract.common import bare_links, link_target


def linked(text: str, links: tuple[Link, ...]) -> list[tuple[str, str]]:
    return [(text[link.start : link.end], link.target) for link in links]


ARTICLE = """<html><head><title>Le terrain</title>
<link rel="canonical" href="https://journal.example/terrain"></head><body>
<nav><a href="https://journal.example/">Accueil</a></nav><article><h1>Le terrain</h1>
<p>Nous avons lu <a href="https://example.org/rapport">le rapport complet</a> avant de partir
sur le terrain, et <a href="javascript:alert(1)">ce lien</a> ne mène nulle part, pas plus que
<a href="file:///etc/passwd">celui-ci</a>; la <a href="/methode">méthode</a> est décrite.</p>
<p>Écrivez-nous à <a href="mailto:equipe@example.org">l’équipe</a> pour en savoir plus sur
la démarche suivie pendant les entretiens, menés pendant trois semaines au printemps.</p>
</article></body></html>"""


def test_a_web_page_keeps_its_links_and_only_those_that_can_be_followed():
    found = extract(ARTICLE.encode(), ".html")
    assert linked(found.text, found.links) == [
        ("le rapport complet", "https://example.org/rapport"),
        ("méthode", "https://journal.example/methode"),
        ("l’équipe", "mailto:equipe@example.org"),
    ]
    assert "ce lien ne mène nulle part" in found.text


def test_a_web_page_without_an_article_keeps_its_links():
    page = b'<html><body><p>Voir <a href="https://example.org/a">ici</a>.</p></body></html>'
    found = extract(page, ".html")
    assert found.text == "Voir ici."
    assert linked(found.text, found.links) == [("ici", "https://example.org/a")]


def test_an_epub_keeps_links_out_of_the_book_and_not_those_inside_it():
    chapter = (
        '<h1>Un</h1><p>Lire <a href="https://example.org/source">la source</a> puis '
        '<a href="c1.xhtml#note">la note</a>.</p>'
    )
    found = extract(epub_file([chapter]), ".epub")
    assert linked(found.text, found.links) == [("la source", "https://example.org/source")]


def test_a_word_document_keeps_its_hyperlinks():
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    paragraph = document.add_paragraph("Le guide est en ligne sur ")
    key = document.part.relate_to(
        "https://example.org/guide", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), key)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "le site du projet"
    run.append(text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)
    paragraph.add_run(", depuis mai.")
    out = io.BytesIO()
    document.save(out)
    found = extract(out.getvalue(), ".docx")
    assert "Le guide est en ligne sur le site du projet, depuis mai." in found.text
    assert linked(found.text, found.links) == [("le site du projet", "https://example.org/guide")]


def test_an_odt_keeps_its_links():
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink"><office:body><office:text>'
        '<text:p>Voir <text:a xlink:href="https://example.org/odt">le <text:span>dossier'
        "</text:span></text:a> et "
        '<text:a xlink:href="file:///tmp/x">rien</text:a>.</text:p>'
        "</office:text></office:body></office:document-content>"
    )
    data = zipped(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content},
        stored_first="mimetype",
    )
    found = extract(data, ".odt")
    assert found.text == "Voir le dossier et rien."
    assert linked(found.text, found.links) == [("le dossier", "https://example.org/odt")]


def test_addresses_written_out_are_links_without_the_sentence_punctuation():
    text = (
        "Voir https://fr.wikipedia.org/wiki/Terrain_(sociologie). "
        "Ou (https://example.org/a), ou mailto:moi@example.org! "
        "Pas javascript:alert(1) ni file:///etc/passwd."
    )
    assert linked(text, bare_links(text)) == [
        (
            "https://fr.wikipedia.org/wiki/Terrain_(sociologie)",
            "https://fr.wikipedia.org/wiki/Terrain_(sociologie)",
        ),
        ("https://example.org/a", "https://example.org/a"),
        ("mailto:moi@example.org", "mailto:moi@example.org"),
    ]


def test_an_address_written_in_a_page_is_a_link_too():
    page = b"<html><body><p>Source : https://example.org/b.</p></body></html>"
    found = extract(page, ".html")
    assert linked(found.text, found.links) == [("https://example.org/b", "https://example.org/b")]


def test_a_link_target_keeps_no_control_character():
    assert link_target("https://exa\x1bmple.org/\u202ea b\n") == "https://example.org/a%20b"
    assert link_target("JavaScript:alert(1)") is None
    assert link_target("http:") is None


def test_an_address_with_brackets_that_are_no_ipv6_address_is_no_link():
    # Text marked up for Rich, read as a plain file, stopped the reader as it opened.
    assert bare_links("Titre [link=http://x]lien[/link] fin") == ()
    assert link_target("http://[::1") is None
    assert link_target("//[x/", base="https://example.org/") is None


@given(st.text(alphabet="[]:/@x1.", max_size=40))
def test_an_address_of_any_brackets_is_a_link_or_nothing(rest):
    for link in bare_links("voir http://" + rest):
        assert link.target.startswith("http://")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_bare_links_lie_in_the_text_and_are_followable(text):
    for link in bare_links(text):
        assert 0 <= link.start < link.end <= len(text)
        assert link.target.lower().startswith(("http", "mailto:"))
        assert all(char.isprintable() for char in link.target)


def test_a_plain_text_document_links_the_addresses_written_in_it(tmp_path):
    from tui.corpus import Document

    (tmp_path / "notes.txt").write_text("Lu sur https://example.org/entretien, hier.\n")
    document = Document.load(tmp_path, tmp_path / "notes.txt")
    assert linked(document.text, document.links) == [
        ("https://example.org/entretien", "https://example.org/entretien")
    ]


WORD = st.text(alphabet="abcdeéàxyz’", min_size=1, max_size=8)


@given(
    st.lists(
        st.lists(st.tuples(st.lists(WORD, min_size=1, max_size=4), st.booleans()), min_size=1),
        min_size=1,
        max_size=5,
    )
)
def test_each_link_holds_the_words_it_was_given(paragraphs):
    from html import escape

    from tui.corpus.extract.common import TextBuilder
    from tui.corpus.extract.markup import html_blocks, html_tree

    markup, expected = [], []
    for paragraph in paragraphs:
        runs = []
        for words, is_link in paragraph:
            run = " ".join(escape(word) for word in words)
            if is_link:
                target = f"https://example.org/{len(expected)}"
                expected.append((" ".join(words), target))
                run = f'<a href="{target}"> {run} </a>'
            runs.append(run)
        markup.append("<p>" + "  \n ".join(runs) + "</p>")
    out = TextBuilder()
    html_blocks(html_tree("<html><body>" + "".join(markup) + "</body></html>").body, out)
    found = out.extracted(Metadata(), "test")
    assert linked(found.text, found.links) == expected
    assert "\ufdd0" not in found.text and "\ufdd1" not in found.text
