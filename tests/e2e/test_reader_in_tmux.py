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

    def start(command: list[str]) -> Terminal:
        terminal = Terminal(command, tmp_path / f"status-{len(opened)}")
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
    screen = terminal.wait_for(
        lambda s: "● sécurité" in s and "Tag the current passage" not in s,
        "the tag under the passage",
    )
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
    assert data["tags"] == [{"name": "sécurité", "color": "#1f77b4", "key": 1}]
    (document,) = data["documents"]
    assert document["id"] == "000_9ff77a90e9a0ba93"
    passages = {p["index"]: (p["tags"], p["highlighted"]) for p in document["passages"]}
    assert passages == {1: (["sécurité"], False), 2: (["sécurité"], False), 3: ([], True)}
