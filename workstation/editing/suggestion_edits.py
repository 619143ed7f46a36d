"""Accepting and rejecting suggestions, and removing a name the registry learned: each an undoable command.

An accepted suggestion is an ordinary mention (or event) with `origin = "suggested"` and its suggester's name,
so it is exported, compared and merged like any other. A rejection is remembered for the document's layer
(undo forgets it), so the same span is not suggested there again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.suggestions import EVENT_SUGGESTION, Suggestion
from workstation.editing.annotations import EditRefused, Layer
from workstation.editing.commands import Command, InsertRows, Sequence, UpdateRow
from workstation.store.models import Actor, ForgottenName, new_id, utcnow


def accept(layer: Layer, suggestion: Suggestion) -> Command:
    """A mention (linked to the suggested actor, else labelled as the model labelled it), or an event of the
    suggested type on the trigger, without arguments yet."""
    if suggestion.kind == EVENT_SUGGESTION:
        command = layer.create_event(suggestion.type, (suggestion.start, suggestion.end), suggester=suggestion.source)
    else:
        command = layer.create_mention(suggestion.start, suggestion.end, suggestion.type, suggestion.actor_id,
                                       label=suggestion.label if suggestion.actor_id is None else None,
                                       suggester=suggestion.source)
    command.text = f"Accept {suggestion.type} suggestion"
    return command


def accept_all(layer: Layer, suggestions: list[Suggestion], what: str) -> Command:
    """Every suggestion as one undo step (`what` names them in the Undo menu)."""
    if not suggestions:
        raise EditRefused(f"no suggestions of {what} left in this document")
    return Sequence(f"Accept {len(suggestions)} suggestion(s) of {what}",
                    [accept(layer, suggestion) for suggestion in suggestions], layer.document_id)


def reject(layer: Layer, suggestion: Suggestion) -> Command:
    row = {"id": new_id(), "document_id": layer.document_id, "annotator_id": layer.annotator_id,
           "start": suggestion.start, "end": suggestion.end, "type": suggestion.type,
           "actor_id": suggestion.actor_id, "source": suggestion.source, "rejected_at": utcnow()}
    return InsertRows(f"Reject {suggestion.type} suggestion", [("rejected_suggestion", row)], layer.document_id)


def forget_name(session: Session, actor_id: str, name: str) -> Command:
    """The registry stops suggesting the actor by a name it learned; the mentions it learned it from stay. The
    actor counts as edited, so that whatever shows its names (the registry panel, the suggester) reads them
    again."""
    actor_name = session.scalar(select(Actor.name).where(Actor.id == actor_id))
    if actor_name is None:
        raise EditRefused("that actor is not in the registry")
    if session.scalar(select(ForgottenName.id).where(ForgottenName.actor_id == actor_id, ForgottenName.name == name)):
        raise EditRefused(f"'{name}' is already removed from {actor_name}'s names")
    text = f"Remove learned name {name}"
    forget = InsertRows(text, [("forgotten_name", {"id": new_id(), "actor_id": actor_id, "name": name})])
    return Sequence(text, [forget, UpdateRow(session, "Touch actor", "actor", actor_id, {})])
