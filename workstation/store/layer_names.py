"""Which layers a project holds: annotators whose layer has a status or an item."""

from __future__ import annotations

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from workstation.store.models import Annotator, Assignment, Event, Mention, Stance


def layer_names(session: Session) -> list[str]:
    """Opening the app registers its user as an annotator before any edit; such an empty layer is
    not offered for viewing or export."""
    used = union(*(select(model.annotator_id) for model in (Assignment, Mention, Event, Stance)))
    return list(session.scalars(select(Annotator.name).where(Annotator.id.in_(used)).order_by(Annotator.name)))
