"""Drive a real terminal: the installed `glose` in a private tmux server."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sysconfig
import time
import uuid
from collections.abc import Callable
from pathlib import Path

WAIT_LIMIT = 30.0


def installed_glose() -> Path:
    """The console script `pip install` put beside this Python, as a user would run it."""
    script = Path(sysconfig.get_path("scripts")) / "glose"
    if not script.exists():
        found = shutil.which("glose")
        assert found, "glose is not installed: run the README's install command first"
        script = Path(found)
    return script


def _tmux_environment() -> dict[str, str]:
    """The test's environment for tmux, less what would size the app other than the pane."""
    # A parent's COLUMNS or LINES (pytest-xdist's workers have them) outrank the pane's size.
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**environment, "TMUX": ""}


class Terminal:
    """One tmux session on its own socket, so tests never touch the user's tmux."""

    def __init__(
        self,
        command: list[str],
        status_file: Path,
        *,
        width: int = 120,
        height: int = 40,
        record: Path | None = None,
    ) -> None:
        assert shutil.which("tmux"), "tmux is needed for the end-to-end tests"
        self.socket = f"glose-test-{uuid.uuid4().hex[:8]}"
        self.session = "glose"
        self.status_file = status_file
        env = {"TERM": "xterm-256color", "LANG": "C.UTF-8"}
        # tmux's own record of a dead pane's status is racy; the shell writes it to a file.
        shell = f"{shlex.join(command)}; echo $? > {shlex.quote(str(status_file))}; sleep 600"
        go = status_file.with_suffix(".go")
        if record is not None:
            # The program starts only once every byte it writes is being recorded.
            shell = f"while [ ! -e {shlex.quote(str(go))} ]; do sleep 0.01; done; {shell}"
        sizes = ["-x", str(width), "-y", str(height)]
        variables = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self._tmux("new-session", "-d", "-s", self.session, *sizes, *variables, shell)
        if record is not None:
            target = shlex.quote(str(record))
            self._tmux("pipe-pane", "-t", self.session, "-o", f"cat >> {target}")
            go.touch()

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=False,
            env=_tmux_environment(),
        )

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session).stdout

    def raw_screen(self) -> str:
        """The pane with its escape sequences (-e), to check what reached the terminal."""
        return self._tmux("capture-pane", "-p", "-e", "-t", self.session).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", self.session, key)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, condition: Callable[[str], bool], what: str) -> str:
        """Poll the screen until `condition` holds; fail showing the screen if it never does."""
        deadline = time.monotonic() + WAIT_LIMIT
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")
            time.sleep(0.05)

    def wait_for_text(self, text: str) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text))

    def exit_status(self) -> int | None:
        try:
            status = self.status_file.read_text().strip()
        except FileNotFoundError:
            return None
        return int(status) if status else None

    def wait_for_exit(self) -> int:
        deadline = time.monotonic() + WAIT_LIMIT
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"glose did not exit; the screen was:\n{self.screen()}")
            time.sleep(0.05)
        return status

    def close(self) -> None:
        self._tmux("kill-server")
