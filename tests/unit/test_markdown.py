"""Markdown read as it is meant: the rendered text without markup characters, its blocks
as passages, its headings, links and styles at the right offsets."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import Corpus, Document
from tui.corpus.extract.markdown import extract_markdown

ROOT = Path(__file__).resolve().parents[2]


def blocks_of(source: str) -> list[tuple[str, str]]:
    extracted = extract_markdown(source)
    return [(kind, extracted.text[start:end]) for start, end, kind in extracted.blocks]


def test_the_readme_key_table_reads_as_a_table():
    extracted = extract_markdown((ROOT / "README.md").read_text("utf-8"))
    tables = [extracted.text[a:b] for a, b, kind in extracted.blocks if kind == "table"]
    assert tables, "the key table is one block"
    rows = tables[0].split("\n")
    assert rows[0].split()[:2] == ["Key", "What"]
    assert "|" not in tables[0] and "---" not in tables[0]
    # Cells line up: every row's second column starts at the same place.
    column = rows[0].index("What")
    assert all(row[column - 2 : column] == "  " and row[column] != " " for row in rows[1:])
    assert rows[1].startswith("j / k")


def test_setext_headings_quotes_nested_lists_and_comments():
    source = (
        "<!-- a comment, never a title -->\n\n"
        "Titre\n=====\n\n"
        "Sous-titre\n----------\n\n"
        "> cité\n> encore\n\n"
        "- un\n  - deux\n    - trois\n- quatre\n\n"
        "3. trois\n4. quatre\n\n"
        "<div>raw</div>\n"
    )
    extracted = extract_markdown(source)
    assert extracted.metadata.title == "Titre"
    assert blocks_of(source) == [
        ("heading", "Titre"),
        ("heading", "Sous-titre"),
        ("paragraph", "cité encore"),
        ("item", "• un"),
        ("item", "◦ deux"),
        ("item", "▪ trois"),
        ("item", "• quatre"),
        ("item", "3. trois"),
        ("item", "4. quatre"),
    ]
    assert [level for _, _, level in extracted.headings] == [1, 2]
    text = extracted.text
    assert "\n\n  cité encore" in text, "a quote is indented"
    assert "\n\n  ◦ deux" in text and "\n\n    ▪ trois" in text, "nested items are indented"
    assert "<!--" not in text and "<div>" not in text and ">" not in text


def test_code_blocks_are_verbatim_and_emphasis_and_links_leave_no_marks():
    source = (
        "Un *mot* et **gras** et `code` et [lien](https://example.org/a).\n\n"
        "```python\ndef f():\n    return '|  x  |'\n```\n"
        "\n![une *image*](i.png) &amp; \\*\n"
    )
    extracted = extract_markdown(source)
    assert blocks_of(source) == [
        ("paragraph", "Un mot et gras et code et lien."),
        ("code", "def f():\n    return '|  x  |'"),
        ("paragraph", "une image & *"),
    ]
    text = extracted.text
    styles = {text[a:b]: style for a, b, style in extracted.styles}
    assert styles == {"mot": "emphasis", "gras": "strong", "code": "code"}
    [link] = extracted.links
    assert (text[link.start : link.end], link.target) == ("lien", "https://example.org/a")


def test_a_markdown_document_has_one_passage_per_block(make_corpus):
    root = make_corpus(
        {"a.md": "# Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- un\n- deux\n\n```\nx\n```\n"}
    )
    document = Corpus.open(root).documents[0]
    assert document.title == "Titre"
    assert [(p.kind, p.text) for p in document.passages] == [
        ("heading", "Titre"),
        ("table", "a  b\n1  2"),
        ("item", "• un"),
        ("item", "• deux"),
        ("code", "x"),
    ]


def test_the_docs_read_without_markup():
    for page in sorted((ROOT / "docs").glob("*.md")):
        extracted = extract_markdown(page.read_text("utf-8"))
        assert extracted.metadata.title and not extracted.metadata.title.startswith("#"), page
        code = {a for a, _, style in extracted.styles if style == "code"}
        prose = [(a, extracted.text[a:b]) for a, b, kind in extracted.blocks if kind != "code"]
        # A block may start with "#" or ">" only in a code span ("`# Notes`" in formats.md).
        assert not any(
            text.startswith(("#", ">", "|", "<!--")) and a not in code for a, text in prose
        ), page


_PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "- ",
        "  - ",
        "1. ",
        "> ",
        "| a | b |\n|---|---|\n| c | d |",
        "```\n",
        "`",
        "*",
        "**",
        "[",
        "](u)",
        "<!-- ",
        " -->",
        "<b>",
        "\n",
        "\n\n",
        "---",
        "===",
        "mot ",
        "é ",
        "\t",
        "    ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_blocks_are_trimmed_in_order_and_spans_stay_inside_the_text(source: str):
    extracted = extract_markdown(source)
    text = extracted.text
    previous = 0
    for start, end, _ in extracted.blocks:
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous = end
    for start, end, _ in (*extracted.styles, *extracted.headings):
        assert 0 <= start < end <= len(text)
    for link in extracted.links:
        assert 0 <= link.start < link.end <= len(text)
    # Nothing shown lies outside a block: blocks and the blank lines between them are all.
    covered = "".join(text[a:b] for a, b, _ in extracted.blocks)
    assert "".join(covered.split()) == "".join(text.split())


def test_annotations_made_on_the_raw_markdown_re_anchor_once_none_lost(make_corpus, store_dir):
    from tests.helpers import text_document
    from tui.corpus.passages import segment
    from tui.store import Store

    raw = (ROOT / "README.md").read_text("utf-8")
    root = make_corpus({"readme.md": raw})
    # As glose read a Markdown file before it rendered it: raw, cut by the Markdown rules.
    before = text_document("readme", raw)
    passages = segment(raw, markdown=True)
    words = ["keyboard-first terminal reader", "Next / previous article", "`politique`"]
    with Store(store_dir) as store:
        for passage in passages:
            store.tag_passage(before, passage, "lu")
        for quote in words:
            start = raw.index(quote)
            store.add_highlight(before, passages, start, start + len(quote), "blue")
    document = Corpus.open(root).documents[0]
    with Store(store_dir) as store:
        assert store.needs_anchoring(document)
        report = store.anchor(document, document.passages)
        assert report.orphans == 0 and sum(report.counts.values()) == len(passages) + len(words)
        assert set(report.counts) <= {"exact", "moved", "fuzzy"}
        quotes = sorted(h.quote for h in store.highlights_on(document))
        assert quotes == sorted(
            ["keyboard-first terminal reader", "Next / previous article", "politique"]
        ), "the words as shown, markup left out"
        assert all(h.status == "moved" for h in store.highlights_on(document))
        tagged = {a.passage for a in store.annotations("readme") if "lu" in a.tags}
        assert tagged, "the passages' tags are kept"
        assert not store.needs_anchoring(document), "done once"
    with Store(store_dir, readonly=True) as store:
        assert not store.needs_anchoring(document), "and remembered"


def test_a_markdown_title_is_its_first_heading_never_a_comment_and_one_spaced(make_corpus):
    root = make_corpus(
        {
            "a.md": "<!-- a comment -->\n\nIntro.\n\n#   Le    titre   #\n",
            "b.md": "<!--\nmulti\n-->\n\n`# pas un titre`\n",
        }
    )
    titles = {document.relpath: document.title for document in Corpus.open(root).documents}
    assert titles == {"a.md": "Le titre", "b.md": "# pas un titre"}


def test_a_markdown_document_not_yet_read_is_cut_into_its_blocks(make_corpus):
    # The reader lists files before reading them: the first cut must still be the blocks.
    root = make_corpus({"a.md": "# Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"})
    path = root / "a.md"
    document = Document.unread(root, path, path.stat())
    assert not document.is_read
    assert [(p.kind, p.text) for p in document.quick_passages()] == [
        ("heading", "Titre"),
        ("table", "a  b\n1  2"),
    ]


def test_a_code_block_s_first_line_keeps_its_indent_in_the_text():
    """Code is verbatim: the first line's spaces stay in the text, before the passage (which
    never starts with a space), in a list item too."""
    extracted = extract_markdown("```\n    indented()\nnext()\n```\n")
    assert extracted.text == "    indented()\nnext()"
    assert blocks_of("```\n    indented()\nnext()\n```\n") == [("code", "indented()\nnext()")]
    nested = extract_markdown("- item\n\n  ```\n      first()\n  second()\n  ```\n")
    assert nested.text == "• item\n\n      first()\n  second()"


def test_an_item_holding_only_a_nested_list_keeps_its_own_marker():
    """`- - inner`: the outer item is shown by its own bullet, then the nested one."""
    assert blocks_of("- - inner\n- plain\n") == [
        ("item", "•"),
        ("item", "◦ inner"),
        ("item", "• plain"),
    ]
    assert extract_markdown("1. - a\n   - b\n2. c\n").text == "1.\n\n  ◦ a\n\n  ◦ b\n\n2. c"
    assert blocks_of("- > cité\n")[0] == ("item", "•")


def test_deep_quotes_keep_their_words_and_deeper_still_is_shown_as_written(make_corpus):
    assert "Au fond." in extract_markdown(">" * 25 + " Au fond.\n").text
    assert (
        "Au fond." in extract_markdown("".join("  " * i + "- Au fond.\n" for i in range(30))).text
    )
    abyss = ">" * 500 + " Tout au fond.\n"
    root = make_corpus({"a.md": "# Titre\n\n" + abyss, "b.md": "> " * 1000 + "Plus bas.\n"})
    first, second = Corpus.open(root).documents
    assert first.text == "# Titre\n\n" + abyss, "nothing silently dropped: the file as written"
    assert "Plus bas." in second.text
    assert first.notice == "a.md is nested too deep to lay out; shown as written."


def test_only_a_markdown_file_shown_as_written_carries_a_notice(make_corpus):
    root = make_corpus({"a.md": "> " * 30 + "Assez profond.\n", "b.txt": "> " * 200 + "x\n"})
    rendered, plain = Corpus.open(root).documents
    assert (rendered.text, rendered.notice) == ("  " * 30 + "Assez profond.", None)
    assert plain.text.startswith("> > >") and plain.notice is None
