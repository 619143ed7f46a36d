"""Reading brat standoff (`.txt` + `.ann`) into a document record with one layer.

Every line kind is read: T (text-bound), E (events), R and * (relations),
A/M (attributes), N (normalisations) and # (notes). A discontinuous T becomes
one mention over its whole extent that keeps its fragments; it is reported,
never dropped. Which T lines are mentions, triggers or free argument spans is
decided by the schema and by the E lines that use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.core.records import (
    ActorRecord,
    ArgumentRecord,
    DocumentRecord,
    EventRecord,
    LayerRecord,
    MentionRecord,
    MentionRelationRecord,
    RelationRecord,
    StanceRecord,
)
from workstation.core.schema import Schema
from workstation.formats.brat_conf import MENTION_TYPE_ATTRIBUTE, SPAN_TYPE, STANCE_TYPE

ACTOR_DATABASE = "Workstation"
NOTE_TYPE = "AnnotatorNotes"
"""brat's own note type: the first such note is an item's `note`; other notes (any type) keep their type in
`notes`, so `#1\tLemma T1\ttalo  (noun)` goes out as it came in."""
ROLE_NUMBER = re.compile(r"^(.*?)(\d+)$")
SPAN_RE = re.compile(r"^(\d+) (\d+)$")


@dataclass
class _TextBound:
    id: str
    type: str
    fragments: list[tuple[int, int]]
    line: int

    @property
    def span(self) -> tuple[int, int]:
        return self.fragments[0][0], self.fragments[-1][1]


@dataclass
class _Ann:
    """The lines of one .ann file, by kind, before they become records."""

    textbounds: dict[str, _TextBound] = field(default_factory=dict)
    events: dict[str, tuple[str, str, list[tuple[str, str]], int]] = field(default_factory=dict)
    relations: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    attributes: list[tuple[str, str, Any, int]] = field(default_factory=list)
    normalisations: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    notes: list[tuple[str, str, str, int]] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    """T lines whose covered text is not the text at their offsets: kept by offsets, reported."""


def _parse_textbound(ann: _Ann, fields: list[str], text: str, number: int) -> None:
    """Offsets are what count; a covered text that differs from them is reported, as the file is suspect."""
    if fields[0] in ann.textbounds:
        raise UserError(f"{fields[0]}: the id is used twice in this file (first on line "
                        f"{ann.textbounds[fields[0]].line})", line=number)
    text_length = len(text)
    kind, _, spans = fields[1].partition(" ")
    fragments = []
    for part in spans.split(";"):
        match = SPAN_RE.match(part.strip())
        if not match:
            raise UserError(f"{fields[0]}: bad offsets '{spans}'", line=number)
        start, end = int(match.group(1)), int(match.group(2))
        if not 0 <= start < end or end > text_length:
            raise UserError(f"{fields[0]}: offsets {start}-{end} are past the end of the text "
                            f"({text_length} characters)" if end > text_length else
                            f"{fields[0]}: bad offsets {start}-{end}", line=number)
        fragments.append((start, end))
    ann.textbounds[fields[0]] = _TextBound(fields[0], kind, fragments, number)
    covered = " ".join(text[start:end] for start, end in fragments)
    if len(fields) > 2 and " ".join(fields[2].split()) != " ".join(covered.split()):
        ann.mismatches.append(f"line {number}: {fields[0]} covers {covered[:30]!r} at its offsets, not the "
                              f"{fields[2][:30]!r} the file says; kept by offsets")


def parse_ann(source: str, text: str) -> _Ann:
    ann = _Ann()
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise UserError(f"not a brat annotation line: {line[:40]!r}", line=number)
        key, body = fields[0], fields[1].split()
        try:
            if key.startswith("T"):
                _parse_textbound(ann, fields, text, number)
            elif key.startswith("E"):
                kind, _, trigger = body[0].partition(":")
                ann.events[key] = (kind, trigger, [tuple(arg.split(":", 1)) for arg in body[1:]], number)
            elif key.startswith("R"):
                args = dict(arg.split(":", 1) for arg in body[1:])
                ann.relations.append((key, body[0], args["Arg1"], args["Arg2"], number))
            elif key == "*":
                ann.relations.extend((f"*{number}.{i}", body[0], a, b, number)
                                     for i, (a, b) in enumerate(zip(body[1:], body[2:])))
            elif key.startswith(("A", "M")):
                ann.attributes.append((body[0], body[1], body[2] if len(body) > 2 else True, number))
            elif key.startswith("N"):
                database, _, entry = body[2].partition(":")
                ann.normalisations.append((body[1], database, entry, fields[2] if len(fields) > 2 else "", number))
            elif key.startswith("#"):
                ann.notes.append((body[1], body[0], "\t".join(fields[2:]), number))
            else:
                raise UserError(f"unknown annotation kind '{key}'", line=number)
        except (IndexError, KeyError, ValueError):
            raise UserError(f"malformed {key} line: {line[:60]!r}", line=number) from None
    return ann


class _Builder:
    """Turns parsed lines into a layer, resolving brat ids to items."""

    def __init__(self, ann: _Ann, schema: Schema, annotator: str):
        self.ann, self.schema = ann, schema
        self.layer = LayerRecord(annotator=annotator, status="in_progress" if ann.textbounds else "new")
        self.items: dict[str, Any] = {}
        self.warnings: list[str] = []

    def _target(self, brat_id: str, number: int) -> Any:
        if brat_id not in self.items:
            raise UserError(f"refers to '{brat_id}', which is not defined", line=number)
        return self.items[brat_id]

    def build(self) -> LayerRecord:
        triggers = {trigger for _, trigger, _, _ in self.ann.events.values()}
        for bound in self.ann.textbounds.values():
            if bound.id in triggers or bound.type == SPAN_TYPE:
                continue
            if bound.type not in self.schema.entity_types:
                raise UserError(f"{bound.id}: unknown entity type '{bound.type}' (allowed: "
                                f"{', '.join(sorted(self.schema.entity_types))})", line=bound.line)
            mention = MentionRecord(id=bound.id, start=bound.span[0], end=bound.span[1], label=bound.type)
            if len(bound.fragments) > 1:
                mention.attributes["fragments"] = [list(f) for f in bound.fragments]
                self.warnings.append(f"{bound.id} is discontinuous ({len(bound.fragments)} fragments): kept as one "
                                     "mention over its whole extent, fragments in its attributes")
            self.layer.mentions.append(mention)
            self.items[bound.id] = mention
        for brat_id, (kind, trigger, arguments, number) in self.ann.events.items():
            self._event(brat_id, kind, trigger, arguments, number)
        for brat_id, (_, _, arguments, number) in self.ann.events.items():
            self._event_arguments(brat_id, arguments, number)
        for brat_id, kind, first, second, number in self.ann.relations:
            self._relation(brat_id, kind, first, second, number)
        self._annotate()
        return self.layer

    def _event(self, brat_id: str, kind: str, trigger: str, arguments: list, number: int) -> None:
        bound = self.ann.textbounds.get(trigger)
        if bound is None:
            raise UserError(f"{brat_id}: trigger '{trigger}' is not defined", line=number)
        if kind == STANCE_TYPE and kind not in self.schema.event_types:
            self.items[brat_id] = StanceRecord(id=brat_id, holder="", label="", evidence=bound.span)
            self.layer.stances.append(self.items[brat_id])
            return
        event = EventRecord(id=brat_id, type=kind, trigger=bound.span)
        self.items[brat_id] = event
        self.layer.events.append(event)

    def _role(self, kind: str, role: str) -> str:
        roles = self.schema.event_types[kind].roles if kind in self.schema.event_types else ()
        match = ROLE_NUMBER.match(role)
        return match.group(1) if role not in roles and match and match.group(1) in roles else role

    def _event_arguments(self, brat_id: str, arguments: list, number: int) -> None:
        item = self.items[brat_id]
        for role, target in arguments:
            if isinstance(item, StanceRecord):
                actor = self._actor_of(target, number)
                if role == "Holder":
                    item.holder = actor
                else:
                    item.target = actor
                continue
            filler = self.items.get(target)
            if isinstance(filler, EventRecord):
                self.layer.relations.append(RelationRecord(type=self._role(item.type, role), source=item.id,
                                                           target=filler.id))
            elif isinstance(filler, MentionRecord):
                item.arguments.append(ArgumentRecord(role=self._role(item.type, role), mention=filler.id))
            elif target in self.ann.textbounds:
                item.arguments.append(ArgumentRecord(role=self._role(item.type, role),
                                                     span=self.ann.textbounds[target].span))
            else:
                raise UserError(f"{brat_id}: argument '{target}' is not defined", line=number)

    def _actor_of(self, target: str, number: int) -> str:
        mention = self._target(target, number)
        if not isinstance(mention, MentionRecord) or mention.actor is None:
            for database, entry, on in self._links():
                if on == target and database == ACTOR_DATABASE:
                    return entry
            raise UserError(f"stance argument '{target}' is not a mention linked to an actor", line=number)
        return mention.actor

    def _links(self) -> list[tuple[str, str, str]]:
        return [(database, entry, target) for target, database, entry, _, _ in self.ann.normalisations]

    def linked_actors(self) -> list[ActorRecord]:
        """Actors named by N lines, to be created where the project lacks them (brat carries name and type only)."""
        actors: dict[str, ActorRecord] = {}
        for target, database, entry, text, _ in self.ann.normalisations:
            bound = self.ann.textbounds.get(target)
            if database == ACTOR_DATABASE and bound is not None and self.schema.has_actors:
                actors.setdefault(entry, ActorRecord(id=entry, name=text or entry, type=bound.type,
                                                     placeholder=True))
        return list(actors.values())

    def _relation(self, brat_id: str, kind: str, first: str, second: str, number: int) -> None:
        source, target = self._target(first, number), self._target(second, number)
        if isinstance(source, EventRecord) and isinstance(target, EventRecord):
            self.layer.relations.append(RelationRecord(type=kind, source=source.id, target=target.id))
        elif isinstance(source, MentionRecord) and isinstance(target, MentionRecord):
            relation = MentionRelationRecord(id=brat_id, type=kind, source=source.id, target=target.id)
            self.items[brat_id] = relation
            self.layer.mention_relations.append(relation)
        else:
            raise UserError(f"{brat_id}: a relation must link two entities or two events", line=number)

    def _annotate(self) -> None:
        for name, target, value, number in self.ann.attributes:
            item = self._target(target, number)
            if isinstance(item, MentionRecord) and name == MENTION_TYPE_ATTRIBUTE and self.schema.mention_types:
                item.type = value
            elif isinstance(item, StanceRecord):
                _stance_attribute(item, name, value)
            else:
                item.attributes[name] = value
        for target, database, entry, text, number in self.ann.normalisations:
            item = self._target(target, number)
            if database == ACTOR_DATABASE and isinstance(item, MentionRecord) and self.schema.has_actors:
                item.actor = entry
            else:
                item.attributes.setdefault("normalizations", []).append(
                    {"db": database, "id": entry, "text": text})
        for target, kind, note, number in self.ann.notes:
            item = self._target(target, number)
            if isinstance(item, StanceRecord) and note.startswith("issue: "):
                item.issue = note[len("issue: "):]
            elif kind == NOTE_TYPE and "note" not in item.attributes:
                item.attributes["note"] = note
            else:
                item.attributes.setdefault("notes", []).append({"type": kind, "text": note})


def _stance_attribute(stance: StanceRecord, name: str, value: Any) -> None:
    if name == "StanceLabel":
        stance.label = value
    elif name == "Strength":
        stance.strength = int(value)
    elif name == "ImplicitTarget":
        stance.implicit_target = True
    elif name == "IssuePosition":
        stance.issue_position = int(value)
    else:
        stance.attributes[name] = value


def read_brat_document(txt: Path, ann_path: Path, text: str, schema: Schema, annotator: str) -> DocumentRecord:
    """One document; the caller has read and normalised `text` (and refuses it if that moved offsets)."""
    try:
        source = ann_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read the annotations ({error})", file=ann_path) from None
    try:
        ann = parse_ann(source, text)
        builder = _Builder(ann, schema, annotator)
        layer = builder.build()
    except UserError as error:
        raise error.located(ann_path) from None
    first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    record = DocumentRecord(text=text, title=first_line, id=txt.stem, source=txt.name, origin=str(ann_path),
                            layers=[layer])
    record.warnings = [f"{ann_path.name}: {warning}" for warning in [*ann.mismatches, *builder.warnings]]
    record.actors = builder.linked_actors()
    return record
