"""Ids in batches small enough for one `IN (...)` each, whatever the count an edit touched."""

from __future__ import annotations

from collections.abc import Collection, Iterator

BATCH = 900
"""Below SQLite's smallest limit on bound parameters (999 before 3.32), with room for a query's own."""


def id_batches(ids: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(ids)
    for first in range(0, len(ordered), BATCH):
        yield ordered[first:first + BATCH]
