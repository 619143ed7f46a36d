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


class _Sittings:
    """One annotator's items in creation order, added up as they stream from the database (holding the time of
    each of 500,000 items took 250 MB): how many, the work time between them, the last activity.

    The store keeps no sessions or clock-ins, only when each item was made; gaps above WORK_GAP are taken as
    breaks and left out, so the time spent on the first item of each sitting is not counted.
    """

    def __init__(self) -> None:
        self.items, self.worked = 0, timedelta()
        self.previous: datetime | None = None
        self.last: datetime | None = None

    def add(self, created: datetime, updated: datetime) -> None:
        if self.previous is not None and created - self.previous < WORK_GAP:
            self.worked += created - self.previous
        self.items, self.previous = self.items + 1, created
        latest = max(created, updated)
        self.last = latest if self.last is None else max(self.last, latest)

    @property
    def hours(self) -> float:
        return self.worked.total_seconds() / 3600


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
    sittings: dict[str, _Sittings] = defaultdict(_Sittings)
    items = union_all(*(select(model.annotator_id, model.created_at, model.updated_at)
                        for model in (Mention, Stance, Event))).subquery()
    ordered = (select(items).order_by(items.c.annotator_id, items.c.created_at)
               .execution_options(stream_results=True, max_row_buffer=10_000))
    for annotator_id, created_at, updated_at in session.connection().execute(ordered):
        sittings[annotator_id].add(created_at, updated_at)
    result = []
    for annotator_id, name in session.execute(select(Annotator.id, Annotator.name).where(Annotator.name != GOLD)
                                              .order_by(Annotator.name)):
        counts, work = statuses[annotator_id], sittings.get(annotator_id, _Sittings())
        if not counts and not work.items:
            continue
        rate = work.items / work.hours if work.hours >= MEASURED_ENOUGH else None
        lasts = [time for time in (last.get(annotator_id), work.last) if time is not None]
        result.append(AnnotatorProgress(name, counts.total(), counts["done"], counts["in_progress"], work.items,
                                        work.hours, rate, max(lasts) if lasts else None))
    return result
