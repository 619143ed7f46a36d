"""Progress and cancellation as plain callables, so the GUI shows a dialog and the CLI a bar."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""progress(done, total, message); total 0 means unknown."""

CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled a long operation; everything it did was rolled back."""


def no_progress(_done: int, _total: int, _message: str) -> None:
    return None


def never_cancelled() -> bool:
    return False
