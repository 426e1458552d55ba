"""The reader's drawing helpers without a terminal: where page keys go, which highlight `;`
and the caret reach, what `v` selects, where a click lands in a line."""

from __future__ import annotations

from tui.app.render.blocks import GUTTER, offset_in_row, passage_block
from tui.app.render.highlights import following, holding, touching
from tui.app.render.layout import Block, Layout, page_step
from tui.app.render.selection import Selection, started
from tui.corpus.passages import segment
from tui.store.model import Highlight


def layout(heights: list[int]) -> Layout:
    """Passages of these text heights (a blank line follows each)."""
    return Layout(80, [h + 1 for h in heights], lambda i: Block(i, [(0, 1)] * heights[i], []))


def test_page_down_goes_through_a_tall_passage_before_leaving_it():
    tall = layout([3, 30, 3])
    assert page_step(tall, 1, 4, 10, +1).scroll_to == 13, "the next screen of passage 2"
    assert page_step(tall, 1, 4, 10, +1).index is None


def test_page_down_makes_the_passage_a_screen_below_current():
    short = layout([3] * 20)
    step = page_step(short, 0, 0, 10, +1)
    assert (step.index, step.scroll_to) == (2, None)
    assert page_step(short, 19, 76, 10, +1).index == 19, "the last stays the last"


def test_page_up_into_a_tall_passage_shows_its_end():
    tall = layout([30, 3])
    step = page_step(tall, 1, 31, 10, -1)
    assert step.index == 0 and step.scroll_to == 20


def mark(start: int, end: int, id: int) -> Highlight:
    return Highlight(document="d", sha256="", start=start, end=end, quote="", id=id)


def test_highlights_a_passage_a_caret_and_semicolon_reach():
    (passage,) = segment("Une phrase sur la sécurité.", False)
    first, second, away = (mark(0, 3, 1), mark(4, 10, 2), mark(40, 45, 3))
    assert touching([first, second, away], passage) == [first, second]
    assert holding([first, second], 4) is second and holding([first, second], 12) is None
    assert [following([1, 2], active) for active in (None, 1, 2)] == [1, 2, None]


def test_v_selects_the_first_word_then_afresh_after_the_caret():
    text = "Une phrase sur la sécurité."
    assert started(text, None, 0, len(text)) == Selection(0, 3)
    assert started(text, Selection(0, 10), 0, len(text)) == Selection(11, 14)


def test_a_click_lands_on_the_character_under_it_and_nowhere_on_tags():
    (passage,) = segment("Une phrase sur la sécurité.", False)
    block = passage_block(0, passage, None, None, 40)
    assert offset_in_row(block, passage, 0, GUTTER + 4) == 4
    assert offset_in_row(block, passage, len(block.lines), GUTTER) is None
