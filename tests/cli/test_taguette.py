"""`glose export --format taguette-codebook` and `glose import` of Taguette's CSV files."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import SEEDS, glose
from tui.store import Store

FIXTURES = Path(__file__).parent.parent / "unit" / "taguette"


def test_a_codebook_travels_to_taguette_and_back_and_highlights_come_in(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    first, second = tmp_path / "first", tmp_path / "second"
    store = Store(first, annotator="alice")
    store.create_tag("politique/régulation", description="Ce que l’État encadre, « ou pas »")
    store.create_tag("fermeture", description="Sur deux lignes,\nce qui reste privé")
    store.close()
    where = ["--corpus", str(corpus)]
    out = tmp_path / "codebook.csv"
    result = glose(
        "export",
        *where,
        "--store",
        str(first),
        "--format",
        "taguette-codebook",
        "-o",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "the codebook: 2 tags" in result.stderr
    assert out.read_bytes().startswith(b"tag,description,number of highlights\r\n")

    result = glose("import", *where, "--store", str(second), str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "imported codebook.csv (Taguette codebook CSV): tags: 2 added, 0 already there, 0 skipped"
    )
    result = glose(
        "import",
        *where,
        "--store",
        str(second),
        "--annotator",
        "bob",
        str(FIXTURES / "highlights.csv"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "imported highlights.csv (Taguette highlights CSV): 4 added, 0 merged, "
        "0 already there, 0 orphaned, 3 skipped"
    )
    assert "skipped row 8: its words are in 000_9ff77a90e9a0ba93 more than once" in result.stderr
    store = Store(second, annotator="bob")
    try:
        described = {tag.name: tag.description for tag in store.tags()}
        assert described["politique/régulation"] == "Ce que l’État encadre, « ou pas »"
        assert described["fermeture"] == "Sur deux lignes,\nce qui reste privé"
        segments = [s for s in store.highlights() if s.tags]
        assert sorted(tag for s in segments for tag in s.tags) == [
            "acteurs/autres",
            "fermeture",
            "politique/régulation",
            "« confiance »",
        ]
    finally:
        store.close()
