"""Selections snapped to token boundaries, so a sloppy drag still selects whole words."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from workstation.nlp.pipeline import blank_pipeline


class TokenBoundaries:
    """Token starts and ends of one text, from the project language's blank spaCy tokenizer."""

    def __init__(self, text: str, language: str):
        tokens = [token for token in blank_pipeline(language or "en").tokenizer(text) if not token.is_space]
        self.starts = [token.idx for token in tokens]
        self.ends = [token.idx + len(token.text) for token in tokens]

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Grow the selection to the tokens it touches; whitespace at either edge is dropped."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        if first > last:
            return start, end
        return self.starts[first], self.ends[last]
