"""The corpus's full-text index: what it finds, kept up to date file by file, made again when
damaged, kept in the cache folder without a store, and never in the way of a search."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.helpers import saved_long_after
from tui.corpus import Corpus
from tui.corpus.catalog import RACY_NS, Catalog
from tui.corpus.folding import fold_text
from tui.corpus.fulltext import RACY_NS as INDEX_RACY_NS
from tui.corpus.fulltext import cache_folder, location
from tui.corpus.query import parse
from tui.corpus.search import (
    INDEX_FILE,
    QueryError,
    SearchIndex,
    index_words,
    listing_options,
)

FILES = {
    "a.txt": "La sécurité de l’IA.\n\nUn autre paragraphe, sans rien.",
    "b.txt": "Rien ici.",
    "sub/c.md": "# Ornithorynque\n\nUn animal.",
}


def found(index: SearchIndex, query: str, **options: bool) -> list[str]:
    """The text of each passage's first match, in corpus order."""
    results = index.search(parse(query, **options), each_match=False)
    return [hit.document.text[hit.start : hit.end] for hit in results.hits]


def store_folder(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    store.mkdir(parents=True, exist_ok=True)
    (store / "glose.json").write_text("{}", encoding="utf-8")
    return store


def build(root: Path, store: Path | None = None) -> tuple[SearchIndex, object]:
    """The index brought up to date as `glose search` does: files listed, not read."""
    corpus = Corpus.open(root, Catalog())
    return SearchIndex.build(
        corpus.documents,
        store,
        root=root,
        folders=corpus.folders,
        options=listing_options(os.path.realpath(root)),
        left_out=corpus.left_out,
    )


def test_words_in_one_passage_folded_as_the_reader_folds_them(make_corpus):
    root = make_corpus(FILES)
    index, _ = build(root)
    assert found(index, "securite") == ["sécurité"]
    assert found(index, "l'IA") == ["l’IA"]
    assert found(index, "SECUR") == ["sécur"], "a word is the start of a word"
    assert found(index, "secur", whole_word=True) == []
    assert found(index, "securite paragraphe") == [], "two passages, not one"
    assert found(index, '"securite de l\'ia"') == ["sécurité de l’IA"]
    assert found(index, '"de securite"') == []
    assert found(index, "orni") == ["Orni"]
    assert found(index, r"r[a-z]en", regex=True) == ["rien", "Rien"]
    for bad in ('"open', "x" * 300, "   ", "("):
        with pytest.raises(QueryError):
            parse(bad, regex=bad == "(")


def test_best_first_by_bm25_or_in_corpus_order(make_corpus):
    root = make_corpus(
        {
            "a.txt": "Un long paragraphe " + "de mots " * 40 + "et une fois zèbre.",
            "b.txt": "Zèbre, zèbre, zèbre.",
        }
    )
    index, _ = build(root)
    ranked = index.search(parse("zebre"), by_position=False, each_match=False).hits
    assert [hit.document.id for hit in ranked] == ["b", "a"]
    assert ranked[0].score > ranked[1].score > 0
    in_order = index.search(parse("zebre"), by_position=True).hits
    assert [hit.document.id for hit in in_order] == ["a", "b", "b", "b"], "each match"


def test_the_words_whole_come_before_longer_words_they_start(make_corpus):
    root = make_corpus(
        {
            "a.txt": "Un long paragraphe " + "de mots " * 40 + "et une fois zèbre.",
            "b.txt": "Zèbres, zèbres, zèbres.",
        }
    )
    index, _ = build(root)
    for limit in (1, None):
        ranked = index.search(parse("zebre"), limit=limit, by_position=False, each_match=False)
        assert [hit.document.id for hit in ranked.hits] == ["a", "b"][:limit]
        assert (ranked.total, ranked.documents) == (2, 2)
    shorter = index.search(parse("zeb"), by_position=False, each_match=False).hits
    assert [hit.document.id for hit in shorter] == ["b", "a"], "no whole word: BM25 alone"


def test_a_long_file_takes_several_blocks_and_the_counts_stay_right(
    make_corpus, tmp_path, monkeypatch
):
    """Rows are numbered by blocks of a file's own; a file longer than a block takes several,
    and a file indexed again leaves its old rows uncounted."""
    import tui.corpus.fulltext as fulltext

    monkeypatch.setattr(fulltext, "BLOCK_BITS", 2)
    monkeypatch.setattr(fulltext, "BLOCK", 4)
    monkeypatch.setattr(fulltext, "LOOKED_UP_ALONE", 1)  # one block looked up, then all
    long = "\n\n".join(f"Paragraphe {n} du tatou." for n in range(11))
    root = make_corpus({"a.txt": long, "b.txt": "Un tatou.", "c.txt": "Le tatou, encore."})
    store = store_folder(tmp_path)
    index, _ = build(root, store)
    rows = index.index.connection.execute("SELECT first_row, units FROM files").fetchall()
    assert sorted(rows) == [(4, 11), (16, 1), (20, 1)], "each file from a block of its own"
    assert index.index.tally('"tatou"') == (13, 3)
    assert index.index.tally('"tatou"', leaving=[1]) == (2, 2)
    ranked = index.search(parse("tatou"), limit=2, by_position=False, each_match=False)
    assert (len(ranked.hits), ranked.total, ranked.documents) == (2, 13, 3)
    saved_long_after(store / INDEX_FILE)
    (root / "b.txt").write_text("Plus rien.", encoding="utf-8")
    index, _ = build(root, store)
    assert index.index.files_indexed == 1
    assert index.index.tally('"tatou"') == (12, 2), "the old row is not counted"
    everything = index.search(parse("tatou"), by_position=False, each_match=False)
    assert (len(everything.hits), everything.total, everything.documents) == (12, 12, 2)
    in_order = index.search(parse("tatou"), limit=3, by_position=True, each_match=False)
    assert [hit.document.text[hit.start - 3 : hit.end] for hit in in_order.hits] == [
        "du tatou",
        "du tatou",
        "du tatou",
    ]
    assert in_order.total == 12


def test_only_the_file_changed_added_removed_or_renamed_is_indexed_again(make_corpus, tmp_path):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    index, refresh = build(root, store)
    assert refresh.folded == 3 and index.index.files_indexed == 3
    saved_long_after(store / INDEX_FILE)

    def again() -> SearchIndex:
        index, _ = build(root, store)
        saved_long_after(store / INDEX_FILE)
        return index

    assert again().index.files_indexed == 0
    (root / "b.txt").write_text("Un zèbre ici.", encoding="utf-8")
    index = again()
    assert (index.index.files_indexed, index.index.rows_written) == (1, 1)
    assert found(index, "zebre") == ["zèbre"]
    (root / "d.txt").write_text("Un tapir.", encoding="utf-8")
    index = again()
    assert index.index.files_indexed == 1 and found(index, "tapir") == ["tapir"]
    (root / "sub" / "c.md").unlink()
    index = again()
    assert index.index.files_indexed == 0 and found(index, "ornithorynque") == []
    (root / "d.txt").rename(root / "e.txt")
    index = again()
    assert index.index.files_indexed == 1
    assert [hit.document.id for hit in index.search("tapir").hits] == ["e"]


def test_a_search_with_nothing_moved_lists_no_folder_and_reads_only_what_changed(
    make_corpus, tmp_path
):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    build(root, store)
    saved_long_after(store / INDEX_FILE)
    options = listing_options(os.path.realpath(root))
    quick = SearchIndex.quick(store, root, options)
    assert quick is not None
    index, left_out, _ = quick
    assert index.index.files_indexed == 0 and left_out == []
    assert found(index, "securite") == ["sécurité"] and index.article_count() == 3
    os.utime(root / "b.txt", ns=(1, 1))  # a new version in place: its folder unchanged
    (root / "b.txt").write_text("Un zèbre.", encoding="utf-8")
    index, _, _ = SearchIndex.quick(store, root, options) or pytest.fail("listed")
    assert index.index.files_indexed == 1 and found(index, "zebre") == ["zèbre"]
    (root / "f.txt").write_text("Nouveau.", encoding="utf-8")
    assert SearchIndex.quick(store, root, options) is None, "a file added: the corpus listed"
    assert SearchIndex.quick(store, root, listing_options(None)) is None, "other options"


def valid_index(tmp_path: Path) -> bytes:
    root = tmp_path / "model"
    root.mkdir()
    (root / "a.txt").write_text("Alliance.", encoding="utf-8")
    store = store_folder(tmp_path / "model-store")
    build(root, store)
    return (store / INDEX_FILE).read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"garbage, not a database" * 100,
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw[:4096] + bytes(len(raw) - 4096),  # its pages zeroed
        lambda raw: b'{"format": "glose.search", "version": 6}\n[]\n',  # the old index
    ],
    ids=["garbage", "truncated", "zeroed", "older glose"],
)
def test_a_damaged_index_is_made_again_silently(make_corpus, tmp_path, damage):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    (store / INDEX_FILE).write_bytes(damage(valid_index(tmp_path)))
    index, refresh = build(root, store)
    assert found(index, "securite") == ["sécurité"]
    assert refresh.saved and refresh.folded == 3
    saved_long_after(store / INDEX_FILE)
    index, refresh = build(root, store)
    assert refresh.folded == 0 and found(index, "securite") == ["sécurité"]


def test_a_folder_in_the_index_place_is_left_alone(make_corpus, tmp_path):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    (store / INDEX_FILE).mkdir()
    index, refresh = build(root, store)
    assert found(index, "securite") == ["sécurité"]
    assert not refresh.saved and "is a folder" in (refresh.unusable or "")
    assert (store / INDEX_FILE).is_dir()


def test_without_a_store_the_index_is_kept_in_the_cache_folder(
    make_corpus, tmp_path, cache_of_its_own
):
    root = make_corpus(FILES)
    assert cache_folder() == cache_of_its_own / "glose" / "search"
    index, refresh = build(root)
    assert refresh.saved
    path = location(None, root)
    assert path.is_file() and path.is_relative_to(cache_of_its_own)
    assert location(None, root / "." / "sub" / "..") == path, "keyed by the real path"
    assert location(store_folder(tmp_path), root).parent == tmp_path / "store"
    saved_long_after(path)
    index, refresh = build(root)
    assert refresh.folded == 0 and found(index, "ornithorynque") == ["Ornithorynque"]


def test_a_busy_index_searches_without_saving(make_corpus, tmp_path):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    build(root, store)
    saved_long_after(store / INDEX_FILE)
    (root / "b.txt").write_text("Un zèbre.", encoding="utf-8")
    other = sqlite3.connect(store / INDEX_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another glose writing it
    try:
        index, refresh = build(root, store)
        assert not refresh.saved
        assert found(index, "zebre") == ["zèbre"], "the changed file read at the search"
        assert found(index, "ici") == [], "its old version not found"
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_change_killed_half_way_leaves_the_index_as_it_was(make_corpus, tmp_path):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    build(root, store)
    saved_long_after(store / INDEX_FILE)
    killed = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute('DELETE FROM files')\n"
        "c.execute(\"INSERT INTO words(words) VALUES ('delete-all')\")\n"
        "os._exit(9)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", killed, str(store / INDEX_FILE)], timeout=20, check=False
    )
    assert done.returncode == 9
    index, refresh = build(root, store)
    assert refresh.folded == 0 and found(index, "securite") == ["sécurité"]


def test_the_index_knows_a_racy_file_as_the_catalog_does():
    assert INDEX_RACY_NS == RACY_NS


WORDY = "aBé œuvre Straße ﬁn l’ x\u00ad y – ² Ⅻ ǅ ǈ İ ﬀ ½ ª µ ſ Ω ω ς σ"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*WORDY.split(" "), " ", "\n", "'"]), max_size=12))
def test_every_word_of_the_folded_text_finds_the_indexed_text(parts):
    text = "".join(parts)
    assume(fold_text(text).text.strip())
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE w USING fts5(text, content='', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO w(rowid, text) VALUES (1, ?)", (index_words(text),))
    for word in re.findall(r"[^\W_]+", fold_text(text).text):
        if word.isascii():  # the words the search language asks the index for
            match = '"' + word + '"'
            hits = connection.execute("SELECT rowid FROM w WHERE w MATCH ?", (match,)).fetchall()
            assert hits == [(1,)], word


def test_passage_numbers_are_the_readers_and_kept_once_cut(seeds, tmp_path):
    from tui.corpus.passages import index_at

    store = store_folder(tmp_path)
    index, _ = build(seeds, store)
    hits = index.search(parse("securite")).hits
    numbers = [index.passage_number(hit) for hit in hits]
    assert numbers == [index_at(hit.document.passages, hit.start) + 1 for hit in hits]
    index.keep_cuts()
    saved_long_after(store / INDEX_FILE)
    again, _ = build(seeds, store)
    hits = again.search(parse("securite")).hits
    assert [again.passage_number(hit) for hit in hits] == numbers
    assert not any(hit.document.has_passages for hit in hits), "no sentence cut again"


def test_an_index_locked_by_another_glose_is_not_taken_for_damaged(make_corpus, tmp_path):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    build(root, store)
    saved_long_after(store / INDEX_FILE)
    other = sqlite3.connect(store / INDEX_FILE, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another glose committing: not even readable
    try:
        index, refresh = build(root, store)
        assert found(index, "securite") == ["sécurité"] and not refresh.saved
    finally:
        other.execute("ROLLBACK")
        other.close()
    _, refresh = build(root, store)
    assert refresh.folded == 0, "kept, not made again"


def test_a_file_whose_name_is_not_utf8_is_indexed_and_found(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Rien."})
    Path(os.fsdecode(os.fsencode(root) + b"/caf\xe9.txt")).write_text("Un zèbre.", "utf-8")
    store = store_folder(tmp_path)
    index, _ = build(root, store)
    assert found(index, "zebre") == ["zèbre"]
    saved_long_after(store / INDEX_FILE)
    quick = SearchIndex.quick(store, root, listing_options(os.path.realpath(root)))
    assert quick is not None and found(quick[0], "zebre") == ["zèbre"]


def test_glose_search_names_the_catalog_as_the_catalog_does():
    from tui.cli.search import CATALOG
    from tui.corpus.catalog import CATALOG_NAME

    assert CATALOG == CATALOG_NAME


def test_a_read_only_index_is_searched_in_memory_never_made_again(
    make_corpus, tmp_path, monkeypatch
):
    from tui.corpus import fulltext

    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    build(root, store)
    (root / "b.txt").write_text("Un zèbre.", encoding="utf-8")  # something to write
    connect = fulltext._connect

    def read_only(database: str, *, uri: bool = False) -> sqlite3.Connection:
        # A read-only file system: the file opens, every write fails.
        if not uri:
            database, uri = f"{Path(database).resolve().as_uri()}?mode=ro", True
        return connect(database, uri=uri)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(fulltext, "_connect", read_only)
    monkeypatch.setattr(Path, "unlink", unlink)
    index, refresh = build(root, store)
    assert not refresh.saved
    assert found(index, "zebre") == ["zèbre"] and found(index, "securite") == ["sécurité"]


def full_disk(monkeypatch) -> None:
    """Every commit fails, as on a full disk: the change is rolled back."""
    from tui.corpus.fulltext import Index

    def commit(self: Index) -> bool:
        self.rollback()
        return False

    monkeypatch.setattr(Index, "commit", commit)


def test_a_full_disk_still_finds_what_could_not_be_indexed(make_corpus, tmp_path, monkeypatch):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    full_disk(monkeypatch)
    index, refresh = build(root, store)
    assert not refresh.saved
    assert found(index, "securite") == ["sécurité"]
    assert found(index, "ornithorynque") == ["Ornithorynque"]


def test_a_full_disk_still_finds_a_file_changed_since(make_corpus, tmp_path, monkeypatch):
    from tui.corpus.document import Document

    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    index, _ = build(root, store)
    saved_long_after(store / INDEX_FILE)
    os.utime(root / "b.txt", ns=(1, 1))  # a new version in place: its folder unchanged
    (root / "b.txt").write_text("Un zèbre.", encoding="utf-8")
    full_disk(monkeypatch)
    options = listing_options(os.path.realpath(root))
    quick, _, _ = SearchIndex.quick(store, root, options) or pytest.fail("listed")
    assert found(quick, "zebre") == ["zèbre"], "quick"
    fresh = Document.unread(root, root / "b.txt", os.stat(root / "b.txt"))
    old = next(d for d in index.documents if d.relpath == fresh.relpath)
    fresh.relpath, fresh.id = old.relpath, old.id
    index.refolded([fresh])
    assert found(index, "zebre") == ["zèbre"], "refolded"


def test_a_corpus_named_relative_to_the_current_folder_takes_the_quick_path(
    make_corpus, tmp_path, monkeypatch
):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    monkeypatch.chdir(root.parent)
    build(Path(root.name), store)
    saved_long_after(store / INDEX_FILE)
    options = listing_options(os.path.realpath(root))
    for named in (Path(root.name), root):
        index, _, _ = SearchIndex.quick(store, named, options) or pytest.fail(f"{named} listed")
        assert found(index, "securite") == ["sécurité"]


@pytest.mark.parametrize("by_position", [True, False])
def test_a_busy_index_counts_only_the_matches_of_the_files_read_at_the_search(
    make_corpus, tmp_path, by_position
):
    root = make_corpus({"a.txt": "\n\n".join(["La sécurité."] * 3), "b.txt": "Rien."})
    store = store_folder(tmp_path)
    build(root, store)
    saved_long_after(store / INDEX_FILE)
    (root / "b.txt").write_text("\n\n".join(["Rien ici."] * 9 + ["Sécurité."]), encoding="utf-8")
    other = sqlite3.connect(store / INDEX_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another glose writing it: b.txt read at the search
    try:
        index, _ = build(root, store)
        results = index.search(parse("securite"), limit=1, by_position=by_position)
        assert (len(results.hits), results.total, results.documents) == (1, 4, 2)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_folder_whose_permissions_changed_is_listed_again(make_corpus, tmp_path):
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    build(root, store)
    saved_long_after(store / INDEX_FILE)
    options = listing_options(os.path.realpath(root))
    before = os.stat(root / "sub")
    os.chmod(root / "sub", 0o700)  # readable again: its change time moves, not its mtime
    after = os.stat(root / "sub")
    assert after.st_mtime_ns == before.st_mtime_ns and after.st_ctime_ns != before.st_ctime_ns
    assert SearchIndex.quick(store, root, options) is None


def test_a_changed_file_is_found_where_files_cannot_be_stated_from_their_folder(
    make_corpus, tmp_path, monkeypatch
):
    """Where `stat` takes no folder descriptor, paths are joined to the corpus's folder."""
    import tui.corpus.fulltext as fulltext

    monkeypatch.setattr(fulltext, "_STAT_FROM_FOLDER", False)
    root = make_corpus(FILES)
    store = store_folder(tmp_path)
    build(root, store)
    saved_long_after(store / INDEX_FILE)
    (root / "sub" / "c.md").write_text("# Tapir\n\nUn animal.", encoding="utf-8")
    options = listing_options(os.path.realpath(root))
    found = SearchIndex.quick(store, root, options)
    assert found is not None and found[0].index.files_indexed == 1
    assert [hit.document.relpath for hit in found[0].search("tapir").hits] == ["sub/c.md"]


def test_a_search_with_fewer_rows_than_a_batch_ranks_them_once(make_corpus):
    """The whole words, then the words they start: one ranking each, none again for rows
    that could not be there."""
    root = make_corpus({"a.txt": "Un zèbre.\n\nDes zèbres.", "b.txt": "Rien."})
    index, _ = build(root)
    ranked: list[str] = []
    index.index.connection.set_trace_callback(
        lambda sql: ranked.append(sql) if "ORDER BY rank" in sql else None
    )
    results = index.search(parse("zebre"), limit=100, by_position=False, each_match=False)
    assert (results.total, len(results.hits)) == (2, 2)
    assert len(ranked) == 2
