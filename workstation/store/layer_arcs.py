"""The links the text view draws as arcs over a layer's text: an event's trigger to each argument (labelled
with the role), a stance's holder to its target (with the label), related events and related mentions.

A stance links actors, not words: its arc joins the first mentions of the two actors inside its evidence, where
the text expresses it, and is left out when the evidence names only one of them (or there is none). Those
mentions are looked up through the layer's span index, so a stance by an actor with 20,000 mentions costs a
few index steps, not a read of them all; and only an edit inside the evidence can move the arc.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import NamedTuple

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.orm import aliased

from workstation.store.id_batches import id_batches
from workstation.store.models import Event, EventArgument, EventRelation, Mention, MentionRelation, Stance
from workstation.store.project import Database, core_connection

ARGUMENT, STANCE, EVENT_RELATION, MENTION_RELATION = "argument", "stance", "event_relation", "mention_relation"
TABLE_OF = {ARGUMENT: "event", STANCE: "stance", EVENT_RELATION: "event_relation",
            MENTION_RELATION: "mention_relation"}
"""The table whose row each kind of arc stands for (an argument's arc: its event's)."""
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


def _in_layer(query: Select, model: type) -> tuple[Select, Select]:
    """A query over one layer, made once: for all its items, and for those with given ids."""
    query = query.where(model.document_id == bindparam("document_id"), model.annotator_id == bindparam("annotator_id"))
    return query, query.where(model.id.in_(bindparam("ids", expanding=True)))


QUERIES = {
    "event": _in_layer(select(Event.id, Event.trigger_start, Event.trigger_end, EventArgument.role, Mention.id,
                              Mention.start, Mention.end, EventArgument.start, EventArgument.end)
                       .join(EventArgument, EventArgument.event_id == Event.id)
                       .outerjoin(Mention, Mention.id == EventArgument.mention_id)
                       .order_by(Event.id, EventArgument.position), Event),
    "event_relation": _in_layer(select(EventRelation.id, EventRelation.type, SOURCE_EVENT.id,
                                       SOURCE_EVENT.trigger_start, SOURCE_EVENT.trigger_end, TARGET_EVENT.id,
                                       TARGET_EVENT.trigger_start, TARGET_EVENT.trigger_end)
                                .join(SOURCE_EVENT, SOURCE_EVENT.id == EventRelation.from_event_id)
                                .join(TARGET_EVENT, TARGET_EVENT.id == EventRelation.to_event_id), EventRelation),
    "mention_relation": _in_layer(select(MentionRelation.id, MentionRelation.type, SOURCE_MENTION.id,
                                         SOURCE_MENTION.start, SOURCE_MENTION.end, TARGET_MENTION.id,
                                         TARGET_MENTION.start, TARGET_MENTION.end)
                                  .join(SOURCE_MENTION, SOURCE_MENTION.id == MentionRelation.from_mention_id)
                                  .join(TARGET_MENTION, TARGET_MENTION.id == MentionRelation.to_mention_id),
                                  MentionRelation),
    "stance": _in_layer(select(Stance.id, Stance.label, Stance.holder_id, Stance.target_id, Stance.evidence_start,
                               Stance.evidence_end).where(Stance.target_id.is_not(None)), Stance),
}
"""Made once: building a statement cost SQLAlchemy more than running it."""

INSIDE = (select(Mention.start, Mention.end, Mention.id)
          .with_hint(Mention, "INDEXED BY ix_mention_layer_spans", "sqlite")
          .where(Mention.document_id == bindparam("document_id"), Mention.annotator_id == bindparam("annotator_id"),
                 Mention.actor_id == bindparam("actor"), Mention.start >= bindparam("start"),
                 Mention.start < bindparam("end"), Mention.end <= bindparam("end"))
          .order_by(Mention.start).limit(1))
"""An actor's first mention inside a stance's evidence, through the layer's span index (on the index of mentions
by actor, SQLite would read all of an actor's mentions in every document). The range is bounded on both sides:
with only its lower bound, an actor absent from the evidence made SQLite read every later mention of the document
(13 ms on the peers' 1 MB document, for each stance an edit touched)."""

Reader = Callable[[Connection, dict], list[Arc]]


def layer_arcs(session: Database, document_id: str, annotator_id: str | None,
               ids: Mapping[str, Collection[str]] | None = None) -> list[Arc]:
    """Every arc of a layer; with `ids` (by table: event, stance, event_relation, mention_relation), only the
    arcs of those items still there, what an edit touched."""
    params = {"document_id": document_id, "annotator_id": annotator_id}
    connection = core_connection(session)
    if ids is None:
        return [arc for table, read in READERS.items() for arc in read(connection, QUERIES[table][0], params)]
    return [arc for table, chosen in ids.items() for batch in id_batches(chosen)
            for arc in READERS[table](connection, QUERIES[table][1], {**params, "ids": batch})]


def _arguments(connection: Connection, query: Select, params: dict) -> list[Arc]:
    arcs = []
    for event_id, start, end, role, mention_id, m_start, m_end, free_start, free_end in connection.execute(
            query, params):
        target = (m_start, m_end) if mention_id is not None else (free_start, free_end)
        if target[0] is not None:
            arcs.append(Arc(event_id, ARGUMENT, role, (start, end), target, (event_id, mention_id)))
    return arcs


def _relations(kind: str) -> Reader:
    def read(connection: Connection, query: Select, params: dict) -> list[Arc]:
        return [Arc(relation_id, kind, relation_type, (s_start, s_end), (t_start, t_end), (source_id, target_id))
                for relation_id, relation_type, source_id, s_start, s_end, target_id, t_start, t_end
                in connection.execute(query, params)]
    return read


def _stances(connection: Connection, query: Select, params: dict) -> list[Arc]:
    layer = {"document_id": params["document_id"], "annotator_id": params["annotator_id"]}
    arcs = []
    for stance_id, label, holder, target, start, end in connection.execute(query, params).all():
        ends = [connection.execute(INSIDE, {**layer, "actor": actor, "start": start, "end": end}).first()
                for actor in (holder, target)] if start is not None else [None]
        if all(ends) and ends[0] != ends[1]:
            (h_start, h_end, holder_mention), (t_start, t_end, target_mention) = ends
            arcs.append(Arc(stance_id, STANCE, label, (h_start, h_end), (t_start, t_end),
                            (holder_mention, target_mention)))
    return arcs


READERS: dict[str, Reader] = {"event": _arguments, "stance": _stances, "event_relation": _relations(EVENT_RELATION),
                              "mention_relation": _relations(MENTION_RELATION)}
