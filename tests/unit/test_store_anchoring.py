"""Highlights, notes, orphans and re-anchoring as the store keeps them."""

from __future__ import annotations

import io
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import SEEDS, export_data, text_document
from tui.corpus import Corpus, Passage
from tui.store import Store
from tui.store.model import NoteError, clean_note
from tui.store.reanchoring import holding_most

TEXT = (
    "L’alliance réunit Meta et IBM autour de l’IA ouverte.\n\n"
    "Elle compte plus de cinquante membres fondateurs.\n\n"
    "Les critiques y voient une opération de communication."
)


@pytest.fixture
def store(store_dir):
    opened = Store(store_dir)
    yield opened
    opened.close()


def test_a_highlight_crosses_passages_and_keeps_its_selectors(store):
    document = text_document("doc", TEXT)
    start = TEXT.index("l’IA ouverte")
    end = TEXT.index("cinquante") + len("cinquante")
    highlight = store.add_highlight(document, document.passages, start - 1, end + 1, "green")
    assert (highlight.start, highlight.end) == (start, end), "trimmed of the spaces around"
    assert highlight.quote == TEXT[start:end]
    assert highlight.prefix == TEXT[start - 32 : start] and highlight.suffix == TEXT[end : end + 32]
    assert highlight.sha256 == document.sha256 and highlight.passage == 0
    assert store.highlights_on(document) == [highlight]
    assert store.annotated_counts() == {"doc": 2}, "each passage it crosses"
    highlight.color, highlight.note = "pink", "  À vérifier.\n  "
    store.update_highlight(highlight)
    (stored,) = store.highlights("doc")
    assert (stored.color, stored.note) == ("pink", "À vérifier.")
    store.delete(stored)
    assert store.highlights() == []


def test_notes_are_validated(store):
    document = text_document("doc", TEXT)
    passage = document.passages[1]
    store.set_passage_note(document, passage, "Une note\nsur deux lignes.")
    assert store.annotation(document, passage).note == "Une note\nsur deux lignes."
    with pytest.raises(NoteError, match="control"):
        store.set_passage_note(document, passage, "bip\x07")
    with pytest.raises(NoteError, match="at most"):
        store.set_passage_note(document, passage, "x" * 10_001)
    store.set_passage_note(document, passage, "   ")
    assert store.annotation(document, passage) is None, "an empty note removes an empty annotation"


def test_a_changed_document_is_re_anchored_and_the_result_written_back(store, store_dir):
    before = text_document("doc", TEXT)
    store.tag_passage(before, before.passages[1], "chiffres")
    start = TEXT.index("opération")
    store.add_highlight(before, before.passages, start, start + len("opération"), "blue")
    after = text_document("doc", "Un chapeau ajouté.\n\n" + TEXT.replace("cinquante", "50"))
    assert store.needs_anchoring(after)
    report = store.anchor(after, after.passages)
    assert report.counts == {"fuzzy": 1, "moved": 1}
    annotation = store.annotation(after, after.passages[2])
    assert annotation.tags == ["chiffres"] and annotation.status == "fuzzy"
    assert annotation.quote == "Elle compte plus de 50 membres fondateurs."
    (highlight,) = store.highlights_on(after)
    assert highlight.status == "moved" and highlight.quote == "opération"
    assert not store.needs_anchoring(after), "the work is not repeated"
    store.close()
    with Store(store_dir, readonly=True) as reader:
        assert not reader.needs_anchoring(after)


def test_an_orphan_is_kept_listed_and_can_be_attached_again_or_deleted(store):
    before = text_document("doc", TEXT)
    start = TEXT.index("Meta et IBM")
    store.add_highlight(before, before.passages, start, start + 11, "yellow")
    store.toggle_highlight(before, before.passages[2])
    after = text_document("doc", "Tout a été réécrit.\n\nRien ne reste du texte d’avant.")
    report = store.anchor(after, after.passages)
    assert report.orphans == 2
    orphans = store.orphans("doc")
    assert [o.quote for o in orphans] == ["Meta et IBM", before.passages[2].text]
    assert store.highlights_on(after) == [] and store.annotations_on(after) == {}
    assert store.annotated_counts() == {}
    highlight, passage_annotation = orphans
    store.reattach(highlight, after, after.passages, 0, 4)
    assert [h.quote for h in store.highlights_on(after)] == ["Tout"]
    store.reattach(passage_annotation, after, after.passages, after.passages[1].start, 0)
    assert store.annotation(after, after.passages[1]).highlighted
    assert store.orphans() == []


def test_two_annotations_landing_on_one_passage_are_merged(store):
    before = text_document("doc", "Première phrase.\n\nSeconde phrase.")
    store.tag_passage(before, before.passages[0], "a")
    store.tag_passage(before, before.passages[1], "b")
    after = text_document("doc", "Première phrase. Seconde phrase.")  # one paragraph now
    store.anchor(after, after.passages)
    (only,) = store.annotations("doc")
    assert sorted(only.tags) == ["a", "b"]


def test_notes_refuse_bidirectional_controls():
    with pytest.raises(NoteError, match="bidirectional"):
        clean_note("avant \u202e après")
    assert clean_note("  a\n\tb  ") == "a\n\tb"


def test_orphans_are_looked_for_once_per_text(store_dir):
    before = text_document("doc", "Des mots.\n\nD’autres mots.")
    after = text_document("doc", "Tout autre chose.")
    with Store(store_dir) as store:
        store.toggle_highlight(before, before.passages[1])
        assert store.anchor(after, after.passages).orphans == 1
        lines = (store_dir / "glose.journal").read_bytes().count(b"\n")
        assert not store.needs_anchoring(after)
        assert store.anchor(after, after.passages).orphans == 1
        assert (store_dir / "glose.journal").read_bytes().count(b"\n") == lines
        assert store.needs_anchoring(before), "a new text is looked at again"


def test_attaching_a_passage_orphan_keeps_its_colour(store_dir):
    before = text_document("doc", "Des mots.\n\nD’autres mots.")
    after = text_document("doc", "Tout autre chose.")
    with Store(store_dir) as store:
        store.toggle_highlight(before, before.passages[1], "blue")
        store.anchor(after, after.passages)
        (orphan,) = store.orphans()
        store.reattach(orphan, after, after.passages, 0, 0)
        assert store.annotation(after, after.passages[0]).color == "blue"


@given(
    st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=20),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=60),
)
def test_the_passage_holding_most_is_found_among_neighbours_as_among_all(lengths, start, span):
    passages, position = [], 0
    for index, length in enumerate(lengths):
        passages.append(Passage(index, position, position + length, "x" * length))
        position += length + 2  # a blank line between passages
    end = start + span

    def overlap(i: int) -> int:
        return min(passages[i].end, end) - max(passages[i].start, start)

    assert holding_most(passages, start, end) == max(range(len(passages)), key=overlap)


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=90), tail=st.sampled_from(["", ".", " fin"]))
def test_an_annotated_last_passage_cut_short_is_checked_and_exported(tmp_path_factory, cut, tail):
    # The fuzzy match of a quote's last words once pointed past the end of the shorter text.
    article = (SEEDS / "000_9ff77a90e9a0ba93.txt").read_text("utf-8").rstrip()
    from tui.interchange import csv_format, refi
    from tui.interchange.export import select
    from tui.store.health import report

    root = tmp_path_factory.mktemp("corpus")
    (root / "doc.txt").write_text(article, "utf-8")
    store = Store(tmp_path_factory.mktemp("store"))
    document = Corpus.open(root).get("doc")
    store.toggle_tag(document, document.passages[-1], "fin")
    store.add_highlight(document, document.passages, len(article) - 30, len(article), "pink")
    (root / "doc.txt").write_text(article[:-cut] + tail, "utf-8")
    corpus = Corpus.open(root)
    text = corpus.get("doc").text
    lines, _ = report(corpus, store)
    assert any(line.startswith("corpus") for line in lines)
    export = select(corpus, store)
    (entry,) = export_data(corpus, store)["documents"]
    for passage in entry["passages"]:
        assert text[passage["start"] : passage["end"]] == passage["text"]
        for highlight in passage.get("highlights", []):
            assert text[highlight["start"] : highlight["end"]] == highlight["quote"]
    assert len(entry["passages"]) + len(entry["orphans"]) >= 1
    csv_format.write(export, io.StringIO())
    refi.write_project(export, corpus, io.BytesIO())
    store.close()


MAN_PAGE = (
    "NAME\n"
    "       grep - print lines that match patterns\n"
    "\n"
    "SYNOPSIS\n"
    "       grep [OPTION...] PATTERNS [FILE...]\n"
    "\n"
    "OPTIONS\n"
    "       -i, --ignore-case\n"
    "              Ignore case distinctions in patterns and data.\n"
    "       -v, --invert-match\n"
    "              Invert the sense of matching.\n"
)


def _joined(text: str, passages: list[Passage], width: int) -> list[Passage]:
    """`passages` joined `width` at a time: a cut of the same text by other rules."""
    groups = [passages[i : i + width] for i in range(0, len(passages), width)]
    return [
        Passage(index, group[0].start, group[-1].end, source=text)
        for index, group in enumerate(groups)
    ]


def _shown(store: Store, document, passages: list[Passage]) -> int:
    return sum(store.annotation(document, passage) is not None for passage in passages)


def test_passage_annotations_cut_by_older_rules_show_on_a_passage_of_this_cut(tmp_path):
    # An older glose cut "NAME" and its body as one passage; the text itself never changed.
    from tui.store.health import report

    root = tmp_path / "corpus"
    root.mkdir()
    (root / "man.txt").write_text(MAN_PAGE, "utf-8")
    document = Corpus.open(root).get("man")
    older = _joined(document.text, document.passages, 2)
    with Store(tmp_path / "store") as store:
        for number, passage in enumerate(older):
            store.set_passage_note(document, passage, f"note {number}")
    document = Corpus.open(root).get("man")
    with Store(tmp_path / "store") as store:
        passages = document.passages
        assert store.needs_anchoring(document), "its passages are not this cut's"
        store.anchor(document, passages)
        records = store.annotations("man")
        assert not any(a.is_orphan for a in records)
        assert _shown(store, document, passages) == len(records) == len(older)
        notes = {
            store.annotation(document, p).note for p in passages if store.annotation(document, p)
        }
        assert notes == {f"note {number}" for number in range(len(older))}, "none lost"
        kept = sum((p.start, p.end) in {(q.start, q.end) for q in passages} for p in older)
        assert 0 < kept < len(older)
        statuses = sorted(a.status for a in records)
        assert statuses == ["exact"] * kept + ["fuzzy"] * (len(older) - kept), "said as moved"
        assert not store.needs_anchoring(document), "done once"
        lines, problems = report(Corpus.open(root), store)
        fuzzy = len(older) - kept
        assert f"man: {kept} exact, 0 moved, {fuzzy} fuzzy, 0 orphans" in "\n".join(lines)
        assert not problems


@settings(max_examples=30, deadline=None)
@given(
    words=st.lists(st.sampled_from(["un", "deux", "trois", "quatre."]), min_size=2, max_size=30),
    cuts=st.tuples(st.sets(st.integers(1, 29)), st.sets(st.integers(1, 29))),
)
def test_annotations_on_one_cut_all_show_under_another(tmp_path_factory, words, cuts):
    text = " ".join(words)
    starts = [0, *itertools.accumulate(len(word) + 1 for word in words)][: len(words)]

    def cut(at: set[int]) -> list[Passage]:
        bounds = [0, *sorted(i for i in at if i < len(words)), len(words)]
        return [
            Passage(index, starts[a], starts[b - 1] + len(words[b - 1]), source=text)
            for index, (a, b) in enumerate(itertools.pairwise(bounds))
        ]

    before, after = cut(cuts[0]), cut(cuts[1])
    document = text_document("doc", text)
    with Store(tmp_path_factory.mktemp("store")) as store:
        for passage in before:
            store.toggle_tag(document, passage, f"t{passage.index}")
        store.anchor(document, after)
        records = store.annotations("doc")
        assert not any(a.is_orphan for a in records)
        assert _shown(store, document, after) == len(records)
        shown_tags = {t for p in after if (a := store.annotation(document, p)) for t in a.tags}
        assert shown_tags == {f"t{passage.index}" for passage in before}, "no tag lost"


def _found_in_rendered(store: Store, raw: str, quote: str, rendered: str, nth: int = 0):
    """Where a highlight of `quote` (its `nth` copy) made on raw Markdown is in `rendered`."""
    before = text_document("m", raw)
    start = -1
    for _ in range(nth + 1):
        start = raw.index(quote, start + 1)
    store.add_highlight(before, before.passages, start, start + len(quote), "blue")
    after = text_document("m", rendered, "m.md")
    store.anchor(after, after.passages)
    (highlight,) = store.highlights("m")
    return highlight


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        # Found in both places, agreeing with neither: not in the first for want of better.
        (
            "Nothing like **the** end anything here.",
            "Alpha beta the end gamma.\n\nDelta epsilon the end zeta.",
        ),
        # Agreeing with both alike: twins are never guessed between.
        ("Say **the** end now. Other.", "Say the end now. X\n\nSay the end now. Y"),
    ],
)
def test_rendered_markdown_words_whose_context_agrees_nowhere_are_orphans(store, raw, rendered):
    highlight = _found_in_rendered(store, raw, "**the** end", rendered)
    assert highlight.is_orphan, (highlight.start, highlight.end)


def test_rendered_markdown_words_go_where_their_context_agrees(store):
    raw = "Alpha beta **the** end gamma.\n\nDelta epsilon **the** end zeta."
    rendered = "Alpha beta the end gamma.\n\nDelta epsilon the end zeta."
    highlight = _found_in_rendered(store, raw, "**the** end", rendered, nth=1)
    assert (highlight.status, highlight.start) == ("moved", rendered.rindex("the end"))
    store.delete(highlight)
    unique = _found_in_rendered(store, "Only *once* here.", "*once*", "Elsewhere once, alone.")
    assert (unique.status, unique.quote) == ("moved", "once"), "unique words need no context"
