"""Documents of other formats in the reader: bad ones said in one notice, the rest opened."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import press, recording
from tests.unit.test_corpus_documents import BAD_SENTENCES, bad_documents
from tests.unit.test_extract import prose_pages
from tests.waiting import articles_read
from tui.app.app import GloseApp
from tui.app.widgets.article_list import ArticleList
from tui.corpus import Corpus
from tui.corpus.catalog import Catalog
from tui.store import Store


@pytest.mark.slow
async def test_bad_documents_get_one_sentence_and_the_rest_of_the_corpus_opens(tmp_path, seeds):
    root = tmp_path / "corpus"
    shutil.copytree(seeds, root)
    for name, data in bad_documents().items():
        (root / name).write_bytes(data)
    (root / "good.pdf").write_bytes(prose_pages())
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    app = GloseApp(Corpus.open(root, Catalog.load(store_dir)), store)
    notified = recording(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await articles_read(app, pilot)
        listing = app.screen.query_one(ArticleList)
        names = [d.relpath for d in listing.documents]
        assert not set(names) & set(BAD_SENTENCES) and "good.pdf" in names
        (notice,) = [m for m in notified if m.startswith("Left out")]
        assert notice.startswith("Left out 4 files: ")
        for sentence in BAD_SENTENCES.values():
            assert sentence in notice
        await press(pilot, "shift+tab", "home")
        for _ in range(names.index("good.pdf")):
            await press(pilot, "down")
        await press(pilot, "enter")
        assert app.screen.document.relpath == "good.pdf"
        assert "A test of PDF" in str(app.screen.query_one("#doc-title").render())
        assert app.screen.document.text.startswith("The first paragraph begins here")
    store.close()
