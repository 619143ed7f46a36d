"""One-to-one matching of two layers' items: by equal keys, or by overlapping spans.

Matching is one-to-one so that an annotator who marks the same thing twice
gets a false positive for the copy instead of two true positives.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Hashable, Sequence

from workstation.core.records import Span

Pairs = list[tuple[int, int]]
"""(index in the reference, index in the other) of each matched item."""


def exact_pairs(reference: Sequence[Hashable], other: Sequence[Hashable]) -> Pairs:
    """Items with equal keys, each used once, paired in the order they come."""
    waiting: dict[Hashable, deque[int]] = defaultdict(deque)
    for index, key in enumerate(other):
        waiting[key].append(index)
    return [(index, waiting[key].popleft()) for index, key in enumerate(reference) if waiting.get(key)]


def overlap_pairs(reference: Sequence[Span], other: Sequence[Span]) -> Pairs:
    """Spans that share at least one character, greedily by the largest overlap.

    Among equal overlaps the pair with less unshared text wins, so an exact
    match is never given up for a longer span that merely covers it.
    """
    order = sorted(range(len(other)), key=lambda index: other[index])
    starts = [other[index][0] for index in order]
    longest = max((end - start for start, end in other), default=0)
    candidates = []
    for i, (start, end) in enumerate(reference):
        for j in order[bisect_left(starts, start - longest + 1):bisect_left(starts, end)]:
            shared = min(end, other[j][1]) - max(start, other[j][0])
            if shared > 0:
                unshared = (end - start) + (other[j][1] - other[j][0]) - 2 * shared
                candidates.append((-shared, unshared, i, j))
    used_reference, used_other, pairs = set(), set(), []
    for _, _, i, j in sorted(candidates):
        if i not in used_reference and j not in used_other:
            used_reference.add(i)
            used_other.add(j)
            pairs.append((i, j))
    return sorted(pairs)
