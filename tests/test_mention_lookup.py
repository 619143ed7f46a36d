"""A new actor's type guessed from the project: the same words' last actor, else the last actor, else nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from agreement_project import document
from sqlalchemy.orm import Session

from workstation.store.mention_lookup import TypeGuess, guess_actor_type, linked_actors
from workstation.store.models import Actor, Annotator, Mention

HERE = "Erdogan spoke. Russia answered. Erdogan again, and the Kremlin."
THERE = "Later, Russia and Erdogan met."
T0 = datetime(2026, 1, 1)


def actor(session: Session, name: str, actor_type: str, minute: int) -> Actor:
    row = Actor(name=name, type=actor_type, aliases=[], updated_at=T0 + timedelta(minutes=minute))
    session.add(row)
    session.flush()
    return row


def mention(session: Session, doc, annotator: Annotator, words: str, linked: Actor | None, minute: int) -> Mention:
    start = doc.text.index(words)
    row = Mention(document_id=doc.id, annotator_id=annotator.id, start=start, end=start + len(words),
                  mention_type="NAME", label=linked.type if linked else None, actor_id=linked.id if linked else None,
                  updated_at=T0 + timedelta(minutes=minute))
    session.add(row)
    session.flush()
    return row


def guess(session: Session, doc, words: str, occurrence: int = 0) -> TypeGuess | None:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(words, start + 1)
    return guess_actor_type(session, doc.id, doc.text, start, start + len(words))


def test_no_actor_yet_no_guess(project):
    with project.session() as session:
        here = document(session, "here", HERE)
        session.flush()
        assert guess(session, here, "Erdogan") is None


def test_the_last_actor_linked_to_the_same_words_wins_in_any_document(project):
    with project.session() as session:
        here, there = document(session, "here", HERE), document(session, "there", THERE)
        alice = Annotator(name="alice")
        session.add(alice)
        session.flush()
        mention(session, here, alice, "Erdogan", actor(session, "Recep Tayyip Erdogan", "GOV", 1), minute=1)
        mention(session, here, alice, "Kremlin", None, minute=2)
        assert guess(session, here, "Erdogan", occurrence=1) == TypeGuess("GOV", "text")
        assert guess(session, there, "Erdogan") == TypeGuess("GOV", "text")
        mention(session, there, alice, "Erdogan", actor(session, "Erdogan's party", "PARTY", 3), minute=3)
        assert guess(session, here, "Erdogan", occurrence=1) == TypeGuess("PARTY", "text")
        mention(session, here, alice, "Russia", actor(session, "Russia", "STATE", 4), minute=4)
        assert guess(session, here, "Erdogan", occurrence=1) == TypeGuess("PARTY", "text")
        assert guess(session, there, "Russia") == TypeGuess("STATE", "text")
        # No actor was linked to "Kremlin" (its mention is unlinked): the type of the actor made last.
        assert guess(session, here, "Kremlin") == TypeGuess("STATE", "last")


def test_the_actors_linked_to_mentions(project):
    with project.session() as session:
        here = document(session, "here", HERE)
        alice = Annotator(name="alice")
        session.add(alice)
        session.flush()
        russia = actor(session, "Russia", "STATE", 1)
        late = mention(session, here, alice, "Kremlin", None, minute=1)
        early = mention(session, here, alice, "Russia", russia, minute=2)
        assert linked_actors(session, [early.id, late.id]) == {early.id: russia.id}
