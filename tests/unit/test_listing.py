"""A corpus listed a part at a time: the first files before the reader's first frame, the
rest in a worker, in the order a whole listing gives; what is left out of it, and why."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import read_long_after
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog, Entry
from tui.corpus.corpus import walk_text_files
from tui.corpus.document import file_stamp, relative_name

NESTED = {
    "a.txt": "A",
    "a/b.txt": "AB",
    "a0.txt": "A0",
    "a-b.md": "A-B",
    "b/c/d.txt": "BCD",
    "b/c.md": "BC",
    "b/c.txt": "BC too",
    "é.txt": "E",
    "z.txt": "Z",
}


def ids(corpus: Corpus) -> list[str]:
    return [document.id for document in corpus]


def test_the_walk_gives_files_in_the_order_of_their_names(make_corpus):
    root = make_corpus(NESTED)
    walked = [relpath for relpath, _ in walk_text_files(root)]
    assert walked == sorted(NESTED)
    assert walked == sorted(walked)


def test_a_corpus_listed_in_parts_is_the_corpus_listed_whole(make_corpus, tmp_path):
    root = make_corpus(NESTED)
    whole = Corpus.open(root, Catalog.load(None))
    corpus = Corpus.open(root, Catalog.load(None), first=3)
    assert ids(corpus) == ids(whole)[:3]
    assert not corpus.complete
    rest = corpus.list_rest()
    assert ids(corpus) == ids(whole)[:3]  # unchanged until the rest is added
    corpus.add_listed(rest)
    assert corpus.complete
    assert ids(corpus) == ids(whole)
    assert corpus.listed == whole.listed
    # `b/c.md` and `b/c.txt` share an id: the later keeps its extension, as listed whole.
    assert "b/c.txt" in ids(corpus)


def test_listing_goes_on_to_the_article_open_last_time(make_corpus):
    root = make_corpus(NESTED)
    corpus = Corpus.open(root, Catalog.load(None), first=2)
    corpus.list_until("b/c/d")
    assert ids(corpus)[-1] == "b/c/d"
    assert not corpus.complete
    corpus.list_until("gone")  # not there: the listing ends
    assert corpus.complete
    assert len(corpus) == len(NESTED)


def test_the_rest_brings_its_own_problems(make_corpus, tmp_path):
    root = make_corpus({**{f"{n}.txt": "Texte" for n in range(5)}, "scan.txt": "x"})
    catalog = Catalog.load(tmp_path / "store")
    status = (root / "scan.txt").stat()
    catalog.put(
        "scan.txt", Entry(file_stamp(status), read_long_after(), "", 0, "", False, "NUL bytes")
    )
    corpus = Corpus.open(root, catalog, first=2)
    assert corpus.problems == []
    rest = corpus.list_rest()
    assert rest.problems == ["Left out 1 file that is not text: scan.txt (NUL bytes)"]
    corpus.add_listed(rest)
    assert "scan.txt" in corpus.listed and corpus.get("scan") is None


NAME = st.text(alphabet="aAbé0-._ /", min_size=1, max_size=6).filter(
    lambda name: not name.startswith((".", "/")) and "//" not in name and not name.endswith("/")
)


@settings(max_examples=150, deadline=None)
@given(names=st.lists(NAME, min_size=1, max_size=12), first=st.integers(0, 12))
def test_any_tree_is_walked_in_name_order_and_parts_add_up(names, first):
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name in names:
            path = root / (name.strip("/") + ".txt")
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("x")
            except OSError:  # a name that is a file on one path and a folder on another
                continue
        expected = sorted(
            relative_name(root, Path(folder, file))
            for folder, _, files in os.walk(root)
            for file in files
        )
        assert [relpath for relpath, _ in walk_text_files(root)] == expected
        corpus = Corpus.open(root, Catalog.load(None), first=first)
        corpus.add_listed(corpus.list_rest())
        assert ids(corpus) == ids(Corpus.open(root, Catalog.load(None)))


def test_pipes_and_devices_named_txt_are_left_out_not_read(make_corpus):
    root = make_corpus({"ok.txt": "Texte."})
    os.mkfifo(root / "pipe.txt")
    os.symlink("/dev/zero", root / "zero.txt")
    corpus = Corpus.open(root)  # would block on the pipe, or never end on /dev/zero
    assert [d.id for d in corpus] == ["ok"]
    assert corpus.problems == [
        "Left out 2 files that are not text: pipe.txt (not a regular file), "
        "zero.txt (not a regular file)"
    ]


def test_unreadable_folders_are_named(make_corpus, monkeypatch):
    root = make_corpus({"ok.txt": "Texte.", "locked/x.txt": "secret"})
    real_scandir = os.scandir

    def scandir(directory):
        # Root reads any folder: the refusal a user would meet is made here.
        if str(directory).endswith("locked"):
            raise PermissionError(13, "Permission denied", directory)
        return real_scandir(directory)

    monkeypatch.setattr(os, "scandir", scandir)
    corpus = Corpus.open(root)
    assert [d.id for d in corpus] == ["ok"]
    assert corpus.problems == ["folder locked: Permission denied"]
