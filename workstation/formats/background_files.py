"""Files written on a worker thread while the caller prepares the next ones.

Creating a file costs the file system 0.05-0.8 ms of kernel time on this kind
of machine (the most while the disk is busy or just after many files were
deleted), with Python's lock released: a brat export creates two per
document, and made in line they were most of its time. The bytes go through
`os.open`/`os.write`: a text-mode `open()` (its buffer, encoder and wrapper
objects) cost nearly three times the CPU per small file.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

WORKERS = 1
"""One writer: the files of one folder are created one at a time anyway (the folder is locked while an entry is
added), and a second writer spent kernel CPU waiting for the first (about 1.5× the system time; far more while
the disk is busy)."""
BATCH = 32
"""Files per task: a thread pool's hand-over (future, lock, waking a worker) cost as much CPU as writing a small
file, so files go over in batches."""
PENDING = 8
"""Batches handed over and not yet written, at most: memory stays flat when the disk is slower than the export."""
FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
"""As `open(path, "w")` makes a file, in binary mode on Windows (no `\r` added)."""


def _write(files: list[tuple[Path, str]]) -> None:
    for path, text in files:
        data = memoryview(text.encode("utf-8"))
        descriptor = os.open(path, FLAGS, 0o666)
        try:
            while data:
                data = data[os.write(descriptor, data):]
        finally:
            os.close(descriptor)


class BackgroundFiles:
    """Writes UTF-8 text files (`\\n` line ends) on a worker thread; leaving the `with` block waits for every
    file, and the first error of a write (disk full, ...) is raised in the caller's thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="export-files")
        self._pending: deque[Future[None]] = deque()
        self._batch: list[tuple[Path, str]] = []

    def write(self, path: Path, text: str) -> None:
        self._batch.append((path, text))
        if len(self._batch) == BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        if len(self._pending) == PENDING:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(_write, self._batch))
        self._batch = []

    def __enter__(self) -> BackgroundFiles:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            if self._batch and kind is None:
                self._hand_over()
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
