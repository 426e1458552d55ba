"""Helpers the tests of every layer share: documents made from a string, an export as data,
keys pressed, notices recorded, frames as a terminal receives them, glose run as a command."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import re
import stat
import subprocess
import sys
import time
import unicodedata
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.keys import KEY_NAME_REPLACEMENTS, REPLACED_KEYS, key_to_character
from textual.pilot import Pilot

from tui.corpus import Corpus, Document
from tui.corpus.document import normalise_newlines
from tui.interchange import json_format
from tui.interchange.export import Filters, select
from tui.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
"""The bundled corpus: five French press articles."""


def text_document(doc_id: str, text: str, relpath: str | None = None) -> Document:
    """A document that is `text`, as if read from `relpath` (default `<doc_id>.txt`)."""
    relpath = relpath or f"{doc_id}.txt"
    return Document(doc_id, Path(relpath), relpath, normalise_newlines(text))


def journal_fd(store: Store) -> int:
    """The descriptor through which a writer appends to its journal, found as the system sees
    it: the one open for writing on `glose.journal`."""
    journal = os.stat(store.directory / "glose.journal")
    for name in os.listdir("/dev/fd"):
        fd = int(name)
        with contextlib.suppress(OSError):  # the descriptor of the listing itself, now closed
            writable = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY
            if writable and os.path.samestat(os.fstat(fd), journal):
                return fd
    raise LookupError(f"no journal of {store.directory} is open for writing")


def export_data(corpus: Corpus, store: Store, filters: Filters | None = None) -> dict[str, Any]:
    """The glose JSON export of what the filters keep (everything by default), as a dict."""
    return json_format.build(select(corpus, store, filters), corpus)


def glose(
    *args: str, cwd: Path, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`glose *args` run in `cwd` as a user runs it, in its own process; ended after `timeout`
    seconds (a short one where a hang is the bug looked for); `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, **env} if env else None,
    )


SPECIAL_FILES: dict[str, tuple[Callable[[Path], object], Callable[[int], bool], str]] = {
    "fifo": (os.mkfifo, stat.S_ISFIFO, "a named pipe (FIFO)"),
    "link to /dev/zero": (
        lambda path: path.symlink_to("/dev/zero"),
        stat.S_ISLNK,
        "a symbolic link",
    ),
    "folder": (Path.mkdir, stat.S_ISDIR, "a folder"),
}
"""What can be put where glose expects a file: how to make it, how to tell it, its name."""


def key_name(character: str) -> str:
    """The name Textual gives the key that types `character` (`]` is `right_square_bracket`)."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


def key_character(key: str) -> str | None:
    """What the key named `key` types (`slash` types `/`), if it types anything."""
    with contextlib.suppress(KeyError):
        return key_to_character(key) or unicodedata.lookup(
            REPLACED_KEYS.get(key, key).replace("_", " ")
        )
    return None


async def quiet(pilot: Pilot) -> None:
    """Wait until the app, its screen and every widget on it have handled every message sent
    so far, including those the handling itself sent, and no animation runs."""
    app = pilot.app
    while True:
        handled: list[asyncio.Event] = []
        for pump in [app, *app.screen.walk_children(with_self=True)]:
            marker = asyncio.Event()
            # A pump calls this once it has handled what was sent to it before.
            if pump.call_later(marker.set):
                handled.append(marker)
        await asyncio.wait_for(asyncio.gather(*(marker.wait() for marker in handled)), 30)
        pumps = [app, *app.screen.walk_children(with_self=True)]
        if not any(pump.message_queue_size for pump in pumps):
            break
    await app.animator.wait_for_idle()


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one by one as `Pilot.press` does, each handled in full before the next: the
    wait is on the app's own queues, not on the processor looking idle for a while."""
    for key in keys:
        character = key if len(key) == 1 else key_character(key)
        pilot.app.post_message(events.Key(key_name(key) if len(key) == 1 else key, character))
        await quiet(pilot)


def recording(app: App, with_title: bool = False) -> list[Any]:
    """What the app tells the user from now on: each notice's message, or (message, title)."""
    notified: list[Any] = []
    notify = app.notify

    def record(message: str, **options: Any) -> None:
        notified.append((message, options.get("title")) if with_title else message)
        notify(message, **options)

    app.notify = record  # type: ignore[method-assign]
    return notified


# A move of the cursor starts a row of the screen; every other control sequence only styles.
CURSOR_MOVE = re.compile(r"\x1b\[\d+;\d+H")
CONTROL = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def screen_text(written: str) -> str:
    """The text of what was written to the terminal, a line for each row it drew."""
    return "\n".join(CONTROL.sub("", row) for row in CURSOR_MOVE.split(written))


async def in_a_terminal(
    app: App,
    size: tuple[int, int],
    steps: Callable[[Pilot, list[tuple[str, Any]]], Awaitable[None]],
    look: Callable[[], Any] = lambda: None,
) -> None:
    """Run `app` as a terminal would and take `steps` with a Pilot, then quit. What the app
    writes is kept: each frame as its text, with what `look()` saw as it was written (the
    state the frame was drawn from)."""
    frames: list[tuple[str, Any]] = []

    class Terminal(HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            if CURSOR_MOVE.search(data):
                frames.append((screen_text(data), look()))

    async def drive(pilot: Pilot) -> None:
        await pilot.pause(0)  # the screen's pending refresh: the first frame
        await steps(pilot, frames)
        app.exit()

    app.driver_class = Terminal
    await app.run_async(headless=False, size=size, auto_pilot=drive)


def saved_long_after(path: Path) -> None:
    """As if the index's files had been read well after they last changed (none is "racy")."""
    import sqlite3

    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE files SET read_at = read_at + 10000000000")
    connection.close()


def read_long_after() -> int:
    """A time to say a file was read at: well after any file made so far last changed (the
    catalog trusts what was read of it by its stamp)."""
    return time.time_ns() + 10 * 10**9


def catalogued_long_after(path: Path) -> None:
    """As if every file the catalog knows had been read well after it last changed (none is
    "racy": the catalog trusts each by its stamp)."""
    data = json.loads(path.read_bytes())
    for fields in data["files"].values():
        fields[4] += 10 * 10**9  # when the file was read
    path.write_bytes(json.dumps(data).encode())


def tags_of(screen: Any) -> dict[int, list[str]]:
    """The tags on each passage of the screen's store, by passage index."""
    return {a.passage: a.tags for a in screen.store.annotations() if a.tags}


# A saved web page with what a page says of itself: title, author, date, site, address.
WEB_PAGE = """<html><head><title>Terrain [b]x[/b]</title>
<meta name="author" content="Claire Dupont">
<meta property="article:published_time" content="2024-05-01">
<meta property="og:site_name" content="Le Journal">
<link rel="canonical" href="https://journal.example/terrain"></head><body>
<article><h1>Terrain [b]x[/b]</h1>
<p>Nous avons lu le rapport complet avant de partir sur le terrain, et la méthode est
décrite dans la suite de cet article, qui raconte trois semaines d’entretiens.</p>
<p>Les entretiens ont été menés au printemps, dans trois villes, auprès de vingt personnes
qui travaillent la nuit.</p></article></body></html>"""
