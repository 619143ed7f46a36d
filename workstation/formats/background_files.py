"""Files written on worker threads while the caller prepares the next ones.

Creating a file costs the file system 0.3-1.3 ms on this kind of machine
(more under load), time in the kernel with Python's lock released: a brat
export creates two per document, and made in line they were most of its time.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

WORKERS = 2
PENDING = 256
"""Files handed over and not yet written, at most: memory stays flat when the disk is slower than the export."""


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


class BackgroundFiles:
    """Writes UTF-8 text files (`\\n` line ends) on worker threads; leaving the `with` block waits for every
    file, and the first error of a write (disk full, ...) is raised in the caller's thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="export-files")
        self._pending: deque[Future[None]] = deque()

    def write(self, path: Path, text: str) -> None:
        if len(self._pending) == PENDING:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(_write, path, text))

    def __enter__(self) -> BackgroundFiles:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
