"""Properties every format keeps, on documents of random paragraphs (French letters, curly
quotes, non-breaking spaces): the passages cover the canonical text in order, and every export
quotes a span as exactly `text[start:end]`."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.unit.test_extract import ODT_CONTENT, book_pages, epub_file, odt_file
from tests.unit.test_formats import _blockquotes
from tui.corpus import Corpus
from tui.corpus.document import Document
from tui.interchange.export import select
from tui.interchange.formats import FORMATS
from tui.store import Store

LETTERS = "abcdeéèàçôœ ABCÉÀ,;:!?’“”«»\u00a0"
word = st.text(alphabet=LETTERS.replace(" ", "").replace("\u00a0", ""), min_size=1, max_size=9)
spacing = st.sampled_from([" ", " ", " ", "\u00a0", " « ", " » "])


@st.composite
def paragraphs(
    draw: st.DrawFn,
    letters: st.SearchStrategy[str] = word,
    spaces: st.SearchStrategy[str] = spacing,
) -> list[str]:
    """Paragraphs of words that begin with a letter (a lone mark could pass for list syntax)."""
    found = []
    for _ in range(draw(st.integers(1, 5))):
        words = draw(st.lists(letters, min_size=1, max_size=25))
        text = "a" + "".join(draw(spaces) + w for w in words)
        found.append(text)
    return found


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_page(texts: list[str]) -> bytes:
    body = "".join(f"<p>{escaped(text)}</p>" for text in texts)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title></head>'
        f"<body><article>{body}</article></body></html>"
    ).encode()


def word_file(texts: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(texts: list[str]) -> bytes:
    content = ODT_CONTENT[: ODT_CONTENT.index("<office:text>") + len("<office:text>")]
    content += "".join(f"<text:p>{escaped(text)}</text:p>" for text in texts)
    return odt_file(content + "</office:text></office:body></office:document-content>")


MAKERS: dict[str, Callable[[list[str]], bytes]] = {
    ".html": html_page,
    ".pdf": book_pages,
    ".epub": lambda texts: epub_file(["".join(f"<p>{escaped(t)}</p>" for t in texts)]),
    ".docx": word_file,
    ".odt": odt,
    ".md": lambda texts: "\n\n".join(texts).encode(),
    ".txt": lambda texts: "\n\n".join(texts).encode(),
}

# Helvetica in a PDF made by hand has no accented letters nor French quotes: plain words.
PDF_WORD = st.text(alphabet="abcdenou,;:!?", min_size=1, max_size=9)


def documents(suffix: str) -> st.SearchStrategy[list[str]]:
    if suffix == ".pdf":
        return paragraphs(PDF_WORD, st.just(" "))
    return paragraphs()


def loaded(folder: Path, suffix: str, texts: list[str]) -> Document:
    path = folder / f"doc{suffix}"
    path.write_bytes(MAKERS[suffix](texts))
    return Document.load(folder, path)


def assert_covered(document: Document) -> None:
    """Passages in order, none overlapping, each its text's very span, nothing but blank
    space outside them."""
    text, at = document.text, 0
    for passage in document.passages:
        assert passage.start >= at, "passages overlap or go back"
        assert text[passage.start : passage.end] == passage.text
        assert text[at : passage.start].strip() == "", "words outside every passage"
        at = passage.end
    assert text[at:].strip() == ""


@pytest.mark.parametrize("suffix", list(MAKERS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_format_s_passages_cover_its_text_in_order(suffix, data):
    texts = data.draw(documents(suffix))
    with tempfile.TemporaryDirectory() as folder:
        document = loaded(Path(folder), suffix, texts)
        assert_covered(document)
        # The words come back, in order, whatever spaces the format keeps between them.
        assert document.text.split() == " ".join(texts).split()


# ---------------------------------------------------------------- export quotes


QUOTING = ("json", "jsonl", "csv", "markdown", "w3c", "refi-qda")
"""The formats that hold annotations (the others hold the codebook alone)."""


def quotes_by_format(data: dict[str, bytes]) -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, quote) of each annotation, as each export says it."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    document = json.loads(data["json"])["documents"][0]
    found["json"] = [
        (h["start"], h["end"], h["quote"])
        for passage in document["passages"]
        for h in passage["highlights"]
    ] + [(h["start"], h["end"], h["quote"]) for h in document.get("highlights", [])]
    found["jsonl"] = [
        (row["start"], row["end"], row["quote"])
        for row in map(json.loads, data["jsonl"].decode().splitlines())
        if row["kind"] == "highlight"
    ]
    rows = csv.DictReader(io.StringIO(data["csv"].decode("utf-8-sig"), newline=""))
    found["csv"] = [
        (int(row["start"]), int(row["end"]), row["quote"])
        for row in rows
        if row["kind"] == "highlight"
    ]
    items = json.loads(data["w3c"])["first"]["items"]
    w3c = []
    for item in items:
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        position = selectors["TextPositionSelector"]
        w3c.append((position["start"], position["end"], selectors["TextQuoteSelector"]["exact"]))
    found["w3c"] = w3c
    with zipfile.ZipFile(io.BytesIO(data["refi-qda"])) as project:
        root = ElementTree.fromstring(project.read("project.qde"))
        ns = {"q": "urn:QDA-XML:project:1.0"}
        refi = []
        for source in root.iterfind(".//q:TextSource", ns):
            name = source.get("plainTextPath", "").removeprefix("internal://")
            words = project.read(f"sources/{name}").decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", ns):
                low, high = int(selection.get("startPosition")), int(selection.get("endPosition"))
                refi.append((low, high, words[low:high]))
        found["refi-qda"] = refi
    return found


@pytest.mark.parametrize("suffix", list(MAKERS))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_export_quotes_exactly_the_canonical_text(suffix, data):
    texts = data.draw(documents(suffix))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        root.mkdir()
        loaded(root, suffix, texts)
        corpus = Corpus.open(root)
        [document] = corpus.documents
        text = document.text
        store = Store(Path(folder) / "store", annotator="alice")
        spans = data.draw(
            st.lists(
                st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
                    lambda span: span[0] < span[1] and text[span[0] : span[1]].strip()
                ),
                min_size=1,
                max_size=4,
            )
        )
        made = []
        for low, high in spans:
            highlight = store.add_highlight(document, document.passages, low, high, "pink")
            assert highlight.quote == text[highlight.start : highlight.end]
            made.append((highlight.start, highlight.end, highlight.quote))
        export = select(corpus, store)
        data_of = {name: FORMATS[name].to_bytes(export, corpus) for name in QUOTING}
        data_of["csv"] = _exact_csv(export)
        for name, quotes in quotes_by_format(data_of).items():
            assert sorted(quotes) == sorted(made), name
            assert all(text[low:high] == quote for low, high, quote in quotes), name
        shown = _blockquotes(MarkdownIt("commonmark").parse(data_of["markdown"].decode()))
        assert sorted(shown) == sorted(_as_markdown_shows(q) for _, _, q in made)


def _exact_csv(export: object) -> bytes:
    """The CSV as `--no-formula-guard` writes it: every cell's very text."""
    from tui.interchange import csv_format

    out = io.StringIO(newline="")
    csv_format.write(export, out, formula_guard=False)  # type: ignore[arg-type]
    return out.getvalue().encode("utf-8")


def _as_markdown_shows(quote: str) -> str:
    """A quote as a Markdown blockquote shows it: paragraphs one line apart, each line's
    surrounding spaces gone (Markdown has no way to show them)."""
    return "\n".join(line.strip(" ") for line in quote.split("\n") if line.strip(" "))
