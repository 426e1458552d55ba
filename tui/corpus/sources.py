"""Where a fetched document came from, kept beside it by `glose add`."""

from __future__ import annotations

from pathlib import Path

import orjson

from tui.regular_files import read_regular_file

SOURCE_SUFFIX = ".source.json"
"""The file beside a fetched one that says where and when it was fetched (not listed)."""

SOURCE_LIMIT = 64_000
"""A source file is read no further: it holds an address and a date."""


def source_address(path: Path) -> str:
    """The address the file at `path` was fetched from, as its source file says; "" when it
    has none, or none that can be read (it is a note, never an error)."""
    beside = path.with_name(path.name + SOURCE_SUFFIX)
    try:
        data = orjson.loads(read_regular_file(beside, limit=SOURCE_LIMIT).data)
    except (OSError, ValueError):
        return ""
    url = data.get("url") if isinstance(data, dict) else None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else ""
