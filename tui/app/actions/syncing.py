"""Syncing with the team's repository (S): this annotator's annotations go out, everyone's
come in, and the title bar says when the last sync was and how many came.

The sync itself is tui.sync's, imported when first used. Its exchange with git and its
reading of the shared files run off the screen's thread; what reads or writes the store runs
on it, as every key's action does.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from tui.app.widgets.title_bar import Synced
from tui.store import StoreError

if TYPE_CHECKING:
    from tui.app.actions.host import SyncHost
    from tui.sync import Sync, SyncReport

TITLE = "Sync"


class Syncing:
    """One sync at a time, for the main screen: started, exchanged in a worker, then
    brought into the store once no dialog is open over the screen."""

    def __init__(self, host: SyncHost) -> None:
        self.host = host
        self.under_way: Sync | None = None
        """The sync started and not yet brought in (or failed)."""
        self.exchanged = False
        """Whether the sync under way is done with git and waits to be brought in."""

    def show_last(self) -> None:
        """The title bar says when the store last synced (nothing if it never did)."""
        from tui.sync import SyncError, last_sync

        try:
            self._show(last_sync(self.host.store))
        except (SyncError, OSError):  # a record it cannot read: the next sync writes another
            return

    def sync(self) -> None:
        host = self.host
        if self.under_way is not None:
            host.notify("A sync is already running.", title=TITLE, markup=False)
            return
        if not host.writable():
            return
        from tui.sync import Sync, SyncError

        try:
            sync = Sync.start(host.store, host.corpus.root)
        except SyncError as error:
            self._failed(error)
            return
        self.under_way, self.exchanged = sync, False
        host.title_bar.syncing = True
        host.run_worker(lambda: self._exchange(sync), group="sync", exclusive=True, thread=True)

    def _exchange(self, sync: Sync) -> None:
        """Off the screen's thread: git's part, and the reading of what changed (a big team's
        first sync reads many annotations), neither of which touches the store."""
        from tui.sync import SyncError

        failure: Exception | None = None
        try:
            sync.exchange()
            sync.read_in()
        except (SyncError, OSError) as error:
            failure = error
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.host.app.call_from_thread(self._exchanged, sync, failure)

    def _exchanged(self, sync: Sync, failure: Exception | None) -> None:
        if sync is not self.under_way:
            return
        if failure is not None:
            self._failed(failure)
            return
        self.exchanged = True
        self.bring_in_waiting()

    def bring_in_waiting(self) -> None:
        """Bring into the store a sync done with git, unless a dialog is open over the screen
        (it may be reading the store): then once it closes."""
        host, sync = self.host, self.under_way
        if sync is None or not self.exchanged or host.on_top is not host:
            return
        from tui.sync import SyncError

        try:
            report = sync.bring_in(host.store)
        except (SyncError, StoreError, OSError) as error:
            self._failed(error)
            return
        finally:
            host.store_changed()  # what came in before a failure shows too
        self.under_way = None
        host.title_bar.syncing = False
        self._show(report)
        host.notify(report.sentence(), title=TITLE, markup=False)

    def _failed(self, error: Exception) -> None:
        """One sentence, and nothing else changes: the title bar still says the last sync."""
        self.under_way = None
        self.host.title_bar.syncing = False
        message = str(error) if not isinstance(error, OSError) else f"Not synced: {error}"
        self.host.notify(message, title=TITLE, severity="warning", markup=False)

    def _show(self, report: SyncReport | None) -> None:
        synced = None if report is None else Synced(report.finished, report.new_annotations)
        self.host.title_bar.synced = synced
