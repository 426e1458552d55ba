"""Opening the reader from the command line: a store it cannot write is opened read-only."""

from __future__ import annotations

import os


def test_the_reader_falls_back_to_read_only_when_the_store_cannot_be_written(tmp_path, monkeypatch):
    import errno

    from tui.cli import build_parser
    from tui.cli.reader import open_store_for_reader
    from tui.store import Store

    store_dir = tmp_path / "store"
    Store(store_dir).close()
    real_open = os.open

    def read_only_fs(path, flags, *rest):
        if str(path).endswith("glose.journal") and flags & os.O_WRONLY:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *rest)

    monkeypatch.setattr(os, "open", read_only_fs)
    args = build_parser().parse_args(["--store", str(store_dir)])
    store, reason = open_store_for_reader(args)
    try:
        assert store.readonly
        assert "the file system is read-only; glose can only read this store" in reason
    finally:
        store.close()


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
