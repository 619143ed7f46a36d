"""Counts per annotator, status and type: what `stats` prints and the reports check against."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.store.document_reader import ROWID
from workstation.store.models import Actor, Annotator, Assignment, Document, Event, Mention, Stance


def _nested(rows: Any) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for outer, inner, count in rows:
        table[outer][inner if inner is not None else "(none)"] = count
    return dict(table)


def _per_layer(session: Session, column: Any, model: Any) -> dict[str, dict[str, int]]:
    return _nested(session.execute(
        select(Annotator.name, column, func.count()).join(Annotator, model.annotator_id == Annotator.id)
        .group_by(Annotator.name, column).order_by(Annotator.name, column)))


def project_stats(session: Session) -> dict[str, Any]:
    """Everything as plain JSON-ready data; documents listed with title, date and layer statuses."""
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
    return "\n".join(lines)


def _inline(counts: dict[str, int]) -> str:
    return "(" + ", ".join(f"{name} {count}" for name, count in counts.items()) + ")" if counts else ""
