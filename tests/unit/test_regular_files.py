"""Every file glose reads goes through `read_regular_file`: special files never hang or flood."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.regular_files import FileTooLarge, NotRegularFile, read_regular_file


def test_a_regular_file_is_read_whole_with_its_status(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("sécurité\n".encode())
    read = read_regular_file(path, limit=100)
    assert read.data == "sécurité\n".encode()
    assert read.status.st_ino == path.stat().st_ino


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLarge, match="larger than 100 bytes"):
        read_regular_file(path, limit=100)
    assert read_regular_file(path, limit=101).data == b"x" * 101


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFile, match="is a folder"):
        read_regular_file(tmp_path, limit=100)


def test_a_device_is_refused_before_any_read() -> None:
    with pytest.raises(NotRegularFile, match="is a device"):
        read_regular_file("/dev/zero", limit=1 << 40)


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(NotRegularFile, match="is a device"):
        read_regular_file(tmp_path / "zero.txt", limit=1 << 40)


def test_a_fifo_with_no_writer_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    # In a child process with a timeout: a regression would block the test run forever.
    code = (
        "import sys; from tui.regular_files import read_regular_file, NotRegularFile\n"
        "try:\n    read_regular_file(sys.argv[1], limit=100)\n"
        "except NotRegularFile as error:\n    print(error.strerror)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=20
    )
    assert done.stdout.strip() == "is a named pipe (FIFO), not a file"
