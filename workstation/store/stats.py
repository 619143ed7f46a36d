"""Counts per annotator, status and type: what `stats` prints and the reports check against."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from workstation.store.document_reader import ROWID
from workstation.store.gold_status import gold_documents, gold_progress
from workstation.store.models import (
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    EventRelation,
    Mention,
    MentionRelation,
    Stance,
)

ATTRIBUTE_TABLES = ("mention", "event", "stance", "mention_relation")
"""The layer items that carry attributes (a JSON object each)."""


def _nested(rows: Any) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for outer, inner, count in rows:
        table[outer][inner if inner is not None else "(none)"] = count
    return dict(table)


def _per_layer(session: Session, column: Any, model: Any) -> dict[str, dict[str, int]]:
    return _nested(session.execute(
        select(Annotator.name, column, func.count()).join(Annotator, model.annotator_id == Annotator.id)
        .group_by(Annotator.name, column).order_by(Annotator.name, column)))


def _attributes(session: Session) -> dict[str, dict[str, int]]:
    """Attributes per annotator and name, over every kind of item: what an export must carry or name."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name in ATTRIBUTE_TABLES:
        rows = session.execute(text(
            f"SELECT annotator.name, attribute.key, count(*) FROM {name} "
            f"JOIN annotator ON {name}.annotator_id = annotator.id, json_each({name}.attributes) AS attribute "
            "GROUP BY annotator.name, attribute.key"))
        for annotator, key, count in rows:
            counts[annotator][key] += count
    return {annotator: dict(sorted(names.items())) for annotator, names in sorted(counts.items())}


def project_stats(session: Session) -> dict[str, Any]:
    """Everything as plain JSON-ready data; documents listed with title, date and layer statuses. Every kind
    of item is counted, so a reader can check an export against it: event arguments per role (those filled
    by events are event relations named after the role), relations per type, attributes per name."""
    statuses: dict[str, dict[str, str]] = defaultdict(dict)
    for document_id, name, status in session.execute(
            select(Assignment.document_id, Annotator.name, Assignment.status).join(Annotator)):
        statuses[document_id][name] = status
    documents = [
        {"id": doc.id, "title": doc.title, "published": doc.published, "date_ambiguous": doc.date_ambiguous,
         "characters": doc.characters, "statuses": statuses.get(doc.id, {})}
        for doc in session.execute(select(Document.id, Document.title, Document.published, Document.date_ambiguous,
                                          func.length(Document.text).label("characters"))
                                   .order_by(ROWID))
    ]
    return {
        "document_count": len(documents),
        "documents": documents,
        "annotators": list(session.scalars(select(Annotator.name).order_by(Annotator.name))),
        "status": _per_layer(session, Assignment.status, Assignment),
        "actors": {actor_type: count for actor_type, count in session.execute(
            select(Actor.type, func.count()).where(Actor.merged_into.is_(None))
            .group_by(Actor.type).order_by(Actor.type))},
        "mentions": _per_layer(session, Mention.label, Mention),
        "mention_types": _per_layer(session, Mention.mention_type, Mention),
        "stances": _per_layer(session, Stance.label, Stance),
        "events": _per_layer(session, Event.type, Event),
        "event_arguments": _nested(session.execute(
            select(Annotator.name, EventArgument.role, func.count()).join(Event, EventArgument.event_id == Event.id)
            .join(Annotator, Event.annotator_id == Annotator.id)
            .group_by(Annotator.name, EventArgument.role).order_by(Annotator.name, EventArgument.role))),
        "event_relations": _per_layer(session, EventRelation.type, EventRelation),
        "mention_relations": _per_layer(session, MentionRelation.type, MentionRelation),
        "attributes": _attributes(session),
        "gold": gold_progress(gold_documents(session)),
    }


def format_stats(stats: dict[str, Any]) -> str:
    """A short human summary; the full detail is in `--json`."""
    lines = [f"documents: {stats['document_count']}"]
    for doc in stats["documents"][:10]:
        ambiguous = " (ambiguous date)" if doc["date_ambiguous"] else ""
        lines.append(f"  {doc['published'] or '----------'}{ambiguous}  {doc['title']}")
    if stats["document_count"] > 10:
        lines.append(f"  ... and {stats['document_count'] - 10} more")
    lines.append(f"actors: {sum(stats['actors'].values())} " + _inline(stats["actors"]))
    for key in ("status", "mentions", "stances", "events"):
        for annotator, counts in stats[key].items():
            lines.append(f"{key} [{annotator}]: {sum(counts.values())} {_inline(counts)}")
    gold = stats["gold"]
    lines.append(f"gold: {gold['done']} of {gold['documents']} document(s) done, {gold['in progress']} in progress, "
                 f"{gold['not started']} not started")
    return "\n".join(lines)


def _inline(counts: dict[str, int]) -> str:
    return "(" + ", ".join(f"{name} {count}" for name, count in counts.items()) + ")" if counts else ""
