"""Plain records of documents and their annotation layers, as files carry them.

Importers produce these, exporters consume them, and the store maps them to
rows. Ids here are the ids of the file (any string); the store maps them to
UUIDs and keeps the originals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]
STATUSES = ("new", "in_progress", "done", "skipped")
"""A layer's status, as the store checks it and the CLI offers it."""
WORKED = ("in_progress", "done")
GOLD = "gold"
"""The adjudicated layer's annotator."""


def takes_part(status: str | None, has_items: bool) -> bool:
    """Whether a layer is compared (agreement), shown (adjudication) and waits for gold: started or done, or
    holding items and not skipped."""
    return status in WORKED or (has_items and status != "skipped")


@dataclass
class ActorRecord:
    id: str
    name: str
    type: str
    kind: str | None = None
    country: str | None = None
    code: str | None = None
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    merged_into: str | None = None
    placeholder: bool = False
    """Known only by name and type (e.g. from brat): created when missing, never overwrites the registry."""


@dataclass
class MentionRecord:
    id: str
    start: int
    end: int
    type: str | None = None
    actor: str | None = None
    label: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None
    """manual, suggested or imported as the project stores it; None where a file says nothing (imported)."""
    suggester: str | None = None
    """What suggested an accepted suggestion ("registry", a model's name)."""


@dataclass
class StanceRecord:
    id: str
    holder: str
    label: str
    target: str | None = None
    issue: str | None = None
    issue_position: int | None = None
    strength: int = 2
    implicit_target: bool = False
    evidence: Span | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ArgumentRecord:
    role: str
    mention: str | None = None
    span: Span | None = None


@dataclass
class EventRecord:
    id: str
    type: str
    trigger: Span
    arguments: list[ArgumentRecord] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    date: str | None = None
    origin: str | None = None
    suggester: str | None = None


@dataclass
class RelationRecord:
    type: str
    source: str
    target: str


@dataclass
class MentionRelationRecord:
    id: str
    type: str
    source: str
    target: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class LayerRecord:
    annotator: str
    status: str = "new"
    mentions: list[MentionRecord] = field(default_factory=list)
    stances: list[StanceRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    mention_relations: list[MentionRelationRecord] = field(default_factory=list)


@dataclass
class DocumentRecord:
    text: str
    title: str = ""
    id: str | None = None
    published: str | None = None
    date_raw: str | None = None
    date_ambiguous: bool = False
    source: str | None = None
    url: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    actors: list[ActorRecord] = field(default_factory=list)
    layers: list[LayerRecord] = field(default_factory=list)
    origin: str = ""
    line: int | None = None
    warnings: list[str] = field(default_factory=list)


def actor_types(record: DocumentRecord) -> dict[str, str]:
    return {actor.id: actor.type for actor in record.actors}


def mention_label(mention: MentionRecord, types: dict[str, str]) -> str:
    """Entity label: the mention's own label, else its actor's type, else its mention type."""
    return mention.label or types.get(mention.actor or "") or mention.type or "MENTION"
