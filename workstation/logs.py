"""The app's log file: one rotating file in the user's data folder, named in the crash dialog and the About box.

A rotating handler keeps the file small enough to attach to a bug report (and never fills a laptop's disk);
the folder is chosen by the caller (the GUI asks Qt for the platform's data folder), so nothing here assumes
a Linux path.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "workstation.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def start_log(folder: Path, level: int = logging.INFO) -> Path:
    """Send the `workstation` loggers (and uncaught errors) to `folder/workstation.log`; returns its path.
    Calling it again for the same folder adds no second handler."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    logger = logging.getLogger("workstation")
    logger.setLevel(level)
    if not any(getattr(handler, "baseFilename", None) == str(path) for handler in logger.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
    return path


def log_path() -> Path | None:
    """The file the `workstation` logger writes to, if the log was started."""
    for handler in logging.getLogger("workstation").handlers:
        name = getattr(handler, "baseFilename", None)
        if name:
            return Path(name)
    return None
