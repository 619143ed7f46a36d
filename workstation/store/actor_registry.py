"""The actor registry as the panel lists it: live actors with their mention counts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select

from workstation.store.id_batches import id_batches
from workstation.store.models import Actor, Mention
from workstation.store.project import Database


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    version: int | None = None
    """The actor's row version as the panel read it: an edit made from the panel expects it."""

    @property
    def order(self) -> tuple[str, str]:
        """The panel's order: by name, then id, so that equal names keep one place."""
        return self.name, self.id


def registry(session: Database, ids: Collection[str] | None = None) -> list[ActorEntry]:
    """Every live actor in the panel's order; with `ids`, only those of them still live (an edit touched them)."""
    if ids is None:
        return _entries(session)
    return sorted((entry for batch in id_batches(ids) for entry in _entries(session, batch)),
                  key=lambda entry: entry.order)


def _entries(session: Database, ids: list[str] | None = None) -> list[ActorEntry]:
    counted = select(Mention.actor_id, func.count().label("n"))
    actors = select(Actor.id, Actor.name, Actor.type, Actor.aliases, Actor.version).where(Actor.merged_into.is_(None))
    if ids is not None:
        counted, actors = counted.where(Mention.actor_id.in_(ids)), actors.where(Actor.id.in_(ids))
    counts = counted.group_by(Mention.actor_id).subquery()
    rows = session.execute(actors.add_columns(func.coalesce(counts.c.n, 0))
                           .outerjoin(counts, counts.c.actor_id == Actor.id).order_by(Actor.name, Actor.id))
    return [ActorEntry(actor_id, name, actor_type, tuple(aliases), count, version)
            for actor_id, name, actor_type, aliases, version, count in rows]


def mentions_of(session: Database, actor_id: str, document_id: str) -> list[tuple[str, int, int]]:
    """(mention id, start, end) of an actor in one document, in text order."""
    return [tuple(row) for row in session.execute(
        select(Mention.id, Mention.start, Mention.end)
        .where(Mention.actor_id == actor_id, Mention.document_id == document_id).order_by(Mention.start))]
