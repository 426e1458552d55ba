"""A Markdown document in the reader: rendered, tables as tables, code cut at the edge."""

from __future__ import annotations

from tests.app.test_reader_layout import lines_of
from tests.helpers import press
from tui.app.render.lines import CUT_MARK

WIDE = "x = [" + ", ".join(str(n) for n in range(60)) + "]"
SOURCE = (
    "# Titre\n\n"
    "Un *mot* et [lien](https://example.org).\n\n"
    "- un\n  - deux\n\n"
    "> cité\n\n"
    "| Key | What it does |\n|---|---|\n| `j` | Next passage |\n| `tab` | Move |\n\n"
    f"```python\n{WIDE}\nfin = 1\n```\n"
)


async def test_markdown_is_shown_rendered_with_tables_aligned_and_code_cut(make_app, make_corpus):
    root = make_corpus({"doc.md": SOURCE})
    app = make_app(root)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        lines = [line.rstrip() for line in lines_of(app.screen.reader)]
        shown = "\n".join(lines)
        for markup in ("#", "*", "[lien", "](", "|", "```", "> "):
            assert markup not in shown, markup
        assert "  Un mot et lien." in lines
        assert "  • un" in lines and "    ◦ deux" in lines, "a nested item is indented"
        assert "    cité" in lines, "a quote is indented"
        assert "  Key  What it does" in lines
        assert "  j    Next passage" in lines and "  tab  Move" in lines
        [code] = [line for line in lines if line.startswith("  x = [")]
        assert code.endswith(CUT_MARK) and len(code) <= 80, "a long code line is cut, not wrapped"
        assert "  fin = 1" in lines, "the next code line is still its own line"


async def test_code_keeps_every_line_s_own_indent_the_first_one_too(make_app, make_corpus):
    """A passage never starts with a space, but code is verbatim: its first line's indent is
    drawn, and a code block in a list item lines up under the item's text."""
    source = (
        "```\n    indented()\nnext()\n```\n\n- item\n\n  ```\n      first()\n  second()\n  ```\n"
    )
    root = make_corpus({"doc.md": source})
    app = make_app(root)
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        lines = [line[2:].rstrip() for line in lines_of(app.screen.reader)]  # no gutter
        assert lines[:2] == ["    indented()", "next()"]
        at = lines.index("• item")
        assert lines[at + 2 : at + 4] == ["      first()", "  second()"]


async def test_a_markdown_file_too_deep_to_lay_out_is_said_once(make_app, make_corpus):
    root = make_corpus({"a.md": ">" * 500 + " Tout au fond.\n", "b.md": "# Bien\n"})
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "right_square_bracket", "left_square_bracket")
        said = "a.md is nested too deep to lay out; shown as written."
        assert app.notified.count(said) == 1, "said when it opens, not each time"
        assert app.screen.document.relpath == "a.md"
