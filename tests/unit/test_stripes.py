"""Coding stripes without a terminal: which segments a line crosses, which columns the margin
has, and what each column shows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.style import Style

from tui.app.render.highlights import Segments
from tui.app.render.stripes import FOLDS_BELOW, MOST_COLUMNS, STRIPE, margin, stripes_for
from tui.store.model import Highlight


def segment(start: int, end: int, *tags: str) -> Highlight:
    return Highlight(
        document="d", sha256="", start=start, end=end, quote="", tags=list(tags), highlighted=False
    )


spans = st.tuples(st.integers(0, 200), st.integers(0, 60)).map(lambda s: (s[0], s[0] + s[1]))


@given(st.lists(spans, max_size=40), spans)
def test_the_segments_crossing_a_line_are_those_sharing_a_character_with_it(found, line):
    segments = [segment(start, end) for start, end in found]
    start, end = line
    crossing = Segments(segments).crossing(start, end)
    expected = sorted(
        (h for h in segments if h.start < end and start < h.end), key=lambda h: (h.start, h.end)
    )
    assert [(h.start, h.end) for h in crossing] == [(h.start, h.end) for h in expected]


def test_the_margin_has_a_column_per_tag_in_the_stores_order_and_folds_when_narrow():
    segments = [segment(0, 5, "b", "z"), segment(9, 12, "a"), segment(20, 30)]
    colors = {"a": "#1f77b4", "b": "#ff7f0e"}
    assert stripes_for(segments, colors, 80).columns == ("a", "b", "z"), "unknown ones last"
    assert stripes_for(segments, colors, 80).width == 4, "a space, then one cell a column"
    assert not stripes_for(segments, colors, FOLDS_BELOW - 1).columns
    assert stripes_for(segments, colors, FOLDS_BELOW).columns
    assert stripes_for([segment(0, 5)], colors, 80).width == 0, "no tag in use: no margin"


def test_past_the_most_columns_the_last_one_stands_for_the_rest():
    names = [f"t{n}" for n in range(MOST_COLUMNS + 2)]
    colors = {name: f"#0000{n:02x}" for n, name in enumerate(names)}
    stripes = stripes_for([segment(0, 5, *names)], colors, 120)
    assert len(stripes.columns) == MOST_COLUMNS and stripes.crowded
    cells = margin(stripes, [segment(0, 5, names[-1])], colors, Style())
    assert [c.text for c in cells] == [" "] * MOST_COLUMNS + [STRIPE]
    assert cells[-1].style is not None and cells[-1].style.color is not None
    assert cells[-1].style.color.get_truecolor().hex == colors[names[-1]]
