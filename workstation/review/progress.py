"""The supervisor's overview of who has done what, and how fast."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from workstation.store.models import GOLD, Annotator, Assignment, Event, Mention, Stance

WORK_GAP = timedelta(minutes=30)
"""A longer pause between two items is a break (or another day), not work time."""
MEASURED_ENOUGH = 1 / 60
"""Hours of measured work below which no rate is given: an imported layer, whose items were all
created within seconds, would otherwise show millions of items per hour."""


@dataclass(frozen=True)
class AnnotatorProgress:
    name: str
    assigned: int
    done: int
    in_progress: int
    items: int
    """Mentions, stances and events in the annotator's layers."""
    hours: float
    items_per_hour: float | None
    """None until a minute of work is measured (see MEASURED_ENOUGH)."""
    last_activity: datetime | None
    """UTC, like every timestamp in the store."""

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "hours": round(self.hours, 2),
                "items_per_hour": None if self.items_per_hour is None else round(self.items_per_hour, 1),
                "last_activity": self.last_activity.isoformat(sep=" ", timespec="minutes")
                if self.last_activity else None}

    def line(self) -> str:
        rate = "no rate yet" if self.items_per_hour is None else f"{self.items_per_hour:.1f} items/hour"
        last = self.last_activity.strftime("%Y-%m-%d %H:%M UTC") if self.last_activity else "never"
        return (f"{self.name}: {self.done}/{self.assigned} done, {self.in_progress} in progress, {self.items} items, "
                f"{rate} over {self.hours:.1f} h, last active {last}")


def _hours_worked(times: list[datetime]) -> float:
    """Sum of the gaps between consecutive items shorter than WORK_GAP.

    The store keeps no sessions or clock-ins, only when each item was made;
    gaps above WORK_GAP are taken as breaks and left out, so the time spent on
    the first item of each sitting is not counted.
    """
    times = sorted(times)
    gaps = (later - earlier for earlier, later in zip(times, times[1:]))
    return sum((gap for gap in gaps if gap < WORK_GAP), timedelta()).total_seconds() / 3600


def progress(session: Session) -> list[AnnotatorProgress]:
    """One entry per annotator except gold, by name; annotators with neither an assignment nor an item
    (the app registers its user before any edit) are left out, as they are from the layer choices."""
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    last: dict[str, datetime] = {}
    for annotator_id, status, count, updated in session.execute(
            select(Assignment.annotator_id, Assignment.status, func.count(), func.max(Assignment.updated_at))
            .group_by(Assignment.annotator_id, Assignment.status)):
        statuses[annotator_id][status] = count
        last[annotator_id] = max(updated, last.get(annotator_id, updated))
    created: dict[str, list[datetime]] = defaultdict(list)
    items = union_all(*(select(model.annotator_id, model.created_at, model.updated_at)
                        for model in (Mention, Stance, Event))).subquery()
    for annotator_id, created_at, updated_at in session.execute(select(items)):
        created[annotator_id].append(created_at)
        latest = max(created_at, updated_at)
        last[annotator_id] = max(latest, last.get(annotator_id, latest))
    result = []
    for annotator_id, name in session.execute(select(Annotator.id, Annotator.name).where(Annotator.name != GOLD)
                                              .order_by(Annotator.name)):
        counts, times = statuses[annotator_id], created[annotator_id]
        if not counts and not times:
            continue
        hours = _hours_worked(times)
        rate = len(times) / hours if hours >= MEASURED_ENOUGH else None
        result.append(AnnotatorProgress(name, counts.total(), counts["done"], counts["in_progress"], len(times),
                                        hours, rate, last.get(annotator_id)))
    return result
