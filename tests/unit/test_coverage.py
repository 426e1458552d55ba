"""Coded characters: what spans cover of a text, white space left out, each character once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.analysis.coverage import covered, merged, visible


@st.composite
def spans_on_texts(draw):
    text = draw(st.text(alphabet="ab \t\n\u00a0\u2003é", max_size=30))
    place = st.integers(-2, len(text) + 2)  # past either end too: kept within the text
    return text, draw(st.lists(st.tuples(place, place), max_size=5))


@settings(max_examples=60, deadline=None)
@given(spans_on_texts())
def test_covered_counts_each_character_other_than_white_space_once(case):
    text, spans = case
    one_by_one = {i for start, end in spans for i in range(max(start, 0), min(end, len(text)))}
    assert covered(text, spans) == sum(1 for i in one_by_one if not text[i].isspace())


def test_white_space_is_what_trimming_a_selection_leaves_out():
    assert visible("a b\u00a0c\u2003d\n\ne\tf") == 6
    assert visible("abc def", 2, 5) == 2 and visible("abc", 2, 1) == 0


def test_overlapping_and_touching_spans_merge():
    assert merged([(5, 8), (0, 2), (1, 3), (8, 9), (4, 4)]) == [(0, 3), (5, 9)]
