"""The interchange review's cases that run glose as a user does: each failed before its fix."""

from __future__ import annotations

import json

from .test_commands import glose


def test_the_import_annotator_given_before_the_command_is_used(annotated, tmp_path):
    annotated.store.close()
    exported = tmp_path / "e.jsonl"
    common = ["--corpus", str(annotated.root)]
    glose("export", *common, "--store", str(annotated.store.directory), "--format", "jsonl",
          "-o", str(exported), cwd=tmp_path)  # fmt: skip
    target = ["--store", str(tmp_path / "t")]
    result = glose("--annotator", "zed", "import", str(exported), *common, *target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = glose("export", *common, *target, "--format", "jsonl", cwd=tmp_path).stdout
    assert {json.loads(line)["annotator"] for line in out.splitlines()} == {"zed"}


def test_annotator_names_glose_cannot_keep_are_said(annotated, tmp_path):
    annotated.store.close()
    store = str(annotated.store.directory)
    args = ["--corpus", str(annotated.root), "--store", store, "--format", "jsonl"]
    lines = glose("export", *args, cwd=tmp_path).stdout
    record = {**json.loads(lines.splitlines()[0]), "annotator": "*"}
    path = tmp_path / "star.jsonl"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = glose("import", str(path), "--corpus", str(annotated.root), "--store",
                   str(tmp_path / "t"), "--dry-run", cwd=tmp_path)  # fmt: skip
    assert "annotator names glose cannot keep ('*'): would be recorded as lecteur" in result.stderr


def test_agreement_tags_ignore_case_and_unknown_ones_are_refused(annotated, tmp_path):
    annotated.store.close()
    args = ["agreement", "--corpus", str(annotated.root), "--store", str(annotated.store.directory)]
    upper = json.loads(glose(*args, "--tag", "SÉCURITÉ", "--format", "json", cwd=tmp_path).stdout)
    assert [row["tag"] for row in upper["tags"]] == ["sécurité"]
    assert upper["tags"][0]["carried"] == {"alice": 4, "bob": 2}
    unknown = glose(*args, "--tag", "nulle", cwd=tmp_path)
    assert unknown.returncode == 2 and "no tag 'nulle'" in unknown.stderr
    alone = glose(*args, "--annotator", "alice", "--annotator", "alice", cwd=tmp_path)
    assert alone.returncode == 2 and "agreement needs two annotators" in alone.stderr
