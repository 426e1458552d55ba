"""The search language: each operator, folding, whole words, regular expressions, filters on
annotations, malformed queries, and the FTS5 expression that narrows passages beforehand."""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui.corpus.folding import fold_text
from tui.corpus.query import QUERY_MAX, QueryError, is_word_char, parse
from tui.store.model import Highlight, PassageAnnotation

PASSAGE = (
    "ChatGPT, Bard et Claude sont depuis des mois les leaders incontestés du segment des "
    "chatbots à intelligence artificielle. C’est précisément ce contre quoi des entreprises "
    "comme Meta et IBM veulent lutter : « The AI Alliance », pour la SÉCURITÉ de l’IA."
)


def found(query: str, text: str = PASSAGE, **options: bool) -> list[str] | None:
    """The folded pieces of `text` the query shows, or None when it does not match."""
    folded = fold_text(text).text
    spans = parse(query, **options).spans(folded)
    return None if spans is None else [folded[start:end] for start, end in spans]


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("securite", ["securite"]),  # accents and case folded
        ("SÉCURITÉ chatbots", ["chatbots", "securite"]),  # all words, in any order
        ("l'IA", ["l'ia"]),  # the typed apostrophe finds the curly one
        ("secur", ["secur"]),  # a word finds the words it begins
        ("curite", None),  # but not the middle of a word
        ('"intelligence artificielle"', ["intelligence artificielle"]),
        ('"artificielle intelligence"', None),  # a phrase keeps its order
        ("«the ai alliance»", ["the ai alliance"]),  # French quotes make a phrase too
        ("incontest*", ["incontest"]),
        ("chatbots -meta", None),
        ("chatbots -nvidia", ["chatbots"]),
        ('chatbots -"contre quoi"', None),  # a phrase left out
        ("nvidia OR meta", ["meta"]),
        ("chatbots nvidia OR ibm", ["chatbots", "ibm"]),  # OR binds tighter than the space
        ("(nvidia OR google) chatbots", None),
        ("-(nvidia google) chatbots", ["chatbots"]),
        ("oeuvre OR securite", ["securite"]),
    ],
)
def test_each_operator(query, shown):
    assert found(query) == shown


def test_without_whole_word_a_word_finds_the_words_it_begins():
    assert found("the", "These are the words.") == ["the", "the"]


def test_with_whole_word_the_does_not_find_these():
    assert found("the", "These are the words.", whole_word=True) == ["the"]
    assert found("the*", "These are the words.", whole_word=True) == ["the", "the"]
    assert found("secur", whole_word=True) is None
    assert found("l'ia", whole_word=True) == ["l'ia"]


def test_spans_are_sorted_and_merged():
    assert found("intel OR intelligence", "intelligence") == ["intelligence"]
    assert parse("b a").spans("a b a") == [(0, 1), (2, 3), (4, 5)]


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ('"securite', 'Unclosed quote: «"securite».'),
        (") a", "A parenthesis closes none opened: «) a»."),
        ("tag:", "tag: needs a tag name."),
        ("note:", "note: needs a word."),
        ("annotator:", "annotator: needs a name."),
        ("OR securite", "OR needs words on both sides."),
        ("securite OR", "OR needs words on both sides."),
        ("a OR OR b", "OR needs words on both sides."),
        ("-x", "-x alone finds nothing: add words to search for."),
        ("-x -y", "-x -y alone finds nothing: add words to search for."),
        ("(a", "Unclosed parenthesis: «(a»."),
        ("()", "Empty parentheses: put words inside them."),
        ("   ", "Type something to search for."),
        ("x" * (QUERY_MAX + 1), f"A search is at most {QUERY_MAX} characters."),
        ("-tag:x a", "tag: cannot be left out with -."),
        ("tag:x OR a", "tag: cannot be on a side of OR."),
        ("(tag:x a)", "tag: narrows the whole search: it cannot be in parentheses."),
    ],
)
def test_a_malformed_query_gets_one_sentence(query, said):
    with pytest.raises(QueryError) as raised:
        parse(query)
    assert str(raised.value) == said


def test_operators_are_words_where_they_cannot_be_operators():
    assert found("or", "Or donc") == ["or"]  # only OR in capitals is the operator
    assert found("a - b", "a - b") == ["a", "-", "b"]  # a lone dash is a dash
    assert found("f(x)", "soit f(x) = 1") == ["f(x)"]
    assert found("anti-virus", "un anti‑virus") == ["anti-virus"]  # non-breaking hyphen


def test_a_regular_expression_runs_on_folded_text():
    assert found(r"s[ée]curit\w", regex=True) == ["securite"]  # its accents folded too
    assert found(r"l’ia\b", regex=True) == ["l'ia"]
    assert found("ChatGPT|IBM", regex=True) == ["chatgpt", "ibm"]  # case ignored
    assert found("nvidia", regex=True) is None
    with pytest.raises(QueryError, match=r"^The regular expression is not valid: missing \)"):
        parse("(a", regex=True)


def test_a_regular_expression_that_backtracks_for_ever_is_given_up():
    query = parse(r"(a|aa)+$", regex=True)
    began = time.monotonic()
    assert query.spans("a" * 60 + "!") is None
    assert query.gave_up
    assert query.spans("a") is None  # and the rest of the search with it
    assert time.monotonic() - began < 5


def test_filters_are_kept_apart_from_the_words():
    query = parse('sécurité tag:"mots clés" tag:politique note:Bob annotator:alice')
    assert query.filters.tags == ("mots clés", "politique")
    assert query.filters.notes == ("bob",)
    assert query.filters.annotators == ("alice",)
    assert query.spans(fold_text("la sécurité").text) == [(3, 11)]
    assert parse("tag:x").spans("anything") == []  # filters alone: every passage is a candidate


def _passage(tags: list[str], note: str = "", annotator: str = "alice", **at: int):
    place = {"start": 0, "end": 10, "passage": 0} | at
    return PassageAnnotation(
        document="d", sha256="", quote="", tags=tags, note=note, annotator=annotator, **place
    )


def test_wanted_passages_follow_tags_and_their_levels_notes_and_annotators():
    under = _passage(["Politique/Régulation"], passage=1, start=10, end=20)
    other = _passage(["politiques"], passage=2, start=20, end=30)
    noted = _passage([], note="Une note de Bob sur l’IA.", annotator="bob", passage=3, start=30)
    orphan = _passage(["politique"], passage=4, start=40, end=50)
    orphan.status = "orphan"
    segment = Highlight(
        document="d", sha256="", quote="", start=5, end=25, passage=0, last_passage=2,
        tags=["politique"], annotator="alice", id=7,
    )  # fmt: skip
    everything = [under, other, noted, orphan, segment]

    def wanted(query: str) -> list[tuple[int, int, int | None]]:
        places = parse(query).wanted_passages(everything)
        return [(place.start, place.passage, place.segment) for place in places]

    assert wanted("tag:politique") == [(5, 0, 7), (10, 1, None)]  # not `politiques`, nor orphans
    assert wanted("tag:POLITIQUE/regulation") == [(10, 1, None)]
    assert wanted("tag:politique/regulation tag:politique") == [(10, 1, None)]
    assert wanted("note:l'ia") == [(30, 3, None)]
    assert wanted("note:bo") == [(30, 3, None)]
    assert parse("note:bo", whole_word=True).wanted_passages(everything) == []
    assert wanted("annotator:Bob") == [(30, 3, None)]
    assert wanted("annotator:bob tag:politique") == []
    assert wanted("annotator:bob annotator:alice tag:politique") == [(5, 0, 7), (10, 1, None)]
    assert parse("securite").wanted_passages(everything) == []  # no filter, no place
    segment_place = parse("tag:politique").wanted_passages([segment])[0]
    assert (segment_place.passage, segment_place.last_passage) == (0, 2)


def test_fts_match_says_what_an_index_can_narrow_by():
    assert parse("sécurité l’IA").fts_match() == '("securite"* AND "l\'ia"*)'
    assert parse("the", whole_word=True).fts_match() == '"the"'
    assert parse('"a ""b"').fts_match() == '("a"* AND "b"*)'
    assert parse('x OR "y z"').fts_match() == '("x"* OR "y z"*)'
    assert parse("x -y").fts_match() == '"x"*'  # what is left out is decided passage by passage
    assert parse("x OR ω").fts_match() == '("x"* OR "ω"*)'  # Greek is looked up too
    assert parse("x OR 🏱").fts_match() is None  # not sure to be split as SQLite splits it
    assert parse("x 🏱").fts_match() == '"x"*'
    assert parse("tag:x").fts_match() is None
    assert parse("x", regex=True).fts_match() is None


# Properties

_LETTERS = "aeiouèstrnlhABCÉßœﬁωΩ1٣'’-“”«»()*:. ,;\u00a0\u00ad\ue000\n🏱"
_small_texts = st.text(st.sampled_from(_LETTERS), max_size=40)
_words = st.sampled_from(
    ["a", "e", "as", "se", "ta", "l'a", "ss", "oe", "ω", "1", "t*", "-", "(", ")", "é", "st*"]
)


@st.composite
def _queries(draw: st.DrawFn) -> str:
    parts = draw(st.lists(_words, min_size=1, max_size=5))
    for index in range(len(parts)):
        shape = draw(st.sampled_from(["", "-", "OR", '"', "()"]))
        if shape == "-":
            parts[index] = "-" + parts[index]
        elif shape == "OR" and index:
            parts[index] = "OR " + parts[index]
        elif shape == '"':
            parts[index] = '"' + parts[index] + " " + draw(_words) + '"'
        elif shape == "()":
            parts[index] = "(" + parts[index] + " OR " + draw(_words) + ")"
    return " ".join(parts)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.booleans(), st.booleans())
def test_parse_raises_nothing_but_query_error(text, regex, whole_word):
    try:
        query = parse(text, regex=regex, whole_word=whole_word)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
        return
    folded = fold_text(text).text
    spans = query.spans(folded)
    if spans:
        assert all(0 <= start < end <= len(folded) for start, end in spans)
        assert all(a[1] <= b[0] for a, b in pairwise(spans))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80), st.data(), st.booleans())
def test_words_taken_from_a_passage_match_it(text, data, whole_word):
    folded = fold_text(text).text
    words = [w for w in "".join(c if is_word_char(c) else " " for c in folded).split()]
    words = [w for w in words if w != "or"]
    if not words:
        return
    chosen = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=4))
    query = parse(" ".join(chosen), whole_word=whole_word)
    spans = query.spans(folded)
    assert spans
    assert all(0 <= start < end <= len(folded) for start, end in spans)


@pytest.fixture(scope="module")
def fts():
    database = sqlite3.connect(":memory:")
    database.execute(
        'CREATE VIRTUAL TABLE t USING fts5(x, tokenize="unicode61 remove_diacritics 2")'
    )
    yield database
    database.close()


@settings(max_examples=150, deadline=None)
@given(st.one_of(_queries(), st.text(max_size=40)), _small_texts, st.booleans())
@example("0", "0🏱", True)  # a symbol newer than SQLite's Unicode tables is part of a word there
def test_fts_match_is_accepted_and_never_leaves_out_a_match(fts, query, text, whole_word):
    try:
        parsed = parse(query, whole_word=whole_word)
    except QueryError:
        return
    expression = parsed.fts_match()
    if expression is None:
        return
    folded = fold_text(text).text
    fts.execute("DELETE FROM t")
    fts.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (folded,))
    kept = fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    if parsed.spans(folded) is not None:
        assert kept == [(1,)], (folded, expression)


_SCRIPTS = "aeosASΣσςάέΆΈΐαβγδεωΩЖжЁёйЙиИ1٣ßœøØłŁıİ'’- ,.\u00ad\n"
_script_words = st.text(st.sampled_from(_SCRIPTS.replace(" ", "")), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.lists(_script_words, min_size=1, max_size=3), st.text(st.sampled_from(_SCRIPTS)))
def test_the_index_finds_every_passage_of_words_in_other_scripts(fts, words, text):
    """Greek and Cyrillic words are looked up in the index as the index is written (each
    paragraph through `index_words`): it must never leave out a passage the query finds."""
    from tui.corpus.search import index_words

    try:
        parsed = parse(" ".join(words))
    except QueryError:
        return
    expression = parsed.fts_match()
    if expression is None:
        return
    fts.execute("DELETE FROM t")
    fts.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (index_words(text),))
    kept = fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    if parsed.spans(fold_text(text).text) is not None:
        assert kept == [(1,)], (text, expression)


def test_every_letter_typed_is_found_through_the_index_where_the_reader_finds_it(fts):
    """Each letter and digit of the scripts before U+3000, capital in the text and typed as
    a query: the index looks it up (or leaves it to reading) and never misses the passage."""
    from tui.corpus.search import index_words

    looked_up = 0
    for code in range(0x80, 0x3000):
        char = chr(code)
        if unicodedata.category(char)[0] not in "LN":
            continue
        try:
            parsed = parse(char)
        except QueryError:
            continue
        expression = parsed.fts_match()
        if expression is None:
            continue
        text = f"{char.upper()}x {char}"
        fts.execute("DELETE FROM t")
        fts.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (index_words(text),))
        kept = fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
        looked_up += 1
        if parsed.spans(fold_text(text).text) is not None:
            assert kept == [(1,)], (hex(code), expression)
    assert looked_up > 4000, "Greek, Cyrillic and the rest are looked up in the index"


def test_find_gives_original_spans_in_the_passages_the_filters_keep():
    from tests.helpers import text_document

    document = text_document("d", "Première phrase sur l’IA.\n\nDeuxième sur la Sécurité.\n\nFin.")
    passages = document.passages
    folded = [fold_text(p.text) for p in passages]
    assert parse("sur").find(passages, folded) == [(16, 19), (36, 39)]
    kept = [(passages[1].start, passages[1].end)]
    assert parse("sur tag:x").find(passages, folded, kept) == [(36, 39)]
    assert parse("tag:x").find(passages, folded, kept) == kept  # the places themselves
    whole = [(p.start, p.end) for p in passages[1:3]]
    assert parse("-securite tag:x").find(passages, folded, whole) == whole[1:]  # shown whole
    assert document.text[slice(*parse("l'ia").find(passages, folded)[0])] == "l’IA"


def test_matches_of_spans_step_through_them_and_count_those_before():
    from tui.corpus.matches import Matches

    found = Matches.of_spans([(0, 2), (5, 7), (9, 12)], "q", size=2)
    found.mark_from(4)
    assert (found.marked, found.before, found.more) == ([(5, 7), (9, 12)], 1, False)
    found.choose_first()
    assert found.number == 2 and found.count == 3
    assert found.step(+1, (5, 7)) is None and found.current_span == (9, 12)
    assert found.step(+1, (9, 12)) == "top" and found.current_span == (0, 2)
