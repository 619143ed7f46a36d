"""Actors as the labels over the text show them (a short name) and colour them (their type): every actor of
the registry, read once per project and again only for the actors an edit touched."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from workstation.store.id_batches import id_batches
from workstation.store.models import Actor
from workstation.store.project import Database

LABEL_LENGTH = 24
"""Longer names are cut (with an ellipsis): a label wider than its words pushes its neighbours up a row."""


def actor_names(session: Database, ids: Collection[str] | None = None) -> dict[str, tuple[str, str]]:
    """(name cut for a label, type) by actor id; with `ids`, only those actors (a removed one is absent)."""
    query = select(Actor.id, Actor.name, Actor.type)
    rows = session.execute(query).all() if ids is None else [
        row for batch in id_batches(ids) for row in session.execute(query.where(Actor.id.in_(batch)))]
    return {actor_id: (_short(name), actor_type) for actor_id, name, actor_type in rows}


def _short(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[:LABEL_LENGTH - 1].rstrip() + "…"
