"""Merge returned work packages into the project (DESIGN.md §8): idempotent, order-independent, three-way.

For every unit (see layer_units) three versions meet: the package's, the
project's, and the base, which is what the project last took in from this
package or, the first time, the layer as cut. Only a package version that
differs from the base is news; it is taken when the project still holds the
base, and is a conflict when the project changed too. A conflict keeps the
newer version (by last change, ties broken by digest so the outcome never
depends on the order of packages), and the other one is recorded in
`merge_conflict`. After a merge the package's state becomes its base, so
merging it again finds nothing new, and a conflict is recorded once.

All packages are checked before anything is written, and they merge in one
transaction: a bad package, an error or a cancel leaves the project as it was.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.text import folded
from workstation.editing.commands import new_version
from workstation.review.layer_units import JSON_COLUMNS, Row, Unit, columns, load_units
from workstation.review.package_file import PackageFile, check_against, open_package
from workstation.review.packages import take_packages_turn
from workstation.review.stored_rows import StoredRows
from workstation.store.models import new_id, utcnow
from workstation.store.project import Project
from workstation.store.row_checks import RowChecks, check_merge_chains

MERGED = "merged"
"""package_sync marker unit: the project has taken this package in at least once."""
PHASES = ("actor", "assignment", "mention", "event", "stance", "mention_relation")
"""Insert order (references point backwards); deletes run in reverse."""
PRIMARY_KEYS = {"assignment": ("document_id", "annotator_id")}
IN_JSON = "IN (SELECT value FROM json_each(?))"


@dataclass(frozen=True)
class Conflict:
    package: str
    unit: str
    description: str
    kept: str
    """"project" or "package": whose version stands; the other is recorded."""


@dataclass(frozen=True)
class ActorOffer:
    """An actor created offline whose name or alias is another actor's: a merge to offer, never to do silently."""

    new_id: str
    new_name: str
    existing_id: str
    existing_name: str
    shared_name: str


@dataclass
class MergeReport:
    packages: list[str] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    """table → added / changed / deleted."""
    conflicts: list[Conflict] = field(default_factory=list)
    offers: list[ActorOffer] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    """References that could not be kept (an argument whose mention the project deleted)."""
    committed: bool = False

    @property
    def changes(self) -> int:
        return sum(count.total() for count in self.counts.values())

    def summary(self) -> str:
        parts = [f"{table.replace('_', ' ')}: " + ", ".join(f"{n} {what}" for what, n in sorted(count.items()))
                 for table, count in sorted(self.counts.items()) if count]
        verb = "merged" if self.committed else "would merge"
        head = f"{verb} {len(self.packages)} package(s): " + ("; ".join(parts) if parts else "nothing new")
        lines = [head, f"{len(self.conflicts)} conflict(s)"]
        lines += [f"  conflict in {c.package}: {c.description}, kept the {c.kept}'s version" for c in self.conflicts]
        lines += [f"  actor {o.new_name!r} (new) shares the name {o.shared_name!r} with {o.existing_name!r}: "
                  f"merge them in the actor panel if they are the same" for o in self.offers]
        lines += [f"  dropped: {message}" for message in self.dropped]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"packages": self.packages, "committed": self.committed,
                "counts": {table: dict(count) for table, count in sorted(self.counts.items())},
                "conflicts": [vars(conflict) for conflict in self.conflicts],
                "actor_offers": [vars(offer) for offer in self.offers], "dropped": self.dropped}


@dataclass
class _Plan:
    """What one package changes, table by table, before it is written."""

    upserts: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    children: list[Row] = field(default_factory=list)
    replaced_events: list[str] = field(default_factory=list)
    deletes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    conflicts: list[tuple[Unit | None, Unit | None, str]] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)

    def take(self, theirs: Unit | None, ours: Unit | None, report: MergeReport) -> None:
        table = (theirs or ours).table
        if theirs is None:
            self.deletes[table].append(ours.rows[0][1]["id"])
            report.counts[table]["deleted"] += 1
            return
        self.upserts[table].append(theirs.rows[0][1])
        report.counts[table]["changed" if ours else "added"] += 1
        if table == "event":
            self.children += theirs.rows[1:]
            if ours is not None:
                self.replaced_events.append(theirs.rows[0][1]["id"])
        if table == "actor" and ours is None:
            self.new_actors.append(theirs.rows[0][1]["id"])


def _newer(theirs: Unit, ours: Unit) -> bool:
    return (theirs.changed_at, theirs.digest) > (ours.changed_at, ours.digest)


def _plan(theirs: dict[str, Unit], ours: dict[str, Unit], base: dict[str, str | None],
          report: MergeReport) -> _Plan:
    plan = _Plan()
    for key in sorted(set(theirs) | set(base) - {MERGED}):
        mine, home, was = theirs.get(key), ours.get(key), base.get(key)
        new, current = mine and mine.digest, home and home.digest
        if new == current or new == was or (mine is None and key.startswith(("actor:", "assignment:"))):
            continue
        if current == was:
            plan.take(mine, home, report)
        elif mine is not None and (home is None or _newer(mine, home)):
            plan.take(mine, home, report)
            plan.conflicts.append((mine, home, "package"))
        else:
            plan.conflicts.append((mine, home, "project"))
    return plan


def _ordered_actors(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge targets before the actors merged into them (merged_into is a checked reference)."""
    ids = {row["id"] for row in rows}
    placed: set[str] = set()
    ordered: list[dict[str, Any]] = []
    while len(ordered) < len(rows):
        ready = [row for row in rows if row["id"] not in placed and
                 (row["merged_into"] not in ids or row["merged_into"] in placed or row["merged_into"] == row["id"])]
        ready = ready or [row for row in rows if row["id"] not in placed]
        ordered += ready
        placed.update(row["id"] for row in ready)
    return ordered


class RawWriter(StoredRows):
    """The merge's writes on the project's transaction, rows exactly as the package stores them. A row a merge
    writes gets a version of its own: an edit someone made on the version before is refused, as after any
    edit."""

    def upsert(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        names = columns(table)
        if "version" in names:
            rows = [{**row, "version": new_version()} for row in rows]
        keys = PRIMARY_KEYS.get(table, ("id",))
        updates = ", ".join(f'"{name}" = excluded."{name}"' for name in names if name not in keys)
        self.insert(table, names, [tuple(row[name] for name in names) for row in rows],
                    f'ON CONFLICT ({", ".join(keys)}) DO UPDATE SET {updates}')

    def delete(self, table: str, column: str, ids: list[str]) -> None:
        if ids:
            self.execute(f'DELETE FROM "{table}" WHERE "{column}" {IN_JSON}', (json.dumps(ids),))

    def existing(self, table: str, ids: Iterable[str]) -> set[str]:
        return {found for (found,) in self.fetch(f'SELECT id FROM "{table}" WHERE id {IN_JSON}',
                                                 (json.dumps(sorted(set(ids))),))}


def _kept(rows: list[dict[str, Any]], references: dict[str, tuple[str, ...]], writer: RawWriter,
          dropped: list[str], what: str) -> list[dict[str, Any]]:
    """Rows whose references (column → table) all exist; the others are reported, not written."""
    present = {column: writer.existing(table, (row[column] for row in rows if row[column] is not None))
               for column, (table, *_) in references.items()}
    kept = []
    for row in rows:
        missing = [column for column in references if row[column] is not None and row[column] not in present[column]]
        if missing:
            dropped.append(f"{what} {row['id'][:8]}: its {missing[0].removesuffix('_id')} is no longer there")
        else:
            kept.append(row)
    return kept


def _apply(plan: _Plan, writer: RawWriter, report: MergeReport) -> None:
    for table in PHASES:
        rows = plan.upserts.get(table, [])
        writer.upsert(table, _ordered_actors(rows) if table == "actor" else rows)
    writer.delete("event_argument", "event_id", plan.replaced_events)
    writer.delete("event_relation", "from_event_id", plan.replaced_events)
    arguments = [row for table, row in plan.children if table == "event_argument"]
    relations = [row for table, row in plan.children if table == "event_relation"]
    writer.upsert("event_argument", _kept(arguments, {"mention_id": ("mention",)}, writer, report.dropped,
                                          "event argument"))
    writer.upsert("event_relation", _kept(relations, {"to_event_id": ("event",)}, writer, report.dropped,
                                          "event relation"))
    for table in reversed(PHASES):
        writer.delete(table, "id", plan.deletes.get(table, []))


def _record_conflicts(plan: _Plan, package: PackageFile, writer: RawWriter, report: MergeReport) -> None:
    now = str(utcnow())
    for theirs, ours, kept in plan.conflicts:
        unit = theirs or ours
        lost = ours if kept == "package" else theirs
        other = {"deleted": True} if lost is None else {"rows": [[table, row] for table, row in lost.rows]}
        writer.execute(
            "INSERT INTO merge_conflict (id, package_id, unit, kept, other, recorded_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (package_id, unit) DO UPDATE SET kept = excluded.kept, other = excluded.other, "
            "recorded_at = excluded.recorded_at",
            (new_id(), package.info.id, unit.key, kept, json.dumps(other, ensure_ascii=False), now))
        report.conflicts.append(Conflict(package.path.name, unit.key, unit.describe(), kept))


def _decoded(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """The row with its JSON columns read, as the checks see imported rows; garbage in them is refused."""
    values = dict(row)
    for name in JSON_COLUMNS[table]:
        if isinstance(values[name], str):
            try:
                values[name] = json.loads(values[name])
            except ValueError:
                raise UserError(f"{table.replace('_', ' ')} {row['id'][:8]}: malformed JSON in {name}") from None
    return values


class _PlanChecks:
    """Every row a package brings passes the checks of an import before anything is written: the package
    file may have been edited outside the app."""

    def __init__(self, project: Project, plan: _Plan, writer: RawWriter, documents: list[str]):
        self.checks = RowChecks(project.schema)
        self.plan = plan
        self.event_documents = {row["id"]: row["document_id"] for row in plan.upserts.get("event", [])}
        """An argument's event's document, looked up once per argument (searching the events for each cost a
        merge of 1,000 documents with 10,000 arguments about 1.5 s of its 5.7)."""
        self.lengths = dict(writer.fetch(f"SELECT id, length(text) FROM document WHERE id {IN_JSON}",
                                         (json.dumps(documents),)))
        self.actors: dict[str, str | None] = dict(writer.fetch("SELECT id, merged_into FROM actor"))
        self.mentions = writer.existing("mention", (ref for table in ("mention_relation",)
                                                    for row in plan.upserts.get(table, [])
                                                    for ref in (row["from_mention_id"], row["to_mention_id"])))

    def run(self) -> None:
        upserts = self.plan.upserts
        actors = [_decoded("actor", row) for row in upserts.get("actor", [])]
        for row in actors:
            self.checks.actor(f"actor {row['name']!r}", row)
            self.actors[row["id"]] = row["merged_into"]
        check_merge_chains(self.actors, [row["id"] for row in actors], lambda actor_id: actor_id[:8])
        for row in upserts.get("assignment", []):
            self.checks.status(f"status of document {row['document_id'][:8]}", row["status"])
        self.mentions |= {row["id"] for row in upserts.get("mention", [])}
        events = {row["id"]: row["type"] for row in upserts.get("event", [])}
        for table, row in [(table, row) for table in ("mention", "stance", "event", "mention_relation")
                           for row in upserts.get(table, [])] + self.plan.children:
            self._row(table, _decoded(table, row), events)

    def _row(self, table: str, row: dict[str, Any], events: dict[str, str]) -> None:
        where = f"{table.replace('_', ' ')} {row['id'][:8]}"
        length = self.lengths.get(row.get("document_id"), 0)
        if table == "mention":
            self.checks.mention(where, row, length)
            self._actor(where, row["actor_id"])
        elif table == "stance":
            if self.checks.stance(where, row, length) != row["polarity"]:
                raise UserError(f"{where}: polarity {row['polarity']} does not match label {row['label']}")
            self._actor(where, row["holder_id"], required=True)
            self._actor(where, row["target_id"])
        elif table == "event":
            self.checks.event(where, row, length)
            for name, spec in self.checks.schema.event_attributes.items():
                if spec.kind == "actor":
                    self._actor(f"{where} {name}", row["attributes"].get(name))
        elif table == "event_argument":
            event_length = self.lengths.get(self.event_documents.get(row["event_id"]), 0)
            self.checks.argument(where, events[row["event_id"]], row, event_length)
        elif table == "event_relation":
            self.checks.relation(where, row["type"])
        else:
            self.checks.relation(where, row["type"])
            self.checks.attributes(where, row["attributes"])
            if not {row["from_mention_id"], row["to_mention_id"]} <= self.mentions:
                raise UserError(f"{where}: refers to a mention that is not there")

    def _actor(self, where: str, actor_id: Any, required: bool = False) -> None:
        if (actor_id is None and required) or (actor_id is not None and actor_id not in self.actors):
            raise UserError(f"{where}: refers to an actor that is neither in the package nor in the project")


def _merge_one(project: Project, package: PackageFile, writer: RawWriter, report: MergeReport) -> list[str]:
    info = package.info
    documents = package.document_ids()
    try:
        theirs = load_units(package.fetch, info.annotator_id, documents)
    except ValueError as error:
        raise UserError(f"the package holds malformed JSON ({error}); ask the annotator for the file again",
                        file=package.path) from None
    ours = load_units(writer.fetch, info.annotator_id, documents)
    synced = dict(writer.fetch("SELECT unit, digest FROM package_sync WHERE package_id = ?", (info.id,)))
    base = synced or dict(package.fetch("SELECT unit, digest FROM package_sync WHERE package_id = ?", (info.id,)))
    plan = _plan(theirs, ours, base, report)
    try:
        _PlanChecks(project, plan, writer, documents).run()
    except UserError as error:
        raise error.located(package.path) from None
    writer.execute("INSERT INTO annotator (id, name, role) VALUES (?, ?, 'annotator') ON CONFLICT DO NOTHING",
                   (info.annotator_id, info.annotator))
    _apply(plan, writer, report)
    _record_conflicts(plan, package, writer, report)
    writer.execute("DELETE FROM package_sync WHERE package_id = ?", (info.id,))
    writer.insert("package_sync", ("package_id", "unit", "digest"),
                  [(info.id, MERGED, info.cut_at), *((info.id, unit.key, unit.digest) for unit in theirs.values())])
    return plan.new_actors


def _names(name: str, aliases_json: str | None) -> set[str]:
    aliases = json.loads(aliases_json) if aliases_json else []
    return {folded(text) for text in [name, *aliases] if folded(text)}


def _offers(writer: RawWriter, new_actors: list[str]) -> list[ActorOffer]:
    """New actors against every other unmerged actor, by casefolded name or alias; each pair once."""
    actors = {actor_id: (name, _names(name, aliases)) for actor_id, name, aliases in writer.fetch(
        "SELECT id, name, aliases FROM actor WHERE merged_into IS NULL ORDER BY name, id")}
    offers, seen = [], set()
    for new in sorted(set(new_actors) & set(actors), key=lambda actor_id: (actors[actor_id][0], actor_id)):
        name, names = actors[new]
        for other, (other_name, other_names) in actors.items():
            shared = names & other_names
            if other != new and shared and frozenset((new, other)) not in seen:
                seen.add(frozenset((new, other)))
                offers.append(ActorOffer(new, name, other, other_name, min(shared)))
    return offers


def merge_packages(project: Project, paths: Sequence[str | Path], *, commit: bool = True,
                   progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> MergeReport:
    """Check every package, then merge them all in one transaction; `commit=False` gives the summary only."""
    packages: list[PackageFile] = []
    try:
        for path in paths:
            packages.append(open_package(path))
        packages.sort(key=lambda package: (package.info.cut_at, package.info.id))
        report = MergeReport(packages=[package.path.name for package in packages])
        with project.session() as session:
            writer = RawWriter(session.connection())
            take_packages_turn(writer, project)
            for package in packages:
                check_against(package, project, writer.fetch)
            new_actors: list[str] = []
            for done, package in enumerate(packages):
                if cancel():
                    raise Cancelled()
                progress(done, len(packages), package.path.name)
                new_actors += _merge_one(project, package, writer, report)
            report.offers = _offers(writer, new_actors)
            if commit:
                session.commit()
                report.committed = True
            else:
                session.rollback()
        progress(len(packages), len(packages), "done")
        return report
    finally:
        for package in packages:
            package.close()
