"""Stacking labels and arcs above a line of text: each goes in the lowest row where it overlaps nothing.

Pure arithmetic on horizontal extents, so the text view's drawing can be tested without a screen.
"""

from __future__ import annotations

from collections.abc import Sequence


def stack(extents: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """The row of each extent (left, right), taken in the given order: put the ones that should sit nearest
    the text (inner spans, short arcs) first. Extents in one row keep at least `gap` between them."""
    rows: list[list[tuple[float, float]]] = []
    found = []
    for left, right in extents:
        row = next((number for number, taken in enumerate(rows)
                    if all(right + gap <= other_left or left >= other_right + gap
                           for other_left, other_right in taken)), len(rows))
        if row == len(rows):
            rows.append([])
        rows[row].append((left, right))
        found.append(row)
    return found
