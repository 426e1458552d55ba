"""End to end: the installed `glose` in a real terminal, tagged with keys, then exported."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.e2e.tmux import Terminal, installed_glose


@pytest.fixture
def terminal_factory(tmp_path):
    opened: list[Terminal] = []

    def start(command: list[str], **options) -> Terminal:
        terminal = Terminal(command, tmp_path / f"status-{len(opened)}", **options)
        opened.append(terminal)
        return terminal

    yield start
    for terminal in opened:
        terminal.close()


def test_tag_with_keys_quit_and_find_the_tag_in_export(tmp_path, seeds, terminal_factory):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    store = tmp_path / "store"
    glose = str(installed_glose())
    terminal = terminal_factory([glose, "--corpus", str(corpus), "--store", str(store)])

    terminal.wait_for_text("passage 1/11")
    terminal.keys("j")
    terminal.wait_for_text("passage 2/11")
    terminal.keys("t")
    terminal.wait_for_text("Tag the current passage")
    terminal.type("sécurité")
    terminal.wait_for_text("sécurité")
    terminal.keys("Enter")
    # The passage and the sidebar may be drawn in two frames: wait for both.
    terminal.wait_for(
        lambda s: "Tag the current passage" not in s and s.count("● sécurité") == 2,
        "the tag under the passage and in the sidebar",
    )
    screen = terminal.screen()
    assert "1 ● sécurité" in screen.replace("●  ", "● "), "the sidebar lists the tag with key 1"
    terminal.keys("j", "1")
    terminal.wait_for(lambda s: s.count("● sécurité") == 2, "tag 1 on a second passage")
    terminal.keys("j", "h")
    terminal.wait_for_text("3/11 annotated")
    terminal.keys("q")
    assert terminal.wait_for_exit() == 0
    assert "Traceback" not in terminal.screen()

    result = subprocess.run(
        [glose, "export", "--corpus", str(corpus), "--store", str(store)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    data = json.loads(result.stdout)
    (tag,) = data["codebook"]["tags"]
    assert {name: tag[name] for name in ("name", "color", "key", "description")} == {
        "name": "sécurité",
        "color": "#1f77b4",
        "key": 1,
        "description": "",
    }
    (document,) = data["documents"]
    assert document["id"] == "000_9ff77a90e9a0ba93"
    passages = {p["passage_index"]: (p["tags"], p["highlighted"]) for p in document["passages"]}
    assert passages == {1: (["sécurité"], False), 2: (["sécurité"], False), 3: ([], True)}


def test_tag_selected_words_with_a_key_and_find_exactly_them_in_export(
    tmp_path, seeds, terminal_factory
):
    """v w w then 1 codes those three words, not their passage: the export says so."""
    import re

    from tui.corpus import Corpus

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    store = tmp_path / "store"
    document = Corpus.open(corpus).get("000_9ff77a90e9a0ba93")
    first = document.passages[0]
    three = re.match(r"\S+\s+\S+\s+\S+", document.text[first.start : first.end])
    assert three is not None
    start, end = first.start + three.start(), first.start + three.end()
    glose = str(installed_glose())
    terminal = terminal_factory([glose, "--corpus", str(corpus), "--store", str(store)])

    terminal.wait_for_text("passage 1/11")
    # A tag with key 1, on no passage: made on the first, then taken off it with its key.
    terminal.keys("t")
    terminal.wait_for_text("Tag the current passage")
    terminal.type("acteurs")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: re.search(r"1 ● acteurs +1 ", s) is not None, "acteurs on 1")
    terminal.keys("1")
    terminal.wait_for(lambda s: re.search(r"1 ● acteurs +0 ", s) is not None, "acteurs off")
    terminal.keys("v", "w", "w")
    terminal.wait_for_text(f"{end - start} characters selected")
    terminal.keys("1")
    terminal.wait_for(
        lambda s: re.search(r"1 ● acteurs +1 ", s) is not None and "selected" not in s,
        "the words tagged and the selection left",
    )
    terminal.keys("q")
    assert terminal.wait_for_exit() == 0
    assert "Traceback" not in terminal.screen()

    result = subprocess.run(
        [glose, "export", "--format", "json", "--corpus", str(corpus), "--store", str(store)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    data = json.loads(result.stdout)
    entries = [p for d in data["documents"] for p in d["passages"]]
    spans = [h for p in entries for h in p["highlights"]]
    assert [(h["start"], h["end"], h["quote"], h["tags"]) for h in spans] == [
        (start, end, document.text[start:end], ["acteurs"])
    ]
    assert all(p["tags"] == [] for p in entries), "no passage carries the tag"


def test_no_escape_from_a_hostile_corpus_reaches_the_terminal(tmp_path, terminal_factory):
    """Every byte glose writes is recorded; none of the articles' escape codes is among them."""
    from tests.hostile import ESCAPES, write_hostile_corpus
    from tui.corpus import Corpus
    from tui.text import printable

    corpus = tmp_path / "hostile"
    write_hostile_corpus(corpus)
    record = tmp_path / "terminal-bytes"
    glose = str(installed_glose())
    terminal = terminal_factory(
        [glose, "--corpus", str(corpus), "--store", str(tmp_path / "store")], record=record
    )
    documents = list(Corpus.open(corpus))
    assert len(documents) >= 15
    for number, document in enumerate(documents):
        if number:
            terminal.keys("]")
        # Each article's title (as shown: placeholders for controls) heads the screen in turn.
        title = printable(document.title)[:16]
        terminal.wait_for(lambda s, t=title: t in s.splitlines()[0], f"article {document.id!r}")
        terminal.keys("G")
    terminal.keys("q")
    assert terminal.wait_for_exit() == 0
    assert "Traceback" not in terminal.screen()
    written = record.read_bytes()
    assert written, "the recording caught the app's output"
    for name, value in ESCAPES.items():
        assert value.encode("utf-8") not in written, f"the {name} escape reached the terminal"
    for marker in (b"\x1b]0;TITRE-PIRATE", b"\x1b]52;c;", b"\xc2\x9b31m", b"\x1b[2JEFFACE"):
        assert marker not in written
    assert "\u202e".encode() not in written, "a bidi override reached the terminal"
    assert "␛[31mROUGE-VIF".encode() in written, "shown instead as visible placeholders"


def test_search_in_a_real_terminal(tmp_path, seeds, terminal_factory):
    glose = str(installed_glose())
    store = tmp_path / "store"
    terminal = terminal_factory([glose, "--corpus", str(seeds), "--store", str(store)])
    terminal.wait_for_text("passage 1/11")
    terminal.keys("/")
    terminal.wait_for_text("Search: case and accents ignored")
    terminal.type("SECURITE")
    terminal.wait_for_text("9 matches in 5 articles (2 in this one)")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "«SECURITE» 1/2" in s and "passage 5/11" in s, "the match")
    terminal.keys("n")
    terminal.wait_for_text("«SECURITE» 2/2")
    terminal.keys("/")  # the box comes back with the query and its results
    terminal.wait_for_text("9 matches in 5 articles (2 in this one)")
    terminal.keys("Down", "Down", "Down", "Enter")  # the first result in another article
    terminal.wait_for(
        lambda s: "«SECURITE» 1/1" in s and "passage 6/21" in s, "the other article's match"
    )
    terminal.keys("q")
    assert terminal.wait_for_exit() == 0
    assert "Traceback" not in terminal.screen()
    found = subprocess.run(
        [glose, "search", "securite", "--corpus", str(seeds), "--store", str(store)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    # The shell prints a line per passage: two of the nine matches share one.
    assert found.returncode == 0 and len(found.stdout.splitlines()) == 8
    assert found.stderr.splitlines()[-1] == "8 passages in 5 of 5 articles"


def test_settings_tag_tree_and_statistics_in_a_real_terminal(tmp_path, seeds, terminal_factory):
    store = tmp_path / "store"
    store.mkdir()
    # The user's file remaps a key and names the annotator; the store's is broken on line 2:
    # said with its line, and the user's settings still apply.
    user = tmp_path / "settings.toml"
    user.write_text('annotator = "claire"\n[keys]\n"reader.next" = "l"\n', encoding="utf-8")
    (store / "settings.toml").write_text('theme = "nord"\nnot toml\n', encoding="utf-8")
    glose = str(installed_glose())
    command = ["env", f"GLOSE_CONFIG={user}", glose, "--corpus", str(seeds), "--store", str(store)]
    terminal = terminal_factory(command)
    terminal.wait_for_text("line 2")
    terminal.keys("l")
    terminal.wait_for_text("passage 2/11")
    terminal.keys("t")
    terminal.wait_for_text("Tag the current passage")
    terminal.type("politique/régulation")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "▾  politique" in s, "the level above the tag in the sidebar")
    terminal.keys("s")
    screen = terminal.wait_for_text("Statistics of claire's annotations")
    assert "politique/régulation 1" in screen
    terminal.keys("Escape")  # alone: escape then q at once reads as alt+q
    terminal.wait_for(lambda s: "Statistics of" not in s, "the statistics closed")
    terminal.keys("q")
    assert terminal.wait_for_exit() == 0
    assert "Traceback" not in terminal.screen()
