"""Mentions as an annotator recognises them in a list: their words with a few words around, nearest first.

An event form offers the layer's mentions as role fillers. "Erdogan @90" made the annotator look up
offsets; the same name three times in a paragraph is told apart only by its neighbours.
"""

from __future__ import annotations

from bisect import bisect_left
from heapq import merge
from itertools import islice
from operator import itemgetter

CONTEXT_WORDS = 3
REACH = 80
"""Code points looked at on each side of a mention for its context words (enough for three words)."""
OTHERS = 200
"""Mentions outside the trigger's paragraph that a role's list offers."""


def paragraph_of(text: str, offset: int) -> tuple[int, int]:
    """The line holding `offset` (imported articles keep one paragraph per line), end exclusive."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def in_context(text: str, start: int, end: int) -> str:
    """`Erdogan — “…Recep Tayyip [Erdogan] has threatened to…”`: the words, then where they stand in their line."""
    line_start = text.rfind("\n", max(0, start - REACH), start) + 1
    line_end = text.find("\n", end, end + REACH)
    left = text[max(line_start, start - REACH):start]
    right = text[end:min(end + REACH, len(text)) if line_end < 0 else line_end]
    before, after = left.split(), right.split()
    cut_left = len(before) > CONTEXT_WORDS or (line_start == 0 < start - REACH)
    cut_right = len(after) > CONTEXT_WORDS or (line_end < 0 and end + REACH < len(text))
    words = " ".join(text[start:end].split())
    shown = (("…" if cut_left else "") + " ".join(before[-CONTEXT_WORDS:]) + (" " if left[-1:].isspace() else "")
             + f"[{words}]" + (" " if right[:1].isspace() else "") + " ".join(after[:CONTEXT_WORDS])
             + ("…" if cut_right else ""))
    return f"{words} — “{shown}”"


def nearest_first(text: str, mentions: list[tuple[str, int, int]],
                  anchor: tuple[int, int]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(label, mention id) of the mentions in the anchor's paragraph, in text order, and of the `OTHERS` others
    nearest to the anchor, nearest first: an event's arguments are nearly always in its trigger's paragraph, and
    a list of every mention of a long document (20,000) took the form most of a second to fill and nobody
    scrolls it. A farther filler is added from the text afterwards (select it, then add an argument)."""
    ordered = sorted(mentions, key=itemgetter(1))
    starts = [start for _, start, _ in ordered]
    first, last = paragraph_of(text, anchor[0])
    low, high = bisect_left(starts, first), bisect_left(starts, last)
    near = [(in_context(text, start, end), mention_id) for mention_id, start, end in ordered[low:high]]
    rest = islice(merge(reversed(ordered[:low]), ordered[high:], key=lambda mention: abs(mention[1] - anchor[0])),
                  OTHERS)
    return near, [(in_context(text, start, end), mention_id) for mention_id, start, end in rest]
