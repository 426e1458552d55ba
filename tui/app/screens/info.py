"""The `i` screen: what glose knows about the open article (what it says of itself: author,
date, site, address; then its file, encoding, passages, hash)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.screens import DIALOGS_CSS
from tui.corpus import Document
from tui.corpus.counting import Share
from tui.text import printable


class ArticleInfo(ModalScreen[None]):
    """Read-only facts about one document; escape, q or i closes it."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS = [
        Binding(
            "escape,q,i",
            "dismiss",
            "Close",
            id="info.close",
            tooltip="Close the article information.",
        ),
    ]

    def __init__(self, document: Document, share: Share) -> None:
        super().__init__()
        self.document = document
        self.share = share

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info"):
            yield Static(self.facts(), id="info-table")

    def on_mount(self) -> None:
        self.query_one("#info").border_title = "Article"
        self.query_one("#info").border_subtitle = "escape closes"

    def facts(self) -> Table:
        document, share = self.document, self.share
        if share.passages is None:  # a book whose sentences are still being cut
            passages = f"counting… ({share.annotated:,} annotated)"
        else:
            passages = f"{share.passages:,} ({share.annotated:,} annotated)"
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        rows = [("Title", printable(document.title))]
        metadata = document.metadata
        if metadata is not None:
            said = [
                ("Author", metadata.author),
                ("Date", metadata.date),
                ("Site", metadata.site),
                ("Address", metadata.url),
            ]
            rows += [(name, printable(" ".join(value.split()))) for name, value in said if value]
        rows += [
            ("File", printable(document.relpath)),
            ("Id", printable(document.id)),
            ("Encoding", document.encoding if document.extractor_version is None else "—"),
            ("Size", f"{document.size:,} bytes, {len(document.text):,} characters"),
            ("Passages", passages),
            ("SHA-256", document.sha256),
        ]
        if document.extractor_version is not None:
            rows.append(("Extracted by", document.extractor_version))
        if document.lossy:
            rows.append(
                (
                    "Warning",
                    "Some bytes decoded in no encoding; they show as �. The file on disk "
                    "is unchanged.",
                )
            )
        for name, value in rows:
            table.add_row(name, Text(value))
        return table
