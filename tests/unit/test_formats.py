"""CSV and Markdown hold hostile text as text: spreadsheets and Markdown readers see exactly
the quotes, tags and notes, never a formula, a heading, a link or markup."""

from __future__ import annotations

import csv
import html
import io

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.hostile import HOSTILE_NOTE, HOSTILE_TAGS
from tui.interchange import csv_format, markdown_format
from tui.interchange.export import select

COMMONMARK = MarkdownIt("commonmark")


def csv_rows(annotated) -> list[dict[str, str]]:
    out = io.StringIO()
    csv_format.write(select(annotated.corpus, annotated.store), out)
    text = out.getvalue()
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with its byte-order mark
    assert "\r\n" in text  # RFC 4180 line ends
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def as_typed(cell: str) -> str:
    """What a spreadsheet shows: the leading apostrophe only marks text."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


def test_csv_has_the_stable_header_and_one_row_per_annotation(annotated):
    rows = csv_rows(annotated)
    assert list(rows[0]) == list(csv_format.COLUMNS)
    assert csv_format.COLUMNS[:10] == (
        "document", "title", "passage", "start", "end", "quote", "tags", "color", "note",
        "annotator",
    )  # fmt: skip
    assert len(rows) == len(annotated.store.annotations()) + len(annotated.store.highlights())


def test_csv_cells_read_back_exactly_and_never_start_a_formula(annotated):
    rows = csv_rows(annotated)
    stored = {a.uuid: a for a in [*annotated.store.annotations(), *annotated.store.highlights()]}
    for row in rows:
        annotation = stored[row["uuid"]]
        assert as_typed(row["quote"]) == annotation.quote  # newlines, quotes, commas kept
        assert as_typed(row["note"]) == annotation.note
        joined = as_typed(row["tags"])
        assert (joined.split(";") if joined else []) == getattr(annotation, "tags", [])
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    noted = next(row for row in rows if row["note"].startswith("**gras**"))
    assert as_typed(noted["note"]) == HOSTILE_NOTE
    formula = next(row for row in rows if row["quote"].startswith("'=1+1"))
    assert formula["quote"] == "'=1+1 commence comme une formule, [bold]et du balisage[/bold]."


def test_markdown_has_a_section_per_document_and_each_quote_as_it_is(annotated):
    out = io.StringIO()
    selection = select(annotated.corpus, annotated.store)
    markdown_format.write(selection, out)
    tokens = COMMONMARK.parse(out.getvalue())
    headings = [
        "".join(child.content for child in tokens[i + 1].children)
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert len(headings) == len(selection.documents)
    assert "# Pas un titre" in headings  # a title that looks like Markdown, shown as it is
    quotes = _blockquotes(tokens)
    assert len(quotes) == len(selection.items)
    for text, item in zip(quotes, selection.items, strict=True):
        assert text == item.annotation.quote.replace("\n\n", "\n")
    rendered = COMMONMARK.render(out.getvalue())
    # Hostile tags and notes are shown, never obeyed: no heading, link, list or HTML from them.
    assert "<a " not in rendered and "<b>" not in rendered and "<ol>" not in rendered
    assert rendered.count("<h2>") == len(selection.documents) and rendered.count("<h1>") == 1
    shown = html.unescape(rendered)
    for tag in HOSTILE_TAGS:
        assert f"<code>{tag}</code>" in shown


def _blockquotes(tokens) -> list[str]:
    """The text of each blockquote, line breaks as newlines."""
    found, depth, parts = [], 0, []
    for token in tokens:
        if token.type == "blockquote_open":
            depth, parts = 1, []
        elif token.type == "blockquote_close":
            depth = 0
            found.append("\n".join(parts))
        elif depth and token.type == "inline":
            parts.append(
                "".join(
                    "\n" if child.type == "softbreak" else child.content for child in token.children
                )
            )
    return found


# Single characters and the sequences that start Markdown constructs.
PRINTABLE = st.lists(
    st.sampled_from(
        [chr(c) for c in range(32, 127)] + list("éà’«»—\t ") + ["www.", "://", "1.", "- ", "    "]
    ),
    max_size=40,
).map("".join)


@given(PRINTABLE)
def test_any_line_renders_as_exactly_its_characters(line):
    """Property: whatever a line holds, CommonMark shows its characters, no more, no less."""
    rendered = COMMONMARK.render(markdown_format.escape(line)).strip()
    if not line.strip(" \t"):
        return  # a blank line is no paragraph
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    assert html.unescape(rendered[3:-4]) == line


@given(st.lists(PRINTABLE.filter(lambda line: line.strip(" \t")), min_size=2, max_size=4))
def test_lines_of_a_quote_stay_lines(lines):
    rendered = COMMONMARK.render(markdown_format.escape("\n".join(lines))).strip()
    assert html.unescape(rendered[3:-4]) == "\n".join(lines)


def test_code_spans_hold_backticks():
    for text in ("a`b", "`début", "fin`", "``"):
        rendered = COMMONMARK.render(markdown_format.code(text)).strip()
        assert html.unescape(rendered) == f"<p><code>{text}</code></p>"
