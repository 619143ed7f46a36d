"""The links the text view draws as arcs over a layer's text: an event's trigger to each argument (labelled
with the role), a stance's holder to its target (with the label), related events and related mentions.

A stance links actors, not words: its arc joins the mentions of the two actors inside its evidence, else the
ones nearest to it, and is left out when either actor is never mentioned in the layer.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from workstation.store.models import Event, EventArgument, EventRelation, Mention, MentionRelation, Stance

ARGUMENT, STANCE, RELATION = "argument", "stance", "relation"
SOURCE_EVENT, TARGET_EVENT = aliased(Event), aliased(Event)
SOURCE_MENTION, TARGET_MENTION = aliased(Mention), aliased(Mention)


class Arc(NamedTuple):
    """From `source` to `target` (code-point spans of the text); `item_id` is what clicking it selects, `ends`
    the items at its two ends (None for an argument that is a bare span)."""

    item_id: str
    kind: str
    label: str
    source: tuple[int, int]
    target: tuple[int, int]
    ends: tuple[str | None, str | None]


def _in_layer(query: Select, model: type) -> Select:
    return query.where(model.document_id == bindparam("document_id"), model.annotator_id == bindparam("annotator_id"))


ARGUMENTS = _in_layer(select(Event.id, Event.trigger_start, Event.trigger_end, EventArgument.role, Mention.id,
                             Mention.start, Mention.end, EventArgument.start, EventArgument.end)
                      .join(EventArgument, EventArgument.event_id == Event.id)
                      .outerjoin(Mention, Mention.id == EventArgument.mention_id)
                      .order_by(Event.id, EventArgument.position), Event)
EVENT_RELATIONS = _in_layer(select(EventRelation.id, EventRelation.type, SOURCE_EVENT.id, SOURCE_EVENT.trigger_start,
                                   SOURCE_EVENT.trigger_end, TARGET_EVENT.id, TARGET_EVENT.trigger_start,
                                   TARGET_EVENT.trigger_end)
                            .join(SOURCE_EVENT, SOURCE_EVENT.id == EventRelation.from_event_id)
                            .join(TARGET_EVENT, TARGET_EVENT.id == EventRelation.to_event_id), EventRelation)
MENTION_RELATIONS = _in_layer(select(MentionRelation.id, MentionRelation.type, SOURCE_MENTION.id,
                                     SOURCE_MENTION.start, SOURCE_MENTION.end, TARGET_MENTION.id,
                                     TARGET_MENTION.start, TARGET_MENTION.end)
                              .join(SOURCE_MENTION, SOURCE_MENTION.id == MentionRelation.from_mention_id)
                              .join(TARGET_MENTION, TARGET_MENTION.id == MentionRelation.to_mention_id),
                              MentionRelation)
STANCES = _in_layer(select(Stance.id, Stance.label, Stance.holder_id, Stance.target_id, Stance.evidence_start,
                           Stance.evidence_end).where(Stance.target_id.is_not(None)), Stance)
ACTOR_MENTIONS = _in_layer(select(Mention.id, Mention.start, Mention.end, Mention.actor_id)
                           .where(Mention.actor_id.in_(bindparam("actors", expanding=True))), Mention)


def layer_arcs(session: Session, document_id: str, annotator_id: str | None) -> list[Arc]:
    """Every arc of a layer, in no particular order (a document holds tens of them, read whole after an edit
    of an event, stance or relation)."""
    params = {"document_id": document_id, "annotator_id": annotator_id}
    connection = session.connection()
    arcs = []
    for event_id, start, end, role, mention_id, m_start, m_end, free_start, free_end in connection.execute(
            ARGUMENTS, params):
        target = (m_start, m_end) if mention_id is not None else (free_start, free_end)
        if target[0] is not None:
            arcs.append(Arc(event_id, ARGUMENT, role, (start, end), target, (event_id, mention_id)))
    for statement in (EVENT_RELATIONS, MENTION_RELATIONS):
        for relation_id, kind, source_id, s_start, s_end, target_id, t_start, t_end in connection.execute(
                statement, params):
            arcs.append(Arc(relation_id, RELATION, kind, (s_start, s_end), (t_start, t_end), (source_id, target_id)))
    return arcs + _stance_arcs(connection, params)


def _stance_arcs(connection, params: dict[str, str | None]) -> list[Arc]:
    stances = connection.execute(STANCES, params).all()
    actors = {actor for row in stances for actor in row[2:4]}
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    if actors:
        for mention_id, start, end, actor_id in connection.execute(ACTOR_MENTIONS, {**params, "actors": list(actors)}):
            mentions[actor_id].append((start, end, mention_id))
    arcs = []
    for stance_id, label, holder, target, evidence_start, evidence_end in stances:
        anchor = (evidence_start, evidence_end) if evidence_start is not None else None
        ends = [_nearest(mentions[actor], anchor) for actor in (holder, target)]
        if all(ends) and ends[0] != ends[1]:
            (h_start, h_end, holder_mention), (t_start, t_end, target_mention) = ends
            arcs.append(Arc(stance_id, STANCE, label, (h_start, h_end), (t_start, t_end),
                            (holder_mention, target_mention)))
    return arcs


def _nearest(mentions: list[tuple[int, int, str]], anchor: tuple[int, int] | None) -> tuple[int, int, str] | None:
    """The mention inside the evidence, else the one closest to it (the first mention without evidence)."""
    if not mentions:
        return None
    if anchor is None:
        return min(mentions)
    start, end = anchor
    return min(mentions, key=lambda mention: (not (start <= mention[0] and mention[1] <= end),
                                              abs(mention[0] - start), mention[0]))
