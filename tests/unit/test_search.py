"""Search folding, offsets back into the text, the corpus index and its saved copy."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import saved_long_after, text_document
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.folding import find_in, fold_text
from tui.corpus.search import (
    INDEX_FILE,
    QueryError,
    SearchIndex,
    fold_query,
    snippet,
)


def matches(text: str, query: str) -> list[str]:
    return [text[start:end] for start, end in find_in(fold_text(text), fold_query(query))]


@pytest.mark.parametrize(
    ("query", "text", "found"),
    [
        ("securite", "La sécurité, la SÉCURITÉ.", ["sécurité", "SÉCURITÉ"]),
        ("SÉCURITÉ", "securite", ["securite"]),
        ("l'ia", "l’IA et l'IA", ["l’IA", "l'IA"]),  # typed apostrophe finds the curly one
        ("ia :", "l’IA\u202f: oui", ["IA\u202f:"]),  # French narrow no-break space
        ("intelligence artificielle", "intelligence\nartificielle", ["intelligence\nartificielle"]),
        ("  open   source ", "open source", ["open source"]),  # spaces in a query run together
        ("ete", "e\u0301te\u0301", ["e\u0301te\u0301"]),  # decomposed accents, marks included
        ("strasse", "Straße", ["Straße"]),  # ß folds to two letters
        ("s", "ß", ["ß"]),  # a match inside an expansion takes the whole character
        ("fin", "ﬁn", ["ﬁn"]),
        ("oeuvre", "Œuvre, œuvre", ["Œuvre", "œuvre"]),
        ("ss", "sßß", ["sß", "ß"]),  # after a match inside an expansion, the next is found
        (
            "intelligence artificielle",
            "intelligence\n\nartificielle",
            ["intelligence\n\nartificielle"],
        ),
        ("fin. puis", "fin.  Puis", ["fin.  Puis"]),  # a run of spaces is one space
        (
            "securite",
            "sécu\u00adrité",
            ["sécu\u00adrité"],
        ),  # a soft hyphen is invisible  # as typed on most keyboards
        ("œuvre", "OEUVRE", ["OEUVRE"]),
        ("o", "œ", ["œ"]),
        ('"ouverte"', "l’IA “ouverte”", ["“ouverte”"]),  # typed quotes find the curly ones
        ("2023-2024", "2023–2024 et 2023—2024", ["2023–2024", "2023—2024"]),  # dashes as typed
    ],
)
def test_folding_finds_what_a_reader_means(query, text, found):
    assert matches(text, query) == found


def test_french_press_text_folds_to_one_byte_a_character(seeds):
    # Curly quotes, dashes, « » and accents all fold within Latin-1: CPython then keeps the
    # folded corpus at one byte a character, half of what the text itself takes.
    for path in sorted(seeds.glob("*.txt")):
        folded = fold_text(path.read_text("utf-8")).text
        assert max(map(ord, folded)) <= 0xFF, path.name


@settings(max_examples=300, deadline=None)
@given(st.text("abAB ", max_size=40), st.text("abAB", min_size=1, max_size=3))
def test_no_match_is_missed_in_plain_text(text, query):
    # Without expansions or runs of spaces, every occurrence (left to right, not overlapping)
    # of the query in the lower-cased text is a match, and nothing else is.
    text = " ".join(text.split(" "))
    expected, at = [], text.lower().find(query.lower())
    while at >= 0:
        expected.append((at, at + len(query)))
        at = text.lower().find(query.lower(), at + len(query))
    if "  " not in text:
        assert list(find_in(fold_text(text), fold_query(query))) == expected


def test_matches_do_not_overlap_and_are_in_order():
    assert list(find_in(fold_text("aaaa"), "aa")) == [(0, 2), (2, 4)]


@pytest.mark.parametrize("query", ["", "   ", "\x1b\x07", "x" * 201])
def test_queries_that_are_refused(query):
    with pytest.raises(QueryError):
        fold_query(query)


def test_control_characters_are_taken_out_of_a_query():
    assert fold_query("sé\x1b[31mcu") == "se[31mcu"


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=4),
)
def test_every_match_is_text_whose_fold_is_the_query(text, query):
    try:
        wanted = fold_query(query)
    except QueryError:
        return
    folded = fold_text(text)
    previous_end = 0
    for start, end in find_in(folded, wanted):
        assert 0 <= previous_end <= start < end <= len(text)
        # What was found folds to text holding the query: more only where a character folds
        # to several (`s` finds the whole `ß`) or marks ride along.
        found = fold_text(text[start:end]).text
        assert wanted in found
        assert wanted not in fold_text(text[start + 1 : end]).text  # it starts where it must
        previous_end = end


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_offsets_map_back_in_order_and_end_at_the_text_end(text):
    folded = fold_text(text)
    originals = [folded.original(i) for i in range(len(folded.text) + 1)]
    assert originals == sorted(originals)
    assert originals[-1] == len(text)
    assert all(0 <= o <= len(text) for o in originals)


def test_a_word_of_the_text_is_always_found_where_it_is():
    text = "Ça commence à Zürich; ÉTÉ indien, straße. Fin."
    for start, end in [(0, 2), (14, 20), (22, 25), (34, 40)]:
        assert (start, end) in list(find_in(fold_text(text), fold_query(text[start:end])))


def test_snippet_cuts_at_words_and_keeps_to_one_line():
    text = "un deux trois quatre\ncinq six sept huit neuf dix onze douze"
    before, match, after = snippet(text, text.index("six"), text.index("six") + 3, context=12)
    assert match == "six"
    assert before == "…cinq "
    assert after == " sept huit…"
    assert "\n" not in before + after


def seeds_corpus(seeds: Path) -> Corpus:
    return Corpus.open(seeds)


def test_corpus_search_counts_every_match_and_lists_up_to_the_limit(seeds):
    corpus = seeds_corpus(seeds)
    index, _ = SearchIndex.build(corpus.documents)
    results = index.search("securite")
    assert (results.total, results.documents) == (9, 5)
    passages = index.search("securite", each_match=False)
    assert (passages.total, passages.documents) == (8, 5)  # one passage holds two
    assert all(
        unicodedata.normalize("NFC", h.document.text[h.start : h.end]).lower() == "sécurité"
        for h in results.hits
    )
    limited = index.search("securite", limit=3)
    assert (len(limited.hits), limited.total) == (3, 8)  # past the limit, passages counted
    first = corpus.documents[0]
    skipped = index.search("securite", skip=first)
    assert skipped.total == 9 - 2 and all(h.document is not first for h in skipped.hits)
    assert index.search("zzzz").total == 0


def test_no_match_spans_two_documents():
    documents = [text_document("a", "fin de a"), text_document("b", "b commence")]
    index, _ = SearchIndex.build(documents)
    assert index.search('"a b"').total == 0
    assert index.search('"fin de a"').total == 1


def test_the_saved_index_is_reused_and_reindexes_only_what_changed(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "La sécurité.", "b.txt": "Rien ici.", "c.md": "# Sécurité"})
    store = tmp_path / "store"
    store.mkdir()
    _, first = SearchIndex.build(Corpus.open(root).documents, store)
    assert (first.folded, first.reused, first.saved) == (3, 0, True)
    assert (store / INDEX_FILE).exists()
    saved_long_after(store / INDEX_FILE)

    _, again = SearchIndex.build(Corpus.open(root).documents, store)
    assert (again.folded, again.reused) == (0, 3)

    (root / "b.txt").write_text("Une sécurité de plus.", encoding="utf-8")
    os.utime(root / "b.txt", ns=(1, 1))  # a new time even on a coarse clock
    before = (root / "a.txt").stat()
    (root / "a.txt").write_text("La sûreté!!!", encoding="utf-8")  # same size, same time
    os.utime(root / "a.txt", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (root / "a.txt").stat().st_size == before.st_size
    changed, refresh = SearchIndex.build(Corpus.open(root).documents, store)
    assert (refresh.folded, refresh.reused, refresh.saved) == (2, 1, True)
    assert changed.search("securite").total == 2  # b's and c's: a's is gone

    (root / "c.md").unlink()
    gone, refresh = SearchIndex.build(Corpus.open(root).documents, store)
    assert refresh.saved and gone.search("securite").total == 1


def test_an_index_that_cannot_be_saved_still_searches(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "La sécurité."})
    index, refresh = SearchIndex.build(Corpus.open(root).documents, tmp_path / "missing")
    assert not refresh.saved
    assert index.search("SECURITE").total == 1


def test_replace_swaps_in_a_reloaded_document(seeds):
    corpus = seeds_corpus(seeds)
    index, _ = SearchIndex.build(corpus.documents)
    first = corpus.documents[0]
    fresh = text_document(first.id, "Nouvelle sécurité.", first.relpath)
    replaced = index.replace(fresh)
    assert replaced.search("securite").total == 9 - 2 + 1
    assert any(hit.document is fresh for hit in replaced.search("securite").hits)


def test_a_lone_carriage_return_cannot_write_over_a_line_on_a_terminal():
    from tui.text import terminal_safe

    assert terminal_safe("a\r\nb\rc\x1b[2J\td") == "a\r\nb␍c␛[2J\td"


def test_sidebar_counts_of_highlights_and_notes_follow_every_change(tmp_path, seeds):
    from tui.store import Store

    corpus = Corpus.open(seeds)
    document = corpus.documents[0]
    passages = document.passages
    with Store(tmp_path / "store") as store:

        def agree() -> None:
            assert store.mark_counts() == (len(store.highlighted()), len(store.noted()))

        agree()
        store.toggle_highlight(document, passages[1], "green")
        store.set_passage_note(document, passages[1], "Une note.")
        store.add_highlight(document, passages, passages[2].start, passages[2].start + 5, "blue")
        agree()
        assert store.mark_counts() == (2, 1)
        (span,) = store.highlights()
        store.set_note(span, "Sur les mots.")
        store.set_passage_note(document, passages[1], "")
        agree()
        store.toggle_highlight(document, passages[1], "green")
        store.delete(store.highlights()[0])
        agree()
        assert store.mark_counts() == (0, 0)


@settings(max_examples=300, deadline=None)
@given(st.text("aB é\n\t\u00a0", max_size=50))
def test_the_quick_way_with_runs_of_spaces_maps_offsets_as_the_slow_way(text):
    # A trailing ß sends the same text down the character-by-character way.
    quick, slow = fold_text(text), fold_text(text + "ß")
    assert slow.text == quick.text + "ss"
    assert [quick.original(i) for i in range(len(quick.text) + 1)] == [
        slow.original(i) for i in range(len(quick.text) + 1)
    ]


@settings(max_examples=300, deadline=None)
@given(st.text("aB é\n\t\u00a0", max_size=60), st.integers(1, 7))
def test_folding_by_slices_maps_offsets_as_folding_whole(text, slice_length):
    whole = fold_text(text + "ß")  # the character-by-character way, never sliced
    with mock.patch("tui.corpus.folding.FOLD_SLICE", slice_length):
        sliced = fold_text(text)
    assert sliced.text + "ss" == whole.text
    assert [sliced.original(i) for i in range(len(sliced.text) + 1)] == [
        whole.original(i) for i in range(len(sliced.text) + 1)
    ]


def test_files_the_saved_index_vouches_for_by_their_times_are_not_read(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "La sécurité.", "b.txt": "Rien ici.", "c.md": "# Sécurité"})
    store = tmp_path / "store"
    store.mkdir()
    SearchIndex.build(Corpus.open(root).documents, store)
    saved_long_after(store / INDEX_FILE)
    documents = Corpus.open(root, Catalog()).documents
    index, refresh = SearchIndex.build(documents, store)
    assert (refresh.folded, refresh.reused) == (0, 3)
    assert not any(document.is_read for document in documents), "known by size, times, inode"
    assert index.search("securite", limit=0).total == 2
    (root / "b.txt").write_text("Une sécurité de plus.", encoding="utf-8")  # a new version
    documents = Corpus.open(root, Catalog()).documents
    index, refresh = SearchIndex.build(documents, store)
    assert refresh.folded == 1 and index.search("securite").total == 3


def test_a_file_changed_after_listing_is_indexed_again_once_read(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "La sécurité.", "b.txt": "Rien ici."})
    store = tmp_path / "store"
    store.mkdir()
    SearchIndex.build(Corpus.open(root).documents, store)
    saved_long_after(store / INDEX_FILE)
    # Listed (not read), then changed on disk before the index is used: the saved index still
    # vouches for the version listed.
    corpus = Corpus.open(root, Catalog.load(store))
    (root / "b.txt").write_text("Un ornithorynque, enfin.", encoding="utf-8")
    index, refresh = SearchIndex.build(corpus.documents, store, save=False)
    assert refresh.folded == 0 and index.stale() == []
    b = corpus.get("b")
    assert "ornithorynque" in b.text  # read now, at its new version
    assert index.stale() == [b]
    refolded = index.refolded(index.stale())
    assert refolded.stale() == []
    hit = refolded.search("ornithorynque").hits[0]
    assert hit.document is b and b.text[hit.start : hit.end] == "ornithorynque"
