"""The main screen and the dialogs it opens."""

from pathlib import Path

DIALOGS_CSS = Path(__file__).resolve().parent.parent / "dialogs.tcss"
"""Every dialog's CSS_PATH: parsed when the first dialog opens, not before the first frame."""
