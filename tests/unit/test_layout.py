"""The reader's height index: prefix sums and lookups by line agree with plain sums."""

from __future__ import annotations

from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.app.render.layout import Heights


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 30), min_size=1, max_size=300),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 30)), max_size=40),
)
def test_tops_and_lookups_match_plain_prefix_sums_after_any_changes(heights, changes):
    index = Heights(heights)
    values = list(heights)
    for position, height in changes:
        position %= len(values)
        index.set(position, height)
        values[position] = height
    tops = [0, *accumulate(values)]
    assert index.total == tops[-1]
    for block, top in enumerate(tops[:-1]):
        assert index.top(block) == top
        assert index[block] == values[block]
        # Every line of the block, first and last, is found in it.
        assert index.index_at(top) == block
        assert index.index_at(top + values[block] - 1) == block
