"""Plain text in the reader: a manual page shown as written, W reflows it, and the choice is
remembered for that document."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.app.test_reader_layout import lines_of
from tests.helpers import press

MANUAL = Path(__file__).resolve().parents[1] / "data" / "plain" / "chsh.1.txt"


async def test_a_manual_page_is_shown_as_written_and_w_reflows_it(make_app, make_corpus):
    root = make_corpus({})
    shutil.copy(MANUAL, root / "chsh.txt")
    app = make_app(root)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        lines = [line.rstrip() for line in lines_of(app.screen.reader)]
        assert "  NAME" in lines and "         chsh - change login shell" in lines
        assert any(line.endswith("This determines the name") for line in lines), "as written"
        await press(pilot, "W")
        lines = [line.rstrip() for line in lines_of(app.screen.reader)]
        shown = "\n".join(lines)
        assert "the name of the user's" in shown, "a continuation's indent is one space"
        assert "  chsh - change login shell" in lines
    app.store.close()
    app = make_app(root)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        shown = "\n".join(lines_of(app.screen.reader))
        assert "the name of the user's" in shown, "reflowed, as chosen for this document"
