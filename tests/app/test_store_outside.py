"""The app when its store is changed from outside: the refusal is said on screen."""

from __future__ import annotations

import os

from tests.helpers import press

SIZE = (120, 40)


async def test_a_journal_replaced_under_the_app_is_said_and_nothing_more_is_written(
    make_app, store_dir, tmp_path
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        store = app.screen.store
        store.create_tag("politique")
        journal = store_dir / "glose.journal"
        copy = tmp_path / "copy"
        copy.write_bytes(journal.read_bytes())
        os.replace(copy, journal)  # a sync tool, a restore, an editor's save
        await press(pilot, "1", "h")
        await pilot.pause()
        assert app.is_running
        said = (
            f"Not saved: {journal} was replaced or removed by another program, so nothing "
            "more is saved in this session: restart glose."
        )
        assert [m for m in app.notified if m.startswith("Not saved")] == [said, said]
        assert store.annotations() == []
        assert app.screen.reader.annotations == {}, "nothing unsaved is shown"
