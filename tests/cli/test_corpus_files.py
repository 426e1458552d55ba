"""What a corpus folder may hold besides articles (a named pipe, a link to a device, a folder
named like an article, links out of it): every command says what it left out and why, and
none waits on a pipe or reads a device. Each run has its own timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import SEEDS, glose

SECRET = "Le texte d'un fichier hors du corpus."

LEFT_OUT = (
    "notes.txt (a link outside the corpus)",
    "x.txt (a named pipe (FIFO), not a file)",
    "zero.txt (a link outside the corpus)",
)


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`glose *args`, ended if it takes more than a few seconds: a hang is a failure."""
    return glose(*args, cwd=cwd, timeout=30, env=env)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(SEEDS / "000_9ff77a90e9a0ba93.txt", root / "ok.txt")
    os.mkfifo(root / "x.txt")
    os.symlink("/dev/zero", root / "zero.txt")
    (root / "y.txt").mkdir()  # a folder named like an article: walked as a folder
    (root / "y.txt" / "inner.txt").write_text("Un article rangé dans y.txt.", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text(SECRET, encoding="utf-8")
    os.symlink(elsewhere / "secret.txt", root / "notes.txt")
    os.symlink(elsewhere, root / "ext")
    return root


@pytest.mark.slow
def test_every_command_says_what_it_left_out_and_none_waits(corpus, tmp_path):
    where = ("--corpus", str(corpus), "--store", str(tmp_path / "store"))
    tagged = run("tag", *where, "--tag", "t", "--match", "rangé", cwd=tmp_path)
    assert tagged.returncode == 0, tagged.stderr
    for command in (["check"], ["search", "rangé"], ["export"], ["stats"]):
        done = run(*command, *where, cwd=tmp_path)
        said = done.stdout if command == ["check"] else done.stderr
        assert done.returncode == 0, (command, said)
        if command[0] == "search":  # one line of its own for every file it did not search
            assert f"3 files were left out: {', '.join(LEFT_OUT)}" in said
        else:
            assert f"Left out 3 files: {', '.join(LEFT_OUT)}" in said, command
        assert "folder ext: a link outside the corpus; left out" in said, command
        assert "Traceback" not in said
    found = run("search", "rangé", *where, cwd=tmp_path)
    assert found.stdout.startswith("y.txt/inner"), "a folder named y.txt is walked"


@pytest.mark.slow
def test_a_file_linked_from_outside_never_reaches_an_export_unless_the_settings_say(
    corpus, tmp_path
):
    where = ("--corpus", str(corpus), "--store", str(tmp_path / "store"))
    assert run("tag", *where, "--tag", "t", "--match", ".", cwd=tmp_path).returncode == 0
    exported = run("export", *where, "--format", "refi-qda", "-o", "out.qdpx", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        texts = [archive.read(name).decode() for name in archive.namelist()]
    assert not any(SECRET in text for text in texts)

    settings = tmp_path / "settings.toml"
    settings.write_text("follow_links_outside = true\n", encoding="utf-8")
    allowed = {"GLOSE_CONFIG": str(settings)}
    again = run("tag", *where, "--tag", "t", "--match", ".", cwd=tmp_path, env=allowed)
    assert again.returncode == 0, again.stderr
    done = run(
        "export", *where, "--format", "refi-qda", "-o", "again.qdpx", cwd=tmp_path, env=allowed
    )
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "again.qdpx") as archive:
        texts = [archive.read(name).decode() for name in archive.namelist()]
    assert any(SECRET in text for text in texts)
    # The link to a device is followed too, and found to be no file: left out, not read.
    said = done.stderr
    assert "zero.txt (a device, not a file)" in said and "notes.txt" not in said
