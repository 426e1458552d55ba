"""Statistics: tags per article, co-occurrence, annotated share, per annotator, and their
rendering, where titles, tags and names are text, never markup."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from tests.helpers import text_document
from tui.analysis.statistics import render, statistics
from tui.cli import main
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.store import ALL, Store

ARTICLES = {
    "a.txt": "Alpha\n\nUn.\n\nDeux.\n\nTrois.\n\nQuatre.\n",  # 5 passages
    "b.txt": "Beta\n\nUn.\n\nDeux.\n",  # 3 passages
    "c.txt": "Gamma\n\nRien ici.\n",  # 2 passages, never annotated
}


@dataclass
class Model:
    root: Path
    corpus: Corpus
    store: Store


@pytest.fixture
def model(make_corpus, store_dir):
    """Alice and Bob on the same store; tags x, y, z in that order."""
    root = make_corpus(ARTICLES)
    corpus = Corpus.open(root)
    store = Store(store_dir, annotator="alice")
    for name in ("x", "y", "z"):
        store.create_tag(name)
    a, b = corpus.get("a"), corpus.get("b")
    store.toggle_tag(a, a.passages[1], "x")
    store.toggle_tag(a, a.passages[1], "y")
    store.toggle_tag(a, a.passages[2], "x")
    store.toggle_highlight(a, a.passages[3])
    store.set_passage_note(a, a.passages[3], "Une note.")
    for name in ("x", "y", "z"):
        store.toggle_tag(b, b.passages[1], name)
    span = store.add_highlight(b, b.passages, b.passages[2].start, b.passages[2].end, "pink")
    span.note = "Sur des mots."
    store.update_highlight(span)
    store.annotator = "bob"
    store.toggle_tag(a, a.passages[1], "y")
    store.toggle_tag(a, a.passages[1], "z")
    store.toggle_tag(a, a.passages[4], "x")
    store.annotator = "alice"
    yield Model(root, corpus, store)
    store.close()


def article(stats, doc_id):
    return next(found for found in stats.articles if found.id == doc_id)


def test_counts_of_the_stores_own_annotator(model):
    stats = statistics(model.corpus, model.store)
    assert stats.annotator == "alice"
    assert [a.id for a in stats.articles] == ["a", "b", "c"]
    a, b, c = stats.articles
    assert (a.title, a.passages, a.annotated, a.tags) == ("Alpha", 5, 3, {"x": 2, "y": 1})
    # The span highlight's passage counts as annotated, as in the article list.
    assert (b.passages, b.annotated, b.tags) == (3, 2, {"x": 1, "y": 1, "z": 1})
    assert (c.passages, c.annotated, c.tags) == (2, 0, {})
    assert list(a.tags) == ["x", "y"]  # store order
    assert [(t.name, t.passages) for t in stats.tags] == [("x", 3), ("y", 2), ("z", 1)]
    assert all(t.color.startswith("#") for t in stats.tags)
    assert a.share == pytest.approx(3 / 5) and c.share == 0


def test_co_occurrence_counts_each_pair_once_in_either_order(model):
    stats = statistics(model.corpus, model.store)
    assert stats.together == {("x", "y"): 2, ("x", "z"): 1, ("y", "z"): 1}
    assert stats.co_occurrence("y", "x") == 2
    assert stats.co_occurrence("z", "y") == 1
    assert stats.co_occurrence("x", "x") == 3  # the diagonal: passages with the tag
    assert stats.co_occurrence("x", "nowhere") == 0


def test_another_annotator(model):
    stats = statistics(model.corpus, model.store, "bob")
    assert stats.annotator == "bob"
    a = article(stats, "a")
    assert (a.annotated, a.tags) == (2, {"x": 1, "y": 1, "z": 1})
    assert article(stats, "b").annotated == 0
    assert stats.together == {("y", "z"): 1}


def test_everyone_counts_each_place_once(model):
    stats = statistics(model.corpus, model.store, ALL)
    assert stats.annotator == ALL
    a = article(stats, "a")
    # Passage 1 is tagged y by Alice and Bob: one passage carrying y, not two.
    assert a.tags == {"x": 3, "y": 1, "z": 1}
    assert (a.annotated, a.share) == (4, pytest.approx(4 / 5))
    assert stats.together == {("x", "y"): 2, ("x", "z"): 2, ("y", "z"): 2}
    assert [(t.name, t.passages) for t in stats.tags] == [("x", 4), ("y", 2), ("z", 2)]


def test_per_annotator(model):
    people = {p.name: p for p in statistics(model.corpus, model.store).annotators}
    assert list(people) == ["alice", "bob"]
    alice, bob = people["alice"], people["bob"]
    assert (alice.tagged, alice.highlights, alice.notes) == (3, 2, 2)
    assert (bob.tagged, bob.highlights, bob.notes) == (2, 0, 0)


def test_everyones_lists_those_who_annotated_not_whoever_runs_it(model):
    model.store.annotator = "carol"  # on this machine, with nothing of her own
    everyone = statistics(model.corpus, model.store, ALL).annotators
    assert [p.name for p in everyone] == ["alice", "bob"]
    hers = statistics(model.corpus, model.store).annotators
    assert "carol" in [p.name for p in hers]


def test_orphans_and_documents_gone_are_not_counted(model):
    corpus, store = model.corpus, model.store
    c = corpus.get("c")
    store.toggle_tag(c, c.passages[1], "x")
    store.toggle_highlight(c, c.passages[1])
    gone = text_document("ailleurs", "Parti\n\nUn texte qui n’est plus là.\n")
    store.toggle_tag(gone, gone.passages[1], "x")
    (model.root / "c.txt").write_text("Gamma\n\nAutre chose.\n", encoding="utf-8")
    corpus = Corpus.open(model.root)
    c = corpus.get("c")
    assert store.anchor(c, c.passages).orphans == 1
    stats = statistics(corpus, store)
    assert (article(stats, "c").annotated, article(stats, "c").tags) == (0, {})
    assert [(t.name, t.passages) for t in stats.tags] == [("x", 3), ("y", 2), ("z", 1)]
    alice = next(p for p in stats.annotators if p.name == "alice")
    assert (alice.tagged, alice.highlights) == (3, 2)


def test_an_unread_article_never_annotated_stays_unread(model):
    corpus = Corpus.open(model.root, Catalog())  # listed, read when needed
    stats = statistics(corpus, model.store)
    assert article(stats, "a").passages == 5  # annotated: counted, since its share needs it
    c = article(stats, "c")
    assert (c.passages, c.share, c.title) == (None, None, "c.txt")
    assert not corpus.get("c").is_read
    text = shown(render(stats))
    assert "and 1 article with no annotation" in text, "listed by count, not row by row"
    assert "c.txt" not in text.split("Annotated share")[1]


def shown(renderable) -> str:
    console = Console(record=True, width=100, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_titles_tags_and_names_render_literally(make_corpus, store_dir):
    root = make_corpus({"r.txt": "\x1b[31mRouge [link=x]titre[/link]\n\nUn.\n\nDeux.\n"})
    corpus = Corpus.open(root)
    store = Store(store_dir, annotator="[red]bob[/red]")
    try:
        r = corpus.get("r")
        for passage in r.passages[1:]:
            store.toggle_tag(r, passage, "[bold]x[/]")
            store.toggle_tag(r, passage, "[i]y")
        text = shown(render(statistics(corpus, store)))
    finally:
        store.close()
    assert "\x1b" not in text
    assert "␛[31mRouge [link=x]titre[/link]" in text
    assert text.count("[bold]x[/]") >= 3  # tags per article, both co-occurrence headings
    assert "[i]y" in text
    assert "[red]bob[/red]" in text


def test_an_empty_store_says_so_in_each_section(make_corpus, store_dir):
    corpus = Corpus.open(make_corpus(ARTICLES))
    store = Store(store_dir, annotator="alice", readonly=True)
    try:
        text = shown(render(statistics(corpus, store)))
    finally:
        store.close()
    for heading in ("Tags", "Tags per article", "Co-occurrence", "Annotated share"):
        assert f"\n{heading}\n" in text
    assert "Per annotator" in text
    assert text.count("No passage or segment carries a tag.") == 2  # tags, tags per article
    assert "No passage or segment carries two tags." in text
    assert "No passage is annotated yet." in text
    assert "Nobody has annotated yet." in text


def test_render_shows_every_section(model):
    text = shown(render(statistics(model.corpus, model.store)))
    assert "Statistics of alice's annotations" in text
    assert "No tags in 1 article:\n  Gamma\n" in text
    assert "3/5" in text and "60%" in text and "2/3" in text and "67%" in text
    assert "━" in text  # Rich's bars
    lines = text.splitlines()
    row = next(line for line in lines if line.startswith("│ alice "))
    assert [cell.strip() for cell in row.split("│")[2:6]] == ["3", "0", "2", "2"]


def test_glose_stats(model, capsys):
    model.store.close()
    where = ["--corpus", str(model.root), "--store", str(model.store.directory)]
    assert main(["stats", *where]) == 0
    out, err = capsys.readouterr()
    assert "Statistics of lecteur's annotations" in out
    assert "No passage or segment carries a tag." in out
    assert "no annotations by 'lecteur'" in err

    assert main(["stats", *where, "--annotator", "alice"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "Tags per article" in out and "3/5" in out and "60%" in out

    assert main(["stats", *where, "--all"]) == 0
    out, _ = capsys.readouterr()
    assert "Statistics of everyone's annotations" in out and "4/5" in out and "80%" in out

    with pytest.raises(SystemExit):
        main(["stats", *where, "--all", "--annotator", "bob"])


def words(document, found: str) -> tuple[int, int]:
    start = document.text.index(found)
    return start, start + len(found)


@pytest.fixture
def coded(model):
    """The model, and segments: Alice codes "Deux.\\n\\nTrois" with x and y and "atre" with
    w; Bob codes the same "Deux.\\n\\nTrois" with x."""
    store, a = model.store, model.corpus.get("a")
    for name, found in (("x", "Deux.\n\nTrois"), ("y", "Deux.\n\nTrois"), ("w", "atre")):
        store.tag_span(a, a.passages, *words(a, found), name)
    store.annotator = "bob"
    store.tag_span(a, a.passages, *words(a, "Deux.\n\nTrois"), "x")
    store.annotator = "alice"
    return model


def test_segments_and_coded_characters_per_tag(coded):
    stats = statistics(coded.corpus, coded.store)
    by_name = {tag.name: tag for tag in stats.tags}
    # x: passages "Un." and "Deux." of a, "Un." of b, and the segment "Deux.\n\nTrois": the
    # characters of "Deux." once, the line break between the passages not at all.
    assert (by_name["x"].passages, by_name["x"].segments) == (3, 1)
    assert by_name["x"].characters == len("Un.") + len("Deux.") + len("Trois") + len("Un.")
    assert (by_name["w"].passages, by_name["w"].segments, by_name["w"].characters) == (0, 1, 4)
    assert list(by_name) == ["x", "y", "z", "w"]  # a tag only on a segment is counted too
    assert article(stats, "a").tags == {"x": 3, "y": 2, "w": 1}
    assert stats.co_occurrence("x", "y") == 3  # passage 1 of a and b, and the segment


def test_everyone_counts_each_span_and_character_once(coded):
    stats = statistics(coded.corpus, coded.store, ALL)
    x = next(tag for tag in stats.tags if tag.name == "x")
    # Bob's x: passage "Quatre." and the segment Alice coded too (one span of words).
    assert (x.passages, x.segments) == (4, 1)
    assert x.characters == len("Un.") + len("Deux.") + len("Trois") + len("Quatre.") + len("Un.")


def test_a_segment_tagged_is_no_highlight(coded):
    people = {p.name: p for p in statistics(coded.corpus, coded.store).annotators}
    alice = people["alice"]
    # Her highlights: passage 3 of a and the pink words of b, as before the segments.
    assert (alice.tagged, alice.segments, alice.highlights, alice.notes) == (3, 2, 2, 2)
    assert (people["bob"].segments, people["bob"].highlights) == (1, 0)


def test_characters_are_counted_on_the_current_text(coded, store_dir):
    coded.store.close()
    path = coded.root / "a.txt"
    path.write_text("Préface.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    corpus = Corpus.open(coded.root)
    # A store only read from finds the annotations in the new text, in memory.
    reader = Store(store_dir, annotator="alice", readonly=True)
    try:
        w = next(tag for tag in statistics(corpus, reader).tags if tag.name == "w")
    finally:
        reader.close()
    assert (w.segments, w.characters) == (1, 4)
    # The reader's store anchors each article as it opens it; until then its words are not
    # counted where they no longer are.
    writer = Store(store_dir, annotator="alice")
    try:
        w = next(tag for tag in statistics(corpus, writer).tags if tag.name == "w")
    finally:
        writer.close()
    assert (w.segments, w.characters) == (1, 0)


def test_render_shows_passages_segments_and_characters_per_tag(coded):
    text = shown(render(statistics(coded.corpus, coded.store)))
    section = text.split("\nTags\n")[1].split("\nTags per article\n")[0]
    rows = {
        cells[0]: cells[1:]
        for line in section.splitlines()
        if len(cells := [cell.strip() for cell in re.split("[│┃]", line)[1:-1]]) == 4
    }
    assert rows["Tag"] == ["Passages", "Segments", "Characters"]
    assert rows["x"] == ["3", "1", "16"] and rows["w"] == ["0", "1", "4"]
    assert "white space left out" in section


def test_stats_counts_annotations_cut_by_older_rules_where_they_now_are(make_corpus, store_dir):
    """`glose stats` reads the store without writing: annotations on passages an older glose
    cut otherwise (the text unchanged) are found on this cut before anything is counted."""
    from tui.corpus.passages import Passage

    root = make_corpus({"a.txt": ARTICLES["a.txt"]})
    document = Corpus.open(root).get("a")
    first = document.passages[2]  # "Deux.", cut with "Trois." by the older rules
    older = Passage(1, first.start, document.passages[3].end, source=document.text)
    with Store(store_dir, annotator="alice") as store:
        store.toggle_tag(document, older, "x")
    reader = Store(store_dir, annotator="alice", readonly=True)
    try:
        found = statistics(Corpus.open(root), reader)
    finally:
        reader.close()
    with Store(store_dir, annotator="alice") as writer:  # as the reader leaves it
        opened = Corpus.open(root).get("a")
        writer.anchor(opened, opened.passages)
        anchored = statistics(Corpus.open(root), writer)
    (x,) = found.tags
    assert x.passages == 1 and x.characters in (len("Deux."), len("Trois.")), "one of this cut"

    def shown(articles) -> list[tuple[str, dict[str, int], int | None, int]]:
        return [(a.id, a.tags, a.passages, a.annotated) for a in articles]

    assert found.tags == anchored.tags and shown(found.articles) == shown(anchored.articles)
