"""n and N over a search's matches in one article, without a terminal: stepping, going round,
windows of marks moved on, and a text without a match."""

from __future__ import annotations

from tui.corpus.folding import fold_text
from tui.corpus.matches import Matches
from tui.corpus.search import fold_query

TEXT = " ".join(f"Phrase {n} sur la sécurité." for n in range(5))


def matches(text: str = TEXT, query: str = "securite", size: int | None = None) -> Matches:
    return Matches(fold_text(text), fold_query(query), query, size)


def on_current(found: Matches) -> tuple[int, int]:
    """A passage holding the current match: the reader stayed on it."""
    span = found.current_span
    assert span is not None
    return span


def test_the_first_match_from_the_top_then_each_one_forward_and_round_to_the_top():
    found = matches()
    found.mark_from(0)
    found.choose_first()
    assert (found.number, found.count) == (1, 5)
    seen = [on_current(found)]
    for _ in range(4):
        assert found.step(+1, on_current(found)) is None
        seen.append(on_current(found))
    assert [TEXT[a:b] for a, b in seen] == ["sécurité"] * 5
    assert seen == sorted(seen) and found.number == 5
    assert found.step(+1, on_current(found)) == "top"
    assert found.number == 1 and on_current(found) == seen[0]


def test_stepping_back_goes_round_to_the_end():
    found = matches()
    found.mark_from(0)
    found.choose_first()
    assert found.step(-1, on_current(found)) == "end"
    assert found.number == 5
    assert found.step(-1, on_current(found)) is None
    assert found.number == 4


def test_a_reader_moved_away_steps_from_where_it_now_is():
    found = matches()
    found.mark_from(0)
    found.choose_first()
    third = TEXT.index("Phrase 3")
    assert found.step(+1, (third, third + 10)) is None
    assert found.number == 4, "the first match at or after the passage"
    assert found.step(-1, (third, third + 10)) is None
    assert found.number == 3, "the last match before the passage"
    assert found.step(-1, (0, 5)) == "end", "before every match: round to the last"
    assert found.number == 5


def test_choosing_the_first_from_past_every_match_goes_round_to_the_first():
    found = matches()
    found.mark_from(len(TEXT))
    assert len(found.marked) == 5 and found.start == 5, "all marked, none after"
    found.choose_first()
    assert found.number == 1 and found.count == 5


def test_few_matches_are_all_marked_from_anywhere_and_the_next_one_is_current():
    # The reader in the middle: the matches above it are marked too, and nothing says that
    # only some of them are.
    found = matches()
    third = TEXT.index("Phrase 3")
    found.mark_from(third)
    assert len(found.marked) == 5 and not found.windowed and found.before == 0
    found.choose_first()
    assert found.number == 4
    found.mark_before(third)
    assert len(found.marked) == 5 and not found.windowed
    assert found.step(-1, (third, third + 10)) is None and found.number == 3


def test_windows_of_marks_move_on_and_every_match_is_reached():
    found = matches(size=2)
    found.mark_from(0)
    assert found.windowed and found.more and len(found.marked) == 2
    found.choose_first()
    numbers = [found.number]
    for _ in range(4):
        assert found.step(+1, on_current(found)) is None
        assert len(found.marked) <= 2
        numbers.append(found.number)
    assert numbers == [1, 2, 3, 4, 5]
    assert not found.more and found.before == 4, "the last window holds the last match"
    assert found.step(+1, on_current(found)) == "top"
    assert found.number == 1 and found.before == 0
    back = []
    for _ in range(5):
        found.step(-1, on_current(found))
        back.append(found.number)
    assert back == [5, 4, 3, 2, 1]


def test_the_window_before_a_place_counts_what_comes_ahead_of_it():
    found = matches(size=2)
    found.mark_before(TEXT.index("Phrase 4"))
    assert [TEXT[a:b] for a, b in found.marked] == ["sécurité", "sécurité"]
    assert (found.before, found.more) == (2, True)
    found.mark_from(TEXT.index("Phrase 2"))
    assert found.before == 2 and found.marked[0][0] > TEXT.index("Phrase 2")


def test_a_text_without_a_match_has_nothing_to_mark():
    found = matches(query="ornithorynque")
    found.mark_from(0)
    found.choose_first()
    assert found.marked == [] and found.count == 0 and found.total == 0
    assert found.number is None and found.current_span is None and not found.windowed
