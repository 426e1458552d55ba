"""Files that come into the corpus's folder, leave it or are renamed in it while the reader
runs: the list follows at the watch's next tick, and says so once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import WEB_PAGE, press, recording
from tests.waiting import articles_read, until
from tui.app.app import GloseApp
from tui.app.widgets.article_list import ArticleList
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.store import Store

SIZE = (120, 30)
PROJECT = Path(__file__).resolve().parents[2]


def rows(app) -> dict[str, str]:
    articles = app.screen.query_one(ArticleList)
    return {
        document.relpath: articles.prompt_at(index).plain
        for index, document in enumerate(articles.documents)
    }


async def test_a_file_written_into_the_corpus_comes_into_the_list_in_its_place(
    make_corpus, tmp_path
):
    root = make_corpus({"a.txt": "Premier\n\nUn.", "z.txt": "Dernier\n\nDeux."})
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), store)
    notified = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        (root / "mai").mkdir()
        (root / "mai" / "page.html").write_text(WEB_PAGE, encoding="utf-8")
        screen.reload_if_changed()  # what the screen's timer calls every two seconds
        listing = screen.query_one(ArticleList)
        await until(pilot, lambda: len(listing.documents) == 3, "the new file is listed")
        await articles_read(app, pilot)
        assert [d.relpath for d in listing.documents] == ["a.txt", "mai/page.html", "z.txt"]
        page = rows(app)["mai/page.html"].splitlines()
        assert "Terrain [b]x[/b]" in page[0]
        assert page[1].strip() == "0/3  2024-05-01 · Le Journal"
        assert notified.count("New article: mai/page.html") == 1
        assert screen.document.relpath == "a.txt", "the reader stays where it was"
        screen.reload_if_changed()  # nothing changed since: nothing said again
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notified.count("New article: mai/page.html") == 1
    store.close()


async def test_many_new_files_are_said_in_one_notice(make_app, make_corpus):
    root = make_corpus({"a.txt": "Premier."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        for name in ("b.txt", "c.md", "d/e.txt"):
            (root / name).parent.mkdir(exist_ok=True)
            (root / name).write_text(f"Texte de {name}.", encoding="utf-8")
        app.screen.reload_if_changed()
        await until(pilot, lambda: len(app.screen.corpus) == 4, "the new files are listed")
        assert "3 new articles" in app.notified
        assert not [m for m in app.notified if m.startswith("New article")]


async def test_a_removed_file_leaves_the_list_and_the_open_one_once_left(make_app, make_corpus):
    root = make_corpus({"a.txt": "Premier\n\nUn.\n\nDeux.", "b.txt": "Second.", "c.txt": "Trois."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        listing = screen.query_one(ArticleList)
        await press(pilot, "j")
        (root / "c.txt").unlink()
        (root / "a.txt").unlink()  # the open article
        screen.reload_if_changed()
        await until(pilot, lambda: len(listing.documents) == 2, "c.txt leaves the list")
        assert [d.relpath for d in listing.documents] == ["a.txt", "b.txt"]
        assert "Article gone from the corpus: c.txt" in app.notified
        # The open article stays shown as it was read, where the reader was.
        assert screen.document.relpath == "a.txt"
        assert screen.reader.current == 1
        assert any("a.txt cannot be read" in m for m in app.notified)
        await press(pilot, "]")
        assert screen.document.relpath == "b.txt"
        screen.reload_if_changed()
        await pilot.pause()
        assert [d.relpath for d in listing.documents] == ["b.txt"]


async def test_the_reader_follows_the_open_article_renamed(make_app, make_corpus):
    root = make_corpus({"a.txt": "Premier\n\nUn.\n\nDeux.", "b.txt": "Second."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "j", "j")
        os.rename(root / "a.txt", root / "c.txt")
        screen.reload_if_changed()
        await until(pilot, lambda: screen.document.relpath == "c.txt", "the reader follows")
        assert [d.relpath for d in screen.corpus] == ["b.txt", "c.txt"]
        assert screen.reader.current == 2, "at the same place"
        assert "Article renamed: a.txt is now c.txt" in app.notified


async def test_a_file_put_back_shows_its_annotations(make_app, make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Premier.", "b.txt": "Second\n\nUn passage annoté."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.open_by_id("b")
        await press(pilot, "j", "h")
        assert screen.store.annotated_passages(None) == {"b": {1}}
        await press(pilot, "[")
        os.rename(root / "b.txt", tmp_path / "b.txt")
        screen.reload_if_changed()
        await until(pilot, lambda: len(screen.corpus) == 1, "b.txt leaves the list")
        (tmp_path / "b.txt").write_text("Second\n\nUn passage annoté.", encoding="utf-8")
        (tmp_path / "b.txt").rename(root / "b.txt")
        screen.reload_if_changed()
        await until(pilot, lambda: len(screen.corpus) == 2, "b.txt is back")
        assert "1/2 annotated" in rows(app)["b.txt"]
        screen.open_by_id("b")
        await pilot.pause()
        shown = screen.store.annotations_on(screen.document, screen.reader.passages, None)
        assert 1 in shown, "its highlight shows again"


DROPPED_IN = """
import asyncio, json, os, sys
from pathlib import Path
from tests.helpers import recording
from tests.waiting import until
from tui.app.app import GloseApp
from tui.corpus import Corpus
from tui.store import Store


async def main() -> None:
    root, store_dir = Path(sys.argv[1]), Path(sys.argv[2])
    store = Store(store_dir)
    app = GloseApp(Corpus.open(root), store)
    notified = recording(app)
    async with app.run_test(size=(100, 30)) as pilot:
        os.mkfifo(root / "pipe.txt")
        (root / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
        (root / "b.txt").write_text("Second.", encoding="utf-8")
        app.screen.reload_if_changed()
        await until(pilot, lambda: len(app.screen.corpus) == 2, "b.txt is listed")
        listed = [d.relpath for d in app.screen.corpus]
    store.close()
    print(json.dumps({"listed": listed, "notified": notified}))


asyncio.run(main())
"""


@pytest.mark.slow
def test_a_pipe_and_a_broken_pdf_dropped_in_are_said_and_skipped(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Premier."})
    # In a child process with a timeout: a regression would block the screen's own thread.
    done = subprocess.run(
        [sys.executable, "-c", DROPPED_IN, str(root), str(tmp_path / "store")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.splitlines()[-1])
    assert shown["listed"] == ["a.txt", "b.txt"]
    assert [m for m in shown["notified"] if "Left out" in m] == [
        "Left out 2 files: broken.pdf (a broken PDF: it cannot be read), "
        "pipe.txt (a named pipe (FIFO), not a file)"
    ]
    assert "New article: b.txt" in shown["notified"]


async def test_an_empty_corpus_opens_the_first_file_that_comes(make_app, make_corpus):
    root = make_corpus({})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.document is None
        (root / "a.txt").write_text("Enfin un article.", encoding="utf-8")
        screen.reload_if_changed()
        await until(pilot, lambda: screen.document is not None, "the new file opens")
        assert screen.title_text().startswith("Enfin un article.")


async def test_the_open_article_put_back_stays_in_the_list(make_app, make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Premier.", "b.txt": "Second."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        os.rename(root / "a.txt", tmp_path / "a.txt")
        screen.reload_if_changed()
        await app.workers.wait_for_complete()
        await pilot.pause()
        os.rename(tmp_path / "a.txt", root / "a.txt")
        screen.reload_if_changed()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await press(pilot, "]")
        screen.reload_if_changed()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [d.relpath for d in screen.corpus] == ["a.txt", "b.txt"]


async def test_a_file_an_older_glose_named_otherwise_finds_its_annotations(tmp_path):
    from tests.store.test_former_ids import NEW, project

    corpus, store = project(tmp_path)
    cafe, away = os.fsencode(corpus) + b"/caf\xe9.txt", os.fsencode(tmp_path) + b"/c.txt"
    os.rename(cafe, away)
    writer = Store(store, annotator="ana")
    app = GloseApp(Corpus.open(corpus, Catalog.load(store)), writer)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert [d.id for d in screen.corpus] == ["plain"]
        os.rename(away, cafe)  # put back while the reader runs
        screen.reload_if_changed()
        await until(pilot, lambda: len(screen.corpus) == 2, "the file is listed")
        await articles_read(app, pilot)
        assert "2/2 annotated" in rows(app)[f"{NEW}.txt"]
    writer.close()


async def test_the_watch_lists_the_folder_again_only_when_it_changed(
    make_app, make_corpus, monkeypatch
):
    root = make_corpus({"a.txt": "Premier.", "m/b.txt": "Second."})
    for folder in (root, root / "m"):
        os.utime(folder, (1_000_000_000, 1_000_000_000))  # untouched for a while
    app = make_app(root)
    looks = []
    look_again = Corpus.look_again
    monkeypatch.setattr(
        Corpus, "look_again", lambda c, keep=None: looks.append(1) or look_again(c, keep)
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for _ in range(3):
            screen.reload_if_changed()
            await app.workers.wait_for_complete()
        assert looks == [], "walked again with nothing changed"
        (root / "m" / "c.txt").write_text("Troisième.", encoding="utf-8")
        screen.reload_if_changed()
        await until(pilot, lambda: len(screen.corpus) == 3, "c.txt is listed")
        assert looks == [1]
