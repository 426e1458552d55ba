"""One source for every count of annotated passages: the article list, the article's
information (`i`) and `glose stats` say the same share, whatever the catalog kept."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace

import orjson
import pytest
from rich.console import Console

from tests.helpers import glose, press
from tests.waiting import articles_read
from tui.app.app import GloseApp
from tui.app.screens.info import ArticleInfo
from tui.app.widgets.article_list import ArticleList
from tui.corpus import Corpus
from tui.corpus.catalog import CATALOG_NAME, Catalog
from tui.store import Store

LONG = "002_c25bee6c01f21316"
"""The seed whose long paragraph pysbd cuts into sentences."""

SHARE = re.compile(r"(\d+)/(\d+) annotated")


def list_shares(app: GloseApp) -> dict[str, tuple[int, int]]:
    """What the article list shows for each article: (annotated, passages)."""
    listing = app.screen.query_one(ArticleList)
    shown = {}
    for index, document in enumerate(listing.documents):
        found = SHARE.search(str(listing.prompt_at(index)))
        assert found, f"{document.id}: {listing.prompt_at(index)}"
        shown[document.id] = (int(found.group(1)), int(found.group(2)))
    return shown


def stats_shares(corpus_dir, store_dir, cwd) -> list[tuple[int, int]]:
    """What `glose stats` counts for each annotated article, in corpus order."""
    done = glose("stats", "--corpus", str(corpus_dir), "--store", str(store_dir), cwd=cwd)
    assert done.returncode == 0, done.stderr
    section = done.stdout.split("Annotated share")[1].split("Per annotator")[0]
    return [(int(m.group(1)), int(m.group(2))) for m in re.finditer(r"(\d+)/(\d+)", section)]


def info_text(app: GloseApp) -> str:
    assert isinstance(app.screen, ArticleInfo)
    console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(app.screen.facts())
    return console.export_text()


async def shown_by_the_app(corpus_dir, store_dir) -> tuple[dict[str, tuple[int, int]], str]:
    """The list's shares, and `i` on the article open, from the app as `glose` opens it
    (listed with the catalog, counted in the background)."""
    store = Store(store_dir)
    app = GloseApp(Corpus.open(corpus_dir, Catalog.load(store_dir)), store)
    async with app.run_test(size=(120, 36)) as pilot:
        await articles_read(app, pilot)
        shown = list_shares(app)
        open_id = app.screen.document.id
        await press(pilot, "i")
        info = info_text(app)
    store.close()
    return shown, f"{open_id}\n{info}"


@pytest.mark.slow
async def test_the_list_the_information_and_stats_agree_on_a_tagged_copy_of_the_seeds(
    tmp_path, seeds
):
    # The walk of a new user: the reader opened on a copy of the seeds, articles tagged from
    # the command line, the reader opened again. The counts the first start kept in the
    # catalog were cut while the reader cut its article: they must be this text's.
    corpus_dir, store_dir = tmp_path / "corpus", tmp_path / "store"
    shutil.copytree(seeds, corpus_dir)
    real = {d.id: len(d.passages) for d in Corpus.open(corpus_dir)}
    shown, _ = await shown_by_the_app(corpus_dir, store_dir)
    assert shown == {i: (0, n) for i, n in real.items()}
    for passage in ("1", str(real[LONG])):  # the first and the last, counted from 1
        tagged = glose(
            "tag", "--corpus", str(corpus_dir), "--store", str(store_dir),
            "--tag", "t", "--document", LONG, "--passage", passage, cwd=tmp_path,
        )  # fmt: skip
        assert tagged.returncode == 0, tagged.stderr
    assert stats_shares(corpus_dir, store_dir, tmp_path) == [(2, real[LONG])]
    shown, info = await shown_by_the_app(corpus_dir, store_dir)
    assert shown == {i: (2 if i == LONG else 0, n) for i, n in real.items()}
    open_id, facts = info.split("\n", 1)
    assert f"{real[open_id]} ({shown[open_id][0]} annotated)" in facts


async def test_a_count_the_catalog_kept_that_leaves_out_annotated_passages_is_not_shown(
    tmp_path, seeds
):
    corpus_dir, store_dir = tmp_path / "corpus", tmp_path / "store"
    shutil.copytree(seeds, corpus_dir)
    corpus = Corpus.open(corpus_dir)
    store = Store(store_dir)
    document = corpus.get(LONG)
    for passage in document.passages[6:]:
        store.toggle_tag(document, passage, "t")
    store.close()
    # A catalog of this very version of every file, but with the long article miscounted,
    # as one saved while pysbd's sentences were mixed up between threads.
    catalog = Catalog.load(store_dir)
    for each in corpus:
        each.count_passages()
        catalog.put(each.relpath, each.catalog_entry())
    catalog.put(document.relpath, replace(catalog.entries[document.relpath], passages=5))
    assert catalog.save()

    store = Store(store_dir)
    app = GloseApp(Corpus.open(corpus_dir, Catalog.load(store_dir)), store)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.screen.query_one(ArticleList)
        index = listing.get_option_index(LONG)
        assert "3/5" not in str(listing.prompt_at(index)), "a count that leaves out passages"
        await articles_read(app, pilot)
        assert "3/9 annotated" in str(listing.prompt_at(index))
    store.close()
    assert Catalog.load(store_dir).entries[document.relpath].passages == 9, "kept right"


def test_a_catalog_made_by_other_passage_rules_is_made_again(tmp_path, seeds):
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    status = (seeds / f"{LONG}.txt").stat()
    fields = [status.st_size, status.st_mtime, "Titre", 5, "UTF-8", False, None, 100]
    for made_by in ({"format": 2}, {"format": 3}, {"format": 3, "passage_rules": 1}):
        data = {**made_by, "files": {f"{LONG}.txt": fields}}
        (store_dir / CATALOG_NAME).write_bytes(orjson.dumps(data))
        listed = Corpus.open(seeds, Catalog.load(store_dir)).get(LONG)
        assert listed.known_passage_count is None, made_by


async def test_the_information_counts_the_passages_the_list_counts(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        store = screen.store
        document = screen.document
        # A highlight of a few words marks its passage annotated in the list.
        passage = document.passages[1]
        store.add_highlight(document, document.passages, passage.start, passage.start + 5, "pink")
        screen.refresh_counts()
        await press(pilot)
        listing = screen.query_one(ArticleList)
        total = len(document.passages)
        shown = str(listing.prompt_at(listing.get_option_index(document.id)))
        assert f"1/{total} annotated" in shown
        await press(pilot, "i")
        assert f"{total} (1 annotated)" in info_text(app)


async def test_annotations_on_an_older_cut_are_placed_before_their_article_opens(
    make_app, make_corpus, store_dir
):
    # An older glose cut "Deux." and "Trois." as one passage; the text did not change. The
    # start finds them on this cut for every annotated article, not only the one it opens.
    from tui.corpus.passages import Passage

    root = make_corpus({"a.txt": "Alpha\n\nUn.\n", "z.txt": "Zeta\n\nUn.\n\nDeux.\n\nTrois.\n"})
    document = Corpus.open(root).get("z")
    deux, trois = document.passages[2], document.passages[3]
    with Store(store_dir) as store:
        store.toggle_tag(document, Passage(2, deux.start, trois.end, source=document.text), "x")
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.document.id == "a"
        (placed,) = app.screen.store.annotations("z")
    assert (placed.start, placed.end) in {(deux.start, deux.end), (trois.start, trois.end)}
