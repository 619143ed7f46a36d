"""A suggestion: a span a suggester (the actor registry, a model, the trigger lexicon) proposes for a layer.

Suggestions are kept apart from the layers: they are never exported or compared until the annotator accepts
one, which then becomes an ordinary mention (or event) that names its suggester.
"""

from __future__ import annotations

from typing import NamedTuple

MENTION_SUGGESTION, EVENT_SUGGESTION = "mention", "event"
REGISTRY = "registry"
"""The name of the suggester built from the actor registry."""


class Suggestion(NamedTuple):
    start: int
    end: int
    type: str
    """A mention type (NAME) for a mention, an event type for an event trigger."""
    actor_id: str | None
    source: str
    score: float
    kind: str = MENTION_SUGGESTION
    label: str | None = None
    """The entity type a model gave an unlinked mention (a linked one takes its actor's)."""

    @property
    def key(self) -> tuple[int, int, str]:
        """What a rejection remembers: the same span with the same type is not suggested again."""
        return self.start, self.end, self.type

    def to_dict(self, document: str) -> dict[str, object]:
        return {"document": document, "start": self.start, "end": self.end, "type": self.type,
                "actor": self.actor_id, "source": self.source, "score": round(self.score, 4)}


def overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]
