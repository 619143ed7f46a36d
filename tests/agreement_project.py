"""A small two-annotator project built through the store models, whose agreement figures are worked out
by hand in tests/test_agreement.py."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workstation.store.models import (
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    Mention,
    Stance,
)
from workstation.store.project import Project

TEXT_A = "Erdogan warned Assad that the Turkish army would strike Idlib. Russia condemned the threat."
TEXT_B = "Putin met Erdogan in Sochi. The Kremlin said the talks went well."
TEXT_C = "Only alice annotated this one."


def document(session: Session, title: str, text: str) -> Document:
    doc = Document(title=title, text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest())
    session.add(doc)
    return doc


@dataclass
class Layer:
    """Adds one annotator's items to one document, locating spans by their text."""

    session: Session
    document: Document
    annotator: Annotator

    def span(self, words: str) -> tuple[int, int]:
        start = self.document.text.index(words)
        return start, start + len(words)

    def mention(self, words: str, mention_type: str, actor: Actor | None = None) -> Mention:
        start, end = self.span(words)
        mention = Mention(document_id=self.document.id, annotator_id=self.annotator.id, start=start, end=end,
                          mention_type=mention_type, label=actor.type if actor else "LOC",
                          actor_id=actor.id if actor else None)
        self.session.add(mention)
        return mention

    def stance(self, holder: Actor, label: str, polarity: int, target: Actor | None = None,
               issue: str | None = None) -> None:
        self.session.add(Stance(document_id=self.document.id, annotator_id=self.annotator.id, holder_id=holder.id,
                                target_id=target.id if target else None, issue=issue, label=label,
                                polarity=polarity))

    def event(self, event_type: str, trigger: str, **arguments: Mention | str) -> None:
        """Arguments are role=mention, or role="words" for a free span."""
        start, end = self.span(trigger)
        event = Event(document_id=self.document.id, annotator_id=self.annotator.id, type=event_type,
                      trigger_start=start, trigger_end=end)
        self.session.add(event)
        self.session.flush()
        for position, (role, filler) in enumerate(arguments.items()):
            if isinstance(filler, Mention):
                argument = EventArgument(event_id=event.id, position=position, role=role, mention_id=filler.id)
            else:
                free_start, free_end = self.span(filler)
                argument = EventArgument(event_id=event.id, position=position, role=role, start=free_start,
                                         end=free_end)
            self.session.add(argument)


def build_two_layers(project: Project) -> None:
    """alice (the reference) and bob on documents A and B; distractors that must not count:
    carol (a `new` assignment without items on A, a skipped layer with an item on B), alice alone on C,
    and a gold layer on A."""
    with project.session.begin() as session:
        people = {name: Annotator(name=name) for name in ("alice", "bob", "carol", "gold")}
        actors = {code: Actor(name=name, type=kind) for code, name, kind in (
            ("ERD", "Recep Tayyip Erdogan", "GOV"), ("ASSAD", "Bashar al-Assad", "GOV"),
            ("TURMIL", "Turkish Armed Forces", "MIL"), ("RUS", "Russia", "STATE"),
            ("PUTIN", "Vladimir Putin", "GOV"), ("RUSGOV", "Russian government", "GOV"))}
        session.add_all([*people.values(), *actors.values()])
        doc_a, doc_b = document(session, "Doc A", TEXT_A), document(session, "Doc B", TEXT_B)
        doc_c = document(session, "Doc C", TEXT_C)
        session.flush()
        duplicate = Actor(name="Erdoğan", type="GOV", merged_into=actors["ERD"].id)
        session.add(duplicate)
        for doc, who, status in ((doc_a, "alice", "done"), (doc_a, "bob", "in_progress"), (doc_a, "carol", "new"),
                                 (doc_b, "alice", "done"), (doc_b, "bob", "done"), (doc_b, "carol", "skipped"),
                                 (doc_c, "alice", "done"), (doc_a, "gold", "done")):
            session.add(Assignment(document_id=doc.id, annotator_id=people[who].id, status=status))
        session.flush()

        def layer(doc: Document, who: str) -> Layer:
            return Layer(session, doc, people[who])

        a = layer(doc_a, "alice")
        erdogan, assad = a.mention("Erdogan", "NAME", actors["ERD"]), a.mention("Assad", "NAME", actors["ASSAD"])
        army, russia = a.mention("the Turkish army", "NOMINAL", actors["TURMIL"]), a.mention("Russia", "NAME",
                                                                                                actors["RUS"])
        a.stance(actors["ERD"], "THREATEN", -1, target=actors["ASSAD"])
        a.stance(actors["RUS"], "CRITICIZE", -1, issue="the strike")
        a.stance(actors["ASSAD"], "OPPOSE", -1, target=actors["ERD"])
        a.event("THREATEN", "warned", source=erdogan, target=assad, content="the Turkish army would strike Idlib")
        a.event("ASSAULT", "strike", source=army, target="Idlib")
        a.event("ACCUSE", "condemned", source=russia)

        b = layer(doc_a, "bob")
        erdogan, assad = b.mention("Erdogan", "NAME", duplicate), b.mention("Assad", "NOMINAL", actors["ASSAD"])
        army, idlib = b.mention("Turkish army", "NOMINAL", actors["TURMIL"]), b.mention("Idlib", "NAME")
        b.stance(duplicate, "THREATEN", -1, target=actors["ASSAD"])
        b.stance(actors["RUS"], "DEMAND", -1, issue="The  Strike")
        b.stance(actors["ASSAD"], "SUPPORT", 1, target=actors["ERD"])
        b.event("THREATEN", "warned Assad", source=erdogan, target=assad, content="would strike Idlib")
        b.event("ASSAULT", "strike", source=army, target=idlib)
        b.event("REJECT", "condemned")

        a = layer(doc_b, "alice")
        a.mention("Putin", "NAME", actors["PUTIN"])
        a.mention("Erdogan", "NAME", actors["ERD"])
        a.mention("The Kremlin", "NOMINAL", actors["RUSGOV"])
        a.stance(actors["PUTIN"], "COOPERATE", 1, target=actors["ERD"])

        b = layer(doc_b, "bob")
        b.mention("Putin", "NAME", actors["PUTIN"])
        b.mention("Erdogan", "NAME", actors["ASSAD"])
        b.mention("The Kremlin", "NOMINAL", actors["RUSGOV"])
        b.mention("Sochi", "NAME")
        b.stance(actors["PUTIN"], "SUPPORT", 1, target=actors["ERD"])

        layer(doc_b, "carol").mention("Sochi", "NAME")
        layer(doc_c, "alice").mention("alice", "NAME")
        layer(doc_a, "gold").mention("Erdogan", "NAME", actors["ERD"])
