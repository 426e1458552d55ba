"""Reading a file to import: which format it is, its annotations checked, ready to merge."""

from __future__ import annotations

import json
from pathlib import Path

from tui.corpus import Corpus
from tui.interchange import lines, native, w3c
from tui.interchange.reading import FileError, Parsed

MAX_IMPORT_SIZE = 500_000_000
"""Bigger files are refused before they are read: no export of glose's comes near."""


def read_file(path: Path, corpus: Corpus) -> Parsed:
    """The annotations of glose JSON (any version), glose JSON Lines or W3C annotations (a
    collection, a page, a list, one annotation, or one per line)."""
    try:
        if path.stat().st_size > MAX_IMPORT_SIZE:
            raise FileError(f"{path} is larger than {MAX_IMPORT_SIZE // 1_000_000} MB")
        raw = path.read_bytes()
    except OSError as error:
        raise FileError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(
            f"{path} is not UTF-8 (byte {error.start}): glose reads the UTF-8 JSON it and "
            "W3C tools write"
        ) from error
    return read_text(text, corpus)


def read_text(text: str, corpus: Corpus) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole_error:
        return _read_lines(text, corpus, whole_error)
    except RecursionError as error:
        raise FileError("the JSON is nested too deeply to be annotations") from error
    if isinstance(data, dict) and data.get("format") == native.FORMAT:
        return native.read(data)
    if w3c.looks_like_w3c(data):
        return w3c.read(data, corpus)
    if isinstance(data, dict) and "kind" in data and "document" in data:
        return lines.read(text)  # a JSON Lines file of one line
    raise FileError(
        "not annotations glose can read: it reads its own JSON export "
        f'("format": "{native.FORMAT}"), its JSON Lines export and W3C Web Annotations'
    )


def _read_lines(text: str, corpus: Corpus, whole_error: json.JSONDecodeError) -> Parsed:
    """A file of one JSON value per line: glose's JSON Lines, or W3C annotations."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        sample = json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        raise FileError(
            f"not JSON: {whole_error.msg} at line {whole_error.lineno}, column {whole_error.colno}"
        ) from whole_error
    if isinstance(sample, dict) and "kind" in sample and "document" in sample:
        return lines.read(text)
    if isinstance(sample, dict) and w3c.looks_like_w3c(sample):
        entries = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise FileError(f"line {number}: not JSON ({error.msg})") from error
        return w3c.read(entries, corpus)
    raise FileError(
        f"not JSON: {whole_error.msg} at line {whole_error.lineno}, column {whole_error.colno}"
    )
