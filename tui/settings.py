"""The user's settings: who annotates, the theme, the highlight colour and the keys, read from
TOML files. A bad file, or a bad setting in it, becomes a sentence for the user, never an error."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.regular_files import FileTooLarge, NotRegularFile, read_regular_file
from tui.text import printable

if TYPE_CHECKING:
    import tomllib

SETTINGS_NAME = "settings.toml"
CONFIG_VARIABLE = "GLOSE_CONFIG"
"""Names a settings file to read instead of the one in the user's config directory."""
MAX_BYTES = 1 << 20
"""A settings file is a few lines: anything past a megabyte is a wrong file, not settings."""

SETTINGS = ("annotator", "theme", "highlight_color", "keys", "follow_links_outside")
MAX_PROBLEMS = 20
"""Sentences said about one file; past them, one more says there are others."""

_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


@dataclass(frozen=True)
class Settings:
    """What the settings files ask for; None where they say nothing (the defaults apply)."""

    annotator: str | None = None
    theme: str | None = None
    highlight_color: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, comma-separated, as Textual's keymaps read them."""
    follow_links_outside: bool = False
    """Whether links in the corpus to files or folders outside it are followed."""
    problems: tuple[str, ...] = ()
    """One sentence for each thing in the files that was ignored, to show the user."""
    annotator_problem: str | None = None
    """Why the annotator the files mean is not known (a name glose cannot keep, or a file
    that could not be read and may name one), without an ending: a command that records or
    counts by annotator stops there rather than take the user name."""


def user_settings_path(config_dir: Path | None = None) -> Path:
    """The user's settings file: `$GLOSE_CONFIG`, else `$XDG_CONFIG_HOME/glose/settings.toml`
    (`~/.config/glose/settings.toml` without it). `config_dir` stands for the glose folder."""
    if config_dir is not None:
        return config_dir / SETTINGS_NAME
    named = os.environ.get(CONFIG_VARIABLE)
    if named:
        return Path(named).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME", "")
    # The XDG specification: a relative path there is invalid and must be ignored.
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "glose" / SETTINGS_NAME


def load_settings(store_dir: Path, config_dir: Path | None = None) -> Settings:
    """The user's settings, then the store's over them setting by setting (keys one by one).

    Never raises: what cannot be used is left out and said in `problems`.
    """
    user = user_settings_path(config_dir)
    explicit = config_dir is None and bool(os.environ.get(CONFIG_VARIABLE))
    merged: dict[str, Any] = {}
    keys: dict[str, str] = {}
    problems: list[str] = []
    for path, required in ((user, explicit), (Path(store_dir) / SETTINGS_NAME, False)):
        read = _read_settings(path, required=required)
        problems.extend(read.problems)
        keys.update(read.found.pop("keys", {}))
        merged.update(read.found)
        # The store's file comes last and wins: its annotator, or its problem, is the one.
        if "annotator" in read.found:
            merged.pop("annotator_problem", None)
        if read.annotator_problem:
            merged["annotator_problem"] = read.annotator_problem
    return Settings(keys=keys, problems=tuple(problems), **merged)


def read_settings_file(path: Path, *, required: bool = False) -> tuple[dict[str, Any], list[str]]:
    """The valid settings of one file (by `Settings` field name) and a sentence per problem.

    A file that does not exist is no settings and no problem, unless it was `required`.
    """
    read = _read_settings(path, required=required)
    return read.found, read.problems


@dataclass
class _FileSettings:
    found: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    annotator_problem: str | None = None


def _read_settings(path: Path, *, required: bool) -> _FileSettings:
    name = printable(str(path))
    try:
        text = _read_text(path)
    except FileNotFoundError:
        if not required:
            return _FileSettings()
        missing = f"Settings file {name} does not exist"
        return _FileSettings(
            problems=[f"{missing}; default settings apply."], annotator_problem=missing
        )
    except _Unreadable as error:
        unread = f"Settings file {name} {error}"
        return _FileSettings(
            problems=[f"{unread}; its settings are ignored."], annotator_problem=unread
        )
    import tomllib  # only when there is a settings file: it costs every start

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where, what = _decode_error_position(error, text)
        unread = f"Settings file {name}, {where}: not valid TOML ({what})"
        return _FileSettings(
            problems=[f"{unread}; its settings are ignored."], annotator_problem=unread
        )
    except (RecursionError, ValueError):  # arrays nested thousands deep
        unread = f"Settings file {name} is not valid TOML"
        return _FileSettings(
            problems=[f"{unread}; its settings are ignored."], annotator_problem=unread
        )
    read = _validate(document, _Lines(name, text))
    if len(read.problems) > MAX_PROBLEMS:
        read.problems = [
            *read.problems[:MAX_PROBLEMS],
            f"Settings file {name}: and more problems past these; they are ignored too.",
        ]
    return read


class _Unreadable(Exception):
    """Why a settings file cannot be read, as the end of a sentence after its name."""


def _read_text(path: Path) -> str:
    try:
        # A folder said as one, and a pipe that would block the start never waited on.
        data = read_regular_file(path, limit=MAX_BYTES).data
    except FileNotFoundError:
        raise
    except (NotRegularFile, FileTooLarge) as error:
        raise _Unreadable(error.strerror) from error
    except OSError as error:
        raise _Unreadable(f"cannot be read ({error.strerror or error})") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _Unreadable(f"is not UTF-8 text (line {line})") from error


def _decode_error_position(error: tomllib.TOMLDecodeError, text: str) -> tuple[str, str]:
    """('line 3, column 7', 'invalid value') from tomllib's message."""
    message = str(error)
    match = _POSITION.search(message)
    what = (message[: match.start()] if match else message).strip() or "invalid"
    what = what[0].lower() + what[1:]
    line = getattr(error, "lineno", None)  # Python 3.14 carries them as attributes
    column = getattr(error, "colno", None)
    if line is None and match and match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
    if line is None:
        return f"line {text.rstrip().count(chr(10)) + 1} (the end of the file)", printable(what)
    return f"line {line}, column {column}", printable(what)


class _Lines:
    """Where a setting is written in a file, found by scanning the text for its name."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = text.splitlines()

    def where(self, key: str, table: str | None = None) -> str:
        """'Settings file F, line N' where `key = ` is first written (in `[table]` if given)."""
        names = [_assignment(key)]
        if table is not None:  # under [keys.reader], `reader.next` is written `next = `
            names.append(_assignment(key.rpartition(".")[2]))
        in_table = table is None
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if table is not None and stripped.startswith("["):
                header = stripped.strip("[] \t").strip("\"'")
                in_table = header == table or header.startswith(f"{table}.")
            elif in_table and any(name.match(line) for name in names):
                return f"Settings file {self.name}, line {number}"
        return f"Settings file {self.name}"


class _Where:
    """Where a setting is written, looked for only when a sentence shows it."""

    def __init__(self, lines: _Lines, key: str, table: str | None = None) -> None:
        self.lines, self.key, self.table = lines, key, table

    def __str__(self) -> str:
        return self.lines.where(self.key, self.table)


def _assignment(key: str) -> re.Pattern[str]:
    """`key = `, `"key" = ` or `key.part = ` at the start of a line."""
    name = re.escape(key)
    return re.compile(rf"""\s*(?:{name}|"{name}"|'{name}')\s*[=.]""")


def _validate(document: dict[str, Any], lines: _Lines) -> _FileSettings:
    read = _FileSettings()
    found, problems = read.found, read.problems
    for key, value in document.items():
        # Past the sentences shown, never looked for; the annotator's may stop a command.
        shown = len(problems) <= MAX_PROBLEMS or key == "annotator"
        where = _Where(lines, key) if shown else ""
        if key not in SETTINGS:
            problems.append(
                f"{where}: {_quoted(key)} is not a setting (they are {', '.join(SETTINGS)}); "
                "ignored."
            )
        elif key == "keys":
            if isinstance(value, dict):
                keys, key_problems = _validate_keys(value, lines)
                found["keys"] = keys
                problems.extend(key_problems)
            else:
                problems.append(
                    f"{where}: keys must be a table of binding id = keys ({_kind(value)} given); "
                    "ignored."
                )
        elif key == "follow_links_outside":
            if isinstance(value, bool):
                found["follow_links_outside"] = value
            else:
                problems.append(
                    f"{where}: follow_links_outside must be true or false ({_kind(value)} "
                    "given); ignored."
                )
        elif not isinstance(value, str):
            wrong = f"{where}: {key} must be text in quotes ({_kind(value)} given)"
            problems.append(f"{wrong}; ignored.")
            if key == "annotator":
                read.annotator_problem = wrong
        elif key == "annotator":
            from tui.store.annotators import clean_annotator  # the store is slow to import

            try:
                found["annotator"] = clean_annotator(value)
            except ValueError as error:
                wrong = f"{where}: annotator {_quoted(value)}: {str(error).rstrip('.')}"
                problems.append(f"{wrong}; ignored.")
                read.annotator_problem = wrong
        elif key == "highlight_color":
            from tui.store.model import HIGHLIGHT_COLORS

            if value in HIGHLIGHT_COLORS:
                found["highlight_color"] = value
            else:
                problems.append(
                    f"{where}: highlight_color {_quoted(value)} is not one of "
                    f"{', '.join(HIGHLIGHT_COLORS)}; ignored."
                )
        elif value.strip():
            found["theme"] = value.strip()
        else:
            problems.append(f"{where}: theme is empty; ignored.")
    return read


def _validate_keys(table: dict[str, Any], lines: _Lines) -> tuple[dict[str, str], list[str]]:
    keys: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in _flatten(table):
        # Looked for only when a sentence shows it, and past the sentences shown, never.
        where = _Where(lines, binding_id, "keys") if len(problems) <= MAX_PROBLEMS else ""
        if not isinstance(value, str):
            problems.append(
                f"{where}: the keys for {_quoted(binding_id)} must be text in quotes, "
                f'such as "j,down" ({_kind(value)} given); ignored.'
            )
        elif not value.isprintable():  # shown in the footer and the help: no escapes
            problems.append(
                f"{where}: the keys for {_quoted(binding_id)} hold a control character; ignored."
            )
        elif not all(part.strip() for part in value.split(",")):
            problems.append(
                f"{where}: the keys for {_quoted(binding_id)} ({_quoted(value)}) name an empty "
                'key; give keys separated by commas, such as "j,down"; ignored.'
            )
        else:
            keys[binding_id] = ",".join(part.strip() for part in value.split(","))
    return keys, problems


def _flatten(table: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    # `tag.by_name = "T"` without quotes is a nested table in TOML: it means the same id. Ids
    # have two parts; past four levels a table is a value (said wrong), however deep it goes.
    pending: list[tuple[str, dict[str, Any], int]] = [("", table, 0)]
    while pending:
        prefix, level, depth = pending.pop(0)
        for key, value in level.items():
            if isinstance(value, dict) and depth < 4:
                pending.append((f"{prefix}{key}.", value, depth + 1))
            else:
                yield f"{prefix}{key}", value


def _quoted(text: str) -> str:
    return f'"{printable(text)}"'


def _kind(value: Any) -> str:
    kinds = {
        bool: "true or false",
        int: "a number",
        float: "a number",
        list: "a list",
        str: "text",
    }
    return kinds.get(type(value), "a table" if isinstance(value, dict) else "a date or time")
