"""A PDF in the reader: a paragraph cut by a page break is shown whole, one passage, without
the running header and page numbers of the pages it ran over."""

from __future__ import annotations

from tests.app.test_reader_layout import lines_of
from tests.unit.test_extract import prose_pages
from tests.waiting import settled

PARAGRAPH = (
    "The first paragraph begins here and it goes on with long lines of words until a word is "
    "cut across the end by an example of hyphenation, and the paragraph runs on to the very "
    "bottom of its page, then on after the break to its end."
)


async def test_a_paragraph_over_a_page_break_is_one_passage_shown_whole(make_app, make_corpus):
    root = make_corpus({})
    (root / "article.pdf").write_bytes(prose_pages())
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        reader = app.screen.reader
        assert reader.current == 0 and app.screen.document.passages[0].text == PARAGRAPH
        lines = [line[2:].rstrip() for line in lines_of(reader)]  # no gutter
        height = len(reader.passage_layout.block(0).lines)
        assert " ".join(lines[:height]) == PARAGRAPH  # the screen lines read as the paragraph
        assert lines[height] == ""  # then the blank line that ends a passage
        assert not [line for line in lines if "Journal of Tests" in line or line.isdigit()]
