"""The command line: help, version, defaults, errors as one line, export without Textual."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import glose
from tui import __version__
from tui.store import Store

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_help_and_version(tmp_path):
    result = glose("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--corpus DIR" in result.stdout and "--store DIR" in result.stdout
    assert "export" in result.stdout
    version = glose("--version", cwd=tmp_path)
    assert version.stdout.strip() == f"glose {__version__}"
    export_help = glose("export", "--help", cwd=tmp_path)
    assert "--corpus DIR" in export_help.stdout and "-o FILE" in export_help.stdout


def test_missing_corpus_is_one_line_and_status_2(tmp_path):
    for args in ([], ["export"], ["--corpus", "nowhere"], ["export", "--corpus", "nowhere"]):
        result = glose(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "corpus directory not found" in lines[0]
        assert "Traceback" not in result.stderr


def test_export_defaults_to_seeds_and_annotations_in_the_current_directory(tmp_path, seeds):
    shutil.copytree(seeds, tmp_path / "seeds")
    result = glose("export", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["corpus"] == str((tmp_path / "seeds").resolve())
    assert data["documents"] == []


def test_export_to_a_file_with_options_before_or_after_the_command(tmp_path, seeds):
    out = tmp_path / "out.json"
    store = tmp_path / "store"
    Store(store).close()
    for args in (
        ["export", "--corpus", str(seeds), "--store", str(store), "-o", str(out)],
        ["--corpus", str(seeds), "--store", str(store), "export", "-o", str(out)],
    ):
        out.unlink(missing_ok=True)
        result = glose(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert json.loads(out.read_text(encoding="utf-8"))["corpus"] == str(seeds.resolve())


def test_export_to_an_unwritable_place_is_one_line(tmp_path, seeds):
    target = tmp_path / "no" / "such" / "dir" / "out.json"
    Store(tmp_path / "s").close()
    result = glose(
        "export",
        "--corpus",
        str(seeds),
        "--store",
        str(tmp_path / "s"),
        "-o",
        str(target),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(f"glose: cannot write {target}")
    assert "Traceback" not in result.stderr


def test_export_does_not_import_textual(tmp_path, seeds):
    store = str(tmp_path / "store")
    Store(store).close()
    code = (
        "import sys, io, contextlib\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main(['export', '--corpus', {str(seeds)!r}, '--store', {store!r}])\n"
        "assert status == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_command_but_the_reader_imports_textual_or_the_app(tmp_path, seeds):
    store, exported = tmp_path / "store", tmp_path / "export.json"
    where = ["--corpus", str(seeds), "--store", str(store)]
    commands = [
        ["tag", "--tag", "t", "--match", "IBM", *where],
        ["export", *where, "-o", str(exported)],
        ["import", str(exported), *where, "--dry-run"],
        ["search", "IBM", *where],
        ["check", *where],
        ["stats", *where],
        ["agreement", *where],
    ]
    code = (
        "import sys, io, contextlib\n"
        "from tui.cli import main\n"
        "statuses = []\n"
        f"for args in {commands!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        with contextlib.redirect_stderr(io.StringIO()):\n"
        "            statuses.append(main(args))\n"
        "print(statuses)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'\n"
        "             or m == 'tui.app' or m.startswith('tui.app.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    statuses, imported = result.stdout.splitlines()
    assert statuses == "[0, 0, 0, 0, 0, 0, 2]"  # agreement needs a second annotator
    assert imported == "[]"


def test_export_to_stdout_is_utf8_whatever_the_locale(tmp_path, seeds):
    store = tmp_path / "store"
    tagged = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "tag",
            "--tag",
            "sécurité",
            "--match",
            "sécurité",
            "--corpus",
            str(seeds),
            "--store",
            str(store),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert tagged.returncode == 0, tagged.stderr
    result = subprocess.run(
        [sys.executable, "-m", "tui", "export", "--corpus", str(seeds), "--store", str(store)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["codebook"]["tags"][0]["name"] == "sécurité"
    assert "’" in result.stdout.decode("utf-8")


def test_export_file_gets_ordinary_permissions_and_keeps_existing_ones(tmp_path, seeds):
    out = tmp_path / "out.json"
    Store(tmp_path / "s").close()
    args = ("export", "--corpus", str(seeds), "--store", str(tmp_path / "s"), "-o", str(out))
    assert glose(*args, cwd=tmp_path).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    out.chmod(0o640)
    assert glose(*args, cwd=tmp_path).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640


def test_export_keeps_annotations_whose_words_are_gone_as_orphans(tmp_path, seeds):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    store = tmp_path / "store"
    tag = glose(
        "tag",
        "--tag",
        "x",
        "--document",
        "000_9ff77a90e9a0ba93",
        "--passage",
        "1",
        "--corpus",
        str(corpus),
        "--store",
        str(store),
        cwd=tmp_path,
    )
    assert tag.returncode == 0, tag.stderr
    (corpus / "000_9ff77a90e9a0ba93.txt").write_text("Autre texte.", encoding="utf-8")
    result = glose("export", "--corpus", str(corpus), "--store", str(store), cwd=tmp_path)
    assert result.returncode == 0
    (document,) = json.loads(result.stdout)["documents"]
    assert document["passages"] == []
    assert [(o["kind"], o["quote"], o["tags"], o["status"]) for o in document["orphans"]] == [
        ("passage", "Capture d'écran 2023 12 05 Au 12 31 34", ["x"], "orphan")
    ]
    assert result.stderr == ""
    check = glose("check", "--corpus", str(corpus), "--store", str(store), cwd=tmp_path)
    assert check.returncode == 1
    assert "000_9ff77a90e9a0ba93: 0 exact, 0 moved, 0 fuzzy, 1 orphans" in check.stdout


def test_tag_regex_classes_keep_their_meaning(tmp_path, seeds):
    store = str(tmp_path / "store")
    args = ("--corpus", str(seeds), "--store", store)
    upper = glose("tag", "--tag", "sigle", "--match", r"\bIBM\W", *args, cwd=tmp_path)
    assert upper.returncode == 0, upper.stderr
    assert "passages tagged sigle" in upper.stdout
    accents = glose("tag", "--tag", "sécu", "--match", "SECURITE", *args, cwd=tmp_path)
    assert accents.returncode == 0 and "tagged 003_df3649e4754c1e63" in accents.stdout
    nothing = glose("tag", "--tag", "rien", "--match", r"^\S+$", *args, cwd=tmp_path)
    assert nothing.returncode == 1
    assert "no passage matches" in nothing.stderr
    check = glose("check", *args, cwd=tmp_path)
    assert "2 tags" in check.stdout, "a tag that tagged nothing was not created"


def test_tag_stops_and_says_so_when_its_output_is_closed(tmp_path, seeds):
    store = tmp_path / "store"
    shell = (
        f"{sys.executable} -m tui tag --tag x --match e --corpus {seeds} --store {store} | head -1;"
        " exit ${PIPESTATUS[0]}"
    )
    result = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT
    )
    assert result.returncode == 1
    assert result.stdout.startswith("tagged ")
    assert "output closed; stopped after tagging" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["search", "sécurité"],
        ["stats"],
        ["export"],
        ["tag", "--tag", "fermé", "--match", "IBM"],
    ],
    ids=lambda command: command[0],
)
def test_a_closed_standard_output_is_refused_before_anything_is_done(annotated, command):
    where = ["--corpus", str(annotated.root), "--store", str(annotated.store.directory)]
    annotated.store.close()
    # `>&-` starts glose with no standard output at all, as a shell user can.
    done = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", sys.executable, "-m", "tui", *command, *where],
        stderr=subprocess.PIPE,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == "glose: standard output is closed: nothing was done.\n"
    store = Store(annotated.store.directory)
    assert store.find_tag("fermé") is None, "tag saved passages though it refused"
    store.close()


def test_file_names_that_are_not_utf8_still_work(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / os.fsdecode(b"caf\xe9.txt")).write_text("Un café.", encoding="utf-8")
    store = str(tmp_path / "store")
    tag = glose(
        "tag",
        "--tag",
        "x",
        "--match",
        "café",
        "--corpus",
        str(corpus),
        "--store",
        store,
        cwd=tmp_path,
    )
    assert tag.returncode == 0, tag.stderr
    assert "tagged caf%E9 passage 1" in tag.stdout  # counted from 1, as the reader does
    export = glose("export", "--corpus", str(corpus), "--store", store, cwd=tmp_path)
    assert json.loads(export.stdout)["documents"][0]["id"] == "caf%E9"


@pytest.mark.parametrize(
    "command",
    [
        ["search", "sécurité"],
        ["check"],
        ["stats", "--all"],
        ["export", "--format", "csv"],
    ],
    ids=lambda command: command[0],
)
def test_a_full_standard_output_is_one_sentence_and_exit_2(annotated, command):
    where = ["--corpus", str(annotated.root), "--store", str(annotated.store.directory)]
    annotated.store.close()
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tui", *command, *where],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr == ("glose: the output could not be written: No space left on device.\n"), (
        done.stderr
    )


def test_tag_on_a_full_standard_output_says_what_it_saved(annotated):
    where = ["--corpus", str(annotated.root), "--store", str(annotated.store.directory)]
    annotated.store.close()
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "tag", "--tag", "plein", "--match", "IBM", *where],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
        )
    assert done.returncode == 2
    assert done.stderr == (
        "glose: the output could not be written: No space left on device; "
        "stopped after tagging 1 passage.\n"
    )
    store = Store(annotated.store.directory)
    tagged = [a for a in store.annotations() if "plein" in a.tags]
    store.close()
    assert len(tagged) == 1, "the sentence must count what the store holds"


def test_glose_tag_counts_passages_from_1_as_the_reader_does(tmp_path, seeds):
    common = ["--corpus", str(seeds), "--store", str(tmp_path / "s")]
    args = ["tag", "--tag", "x", "--document", "000_9ff77a90e9a0ba93", *common]
    last = glose(*args, "--passage", "11", cwd=tmp_path)  # the article has 11 passages
    assert last.returncode == 0, last.stderr
    assert last.stdout.startswith("tagged 000_9ff77a90e9a0ba93 passage 11\n")
    zero = glose(*args, "--passage", "0", cwd=tmp_path)
    assert zero.returncode == 2
    assert "has passages 1 to 11 (counted from 1, as the reader shows them), not 0" in zero.stderr
    assert "from 1" in glose("tag", "--help", cwd=tmp_path).stdout
