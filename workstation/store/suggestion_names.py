"""The names the registry suggests each actor by: its name and curated aliases, and the names it learned from
the work (the words of every NAME mention linked to it) less those the user removed."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from workstation.store.document_texts import with_texts
from workstation.store.id_batches import id_batches
from workstation.store.models import Actor, ForgottenName, Mention

NAME = "NAME"
"""The mention type whose words are names; under a schema without mention types every mention counts."""


@dataclass(frozen=True)
class ActorNames:
    id: str
    type: str
    curated: tuple[str, ...]
    """The actor's name, then its aliases."""
    learned: tuple[str, ...]
    """Words of NAME mentions linked to it that are not already curated, in alphabetical order."""

    @property
    def all(self) -> tuple[str, ...]:
        return self.curated + self.learned


def suggestion_names(session: Session, ids: Collection[str] | None = None) -> dict[str, ActorNames]:
    """By actor id, every live actor's names (with `ids`, only those actors that are still live: a merged or
    removed one is absent)."""
    if ids is None:
        return _names(session, None)
    found: dict[str, ActorNames] = {}
    for batch in id_batches(ids):
        found.update(_names(session, batch))
    return found


def _names(session: Session, ids: list[str] | None) -> dict[str, ActorNames]:
    actors = select(Actor.id, Actor.type, Actor.name, Actor.aliases).where(Actor.merged_into.is_(None))
    learned = (select(Mention.document_id, Mention.actor_id, Mention.start, Mention.end)
               .where(Mention.actor_id.is_not(None), (Mention.mention_type == NAME) | Mention.mention_type.is_(None))
               .order_by(Mention.document_id))
    forgotten = select(ForgottenName.actor_id, ForgottenName.name)
    if ids is not None:
        actors, learned = actors.where(Actor.id.in_(ids)), learned.where(Mention.actor_id.in_(ids))
        forgotten = forgotten.where(ForgottenName.actor_id.in_(ids))
    removed = {tuple(row) for row in session.execute(forgotten)}
    words_of: dict[str, set[str]] = {}
    for actor_id, text in _mention_words(session, learned):
        if text.strip() and (actor_id, text) not in removed:
            words_of.setdefault(actor_id, set()).add(text)
    found = {}
    for actor_id, actor_type, name, aliases in session.execute(actors):
        curated = tuple(dict.fromkeys([name, *aliases]))
        known = {word.casefold() for word in curated}
        extra = tuple(sorted(word for word in words_of.get(actor_id, ()) if word.casefold() not in known))
        found[actor_id] = ActorNames(actor_id, actor_type, curated, extra)
    return found


def _mention_words(session: Session, mentions: Select) -> Iterator[tuple[str, str]]:
    """(actor, words) of each mention, each document's text read once: SQLite's `substr` walks a text from its
    start for every mention, 20,000 times over the peers' 1 MB document."""
    for _document_id, text, rows in with_texts(session, session.execute(mentions)):
        for _, actor_id, start, end in rows:
            yield actor_id, text[start:end]
