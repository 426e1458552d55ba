"""Links in the reader: marked in the text, listed by `f`, opened by `enter` with the system's
opener; `y` copies the selection or the current passage."""

from __future__ import annotations

import pytest

from tests.helpers import press, quiet
from tui.app import opener
from tui.app.screens.links import LinksView

TEXT = "Voir https://example.org/terrain pour tout.\n\nFin du texte, sans lien.\n"


@pytest.fixture
def launched(monkeypatch) -> list[list[str]]:
    """What the opener was asked to run (nothing is run)."""
    calls: list[list[str]] = []
    monkeypatch.setattr(opener.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(opener.subprocess, "Popen", lambda args, **_: calls.append(args))
    return calls


async def test_a_link_is_marked_in_the_text(make_app, make_corpus):
    app = make_app(make_corpus({"a.txt": TEXT}))
    async with app.run_test(size=(100, 20)) as pilot:
        await quiet(pilot)
        reader = app.screen.reader
        strip = next(
            reader.render_line(y)
            for y in range(reader.size.height)
            if "https" in reader.render_line(y).text
        )
        styles = {segment.text: segment.style for segment in strip if segment.text.strip()}
    linked = [text for text, style in styles.items() if style is not None and style.underline]
    assert linked == ["https://example.org/terrain"]


async def test_f_lists_the_passages_links_and_enter_opens_one(make_app, make_corpus, launched):
    app = make_app(make_corpus({"a.txt": TEXT}))
    async with app.run_test(size=(100, 20)) as pilot:
        await quiet(pilot)
        await press(pilot, "f")
        assert isinstance(app.screen, LinksView)
        assert [link.target for link in app.screen.links] == ["https://example.org/terrain"]
        await press(pilot, "enter")
        assert not isinstance(app.screen, LinksView)
    assert launched == [["/usr/bin/xdg-open", "https://example.org/terrain"]]


async def test_a_passage_without_links_says_so(make_app, make_corpus, launched):
    app = make_app(make_corpus({"a.txt": TEXT}))
    async with app.run_test(size=(100, 20)) as pilot:
        await quiet(pilot)
        await press(pilot, "j", "f")
        assert isinstance(app.screen, LinksView)
        assert app.screen.links == []
        await press(pilot, "enter", "escape")
    assert launched == []


async def test_without_an_opener_the_address_is_copied_and_said(make_app, make_corpus, monkeypatch):
    monkeypatch.setattr(opener.shutil, "which", lambda name: None)
    app = make_app(make_corpus({"a.txt": TEXT}))
    async with app.run_test(size=(100, 20)) as pilot:
        await quiet(pilot)
        await press(pilot, "f", "enter")
        assert app.clipboard == "https://example.org/terrain"
    assert any("No program to open links" in message for message in app.notified)


def test_only_web_and_mail_addresses_are_opened(launched):
    assert opener.open_address("javascript:alert(1)") is not None
    assert opener.open_address("file:///etc/passwd") is not None
    assert launched == []
    assert opener.open_address("mailto:a@example.org") is None
    assert launched == [["/usr/bin/xdg-open", "mailto:a@example.org"]]


def test_a_refused_address_is_said_without_its_control_characters(launched):
    said = opener.open_address("javascript:\x1b]0;pwn\x07\u202e")
    assert said is not None and said.startswith("Only web and mail addresses are opened")
    assert not any(c in said for c in "\x1b\x07\u202e"), "the terminal reads no escape"
    assert launched == []


async def test_y_copies_the_current_passage_or_the_selection(make_app, make_corpus):
    app = make_app(make_corpus({"a.txt": TEXT}))
    async with app.run_test(size=(100, 20)) as pilot:
        await quiet(pilot)
        await press(pilot, "y")
        assert app.clipboard == "Voir https://example.org/terrain pour tout."
        await press(pilot, "v", "w", "y")
        assert app.clipboard == "Voir https://example.org/terrain"


def test_a_links_words_and_address_are_shown_as_text_not_markup():
    from tui.app.screens.links import link_prompt
    from tui.corpus.extract import Link

    shown = link_prompt("[b]gras[/b]\x1b[31m", Link(0, 9, "https://example.org/[i]x[/i]"))
    assert shown.plain == "[b]gras[/b]␛[31m\n  https://example.org/[i]x[/i]"
    assert not shown.spans or all(span.style in ("bold", "dim") for span in shown.spans)
