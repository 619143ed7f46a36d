"""SQLAlchemy models: the whole data model of DESIGN.md §3.

Ids are UUID strings so that work done on different laptops merges without
collisions. Offsets are code points, end exclusive. Every annotation table
carries (document_id, annotator_id): the pair is the layer, and it is indexed.
Items imported from files keep the id they had there in `external_id`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from workstation.core.records import GOLD as GOLD  # where the store and the UI have always found it
from workstation.core.records import STATUSES as STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("annotator", "supervisor")
ORIGINS = ("manual", "suggested", "imported")


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class ProjectInfo(Base):
    """Key/value facts about the project: schema JSON, settings, app version that last wrote."""

    __tablename__ = "project_info"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Annotator(Base):
    __tablename__ = "annotator"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String, unique=True)
    role: Mapped[str] = mapped_column(String, default="annotator")
    __table_args__ = (CheckConstraint("role IN ('annotator', 'supervisor')", name="role"),)


class Document(Base):
    __tablename__ = "document"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    external_id: Mapped[str | None] = mapped_column(String)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String, unique=True)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String)
    date_raw: Mapped[str | None] = mapped_column(Text)
    date_ambiguous: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String, default="en")
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Assignment(Base):
    __tablename__ = "assignment"
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    annotator_id: Mapped[str] = mapped_column(ForeignKey("annotator.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String, default="new")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done', 'skipped')", name="status"),
        Index(None, "annotator_id", "status"),
    )


class Actor(Base):
    """Project-wide registry entry; never hard-deleted once referenced (merges set merged_into)."""

    __tablename__ = "actor"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    external_id: Mapped[str | None] = mapped_column(String)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String)
    kind: Mapped[str | None] = mapped_column(String)
    country: Mapped[str | None] = mapped_column(String)
    code: Mapped[str | None] = mapped_column(String)
    aliases: Mapped[list[str]] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("actor.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Raised by every edit: an edit made on an older version is refused (`editing/commands.py`)."""
    __table_args__ = (Index(None, "name"),)


class _LayerItem:
    """Columns shared by every annotation table: identity, layer and timestamps."""

    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    external_id: Mapped[str | None] = mapped_column(String)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[str] = mapped_column(ForeignKey("annotator.id"))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Raised by every edit: an edit made on an older version is refused (`editing/commands.py`)."""


class Mention(_LayerItem, Base):
    __tablename__ = "mention"
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String)
    mention_type: Mapped[str | None] = mapped_column(String)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("actor.id"))
    origin: Mapped[str] = mapped_column(String, default="manual")
    suggester: Mapped[str | None] = mapped_column(String)
    """What suggested an accepted suggestion ("registry", a model's name); None for other origins."""
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="span"),
        CheckConstraint("origin IN ('manual', 'suggested', 'imported')", name="origin"),
        Index("ix_mention_layer_spans", "document_id", "annotator_id", "start", "end", "label", "mention_type",
              "actor_id", "id", "version"),
        Index(None, "actor_id"),
    )


class Stance(_LayerItem, Base):
    __tablename__ = "stance"
    holder_id: Mapped[str] = mapped_column(ForeignKey("actor.id"))
    target_id: Mapped[str | None] = mapped_column(ForeignKey("actor.id"))
    issue: Mapped[str | None] = mapped_column(Text)
    issue_position: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String)
    polarity: Mapped[int] = mapped_column(Integer)
    strength: Mapped[int] = mapped_column(Integer, default=2)
    implicit_target: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint("strength BETWEEN 1 AND 3", name="strength"),
        CheckConstraint("polarity IN (-1, 0, 1)", name="polarity"),
        Index(None, "document_id", "annotator_id"),
    )


class Event(_LayerItem, Base):
    __tablename__ = "event"
    type: Mapped[str] = mapped_column(String)
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    date: Mapped[str | None] = mapped_column(String)
    origin: Mapped[str] = mapped_column(String, default="manual", server_default="manual")
    suggester: Mapped[str | None] = mapped_column(String)
    __table_args__ = (
        CheckConstraint("trigger_start >= 0 AND trigger_end > trigger_start", name="trigger"),
        CheckConstraint("origin IN ('manual', 'suggested', 'imported')", name="origin"),
        Index(None, "document_id", "annotator_id"),
    )


class EventArgument(Base):
    """A role filled by a mention or, when no mention fits, by a free span."""

    __tablename__ = "event_argument"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String)
    mention_id: Mapped[str | None] = mapped_column(ForeignKey("mention.id", ondelete="CASCADE"))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint(
            "(mention_id IS NOT NULL AND start IS NULL AND \"end\" IS NULL)"
            " OR (mention_id IS NULL AND start IS NOT NULL AND \"end\" > start)",
            name="filler",
        ),
        Index(None, "event_id"),
        Index(None, "mention_id"),
    )


class EventRelation(Base):
    __tablename__ = "event_relation"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    external_id: Mapped[str | None] = mapped_column(String)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[str] = mapped_column(ForeignKey("annotator.id"))
    type: Mapped[str] = mapped_column(String)
    from_event_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    to_event_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    __table_args__ = (
        UniqueConstraint("type", "from_event_id", "to_event_id"),
        Index(None, "document_id", "annotator_id"),
        Index(None, "from_event_id"),
        Index(None, "to_event_id"),
    )


class MentionRelation(_LayerItem, Base):
    """A typed link between two mentions of one layer (brat's R and * lines: Located, Family, Alias...)."""

    __tablename__ = "mention_relation"
    type: Mapped[str] = mapped_column(String)
    from_mention_id: Mapped[str] = mapped_column(ForeignKey("mention.id", ondelete="CASCADE"))
    to_mention_id: Mapped[str] = mapped_column(ForeignKey("mention.id", ondelete="CASCADE"))
    __table_args__ = (
        UniqueConstraint("type", "from_mention_id", "to_mention_id"),
        Index(None, "document_id", "annotator_id"),
        Index(None, "from_mention_id"),
        Index(None, "to_mention_id"),
    )


class PackageSync(Base):
    """What a work package's layer looked like when it last met the project: one digest per unit.

    In a package file the rows describe the layer as cut (the base of a three-way
    merge); in the project, the layer as last merged, so that merging the same
    package again, or a later state of it, compares against what the project
    already took in rather than against the cut. A null digest is a unit the
    package had deleted.
    """

    __tablename__ = "package_sync"
    package_id: Mapped[str] = mapped_column(String, primary_key=True)
    unit: Mapped[str] = mapped_column(String, primary_key=True)
    digest: Mapped[str | None] = mapped_column(String)


class MergeConflict(Base):
    """A unit changed both in the project and in a package: the version that lost, kept for review."""

    __tablename__ = "merge_conflict"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    package_id: Mapped[str] = mapped_column(String)
    unit: Mapped[str] = mapped_column(String)
    kept: Mapped[str] = mapped_column(String)
    other: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (
        CheckConstraint("kept IN ('project', 'package')", name="kept"),
        UniqueConstraint("package_id", "unit"),
    )


class RejectedSuggestion(Base):
    """A suggestion the annotator turned down in a document's layer: that span is not suggested there again.

    Kept apart from the layers (never exported, merged or compared): it records the annotator's work with the
    suggesters, not an annotation."""

    __tablename__ = "rejected_suggestion"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[str] = mapped_column(ForeignKey("annotator.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String)
    """The suggested mention type (NAME) or event type."""
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String)
    rejected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index(None, "document_id", "annotator_id"),)


class ForgottenName(Base):
    """A name the registry learned from the work (a NAME mention's words) that the user removed from an actor's
    names for suggestions; the mentions themselves stay."""

    __tablename__ = "forgotten_name"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=new_id)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("actor_id", "name"),)


class TrainedModel(Base):
    """A spaCy pipeline trained on the project's layers, kept in `<project>.models/<name>/` (see `archive`)."""

    __tablename__ = "trained_model"
    name: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    layers: Mapped[list[str]] = mapped_column(default=list)
    sizes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Documents, sentences and spans in the train and held-out parts."""
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Precision, recall and F1 per label on the held-out part."""
    archive: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, default=None)
    """On a server project, the model's folder as a gzipped tar, which each client unpacks into its own cache (a
    file project keeps the folder beside the file)."""


class DocumentTokens(Base):
    """A document's tokens as the blank spaCy pipeline of its language cuts them, stored at import: the token
    exports (CoNLL, Prodigy) read them instead of importing spaCy and tokenizing every text again, which cost
    more than all else they do. `tokenizer` names the spaCy version, language and layout that made `tokens`;
    rows made by another are not used (see `nlp.token_table`)."""

    __tablename__ = "document_tokens"
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    tokenizer: Mapped[str] = mapped_column(String)
    tokens: Mapped[bytes] = mapped_column(LargeBinary)
