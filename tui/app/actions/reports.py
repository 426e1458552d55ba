"""What the annotations add up to: the open article's facts (i), the statistics of the
annotations shown (s), and exporting them (e)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.app.screens.info import ArticleInfo
from tui.corpus.counting import annotated_share
from tui.store.readonly import clock

if TYPE_CHECKING:
    from tui.app.actions.host import Host
    from tui.app.screens.export_dialog import Exported


class Reports:
    """The views and files made of the annotations, for the main screen."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def article_info(self) -> None:
        host = self.host
        if host.document is None:
            return
        document = host.document
        annotated = host.store.annotated_passages(host.viewing).get(document.id, ())
        host.ask(ArticleInfo(document, annotated_share(document, annotated, "quick")))

    def statistics(self) -> None:
        host = self.host
        if host.still_listing():
            return
        from tui.analysis.statistics import statistics
        from tui.app.screens.statistics import StatisticsView

        host.ask(StatisticsView(statistics(host.corpus, host.store, host.viewing)))

    def export(self) -> None:
        host = self.host
        if host.still_listing():
            return
        # Imported when first asked for: the writers of every format take long to import.
        from tui.app.screens.export_dialog import ExportDialog, summary

        def done(exported: Exported | None) -> None:
            if exported is None:
                return
            # A notice is at most 60 columns, or half the screen, less its frame.
            width = min(60, host.on_top.size.width // 2) - 4
            reason = host.readonly_reason
            after: list[str] = []
            if exported.as_of is not None and reason is not None:
                after.append(f"(as of {clock(exported.as_of)}, read-only: {reason.short})")
            said = summary(exported, width, *after)
            host.notify(said, title="Export", markup=False)
            if exported.warning:
                host.notify(exported.warning, title="Export", severity="warning", markup=False)

        document = host.document.id if host.document is not None else None
        last = host.store.get_state("export_format", "json")
        host.ask(ExportDialog(host.corpus, host.store, document, str(last)), done)
