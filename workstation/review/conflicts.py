"""Merge conflicts reviewed (DESIGN.md §8): each recorded conflict shown with both versions, and resolved.

A merge keeps the newer of two versions of a unit and records the other in
`merge_conflict`. Here the supervisor sees both: the version standing in the
project and the recorded one, field by field. "Keep this" accepts the standing
version; "take the other" puts the recorded version in its place (for an
event, with its arguments and the relations leading out of it). Either way
the record goes, so the conflict leaves the list, and both are one undoable
step that brings the record back.

Rows are moved as an SQLite file stores them (raw SQL, as the merge wrote them, on either backend), so a
version taken back is exactly the version that was recorded, and the package's
digests, which the next merge compares against, stay true: merging the same
package again finds nothing new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from workstation.core.errors import UserError
from workstation.editing.commands import DEPENDENTS, Changes, Command
from workstation.review.layer_units import Row, columns, load_units
from workstation.review.merge import RawWriter
from workstation.store.project import Database, core_connection

SHOWN = {
    "actor": ("name", "type", "kind", "country", "code", "aliases", "merged_into"),
    "assignment": ("status",),
    "mention": ("start", "end", "mention_type", "label", "actor_id", "attributes"),
    "stance": ("label", "holder_id", "target_id", "issue", "strength", "evidence_start", "evidence_end",
               "attributes"),
    "mention_relation": ("type", "from_mention_id", "to_mention_id", "attributes"),
    "event": ("type", "trigger_start", "trigger_end", "date", "attributes"),
}
"""The fields a supervisor compares, per unit table; an event adds its arguments and relations."""
CONFLICT_COLUMNS = ("id", "package_id", "unit", "kept", "other", "recorded_at")


@dataclass(frozen=True)
class Side:
    """One version of a conflicting unit: its fields as shown, and when it was last changed."""

    fields: dict[str, str]
    changed_at: str


@dataclass(frozen=True)
class OpenConflict:
    id: str
    package_id: str
    unit: str
    what: str
    """Kind and label, e.g. "mention NOMINAL"."""
    where: str
    """Document title and the covered text, or the registry for an actor."""
    who: str
    """Whose layer (the annotator), or "registry"."""
    recorded_at: str
    kept: str
    """Whose version the merge kept: "project" or "package"."""
    standing: Side | None
    """The version now in the project (None: the project has deleted the unit)."""
    recorded: Side | None
    """The version the merge set aside (None: that side had deleted it)."""

    def differing(self) -> set[str]:
        sides = [side.fields if side else {} for side in (self.standing, self.recorded)]
        return {name for name in sides[0].keys() | sides[1].keys() if sides[0].get(name) != sides[1].get(name)}

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "package": self.package_id, "unit": self.unit, "what": self.what,
                "where": self.where, "who": self.who, "recorded_at": self.recorded_at, "kept": self.kept,
                "standing": None if self.standing is None else vars(self.standing),
                "recorded": None if self.recorded is None else vars(self.recorded),
                "differing": sorted(self.differing())}


def _record(writer: RawWriter, conflict_id: str) -> dict[str, Any]:
    quoted = ", ".join(CONFLICT_COLUMNS)
    found = writer.fetch(f"SELECT {quoted} FROM merge_conflict WHERE substr(id, 1, ?) = ?",
                         (len(conflict_id), conflict_id))
    if not found:
        raise UserError(f"there is no open conflict {conflict_id!r} (resolved already, or never recorded)")
    if len(found) > 1:
        raise UserError(f"{conflict_id!r} starts the ids of {len(found)} conflicts: give more of it")
    return dict(zip(CONFLICT_COLUMNS, found[0], strict=True))


def _recorded_rows(record: dict[str, Any]) -> list[Row]:
    other = json.loads(record["other"]) if isinstance(record["other"], str) else record["other"]
    return [(table, row) for table, row in other.get("rows", [])]


def _standing_rows(writer: RawWriter, unit: str, recorded: list[Row]) -> list[Row]:
    """The unit as the project holds it now (own row, then an event's arguments and relations); [] if gone."""
    table, key = unit.split(":", 1)
    if table == "actor":
        found = load_units(writer.fetch, "", []).get(unit)
        return list(found.rows) if found else []
    if recorded:
        annotator, document = recorded[0][1]["annotator_id"], recorded[0][1]["document_id"]
    else:
        located = writer.fetch(f'SELECT annotator_id, document_id FROM "{table}" WHERE id = ?', (key,))
        if not located:
            return []
        annotator, document = located[0]
    found = load_units(writer.fetch, annotator, [document]).get(unit)
    return list(found.rows) if found else []


def _shown(writer: RawWriter, rows: list[Row], names: dict[str, str]) -> Side | None:
    if not rows:
        return None
    table, row = rows[0]
    fields = {_field(name): _value(row[name], names) for name in SHOWN[table]
              if row.get(name) not in (None, "", "{}", "[]")}
    for child, child_row in rows[1:]:
        if child == "event_argument":
            filler = (_covered(writer, child_row["mention_id"]) if child_row["mention_id"]
                      else f"{child_row['start']}–{child_row['end']}")
            fields[f"argument {child_row['position'] + 1}"] = f"{child_row['role']} = {filler}"
        else:
            fields[f"relation {child_row['type']}"] = f"to event {child_row['to_event_id'][:8]}"
    return Side(fields, str(row.get("updated_at") or ""))


def _field(column: str) -> str:
    """A column as a reader names it: mention_type → mention type, actor_id → actor."""
    return column.removesuffix("_id").replace("_", " ")


def _value(value: Any, names: dict[str, str]) -> str:
    return names.get(value, str(value)) if isinstance(value, str) else str(value)


def _covered(writer: RawWriter, mention_id: str) -> str:
    found = writer.fetch('SELECT substr(d.text, m.start + 1, m."end" - m.start) FROM mention m JOIN document d '
                         'ON d.id = m.document_id WHERE m.id = ?', (mention_id,))
    return f"“{found[0][0]}”" if found else "a mention no longer there"


def _where(writer: RawWriter, rows: list[Row]) -> tuple[str, str]:
    table, row = rows[0]
    if table == "actor":
        return "the actor registry", "registry"
    annotator = writer.fetch("SELECT name FROM annotator WHERE id = ?", (row["annotator_id"],))
    found = writer.fetch("SELECT title, text FROM document WHERE id = ?", (row["document_id"],))
    title, text = found[0] if found else ("?", "")
    span = {"mention": ("start", "end"), "event": ("trigger_start", "trigger_end"),
            "stance": ("evidence_start", "evidence_end")}.get(table)
    covered = ""
    if span and row.get(span[0]) is not None:
        covered = f": “{text[row[span[0]]:row[span[1]]]}” at {row[span[0]]}–{row[span[1]]}"
    return f"{title}{covered}", annotator[0][0] if annotator else "?"


def _describe(rows: list[Row]) -> str:
    table, row = rows[0]
    if table == "actor":
        return f"actor {row['name']}"
    if table == "mention":
        label = " · ".join(part for part in (row["mention_type"], row["label"]) if part)
    else:
        label = row.get("label") or row.get("type") or row.get("status") or ""
    return f"{table.replace('_', ' ')} {label}".strip()


def open_conflicts(session: Session) -> list[OpenConflict]:
    """Every recorded conflict not yet resolved, oldest first."""
    writer = RawWriter(core_connection(session))
    names = dict(writer.fetch("SELECT id, name FROM actor"))
    conflicts = []
    quoted = ", ".join(CONFLICT_COLUMNS)
    for values in writer.fetch(f"SELECT {quoted} FROM merge_conflict ORDER BY recorded_at, unit"):
        record = dict(zip(CONFLICT_COLUMNS, values, strict=True))
        recorded = _recorded_rows(record)
        standing = _standing_rows(writer, record["unit"], recorded)
        either = standing or recorded
        where, who = _where(writer, either)
        conflicts.append(OpenConflict(record["id"], record["package_id"], record["unit"], _describe(either), where,
                                      who, str(record["recorded_at"]), record["kept"],
                                      _shown(writer, standing, names), _shown(writer, recorded, names)))
    return conflicts


def format_conflicts(conflicts: list[OpenConflict]) -> str:
    """Each conflict on a line, then the fields where its versions differ, standing version first."""
    lines = []
    for conflict in conflicts:
        lines.append(f"{conflict.id[:8]}  {conflict.what} — {conflict.where} — {conflict.who} — recorded "
                     f"{conflict.recorded_at[:19]}, the merge kept the {conflict.kept}'s version")
        for name in sorted(conflict.differing()):
            standing, recorded = ((side.fields.get(name, "—") if side else "(deleted)")
                                  for side in (conflict.standing, conflict.recorded))
            lines.append(f"    {name}: standing {standing} | other {recorded}")
    return "\n".join(lines) or "no open conflicts"


def count_open(session: Session) -> int:
    return int(RawWriter(core_connection(session)).fetch("SELECT count(*) FROM merge_conflict")[0][0])


def _dependents(writer: RawWriter, table: str, item_id: str, unit: list[Row]) -> list[Row]:
    """Rows outside the unit that deleting its row would take with it (the delete cascades), to bring back."""
    inside = {row["id"] for _, row in unit}
    rows: list[Row] = []
    for dependent, column in DEPENDENTS.get(table, []):
        names = columns(dependent)
        quoted = ", ".join(f'"{name}"' for name in names)
        rows += [(dependent, dict(zip(names, values, strict=True))) for values in writer.fetch(
            f'SELECT {quoted} FROM "{dependent}" WHERE "{column}" = ?', (item_id,))]
    return [(name, row) for name, row in rows if row["id"] not in inside]


class ResolveConflict(Command):
    """Put one version of a unit in place of the other and drop the conflict record; undo restores both."""

    def __init__(self, text: str, record: dict[str, Any], before: list[Row], after: list[Row]):
        self.text, self.record, self.before, self.after = text, record, before, after
        first = (after or before or [("", {})])[0][1]
        self.document_id = first.get("document_id")

    def _changes(self, resolved: bool) -> Changes:
        """The unit's row, and the conflict record gone (or back): the status bar counts open conflicts from it."""
        table, key = self.record["unit"].split(":", 1)
        record = frozenset({("merge_conflict", self.record["id"])})
        return Changes(self.document_id if table != "actor" else None, added=frozenset() if resolved else record,
                       removed=record if resolved else frozenset(), updated=frozenset({(table, key)}))

    def do(self, session: Database) -> Changes:
        writer = RawWriter(core_connection(session))
        _replace(writer, self.before, self.after)
        writer.execute("DELETE FROM merge_conflict WHERE id = ?", (self.record["id"],))
        return self._changes(resolved=True)

    def undo(self, session: Database) -> Changes:
        writer = RawWriter(core_connection(session))
        _replace(writer, self.after, self.before)
        record = {**self.record, "other": self.record["other"] if isinstance(self.record["other"], str)
                  else json.dumps(self.record["other"], ensure_ascii=False)}
        writer.execute(
            f"INSERT INTO merge_conflict ({', '.join(CONFLICT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
            tuple(record[name] for name in CONFLICT_COLUMNS))
        return self._changes(resolved=False)


def _replace(writer: RawWriter, old: list[Row], new: list[Row]) -> None:
    """The unit's rows `old` (as they stand) become `new`: the own row updated in place (nothing cascades),
    deleted when `new` has none; children that are not in `new` deleted; then `new`'s rows written."""
    if old and not new:
        table, row = old[0]
        writer.delete(table, "id", [row["id"]])
        return
    ids = {row["id"] for _, row in new if "id" in row}
    for table, row in old[1:]:
        if row["id"] not in ids:
            writer.delete(table, "id", [row["id"]])
    for table, row in new:
        writer.upsert(table, [row])


def resolve(session: Session, conflict_id: str, take_other: bool) -> Command:
    """Keep the standing version, or take the recorded one instead; either way the conflict is resolved."""
    writer = RawWriter(core_connection(session))
    record = _record(writer, conflict_id)
    if not take_other:
        return ResolveConflict(f"Keep the {record['kept']}'s version", record, [], [])
    recorded = _recorded_rows(record)
    standing = _standing_rows(writer, record["unit"], recorded)
    if standing and not recorded:
        table, row = standing[0]
        standing = standing + _dependents(writer, table, row["id"], standing)
    if recorded:
        recorded = _present(writer, recorded)
    other = "package" if record["kept"] == "project" else "project"
    return ResolveConflict(f"Take the {other}'s version", record, standing, recorded)


def _present(writer: RawWriter, rows: list[Row]) -> list[Row]:
    """The recorded rows whose references still exist (an argument's mention, a relation's target event):
    a version is taken as far as the project can hold it, as a merge does."""
    kept = [rows[0]]
    for table, row in rows[1:]:
        reference = {"event_argument": ("mention", row.get("mention_id")),
                     "event_relation": ("event", row.get("to_event_id"))}.get(table)
        if reference and reference[1] and not writer.existing(reference[0], [reference[1]]):
            continue
        kept.append((table, row))
    return kept
