"""The actor registry as the panel lists it: live actors with their mention counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.store.models import Actor, Mention


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int


def registry(session: Session) -> list[ActorEntry]:
    counts = select(Mention.actor_id, func.count().label("n")).group_by(Mention.actor_id).subquery()
    rows = session.execute(select(Actor.id, Actor.name, Actor.type, Actor.aliases, func.coalesce(counts.c.n, 0))
                           .outerjoin(counts, counts.c.actor_id == Actor.id)
                           .where(Actor.merged_into.is_(None)).order_by(Actor.name))
    return [ActorEntry(actor_id, name, actor_type, tuple(aliases), count)
            for actor_id, name, actor_type, aliases, count in rows]


def mentions_of(session: Session, actor_id: str, document_id: str) -> list[tuple[str, int, int]]:
    """(mention id, start, end) of an actor in one document, in text order."""
    return [tuple(row) for row in session.execute(
        select(Mention.id, Mention.start, Mention.end)
        .where(Mention.actor_id == actor_id, Mention.document_id == document_id).order_by(Mention.start))]
