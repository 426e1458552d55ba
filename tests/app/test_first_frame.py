"""The first frame Textual draws is the whole reader: text, title and sidebar at their width.

Each pane lays itself out when it is first drawn, not when its Resize arrives afterwards;
otherwise the first frame shows an empty reader and a frame follows with the text.
"""

from __future__ import annotations

from textual._compositor import LayoutUpdate

from tui.app.app import GloseApp


def _frame_text(update: LayoutUpdate) -> str:
    return "\n".join("".join(strip.text for strip in row) for row in update.strips)


async def test_the_first_frame_shows_the_text_the_title_and_whole_names(make_app) -> None:
    app: GloseApp = make_app()
    frames: list[str] = []
    display = app._display

    def record(screen, renderable) -> None:
        if isinstance(renderable, LayoutUpdate) and not frames:
            frames.append(_frame_text(renderable))
        display(screen, renderable)

    app._display = record
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        document = app.screen.document
        assert frames, "Textual drew no full frame"
        first = frames[0]
        # The second paragraph: the first is the title, which the list shows too.
        words = document.passages[1].text[:30]
        assert words in first
        assert f"passage 1/{len(document.passages)}" in first
        assert "Highlights" in first  # not cut to "Hig…" for want of a width
