"""The reader's layout: tall passages, many tags, code, control characters, themes, clicks."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.helpers import press
from tests.waiting import until
from tui.app.app import GloseApp
from tui.app.render.blocks import text_width
from tui.app.screens.too_small import TooSmall
from tui.app.widgets.article_list import ArticleList
from tui.app.widgets.reader import Reader
from tui.app.widgets.tag_sidebar import TagSidebar
from tui.corpus import Corpus
from tui.store import Store

SIZE = (110, 34)

# One run-on sentence: too long for one screen, and no full stop to cut it into passages.
LONG = " ".join(f"mot{n} d’un très long passage sur l’alliance" for n in range(40))


def lines_of(reader: Reader) -> list[str]:
    return [reader.render_line(y).text for y in range(reader.size.height)]


async def test_space_pages_through_a_passage_taller_than_the_screen(make_app, make_corpus):
    root = make_corpus({"long.txt": f"Court.\n\n{LONG}\n\nFin."})
    app = make_app(root)
    async with app.run_test(size=(60, 14)) as pilot:
        reader = app.screen.reader
        await press(pilot, "j")
        block = reader.passage_layout.block(1)
        assert block.text_height > 3 * reader.scrollable_content_region.height
        seen: list[str] = []
        while reader.current == 1:
            seen.extend(lines_of(reader))
            await press(pilot, "space")
            await pilot.pause()
        assert reader.current == 2
        # Every line of the tall passage was on screen at some point.
        start, end = block.lines[-1]
        last_words = reader.document.passages[1].text[start:end].strip()
        assert any(last_words in line for line in seen)
        await press(pilot, "pageup")
        await pilot.pause()
        assert reader.current in (1, 2)


async def test_many_tags_wrap_onto_as_many_rows_as_needed(make_app):
    app = make_app()
    async with app.run_test(size=(90, 30)) as pilot:
        store = app.screen.store
        names = [f"étiquette-{n}" for n in range(10)]
        for name in names:
            store.create_tag(name)
            store.add_tag(app.screen.document, app.screen.document.passages[0], name)
        app.screen.open_document(app.screen.document)
        await pilot.pause()
        shown = "\n".join(lines_of(app.screen.reader))
        for name in names:
            assert f"● {name}" in shown
        assert len(app.screen.reader.passage_layout.block(0).tag_rows) > 1


async def test_control_characters_wrap_as_wide_as_their_placeholders(make_app, make_corpus):
    word = "\x1b[1mgras\x1b[0m"
    root = make_corpus({"esc.txt": " ".join([word] * 30)})
    app = make_app(root)
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        reader = app.screen.reader
        width = reader.passage_layout.width
        for line in lines_of(reader):
            assert "\x1b" not in line
            assert len(line.rstrip()) <= width
        text = "".join(lines_of(reader)).replace(" ", "")
        assert text.count("␛[1mgras␛[0m") == 30, "nothing is cut off at the right edge"


async def test_code_blocks_keep_their_lines(make_app, make_corpus):
    root = make_corpus({"code.md": "# Code\n\n```python\ndef f():\n    return 1\n```\n"})
    app = make_app(root)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        lines = [line.rstrip() for line in lines_of(app.screen.reader)]
        assert not any("```" in line for line in lines), "the fence is syntax, not shown"
        assert "  def f():" in lines
        assert "      return 1" in lines


async def test_a_theme_change_redraws_every_line(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.screen.reader
        before = reader.render_line(5)
        app.theme = "textual-light"
        await pilot.pause()
        after = reader.render_line(5)
        backgrounds = {segment.style.bgcolor for segment in after if segment.style}
        assert before.text == after.text
        assert backgrounds != {segment.style.bgcolor for segment in before if segment.style}
        assert reader.rich_style.bgcolor in backgrounds


@pytest.mark.slow
async def test_clicks_on_the_border_or_a_blank_line_select_nothing_else(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.screen.reader
        block = reader.passage_layout.block(2)
        # The blank line after passage 2 (content row block.bottom) is no passage.
        await pilot.click(Reader, offset=(6, 1 + block.bottom))
        assert reader.current == 0
        await pilot.click(Reader, offset=(6, 0))  # the top border
        assert reader.current == 0
        await pilot.click(Reader, offset=(6, 1 + block.top))
        assert reader.current == 2


async def test_each_article_reopens_where_it_was_left(make_app, store_dir, seeds):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "j", "j", "right_square_bracket", "j", "j", "j")
        assert app.screen.document.id == "001_5049656ab526f4d3"
        await press(pilot, "left_square_bracket")
        assert app.screen.reader.current == 2
        await press(pilot, "right_square_bracket")
        assert app.screen.reader.current == 3
        await press(pilot, "q")
    app.store.close()
    second = make_app()
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert second.screen.document.id == "001_5049656ab526f4d3"
        assert second.screen.reader.current == 3
        assert "passage 4/21" in second.screen.title_text()


@pytest.mark.slow
async def test_backslash_hides_and_shows_the_side_panes_narrow_screens_fold_them(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        articles, tags = screen.query_one(ArticleList), screen.query_one(TagSidebar)
        wide = screen.reader.size.width
        await press(pilot, "backslash")
        await pilot.pause()
        assert not articles.display and not tags.display
        assert screen.reader.size.width > wide
        await press(pilot, "backslash")
        await pilot.pause()
        assert articles.display and tags.display
    app.store.close()
    app = make_app()
    async with app.run_test(size=(64, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(ArticleList).display
        assert not screen.query_one(TagSidebar).display
        assert screen.reader.size.width >= 30
        await press(pilot, "backslash")
        await pilot.pause()
        assert not screen.query_one(ArticleList).display


async def test_the_position_stays_visible_beside_a_long_title(make_app, make_corpus):
    root = make_corpus({"t.txt": "Un titre " * 12 + "\n\nTexte."})
    app = make_app(root)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        position = app.screen.query_one("#doc-position")
        assert "passage 1/2" in str(position.visual)
        assert position.region.right <= 80


async def test_the_tag_prompt_says_what_enter_and_tab_will_do(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.store.create_tag("politique")
        await press(pilot, "t", "p", "o", "l")
        await pilot.pause()
        hint = str(app.screen.query_one("#tag-prompt-hint").visual)
        assert "enter: new tag “pol”" in hint and "tab: “politique”" in hint
        await press(pilot, "tab")
        await pilot.pause()
        hint = str(app.screen.query_one("#tag-prompt-hint").visual)
        assert "enter: tag “politique”" in hint and "tab:" not in hint
        assert app.screen.query_one("#tag-matches", OptionList).option_count == 1


async def test_annotations_made_on_other_text_are_neither_shown_nor_changed(
    make_app, make_corpus, store_dir
):
    root = make_corpus({"doc.txt": "Alpha beta.\n\nGamma."})
    app = make_app(root)
    async with app.run_test(size=(80, 20)) as pilot:
        await press(pilot, "t", *"pol", "enter")
        await pilot.pause()
    app.store.close()
    (root / "doc.txt").write_text("Alpha BETA.\n\nGamma.", encoding="utf-8")  # same offsets
    second = make_app(root)
    async with second.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert second.screen.reader.annotations == {}
        assert not any("● pol" in line for line in lines_of(second.screen.reader))
        await press(pilot, "h")
    second.store.close()
    with Store(store_dir, readonly=True) as store:
        quotes = sorted((a.quote, tuple(a.tags), a.highlighted) for a in store.annotations())
    assert quotes == [("Alpha BETA.", (), True), ("Alpha beta.", ("pol",), False)]


async def test_changes_show_on_screen_after_scrolling(make_app):
    """What the terminal shows (the composed screen), not only what render_line would draw."""
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        reader = app.screen.reader
        await press(pilot, "space", "space")
        await pilot.pause()
        assert reader.scroll_y > 0
        assert "#ffe680" not in app.export_screenshot()
        await press(pilot, "h")
        await pilot.pause()
        assert "#ffe680" in app.export_screenshot(), "the highlight reached the screen"
        current = reader.current
        await press(pilot, "k")
        await pilot.pause()
        screen = app.export_screenshot()
        # Exactly one passage carries the current-passage mark on screen.
        assert screen.count("▌") == reader.passage_layout.block(current - 1).text_height


async def test_below_56_columns_backslash_swaps_the_reader_for_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(50, 20)) as pilot:
        screen = app.screen
        articles = screen.query_one(ArticleList)
        assert not articles.display and screen.reader.display
        await press(pilot, "backslash")
        await pilot.pause()
        assert articles.display and articles.size.width >= 40
        assert not screen.query_one("#reading").display
        assert app.focused is articles
        await press(pilot, "down", "enter")
        # The article is opened by a worker: under load it takes more than one frame.
        await until(
            pilot,
            lambda: screen.document.id == "001_5049656ab526f4d3" and not articles.display,
            "the second article opens in place of the list",
        )
        assert screen.query_one("#reading").display
        assert app.focused is screen.reader


@pytest.mark.slow
async def test_a_resize_that_hides_the_focused_pane_moves_focus_and_undoes_toggles(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await press(pilot, "shift+tab")
        assert app.focused is screen.query_one(ArticleList)
        await pilot.resize_terminal(50, 20)
        await until(pilot, lambda: app.focused is screen.reader, "focus moves to the reader")
        await press(pilot, "j")
        assert screen.reader.current == 1
        await pilot.resize_terminal(120, 30)
        await until(pilot, lambda: screen.has_class("-normal"), "the wide layout")
        await press(pilot, "backslash")  # hide both side panes at full width
        await pilot.pause()
        assert not screen.query_one(TagSidebar).display
        await pilot.resize_terminal(60, 20)
        await until(pilot, lambda: screen.has_class("-compact"), "the compact layout")
        # The toggle belonged to the wide layout: the compact one shows its own default.
        assert screen.query_one(ArticleList).display
        assert screen.reader.size.width >= 30


async def test_a_damaged_reading_place_is_ignored(make_app, store_dir):
    from tui.store import Store as StoreClass

    with StoreClass(store_dir) as store:
        store.set_state("reading", {"document": ["x"], "places": {"000_9ff77a90e9a0ba93": "3"}})
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.document.id == "000_9ff77a90e9a0ba93"
        assert app.screen.reader.current == 0


async def test_the_hint_follows_the_arrow_keys_in_the_tag_prompt(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        store = app.screen.store
        store.create_tag("europe")
        store.create_tag("politique")
        await press(pilot, "t", "e")
        await pilot.pause()
        prompt = app.screen
        assert "tab: “europe”" in str(prompt.query_one("#tag-prompt-hint").visual)
        await press(pilot, "down", "down")
        await pilot.pause()
        assert "enter: tag “politique”" in str(prompt.query_one("#tag-prompt-hint").visual)


async def test_pageup_into_a_tall_passage_shows_its_end_first(make_app, make_corpus):
    root = make_corpus({"long.txt": f"Court.\n\n{LONG}\n\nFin."})
    app = make_app(root)
    async with app.run_test(size=(60, 14)) as pilot:
        reader = app.screen.reader
        await press(pilot, "G")
        await pilot.pause()
        await press(pilot, "pageup")
        await pilot.pause()
        block = reader.passage_layout.block(1)
        assert reader.current == 1
        page = reader.scrollable_content_region.height
        assert round(reader.scroll_y) == block.bottom - page, "the end of the tall passage"


@pytest.mark.slow
async def test_a_huge_paragraph_shows_at_once_and_is_cut_into_sentences_in_the_background(
    make_app, make_corpus
):
    sentence = "Le consortium promeut l’innovation ouverte en intelligence artificielle. "
    root = make_corpus({"huge.txt": "Titre\n\n" + sentence * 3_000})  # one 220 kB line
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        document = screen.document
        while screen.reader.passages is not document.final_passages:  # swapped in when cut
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert screen.reader.passages is document.passages
        assert {p.kind for p in screen.reader.passages[1:]} == {"sentences"}
        assert "cutting sentences" not in screen.title_text()
        await press(pilot, "j", "h")
        assert len(screen.store.annotations()) == 1


@pytest.mark.slow
async def test_a_stand_in_cut_cannot_be_annotated(make_app, make_corpus):
    from tui.corpus import segment

    sentence = "Le consortium promeut l’innovation ouverte en intelligence artificielle. "
    root = make_corpus({"huge.txt": "Titre\n\n" + sentence * 3_000})
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        document = screen.document
        while screen.reader.passages is not document.final_passages:  # the real cut, swapped in
            await app.workers.wait_for_complete()
            await pilot.pause()
        # What the screen shows while pysbd works: the quick cut, long paragraphs pending.
        quick = segment(document.text, quick=True)
        screen.reader.show_document(document, quick, {}, [], {}, 1)
        await press(pilot, "h", "1", "v", "w", "h")
        assert screen.store.annotations() == [] and screen.store.highlights() == []
        assert any("still being cut into sentences" in m for m in app.notified)


@pytest.mark.slow
async def test_a_big_document_is_laid_out_as_it_shows_and_as_if_laid_out_at_once(
    make_corpus, monkeypatch, tmp_path
):
    import tui.app.widgets.reader as reader_module
    from tui.app.render.wrapping import wrap_passage

    # 900,000 characters, paragraphs short enough to need no sentence cut.
    paragraphs = [f"Paragraphe {n} : " + "l’alliance ouverte " * (n % 30 + 1) for n in range(3000)]
    root = make_corpus({"livre.txt": "\n\n".join(paragraphs)})
    screens = []
    for exact in (False, True):
        if exact:
            monkeypatch.setattr(reader_module, "EXACT_LAYOUT", 10**9)
        app = GloseApp(Corpus.open(root), Store(tmp_path / f"store-{exact}"))
        async with app.run_test(size=(100, 30)) as pilot:
            reader = app.screen.reader
            layout = reader.passage_layout
            laid_out = sum(layout.is_laid_out(i) for i in range(len(layout)))
            if not exact:
                assert 0 < laid_out < 40, "only what shows is laid out when the book opens"
            await press(pilot, "G")
            await pilot.pause()
            assert reader.current == len(reader.passages) - 1
            screen = lines_of(reader)
            last = reader.passage_layout.block(reader.current)
            start, end = last.lines[-1]
            assert reader.passages[-1].text[start:end].strip() in "\n".join(screen)
            await press(pilot, "g")
            await pilot.pause()
            screen += lines_of(reader)
            screens.append(screen)
            width = text_width(layout.width)
            for index, passage in enumerate(reader.passages):
                assert layout.block(index).lines == wrap_passage(passage.text, width)
            heights = [layout.heights[i] for i in range(len(layout))]
        app.store.close()
    lazy_screen, eager_screen = screens
    # The first and last screens are the same, line for line, whichever way it was laid out.
    assert lazy_screen == eager_screen
    assert layout.height == sum(heights)


@pytest.mark.slow
async def test_scrolling_up_a_big_document_moves_the_text_line_by_line(make_app, make_corpus):
    # Passages above the screen are laid out only as they come into view; their true heights
    # differ from the estimates, and the text on screen must not jump when they replace them.
    paragraphs = [
        f"Paragraphe {n} : " + "l’alliance ouverte, très ouverte " * (n % 17 + 1)
        for n in range(2000)
    ]
    root = make_corpus({"livre.txt": "\n\n".join(paragraphs)})
    app = make_app(root)
    async with app.run_test(size=(90, 30)) as pilot:
        reader = app.screen.reader
        await press(pilot, "G")
        await pilot.pause()
        before = lines_of(reader)
        for _ in range(80):
            reader.scroll_relative(y=-1, animate=False, immediate=True)
            await pilot.pause()
            after = lines_of(reader)
            assert after[1:] == before[:-1], "one line up, every line one row down"
            before = after


@pytest.mark.slow
async def test_too_small_covers_dialogs_too(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "question_mark")
        await pilot.resize_terminal(39, 11)
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmall)
