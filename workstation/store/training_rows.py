"""What a model learns from: the documents of some layers with their NAME mentions' spans and labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.errors import UserError
from workstation.store.document_reader import ROWID
from workstation.store.id_batches import id_batches
from workstation.store.models import Annotator, Document, Mention
from workstation.store.suggestion_names import NAME


@dataclass(frozen=True)
class LabelledText:
    document_id: str
    text: str
    language: str
    spans: tuple[tuple[int, int, str], ...]
    """(start, end, label) in code points, in text order, without duplicates across layers."""


def labelled_texts(session: Session, layers: Sequence[str]) -> list[LabelledText]:
    """Every document with at least one labelled NAME mention in one of the layers, in import order."""
    ids: dict[str, str] = {name: annotator_id for name, annotator_id in session.execute(
        select(Annotator.name, Annotator.id).where(Annotator.name.in_(layers)))}
    missing = [layer for layer in layers if layer not in ids]
    if missing:
        raise UserError(f"there is no layer '{missing[0]}' in the project")
    rows = session.execute(
        select(Mention.document_id, Mention.start, Mention.end, Mention.label)
        .where(Mention.annotator_id.in_(ids.values()), Mention.label.is_not(None),
               (Mention.mention_type == NAME) | Mention.mention_type.is_(None)))
    spans: dict[str, set[tuple[int, int, str]]] = {}
    for document_id, start, end, label in rows:
        spans.setdefault(document_id, set()).add((start, end, label))
    found = [row for batch in id_batches(spans) for row in session.execute(
        select(ROWID, Document.id, Document.text, Document.language).where(Document.id.in_(batch)))]
    return [LabelledText(document_id, text, language, tuple(sorted(spans[document_id])))
            for _, document_id, text, language in sorted(found)]
