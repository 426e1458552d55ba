"""`glose import` of REFI-QDA files: codebooks, ATLAS.ti's sample projects, what each says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SEEDS, glose

REFI = Path(__file__).parent.parent / "conformance" / "refi-qda"


@pytest.mark.slow
def test_the_atlas_ti_sample_and_a_codebook_say_how_many_tags_they_added(tmp_path):
    store = str(tmp_path / "store")
    common = ("--corpus", str(SEEDS), "--store", store)
    atlas = glose("import", str(REFI / "target-atlas.qdpx"), *common, cwd=tmp_path)
    assert atlas.returncode == 0 and atlas.stderr == "", atlas.stderr
    assert atlas.stdout == (
        "imported target-atlas.qdpx (REFI-QDA project): 0 added, 0 merged, 0 already there, "
        "0 orphaned, 0 skipped\ntags: 3 added, 0 already there\n"
    )
    codes = tmp_path / "codes.qdc"
    exported = glose("export", *common, "--format", "refi-qdc", "-o", str(codes), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    again = glose("import", str(codes), *common, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        "imported codes.qdc (REFI-QDA codebook): tags: 0 added, 3 already there\n"
    )
