"""Entry point: `python main.py` opens the GUI; `python main.py <command>` is the command line."""

import sys

from workstation.cli import main

if __name__ == "__main__":
    sys.exit(main())
