"""Finding articles in the list: by title, folder, what they say of themselves, and tags."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import text_document
from tui.app.widgets.article_rows import Rows, folder_label
from tui.corpus import Document
from tui.corpus.extract.common import Metadata
from tui.corpus.finding_articles import ArticleFinder, ArticleQuery, folder_of
from tui.store.annotators import ALL


def corpus() -> list[Document]:
    web = text_document("presse/lemonde/alliance", "Une alliance", "presse/lemonde/alliance.html")
    web.metadata = Metadata(
        title="L’Alliance IA", author="Jeanne Dupont", date="2023-12-05", site="Le Monde"
    )
    return [
        text_document("securite", "Sécurité des modèles ouverts\n\nTexte."),
        text_document("notes/brouillon", "Brouillon\n\nÀ relire.", "notes/brouillon.md"),
        web,
        text_document("notes/2024/mars", "Économie de l'IA\n\nMars.", "notes/2024/mars.txt"),
    ]


TAGS = {"securite": {"politique/europe"}, "notes/2024/mars": {"économie", "acteurs"}}


def found(typed: str, tags: dict[str, set[str]] | None = None) -> list[str]:
    documents = corpus()
    finder = ArticleFinder()
    return [d.id for d in finder.matching(documents, ArticleQuery.parse(typed), tags or TAGS)]


def test_a_title_is_found_with_case_and_accents_ignored():
    assert found("securite") == ["securite"]
    assert found("SÉCU") == ["securite"]
    assert found("l'alliance") == ["presse/lemonde/alliance"], "' finds ’"
    assert found("l'ia") == ["notes/2024/mars"]


def test_a_folder_and_a_file_name_are_found():
    assert found("notes") == ["notes/brouillon", "notes/2024/mars"]
    assert found("2024/") == ["notes/2024/mars"]
    assert found("lemonde") == ["presse/lemonde/alliance"]
    assert found("brouillon.md") == ["notes/brouillon"]


def test_what_a_document_says_of_itself_is_found():
    assert found("dupont") == ["presse/lemonde/alliance"], "the author"
    assert found("le monde") == ["presse/lemonde/alliance"], "the site"
    assert found("2023-12") == ["presse/lemonde/alliance"], "the date"


def test_a_tag_is_found_by_a_plain_word_and_by_tag_prefix():
    assert found("europe") == ["securite"]
    assert found("tag:politique") == ["securite"], "a tag under it counts"
    assert found("tag:eco") == ["notes/2024/mars"]
    assert found("tag:securite") == [], "tag: looks in tags only, not in titles"
    assert found("TAG:acteurs mars") == ["notes/2024/mars"]


def test_every_word_must_be_found_each_anywhere():
    assert found("notes mars") == ["notes/2024/mars"]
    assert found("economie acteurs") == ["notes/2024/mars"], "one in the title, one a tag"
    assert found("notes alliance") == []


def test_no_word_spans_two_fields():
    assert found("ouverts securite") == ["securite"]
    assert found("ouverts securite.txt") == ["securite"]
    assert found("ouverts se") == ["securite"]
    assert found("ouvertssecurite") == []


def test_nothing_typed_or_a_bare_tag_prefix_finds_every_article_in_order():
    every = [d.id for d in corpus()]
    assert found("") == every
    assert found("   ") == every
    assert found("tag:") == every, "the tag's name is being typed"


def test_a_title_read_later_is_found_then():
    documents = corpus()
    finder = ArticleFinder()
    query = ArticleQuery.parse("langue")
    unread = Document("plus", "/nonexistent/plus.txt", "plus.txt")  # known by its path only
    assert finder.matching([unread], query) == []
    read = text_document("plus", "Modèles de langue\n\nTexte.")
    _ = read.title
    assert finder.matching([*documents, read], query) == [read]


def test_folder_of():
    assert folder_of("a.txt") == ""
    assert folder_of("notes/2024/mars.txt") == "notes/2024"


@given(st.text(min_size=1, max_size=20))
def test_any_typed_text_finds_a_subset_in_order(typed):
    documents = corpus()
    result = ArticleFinder().matching(documents, ArticleQuery.parse(typed), TAGS)
    assert result == [d for d in documents if d in result]


def test_the_store_knows_each_documents_tags(coded):
    store = coded.store
    mine = store.document_tags()
    assert mine["000_9ff77a90e9a0ba93"] >= {"sécurité", "acteurs/entreprises"}
    assert mine["001_5049656ab526f4d3"] == {"acteurs/entreprises", "politique"}
    assert "ailleurs/parti" in mine, "a document gone from the corpus keeps its records"
    assert "politique" not in mine["000_9ff77a90e9a0ba93"], "bob's, not alice's"
    assert store.document_tags("bob")["000_9ff77a90e9a0ba93"] == {"sécurité"}
    assert "politique" not in store.document_tags("bob")["000_9ff77a90e9a0ba93"]
    assert store.document_tags(ALL)["000_9ff77a90e9a0ba93"] >= mine["000_9ff77a90e9a0ba93"]


def test_ten_thousand_articles_are_filtered_at_each_key_without_reading_a_file():
    documents = [
        Document(f"dossier{n % 100}/article{n}", f"/nonexistent/{n}.txt", f"d{n % 100}/a{n}.txt")
        for n in range(10_000)
    ]
    tags = {f"dossier{n}/article{n}": {"sécurité"} for n in range(100)}
    finder = ArticleFinder()
    typed = ""
    for key in "d42/a4242":
        typed += key
        started = time.perf_counter()
        found = finder.matching(documents, ArticleQuery.parse(typed), tags)
        # About 15 ms a key on a laptop; the bound leaves room for a loaded test machine.
        assert time.perf_counter() - started < 0.5
    assert [d.relpath for d in found] == ["d42/a4242.txt"]
    assert finder.matching(documents, ArticleQuery.parse("tag:secu"), tags) == documents[:100]
    assert not any(d.is_read for d in documents), "titles and paths in memory only"


def test_the_list_lines_name_each_folder_once_above_its_articles():
    documents = [
        text_document("a", "A", "a.txt"),
        text_document("n/b", "B", "n/b.txt"),
        text_document("n/c", "C", "n/c.txt"),
        text_document("z", "Z", "z.txt"),
    ]
    rows = Rows(documents, 2)
    assert rows.folders == {2: "n", 7: ""}
    assert rows.starts == [0, 3, 5, 8] and rows.height == 10
    assert [rows.article_at(line) for line in range(11)] == [
        (0, 0),
        (0, 1),
        None,
        (1, 0),
        (1, 1),
        (2, 0),
        (2, 1),
        None,
        (3, 0),
        (3, 1),
        None,
    ]
    assert rows.span(1) == (2, 3), "the first of a folder shows with its folder's line"
    assert rows.span(2) == (5, 2)
    assert Rows(documents[:1], 2).folders == {}, "a corpus without folders is a plain list"
    assert folder_label("", 20) == "./"
    assert folder_label("presse/2023/mars", 10) == "…023/mars/"


TYPABLE = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))
"""What a title may hold that can be typed (no control characters)."""


@given(st.text(TYPABLE, min_size=1, max_size=40))
def test_every_word_of_a_title_finds_its_article(title):
    document = text_document("t", f"{title}\n\nTexte.", "t.txt")
    shown = document.title
    words = [w for w in shown.split() if not w.casefold().startswith("tag:")]
    query = ArticleQuery.parse(" ".join(words))
    assert ArticleFinder().matching([document], query) == [document]
