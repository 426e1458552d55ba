"""What the command line says when the user names something that is not there, or names it
another way than glose does: one sentence, the right exit status, nothing written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import SPECIAL_FILES, glose
from tui.corpus import Corpus
from tui.store import Store

ARTICLES = {
    "a.txt": "Un, deux, trois\n\nLa loi.\n\nLe vote.\n\nLe budget.\n",
    "b.txt": "Quatre\n\nLe marché.\n\nLa bourse.\n",
    "c.txt": "Paris, Lyon, Marseille, " + "et d’autres villes encore, " * 6 + "fin\n\nRien.\n",
    "d.txt": "Brest, Nantes\n\nRien non plus.\n",
}


@pytest.fixture
def levels(make_corpus, tmp_path) -> tuple[list[str], Path]:
    """(the options naming a corpus and its store, the working folder): tags under
    `politique` by lecteur and alice, `économie` by lecteur alone; c and d untagged."""
    root = make_corpus(ARTICLES)
    corpus = Corpus.open(root)
    store = Store(tmp_path / "store", annotator="lecteur")
    a, b = corpus.get("a"), corpus.get("b")
    for name in ("politique/loi", "politique/vote", "économie"):
        store.create_tag(name)
    store.toggle_tag(a, a.passages[1], "politique/loi")
    store.toggle_tag(a, a.passages[2], "politique/vote")
    store.toggle_tag(b, b.passages[1], "économie")
    store.annotator = "alice"
    store.toggle_tag(a, a.passages[1], "politique/loi")
    store.toggle_tag(a, a.passages[3], "politique/vote")
    store.close()
    work = tmp_path / "work"
    work.mkdir()
    return ["--corpus", str(root), "--store", str(tmp_path / "store")], work


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("glose: ")
    return lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("where", ["typo", "corpus"], ids=["no-such-folder", "not-a-store"])
def test_a_store_named_that_is_not_there_is_an_error_and_nothing_is_written(levels, where):
    options, work = levels
    corpus = options[1]
    store = str(Path(corpus).parent / where)
    before = sorted(os.listdir(corpus))
    for command in (
        ["export"],
        ["export", "--format", "csv", "-o", "out.csv"],
        ["stats"],
        ["agreement"],
        ["check"],
    ):
        done = glose(*command, "--corpus", corpus, "--store", store, cwd=work)
        assert done.returncode == 2, (command, done.stderr)
        assert f"no store at {store}" in one_line(done.stderr), command
        assert done.stdout == "", command
    before_the_command = glose("--store", store, "export", "--corpus", corpus, cwd=work)
    assert before_the_command.returncode == 2
    assert not (work / "out.csv").exists()
    assert not (Path(corpus).parent / "typo").exists()
    assert sorted(os.listdir(corpus)) == before


def test_a_new_corpus_without_a_store_yet_is_no_error(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Un.\n\nDeux.\n", encoding="utf-8")
    check = glose("check", cwd=tmp_path)
    assert check.returncode == 1  # nothing to check: "nothing found", not an error
    assert check.stdout.strip() == (
        "There is no store at annotations yet: nothing has been annotated with this corpus."
    )
    assert check.stderr == ""
    stats = glose("stats", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert "No passage or segment carries a tag." in stats.stdout
    assert not (tmp_path / "annotations").exists()


def test_stats_of_an_annotator_with_no_annotations_says_who_has_some(levels):
    options, work = levels
    done = glose("stats", *options, "--annotator", "nobody", cwd=work)
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        f"glose: no annotations by 'nobody' in {options[3]} (annotators: alice, lecteur)"
    )
    assert done.stdout == ""


def test_agreement_with_one_annotator_named_does_not_say_they_are_alone(levels):
    options, work = levels
    done = glose("agreement", *options, "--annotator", "alice", cwd=work)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "only 'alice' has annotated" not in line
    assert "--annotator names only 'alice'" in line
    assert "(annotators: alice, lecteur)" in line


def test_a_level_of_the_tree_means_every_tag_under_it(levels):
    options, work = levels
    export = glose("export", *options, "--format", "jsonl", "--tag", "Politique", cwd=work)
    assert export.returncode == 0 and export.stderr == "", export.stderr
    records = [json.loads(line) for line in export.stdout.splitlines()]
    # The codebook first: the tags the exported annotations carry, then the annotations.
    assert [r["name"] for r in records if r["kind"] == "tag"] == ["politique/loi", "politique/vote"]
    records = [record for record in records if record["kind"] != "tag"]
    assert sorted(tag for record in records for tag in record["tags"]) == [
        "politique/loi",
        "politique/loi",
        "politique/vote",
        "politique/vote",
    ]
    agreement = glose("agreement", *options, "--tag", "politique", "--format", "json", cwd=work)
    assert agreement.returncode == 0, agreement.stderr
    rows = json.loads(agreement.stdout)["tags"]
    assert [row["tag"] for row in rows] == ["politique/loi", "politique/vote"]
    assert rows[0]["carried"] == {"alice": 1, "lecteur": 1}


def test_the_codebook_export_counts_tags_not_annotations(levels):
    options, work = levels
    done = glose("export", *options, "--format", "refi-qdc", "-o", "codes.qdc", cwd=work)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "exported the codebook: 3 tags to codes.qdc (refi-qdc)\n"


def settings_file(folder: Path, text: str) -> dict[str, str]:
    path = folder / "réglages.toml"
    path.write_text(text, encoding="utf-8")
    return {**os.environ, "GLOSE_CONFIG": str(path)}


def run(*args: str, cwd: Path, env: dict[str, str]):
    return glose(*args, cwd=cwd, env=env, timeout=30)


@pytest.mark.slow
def test_an_annotator_the_settings_cannot_give_stops_commands_that_use_it(levels):
    options, work = levels
    env = settings_file(work, 'theme = "nord"\nannotator = "*"\n')
    path = env["GLOSE_CONFIG"]
    journal = (Path(options[3]) / "glose.journal").read_bytes()
    tag = run("tag", *options, "--tag", "x", "--match", "loi", cwd=work, env=env)
    assert tag.returncode == 2
    line = one_line(tag.stderr)
    assert line.startswith(f'glose: settings file {path}, line 2: annotator "*": ')
    assert line.endswith("; fix it, or say who annotates with --annotator NAME")
    assert tag.stdout == ""
    assert (Path(options[3]) / "glose.journal").read_bytes() == journal
    stats = run("stats", *options, cwd=work, env=env)
    assert stats.returncode == 2 and one_line(stats.stderr) == line
    # Where the annotator is named, or not needed, the settings' one does not matter.
    named = run("stats", *options, "--annotator", "alice", cwd=work, env=env)
    assert named.returncode == 0, named.stderr
    export = run("export", *options, cwd=work, env=env)
    assert export.returncode == 0, export.stderr


def test_a_settings_file_that_is_a_folder_is_named_as_a_folder(levels):
    options, work = levels
    (work / "config").mkdir()
    env = {**os.environ, "GLOSE_CONFIG": str(work / "config")}
    tag = run("tag", *options, "--tag", "x", "--match", "loi", cwd=work, env=env)
    assert tag.returncode == 2
    assert one_line(tag.stderr).startswith(
        f"glose: settings file {work / 'config'} is a folder, not a file; fix it"
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
@pytest.mark.parametrize("place", ["user", "store"])
def test_a_special_file_in_place_of_a_settings_file_is_named_never_waited_on(levels, kind, place):
    options, work = levels
    make, _, _ = SPECIAL_FILES[kind]
    path = work / "réglages.toml" if place == "user" else Path(options[3]) / "settings.toml"
    make(path)
    said = {"fifo": "a named pipe (FIFO)", "link to /dev/zero": "a device", "folder": "a folder"}
    env = {"GLOSE_CONFIG": str(work / "réglages.toml")} if place == "user" else {}
    # A pipe would block the read, /dev/zero never end it: a short timeout is the hang test.
    stats = glose("stats", *options, cwd=work, env=env, timeout=20)
    assert stats.returncode == 2
    assert one_line(stats.stderr) == (
        f"glose: settings file {path} is {said[kind]}, not a file; fix it, or say who "
        "annotates with --annotator NAME"
    )


def test_import_records_unnamed_annotations_as_the_settings_say(levels):
    options, work = levels
    exported = work / "e.jsonl"
    glose("export", *options, "--format", "jsonl", "-o", str(exported), cwd=work)
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    exported.write_text(
        "".join(json.dumps({**line, "annotator": ""}) + "\n" for line in lines), encoding="utf-8"
    )
    env = settings_file(work, 'annotator = "zoé"\n')
    target = ["--corpus", options[1], "--store", str(work / "autre")]
    done = run("import", str(exported), *target, cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    assert "recorded as zoé" in done.stderr
    env = settings_file(work, "annotator = 7\n")
    refused = run("import", str(exported), *target, cwd=work, env=env)
    assert refused.returncode == 2
    assert "annotator must be text in quotes" in one_line(refused.stderr)


def test_an_invalid_annotator_variable_is_named_as_the_variable(levels):
    options, work = levels
    env = {**os.environ, "GLOSE_ANNOTATOR": "*"}
    done = run("tag", *options, "--tag", "x", "--match", "loi", cwd=work, env=env)
    assert done.returncode == 2
    # A name was given: the sentence once said one was needed.
    assert one_line(done.stderr) == (
        "glose: $GLOSE_ANNOTATOR: '*' cannot name an annotator: it stands for every annotator."
    )
    escape = run("tag", *options, "--tag", "x", "--match", "loi", "--annotator", "a\x1bb",
                 cwd=work, env=env)  # fmt: skip
    assert escape.returncode == 2
    assert one_line(escape.stderr) == (
        "glose: --annotator: An annotator's name cannot hold U+001B, a control character: "
        "printable characters only."
    )


def test_paths_are_said_once_and_a_folder_is_called_a_folder(levels):
    options, work = levels
    (work / "dossier").mkdir()
    export = glose("export", *options, "-o", "dossier", cwd=work)
    assert export.returncode == 2
    assert one_line(export.stderr) == "glose: cannot write dossier: it is a folder, not a file"
    missing = glose("import", "absent.json", *options, cwd=work)
    assert missing.returncode == 2
    assert one_line(missing.stderr).count("absent.json") == 1


def test_stats_lists_untagged_titles_one_a_line(levels):
    options, work = levels
    done = glose("stats", *options, "--all", cwd=work)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("No tags in 2 articles:")
    shown = [line.strip() for line in lines[start + 1 : start + 3]]
    assert shown[0].startswith("Paris, Lyon, Marseille") and shown[0].endswith("…")
    assert shown[1] == "Brest, Nantes"
