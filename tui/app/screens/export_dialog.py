"""The `e` dialog: choose a format, what to export and where; a progress bar while it runs."""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select

from tui.app.screens import DIALOGS_CSS
from tui.app.screens.confirm import Confirm
from tui.corpus import Corpus
from tui.interchange.export import Export, Filters, steps
from tui.interchange.files import WriteCancelled, default_export_path, write_atomically
from tui.interchange.formats import FORMATS, left_out
from tui.interchange.refi import EmptyCodebook
from tui.store import Store, StoreError
from tui.text import Lines, printable

EVERYTHING = "*"
ANNOTATED_ONLY = "annotated"
WITH_SOURCES = "refi-qda"
"""The format that holds documents besides annotations (`--annotated-only` on the command line)."""


class Choice(Select[str]):
    """One of the dialog's lists: enter exports with what is chosen, as the dialog's last line
    says; down, up or space open the list, where a letter goes to the option holding it."""

    BINDINGS = [
        Binding("enter", "screen.export", "Export", show=False),
    ]


@dataclass(frozen=True, slots=True)
class Exported:
    """What the dialog did, for the screen to say."""

    path: Path
    contents: str
    """What the file holds, as `Format.contents` says it."""
    warning: str | None
    as_of: datetime | None = None
    """When the annotations exported were last known current, for a store only read."""


class ExportDialog(ModalScreen[Exported | None]):
    """Returns what was exported, or None when the dialog was closed without exporting."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="export.cancel",
            tooltip="Close without exporting (stops an export under way; nothing is written).",
        ),
        Binding(
            "ctrl+s",
            "export",
            "Export",
            priority=True,
            id="export.run",
            tooltip="Export with these choices (enter does too, except in an open list, "
            "where it chooses).",
        ),
    ]

    def __init__(
        self, corpus: Corpus, store: Store, document: str | None, format: str = "json"
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        self.document = document
        self.format = format if format in FORMATS else "json"
        self._exporting = False
        self._cancelled = threading.Event()

    def compose(self) -> ComposeResult:
        # Text, not Content: the lists' type-to-search reads only Text (and names are data).
        formats = [(Text(f.label), f.name) for f in FORMATS.values()]
        which = [(Text("Every article"), EVERYTHING)]
        if self.document is not None:
            which.append((Text(f"This article: {self._title()}"), self.document))
        tags = [(Text("Every annotation"), EVERYTHING)] + [
            (Text(f"Passages tagged {printable(tag.name)}"), tag.name) for tag in self.store.tags()
        ]
        people = [(Text("Everyone's"), EVERYTHING)] + [
            (Text(printable(name)), name) for name in self.store.annotators()
        ]
        with Vertical(id="export"):
            yield Label("Export annotations", id="export-title")
            yield Label("Format")
            yield Choice(
                formats, value=self.format, allow_blank=False, id="export-format", compact=True
            )
            yield Label("What")
            with Horizontal(id="export-filters"):
                for options, id in (
                    (which, "export-documents"),
                    (tags, "export-tags"),
                    (people, "export-annotators"),
                ):
                    yield Choice(options, value=EVERYTHING, allow_blank=False, id=id, compact=True)
            # A project holds the documents themselves: every one, or the annotated ones only.
            yield Choice(
                [
                    (Text("Every article in the project, annotated or not"), EVERYTHING),
                    (Text("Only the annotated articles in the project"), ANNOTATED_ONLY),
                ],
                value=EVERYTHING,
                allow_blank=False,
                id="export-sources",
                compact=True,
            )
            yield Label("File")
            yield Input(self._default_path(), id="export-path", compact=True)
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Label("", id="export-message", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-run", variant="primary", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)
            yield Label(
                "ctrl+s or enter: export    ↓: open a list    escape: cancel", id="export-keys"
            )

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        self.query_one("#export-sources").display = self.format == WITH_SOURCES
        self.query_one("#export-format").focus()

    def _title(self) -> str:
        """The open article's title as the list has it (its file's name until it is read)."""
        document = self.corpus.get(self.document) if self.document is not None else None
        if document is None:
            return printable(self.document or "")
        return printable(document.known_title or document.relpath)

    def _default_path(self) -> str:
        return str(default_export_path(self.store.directory, FORMATS[self.format].extension))

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        old = FORMATS[self.format].extension
        self.format = str(event.value)
        self.query_one("#export-sources").display = self.format == WITH_SOURCES
        new = FORMATS[self.format].extension
        # The file name follows the format unless the user wrote their own.
        if path.value.endswith(f".{old}"):
            path.value = path.value[: -len(old)] + new

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-run")
    def action_export(self) -> None:
        if self._exporting:
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._say("Give the file to write.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self._say(f"{printable(text)} is a folder: give a file name.")
            return
        if path.exists():

            def answered(replace: bool | None) -> None:
                if replace:
                    self._start(path)

            question = f"Replace {printable(text)}?"
            self.app.push_screen(Confirm(question), answered)
            return
        self._start(path)

    def _start(self, path: Path) -> None:
        self._exporting = True
        self.query_one("#export-run", Button).disabled = True
        self._say("")
        self._export(path, self._filters())

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self._cancelled.set()  # a write under way in its thread is not renamed into place
        self.workers.cancel_group(self, "export")
        self.dismiss(None)

    def _filters(self) -> Filters:
        def chosen(selector: str) -> tuple[str, ...]:
            value = self.query_one(selector, Select).value
            return () if value == EVERYTHING else (str(value),)

        return Filters(
            tags=chosen("#export-tags"),
            documents=chosen("#export-documents"),
            annotators=chosen("#export-annotators"),
        )

    def _say(self, message: str) -> None:
        self.query_one("#export-message", Label).update(message)

    @work(exclusive=True, group="export")
    async def _export(self, path: Path, filters: Filters) -> None:
        format = FORMATS[self.format]
        bar = self.query_one("#export-progress", ProgressBar)
        bar.display = True
        export = Export()
        store = self.store
        as_of = None
        if store.readonly:
            # A reader's view may lag behind its writer: the export says as of when it holds.
            store.files_changed()  # found unchanged, the view holds as of now
            as_of = store.as_of
        try:
            # One article at a time on the screen's thread (the store is not shared with
            # threads), yielding between them so the bar moves and escape is heard.
            for done, total in steps(self.corpus, self.store, export, filters):
                bar.update(total=total, progress=done)
                await asyncio.sleep(0)
            sources = self.query_one("#export-sources", Select).value
            export.annotated_only = format.name == WITH_SOURCES and sources == ANNOTATED_ONLY
            if path.parent == self.store.directory / "exports":
                path.parent.mkdir(parents=True, exist_ok=True)
            # Writing reads only the export and texts: a thread keeps the screen alive.
            await asyncio.to_thread(
                write_atomically,
                path,
                lambda out: format.write(export, self.corpus, out),
                binary=format.binary,
                wanted=lambda: not self._cancelled.is_set(),
            )
        except WriteCancelled:
            return
        except EmptyCodebook as error:
            self._fail(f"Nothing exported: {error}.")
            return
        except (OSError, StoreError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self._fail(f"Nothing exported: cannot write {printable(str(path))}: {reason}.")
            return
        if not self.store.readonly:
            with contextlib.suppress(StoreError):  # a convenience, not the user's work
                self.store.set_state("export_format", format.name)
        self.dismiss(
            Exported(path, format.contents(export, self.corpus), left_out(format, export), as_of)
        )

    def _fail(self, message: str) -> None:
        self._exporting = False
        self.query_one("#export-run", Button).disabled = False
        self.query_one("#export-progress").display = False
        self._say(message)


def summary(exported: Exported, width: int, *after: str) -> Lines:
    """What was exported, and where: the path on lines of its own, broken after a `/` to fit
    `width` rather than in the middle of a name; then the lines `after`."""
    path = folded_path(printable(str(exported.path)), width).split("\n")
    return Lines.of(f"Exported {exported.contents} to", *path, *after)


def folded_path(path: str, width: int) -> str:
    """`path` in lines of at most `width`, each broken after a `/` (a name longer than the
    width keeps a line of its own)."""
    lines = [""]
    for part in re.split(r"(?<=/)", path):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)
