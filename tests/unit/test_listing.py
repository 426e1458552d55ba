"""A corpus listed a part at a time: the first files before the reader's first frame, the
rest in a worker, in the order a whole listing gives; what is left out of it, and why."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import read_long_after
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog, Entry
from tui.corpus.corpus import walk_text_files
from tui.corpus.counting import count_unknown
from tui.corpus.decoding import NotText
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
    assert rest.problems == ["Left out 1 file: scan.txt (NUL bytes)"]
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
    # Would block on the pipe, or never end on /dev/zero (a link out: followed when asked).
    corpus = Corpus.open(root, follow_links_outside=True)
    assert [d.id for d in corpus] == ["ok"]
    assert corpus.problems == [
        "Left out 2 files: pipe.txt (a named pipe (FIFO), not a file), "
        "zero.txt (a device, not a file)"
    ]


def outside_and_inside_links(root: Path, elsewhere: Path) -> None:
    """A corpus holding links out of it (a file, a folder) and links that stay in it."""
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("Le texte d'un autre dossier.", encoding="utf-8")
    os.symlink(elsewhere / "secret.txt", root / "notes.txt")
    os.symlink(elsewhere, root / "ext")
    os.symlink("ok.txt", root / "same.txt")
    os.symlink("real", root / "linked")
    os.symlink("../ok.txt", root / "real" / "up.txt")


def test_links_out_of_the_corpus_are_left_out_and_links_in_it_followed(make_corpus, tmp_path):
    root = make_corpus({"ok.txt": "Texte.", "real/z.txt": "Zed."})
    outside_and_inside_links(root, tmp_path / "elsewhere")
    for catalog in (None, Catalog()):  # read whole, and listed as the reader lists it
        corpus = Corpus.open(root, catalog)
        assert ids(corpus) == ["linked/up", "linked/z", "ok", "same"]
        assert corpus.get("same").text == corpus.get("linked/up").text == "Texte."
        assert corpus.problems == [
            "Left out 1 file: notes.txt (a link outside the corpus)",
            "folder ext: a link outside the corpus; left out",
        ]
    followed = Corpus.open(root, follow_links_outside=True)
    assert ids(followed) == ["ext/secret", "linked/up", "linked/z", "notes", "ok", "same"]
    assert followed.get("notes").text == "Le texte d'un autre dossier."
    assert followed.problems == []


def test_a_file_made_a_link_out_of_the_corpus_once_listed_is_not_read(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Texte.", "b.txt": "Autre."})
    (tmp_path / "secret.txt").write_text("Secret.", encoding="utf-8")
    corpus = Corpus.open(root, Catalog())  # listed, read when first asked for
    a, b = corpus.documents
    _ = b.text
    for path in (root / "a.txt", root / "b.txt"):
        path.unlink()
        path.symlink_to(tmp_path / "secret.txt")
    with pytest.raises(NotText, match="a link outside the corpus"):
        _ = a.text
    with pytest.raises(NotText, match="a link outside the corpus"):
        corpus.reload(b)
    assert b.text == "Autre.", "the version read before stays"


SWAPPED = """
import os, sys
from pathlib import Path
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.corpus.decoding import NotText

root = Path(sys.argv[1])
big, small = Corpus.open(root, Catalog()).documents
for path in (root / "big.txt", root / "small.txt"):
    path.unlink()
    os.mkfifo(path)
for read in (big.read_opening, lambda: big.text, lambda: small.text):
    try:
        read()
    except NotText as why:
        print(why)
"""


def test_a_file_swapped_for_a_pipe_once_listed_is_left_out_without_waiting(make_corpus):
    root = make_corpus({"small.txt": "Texte.", "big.txt": "Une ligne.\n" * 200_000})
    # In a child process with a timeout: a regression would block the test run forever.
    done = subprocess.run(
        [sys.executable, "-c", SWAPPED, str(root)], capture_output=True, text=True, timeout=30
    )
    assert done.stdout.splitlines() == ["a named pipe (FIFO), not a file"] * 3, done.stderr


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


def test_a_link_left_out_is_no_verdict_the_catalog_keeps(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Texte."})
    (tmp_path / "store").mkdir()
    corpus = Corpus.open(root, Catalog.load(tmp_path / "store"))
    # Moved out of the corpus and linked back while the reader was listing: the same size
    # and time, now through a link.
    os.rename(root / "a.txt", tmp_path / "a.txt")
    (root / "a.txt").symlink_to(tmp_path / "a.txt")
    (unread,) = count_unknown(corpus, lambda *_: None)
    assert str(unread[1]) == "a link outside the corpus"
    # The settings may follow it next time: it is looked at again, not left out for good.
    again = Corpus.open(root, Catalog.load(tmp_path / "store"), follow_links_outside=True)
    assert again.get("a").text == "Texte."
