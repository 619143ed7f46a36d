"""What the annotation forms ask about mentions: a new actor's likely type, a layer's mentions, their actors."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from workstation.store.id_batches import id_batches
from workstation.store.models import Actor, Document, Mention


@dataclass(frozen=True)
class TypeGuess:
    """A new actor's type as the actor form pre-selects it, with where it came from so the form can say so:
    `text` = the type of the actor last linked to a mention with the same words, `last` = the type of the actor
    created (or edited) last."""

    type: str
    basis: Literal["text", "last"]


GUESS_CANDIDATES = 300
"""The most recent linked mentions of the right length whose words are compared: the guess follows recent work,
and a project holding a 1 MB article with thousands of them is not read whole each time the form opens."""

SAME_LENGTH = (select(Mention.document_id, Mention.start, Mention.end, Actor.type)
               .join(Actor, Actor.id == Mention.actor_id)
               .where(Mention.end - Mention.start == bindparam("length"))
               .order_by(Mention.updated_at.desc()).limit(GUESS_CANDIDATES))
TEXT_OF = select(Document.text).where(Document.id == bindparam("document_id"))


def guess_actor_type(session: Session, document_id: str, text: str, start: int, end: int) -> TypeGuess | None:
    """The type an annotator most likely means for a new actor named by `text[start:end]`, or None in a project
    without actors yet. Returning the first type of the schema instead filed every new actor under it on Return.

    Candidates' words are read from their texts in Python, each text once: compared in SQL, SQLite read a whole
    1 MB text for every candidate in it (a second per form)."""
    surface = text[start:end]
    texts = {document_id: text}
    for candidate_document, candidate_start, candidate_end, actor_type in session.execute(
            SAME_LENGTH, {"length": len(surface)}):
        if candidate_document not in texts:
            texts[candidate_document] = session.scalar(TEXT_OF, {"document_id": candidate_document}) or ""
        if texts[candidate_document][candidate_start:candidate_end] == surface:
            return TypeGuess(actor_type, "text")
    last = session.scalar(select(Actor.type).where(Actor.merged_into.is_(None))
                          .order_by(Actor.updated_at.desc()).limit(1))
    return None if last is None else TypeGuess(last, "last")


def linked_actors(session: Session, mention_ids: Collection[str]) -> dict[str, str]:
    """Mention id → actor id, for those of the mentions that are linked to an actor."""
    return {mention_id: actor_id for batch in id_batches(mention_ids) for mention_id, actor_id in session.execute(
        select(Mention.id, Mention.actor_id).where(Mention.id.in_(batch), Mention.actor_id.is_not(None)))}


def type_of_mention(session: Session, mention_id: str) -> str | None:
    return session.scalar(select(Mention.mention_type).where(Mention.id == mention_id))
