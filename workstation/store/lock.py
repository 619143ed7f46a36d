"""One app instance per project: an OS-level exclusive lock on a file beside the project.

An OS lock (not just a marker file) disappears when the process dies, so a
crash never leaves a project that cannot be reopened. A clean close removes the
file (a leftover `.lock` beside a closed project looks like a stale lock). The
holder unlinks it while still locked, and an opener that locked a file which
was unlinked meanwhile tries again on the new one, so two openers never hold
locks on different files.
"""

from __future__ import annotations

import contextlib
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
        while True:
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
            if self._still_linked(fd):
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def _still_linked(self, fd: int) -> bool:
        """False when the previous holder removed the file between our open and our lock."""
        try:
            return os.path.samestat(os.fstat(fd), os.stat(self.path))
        except FileNotFoundError:
            return False

    def release(self) -> None:
        """Unlinked while still locked where the OS allows it (POSIX); Windows cannot remove an open file."""
        if self._fd is None:
            return
        if fcntl is not None:
            self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None
        if fcntl is None:
            with contextlib.suppress(OSError):  # another instance has opened it meanwhile
                self.path.unlink()
