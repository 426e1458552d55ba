"""Opening a link with the system's own program (a browser, a mail client), never a shell."""

from __future__ import annotations

import shutil
import subprocess
import sys
from urllib.parse import urlsplit

from tui.text import printable

_FOLLOWED = ("http", "https", "mailto")
_OPENERS = ("xdg-open", "open") if sys.platform != "darwin" else ("open",)


def open_address(address: str) -> str | None:
    """Open `address` with the desktop's opener; None when it was handed over, else one
    sentence saying why not. The program runs detached, its output kept off the screen."""
    if urlsplit(address).scheme.lower() not in _FOLLOWED:
        return f"Only web and mail addresses are opened, not {printable(address[:60])}."
    opener = next((found for name in _OPENERS if (found := shutil.which(name))), None)
    if opener is None:
        return "No program to open links was found (xdg-open); the address is copied instead."
    try:
        subprocess.Popen(  # a list, not a shell: the address is never read as a command
            [opener, address],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        return f"The link could not be opened: {error.strerror or error}."
    return None
