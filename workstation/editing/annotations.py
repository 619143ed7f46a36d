"""Validated edits of one annotator's layer: each function checks the edit and returns a command.

Nothing is written here; `Editor.run` does that. An invalid edit (a span
outside the text, a role the event type lacks, a stance without a holder)
raises `EditRefused` with a message fit for the status bar.

An edit of an existing item takes `version`: the row version its author saw
(the view's, as it read the item). The edit expects it and is refused
(`StaleEdit`) when someone else changed the item since; without it, the
version read as the command is built is expected.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from workstation.core.dates import parse_date
from workstation.core.errors import SchemaViolation, UserError
from workstation.core.schema import Schema
from workstation.editing.commands import (
    TABLES,
    Command,
    DeleteRows,
    InsertRows,
    Sequence,
    SetStatus,
    UpdateRow,
    snapshot,
)
from workstation.store.models import (
    STATUSES,
    Actor,
    Assignment,
    Document,
    EventArgument,
    EventRelation,
    Mention,
    Stance,
    new_id,
    utcnow,
)
from workstation.store.project import Database


class EditRefused(UserError):
    """An edit that would break the schema or the text; nothing was changed."""


def _schema(check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except SchemaViolation as violation:
        raise EditRefused(str(violation)) from None


TEXT_LENGTH = select(func.length(Document.text)).where(Document.id == bindparam("document_id"))
ACTOR_TYPE = select(Actor.type).where(Actor.id == bindparam("actor_id"))
LAYER_STATUS = select(Assignment.status).where(Assignment.document_id == bindparam("document_id"),
                                               Assignment.annotator_id == bindparam("annotator_id"))
MENTION_LAYER = select(Mention.document_id, Mention.annotator_id).where(Mention.id == bindparam("mention_id"))
LAST_POSITION = select(func.max(EventArgument.position)).where(EventArgument.event_id == bindparam("event_id"))
"""Statements of every edit, built once (building one costs more than SQLite running it)."""


def text_length(session: Database, document_id: str) -> int:
    """In code points, counted by SQLite: the 1 MB text never crosses into Python for a span check."""
    return session.scalar(TEXT_LENGTH, {"document_id": document_id})


def _check_date(date: str | None) -> None:
    if date is not None and (parse_date(date) is None or parse_date(date).iso != date):
        raise EditRefused(f"the event date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def _stamped(row: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    return {"id": new_id(), "external_id": None, "attributes": {}, "created_at": now, "updated_at": now, **row}


class Layer:
    """Builds commands for one (document, annotator) layer under the project's schema."""

    def __init__(self, session: Database, schema: Schema, document_id: str, annotator_id: str,
                 length: int | None = None):
        """`length`: the text's, when the caller knows it (texts never change after import)."""
        self.session, self.schema = session, schema
        self.document_id, self.annotator_id = document_id, annotator_id
        self.length = length

    def _span(self, start: int, end: int) -> None:
        if self.length is None:
            self.length = text_length(self.session, self.document_id)
        if not 0 <= start < end <= self.length:
            raise EditRefused(f"the span {start}-{end} is outside the text (0-{self.length}) or empty")

    def _row(self, **values: Any) -> dict[str, Any]:
        return _stamped({"document_id": self.document_id, "annotator_id": self.annotator_id, **values})

    def _actor_type(self, actor_id: str | None, role: str) -> str | None:
        if actor_id is None:
            return None
        actor_type = self.session.scalar(ACTOR_TYPE, {"actor_id": actor_id})
        if actor_type is None:
            raise EditRefused(f"the {role} is not in the actor registry")
        return actor_type

    def create_mention(self, start: int, end: int, mention_type: str | None, actor_id: str | None = None,
                       label: str | None = None, suggester: str | None = None) -> Command:
        """`suggester`: the name of what suggested the mention, when it is an accepted suggestion."""
        self._span(start, end)
        _schema(self.schema.check_mention_type, mention_type)
        label = label or self._actor_type(actor_id, "actor")
        if label is not None:
            _schema(self.schema.check_entity_type, label)
        row = self._row(start=start, end=end, label=label, mention_type=mention_type, actor_id=actor_id,
                        origin="manual" if suggester is None else "suggested", suggester=suggester)
        return InsertRows(f"Add mention {start}-{end}", [("mention", row)], self.document_id)

    def link_mention(self, mention_id: str, actor_id: str | None, label: str | None = None,
                     version: int | None = None) -> Command:
        """`label`: the type of an actor created in the same step (not in the database yet)."""
        label = label or self._actor_type(actor_id, "actor") or self.session.scalar(
            select(Mention.label).where(Mention.id == mention_id))
        return UpdateRow(self.session, "Link mention", "mention", mention_id, {"actor_id": actor_id, "label": label},
                         self.document_id, version)

    def create_stance(self, holder_id: str | None, label: str, target_id: str | None = None,
                      issue: str | None = None, issue_position: int | None = None, strength: int = 2,
                      implicit_target: bool = False, evidence: tuple[int, int] | None = None) -> Command:
        polarity = self._stance_polarity(holder_id, label, target_id, issue, strength)
        if evidence is not None:
            self._span(*evidence)
        start, end = evidence or (None, None)
        row = self._row(holder_id=holder_id, target_id=target_id, issue=issue, issue_position=issue_position,
                        label=label, polarity=polarity, strength=strength, implicit_target=implicit_target,
                        evidence_start=start, evidence_end=end)
        return InsertRows(f"Add stance {label}", [("stance", row)], self.document_id)

    def _stance_polarity(self, holder_id: str | None, label: str, target_id: str | None, issue: str | None,
                         strength: int) -> int:
        """What a new or edited stance must be; its polarity, which the schema fixes by the label."""
        if holder_id is None:
            raise EditRefused("a stance needs a holder actor")
        self._actor_type(holder_id, "holder")
        self._actor_type(target_id, "target")
        if target_id is None and not issue:
            raise EditRefused("a stance needs a target actor or an issue")
        polarity = _schema(self.schema.check_stance_label, label)
        if strength not in (1, 2, 3):
            raise EditRefused(f"strength must be 1, 2 or 3, not {strength}")
        return polarity

    def update_stance(self, stance_id: str, holder_id: str | None, label: str, target_id: str | None = None,
                      issue: str | None = None, issue_position: int | None = None, strength: int = 2,
                      implicit_target: bool = False, version: int | None = None) -> Command:
        """The stance form's values over an existing stance (its evidence stays), as one undo step."""
        polarity = self._stance_polarity(holder_id, label, target_id, issue, strength)
        return self._update("stance", stance_id, f"Edit stance {label}", {
            "holder_id": holder_id, "target_id": target_id, "issue": issue, "issue_position": issue_position,
            "label": label, "polarity": polarity, "strength": strength, "implicit_target": implicit_target},
            version)

    def update_event(self, event_id: str, event_type: str, attributes: dict[str, Any], date: str | None,
                     version: int | None = None) -> Command:
        """A new type, attributes or date; a type whose roles leave out one of the event's arguments is refused
        (delete that argument first), so the edit never strands an argument in a role its type lacks."""
        _schema(self.schema.check_event_type, event_type)
        _schema(self.schema.check_event_attributes, event_type, attributes)
        _check_date(date)
        for role in self.session.scalars(select(EventArgument.role).where(EventArgument.event_id == event_id)):
            _schema(self.schema.check_role, event_type, role)
        return self._update("event", event_id, f"Edit event {event_type}",
                            {"type": event_type, "attributes": attributes, "date": date}, version)

    def _update(self, table: str, item_id: str, text: str, values: dict[str, Any], version: int | None) -> Command:
        """Only the columns that change are written; an edit that changes nothing is refused, not an empty
        undo step."""
        model = TABLES[table]
        old = self.session.execute(select(*(model.c[name] for name in values)).where(model.c.id == item_id)
                                   .where(model.c.document_id == self.document_id,
                                          model.c.annotator_id == self.annotator_id)).mappings().first()
        if old is None:
            raise EditRefused(f"that {table} is not in this layer")
        changed = {name: value for name, value in values.items() if old[name] != value}
        if not changed:
            raise EditRefused(f"nothing to change: the {table} already reads so")
        return UpdateRow(self.session, text, table, item_id, changed, self.document_id, version)

    def create_event(self, event_type: str, trigger: tuple[int, int], attributes: dict[str, Any] | None = None,
                     arguments: list[tuple[str, str | tuple[int, int]]] = (), date: str | None = None,
                     suggester: str | None = None) -> Command:
        """`arguments`: (role, mention id) or (role, (start, end)) for a free span; `suggester`: what suggested
        the event, when it is an accepted suggestion."""
        _schema(self.schema.check_event_type, event_type)
        self._span(*trigger)
        _schema(self.schema.check_event_attributes, event_type, attributes or {})
        _check_date(date)
        event = self._row(type=event_type, trigger_start=trigger[0], trigger_end=trigger[1], date=date,
                          attributes=attributes or {}, origin="manual" if suggester is None else "suggested",
                          suggester=suggester)
        rows = [("event", event)] + [("event_argument", self._argument(event["id"], event_type, position, role, filler))
                                     for position, (role, filler) in enumerate(arguments)]
        return InsertRows(f"Add event {event_type}", rows, self.document_id)

    def _argument(self, event_id: str, event_type: str, position: int, role: str,
                  filler: str | tuple[int, int]) -> dict[str, Any]:
        _schema(self.schema.check_role, event_type, role)
        row = {"id": new_id(), "event_id": event_id, "position": position, "role": role,
               "mention_id": None, "start": None, "end": None}
        if isinstance(filler, str):
            layer = self.session.execute(MENTION_LAYER, {"mention_id": filler}).first()
            if layer is None or tuple(layer) != (self.document_id, self.annotator_id):
                raise EditRefused("an argument must be a mention of this document and layer")
            row["mention_id"] = filler
        else:
            self._span(*filler)
            row["start"], row["end"] = filler
        return row

    def add_argument(self, event_id: str, event_type: str, role: str, filler: str | tuple[int, int],
                     version: int | None = None) -> Command:
        """`version`: the event's, as its author saw it."""
        last = self.session.scalar(LAST_POSITION, {"event_id": event_id})
        position = 0 if last is None else last + 1
        row = self._argument(event_id, event_type, position, role, filler)
        return self._changing_event(event_id, InsertRows(f"Add {role}", [("event_argument", row)], self.document_id),
                                    version)

    def _changing_event(self, event_id: str, command: Command, version: int | None) -> Command:
        """An edit of an event's arguments or relations is an edit of the event: its `updated_at` moves too,
        so a merge that meets two versions of the event keeps the one changed last (and an event someone else
        changed since its author saw it refuses the edit)."""
        touch = UpdateRow(self.session, "Touch event", "event", event_id, {}, self.document_id, version)
        return Sequence(command.text, [command, touch], self.document_id)

    def create_relation(self, relation_type: str, from_event: str, to_event: str,
                        version: int | None = None) -> Command:
        """`version`: the source event's, as its author saw it."""
        _schema(self.schema.check_relation_type, relation_type)
        if from_event == to_event:
            raise EditRefused("an event cannot be related to itself")
        if self.session.scalar(select(EventRelation.id).where(EventRelation.type == relation_type,
                                                              EventRelation.from_event_id == from_event,
                                                              EventRelation.to_event_id == to_event)):
            raise EditRefused(f"these events already have a {relation_type} relation")
        row = {"id": new_id(), "external_id": None, "document_id": self.document_id,
               "annotator_id": self.annotator_id, "type": relation_type, "from_event_id": from_event,
               "to_event_id": to_event}
        return self._changing_event(from_event, InsertRows(f"Add {relation_type} relation",
                                                           [("event_relation", row)], self.document_id), version)

    def delete(self, table: str, item_id: str, version: int | None = None) -> Command:
        """`version`: the item's as its author saw it; for an argument or an event relation, which carry none,
        that of the event they belong to (which the delete touches)."""
        rows = snapshot(self.session, table, item_id, self.document_id)
        owner = {"event_argument": "event_id", "event_relation": "from_event_id"}.get(table)
        if owner is None:
            return DeleteRows(f"Delete {table.replace('_', ' ')}", rows, self.document_id, version)
        command = DeleteRows(f"Delete {table.replace('_', ' ')}", rows, self.document_id)
        return self._changing_event(rows[0][1][owner], command, version)

    def marking_progress(self, command: Command) -> Command:
        """The first edit of a new document also marks it in progress, in the same undo step, so the
        document list tells untouched documents from started ones without the annotator's help."""
        status = self.set_status("in_progress")
        if isinstance(command, SetStatus) or status.old not in (None, "new"):
            return command
        return Sequence(command.text, [command, status], self.document_id)

    def set_status(self, status: str) -> Command:
        if status not in STATUSES:
            raise EditRefused(f"unknown status '{status}' (allowed: {', '.join(STATUSES)})")
        old = self.session.scalar(LAYER_STATUS, {"document_id": self.document_id, "annotator_id": self.annotator_id})
        return SetStatus(self.document_id, self.annotator_id, old, status)


def create_actor(schema: Schema, name: str, actor_type: str, kind: str | None = None, country: str | None = None,
                 code: str | None = None, aliases: list[str] | None = None) -> Command:
    if not name.strip():
        raise EditRefused("an actor needs a name")
    _schema(schema.check_entity_type, actor_type)
    _schema(schema.check_actor_kind, kind)
    now = utcnow()
    row = {"id": new_id(), "external_id": None, "name": name.strip(), "type": actor_type, "kind": kind,
           "country": country, "code": code, "aliases": aliases or [], "description": None, "merged_into": None,
           "updated_at": now}
    return InsertRows(f"Add actor {name}", [("actor", row)])


def edit_actor(session: Session, schema: Schema, actor_id: str, name: str, actor_type: str, kind: str | None,
               country: str | None, code: str | None, version: int | None = None) -> Command:
    """New name, type, kind, country or code; the actor's linked mentions take its new type as their label.
    `version`: the actor's, as the author saw it (the mentions relabelled are expected as they are now)."""
    if not name.strip():
        raise EditRefused("an actor needs a name")
    _schema(schema.check_entity_type, actor_type)
    _schema(schema.check_actor_kind, kind)
    steps: list[Command] = [UpdateRow(session, f"Edit actor {name}", "actor", actor_id, {
        "name": name.strip(), "type": actor_type, "kind": kind, "country": country, "code": code}, version=version)]
    if session.get(Actor, actor_id).type != actor_type:
        steps += [UpdateRow(session, "Relabel mention", "mention", mention_id, {"label": actor_type}, document_id)
                  for mention_id, document_id in session.execute(
                      select(Mention.id, Mention.document_id).where(Mention.actor_id == actor_id))]
    return Sequence(f"Edit actor {name}", steps) if len(steps) > 1 else steps[0]


def add_alias(session: Session, actor_id: str, alias: str, version: int | None = None) -> Command:
    actor = session.get(Actor, actor_id)
    if not alias.strip() or alias.strip() in actor.aliases:
        raise EditRefused(f"'{alias}' is empty or already an alias of {actor.name}")
    return UpdateRow(session, f"Add alias {alias}", "actor", actor_id, {"aliases": [*actor.aliases, alias.strip()]},
                     version=version)


def merge_actors(session: Session, source_id: str, target_id: str, version: int | None = None) -> Command:
    """Every mention and stance of `source` moves to `target`; `source` stays, with `merged_into` set.
    `version`: the source actor's, as the author saw it."""
    if source_id == target_id:
        raise EditRefused("an actor cannot be merged into itself")
    source, target = session.get(Actor, source_id), session.get(Actor, target_id)
    if target.merged_into is not None:
        raise EditRefused(f"{target.name} was itself merged into another actor; merge into that one")
    steps: list[Command] = [
        UpdateRow(session, "Move mention", "mention", mention_id, {"actor_id": target_id, "label": target.type},
                  document_id)
        for mention_id, document_id in session.execute(
            select(Mention.id, Mention.document_id).where(Mention.actor_id == source_id))]
    for column in ("holder_id", "target_id"):
        steps += [UpdateRow(session, "Move stance", "stance", stance_id, {column: target_id}, document_id)
                  for stance_id, document_id in session.execute(
                      select(Stance.id, Stance.document_id).where(getattr(Stance, column) == source_id))]
    steps.append(UpdateRow(session, "Merge", "actor", source_id, {"merged_into": target_id}, version=version))
    return Sequence(f"Merge {source.name} into {target.name}", steps)
