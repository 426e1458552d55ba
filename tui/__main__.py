"""`python -m tui` runs the same command line as `glose`."""

import sys

from tui.cli import main

sys.exit(main())
