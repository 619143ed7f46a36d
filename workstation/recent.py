"""The list behind File ▸ Recent projects: most recent first, no duplicates, only files that still exist."""

from __future__ import annotations

from pathlib import Path

RECENT_LIMIT = 8


def with_recent(recent: list[str], path: Path, limit: int = RECENT_LIMIT) -> list[str]:
    """`recent` with `path` moved (or added) to the front; the same file reached by another spelling counts once."""
    resolved = str(path.resolve())
    return [resolved, *[entry for entry in recent if entry != resolved]][:limit]


def existing(recent: list[str]) -> list[Path]:
    """The entries still on disk: a project deleted or on an unplugged drive is not offered."""
    return [Path(entry) for entry in recent if Path(entry).is_file()]
