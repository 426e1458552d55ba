"""Agreement checked against published worked examples, the `krippendorff` package and values
worked by hand, then on stores built to known values."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.analysis.agreement import (
    MIN_CARRIED,
    character_values,
    cohen_kappa,
    krippendorff_alpha,
    measure,
    nominal_alpha,
)
from tui.corpus import Corpus
from tui.store import Store


def test_cohen_kappa_of_the_textbook_example():
    # 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15 (Wikipedia,
    # "Cohen's kappa", first worked example): po = 0.7, pe = 0.5, kappa = 0.4.
    first = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.4)


def test_krippendorff_binary_example_two_observers():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A:
    # binary data, two observers, no missing data: alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha([a, b]) == pytest.approx(0.095, abs=5e-4)
    # Cohen's kappa of the same data, by hand: po = 0.6, pe = 0.2*0.4 + 0.8*0.6 = 0.56.
    assert cohen_kappa(a, b) == pytest.approx((0.6 - 0.56) / 0.44)


def test_krippendorff_nominal_example_with_missing_data():
    # Krippendorff (2011), section C: four observers, twelve units, missing values;
    # nominal alpha = 0.743.
    n = None
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha(rows) == pytest.approx(0.743, abs=5e-4)


def test_agreement_is_undefined_when_every_answer_is_the_same():
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None


def test_perfect_and_opposite_agreement():
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == pytest.approx(1.0)
    assert cohen_kappa([1, 0, 1, 0], [0, 1, 0, 1]) == pytest.approx(-1.0)


@pytest.fixture
def two_coders(tmp_path, make_corpus):
    """A document of 20 passages coded by two people to known counts, and one only Ann read."""
    text = "\n\n".join(f"Paragraphe numéro {i}." for i in range(20))
    root = make_corpus({"a.txt": text, "b.txt": "Seule Ann a lu ceci.\n\nEt ceci."})
    corpus = Corpus.open(root)
    store = Store(tmp_path / "store", annotator="ann")
    a, b = corpus.get("a"), corpus.get("b")
    ann = set(range(0, 10))  # Ann tags passages 0-9
    bob = set(range(5, 15))  # Bob tags 5-14: 5 in common, 5 each alone, 5 neither
    for index in ann:
        store.toggle_tag(a, a.passages[index], "risque")
    store.toggle_tag(b, b.passages[0], "risque")  # b: only Ann coded it, never a unit
    store.toggle_tag(a, a.passages[19], "rare")
    store.annotator = "bob"
    for index in bob:
        store.toggle_tag(a, a.passages[index], "risque")
    store.toggle_highlight(a, a.passages[18])
    yield corpus, store
    store.close()


def test_per_tag_agreement_over_the_passages_both_coded(two_coders):
    corpus, store = two_coders
    report = measure(corpus, store)
    assert report.annotators == ["ann", "bob"]
    assert report.documents == 1 and report.units == 20  # b.txt: only Ann coded it
    by_tag = {row.tag: row for row in report.tags}
    risk = by_tag["risque"]
    assert risk.carried == {"ann": 10, "bob": 10} and risk.both == 5
    # 20 units: 5 both, 5 Ann only, 5 Bob only, 5 neither: po = 0.5, pe = 0.5.
    assert risk.kappa == pytest.approx(0.0)
    assert risk.alpha == pytest.approx(cohen_kappa_alpha_small_sample(20, 0.0), abs=1e-9)
    rare = by_tag["rare"]
    assert rare.kappa is None and rare.alpha is None
    assert rare.note == f"too rare to judge: 1 passage carries it, {MIN_CARRIED} needed"


def cohen_kappa_alpha_small_sample(units: int, kappa_like: float) -> float:
    """Nominal alpha for two coders without missing data, from Scott's pi: with equal
    marginals here pi equals kappa, and alpha = 1 - (1 - pi) * (2n - 1) / (2n)."""
    n = units
    return 1 - (1 - kappa_like) * (2 * n - 1) / (2 * n)


def test_annotators_and_tags_can_be_chosen(two_coders):
    corpus, store = two_coders
    report = measure(corpus, store, annotators=["ann"], tags=["risque"])
    (row,) = report.tags
    assert row.note == "agreement needs two annotators"
    assert report.as_json()["tags"][0]["kappa"] is None


# Krippendorff's alpha computed by the `krippendorff` package (a test tool only), to check
# glose's own against values it did not compute.


def package_alpha(columns: list[tuple[int | None, ...]]) -> float | None:
    """Nominal alpha by the `krippendorff` package, units as columns; None when undefined."""
    import krippendorff
    import numpy

    if not columns:
        return None
    rows = numpy.array(
        [[numpy.nan if v is None else v for v in row] for row in zip(*columns, strict=True)],
        dtype=float,
    )
    try:
        with numpy.errstate(invalid="ignore", divide="ignore"):
            value = krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal")
    except ValueError:  # one value in the domain, or nothing coded twice
        return None
    return None if numpy.isnan(value) else float(value)


coding = st.one_of(st.none(), st.sampled_from([0, 1, 2]))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda coders: st.lists(st.tuples(*[coding] * coders), min_size=1, max_size=25)
    )
)
def test_nominal_alpha_equals_the_krippendorff_package(columns):
    mine = nominal_alpha(Counter(columns))
    theirs = package_alpha(columns)
    if theirs is None:
        assert mine is None
    else:
        assert mine == pytest.approx(theirs, abs=1e-9)


def characters_one_by_one(text: str, coders) -> list[tuple[int | None, ...]]:
    """Each character's values, found by looking at every character in turn."""
    return [
        tuple(
            None if spans is None else int(any(start <= i < end for start, end in spans))
            for spans in coders
        )
        for i, char in enumerate(text)
        if not char.isspace()
    ]


@st.composite
def coded_texts(draw):
    text = draw(st.text(alphabet="ab \n\u00a0é", min_size=0, max_size=40))
    place = st.integers(0, len(text))
    span = st.tuples(place, place).map(sorted).map(tuple)
    coder = st.one_of(st.none(), st.lists(span, max_size=4))
    return text, draw(st.lists(coder, min_size=2, max_size=4))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(coded_texts())
def test_character_alpha_equals_the_package_on_characters_taken_one_by_one(coded):
    text, coders = coded
    one_by_one = characters_one_by_one(text, coders)
    values = character_values(text, coders)
    assert values == Counter(one_by_one)
    theirs = package_alpha(one_by_one)
    mine = nominal_alpha(values)
    if theirs is None:
        assert mine is None
    else:
        assert mine == pytest.approx(theirs, abs=1e-9)


def test_character_alpha_worked_by_hand():
    # "abcd efgh": Ann codes abcd, Bob cd efgh. The space is no unit: 8 characters, valued
    # Ann 11110000 and Bob 00111111. Values n = 16, ones 10, zeros 6; each of the 6
    # disagreeing characters adds 1 to o(0,1): alpha = 1 - 15 * 6 / (6 * 10) = -0.5.
    values = character_values("abcd efgh", [[(0, 4)], [(2, 9)]])
    assert values == {(1, 0): 2, (1, 1): 2, (0, 1): 4}
    assert nominal_alpha(values) == pytest.approx(-0.5)


def test_character_alpha_of_krippendorffs_binary_example():
    # Krippendorff (2011), section A, as ten characters: observer A codes the 2nd and 9th,
    # B the 1st to 3rd and the 6th: alpha = 0.095. Spaces between them change nothing.
    text = "a b c d e f g h i j"
    at = [2 * i for i in range(10)]
    first = [(at[1], at[1] + 1), (at[8], at[8] + 1)]
    second = [(at[0], at[2] + 1), (at[5], at[5] + 1)]
    assert nominal_alpha(character_values(text, [first, second])) == pytest.approx(0.095, abs=5e-4)


def test_a_coder_who_did_not_code_the_text_is_missing_not_zero():
    values = character_values("abc", [[(0, 3)], [(0, 1)], None])
    assert values == {(1, 1, None): 1, (1, 0, None): 2}


PARAGRAPHS = "\n\n".join(f"Paragraphe numéro {i}, assez long." for i in range(8))


@pytest.fixture
def segments(tmp_path, make_corpus):
    """Ann tags passages 0-4 with risque; Bob codes a segment from the middle of passage 1 to
    the middle of passage 3, and one inside passage 6. Cleo coded only c.txt."""
    root = make_corpus({"a.txt": PARAGRAPHS, "c.txt": "Cleo seule.\n\nRien d'autre."})
    corpus = Corpus.open(root)
    store = Store(tmp_path / "store", annotator="ann")
    a = corpus.get("a")
    passages = a.passages
    for index in range(5):
        store.tag_passage(a, passages[index], "risque")
    store.annotator = "bob"
    middle = [(p.start + p.end) // 2 for p in passages]
    store.tag_span(a, passages, middle[1], middle[3], "risque")
    store.tag_span(a, passages, passages[6].start, passages[6].start + 10, "risque")
    store.annotator = "cleo"
    c = corpus.get("c")
    store.tag_passage(c, c.passages[0], "risque")
    yield corpus, store
    store.close()


def test_a_segment_gives_its_tags_to_every_passage_it_overlaps(segments):
    corpus, store = segments
    report = measure(corpus, store, ["ann", "bob"])
    (risk,) = report.tags
    assert report.unit == "passage" and report.units == 8
    # Bob's first segment overlaps passages 1, 2 and 3; his second lies in passage 6.
    assert risk.carried == {"ann": 5, "bob": 4} and risk.both == 3
    first = [int(i < 5) for i in range(8)]
    second = [int(i in (1, 2, 3, 6)) for i in range(8)]
    assert risk.kappa == pytest.approx(cohen_kappa(first, second))
    assert risk.alpha == pytest.approx(package_alpha(list(zip(first, second, strict=True))))


def test_agreement_over_characters_with_segments_and_passage_tags(segments):
    corpus, store = segments
    a = corpus.get("a")
    report = measure(corpus, store, ["ann", "bob"], unit="character")
    assert report.as_json()["unit"] == "character"
    (risk,) = report.tags
    passages = a.passages
    ann = [(p.start, p.end) for p in passages[:5]]
    bob = [s for s in ((h.start, h.end) for h in store.highlights("a"))]
    one_by_one = characters_one_by_one(a.text, [ann, bob])
    assert report.documents == 1 and report.units == len(one_by_one) == risk.units
    assert risk.carried == {
        "ann": sum(v[0] for v in one_by_one),
        "bob": sum(v[1] for v in one_by_one),
    }
    assert risk.both == sum(1 for v in one_by_one if v == (1, 1))
    assert risk.kappa is None and risk.note == ""
    assert risk.alpha == pytest.approx(package_alpha(one_by_one))


def test_characters_of_documents_one_annotator_coded_are_missing(segments):
    corpus, store = segments
    everyone = measure(corpus, store, unit="character")
    assert everyone.annotators == ["ann", "bob", "cleo"]
    assert everyone.documents == 1  # c.txt: only Cleo coded it
    (risk,) = everyone.tags
    assert risk.carried["cleo"] == 0
    two = measure(corpus, store, ["ann", "bob"], unit="character").tags[0]
    assert risk.alpha == pytest.approx(two.alpha)  # Cleo's values are missing, not zeros


def test_a_tag_on_few_passages_and_segments_is_too_rare_over_characters(segments):
    corpus, store = segments
    a = corpus.get("a")
    store.annotator = "ann"
    store.tag_span(a, a.passages, 0, 5, "rare")
    by_tag = {row.tag: row for row in measure(corpus, store, unit="character").tags}
    assert by_tag["rare"].alpha is None
    assert by_tag["rare"].note == (
        f"too rare to judge: 1 passage or segment carries it, {MIN_CARRIED} needed"
    )
