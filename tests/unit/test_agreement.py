"""Agreement checked against published worked examples, then on a store built to known values."""

from __future__ import annotations

import pytest

from tui.analysis.agreement import MIN_CARRIED, cohen_kappa, krippendorff_alpha, measure
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
