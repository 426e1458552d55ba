"""A corpus listed at once and read in the background, its titles and counts kept between runs."""

from __future__ import annotations

import pytest

from tests.helpers import catalogued_long_after, in_a_terminal, press, recording
from tests.waiting import articles_read, index_ready, until
from tui.app.app import GloseApp
from tui.app.widgets.article_list import ArticleList
from tui.corpus import Corpus
from tui.corpus.catalog import CATALOG_NAME, Catalog
from tui.store import Store

BINARY = b"\x00\x01\x02 pas du texte \x00" * 50


def articles(n: int) -> dict[str, str | bytes]:
    return {f"{i:03d}.txt": f"Article {i}\n\nPremier paragraphe.\n\nSecond." for i in range(n)}


async def test_a_corpus_is_listed_at_once_read_in_the_background_and_known_next_time(
    make_corpus, tmp_path
):
    root = make_corpus({**articles(60), "scan.txt": BINARY})
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), store)
    notified = recording(app)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.screen.query_one(ArticleList)
        assert len(listing.documents) == 61, "listed at once, the binary file not yet read"
        await articles_read(app, pilot)
        assert [d.relpath for d in listing.documents] == sorted(articles(60))
        assert listing.virtual_size.height == 2 * 60
        assert "Article 42" in str(listing.prompt_at(42))
        assert "0/3 annotated" in str(listing.prompt_at(42))
        assert listing.border_subtitle == "", "no progress shown once done"
        assert [m for m in notified if "scan.txt" in m] == [
            "Left out 1 file that is not text: scan.txt"
        ]
    store.close()
    assert (store_dir / CATALOG_NAME).exists()
    catalogued_long_after(store_dir / CATALOG_NAME)

    corpus = Corpus.open(root, Catalog.load(store_dir))
    assert [d.relpath for d in corpus] == sorted(articles(60)), "left out without reading"
    store = Store(store_dir)
    app = GloseApp(corpus, store)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.screen.query_one(ArticleList)
        # Shown from the catalog before anything is read in the background.
        last = str(listing.prompt_at(59))
        assert "Article 59" in last and "0/3 annotated" in last
        await press(pilot, "shift+tab", "end", "enter")
        await pilot.pause()
        assert app.screen.document.relpath == "059.txt"
        assert "Article 59" in str(app.screen.query_one("#doc-title").render())
    store.close()


async def test_an_article_gone_before_it_is_read_is_left_out_with_a_notice(make_corpus, tmp_path):
    root = make_corpus(articles(4))
    corpus = Corpus.open(root, Catalog(None))
    (root / "000.txt").unlink()  # the first article, which the app opens first
    (root / "002.txt").unlink()  # the one ] goes to next, unless the background got there first
    store = Store(tmp_path / "store")
    app = GloseApp(corpus, store)
    notified = recording(app)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.document.relpath == "001.txt", "the next article opens instead"
        await press(pilot, "right_square_bracket")
        assert app.screen.document.relpath == "003.txt", "] steps over an unreadable article"
        await articles_read(app, pilot)
        assert [d.relpath for d in corpus] == ["001.txt", "003.txt"]
        for gone in ("000.txt", "002.txt"):
            assert [m for m in notified if gone in m] == [
                f"{gone}: No such file or directory; left out."
            ]
    store.close()


async def test_the_list_moves_by_screens_and_a_click_opens(make_corpus, tmp_path):
    root = make_corpus(articles(200))
    store = Store(tmp_path / "store")
    app = GloseApp(Corpus.open(root), store)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.screen.query_one(ArticleList)
        await press(pilot, "shift+tab", "pagedown", "pagedown")
        page = listing.scrollable_content_region.height // 2
        assert listing.highlighted == 2 * page
        assert listing.scroll_y > 0, "the highlighted article is kept in view"
        await press(pilot, "end")
        assert listing.highlighted == 199
        await press(pilot, "home", "down")
        await pilot.click(ArticleList, offset=(5, 1 + 2 * 3))  # the border, then row 2 of 4th
        await pilot.pause()
        assert app.screen.document.relpath == "003.txt"
    store.close()


async def test_the_list_cursor_stays_on_its_article_when_one_above_is_left_out(
    make_corpus, tmp_path
):
    root = make_corpus(articles(5))
    corpus = Corpus.open(root, Catalog(None))
    store = Store(tmp_path / "store")
    app = GloseApp(corpus, store)
    async with app.run_test(size=(120, 36)) as pilot:
        await articles_read(app, pilot)
        listing = app.screen.query_one(ArticleList)
        await press(pilot, "shift+tab", "down", "down", "down")
        assert listing.documents[listing.highlighted].relpath == "003.txt"
        # The background reading finds 001.txt gone, as it would a file deleted meanwhile.
        gone = corpus.documents[1]
        app.screen.drop_unreadable([(gone, FileNotFoundError(2, "No such file or directory"))])
        await pilot.pause()
        assert [d.relpath for d in corpus] == ["000.txt", "002.txt", "003.txt", "004.txt"]
        assert listing.documents[listing.highlighted].relpath == "003.txt"
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen.document.relpath == "003.txt", "enter opens what the cursor was on"
    store.close()


async def test_the_list_shows_the_article_reopened_at_start(make_corpus, tmp_path):
    root = make_corpus(articles(200))
    store = Store(tmp_path / "store")
    store.set_state("reading", {"document": "150", "places": {}})
    app = GloseApp(Corpus.open(root), store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ArticleList)
        assert app.screen.document.relpath == "150.txt"
        assert listing.highlighted == 150
        height = listing.scrollable_content_region.height

        def on_screen() -> bool:
            top = round(listing.scroll_y)
            return top <= 150 * 2 and top + height > 150 * 2 + 1

        await until(pilot, on_screen, "the reopened article's rows are on screen")
        assert "▸ Article 150" in str(listing.prompt_at(150))
    store.close()


@pytest.mark.slow
async def test_a_book_reopens_at_its_place_however_often_it_is_reopened(make_corpus, tmp_path):
    # A book shows a stand-in cut first, then its sentences: neither may move the place.
    sentence = "Le consortium promeut l’innovation ouverte en intelligence artificielle. "
    root = make_corpus({"livre.txt": "Titre\n\n" + sentence * 3_000})
    store_dir = tmp_path / "store"
    final = Corpus.open(root).documents[0].passages
    place = final[len(final) // 2].start
    store = Store(store_dir)
    store.set_state("reading", {"document": "livre", "places": {"livre": place}})
    store.close()
    for _ in range(3):
        store = Store(store_dir)
        app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), store)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            document = screen.document
            while screen.reader.passages is not document.final_passages:
                await app.workers.wait_for_complete()
                await pilot.pause()
            assert screen.reader.current_passage.start == place
        store.close()
        kept = Store(store_dir, readonly=True)
        assert kept.get_state("reading")["places"]["livre"] == place
        kept.close()


async def test_the_list_shows_how_far_each_article_has_been_read(make_corpus, tmp_path):
    root = make_corpus(articles(3))
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), store)
    async with app.run_test(size=(120, 36)) as pilot:
        await articles_read(app, pilot)
        listing = app.screen.query_one(ArticleList)
        assert "%" not in str(listing.prompt_at(1)), "at the start: nothing to say"
        await press(pilot, "right_square_bracket", "G")
        text = app.screen.document.text
        shown = f"annotated · {100 * text.index('Second.') // len(text)}%"
        assert shown in str(listing.prompt_at(1))
        await press(pilot, "left_square_bracket")  # glose reopens here next time
    store.close()
    catalogued_long_after(store_dir / CATALOG_NAME)
    # Next time, from the saved place and the catalog's length, without reading the file.
    corpus = Corpus.open(root, Catalog.load(store_dir))
    assert corpus.documents[1].known_length == len(text) and not corpus.documents[1].is_read
    store = Store(store_dir)
    app = GloseApp(corpus, store)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.document.relpath == "000.txt"
        assert shown in str(app.screen.query_one(ArticleList).prompt_at(1))
    store.close()


async def test_a_corpus_shown_from_its_first_files_is_listed_whole_then_read(make_corpus, tmp_path):
    root = make_corpus({f"{n // 10}/{n:03d}.txt": f"Article {n}\n\nTexte {n}." for n in range(40)})
    store_dir = tmp_path / "store"
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir), first=5), Store(store_dir))

    async def steps(pilot, frames) -> None:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        await articles_read(app, pilot)
        assert frames[0][1] == 5  # the rest was listed after the first frame
        assert screen.corpus.complete
        assert [d.id for d in screen.corpus][:3] == ["0/000", "0/001", "0/002"]
        assert len(screen.corpus) == 40
        assert listing.virtual_size.height == 40 * 2 + 4  # two rows an article, 4 folders
        assert listing.border_subtitle == ""  # "listing…", then the reading's progress, gone
        await index_ready(app, pilot)
        assert len(screen.search_index.documents) == 40  # the rest is indexed too
        listing.focus()
        await press(pilot, "end", "enter")
        assert screen.document.id == "3/039"

    await in_a_terminal(app, (120, 36), steps, lambda: len(app.screen.corpus))
    app.store.close()
    # The article open last is further than the first files: listed on to it at once.
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir), first=5), Store(store_dir))
    async with app.run_test(size=(120, 36)):
        assert app.screen.document.id == "3/039"
    app.store.close()


async def test_until_the_corpus_is_listed_its_unlisted_annotations_are_not_orphans(
    make_corpus, tmp_path, monkeypatch
):
    from tui.app.screens import main as main_module

    root = make_corpus({f"{name}.txt": f"Article {name}\n\nSon texte {name}." for name in "abc"})
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    document = Corpus.open(root).get("c")
    store.add_tag(document, document.passages[1], "motif")
    store.close()
    listing = main_module.MainScreen.list_rest
    monkeypatch.setattr(main_module.MainScreen, "list_rest", lambda screen: None)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir), first=1), Store(store_dir))
    notified = recording(app)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await press(pilot, "o")
        assert app.screen is screen  # no orphans list to delete c's annotation from
        assert notified[-1] == "The corpus is still being listed; try again in a moment."
        listing(screen)
        await until(pilot, lambda: screen.corpus.complete, "listed")
        await press(pilot, "o")
        assert app.screen is screen  # c's annotation is where it was made
        assert notified[-1] == "No orphaned annotations."
    app.store.close()


async def test_when_the_first_files_cannot_be_read_the_first_of_the_rest_opens(
    make_corpus, tmp_path
):
    root = make_corpus({"a.txt": BINARY, "b.txt": BINARY, "c.txt": "Lisible\n\nEnfin."})
    store_dir = tmp_path / "store"
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir), first=2), Store(store_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.document is not None, "an article open")
        assert screen.document.id == "c"
        assert "Enfin." in screen.reader.passages[1].text
    app.store.close()
