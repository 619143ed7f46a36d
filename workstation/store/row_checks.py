"""The checks every row passes before it is written, whatever brought it: an import or a merged package.

Import files and returned packages are both edited outside the app, so both go through these same checks:
offsets inside the text, types, labels, roles and attributes of the schema, values the tables allow, real
calendar dates, actor merges that end at a known actor. A failed check is a `UserError` naming the item.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from workstation.core.errors import SchemaViolation, UserError
from workstation.core.schema import Schema
from workstation.store.models import ORIGINS, STATUSES

ISO_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def schema_check(where: str, check: Callable[..., Any], *args: Any) -> Any:
    """Run a schema check; its violation becomes a user error naming the item."""
    try:
        return check(*args)
    except SchemaViolation as violation:
        raise UserError(f"{where}: {violation}") from None


def check_date(where: str, value: str | None) -> None:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day: exports turn it into a calendar date."""
    if value is None:
        return
    found = ISO_PARTIAL_DATE.match(value)
    if found is None:
        raise UserError(f"{where}: date must be YYYY, YYYY-MM or YYYY-MM-DD, got '{value}'")
    year, month, day = (int(part) if part else 1 for part in found.groups())
    try:
        date(year, month, day)
    except ValueError as error:
        raise UserError(f"{where}: '{value}' is not a date ({error})") from None


def check_merge_chains(merged_into: Mapping[str, str | None], starts: Iterable[str],
                       name: Callable[[str], str]) -> None:
    """From each actor of `starts`, `merged_into` names another known actor and the chain ends: a loop or a
    dangling merge would take actors out of the registry without a place to find them."""
    for actor in starts:
        target, seen = merged_into[actor], {actor}
        while target is not None:
            if target not in merged_into:
                raise UserError(f"actor {name(actor)}: merged into an unknown actor '{name(target)}'")
            if target in seen:
                what = "itself" if merged_into[actor] == actor else "a loop of actors"
                raise UserError(f"actor {name(actor)}: merged into {what}")
            seen.add(target)
            target = merged_into[target]


class RowChecks:
    """Value checks of table rows as stored (ids already resolved, JSON values decoded)."""

    def __init__(self, schema: Schema):
        self.schema = schema

    @staticmethod
    def span(where: str, start: Any, end: Any, length: int) -> None:
        if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end:
            raise UserError(f"{where}: bad offsets {start}-{end} (need 0 <= start < end)")
        if end > length:
            raise UserError(f"{where}: offsets {start}-{end} are past the end of the text ({length} characters)")

    @staticmethod
    def status(where: str, status: Any) -> None:
        if status not in STATUSES:
            raise UserError(f"{where}: unknown status '{status}' (allowed: {', '.join(STATUSES)})")

    @staticmethod
    def attributes(where: str, value: Any) -> None:
        if not isinstance(value, dict):
            raise UserError(f"{where}: attributes must be an object, got {value!r:.40}")

    def actor(self, where: str, row: Mapping[str, Any]) -> None:
        schema_check(where, self.schema.check_entity_type, row["type"])
        schema_check(where, self.schema.check_actor_kind, row["kind"])
        if not isinstance(row["name"], str):
            raise UserError(f"{where}: an actor's name must be a text")
        aliases = row["aliases"]
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise UserError(f"{where}: aliases must be a list of strings")

    def mention(self, where: str, row: Mapping[str, Any], length: int) -> None:
        self.span(where, row["start"], row["end"], length)
        schema_check(where, self.schema.check_mention_type, row["mention_type"])
        if row["label"] is not None:
            schema_check(where, self.schema.check_entity_type, row["label"])
        _check_origin(where, row)
        self.attributes(where, row["attributes"])

    def stance(self, where: str, row: Mapping[str, Any], length: int) -> int:
        """Returns the label's polarity (the schema fixes it)."""
        polarity = schema_check(where, self.schema.check_stance_label, row["label"])
        strength = row["strength"]
        if not isinstance(strength, int) or isinstance(strength, bool) or not 1 <= strength <= 3:
            raise UserError(f"{where}: strength must be 1, 2 or 3, got {strength}")
        if row["issue_position"] not in (None, -1, 1):
            raise UserError(f"{where}: issue_position must be -1, 1 or null, got {row['issue_position']}")
        if row["evidence_start"] is not None or row["evidence_end"] is not None:
            self.span(f"{where} evidence", row["evidence_start"], row["evidence_end"], length)
        self.attributes(where, row["attributes"])
        return polarity

    def event(self, where: str, row: Mapping[str, Any], length: int) -> None:
        schema_check(where, self.schema.check_event_type, row["type"])
        self.span(where, row["trigger_start"], row["trigger_end"], length)
        _check_origin(where, row)
        self.attributes(where, row["attributes"])
        schema_check(where, self.schema.check_event_attributes, row["type"], row["attributes"])
        check_date(where, row["date"])

    def argument(self, where: str, event_type: str, row: Mapping[str, Any], length: int) -> None:
        schema_check(where, self.schema.check_role, event_type, row["role"])
        if row["mention_id"] is None:
            self.span(f"{where} {row['role']}", row["start"], row["end"], length)

    def relation(self, where: str, relation_type: Any) -> None:
        schema_check(where, self.schema.check_relation_type, relation_type)


def _check_origin(where: str, row: Mapping[str, Any]) -> None:
    if row.get("origin", "imported") not in ORIGINS:
        raise UserError(f"{where}: unknown origin '{row['origin']}' (allowed: {', '.join(sorted(ORIGINS))})")
