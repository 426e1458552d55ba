"""Re-anchoring: the words followed through edits, never pinned to words that do not match."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.anchoring import FUZZY_QUOTE, count_occurrences, describe, reanchor
from tui.corpus import Corpus

WORDS = st.sampled_from(
    ["Meta", "IBM", "l’alliance", "ouverte", "sécurité", "de", "la", "IA", "modèles", "et", "50"]
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_every_status(seeds):
    text = Corpus.open(seeds).get("002_c25bee6c01f21316").text
    start = text.index("une coalition internationale")
    selector = describe(text, start, start + 56, sha(text))
    quote = selector.exact
    assert (
        selector.prefix == text[start - 32 : start] and selector.suffix == text[start + 56 :][:32]
    )
    cases = {
        "exact": text,
        "moved": "Une phrase ajoutée en tête. " + text,
        "fuzzy": text.replace("50 organisations", "cinquante organisations"),
        "orphan": text.replace(quote, "un groupe"),
    }
    for status, new in cases.items():
        anchor = reanchor(new, sha(new), selector)
        assert anchor.status == status, status
    moved = reanchor(cases["moved"], sha(cases["moved"]), selector)
    assert moved.quote(cases["moved"]) == quote
    fuzzy = reanchor(cases["fuzzy"], sha(cases["fuzzy"]), selector)
    assert (
        fuzzy.quote(cases["fuzzy"])
        == "une coalition internationale de plus de cinquante organisations"
    )


def test_repeated_words_follow_their_own_context(seeds):
    text = "Le groupe IBM a parlé. Puis le groupe Meta a parlé. Enfin le groupe IBM a parlé."
    second = text.index("groupe", text.index("Meta") - 10)
    selector = describe(text, second, second + 6, sha(text))
    assert selector.occurrences == 3
    new = "Introduction. " + text
    anchor = reanchor(new, sha(new), selector)
    assert anchor.status == "moved" and anchor.start == second + len("Introduction. ")
    gone = text.replace("Puis le groupe Meta a parlé. ", "")
    assert reanchor(gone, sha(gone), selector).status == "orphan", "never a twin elsewhere"


def test_a_line_printed_twice_never_gives_its_twin_when_one_copy_moves():
    """The case seen in seed 001 (its title printed twice): annotate words of the second
    copy, move that copy to the end; the first copy's 32 characters around the words are now
    exactly the second's were, but not its 128: an orphan, never the twin."""
    line = "IA: Meta et IBM forment une coalition pour promouvoir l'open source"
    body = "Les cofondateurs de l'alliance veulent une IA ouverte et responsable."
    tail = "Articles qui pourraient vous intéresser, publiés cette semaine-là."
    text = f"{line}\n\n{line}\n\n{body}\n\n{tail}"
    start = text.index("source", len(line) + 2)
    selector = describe(text, start, start + len("source"), sha(text))
    assert selector.occurrences == 2 and len(selector.prefix) == 128  # the long context
    moved = f"{line}\n\n{body}\n\n{tail}\n\n{line}"
    anchor = reanchor(moved, sha(moved), selector)
    assert anchor.status == "orphan" or anchor.start == moved.rindex("source")
    assert anchor.start != moved.index("source")  # never the twin left in its place


def test_repeated_words_with_a_typo_nearby_are_still_found():
    text = "Le groupe IBM a parlé longuement hier. " * 3 + "Fin du compte rendu."
    start = text.index("IBM", 40)
    selector = describe(text, start, start + 3, sha(text))
    edited = text.replace("longuement", "longuemnet", 1)  # in the long context, not near
    anchor = reanchor(edited, sha(edited), selector)
    assert anchor.status in ("exact", "moved") and anchor.start == start


text_pieces = st.lists(WORDS, min_size=20, max_size=80).map(" ".join)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(text_pieces, st.data())
def test_edits_outside_a_unique_span_always_find_it_exactly(text, data):
    words = text.split(" ")
    first = data.draw(st.integers(0, len(words) - 3))
    last = data.draw(st.integers(first + 2, min(len(words) - 1, first + 8)))
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = len(" ".join(words[: last + 1]))
    quote = text[start:end]
    assume(count_occurrences(text, quote) == 1)
    selector = describe(text, start, end, sha(text))
    new, shift = text, 0
    edits = data.draw(
        st.lists(st.tuples(st.booleans(), st.integers(0, 10**6), text_pieces), max_size=4)
    )
    for insert, where, words_in in edits:
        before = data.draw(st.booleans())
        low, high = (0, start + shift) if before else (end + shift, len(new))
        position = low + where % (high - low + 1)
        if insert:
            new = new[:position] + " " + words_in[:30] + " " + new[position:]
            grown = len(words_in[:30]) + 2
        else:
            length = min(where % 15, high - position)
            new = new[:position] + new[position + length :]
            grown = -length
        if before:
            shift += grown
    assume(count_occurrences(new, quote) == 1)
    anchor = reanchor(new, sha(new), selector)
    assert anchor.status in ("exact", "moved")
    assert (anchor.start, anchor.end) == (start + shift, end + shift)


@settings(max_examples=200, deadline=None)
@given(text_pieces, st.data())
def test_edits_inside_a_span_give_fuzzy_or_orphan_never_other_words(text, data):
    words = text.split(" ")
    first = data.draw(st.integers(0, len(words) - 6))
    last = data.draw(st.integers(first + 5, min(len(words) - 1, first + 12)))
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = len(" ".join(words[: last + 1]))
    selector = describe(text, start, end, sha(text))
    inside = data.draw(st.integers(start + 1, end - 1))
    replacement = data.draw(st.sampled_from(["", "x", "sécurité ", "XYZ", "ouverte et"]))
    cut = data.draw(st.integers(0, 6))
    new = text[:inside] + replacement + text[inside + cut :]
    assume(new != text)
    anchor = reanchor(new, sha(new), selector)
    assert anchor.status in ("exact", "moved", "fuzzy", "orphan")
    if anchor.status == "orphan":
        return
    from rapidfuzz import fuzz

    found = anchor.quote(new)
    if anchor.status in ("exact", "moved"):
        assert found == selector.exact
    else:
        assert fuzz.ratio(found, selector.exact) >= FUZZY_QUOTE * 100
