"""The read-only window: it says why it only reads, follows what the writer saves (on r and
when the store's files change), and says as of when an export holds."""

from __future__ import annotations

import errno
import json
import os
import re

import pytest

from tests.helpers import press, quiet, recording, text_document
from tui.app.app import GloseApp
from tui.app.screens.export_dialog import ExportDialog
from tui.app.screens.main import MainScreen
from tui.app.screens.orphans import OrphansView
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.cli import build_parser
from tui.cli.reader import open_store_for_reader
from tui.corpus import Corpus
from tui.store import Store

SIZE = (120, 40)
CLOCK = r"\d\d:\d\d:\d\d"
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT


def read_only_app(seeds, store_dir, monkeypatch, code: int | None = None):
    """The reader opened as `glose` opens it, its store refusing writes with `code` (None:
    another glose holds it); what it tells the user is in `app.notified`."""
    with monkeypatch.context() as patch:
        if code is not None:
            real_open = os.open

            def refused(path, flags, *rest, **options):
                if os.fspath(path).endswith("glose.lock") and flags & WRITING:
                    raise OSError(code, os.strerror(code))
                return real_open(path, flags, *rest, **options)

            patch.setattr(os, "open", refused)
        args = build_parser().parse_args(["--store", str(store_dir)])
        store, reason = open_store_for_reader(args)
    assert store.readonly and reason is not None
    app = GloseApp(Corpus.open(seeds), store, readonly_reason=reason)
    app.notified = recording(app)
    return app


@pytest.fixture
def writer(store_dir):
    """Another glose writing to the store (in this process: the lock is per open file)."""
    store = Store(store_dir)
    yield store
    store.close()


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await quiet(pilot)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (None, "Another glose is writing to this store (process "),
        (errno.EROFS, "is on a read-only file system"),
        (errno.EACCES, "You have no permission to write in this store's folder"),
        (errno.ENOSPC, "The disk holding this store"),
    ],
    ids=["held", "EROFS", "EACCES", "ENOSPC"],
)
async def test_each_refused_key_says_the_real_reason(seeds, store_dir, monkeypatch, code, said):
    holder = Store(store_dir)
    holder.create_tag("politique")  # key 1
    if code is not None:
        holder.close()
    app = read_only_app(seeds, store_dir, monkeypatch, code)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await press(pilot, "1", "h")
            notices = [n for n in app.notified if "annotation keys do nothing" in n]
            # Said on opening, then once for each key that would change something.
            assert len(notices) == 3 and len(set(notices)) == 1
            assert said in notices[0]
            if code is not None:
                assert str(store_dir) in notices[0] and "Another glose" not in notices[0]
            assert app.screen.store.annotations() == []
    finally:
        app.store.close()
        holder.close()


async def test_r_shows_what_the_writer_saved_since(seeds, store_dir, writer, monkeypatch):
    app = read_only_app(seeds, store_dir, monkeypatch)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            screen = app.screen
            document = screen.document
            writer.tag_passage(document, document.passages[0], "politique")
            writer.toggle_highlight(document, document.passages[1])
            await press(pilot, "r")
            await settle(app, pilot)
            assert screen.query_one(TagSidebar).counts == {"politique": 1}
            marks = {i: (a.tags, a.highlighted) for i, a in screen.reader.annotations.items()}
            assert marks == {0: (["politique"], False), 1: ([], True)}
            assert re.search(rf"Store read again: annotations as of {CLOCK}\.", app.notified[-1])
            await press(pilot, "r")
            await settle(app, pilot)
            assert re.search(rf"Store unchanged: annotations as of {CLOCK}\.", app.notified[-1])
    finally:
        app.store.close()


async def test_the_watch_shows_what_the_writer_saved(seeds, store_dir, monkeypatch):
    # A writer that writes a new snapshot after every action: the reader follows that too.
    writer = Store(store_dir, compact_after=0)
    writer.create_tag("politique")
    app = read_only_app(seeds, store_dir, monkeypatch)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            screen = app.screen
            document = screen.document
            assert screen.query_one(TagSidebar).counts == {}
            writer.toggle_tag(document, document.passages[2], "politique")
            writer.create_tag("économie")
            said = len(app.notified)
            screen.reload_if_changed()  # what the watch's timer calls
            await settle(app, pilot)
            assert screen.query_one(TagSidebar).counts == {"politique": 1}
            assert [t.name for t in screen.store.tags()] == ["politique", "économie"]
            assert {i: a.tags for i, a in screen.reader.annotations.items()} == {2: ["politique"]}
            assert app.notified[said:] == []  # followed quietly: nobody asked
            writer.toggle_tag(document, document.passages[2], "politique")
            screen.reload_if_changed()
            await settle(app, pilot)
            assert screen.query_one(TagSidebar).counts == {}
            assert screen.reader.annotations == {}
    finally:
        app.store.close()
        writer.close()


async def test_a_store_that_cannot_be_read_again_is_said_once_and_still_shown(
    seeds, store_dir, writer, monkeypatch
):
    writer.create_tag("politique")
    app = read_only_app(seeds, store_dir, monkeypatch)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            screen = app.screen
            with (store_dir / "glose.journal").open("ab") as journal:
                journal.write(b"not an action\n")
            for _ in range(3):
                screen.reload_if_changed()
                await settle(app, pilot)
            failures = [n for n in app.notified if "could not be read again" in n]
            assert len(failures) == 1
            assert "line 3 is damaged" in failures[0]
            assert re.search(rf"Still showing the annotations as of {CLOCK}\.", failures[0])
            assert [t.name for t in screen.store.tags()] == ["politique"]
    finally:
        app.store.close()


@pytest.mark.slow
async def test_an_export_from_a_read_only_window_says_as_of_when(
    seeds, store_dir, writer, monkeypatch, tmp_path
):
    app = read_only_app(seeds, store_dir, monkeypatch)
    target = tmp_path / "out.json"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            screen = app.screen
            document = screen.document
            writer.tag_passage(document, document.passages[0], "politique")
            screen.reload_if_changed()
            await settle(app, pilot)
            await press(pilot, "e")
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            path = dialog.query_one("#export-path")
            path.value = str(target)
            await press(pilot, "ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
            exported = json.loads(target.read_text(encoding="utf-8"))
            (passages,) = [d["passages"] for d in exported["documents"]]
            assert [p["tags"] for p in passages] == [["politique"]]
            said = [n for n in app.notified if n.startswith("Exported")]
            assert len(said) == 1
            assert re.search(
                rf"\(as of {CLOCK}, read-only: another glose is writing\)$", said[0]
            ), said[0]
    finally:
        app.store.close()


@pytest.mark.slow
async def test_an_export_from_the_writer_says_nothing_of_the_kind(make_app, tmp_path):
    app = make_app()
    target = tmp_path / "out.json"
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "e")
        app.screen.query_one("#export-path").value = str(target)
        await press(pilot, "ctrl+s")
        await settle(app, pilot)
        (said,) = [n for n in app.notified if n.startswith("Exported")]
        assert "as of" not in said and "read-only" not in said


async def test_an_orphan_in_a_read_only_window_says_why_it_cannot_change(
    make_corpus, store_dir, monkeypatch
):
    text = "Premier paragraphe.\n\nSecond paragraphe."
    root = make_corpus({"doc.txt": text})
    before = text_document("doc", text, "doc.txt")
    with Store(store_dir) as mine:
        mine.set_passage_note(before, before.passages[1], "La mienne.")
    (root / "doc.txt").write_text("Un tout autre texte.", encoding="utf-8")
    app = read_only_app(root, store_dir, monkeypatch, errno.EROFS)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await press(pilot, "o")
            assert isinstance(app.screen, OrphansView)
            await press(pilot, "x")
            assert "is on a read-only file system" in app.notified[-1]
            assert "only yours" not in app.notified[-1]
    finally:
        app.store.close()
