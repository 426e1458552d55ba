"""A team's annotations and codebook shared through the corpus's git repository (no Textual)."""

from tui.sync.git import SyncError
from tui.sync.syncing import Sync, SyncReport, last_sync, sync

__all__ = ["Sync", "SyncError", "SyncReport", "last_sync", "sync"]
