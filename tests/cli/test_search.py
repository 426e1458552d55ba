"""`glose search`: the same matches as the reader, one line each, safe to print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import SPECIAL_FILES, glose
from tui.corpus.catalog import CATALOG_NAME
from tui.corpus.search import INDEX_FILE


def test_search_prints_each_match_with_its_document_and_passage(seeds: Path, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    args = ["--corpus", str(seeds), "--store", str(store)]
    glose("search", "SECURITE", *args, cwd=tmp_path)
    assert not (store / INDEX_FILE).exists()  # a folder that holds no store gets no index
    assert glose("tag", "--tag", "t", "--match", "IBM", *args, cwd=tmp_path).returncode == 0
    result = glose("search", "SECURITE", "--sort", "position", *args, cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 8  # passages: one holds two
    assert lines[0].startswith("000_9ff77a90e9a0ba93  passage 5  …")
    assert all("sécurité" in line.lower() for line in lines)
    assert result.stderr.strip() == "8 passages in 5 of 5 articles"
    assert (store / INDEX_FILE).exists()  # kept for the next search


def test_limit_and_no_match(seeds: Path, tmp_path):
    limited = glose("search", "l'ia", "--limit", "2", "--corpus", str(seeds), cwd=tmp_path)
    assert limited.returncode == 0 and len(limited.stdout.splitlines()) == 2
    assert "the first 2 printed (--limit 0 prints all)" in limited.stderr
    every = glose("search", "l'ia", "--limit", "0", "--corpus", str(seeds), cwd=tmp_path)
    assert len(every.stdout.splitlines()) == 17
    none = glose("search", "zzzz", "--corpus", str(seeds), cwd=tmp_path)
    assert none.returncode == 1 and none.stdout == ""
    assert none.stderr.strip() == "0 passages in 0 of 5 articles"


def test_a_reader_that_stops_early_is_no_error(seeds: Path, tmp_path):
    import subprocess

    # `glose search e | head -1`: the pipe closes after one line; not "nothing found".
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "search", "e", "--limit", "0", "--corpus", str(seeds)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdout.readline()
    process.stdout.close()
    process.wait(timeout=60)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""


def test_bad_queries_and_limits_are_one_line_and_status_2(seeds: Path, tmp_path):
    for args in (["   "], ["x" * 300], ["ok", "--limit", "-1"]):
        result = glose("search", *args, "--corpus", str(seeds), cwd=tmp_path)
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("glose: ")
    missing = glose("search", "x", "--corpus", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_matches_in_hostile_text_print_as_data(make_corpus, tmp_path):
    root = make_corpus(
        {"evil.txt": "Avant \x1b[31mrouge\x1b]0;TITRE\x07 [bold]gras[/bold] sécurité après.\n"}
    )
    result = glose("search", "securite", "--corpus", str(root), cwd=tmp_path)
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "␛[31mrouge␛]0;TITRE␇ [bold]gras[/bold] sécurité après." in result.stdout


def run_on_a_terminal(args: list[str], cwd: Path) -> bytes:
    """Run glose with its standard output on a pseudo-terminal; what reached the terminal."""
    import os
    import pty
    import subprocess

    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "tui", *args],
            cwd=cwd,
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
        assert process.returncode == 0, process.stderr
        os.close(follower)
        follower = -1
        received = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed and drained
                break
            if not chunk:
                break
            received += chunk
        return received
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)


@pytest.mark.slow
def test_text_exports_on_a_terminal_show_control_characters_as_placeholders(make_corpus, tmp_path):
    root = make_corpus({"evil.txt": "Avant \x1b[31mrouge\x1b]0;TITRE\x07 fin.\n"})
    store = tmp_path / "store"
    tagged = glose(
        "tag",
        "--tag",
        "x",
        "--match",
        "rouge",
        "--corpus",
        str(root),
        "--store",
        str(store),
        cwd=tmp_path,
    )
    assert tagged.returncode == 0, tagged.stderr
    for format in ("markdown", "csv", "jsonl"):
        shown = run_on_a_terminal(
            ["export", "--format", format, "--corpus", str(root), "--store", str(store)], tmp_path
        )
        assert b"\x1b" not in shown and b"\x07" not in shown, format
        assert b"rouge" in shown
    markdown = run_on_a_terminal(
        ["export", "--format", "markdown", "--corpus", str(root), "--store", str(store)], tmp_path
    )
    assert "␛\\[31mrouge␛\\]0;TITRE␇".encode() in markdown  # brackets escaped for Markdown
    # A pipe or a file gets the text as it is: the data, byte for byte.
    piped = glose(
        "export", "--format", "csv", "--corpus", str(root), "--store", str(store), cwd=tmp_path
    )
    assert "\x1b[31mrouge" in piped.stdout


def test_check_names_files_left_out_without_calling_the_store_unhealthy(make_corpus, tmp_path):
    root = make_corpus({"a.txt": "Texte.\n", "x.txt": b"\x00\x01\x02binary\x00" * 20})
    store = tmp_path / "store"
    glose(
        "tag",
        "--tag",
        "t",
        "--match",
        "Texte",
        "--corpus",
        str(root),
        "--store",
        str(store),
        cwd=tmp_path,
    )
    result = glose("check", "--corpus", str(root), "--store", str(store), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "Left out 1 file that is not text: x.txt" in result.stdout
    assert "problems  none" in result.stdout
    assert "journal   1 action since" in result.stdout


def search(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`glose search *args`, given a few seconds: a pipe must not block it."""
    return glose("search", *args, cwd=cwd, timeout=20)


def test_search_says_in_one_line_which_files_it_left_out(make_corpus, tmp_path):
    binary = b"\x00\x01\x02 pas du texte \x00" * 50
    root = make_corpus({"a.txt": "La sécurité.", "scan.txt": binary, "b.md": "Rien."})
    os.mkfifo(root / "pipe.txt")
    result = search("securite", "--corpus", str(root), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("a  passage 1")
    assert result.stderr.splitlines() == [
        "2 files were left out: pipe.txt (a named pipe (FIFO), not a file), scan.txt (not text)",
        "1 passage in 1 of 2 articles",
    ]
    for number in range(6):
        (root / f"scan{number}.txt").write_bytes(binary)
    result = search("zzzz", "--corpus", str(root), cwd=tmp_path)
    assert result.returncode == 1, "nothing found: the status is as it was"
    assert result.stderr.splitlines()[0] == (
        "8 files were left out: pipe.txt (a named pipe (FIFO), not a file), scan.txt (not text), "
        "scan0.txt (not text), scan1.txt (not text), scan2.txt (not text) and 3 more"
    )


@pytest.mark.slow
@pytest.mark.parametrize("place", [INDEX_FILE, CATALOG_NAME])
@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
def test_a_special_file_in_place_of_a_cache_is_left_alone(seeds, tmp_path, kind, place):
    # A pipe there once blocked every command; a link to /dev/zero read until memory ran out.
    store = tmp_path / "store"
    args = ["--corpus", str(seeds), "--store", str(store)]
    assert glose("tag", "--tag", "t", "--match", "IBM", *args, cwd=tmp_path).returncode == 0
    expected = search("alliance", *args, cwd=tmp_path).stdout
    (store / place).unlink(missing_ok=True)  # the catalog is the reader's to write
    make, is_kind, said = SPECIAL_FILES[kind]
    make(store / place)
    for _ in range(2):  # the first run would replace it, the next read it
        result = search("alliance", *args, cwd=tmp_path)
        assert result.returncode == 0 and result.stdout == expected
        assert result.stderr.splitlines()[0] == (
            f"{store / place} is {said}, not a file: left alone, no "
            f"{'search index' if place == INDEX_FILE else 'catalog'} kept"
        )
        assert is_kind(os.lstat(store / place).st_mode), "never replaced"


def test_check_notes_a_cache_in_place_of_which_something_else_is(seeds, tmp_path):
    # check once said "problems none" and nothing more, though search kept no index.
    store = tmp_path / "store"
    args = ["--corpus", str(seeds), "--store", str(store)]
    assert glose("tag", "--tag", "t", "--match", "IBM", *args, cwd=tmp_path).returncode == 0
    (store / INDEX_FILE).unlink(missing_ok=True)
    (store / CATALOG_NAME).unlink(missing_ok=True)
    os.mkfifo(store / INDEX_FILE)
    (store / CATALOG_NAME).symlink_to("/dev/zero")
    result = glose("check", *args, cwd=tmp_path, timeout=20)
    assert result.returncode == 0, "a cache that cannot be kept is no problem of the store"
    lines = result.stdout.splitlines()
    assert (
        f"caches    {store / INDEX_FILE} is a named pipe (FIFO), not a file: left alone, "
        "no search index kept"
    ) in lines
    assert (
        f"          {store / CATALOG_NAME} is a symbolic link, not a file: left alone, "
        "no catalog kept"
    ) in lines
    assert "problems  none" in lines


def test_json_for_scripts_ranked_or_in_corpus_order(make_corpus, tmp_path):
    root = make_corpus(
        {
            "a.txt": "Un.\n\nDeux.\n\nTrois.\n\nUn long paragraphe "
            + "de mots " * 30
            + "et un zèbre.",
            "b.txt": "Zèbre, zèbre, zèbre.",
        }
    )
    result = search("zebre", "--format", "json", "--corpus", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["query"] == "zebre" and found["total"] == 2
    best, other = found["hits"]
    assert best["document"] == "b" and best["score"] > other["score"] > 0
    assert (other["document"], other["passage"]) == ("a", 4)
    text = (root / "a.txt").read_text("utf-8")
    assert text[other["start"] : other["end"]] == "zèbre"
    assert "zèbre" in other["snippet"]
    ordered = search("zebre", "--sort", "position", "--corpus", str(root), cwd=tmp_path)
    assert [line.split()[0] for line in ordered.stdout.splitlines()] == ["a", "b"]


def test_whole_words_a_regex_and_nothing_found(make_corpus, tmp_path, cache_of_its_own):
    root = make_corpus({"a.txt": "These are the words.", "b.txt": "Une sécurité4242 rare."})
    args = ["--corpus", str(root)]
    assert len(search("the", *args, cwd=tmp_path).stdout.splitlines()) == 1  # These, the
    whole = search("these", "--whole-word", "--format", "json", *args, cwd=tmp_path)
    assert json.loads(whole.stdout)["total"] == 1
    assert search("thes", "--whole-word", *args, cwd=tmp_path).returncode == 1
    regex = search(r"s[eé]curit[eé]\d+", "--regex", *args, cwd=tmp_path)
    assert regex.returncode == 0 and "sécurité4242" in regex.stdout
    assert "reading every file (a regular expression): slower" in regex.stderr
    bad = search("(", "--regex", *args, cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("glose: The regular expression is not")
    nothing = search("ornithorynque", *args, cwd=tmp_path)
    assert (nothing.returncode, nothing.stdout) == (1, "")
    # Without a store, kept in the user's cache folder for the next search.
    assert list(cache_of_its_own.glob("glose/search/*/glose.search"))


def test_the_query_language_with_a_tag_filter(seeds, tmp_path):
    store = tmp_path / "store"
    args = ["--corpus", str(seeds), "--store", str(store)]
    assert glose("tag", "--tag", "t/sub", "--match", "IBM", *args, cwd=tmp_path).returncode == 0
    tagged = search("alliance tag:t", "--format", "json", "--limit", "0", *args, cwd=tmp_path)
    found = json.loads(tagged.stdout)
    every = json.loads(search("alliance", "--format", "json", *args, cwd=tmp_path).stdout)
    assert 0 < found["total"] < every["total"]
    either = search("ornithorynque OR ibm", *args, cwd=tmp_path)
    assert either.returncode == 0 and "IBM" in either.stdout
    bad = search("tag:", *args, cwd=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
