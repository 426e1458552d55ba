"""Documents of other formats from the command line: `glose check` names the bad ones."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import glose
from tests.unit.test_corpus_documents import BAD_SENTENCES, bad_documents
from tests.unit.test_extract import prose_pages
from tui.store import Store


@pytest.mark.slow
def test_check_names_each_bad_document_with_its_sentence(tmp_path, seeds):
    root, store_dir = tmp_path / "corpus", tmp_path / "store"
    shutil.copytree(seeds, root)
    for name, data in bad_documents().items():
        (root / name).write_bytes(data)
    (root / "good.pdf").write_bytes(prose_pages())
    with Store(store_dir) as store:
        store.create_tag("t")
    result = glose("check", "--corpus", str(root), "--store", str(store_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    documents = len([p for p in seeds.iterdir() if p.suffix in (".txt", ".md")]) + 1
    assert f"corpus    {documents} documents in" in result.stdout
    for sentence in BAD_SENTENCES.values():
        assert sentence in result.stdout
    assert "Traceback" not in result.stderr
