"""One app instance per project: an OS-level exclusive lock on a file beside the project.

An OS lock (not just a marker file) disappears when the process dies, so a
crash never leaves a project that cannot be reopened. The file itself stays:
removing it on release would let two later openers lock different inodes.
"""

from __future__ import annotations

import os
from pathlib import Path

from workstation.core.errors import UserError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


class ProjectLock:
    def __init__(self, project_path: Path):
        self.path = Path(f"{project_path}.lock")
        self._fd: int | None = None

    def acquire(self, project_path: Path) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise UserError(
                f"the project is already open in another Workstation (process {holder}); close it there first",
                file=project_path,
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        os.close(self._fd)
        self._fd = None
