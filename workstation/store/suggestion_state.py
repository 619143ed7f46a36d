"""What a layer already did with suggestions: the spans it holds and the suggestions it rejected."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.suggestions import MENTION_SUGGESTION, Suggestion, overlaps
from workstation.store.models import Event, Mention, RejectedSuggestion


def rejected_keys(session: Session, document_id: str, annotator_id: str | None) -> set[tuple[int, int, str]]:
    """(start, end, type) of every suggestion rejected in the layer."""
    return {tuple(row) for row in session.execute(
        select(RejectedSuggestion.start, RejectedSuggestion.end, RejectedSuggestion.type)
        .where(RejectedSuggestion.document_id == document_id, RejectedSuggestion.annotator_id == annotator_id))}


def held_spans(session: Session, document_id: str, annotator_id: str | None
               ) -> tuple[list[tuple[int, int, str | None]], set[tuple[int, int]]]:
    """The layer's mentions (start, end, actor) and event triggers (start, end)."""
    mentions = [tuple(row) for row in session.execute(
        select(Mention.start, Mention.end, Mention.actor_id)
        .where(Mention.document_id == document_id, Mention.annotator_id == annotator_id))]
    triggers = {tuple(row) for row in session.execute(
        select(Event.trigger_start, Event.trigger_end)
        .where(Event.document_id == document_id, Event.annotator_id == annotator_id))}
    return mentions, triggers


def is_held(suggestion: Suggestion, mentions: Iterable[tuple[int, int, str | None]],
            triggers: set[tuple[int, int]]) -> bool:
    """A mention suggestion is held when the layer has a mention on its very span, or one of the same actor
    overlapping it ("Erdogan" inside an annotated "President Erdogan"); an event suggestion, when the layer has
    an event (of any type: the annotator chose it) on the trigger."""
    if suggestion.kind != MENTION_SUGGESTION:
        return (suggestion.start, suggestion.end) in triggers
    span = (suggestion.start, suggestion.end)
    return any((start, end) == span or (actor is not None and actor == suggestion.actor_id
                                        and overlaps((start, end), span))
               for start, end, actor in mentions)


def pending(session: Session, document_id: str, annotator_id: str | None,
            suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions the layer neither holds nor rejected."""
    if annotator_id is None:
        return suggestions
    rejected = rejected_keys(session, document_id, annotator_id)
    mentions, triggers = held_spans(session, document_id, annotator_id)
    by_start = sorted(mentions)
    return [suggestion for suggestion in suggestions if suggestion.key not in rejected
            and not is_held(suggestion, _near(by_start, suggestion), triggers)]


def _near(mentions: list[tuple[int, int, str | None]], suggestion: Suggestion) -> list[tuple[int, int, str | None]]:
    """The mentions that may overlap the suggestion (sorted by start; mentions are short)."""
    from bisect import bisect_left

    first = bisect_left(mentions, (suggestion.start - 256,))
    last = bisect_left(mentions, (suggestion.end,))
    return mentions[first:last]
