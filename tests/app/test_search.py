"""Search (`/`, n, N, results across the corpus) and where a tag is (enter in the sidebar)."""

from __future__ import annotations

import threading

import pytest
from textual.app import App
from textual.widgets import Input, OptionList

from tests.helpers import press, quiet, saved_long_after
from tests.waiting import index_ready, searched, until
from tui.app.screens.places import PlacesView
from tui.app.screens.search_dialog import RESULTS_SHOWN, Found, SearchChoice, SearchView
from tui.app.widgets.tag_sidebar import HIGHLIGHTS, NOTES, TagSidebar
from tui.corpus.folding import fold_text
from tui.corpus.query import QueryError

SIZE = (120, 40)
FIRST = "000_9ff77a90e9a0ba93"


def title_bar(app) -> str:
    return app.screen.title_text()


async def open_search(app, pilot, query: str):
    """Wait for the corpus index, open `/`, type `query` and wait for its results."""
    await index_ready(app, pilot)
    await press(pilot, "slash")
    dialog = app.screen
    assert isinstance(dialog, SearchView)
    await press(pilot, *query)
    dialog.run_query()  # what the typing pause does, without waiting for it
    await searched(pilot, dialog)
    return dialog


def status(dialog) -> str:
    return str(dialog.query_one("#search-status").render())


async def test_slash_lists_matches_here_then_in_the_other_articles(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_search(app, pilot, "SECURITE")
        assert status(dialog) == "9 matches in 5 articles (2 in this one)"
        places = dialog.places
        assert [p.document for p in places[:2]] == [FIRST, FIRST]
        assert FIRST not in {p.document for p in places[2:]}
        assert len(places) == 9
        document = app.screen_stack[0].corpus.get(places[3].document)
        assert document.text[places[3].start : places[3].end] == "sécurité"


@pytest.mark.slow
async def test_enter_searches_the_article_and_n_and_N_step_through_matches(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await open_search(app, pilot, "securite")
        await press(pilot, "enter")
        await pilot.pause()
        assert "«securite» 1/2" in title_bar(app)
        assert screen.reader.current == 4  # passage 5 holds the first
        await press(pilot, "n")
        assert "«securite» 2/2" in title_bar(app) and screen.reader.current == 7
        await press(pilot, "n")
        assert "«securite» 1/2" in title_bar(app)
        assert "Went on from the top of the article." in app.notified
        await press(pilot, "N")
        assert "«securite» 2/2" in title_bar(app)
        # Matches are drawn: the reader's line holding the current one marks its words.
        reader = screen.reader
        marked = reader.get_component_rich_style("reader--match-current", partial=True)
        lines = [reader.render_line(y) for y in range(reader.size.height)]
        assert any(
            segment.text == "sécurité" and segment.style and segment.style.reverse
            for strip in lines
            for segment in strip
        ), marked
        await press(pilot, "escape")
        assert "«securite»" not in title_bar(app)
        await press(pilot, "n")
        assert "No search yet: / searches this article and the corpus." in app.notified


@pytest.mark.slow
async def test_n_goes_on_from_where_the_reader_is(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await open_search(app, pilot, "securite")
        await press(pilot, "enter")
        await press(pilot, "G", "g", "j")  # moved away: passage 2, before both matches
        await press(pilot, "n")
        assert screen.reader.current == 4 and "«securite» 1/2" in title_bar(app)
        await press(pilot, "G", "N")
        assert screen.reader.current == 7 and "«securite» 2/2" in title_bar(app)


@pytest.mark.slow
async def test_choosing_a_result_opens_its_article_at_its_passage(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        dialog = await open_search(app, pilot, "sécurité")
        target = dialog.places[2]
        await press(pilot, "down")  # the first result is chosen; the typing stays in the box
        results = dialog.query_one(OptionList)
        assert app.focused is dialog.query_one(Input)
        assert dialog.chosen is dialog.places[0]
        await press(pilot, "up")  # above the first: none
        assert dialog.chosen is None
        await press(pilot, "down", "down", "down")  # past the heading of the other articles
        assert results.highlighted_option.id == "2"
        await press(pilot, "enter")
        await pilot.pause()
        assert screen.document.id == target.document
        passage = screen.reader.current_passage
        assert passage.start <= target.start < passage.end
        assert "«sécurité» 1/" in title_bar(app)
        assert app.focused is screen.reader


async def test_a_search_without_match_says_so_and_a_query_is_data(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_search(app, pilot, "[bold]x[/] zzz")
        assert status(dialog) == "0 matches in 0 articles"
        assert dialog.places == []
        await press(pilot, "enter")
        await pilot.pause()
        assert "No match for «[bold]x[/] zzz» in this article." in app.notified
        assert "«[bold]x[/] zzz» no match" in title_bar(app)


@pytest.mark.slow
async def test_an_empty_query_is_refused_in_the_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_search(app, pilot, "   ")
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen is dialog
        assert status(dialog) == "Type something to search for."
        await press(pilot, "escape")
        assert not isinstance(app.screen, SearchView)


@pytest.mark.slow
async def test_the_last_query_comes_back_in_the_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_search(app, pilot, "alliance")
        await press(pilot, "enter", "slash")
        assert app.screen.query_one(Input).value == "alliance"


async def test_a_reloaded_article_is_searched_as_it_now_is(make_app, make_corpus):
    root = make_corpus({"a.txt": "Rien.\n", "b.txt": "Autre chose.\n"})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await app.workers.wait_for_complete()
        (root / "a.txt").write_text("Rien.\n\nLa sécurité enfin.\n", encoding="utf-8")
        await press(pilot, "r")
        dialog = await open_search(app, pilot, "securite")
        assert status(dialog) == "1 match in 1 article (1 in this one)"
        await press(pilot, "escape")
        assert screen.search_index.search("securite").total == 1


@pytest.mark.slow
async def test_enter_on_a_tag_lists_its_passages_across_the_corpus_and_goes_there(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        store = screen.store
        store.create_tag("politique")
        await press(pilot, "j", "1", "]", "j", "j", "1")  # passage 2 here, 3 of the next
        await press(pilot, "tab")  # from the reader to the sidebar, on its first tag
        assert app.focused is screen.query_one(TagSidebar)
        await press(pilot, "enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, PlacesView)
        assert [(p.document, p.start) for p in view.places] == [
            (a.document, a.start) for a in store.with_tag("politique")
        ]
        assert len(view.places) == 2
        assert "passage 2" in view.places[0].prompt.plain
        await press(pilot, "enter")  # the first: back in the first article
        await pilot.pause()
        assert screen.document.id == FIRST and screen.reader.current == 1
        assert app.focused is screen.reader


@pytest.mark.slow
async def test_highlights_and_notes_are_listed_from_the_sidebar(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, "j", "h", "j", "v", "w", "h")  # a passage and a span
        await press(pilot, "a")
        await pilot.pause()
        await press(pilot, *"Une note.", "ctrl+s")
        await pilot.pause()
        sidebar = screen.query_one(TagSidebar)
        assert (sidebar.highlight_count, sidebar.note_count) == (2, 1)
        sidebar.focus()
        sidebar.highlighted = sidebar.get_option_index(HIGHLIGHTS)
        await press(pilot, "enter")
        await pilot.pause()
        assert [p.start for p in app.screen.places] == sorted(p.start for p in app.screen.places)
        assert len(app.screen.places) == 2
        await press(pilot, "escape")
        sidebar.highlighted = sidebar.get_option_index(NOTES)
        await press(pilot, "enter")
        await pilot.pause()
        (place,) = app.screen.places
        assert "Une note." in place.prompt.plain


async def test_a_tag_nobody_used_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.store.create_tag("vide")
        screen.refresh_counts()
        sidebar = screen.query_one(TagSidebar)
        sidebar.focus()
        sidebar.highlighted = 0
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen.places == []
        assert (
            str(app.screen.query_one("#places-title").render())
            == "No passage or segment tagged vide yet."
        )


async def test_a_result_chosen_after_the_box_changed_goes_with_its_own_query(make_app, monkeypatch):
    # Typing pauses longer than the test takes: the results stay those of "alliance".
    monkeypatch.setattr(SearchView, "DELAY", 600)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        dialog = await open_search(app, pilot, "alliance")
        dialog.query_one(Input).value = ""  # cleared, and the results not yet looked for again
        await press(pilot, "down", "enter")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert "«alliance» 1/" in title_bar(app)


async def test_the_box_searches_the_article_until_the_corpus_is_indexed(make_app, monkeypatch):
    import threading

    from tui.corpus.search import SearchIndex

    ready = threading.Event()
    build = SearchIndex.build

    def slow_build(*args, **options):
        ready.wait(timeout=30)
        return build(*args, **options)

    monkeypatch.setattr(SearchIndex, "build", slow_build)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash", *"securite")
        dialog = app.screen
        dialog.run_query()
        await pilot.pause()
        assert status(dialog).startswith("2 matches in this article; the other articles are still")
        assert len(dialog.places) == 2
        ready.set()
        await app.workers.wait_for_complete()
        await searched(pilot, dialog)  # looked for again, now across the corpus
        assert status(dialog) == "9 matches in 5 articles (2 in this one)"
        assert len(dialog.places) == 9


@pytest.mark.slow
async def test_n_and_n_reach_every_match_when_they_are_marked_a_window_at_a_time(
    make_app, make_corpus, monkeypatch
):
    from tui.corpus import matches

    monkeypatch.setattr(matches, "MARKS_SHOWN", 4)  # 10,000 in use: four, to need windows here
    words = [f"Phrase {n} sur la sécurité." for n in range(11)]
    root = make_corpus({"a.txt": "Titre\n\n" + "\n\n".join(words)})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        dialog = await open_search(app, pilot, "securite")
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen is screen
        seen = []
        for _ in range(11):
            seen.append(screen.reader.current_passage.text)
            assert f"«securite» {len(seen)}/11" in title_bar(app)
            await press(pilot, "n")
        assert seen == words, "every match, in order, across the windows"
        assert "«securite» 1/11" in title_bar(app), "then round to the first"
        assert app.notified[-1] == "Went on from the top of the article."
        await press(pilot, "N")
        assert "«securite» 11/11" in title_bar(app)
        assert app.notified[-1] == "Went on from the end of the article."
        back = []
        for _ in range(11):
            back.append(screen.reader.current_passage.text)
            await press(pilot, "N")
        assert back == words[::-1]
        await press(pilot, "g", "N")  # from the title, before every match: round to the last
        assert "«securite» 11/11" in title_bar(app)
        assert app.notified[-1] == "Went on from the end of the article."
        # Moved away: n goes on from the current passage (passage 6 holds the 5th phrase).
        await press(pilot, "g", "j", "j", "j", "j", "j", "n")
        assert screen.reader.current_passage.text == words[4] and "5/11" in title_bar(app)
        del dialog


async def test_a_file_changed_after_listing_is_found_at_its_new_version(
    make_corpus, tmp_path, monkeypatch
):
    from tui.app.app import GloseApp
    from tui.app.screens import main as main_module
    from tui.corpus import Corpus
    from tui.corpus.catalog import Catalog
    from tui.corpus.search import INDEX_FILE, SearchIndex
    from tui.store import Store

    root = make_corpus({"a.txt": "La sécurité.", "b.txt": "Rien ici."})
    store_dir = tmp_path / "store"
    Store(store_dir).close()
    SearchIndex.build(Corpus.open(root).documents, store_dir)
    saved_long_after(store_dir / INDEX_FILE)
    corpus = Corpus.open(root, Catalog.load(store_dir))  # listed, not read
    (root / "b.txt").write_text("Un ornithorynque, enfin.", encoding="utf-8")
    # The reading held back until the index (which trusts b's listed version) is built.
    read_articles = main_module.MainScreen.read_articles
    monkeypatch.setattr(main_module.MainScreen, "read_articles", lambda screen: None)
    app = GloseApp(corpus, Store(store_dir))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await index_ready(app, pilot)
        assert screen.search_index.search("ornithorynque").total == 0
        read_articles(screen)
        await until(pilot, lambda: corpus.get("b").is_read, "b read")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.search_index.search("ornithorynque").total == 1
    app.store.close()


async def ask(dialog, pilot, query: str) -> str:
    """Put `query` in the open search box, look for it now, and return its status line."""
    dialog.query_one(Input).value = query
    dialog.run_query()
    await searched(pilot, dialog)
    return status(dialog)


def shown(app, place) -> str:
    return app.screen_stack[0].corpus.get(place.document).text[place.start : place.end]


@pytest.mark.slow
async def test_slash_finds_a_phrase_in_its_order_and_enter_steps_through_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        dialog = await open_search(app, pilot, '"claude et bard"')
        assert status(dialog) == "0 matches in 0 articles"
        said = await ask(dialog, pilot, "« Bard et Claude »")
        assert said == "1 match in 1 article (1 in this one)"
        assert [shown(app, place) for place in dialog.places] == ["Bard et Claude"]
        await press(pilot, "enter")
        await pilot.pause()
        assert "«« Bard et Claude »» 1/1" in title_bar(app)
        assert screen.reader.current == 2


@pytest.mark.slow
async def test_slash_leaves_out_the_passages_holding_an_excluded_word(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_search(app, pilot, "chatbots")
        assert status(dialog) == "3 matches in 2 articles (2 in this one)"
        assert await ask(dialog, pilot, "chatbots -meta") == "1 match in 1 article (1 in this one)"
        (place,) = dialog.places
        passage = app.screen_stack[0].reader.passages[2]
        assert passage.start <= place.start < passage.end and "Meta" not in passage.text
        said = await ask(dialog, pilot, "-meta")
        assert said == "-meta alone finds nothing: add words to search for."
        assert dialog.places == []


@pytest.mark.slow
async def test_slash_finds_the_passages_a_tag_is_on_by_whoever_is_shown(annotated):
    from tests.helpers import recording
    from tui.app.app import GloseApp

    app = GloseApp(annotated.corpus, annotated.store)
    app.notified = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        document = screen.document
        assert document.id == FIRST
        dialog = await open_search(app, pilot, "tag:securite")
        # Alice's: three passages here, one in the second article (her orphan left out).
        assert status(dialog) == "4 matches in 2 articles (3 in this one)"
        here = [place.start for place in dialog.places[:3]]
        assert here == [passage.start for passage in screen.reader.passages[1:4]]
        # Each shown by its own words, none of the passage before it.
        words = [str(place.prompt).split("\n")[1].strip() for place in dialog.places[:3]]
        starts = [" ".join(p.text.split())[:20] for p in screen.reader.passages[1:4]]
        assert [shown[:20] for shown in words] == starts
        said = await ask(dialog, pilot, "tag:SÉCURITÉ annotator:bob")
        assert said == "2 matches in 1 article (2 in this one)"
        reader = screen.reader
        assert [p.start for p in dialog.places] == [reader.passages[i].start for i in (2, 6)]
        said = await ask(dialog, pilot, "tag:sécurité chatbots")
        assert said == "1 match in 1 article (1 in this one)"
        assert [shown(app, place) for place in dialog.places] == ["chatbots"]
        # Bob's note alone: none among Alice's annotations, and the box says whose it looked at.
        said = await ask(dialog, pilot, "note:bob")
        assert (
            said
            == "0 matches in 0 articles among alice's annotations (annotator:NAME for another's)"
        )
        assert await ask(dialog, pilot, "note:bob annotator:bob") == "1 match in 1 article"
        assert await ask(dialog, pilot, "tag:") == "tag: needs a tag name."
        assert await ask(dialog, pilot, '"securite') == 'Unclosed quote: «"securite».'
        assert dialog.places == []
        await press(pilot, "enter")
        assert app.screen is dialog, "a malformed query is not searched for"


def test_the_status_says_when_the_other_articles_were_not_all_counted():
    from tui.app.screens.search_dialog import query_status

    assert query_status(7, 3, 2, 9, True) == "9 matches in 4 articles (2 in this one)"
    assert query_status(1, 1, 0, 1, True) == "1 match in 1 article"
    said = query_status(300, 40, 0, 200, False)
    assert said == "at least 300 matches in 40 articles; the first 200 listed"


async def test_slash_finds_a_phrase_holding_a_parenthesis_in_the_other_articles(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_search(app, pilot, '"modèles (ce qui"')
        assert status(dialog) == "1 match in 1 article"
        assert [shown(app, place) for place in dialog.places] == ["modèles (ce qui"]


@pytest.mark.slow
async def test_slash_decides_on_the_listed_matches_only_and_the_index_counts_the_rest(
    make_app, tmp_path, monkeypatch
):
    # A word in every article: deciding on every passage holding it took 55 s at 10,000 files.
    corpus = tmp_path / "many"
    corpus.mkdir()
    for number in range(150):
        paragraph = f"Alpha beta {number} alpha.\n\nGamma.\n\nAlpha delta alpha.\n"
        (corpus / f"{number:03}.txt").write_text(f"Titre {number}\n\n{paragraph}", "utf-8")
    import tui.app.actions.finding as finding

    folded: list[str] = []

    def counting(text: str):
        folded.append(text)
        return fold_text(text)

    monkeypatch.setattr(finding, "fold_text", counting)
    app = make_app(corpus)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_search(app, pilot, "alpha")
        assert len(dialog.places) == 4 + RESULTS_SHOWN  # this article's, then the first others
        assert status(dialog).endswith("in 150 articles (4 in this one); the first 204 listed")
        assert len(folded) <= RESULTS_SHOWN, "passages past those listed were decided on"


async def test_slash_leaves_words_the_index_cannot_look_up_to_the_index(make_app, monkeypatch):
    # Greek folds to no ASCII: the index reads its paragraphs; the reader cutting every article
    # into passages to decide took 35 s at 10,000 files, against 8 for the index.
    import tui.app.actions.finding as finding

    folded: list[str] = []

    def counting(text: str):
        folded.append(text)
        return fold_text(text)

    monkeypatch.setattr(finding, "fold_text", counting)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_search(app, pilot, "ασφάλεια")
        assert status(dialog) == "0 matches in 0 articles"
        assert len(folded) == len(app.screen_stack[0].reader.passages)  # this article's alone


class Held:
    """The corpus index's searches for a word, made to wait until the test lets them go."""

    def __init__(self, monkeypatch, word: str) -> None:
        from tui.corpus.search import SearchIndex

        self.go, self.waiting, self.done = threading.Event(), threading.Event(), threading.Event()
        search = SearchIndex.search

        def held(index, query, *args, **options):
            if word not in (query.fts_match() or ""):
                return search(index, query, *args, **options)
            self.waiting.set()
            try:
                # Held longer than a few seconds: the screen is waiting on it.
                if not self.go.wait(timeout=3):
                    raise AssertionError("the screen waited on the search of the corpus")
                return search(index, query, *args, **options)
            finally:
                self.done.set()

        monkeypatch.setattr(SearchIndex, "search", held)


async def test_the_box_takes_keys_and_escape_while_the_corpus_is_searched(make_app, monkeypatch):
    held = Held(monkeypatch, "securite")
    monkeypatch.setattr(SearchView, "SAYING_SEARCHING", 0.01)  # said at once: no wait for it
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await index_ready(app, pilot)
        await press(pilot, "slash", *"securite")
        dialog = app.screen
        try:
            dialog.run_query()
            await until(pilot, held.waiting.is_set, "the corpus searched")
            await until(pilot, lambda: "Searching" in status(dialog), "the search said to be on")
            await press(pilot, *" et")
            assert dialog.query_one(Input).value == "securite et"
            await press(pilot, "escape")
            assert app.screen is screen, "closed at once, the search still held"
            assert not held.go.is_set()
        finally:
            held.go.set()


async def test_a_search_overtaken_by_a_newer_query_is_never_listed(make_app, monkeypatch):
    held = Held(monkeypatch, "alliance")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await index_ready(app, pilot)
        await press(pilot, "slash", *"alliance")
        dialog = app.screen
        try:
            dialog.run_query()
            await until(pilot, held.waiting.is_set, "the first query searched")
            assert await ask(dialog, pilot, "securite") == "9 matches in 5 articles (2 in this one)"
        finally:
            held.go.set()  # the first query's search ends now, after the second's
        await until(pilot, held.done.is_set, "the first query's search ended")
        await app.workers.wait_for_complete()
        await quiet(pilot)
        assert status(dialog) == "9 matches in 5 articles (2 in this one)"
        assert {fold_text(shown(app, place)).text for place in dialog.places} == {"securite"}
        await press(pilot, "down", "enter")
        assert "«securite» 1/" in title_bar(app)


class BoxAlone(App[None]):
    """The search box over an empty screen, asking `searcher`; what it ended with is kept."""

    def __init__(self, searcher) -> None:
        super().__init__()
        self.searcher = searcher
        self.ended: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(SearchView(self.searcher), self.ended.append)


def searched_elsewhere(work):
    """A searcher whose other articles are searched by `work(query)` in the worker thread."""
    return lambda query: lambda: work(query)


async def test_a_query_refused_by_the_corpus_search_says_why_in_the_box():
    def refused(query: str) -> Found:
        raise QueryError("Too many words for the index.")

    app = BoxAlone(searched_elsewhere(refused))
    async with app.run_test() as pilot:
        dialog = app.screen
        await press(pilot, *"alpha")
        dialog.run_query()
        await searched(pilot, dialog)
        assert status(dialog) == "Too many words for the index."
        assert dialog.places == []


async def test_enter_while_the_corpus_is_searched_finds_in_the_article_at_once():
    go = threading.Event()

    def held(query: str) -> Found:
        go.wait(timeout=5)
        return Found([], [], "late")

    app = BoxAlone(searched_elsewhere(held))
    async with app.run_test() as pilot:
        dialog = app.screen
        try:
            await press(pilot, *"alpha")
            dialog.run_query()
            assert dialog.searching
            await press(pilot, "enter")
            assert app.ended == [SearchChoice("alpha")]
            assert app.screen is not dialog
        finally:
            go.set()
