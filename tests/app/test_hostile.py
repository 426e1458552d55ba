"""The hostile corpus under Pilot: every article walked, nothing interpreted, nothing leaked."""

from __future__ import annotations

import re

import pytest

from tests.helpers import press
from tests.hostile import ESCAPES, MARKUP, write_hostile_corpus
from tui.app.screens.info import ArticleInfo
from tui.app.screens.note_editor import NoteEditor
from tui.app.widgets.article_list import ArticleList

SIZE = (110, 34)

# What must never be on screen as a character: C0/C1 controls and bidi overrides.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def screen_text(app) -> str:
    return app.export_screenshot()


@pytest.mark.slow
async def test_walking_every_hostile_article_shows_text_as_data(make_app, tmp_path):
    root = tmp_path / "hostile"
    write_hostile_corpus(root)
    app = make_app(root)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        # One notice for the binary file, one per unreadable link, none for other extensions.
        notices = [m for m in app.notified if m.startswith("Left out")]
        assert notices == ["Left out 1 file that is not text: 07-binary.txt"]
        assert any("19-loop-a.txt" in m for m in app.notified)
        assert not any("notes.rtf" in m for m in app.notified)
        ids = [document.id for document in screen.corpus]
        assert "07-binary" not in ids and "08-empty" in ids and "sub/21-nested" in ids
        seen = 0
        while True:
            await pilot.pause()
            shown = screen_text(app)
            assert not FORBIDDEN.search(shown), f"{screen.document.id}: a control character"
            document = screen.document
            if document.id == "10-escapes":
                lines = "\n".join(
                    screen.reader.render_line(y).text for y in range(screen.reader.size.height)
                )
                for value in ESCAPES.values():
                    assert value.translate({0x1B: "␛", 0x07: "␇", 0x9B: "\ufffd"}) in lines
            if document.id == "11-markup":
                lines = [screen.reader.render_line(y).text[2:].strip() for y in range(3)]
                assert " ".join(" ".join(lines).split()).startswith(MARKUP)
            if document.id == "06-broken-utf8":
                assert "undecodable bytes" in screen.title_text()
            if document.id == "04-cp1252":
                assert "Windows-1252" in screen.title_text()
                assert "sécurité de l’œuvre coûte 3 €" in screen.reader.render_line(0).text
            if document.id in ("08-empty", "09-blank"):
                assert "This article is empty." in screen.reader.render_line(0).text
            await press(pilot, "j", "G", "g", "space", "i")
            await pilot.pause()
            assert isinstance(app.screen, ArticleInfo)
            assert not FORBIDDEN.search(screen_text(app))
            await press(pilot, "escape")
            seen += 1
            before = screen.document.id
            await press(pilot, "right_square_bracket")
            if screen.document.id == before:
                break
        assert seen == len(ids)
        assert app.is_running
        # The list shows the markup file name literally.
        prompts = [str(screen.query_one(ArticleList).prompt_at(i)) for i in range(len(ids))]
        assert any("Nom de fichier en" in p for p in prompts)
        assert any("Nom de fichier avec" in p for p in prompts)


@pytest.mark.slow
async def test_tag_names_are_validated_and_shown_as_data(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await press(pilot, "t", *"[bold]x[/]", "enter")
        await pilot.pause()
        assert screen.store.find_tag("[bold]x[/]") is not None
        assert "● [bold]x[/]" in screen.reader.render_line(1).text
        await press(pilot, "t", *("y" * 80))
        # Never cut without a word: the hint counts as it goes past the limit, enter refuses.
        prompt = app.screen
        assert "80 characters: 60 at most" in str(prompt.query_one("#tag-prompt-hint").render())
        await press(pilot, "enter")
        assert app.screen is prompt and screen.store.find_tag("y" * 60) is None
        await press(pilot, *["backspace"] * 20, "enter")
        assert screen.store.find_tag("y" * 60) is not None


async def test_quotes_with_escapes_and_markup_reach_dialogs_as_text(make_app, make_corpus):
    root = make_corpus({"doc.txt": "Un \x1b[31mROUGE\x1b[0m [bold]gras[/] ici.\n\nSuite."})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "w", "w", "h", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        about = str(app.screen.query_one("#note-about").visual)
        assert "\x1b" not in about and "␛[31mROUGE" in about
        assert "\x1b" not in app.export_screenshot()


async def test_notifications_never_parse_markup_even_from_widgets(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.notify("a[ ]b.txt [/] [@click=app.quit]x[/]")  # widgets default to markup
        await pilot.pause()
        assert app.is_running
        assert "a[ ]b.txt [/] [@click=app.quit]x[/]" in app.notified
