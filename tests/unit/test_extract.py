"""Documents that are not plain text: each format's text and metadata, hostile files refused
with one sentence, and the joining of a paragraph's lines."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import segment
from tui.corpus.decoding import NotText
from tui.corpus.document import Document
from tui.corpus.extract import NotExtracted, extract, format_of
from tui.corpus.extract.common import join_lines
from tui.corpus.extract.office import numeral
from tui.corpus.extract.zipped import MAX_UNPACKED

# ---------------------------------------------------------------- files made here


def pdf_file(pages: list[list[tuple[float, float, str]]], info: str = "") -> bytes:
    """A PDF whose pages hold lines of Helvetica at (x, y), written by hand (no library)."""
    objects: list[bytes] = []
    page_ids = [3 + 2 * index for index in range(len(pages))]
    kids = " ".join(f"{number} 0 R" for number in page_ids)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for index, lines in enumerate(pages):
        stream = (
            "BT /F1 11 Tf "
            + " ".join(f"1 0 0 1 {x} {y} Tm ({text}) Tj" for x, y, text in lines)
            + " ET"
        )
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * index} 0 R"
            f" /Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    if info:
        objects.append(info.encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    start = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info:
        trailer += f" /Info {len(objects)} 0 R"
    out.write(f"trailer\n{trailer} >>\nstartxref\n{start}\n%%EOF\n".encode())
    return out.getvalue()


def book_pages(paragraphs: list[str]) -> bytes:
    """A PDF of `paragraphs` set as a book sets them: each wrapped, its first line set in, a
    page every twelve lines wherever it falls."""
    lines: list[tuple[float, str]] = []
    for paragraph in paragraphs:
        for index, line in enumerate(textwrap.wrap(paragraph, 60, initial_indent="    ")):
            lines.append((90.0 if index == 0 else 72.0, line.strip()))
    pages = [
        [(x, 700 - 14 * row, text) for row, (x, text) in enumerate(lines[start : start + 12])]
        for start in range(0, len(lines), 12)
    ]
    return pdf_file(pages)


def prose_pages() -> bytes:
    """Two pages: a paragraph broken by a hyphen and by the page break, a running header and
    page numbers on each page, then a second paragraph."""
    header = (72, 760, "The Journal of Tests")
    first = [
        header,
        (72, 700, "The first paragraph begins here and it goes on with long"),
        (72, 686, "lines of words until a word is cut across the end by an exam-"),
        (72, 672, "ple of hyphenation, and the paragraph runs on to the very"),
        (300, 40, "1"),
    ]
    second = [
        header,
        (72, 700, "bottom of its page, then on after the break to its end."),
        (72, 672, "A second paragraph starts after a gap, as paragraphs do in"),
        (72, 658, "print, and it ends on a short line."),
        (300, 40, "2"),
    ]
    third = [
        header,
        (90, 700, "An indented last page, on a line of its own that is full"),
        (300, 40, "3"),
    ]
    info = "<< /Title (A test of PDF) /Author (Ann Bee) /CreationDate (D:20240305120000Z) >>"
    return pdf_file([first, second, third], info)


def zipped(members: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(stored_first, members[stored_first], zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != stored_first:
                archive.writestr(name, data)
    return out.getvalue()


def epub_file(chapters: list[str], extra: dict[str, bytes | str] | None = None) -> bytes:
    items = "".join(
        f'<item id="c{n}" href="text/c{n}.xhtml" media-type="application/xhtml+xml"/>'
        for n in range(len(chapters))
    )
    # The spine reads the chapters backwards: the spine's order, not the manifest's, counts.
    spine = "".join(f'<itemref idref="c{n}"/>' for n in reversed(range(len(chapters))))
    package = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Le Livre</dc:title>'
        "<dc:creator>Émile Zola</dc:creator><dc:date>1885-03-02</dc:date></metadata>"
        f"<manifest>{items}</manifest><spine>{spine}</spine></package>"
    )
    members: dict[str, bytes | str] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": (
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>"
        ),
        "OEBPS/content.opf": package,
    }
    for n, chapter in enumerate(chapters):
        members[f"OEBPS/text/c{n}.xhtml"] = (
            '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>t</title></head><body>{chapter}</body></html>"
        )
    members.update(extra or {})
    return zipped(members, stored_first="mimetype")


ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>'
    '<text:h text:outline-level="1">Entretien n<text:s/>3</text:h>'
    "<text:p>Elle dit qu’elle <text:span>travaille</text:span> la nuit"
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body><text:p>Dans un hôpital.</text:p></text:note-body></text:note>.</text:p>"
    "<text:list><text:list-item><text:p>premier point</text:p></text:list-item>"
    "<text:list-item><text:p>second point</text:p></text:list-item></text:list>"
    "<table:table><table:table-row><table:table-cell><text:p>âge</text:p></table:table-cell>"
    "<table:table-cell><text:p>34</text:p></table:table-cell></table:table-row></table:table>"
    "</office:text></office:body></office:document-content>"
)
ODT_META = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Entretiens</dc:title>'
    "<meta:initial-creator>Claire Dupont</meta:initial-creator>"
    "<meta:creation-date>2023-11-02T10:00:00</meta:creation-date></office:meta>"
    "</office:document-meta>"
)


def odt_file(content: str = ODT_CONTENT) -> bytes:
    return zipped(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": content,
            "meta.xml": ODT_META,
        },
        stored_first="mimetype",
    )


def docx_file() -> bytes:
    import datetime

    import docx

    document = docx.Document()
    document.core_properties.title = "Notes de terrain"
    document.core_properties.author = "Jeanne Martin"
    document.core_properties.created = datetime.datetime(2022, 6, 1, 9, 30)
    document.add_heading("Premier jour", level=1)
    document.add_paragraph("Nous sommes arrivés\u00a0le matin.")
    document.add_paragraph("un élément de liste", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("nom", "rôle"), ("Ana", "guide")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("Second jour", level=2)
    document.add_paragraph("Il pleut.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- formats


@pytest.mark.parametrize("word", ["c", "vi", "il", "ici"])
def test_a_word_in_roman_letters_that_ends_a_page_is_kept_and_a_page_number_is_not(word):
    def lines(page: str) -> list[tuple[float, float, str]]:
        return [(72.0, 700.0 - 14 * row, f"{page}, ligne {row}, des mots") for row in range(4)]

    pages = [
        [*lines("un"), (72.0, 644.0, word)],  # the paragraph's last word, on a line of its own
        [*lines("deux"), (300.0, 40.0, "iv")],  # the page's number, at its foot
        [(300.0, 760.0, "v"), *lines("trois")],  # the page's number, at its head
    ]
    words = extract(pdf_file(pages), ".pdf").text.split()
    assert word in words
    assert "iv" not in words and "v" not in words


def test_pdf_paragraph_runs_across_the_line_hyphen_and_the_page_break():
    extracted = extract(prose_pages(), ".pdf")
    assert extracted.text.split("\n\n") == [
        "The first paragraph begins here and it goes on with long lines of words until a word "
        "is cut across the end by an example of hyphenation, and the paragraph runs on to the "
        "very bottom of its page, then on after the break to its end.",
        "A second paragraph starts after a gap, as paragraphs do in print, and it ends on a "
        "short line.",
        "An indented last page, on a line of its own that is full",
    ]
    assert "Journal" not in extracted.text  # the running header, on every page
    assert extracted.metadata.title == "A test of PDF"
    assert extracted.metadata.author == "Ann Bee"
    assert extracted.metadata.date == "2024-03-05"


def test_html_main_text_and_metadata_without_navigation_or_scripts():
    page = (
        "<!DOCTYPE html><html><head><title>Le titre — Le Site</title>"
        '<meta name="author" content="Ann Bee"><meta name="date" content="2024-03-05">'
        '<meta property="og:site_name" content="Le Site">'
        '<link rel="canonical" href="https://example.org/article"></head><body>'
        "<nav><a href='/'>Accueil</a> | <a href='/a'>À propos</a></nav><article>"
        "<h1>Le titre</h1><p>Le premier paragraphe de l’article est assez long pour être "
        "gardé par l’extracteur, avec des mots et encore des mots.</p>"
        "<script>document.write('injected text')</script>"
        "<iframe src='https://example.org/ad'>framed text</iframe>"
        "<h2>Une partie</h2><p>Le second paragraphe, lui aussi assez long pour être retenu "
        "comme texte principal de la page.</p></article><footer>© 2024</footer></body></html>"
    ).encode()
    extracted = extract(page, ".html")
    blocks = extracted.text.split("\n\n")
    assert blocks[0] == "Le titre"
    assert blocks[2] == "Une partie"
    assert blocks[1].startswith("Le premier paragraphe")
    assert "injected" not in extracted.text and "framed" not in extracted.text
    assert "Accueil" not in extracted.text
    assert [extracted.text[start:end] for start, end, _ in extracted.headings] == [
        "Le titre",
        "Une partie",
    ]
    assert extracted.metadata.author == "Ann Bee"
    assert extracted.metadata.date == "2024-03-05"
    assert extracted.metadata.site == "Le Site"
    assert extracted.metadata.url == "https://example.org/article"


def test_html_without_an_article_gives_the_body_text():
    page = b"<html><body><p>Court.</p><script>alert(1)</script><p>Deux.</p></body></html>"
    assert extract(page, ".htm").text == "Court.\n\nDeux."


def test_epub_chapters_in_spine_order_with_their_titles_as_headings():
    book = epub_file(
        [
            "<h1>Chapitre deux</h1><p>Le second chapitre.</p>",
            "<h1>Chapitre un</h1><p>Il était une fois,\nsur deux lignes.</p>",
        ]
    )
    extracted = extract(book, ".epub")
    assert extracted.text == (
        "Chapitre un\n\nIl était une fois, sur deux lignes.\n\nChapitre deux\n\nLe second chapitre."
    )
    assert [(extracted.text[s:e], level) for s, e, level in extracted.headings] == [
        ("Chapitre un", 1),
        ("Chapitre deux", 1),
    ]
    assert extracted.metadata.title == "Le Livre"
    assert extracted.metadata.author == "Émile Zola"
    assert extracted.metadata.date == "1885-03-02"


def test_docx_headings_lists_tables_and_core_properties():
    extracted = extract(docx_file(), ".docx")
    assert extracted.text.split("\n\n") == [
        "Premier jour",
        "Nous sommes arrivés\u00a0le matin.",
        "• un élément de liste",
        "nom\trôle",
        "Ana\tguide",
        "Second jour",
        "Il pleut.",
    ]
    assert [level for _, _, level in extracted.headings] == [1, 2]
    assert extracted.metadata.title == "Notes de terrain"
    assert extracted.metadata.author == "Jeanne Martin"
    assert extracted.metadata.date == "2022-06-01"


def test_odt_headings_notes_lists_tables_and_meta():
    extracted = extract(odt_file(), ".odt")
    assert extracted.text.split("\n\n") == [
        "Entretien n 3",
        "Elle dit qu’elle travaille la nuit[1].",
        "• premier point",
        "• second point",
        "âge\t34",
        "[1] Dans un hôpital.",
    ]
    assert extracted.headings == ((0, len("Entretien n 3"), 1),)
    assert extracted.metadata.title == "Entretiens"
    assert extracted.metadata.author == "Claire Dupont"
    assert extracted.metadata.date == "2023-11-02"


@pytest.mark.parametrize("made", ["pdf", "epub", "odt", "docx"])
def test_every_format_gives_passages_that_cover_it(made):
    data = {
        "pdf": prose_pages,
        "epub": lambda: epub_file(["<p>Un.</p><p>Deux.</p>"]),
        "odt": odt_file,
        "docx": docx_file,
    }[made]()
    text = extract(data, f".{made}").text
    passages = segment(text)
    assert [p.text for p in passages] == [block for block in text.split("\n\n")]


# ---------------------------------------------------------------- bad files


def test_encrypted_pdf_is_refused_in_one_sentence():
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(prose_pages()))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(NotExtracted, match="^is an encrypted PDF: it cannot be read without"):
        extract(out.getvalue(), ".pdf")


def test_broken_pdf_is_refused_in_one_sentence():
    with pytest.raises(NotExtracted, match="^is a broken PDF"):
        extract(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", ".pdf")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = b"\0" * (MAX_UNPACKED // 100)  # packs a thousand times smaller
    for data, suffix in (
        (epub_file(["<p>Un.</p>"], {"OEBPS/text/c0.xhtml": bomb}), ".epub"),
        (
            zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": bomb}),
            ".odt",
        ),
        (zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": bomb}), ".docx"),
    ):
        with pytest.raises(NotExtracted, match="zip bomb"):
            extract(data, suffix)


def test_a_bomb_in_the_mimetype_member_is_never_unpacked(monkeypatch):
    bomb = zipped({"mimetype": b"application/epub+zip" + b"\0" * 10_000_000, "a.xhtml": "x"})
    asked: list[int] = []
    opened = zipfile.ZipFile.open

    def recording(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object):
        member = opened(self, name, *args, **kwargs)  # type: ignore[arg-type]
        read = member.read
        member.read = lambda n=-1: asked.append(n) or read(n)  # type: ignore[method-assign]
        return member

    monkeypatch.setattr(zipfile.ZipFile, "open", recording)
    assert format_of(bomb) is None
    assert all(0 <= n <= 1000 for n in asked), "the member is read a few bytes at most"
    with pytest.raises(NotExtracted, match="^is named .epub but is not an EPUB$"):
        extract(bomb, ".epub")


def test_xml_entities_are_refused():
    laughs = ODT_CONTENT.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>',
    )
    with pytest.raises(NotExtracted, match="entities"):
        extract(odt_file(laughs), ".odt")


def test_a_lying_extension_is_read_by_what_the_bytes_are():
    assert format_of(prose_pages()) == "pdf"
    assert format_of(odt_file()) == "odt"
    assert format_of(docx_file()) == "docx"
    assert format_of(epub_file(["<p>Un.</p>"])) == "epub"
    # An EPUB named .pdf is read as the EPUB it is.
    assert extract(epub_file(["<p>Un.</p>"]), ".pdf").text == "Un."
    with pytest.raises(NotExtracted, match=r"^is named \.pdf but is not a PDF$"):
        extract(b"just some text", ".pdf")
    with pytest.raises(NotExtracted, match=r"^is named \.docx but is not a Word document$"):
        extract(zipped({"a.txt": "x"}), ".docx")


def test_a_truncated_archive_is_refused_in_one_sentence():
    with pytest.raises(NotExtracted, match="^is named .epub but|^is a broken EPUB"):
        extract(epub_file(["<p>Un.</p>"])[:200], ".epub")


# ---------------------------------------------------------------- joining lines

words = st.text(alphabet="abcdéfghijklmnopqrstuvwxyzç", min_size=1, max_size=8)


@given(st.lists(words, min_size=1, max_size=30), st.data())
def test_joined_lines_give_back_the_words_a_hyphen_cut(sentence, data):
    """Lines cut anywhere between words, or inside a word with a hyphen, join back into the
    words with one space between them."""
    lines, line = [], ""
    for index, word in enumerate(sentence):
        if index and data.draw(st.booleans()):
            lines.append(line)
            line = ""
        cut = data.draw(st.integers(0, len(word) - 1)) if index < len(sentence) - 1 else 0
        if cut and data.draw(st.booleans()):
            lines.append(line + (" " if line else "") + word[:cut] + "-")
            line = word[cut:]
        else:
            line += (" " if line else "") + word
    lines.append(line)
    indented = [("   " if n % 2 else "") + part for n, part in enumerate(lines)]
    assert join_lines(indented) == " ".join(sentence)


def test_a_hyphen_between_capitals_is_undone_and_a_name_keeps_its_own():
    assert join_lines(["If an element is OP-", "TIONAL and"]) == "If an element is OPTIONAL and"
    assert join_lines(["Jean-", "Paul Sartre"]) == "Jean-Paul Sartre"


def test_a_cut_word_is_looked_for_in_the_last_word_only(monkeypatch):
    """Searching the whole paragraph joined so far for a cut word, at each line, made a
    500-page PDF's extraction take twice as long."""
    from tui.corpus.extract import common

    searched: list[str] = []
    pattern = common._BROKEN_WORD

    class Recorded:
        def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
            searched.append(text[pos:])
            return pattern.search(text, pos)

    monkeypatch.setattr(common, "_BROKEN_WORD", Recorded())
    lines = ["a paragraph of words that goes on and on for a whole line, then an exam-"]
    lines += ["ple of a line that ends with a cut word, or an OP-", "TIONAL one", "and more"] * 5
    joined = join_lines(lines)
    assert "an example of a line" in joined and "an OPTIONAL one and more" in joined
    assert searched, "the cut words were looked for"
    assert all(" " not in part for part in searched), searched


def test_lines_read_by_runs_match_lines_read_by_offsets():
    """The way taken for pages with letters beyond the BMP finds the same lines."""
    import pypdfium2 as pdfium

    from tui.corpus.extract.pdf import _lines, _lines_by_runs

    document = pdfium.PdfDocument(prose_pages())
    page = document[0]
    textpage = page.get_textpage()
    by_runs = [line.text.strip() for line in _lines_by_runs(textpage)]
    assert by_runs == [line.text for line in _lines(page)]
    assert by_runs[2].endswith("exam-")


# Paragraphs as a writer types them, with marks that are markup elsewhere; a blank one is none.
paragraph = st.text(
    alphabet=st.sampled_from("abcdeéàç ABC.,;:!?«»’'\"<>&#*_-[]()0123\u00a0"),
    min_size=1,
    max_size=200,
).filter(lambda text: text.strip() != "")


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=40, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=6))
def test_every_paragraph_comes_back_as_written_and_as_a_passage(paragraphs):
    """Whatever the paragraphs hold (markup characters included), EPUB and ODT give them back
    as they are, one passage each, and the passages cover the text in order."""
    expected = [join_lines([text]) for text in paragraphs]
    chapter = "".join(f"<p>{escaped(text)}</p>" for text in paragraphs)
    body = "".join(f"<text:p>{escaped(text)}</text:p>" for text in paragraphs)
    content = ODT_CONTENT[: ODT_CONTENT.index("<office:text>") + len("<office:text>")]
    content += body + "</office:text></office:body></office:document-content>"
    for data, suffix in ((epub_file([chapter]), ".epub"), (odt_file(content), ".odt")):
        text = extract(data, suffix).text
        assert text.split("\n\n") == expected
        passages = segment(text)
        assert [passage.text for passage in passages] == expected
        assert all(text[p.start : p.end] == p.text for p in passages)


# ---------------------------------------------------------------- documents of the corpus


def test_a_document_reads_a_pdf_through_its_extractor(tmp_path):
    from tui.corpus.document import Document

    (tmp_path / "article.pdf").write_bytes(prose_pages())
    document = Document.load(tmp_path, tmp_path / "article.pdf")
    assert document.text == extract(prose_pages(), ".pdf").text
    assert document.title == "A test of PDF"
    assert document.metadata is not None and document.metadata.author == "Ann Bee"
    assert document.extractor_version == "pdf-1"
    assert [p.text for p in document.passages] == document.text.split("\n\n")


def test_a_document_that_cannot_be_extracted_says_why(tmp_path):
    from tui.corpus.document import Document

    (tmp_path / "locked.docx").write_bytes(b"plain words, not a Word document")
    with pytest.raises(NotText, match=r"^is named \.docx but is not a Word document$"):
        Document.load(tmp_path, tmp_path / "locked.docx")


def test_a_big_pdf_is_not_opened_on_its_first_bytes(tmp_path):
    from tui.corpus.document import OPENING_FROM, Document

    padded = prose_pages() + b"%" + b"x" * OPENING_FROM + b"\n"  # a comment after %%EOF
    (tmp_path / "big.pdf").write_bytes(padded)
    document = Document.unread(tmp_path, tmp_path / "big.pdf", (tmp_path / "big.pdf").stat())
    assert document.read_opening() is None
    assert document.text.startswith("The first paragraph begins here")


def test_a_page_that_declares_itself_xml_is_read():
    page = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head>'
        b"<body><p>Bonjour&#160;! Un texte.</p></body></html>"
    )
    assert format_of(page) == "html"
    # trafilatura makes every space a plain one, the no-break space too (see docs/documents.md).
    assert extract(page, ".xhtml").text == "Bonjour ! Un texte."


# ---------------------------------------------------------------- real files

DATA = Path(__file__).parent.parent / "data" / "documents"


def test_a_real_pdf_gives_its_paragraphs_as_read_by_hand():
    """The GNU Libtasn1 manual: sentences read in the PDF, across lines and hyphens."""
    extracted = extract((DATA / "libtasn1.pdf").read_bytes(), ".pdf")
    blocks = extracted.text.split("\n\n")
    assert (
        "This document describes the Libtasn1 library that provides Abstract Syntax Notation "
        "One (ASN.1, as specified by the X.680 ITU-T recommendation) parsing and structures "
        "management, and Distinguished Encoding Rules (DER, as per X.690) encoding and "
        "decoding functions."
    ) in blocks
    assert "2.1 ASN.1 syntax" in blocks  # a heading on its own
    item = (
        "• Thread-safety. No global variables are used and multiple library handles and "
        "session handles may be used in parallel."
    )
    assert item in blocks  # a list item over two lines
    assert "Distinguished Encoding Rules (DER) manipulation." in extracted.text  # "manip-"
    assert not [block for block in blocks if block.isdigit()]  # no page number left
    assert extracted.metadata.date == "2025-02-08"


def test_a_real_odt_gives_its_paragraphs_and_table_as_read_by_hand():
    """docutils' sample of table styles: two headings' worth of text and a table's row."""
    extracted = extract((DATA / "styles.odt").read_bytes(), ".odt")
    assert extracted.text.split("\n\n") == [
        "Table style 0 (rststyle-table-0) – the default table style",
        "Do not change the name of this table. rststyle-table-0 is the default style used by "
        "odf-odt writer.\tName all table styles with prefix “rststyle-table-”.",
        "Table style 1 (rststyle-table-1) – another sample table style. Use the “class” "
        "directive to apply this style to a table.",
    ]
    assert extracted.metadata.author == "dkuhlman"


def test_a_real_word_list_is_numbered_as_its_numbering_xml_says(tmp_path):
    """mammoth's sample: a list whose level 0 starts at 7 (`decimal`, `%1.`), then a list
    whose level 1 is `lowerLetter` from 5 (`%2.`), read by hand in word/numbering.xml."""
    data = (DATA / "ordered-list-numbering.docx").read_bytes()
    text = extract(data, ".docx").text
    assert text.split("\n\n") == [
        "7. Seven",
        "8. Eight",
        "9. Nine",
        "10. Ten",
        "11. Eleven",
        "1. One",
        "  e. EE",
        "  f. FF",
        "2. Two",
    ]
    # A nested item is set in, its margin not part of its passage: what is quoted is the item.
    (tmp_path / "list.docx").write_bytes(data)
    document = Document.load(tmp_path, tmp_path / "list.docx")
    assert [passage.text for passage in document.passages][6:8] == [
        "e. EE",
        "f. FF",
    ]


def test_a_real_odt_list_shows_its_bullets_and_numbers():
    """odfdo's sample, made in LibreOffice: a bulleted list with a nested item (style L1),
    then a numbered one (L2, `num-format="1"`, `num-suffix="."`)."""
    extracted = extract((DATA / "odfdo-list.odt").read_bytes(), ".odt")
    assert extracted.text.split("\n\n") == [
        "Some text",
        "• une liste accentuée",
        "  ◦ un sous-élément",
        "1. une liste numérotée",
        "2. et de deux !",
    ]
    assert [kind for _, _, kind in extracted.blocks] == ["paragraph", *["item"] * 4]


@pytest.mark.parametrize(
    ("number", "style", "shown"),
    [
        (1, "1", "1"),
        (4, "i", "iv"),
        (1994, "I", "MCMXCIV"),
        (28, "a", "bb"),
        (3, "A", "C"),
        (10**6, "a", "1000000"),
    ],
)
def test_list_numbers_are_written_in_the_documents_format(number, style, shown):
    assert numeral(number, style) == shown


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), paragraph), min_size=1, max_size=8))
def test_odt_list_items_come_back_in_order_with_their_marker_and_margin(items):
    """Items at any depths (each at most one deeper than the one before, as lists nest):
    each is one block, set in by its depth, its bullet first; the passages are the items."""
    depths = [0]
    for depth, _ in items[1:]:
        depths.append(min(depth, depths[-1] + 1))
    body, open_lists = "", 0
    for depth, (_, words) in zip(depths, items, strict=True):
        while open_lists > depth + 1:
            body += "</text:list-item></text:list>"
            open_lists -= 1
        if open_lists == depth + 1:
            body += "</text:list-item>"
        while open_lists < depth + 1:  # a nested list opens inside the item before it
            body += "<text:list>"
            open_lists += 1
        body += f"<text:list-item><text:p>{escaped(words)}</text:p>"
    body += "</text:list-item></text:list>" * open_lists
    content = ODT_CONTENT[: ODT_CONTENT.index("<office:text>") + len("<office:text>")]
    content += body + "</office:text></office:body></office:document-content>"
    text = extract(odt_file(content), ".odt").text
    # An empty item still shows its marker, as in Markdown.
    expected = [
        "  " * depth + f"{'•◦▪'[depth % 3]} {join_lines([words])}".rstrip()
        for depth, (_, words) in zip(depths, items, strict=True)
    ]
    assert text.split("\n\n") == expected
    assert [p.text for p in segment(text)] == [block.lstrip() for block in expected]


def test_an_odt_item_of_two_paragraphs_and_a_list_going_on():
    body = (
        '<text:list text:style-name="N"><text:list-item><text:p>un</text:p>'
        "<text:p>suite de un</text:p></text:list-item></text:list><text:p>entre</text:p>"
        '<text:list text:style-name="N" text:continue-numbering="true">'
        "<text:list-item><text:p>deux</text:p></text:list-item></text:list>"
    )
    style = (
        '<office:automatic-styles><text:list-style style:name="N">'
        '<text:list-level-style-number text:level="1" style:num-format="a"'
        ' style:num-suffix=")"/></text:list-style></office:automatic-styles>'
    )
    content = ODT_CONTENT.replace(
        ' xmlns:table="',
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:table="',
    ).replace("<office:body>", style + "<office:body>")
    content = content[: content.index("<office:text>") + len("<office:text>")]
    content += body + "</office:text></office:body></office:document-content>"
    assert extract(odt_file(content), ".odt").text.split("\n\n") == [
        "a) un",
        "  suite de un",
        "entre",
        "b) deux",
    ]


def test_a_french_web_page_gives_its_article_with_accents_and_curly_apostrophes():
    """travail-emploi.gouv.fr's "La démission" (Licence Ouverte), sentences read by hand in
    its HTML; its menus, footer and scripts left out."""
    extracted = extract((DATA / "travail-emploi-la-demission.html").read_bytes(), ".html")
    text, blocks = extracted.text, extracted.text.split("\n\n")
    assert blocks[0] == "La démission"
    assert (
        "La démission n’est subordonnée à aucune autorisation préalable de l’employeur."
    ) in blocks[2]
    assert (
        "Le code du travail prévoit désormais une procédure particulière en cas d’abandon "
        "volontaire de son poste de travail par le salarié, au terme de laquelle ce dernier "
        "pourra être considéré comme ayant démissionné."
    ) in blocks
    # A no-break space before "?" in the HTML: trafilatura makes every space a plain one.
    assert "Comment présenter une démission ?" in blocks
    assert (
        "Le refus du salarié d'accepter un changement des conditions de travail ne constitue "
        "pas une démission."
    ) in text
    for frame in ("Publications et ressources", "Nous contacter", "Gestion des cookies"):
        assert frame not in text, frame  # the menus and the footer
    assert "etalab" not in text and "tarte_au_citron" not in text  # the licence line, scripts
    metadata = extracted.metadata
    # Its <title> is "La démission | Travail-emploi.gouv.fr | Ministère du Travail et de
    # l’Emploi", and it names no site: the site's name is the part that is the address's host.
    assert (metadata.title, metadata.site) == ("La démission", "Travail-emploi.gouv.fr")
    assert metadata.date == "2005-08-11"  # "Publié le 11/08/2005"
    assert metadata.url == "https://travail-emploi.gouv.fr/la-demission"


def test_a_word_document_is_read_without_a_walk_of_all_styles_per_paragraph(monkeypatch):
    """python-docx's `Paragraph.style` walks every style each time: 2,000 paragraphs took
    11 s that way, 0.4 s with the styles named once."""
    from docx.text.paragraph import Paragraph

    data = docx_file()

    def walked(self: Paragraph) -> None:
        raise AssertionError("a paragraph's style asked of python-docx")

    monkeypatch.setattr(Paragraph, "style", property(walked))
    assert extract(data, ".docx").text.startswith("Premier jour\n\nNous sommes")


# Letters of one width in Helvetica: a full line ends at the margin whatever its words.
pdf_word = st.text(alphabet="aenou", min_size=2, max_size=5)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(pdf_word, min_size=40, max_size=60),
    st.lists(st.lists(pdf_word, min_size=1, max_size=40), max_size=6),
)
def test_pdf_paragraphs_come_back_whole_across_lines_and_pages(first, others):
    """Paragraphs set as a book sets them (first line indented, wrapped lines, a page every
    twelve lines wherever it falls) come back one each, their words one space apart. The first
    runs over three lines or more: without two lines at the margin, an indent is not seen."""
    paragraphs = [first, *others]
    sentences = [" ".join(words) + "." for words in paragraphs]
    assert extract(book_pages(sentences), ".pdf").text.split("\n\n") == sentences


def test_a_page_too_large_for_trafilatura_is_read_whole_with_its_head_metadata(monkeypatch):
    import trafilatura

    from tui.corpus.extract import web

    def never(*_: object, **__: object) -> None:
        raise AssertionError("trafilatura's article search is not run on a huge page")

    monkeypatch.setattr(trafilatura, "bare_extraction", never)
    monkeypatch.setattr(web, "MAX_ARTICLE_ELEMENTS", 100, raising=False)
    page = (
        '<html><head><title>Un long fil</title><meta name="author" content="Ann Bee">'
        '<link rel="canonical" href="https://example.org/fil"></head><body>'
        + "".join(f'<p>Message {n}, <a href="/m{n}">lien</a>.</p>' for n in range(200))
        + "<script>var caché = 1;</script></body></html>"
    )
    extracted = extract(page.encode(), ".html")
    assert extracted.metadata.title == "Un long fil" and extracted.metadata.author == "Ann Bee"
    assert extracted.metadata.url == "https://example.org/fil"
    paragraphs = extracted.text.split("\n\n")
    assert paragraphs[0] == "Message 0, lien." and paragraphs[-1] == "Message 199, lien."
    assert len(paragraphs) == 200 and "caché" not in extracted.text


def test_a_pdf_of_too_many_pages_is_refused_in_one_sentence(monkeypatch):
    from tui.corpus.extract import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 2, raising=False)
    with pytest.raises(NotExtracted, match="^has 3 pages, more than the 2 glose reads$"):
        extract(prose_pages(), ".pdf")


@pytest.mark.parametrize(
    ("title", "site", "url", "shown"),
    [
        (
            "Meta - IBM : une alliance | Le Monde",
            "Le Monde",
            "https://www.lemonde.fr/a",
            ("Meta - IBM : une alliance", "Le Monde"),
        ),
        (
            "Meta - IBM : une alliance",
            "",
            "https://www.lemonde.fr/a",
            ("Meta - IBM : une alliance", "lemonde.fr"),
        ),
        (
            "Accueil – Le Journal – Archives",
            "",
            "https://le-journal.example/",
            ("Accueil – Le Journal – Archives", "le-journal.example"),
        ),
        ("Le Journal", "Le Journal", "https://journal.example/", ("Le Journal", "Le Journal")),
        (" | Le Journal", "Le Journal", "", (" | Le Journal", "Le Journal")),
        ("", "", "", ("", "")),
    ],
)
def test_a_web_pages_title_loses_the_sites_name_and_only_that(title, site, url, shown):
    from tui.corpus.extract.web import own_title_and_site

    assert own_title_and_site(title, site, url) == shown


@pytest.mark.parametrize(
    "number",
    ["²", "٣", "9" * 5000, "-3", " "],
    ids=["superscript", "arabic-indic", "5000 digits", "negative", "blank"],
)
def test_numbers_a_word_file_gives_that_are_no_counts_are_left_aside(number):
    # `²` is a digit to `isdigit` but no number to `int`; five thousand digits are more than
    # `int` reads: the list's own numbers and levels are used instead, never a traceback.
    with zipfile.ZipFile(DATA / "ordered-list-numbering.docx") as source:
        parts = {name: source.read(name) for name in source.namelist()}
    body = parts["word/document.xml"].decode()
    parts["word/document.xml"] = body.replace(
        '<w:ilvl w:val="0"/>', f'<w:ilvl w:val="{number}"/>', 1
    ).encode()
    numbering = parts["word/numbering.xml"].decode()
    parts["word/numbering.xml"] = re.sub(
        r'(<w:start w:val=")7(")', rf"\g<1>{number}\g<2>", numbering
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as changed:
        for name, data in parts.items():
            changed.writestr(name, data)
    lines = extract(out.getvalue(), ".docx").text.split("\n\n")
    assert [line.lstrip(" ") for line in lines[:2]] == ["1. Seven", "2. Eight"]
