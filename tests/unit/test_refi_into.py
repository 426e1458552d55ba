"""`--into DIR`: a project's sources that are not in the corpus written as its text files,
safely named, never over another file, and all removed again when the import fails."""

from __future__ import annotations

import errno
import os
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli.test_refi_import import TEXT, outside_project
from tui.cli import main
from tui.interchange import into
from tui.interchange.reading import Outside
from tui.store import Store, StoreWriteError


@settings(max_examples=200)
@given(name=st.text(max_size=400))
def test_any_source_name_is_one_plain_file_name_in_the_folder(name):
    safe = into.safe_name(name)
    assert safe and "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert not any(unicodedata.category(char).startswith("C") for char in safe)
    assert len(safe.encode("utf-8")) <= into.NAME_BYTES


def test_a_write_that_fails_leaves_no_file_and_no_folder_of_the_run(tmp_path, monkeypatch):
    folder = tmp_path / "corpus" / "a" / "b"
    (tmp_path / "corpus").mkdir()
    real, calls = os.fsync, []

    def full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second file finds the disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(os, "fsync", full)
    outside = {"un": Outside("un.txt", "Un."), "deux": Outside("deux", "Deux.")}
    with pytest.raises(OSError, match="No space left"):
        into.add_sources(outside, folder)
    assert sorted(os.listdir(tmp_path / "corpus")) == []


def test_a_store_that_cannot_write_leaves_no_file_behind(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    project = outside_project(tmp_path / "p.qdpx")

    def unwritable(*args, **kwargs):
        raise StoreWriteError("The store cannot be written: the disk is full.")

    monkeypatch.setattr(Store, "import_annotations", unwritable)
    argv = ["import", str(project), "--corpus", str(corpus), "--store", str(tmp_path / "s")]
    assert main([*argv, "--into", str(corpus / "nouveaux")]) != 0
    assert "the disk is full. Nothing was imported." in capsys.readouterr().err
    assert os.listdir(corpus) == []
    monkeypatch.undo()
    assert main([*argv, "--into", str(corpus / "nouveaux")]) == 0
    assert (corpus / "nouveaux" / "entretien.txt").read_text(encoding="utf-8") == TEXT
