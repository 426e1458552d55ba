"""Opening the reader from the command line: a store it cannot write is opened read-only, and
the reason given is the real one (another glose, a read-only file system, no permission, a
full disk)."""

from __future__ import annotations

import errno
import os

import pytest

from tui.cli import build_parser
from tui.cli.reader import open_store_for_reader
from tui.store import Store
from tui.store.readonly import Cause

REFUSED = {
    errno.EROFS: (Cause.READ_ONLY_FILE_SYSTEM, "is on a read-only file system"),
    errno.EACCES: (Cause.NO_PERMISSION, "You have no permission to write"),
    errno.EPERM: (Cause.NO_PERMISSION, "You have no permission to write"),
    errno.ENOSPC: (Cause.DISK_FULL, "is full"),
    errno.EDQUOT: (Cause.QUOTA, "disk quota is used up"),
}


def refusing(monkeypatch, file_name: str, code: int) -> None:
    """Opening `file_name` of a store for writing fails with `code`, as the system would."""
    real_open = os.open

    def refused(path, flags, *rest, **options):
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if os.path.basename(os.fspath(path)) == file_name and writing:
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, *rest, **options)

    monkeypatch.setattr(os, "open", refused)


def open_for_reader(store_dir):
    return open_store_for_reader(build_parser().parse_args(["--store", str(store_dir)]))


@pytest.mark.parametrize("file_name", ["glose.lock", "glose.journal"])
@pytest.mark.parametrize("code", list(REFUSED), ids=errno.errorcode.get)
def test_a_store_that_cannot_be_written_opens_read_only_saying_why(
    store_dir, monkeypatch, file_name, code
):
    Store(store_dir).close()
    refusing(monkeypatch, file_name, code)
    store, reason = open_for_reader(store_dir)
    try:
        assert store.readonly
        cause, words = REFUSED[code]
        assert reason is not None and reason.cause is cause
        notice = reason.notice()
        assert words in notice and str(store_dir) in notice
        assert "Another glose" not in notice and "annotation keys do nothing" in notice
    finally:
        store.close()


def test_a_full_disk_while_naming_the_writer_says_the_disk_is_full(store_dir, monkeypatch):
    import tui.store.lock

    def disk_full(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    Store(store_dir).close()
    monkeypatch.setattr(tui.store.lock, "write_replacing", disk_full)
    store, reason = open_for_reader(store_dir)
    try:
        assert reason is not None and reason.cause is Cause.DISK_FULL
        assert "is full" in reason.notice()
    finally:
        store.close()


def test_a_store_another_glose_writes_names_that_glose(store_dir):
    writer = Store(store_dir)
    store, reason = open_for_reader(store_dir)
    try:
        assert reason is not None and reason.cause is Cause.HELD
        assert reason.holder is not None and reason.holder.pid == os.getpid()
        notice = reason.notice()
        assert notice.startswith("Another glose is writing to this store (process ")
        assert f"process {os.getpid()} on " in notice
        assert "Close the other one and reopen to annotate." in notice
    finally:
        store.close()
        writer.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the permissions say")
def test_a_folder_without_write_permission_says_so(store_dir):
    Store(store_dir).close()
    for name in os.listdir(store_dir):
        os.chmod(store_dir / name, 0o444)
    os.chmod(store_dir, 0o555)
    try:
        store, reason = open_for_reader(store_dir)
        store.close()
    finally:
        os.chmod(store_dir, 0o755)
    assert reason is not None and reason.cause is Cause.NO_PERMISSION
    assert "You have no permission to write" in reason.notice()


def test_the_reader_takes_the_user_name_when_the_settings_annotator_cannot_be_used(
    tmp_path, monkeypatch
):
    import pytest

    from tui.cli import CommandError, build_parser
    from tui.cli.reader import open_store_for_reader

    store_dir = tmp_path / "store"
    store_dir.mkdir()
    (store_dir / "settings.toml").write_text('annotator = "*"\n', encoding="utf-8")
    args = build_parser().parse_args(["--store", str(store_dir)])
    store, reason = open_store_for_reader(args)  # the app says what is wrong in the settings
    try:
        assert store.annotator == "lecteur" and reason is None
    finally:
        store.close()
    assert any('annotator "*"' in problem for problem in args.settings.problems)
    monkeypatch.setenv("GLOSE_ANNOTATOR", "*")
    with pytest.raises(CommandError, match=r"^\$GLOSE_ANNOTATOR: "):
        open_store_for_reader(build_parser().parse_args(["--store", str(store_dir)]))
