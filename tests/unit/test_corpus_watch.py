"""What changed in a corpus's folder while the reader runs: files added, removed and renamed
between two listings, and the folders' stamps that spare a walk when nothing did."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.watching import changes_notices, listing_changes

LONG_AGO = 1_000_000_000  # in seconds: a folder's stamp that no tick of a clock can hide


def settle(root: Path) -> None:
    """Date every folder of `root` long ago: as a corpus nobody touched for a while."""
    for folder, _, _ in os.walk(root):
        os.utime(folder, (LONG_AGO, LONG_AGO))


def relisted(corpus: Corpus) -> list[str]:
    corpus.take_relisted(corpus.look_again())
    return [document.relpath for document in corpus]


def test_the_difference_of_two_listings():
    before = {"a.txt": (1, 10, 5), "b/c.txt": (2, 20, 5), "d.md": (3, 30, 5), "x.txt": None}
    identities = {"b/e.txt": (2, 20, 5), "a/z.txt": (9, 10, 5), "f.txt": (1, 11, 5)}
    changes = listing_changes(
        before, ["a.txt", "x.txt", "b/e.txt", "a/z.txt", "f.txt"], identities.get
    )
    assert changes.added == ["a/z.txt", "f.txt"], "the same size and time is not enough"
    assert changes.removed == ["d.md"]
    assert changes.renamed == [("b/c.txt", "b/e.txt")]


names = st.text("ab/.", min_size=1, max_size=4)
identities = st.one_of(st.none(), st.tuples(st.integers(0, 3), st.just(1), st.just(1)))


@settings(max_examples=60)
@given(st.dictionaries(names, identities), st.dictionaries(names, identities))
def test_every_name_is_added_removed_renamed_or_kept(before, after):
    changes = listing_changes(before, after, after.get)
    renamed_from = [former for former, _ in changes.renamed]
    renamed_to = [new for _, new in changes.renamed]
    assert sorted(changes.added + renamed_to) == sorted(after.keys() - before.keys())
    assert sorted(changes.removed + renamed_from) == sorted(before.keys() - after.keys())
    assert len(set(renamed_from)) == len(renamed_from)
    for former, new in changes.renamed:
        assert before[former] is not None and before[former] == after[new]
    assert changes.added == sorted(changes.added) and changes.removed == sorted(changes.removed)
    assert bool(changes) == (before.keys() != after.keys())


def test_files_added_removed_and_renamed_in_nested_folders(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "A.", "m/b.txt": "B.", "m/n/c.md": "C.", "z.txt": "Z."})
    corpus = Corpus.open(root, Catalog.load(tmp_path / "store"))
    (root / "m" / "n" / "d.txt").write_text("D.", encoding="utf-8")
    (root / "m" / "b.txt").unlink()
    os.rename(root / "z.txt", root / "m" / "y.txt")
    (root / ".cache").mkdir()
    (root / ".cache" / "e.txt").write_text("caché", encoding="utf-8")
    (root / ".f.txt").write_text("caché aussi", encoding="utf-8")
    again = corpus.look_again()
    assert again.changes.added == ["m/n/d.txt"]
    assert again.changes.removed == ["m/b.txt"]
    assert again.changes.renamed == [("z.txt", "m/y.txt")]
    taken = corpus.take_relisted(again)
    assert [d.relpath for d in taken.added] == ["m/n/d.txt"]
    assert [d.relpath for d in taken.removed] == ["m/b.txt"]
    assert [(a.relpath, b.relpath) for a, b in taken.renamed] == [("z.txt", "m/y.txt")]
    fresh = Corpus.open(root)
    assert [(d.id, d.relpath) for d in corpus] == [(d.id, d.relpath) for d in fresh]
    assert corpus.listed == fresh.listed
    assert corpus.get("m/n/d") is not None and corpus.get("z") is None


def test_a_file_beside_one_of_the_same_id_keeps_the_ids_there_were(make_corpus):
    root = make_corpus({"a.txt": "A."})
    corpus = Corpus.open(root)
    (root / "a.md").write_text("A aussi.", encoding="utf-8")
    assert relisted(corpus) == ["a.md", "a.txt"]
    assert corpus.get("a").relpath == "a.txt", "the annotations of `a` stay on their file"
    assert corpus.get("a.md").relpath == "a.md"
    (root / "a.txt").unlink()
    (root / "a.md").unlink()
    (root / "a.txt").write_text("A de retour.", encoding="utf-8")
    assert relisted(corpus) == ["a.txt"]
    assert corpus.get("a").relpath == "a.txt"


def test_nothing_changed_is_told_without_walking_the_folder(make_corpus):
    root = make_corpus({"a.txt": "A.", "m/b.txt": "B.", "m/n/c.txt": "C."})
    settle(root)
    corpus = Corpus.open(root)
    assert not corpus.folders_changed()
    (root / "m" / "n" / "d.txt").write_text("D.", encoding="utf-8")
    assert corpus.folders_changed()
    assert relisted(corpus) == ["a.txt", "m/b.txt", "m/n/c.txt", "m/n/d.txt"]
    settle(root)
    corpus.take_relisted(corpus.look_again())
    assert not corpus.folders_changed(), "once listed again, quiet until the next change"
    os.rename(root / "m" / "b.txt", root / "m" / "e.txt")
    assert corpus.folders_changed()


def test_a_folder_changed_as_it_was_walked_is_walked_again(make_corpus):
    root = make_corpus({"a.txt": "A."})
    corpus = Corpus.open(root)  # the folder was written this very moment
    assert corpus.folders_changed(), "a change within the same tick of the clock may hide"


def test_a_pipe_dropped_into_the_corpus_is_left_out_without_waiting(make_corpus):
    root = make_corpus({"a.txt": "A."})
    corpus = Corpus.open(root)
    os.mkfifo(root / "b.txt")
    found = []
    # In a thread that is waited for a while only: a pipe opened to be read would block.
    worker = threading.Thread(target=lambda: found.append(corpus.look_again()), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert found, "listing the corpus again waited on the pipe"
    corpus.take_relisted(found[0])
    assert [d.relpath for d in corpus] == ["a.txt"]
    assert found[0].listed.problems == ["Left out 1 file: b.txt (a named pipe (FIFO), not a file)"]
    assert "b.txt" in corpus.listed, "said once: not new at the next look"
    assert not corpus.look_again().changes


def test_the_notices_name_one_file_and_count_many():
    assert changes_notices(["a.txt"], [], []) == ["New article: a.txt"]
    assert changes_notices(["a.txt", "b.txt", "c.txt"], ["d.txt"], [("e.txt", "f.txt")]) == [
        "3 new articles",
        "Article gone from the corpus: d.txt",
        "Article renamed: e.txt is now f.txt",
    ]
    assert changes_notices([], ["d.txt", "e.txt"], [("a", "b"), ("c", "d")]) == [
        "2 articles gone from the corpus",
        "2 articles renamed",
    ]


def test_a_new_file_whose_id_is_taken_is_listed_with_a_sentence_not_a_pair(tmp_path):
    # `a.md` beside `a.txt` cannot have the id `a`: said in a sentence the app can show.
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Alpha\n\nUn.\n")
    (root / "z.txt").write_text("Zeta\n\nUn.\n")
    corpus = Corpus.open(root)
    (root / "a.md").write_text("Alpha bis\n\nDeux.\n")
    again = corpus.look_again()
    assert all(isinstance(problem, str) for problem in again.listed.problems)
    corpus.take_relisted(again)
    assert all(isinstance(problem, str) for problem in corpus.problems)
    assert [document.relpath for document in corpus] == ["a.md", "a.txt", "z.txt"]


def test_a_file_in_place_of_the_open_one_gone_comes_into_the_list(tmp_path):
    # The open article's file went and another took its id's name: the open one is kept as
    # read, so the new file needs an id of its own, and is not forgotten.
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Alpha\n\nUn.\n")
    (root / "z.txt").write_text("Zeta\n\nUn.\n")
    corpus = Corpus.open(root)
    opened = corpus.get("a")
    (root / "a.txt").unlink()
    (root / "a.md").write_text("Alpha bis\n\nDeux.\n")
    taken = corpus.take_relisted(corpus.look_again(keep="a.txt"), keep="a.txt")
    assert [document.relpath for document in taken.added] == ["a.md"]
    corpus.remove(opened)  # the reader left it
    assert [document.relpath for document in corpus] == ["a.md", "z.txt"]
