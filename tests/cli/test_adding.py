"""`glose add` as a user runs it, against a server on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.helpers import glose
from tests.serving import serving
from tests.unit.test_adding import routes


@pytest.mark.slow
def test_add_saves_pages_copies_files_and_says_what_it_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "notes.md").write_text("# Notes\n\nDes notes.\n")
    with serving(routes()) as base:
        result = glose(
            "add",
            f"{base}/article",
            f"{base}/moved",
            f"{base}/missing",
            str(tmp_path / "notes.md"),
            "--into",
            "corpus/web",
            "--corpus",
            str(corpus),
            cwd=tmp_path,
            timeout=30,
        )
    assert result.returncode == 1, "one address could not be added"
    assert result.stdout.splitlines() == [
        f"added web/l-ia-ouverte-une-alliance.html from {base}/article",
        f"skipped {base}/moved: the corpus has it already as web/l-ia-ouverte-une-alliance.html",
        f"added web/notes.md from {tmp_path / 'notes.md'}",
    ]
    assert result.stderr == f"glose: {base}/missing: the server answered 404 Not Found\n"
    listed = glose("search", "cinquante", "--corpus", str(corpus), cwd=tmp_path, timeout=30)
    assert "web/l-ia-ouverte-une-alliance.html" in listed.stdout


def test_add_refuses_a_folder_outside_the_corpus_before_fetching(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    result = glose(
        "add",
        "http://127.0.0.1:9/never",
        "--into",
        "../elsewhere",
        "--corpus",
        str(corpus),
        cwd=tmp_path,
        timeout=30,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr == f"glose: --into ../elsewhere: not a folder inside the corpus ({corpus})\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_add_refuses_a_page_with_a_nul_byte_in_one_sentence(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "nul.html").write_bytes(b"<html><body><p>a\x00b</p></body></html>")
    result = glose("add", "nul.html", "--corpus", str(corpus), cwd=tmp_path, timeout=30)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        "glose: nul.html: is not text (NUL bytes, so binary data); not added\n"
    ), "one sentence, no traceback"
    assert list(corpus.iterdir()) == []


@pytest.mark.slow
def test_add_and_import_read_the_same_relative_into_from_the_current_directory(tmp_path):
    from tests.cli.test_refi_import import outside_project

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "notes.md").write_text("# Notes\n\nDes notes.\n")
    project = outside_project(tmp_path / "p.qdpx")
    store = ("--store", str(tmp_path / "store"))
    add = ("add", "notes.md", "--corpus", "corpus", *store)
    import_ = ("import", str(project), "--corpus", "corpus", *store)
    # `inbox` from the current directory is outside the corpus: both refuse it alike.
    for command in (add, import_):
        refused = glose(*command, "--into", "inbox", cwd=tmp_path, timeout=30)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.startswith(
            "glose: --into inbox: not a folder inside the corpus (corpus)"
        ), refused.stderr
    # `corpus/inbox` is inside: both write there.
    for command in (add, import_):
        done = glose(*command, "--into", "corpus/inbox", cwd=tmp_path, timeout=30)
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (corpus / "inbox").iterdir()) == ["entretien.txt", "notes.md"]
    assert not (tmp_path / "inbox").exists() and not (corpus / "corpus").exists()
