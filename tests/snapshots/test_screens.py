"""Snapshots of each screen at a fixed terminal size (pytest --snapshot-update to accept)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.helpers import SEEDS, press, text_document
from tests.waiting import articles_read, index_ready, searched, settled

SIZE = (110, 32)


def test_main_screen_on_start(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_main_screen_with_tags_and_highlights(snap_compare, make_app):
    app = make_app()

    async def annotate(pilot):
        store = app.screen.store
        store.create_tag("politique")
        store.create_tag("économie")
        await press(pilot, "j", "j", "1", "2", "j", "h", "1", "j")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=annotate)


@pytest.mark.slow
def test_help_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["question_mark"])


def test_tag_prompt_with_completion(snap_compare, make_app):
    app = make_app()

    async def prompt(pilot):
        app.screen.store.create_tag("politique")
        app.screen.store.create_tag("économie")
        await press(pilot, "t")
        await pilot.pause()
        app.screen.query_one(Input).cursor_blink = False
        await press(pilot, "p", "o")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=prompt)


def test_main_screen_at_40_by_12(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(40, 12))


def test_main_screen_at_200_by_60(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(200, 60), press=["j", "h"])


def test_terminal_too_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(36, 10))


def test_article_info(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["i"])


@pytest.mark.slow
def test_highlights_in_several_colours_and_a_note(snap_compare, make_app):
    app = make_app()

    async def annotate(pilot):
        # Three spans in three colours in passage 3, and a note on the first.
        await press(pilot, "j", "j", "v", "w", "w", "w", "h")
        await press(pilot, "c", "v", *["w"] * 7, "v", "w", "w", "h")
        await press(pilot, "c", "c", "v", *["w"] * 16, "v", "w", "w", "w", "h")
        await press(pilot, "semicolon")
        await press(pilot, "a")
        await pilot.pause()
        await press(pilot, *"Trois chatbots fermés, cités d’emblée.", "ctrl+s")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=annotate)


def test_orphans_view(snap_compare, make_app, make_corpus, store_dir):
    from tui.store import Store

    text = "Premier paragraphe sur l’alliance.\n\nSecond, sur la sécurité de l’IA."
    root = make_corpus({"doc.txt": text})
    before = text_document("doc", text, "doc.txt")
    with Store(store_dir) as store:
        store.add_highlight(before, before.passages, 0, 7, "green")
        store.set_passage_note(before, before.passages[1], "À relire.")
    (root / "doc.txt").write_text("Un tout autre texte.", encoding="utf-8")
    assert snap_compare(make_app(root), terminal_size=SIZE, press=["o"])


@pytest.mark.slow
def test_export_dialog(snap_compare, make_app):
    app = make_app()

    async def open_export(pilot):
        app.screen.store.create_tag("sécurité")
        await press(pilot, "e")
        await pilot.pause()
        # The default file name holds the time: a fixed one makes the snapshot stable.
        field = app.screen.query_one("#export-path", Input)
        field.value = "annotations/exports/annotations-20261121-120000.csv"
        field.cursor_blink = False
        await press(pilot, "down", "down", "down", "enter")  # down opens the list: CSV
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_export)


def test_another_annotators_view(snap_compare, make_app):
    app = make_app()

    async def show_bob(pilot):
        await pilot.pause()  # the first article is open
        store = app.screen.store
        document = app.screen.document
        store.create_tag("politique")
        own = store.annotator
        store.annotator = "bob"
        store.toggle_tag(document, document.passages[1], "politique")
        store.toggle_highlight(document, document.passages[2], "green")
        store.annotator = own
        await press(pilot, "A", "j")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=show_bob)


def test_search_results_across_the_corpus(snap_compare, make_app):
    app = make_app()

    async def search(pilot):
        await index_ready(app, pilot)  # the corpus index, built in the background
        await press(pilot, "slash")
        app.screen.query_one(Input).cursor_blink = False
        await press(pilot, *"securite")
        app.screen.run_query()
        await searched(pilot, app.screen)
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_search_matches_marked_in_the_reader(snap_compare, make_app):
    app = make_app()

    async def search(pilot):
        await index_ready(app, pilot)
        await press(pilot, "slash", *"l'ia", "enter", "n")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


@pytest.mark.slow
def test_where_a_tag_is(snap_compare, make_app):
    app = make_app()

    async def retrieve(pilot):
        app.screen.store.create_tag("politique")
        await press(pilot, "j", "1", "]", "j", "j", "1", "tab", "enter")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=retrieve)


@pytest.mark.slow
def test_command_palette(snap_compare, make_app):
    app = make_app()

    async def open_palette(pilot):
        app.screen.store.create_tag("politique")
        await press(pilot, "ctrl+p", *"tag current")
        for _ in range(200):  # until its results have come
            await pilot.pause(0.02)
            if "politique" in str(app.screen.query_one("OptionList").get_option_at_index(0).prompt):
                break
        app.screen.query_one("Input").cursor_blink = False

    assert snap_compare(app, terminal_size=SIZE, run_before=open_palette)


@pytest.mark.slow
def test_a_light_theme_with_tags_and_highlights(snap_compare, make_app):
    app = make_app()

    async def annotate(pilot):
        app.theme = "textual-light"
        store = app.screen.store
        store.create_tag("politique")
        store.create_tag("économie")
        await press(pilot, "j", "j", "1", "2", "j", "h", "j", "v", "w", "w", "h", "a")
        await press(pilot, *"Une note.", "ctrl+s")
        await settled(app, pilot)
        await press(pilot, "j")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=annotate)


@pytest.mark.slow
def test_the_tag_tree_with_a_folded_level(snap_compare, make_app):
    app = make_app()

    async def code(pilot):
        store = app.screen.store
        for name in ("politique/régulation", "politique/éthique", "économie", "monde/europe"):
            store.create_tag(name)
        store.create_tag("monde/europe/france")
        await press(pilot, "j", "1", "2", "j", "1", "3")
        sidebar = app.screen.query_one("TagSidebar")
        sidebar.focus()
        await press(pilot, "end", "up", "up", "up", "up", "space")  # folds monde
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=code)


@pytest.mark.slow
def test_statistics(snap_compare, make_app):
    app = make_app()

    async def code(pilot):
        store = app.screen.store
        for name in ("politique/régulation", "économie", "sécurité"):
            store.create_tag(name)
        await press(pilot, "1", "2", "j", "1", "3", "j", "2", "right_square_bracket", "1", "j", "h")
        await press(pilot, "s")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=(110, 40), run_before=code)


def coded_seeds(store_dir) -> None:
    """The first seed with coded segments, made through the store before the app starts: two
    overlapping, one across two passages, one highlighted, three tags."""
    from tui.corpus import Corpus
    from tui.store import Store

    document = Corpus.open(SEEDS).documents[0]
    text = document.text

    def span(words: str) -> tuple[int, int]:
        start = text.index(words)
        return start, start + len(words)

    with Store(store_dir) as store:
        for name in ("acteurs", "fermeture", "ouverture"):
            store.create_tag(name)
        coded = (
            ("modèles d’IA Open Source", "ouverture"),
            ("ChatGPT, Bard et Claude sont depuis des mois les leaders incontestés", "fermeture"),
            ("ChatGPT, Bard et Claude", "acteurs"),
            ("des développements privés et source fermée.\n\nC’est précisément", "ouverture"),
            ("Meta et IBM", "acteurs"),
        )
        for words, name in coded:
            store.tag_span(document, document.passages, *span(words), name)
        alliance = store.add_highlight(
            document, document.passages, *span("The AI Alliance"), "green"
        )
        store.toggle_segment_tag(alliance, "fermeture")


def test_coding_stripes_folded_at_40_by_12(snap_compare, make_app, store_dir):
    coded_seeds(store_dir)
    assert snap_compare(make_app(), terminal_size=(40, 12), press=["j", "j"])


def test_coding_stripes_at_200_by_60(snap_compare, make_app, store_dir):
    coded_seeds(store_dir)
    assert snap_compare(make_app(), terminal_size=(200, 60), press=["j", "j"])


def test_a_list_with_a_web_pages_date_and_site_and_equal_titles(snap_compare, make_app, web_corpus):
    app = make_app(web_corpus)

    async def read(pilot):
        await articles_read(app, pilot)
        # The passage with a written-out address: underlined.
        await press(pilot, "right_square_bracket", "j")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=read)


def test_article_info_of_a_web_page(snap_compare, make_app, web_corpus):
    app = make_app(web_corpus)

    async def info(pilot):
        await settled(app, pilot)
        app.screen.open_by_id("page.html")
        await settled(app, pilot)
        await press(pilot, "i")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=info)


ROOT = Path(__file__).resolve().parents[2]
MARKDOWN = (
    "# Notes de lecture\n\n"
    "Un paragraphe avec *emphase*, **gras**, `code` et un [lien](https://example.org).\n\n"
    "## Listes\n\n"
    "- premier point\n  - sous-point\n    - plus profond\n- second point\n\n"
    "> Une citation, en retrait.\n\n"
    "| Clé | Ce qu'elle fait |\n|---|---|\n| `j` / `k` | Passage suivant / précédent |\n"
    "| `W` | Tel qu'écrit ou recomposé |\n\n"
    "```python\n"
    "def une_fonction_au_nom_long(premier_argument, second_argument, troisième_argument):\n"
    "    return premier_argument\n"
    "```\n"
)


def test_a_markdown_document_rendered(snap_compare, make_app, make_corpus):
    root = make_corpus({"notes.md": MARKDOWN})
    assert snap_compare(make_app(root), terminal_size=SIZE)


def test_the_readme_key_table_as_a_table(snap_compare, make_app, make_corpus):
    root = make_corpus({})
    # A copy kept in tests/data: the README's edits must not change this screen.
    shutil.copy(ROOT / "tests" / "data" / "markdown" / "readme-copy.md", root / "README.md")
    assert snap_compare(make_app(root), terminal_size=SIZE, press=["j"] * 23)


def test_a_manual_page_as_written(snap_compare, make_app, make_corpus):
    root = make_corpus({})
    shutil.copy(ROOT / "tests" / "data" / "plain" / "chsh.1.txt", root / "chsh.txt")
    assert snap_compare(make_app(root), terminal_size=SIZE)


def test_a_manual_page_reflowed(snap_compare, make_app, make_corpus):
    root = make_corpus({})
    shutil.copy(ROOT / "tests" / "data" / "plain" / "chsh.1.txt", root / "chsh.txt")
    assert snap_compare(make_app(root), terminal_size=SIZE, press=["W"])


def test_a_pdf_paragraph_across_a_page_break(snap_compare, make_app, make_corpus):
    from tests.unit.test_extract import prose_pages

    root = make_corpus({})
    # A paragraph that a page break, a running header and page numbers cut: shown whole.
    (root / "article.pdf").write_bytes(prose_pages())
    app = make_app(root)

    async def read(pilot):
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=read)


def test_the_list_filtered_with_articles_in_subfolders(snap_compare, make_app, make_corpus):
    root = make_corpus(
        {
            "accueil.txt": "Accueil\n\nTexte.",
            "presse/2023/alliance.txt": "L’Alliance IA et la sécurité\n\nTexte.",
            "presse/2023/meta.txt": "Meta et IBM\n\nTexte.",
            "presse/sécurité.txt": "Sécurité des modèles ouverts\n\nTexte.",
            "notes.txt": "Notes sur la securite\n\nTexte.",
        }
    )
    app = make_app(root)

    async def find(pilot):
        await press(pilot, "shift+tab", "slash", *"securite")
        await settled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=find)
