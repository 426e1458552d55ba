"""The app and the store: refused writes show an error, a held store opens read-only."""

from __future__ import annotations

import errno
import os

from tests.helpers import journal_fd, press, recording
from tui.app.app import GloseApp
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.corpus import Corpus
from tui.store import Store, StoreLocked
from tui.store.readonly import ReadOnlyReason

SIZE = (120, 40)


async def test_a_full_disk_refuses_the_action_visibly_and_the_app_goes_on(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        store = screen.store
        store.create_tag("politique")
        real_write = os.write
        journal = journal_fd(store)

        def disk_full(fd, data):
            if fd == journal:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", disk_full)
        await press(pilot, "1", "h")
        await pilot.pause()
        monkeypatch.undo()
        assert app.is_running
        assert [m for m in app.notified if m.startswith("Not saved")] == [
            f"Not saved: cannot write {store.directory / 'glose.journal'}: the disk is full.",
        ] * 2
        assert store.annotations() == []
        assert screen.reader.annotations == {}, "the screen shows nothing that was not saved"
        assert screen.query_one(TagSidebar).counts == {}
        await press(pilot, "1")
        assert store.annotation(screen.document, screen.document.passages[0]).tags == ["politique"]


async def test_a_store_held_by_another_glose_opens_read_only(seeds, store_dir):
    holder = Store(store_dir)
    holder.create_tag("politique")
    reader_store = Store(store_dir, readonly=True)
    reason = ReadOnlyReason.of(StoreLocked("held"), store_dir)
    app = GloseApp(Corpus.open(seeds), reader_store, readonly_reason=reason)
    notified = recording(app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "read-only" in app.screen.title_text()
            assert notified == [reason.notice()]
            assert f"(process {os.getpid()} on " in notified[0]
            await press(pilot, "1", "h", "t")
            await pilot.pause()
            # Once for each key that would change something, in the same words.
            assert notified == [reason.notice()] * 4
            assert app.screen is not None and app.screen.__class__.__name__ == "MainScreen"
            await press(pilot, "j")
            assert app.screen.reader.current == 1, "reading still works"
    finally:
        reader_store.close()
        holder.close()
    with Store(store_dir, readonly=True) as after:
        assert after.annotations() == []
