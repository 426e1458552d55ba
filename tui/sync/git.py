"""The `git` command, run with the user's own configuration, remotes and credentials."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 120.0
"""Seconds a git command may take (a fetch over a slow network) before sync gives up."""


class SyncError(Exception):
    """A failure the user can act on, as one sentence (no repository, no remote, git's own
    sentence for a failed push, a dirty work tree in glose's files, ...)."""


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.code == 0

    def said(self) -> str:
        """Git's own sentence: the line of its output that says what went wrong."""
        lines = [line.strip() for line in (self.err + "\n" + self.out).splitlines()]
        lines = [line for line in lines if line and not line.startswith("hint:")]
        for prefix in ("! [", "fatal:", "error:", "CONFLICT"):
            found = [line for line in lines if line.startswith(prefix)]
            if found:
                return found[0].removeprefix("fatal: ").removeprefix("error: ")
        return lines[-1] if lines else f"git stopped with status {self.code}"


def environment() -> dict[str, str]:
    """The user's environment, never asking on the terminal: a password prompt would hang a
    sync run from the reader, where nobody sees it."""
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    # ssh asks for a passphrase through a program, never the terminal the reader draws on;
    # without one of the user's, through a program that refuses.
    env.setdefault("SSH_ASKPASS", shutil.which("false") or "/bin/false")
    env["SSH_ASKPASS_REQUIRE"] = "force"
    env["LC_ALL"] = "C"  # git's sentences as the code reads them
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


class Git:
    """Git commands in one work tree."""

    def __init__(self, top: Path, timeout: float = TIMEOUT) -> None:
        self.top = top
        self.timeout = timeout

    def run(self, *args: str, input: str | None = None, check: bool = True) -> Result:
        """Run `git args` in the work tree; SyncError (git's sentence) if it fails and `check`."""
        result = run_git(self.top, args, input=input, timeout=self.timeout)
        if not result.ok and "Please tell me who you are" in result.err:
            raise SyncError(
                "git does not know who you are, to sign the commit: set git config --global "
                "user.name and user.email, then sync again"
            )
        if check and not result.ok:
            raise SyncError(f"git {_command(args)} failed: {result.said()}")
        return result

    def show(self, spec: str) -> str | None:
        """A file as a commit or a stage of the index holds it (None: it holds none)."""
        result = self.run("show", spec, check=False)
        return result.out if result.ok else None


def run_git(
    where: Path, args: tuple[str, ...], *, input: str | None = None, timeout: float = TIMEOUT
) -> Result:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=where,
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            env=environment(),
            timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError as error:
        if not where.is_dir():
            raise SyncError(f"{where} is not a folder") from error
        raise SyncError("git is not installed: install it to sync (https://git-scm.com)") from error
    except subprocess.TimeoutExpired as error:
        raise SyncError(
            f"git {_command(args)} took more than {timeout:.0f} seconds: check the network and the "
            "remote, then sync again"
        ) from error
    except OSError as error:
        raise SyncError(f"git could not be run: {error.strerror or error}") from error
    return Result(done.returncode, done.stdout, done.stderr)


def _command(args: tuple[str, ...]) -> str:
    """The git command of `args`, its options before it left out."""
    return next((arg for arg in args if not arg.startswith("-")), "")


def find_top(folder: Path) -> Path:
    """The work tree that holds `folder` (SyncError: none does)."""
    if not folder.is_dir():
        raise SyncError(f"{folder} is not a folder")
    result = run_git(folder, ("rev-parse", "--show-toplevel"))
    if not result.ok:
        raise SyncError(
            f"{folder} is not in a git repository: make it one (git init, or git clone the "
            "team's), or name one with --repo DIR"
        )
    return Path(result.out.strip())
