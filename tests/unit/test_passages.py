"""Passages: the seeds, hard-wrapped prose, Markdown structure, over-long paragraphs."""

from __future__ import annotations

import itertools
import textwrap
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import text_document
from tui.corpus import Corpus, segment
from tui.corpus.passages import LONG_PARAGRAPH, Passage, _units_by_line, units_of

SENTENCE_ENDINGS = (".", "!", "?", "»", "”", '"', "…", ":")


def check_invariants(text: str, passages: list[Passage]) -> None:
    """Ordered, non-overlapping, trimmed slices that cover every non-blank character."""
    covered = [False] * len(text)
    previous_end = 0
    for index, passage in enumerate(passages):
        assert passage.index == index
        assert previous_end <= passage.start < passage.end
        assert passage.text == text[passage.start : passage.end]
        assert passage.text == passage.text.strip()
        for position in range(passage.start, passage.end):
            covered[position] = True
        previous_end = passage.end
    for position, char in enumerate(text):
        if not char.isspace():
            assert covered[position], f"character {position} ({char!r}) is in no passage"


def test_seed_passage_counts(seeds):
    corpus = Corpus.open(seeds)
    counts = {document.id: len(document.passages) for document in corpus}
    assert counts == {
        "000_9ff77a90e9a0ba93": 11,
        "001_5049656ab526f4d3": 21,
        "002_c25bee6c01f21316": 9,
        "003_df3649e4754c1e63": 8,
        "004_5666f5666deb1184": 12,
    }
    for document in corpus:
        check_invariants(document.text, document.passages)


def test_seeds_keep_one_paragraph_per_line(seeds):
    document = Corpus.open(seeds).get("000_9ff77a90e9a0ba93")
    lines = [line.strip() for line in document.text.split("\n") if line.strip()]
    assert [passage.text for passage in document.passages] == lines


def test_seed_002_long_paragraph_is_split_into_whole_sentences(seeds):
    document = Corpus.open(seeds).get("002_c25bee6c01f21316")
    first_line_end = document.text.index("\n")
    assert first_line_end > 2_600
    pieces = [p for p in document.passages if p.end <= first_line_end]
    assert len(pieces) >= 4
    assert all(p.kind == "sentences" for p in pieces)
    assert all(len(p.text) <= LONG_PARAGRAPH for p in pieces)
    assert all(p.text.endswith(SENTENCE_ENDINGS) for p in pieces)
    # Nothing of the paragraph is lost: only spaces lie between the pieces.
    assert pieces[0].start == 0 and pieces[-1].end == first_line_end
    for before, after in itertools.pairwise(pieces):
        assert not document.text[before.end : after.start].strip()


def test_hard_wrapped_text_gives_one_passage_per_paragraph():
    paragraph_one = (
        "La coalition réunit des entreprises, des universités et des\n"
        "instituts de recherche qui veulent promouvoir des modèles\n"
        "ouverts.\n"
    )
    paragraph_two = "Elle compte plus de cinquante membres\nfondateurs.\n"
    text = paragraph_one + "\n" + paragraph_two
    passages = segment(text)
    assert len(passages) == 2
    assert passages[0].text == paragraph_one.strip()
    assert passages[1].text.startswith("Elle compte") and passages[1].text.endswith("fondateurs.")
    check_invariants(text, passages)


def test_markdown_headings_list_items_and_fences_are_their_own_passages():
    text = (
        "# L’AI Alliance\n"
        "Un paragraphe d’introduction\nsur deux lignes.\n"
        "\n"
        "- premier point\n"
        "  qui continue\n"
        "- second point\n"
        "1. numéroté\n"
        "\n"
        "```\ncode\n\nencore du code\n```\n"
        "## Suite\n"
    )
    passages = segment(text, markdown=True)
    kinds = [(p.kind, p.text) for p in passages]
    assert kinds == [
        ("heading", "# L’AI Alliance"),
        ("paragraph", "Un paragraphe d’introduction\nsur deux lignes."),
        ("item", "- premier point\n  qui continue"),
        ("item", "- second point"),
        ("item", "1. numéroté"),
        ("code", "```\ncode\n\nencore du code\n```"),
        ("heading", "## Suite"),
    ]
    check_invariants(text, passages)


def test_over_long_paragraph_is_split_by_sentences():
    sentence = "Le consortium veut promouvoir l’innovation ouverte en IA, dit M. Dupont. "
    text = sentence * 30
    passages = segment(text)
    assert len(passages) > 1
    assert all(p.kind == "sentences" for p in passages)
    assert all(len(p.text) <= LONG_PARAGRAPH for p in passages)
    assert all(p.text.endswith("Dupont.") for p in passages)
    check_invariants(text, passages)


def test_a_run_on_line_without_full_stops_is_still_cut():
    text = "mot " * 3_000
    passages = segment(text)
    assert len(passages) > 1
    check_invariants(text, passages)


def test_whitespace_only_lines_make_no_passage():
    text = "Premier.\n\u00a0\n\n \t \nSecond.\n"
    assert [p.text for p in segment(text)] == ["Premier.", "Second."]


def test_same_text_same_passages(seeds):
    document = Corpus.open(seeds).get("002_c25bee6c01f21316")
    assert segment(document.text) == segment(document.text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=1_500), st.booleans())
def test_any_text_segments_into_ordered_covering_passages(text, markdown):
    check_invariants(text, segment(text, markdown=markdown))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Bonjour.",
                "L’IA « ouverte ».",
                "M. Dupont",
                "\n",
                "\n\n",
                "- item",
                "# Titre",
                " ",
                "sécurité…",
                "Prix : 3,5 €.",
                "```",
                "1. un",
            ]
        ),
        max_size=300,
    ),
    st.booleans(),
)
def test_structured_french_text_segments_into_ordered_covering_passages(pieces, markdown):
    text = "".join(pieces)
    check_invariants(text, segment(text, markdown=markdown))


LINE_PIECES = [
    "Bonjour.",
    "suite en minuscules",
    "- item",
    "# Titre",
    "2. deux",
    "\n",
    "\n\n",
    " ",
    "\t",
    "\u00a0",
    "\u2028",
    "\x1c",
    "\u3000",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(LINE_PIECES), max_size=200)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=500)
)
def test_plain_text_blocks_read_fast_give_the_units_of_the_line_by_line_rules(pieces):
    # The block-at-a-time reading of plain text must agree with every line through the rules,
    # down to what counts as a blank line (Unicode spaces, separators).
    text = "".join(pieces)
    assert units_of(text) == _units_by_line(text, markdown=False)


def wrap_at(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


FRENCH_SENTENCES = [
    f"La phrase numéro {n} explique en détail les enjeux de l’alliance pour l’IA ouverte."
    for n in range(16)
]


def test_a_long_hard_wrapped_paragraph_is_cut_between_sentences_not_at_line_ends():
    paragraph = " ".join(FRENCH_SENTENCES)
    text = wrap_at(paragraph, 70) + "\n\n" + wrap_at("Un second paragraphe, court.", 70)
    passages = segment(text)
    assert len(passages) >= 3
    assert passages[-1].text == "Un second paragraphe, court."
    for passage in passages[:-1]:
        assert passage.text.startswith("La phrase numéro"), passage.text[:40]
        assert passage.text.endswith("ouverte."), passage.text[-40:]
    check_invariants(text, passages)


def test_a_url_longer_than_the_wrap_width_does_not_break_a_wrapped_paragraph():
    text = (
        "Le communiqué complet se trouve à l’adresse suivante, publiée par\n"
        "les deux entreprises le mardi 5 décembre :\n"
        "https://example.org/press/2023/12/05/the-ai-alliance-launches-as-an-international-community"
        "-of-leading-technology-developers\n"
        "et il détaille la liste des membres fondateurs.\n"
    )
    assert [p.text for p in segment(text)] == [text.strip()]


def test_short_lines_that_each_stand_alone_stay_separate_passages():
    text = (
        "Articles qui pourraient vous intéresser\n"
        "Mercredi 24 Avril 2024\n"
        "GITEX AFRICA 2024 : lancement de la première édition des African CIO Awards\n"
        "Lundi 22 Avril 2024\n"
        "Smartphones: le marché s'éveille en ce début 2024\n"
    )
    assert [p.text for p in segment(text)] == text.strip().split("\n")


def test_a_line_cut_mid_sentence_in_one_paragraph_per_line_text_is_joined():
    long_line = "Les membres de l’alliance associent des institutions académiques " * 3
    text = f"{long_line.strip()}\net des entreprises.\nUn autre paragraphe commence ici."
    assert [p.text for p in segment(text)] == [
        f"{long_line.strip()}\net des entreprises.",
        "Un autre paragraphe commence ici.",
    ]


def test_markdown_setext_headings_and_lazy_list_continuations():
    text = (
        "Titre principal\n===============\nUn paragraphe.\n\n- un point\nqui continue\n- un autre\n"
    )
    passages = segment(text, markdown=True)
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "Titre principal\n==============="),
        ("paragraph", "Un paragraphe."),
        ("item", "- un point\nqui continue"),
        ("item", "- un autre"),
    ]


def test_a_wrapped_line_that_looks_like_a_list_item_does_not_cut_a_sentence():
    text = (
        "Le consortium a été annoncé à la fin de l’année\n"
        "2023. Les membres fondateurs se sont réunis à\n"
        "- dit-on - New York pour en débattre.\n"
    )
    assert [p.text for p in segment(text)] == [text.strip()]
    markdown = "Un paragraphe qui parle de l’année\n2023. Et continue.\n- une vraie liste\n"
    assert [p.kind for p in segment(markdown, markdown=True)] == ["paragraph", "item"]


def test_markdown_front_matter_is_one_passage_kept_line_by_line():
    text = "---\ntitle: L’alliance\ndate: 2023-12-05\n---\n\n# Titre\n\nTexte.\n"
    passages = segment(text, markdown=True)
    assert [(p.kind, p.text) for p in passages] == [
        ("code", "---\ntitle: L’alliance\ndate: 2023-12-05\n---"),
        ("heading", "# Titre"),
        ("paragraph", "Texte."),
    ]


def test_reading_pysbd_in_windows_gives_the_same_sentences(monkeypatch):
    from tui.corpus import passages as module

    text = " ".join(FRENCH_SENTENCES * 4) + " « Fin » dit-il. M. Dupont part."
    windowed = module.sentence_spans(text, 0, len(text))
    monkeypatch.setattr(module, "SENTENCE_WINDOW", 10**9)
    assert windowed == module.sentence_spans(text, 0, len(text))
    assert len(windowed) > 60


def test_a_quick_first_cut_then_the_real_one(seeds):
    paragraph = " ".join(FRENCH_SENTENCES * 60)
    document = text_document("big", f"Titre\n\n{paragraph}\n\nFin.")
    quick = document.quick_passages()
    assert {p.kind for p in quick[1:-1]} == {"pending"}
    check_invariants(document.text, quick)
    assert not document.has_passages
    final = document.passages
    assert document.has_passages and document.quick_passages() is final
    assert {p.kind for p in final[1:-1]} == {"sentences"}
    assert final == segment(document.text)
    small = Corpus.open(seeds).get("002_c25bee6c01f21316")
    assert small.quick_passages() is small.passages, "small texts are cut for real at once"


def test_a_passage_is_a_value_that_copies_with_its_own_text():
    import copy
    import pickle

    import pytest

    text = "Premier paragraphe.\n\nSecond paragraphe, plus long.\n\n" + "Suite. " * 2_000
    passage = segment(text)[1]
    assert passage.text == "Second paragraphe, plus long."
    for copied in (copy.copy(passage), copy.deepcopy(passage), pickle.loads(pickle.dumps(passage))):
        assert copied == passage and hash(copied) == hash(passage)
        assert copied.text == passage.text and copied.start == passage.start
    assert len(pickle.dumps(passage)) < 200, "its own text, not the whole document"
    with pytest.raises(AttributeError):
        passage.start = 0
    with pytest.raises(AttributeError):
        del passage.kind


def test_texts_cut_on_several_threads_at_once_get_their_own_sentences(seeds):
    # The article list counts passages in a worker while the reader cuts the open article:
    # pysbd keeps the text it works on in its segmenter, so a shared one mixed the two up
    # (an article was counted short, and the catalog kept that count).
    text = (seeds / "002_c25bee6c01f21316.txt").read_text(encoding="utf-8")
    other = (seeds / "004_5666f5666deb1184.txt").read_text(encoding="utf-8").replace("\n", " ")
    alone = [(p.start, p.end) for p in segment(text)], [(p.start, p.end) for p in segment(other)]
    found: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = []

    def cut_many() -> None:
        for _ in range(3):
            found.append(
                (
                    [(p.start, p.end) for p in segment(text)],
                    [(p.start, p.end) for p in segment(other)],
                )
            )

    threads = [threading.Thread(target=cut_many) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 9
    assert all(cut == alone for cut in found)
