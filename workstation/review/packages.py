"""Work packages (DESIGN.md §8): a project file an annotator takes away on a laptop.

A package holds the chosen documents, the schema and settings, the whole actor
registry and the annotator's layer on those documents, so it opens in the app
like any project. It also records where it came from (the project's id, the
annotator, when it was cut) and a digest of every unit as cut: the base that
lets a merge tell what changed on the laptop from what changed at home.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.review.layer_units import IN_DOCUMENTS, columns, load_units
from workstation.review.stored_rows import StoredRows
from workstation.store.document_reader import ROWID
from workstation.store.models import GOLD, Annotator, Assignment, Document, new_id, utcnow
from workstation.store.output_guard import guard_output
from workstation.store.project import Project, create_project
from workstation.store.search import matching_documents

PACKAGE_KEY = "package"
"""project_info key that makes a project file a package."""
LAYER_TABLES = ("mention", "stance", "event", "event_relation", "mention_relation")
SNAPSHOT = {"isolation_level": "REPEATABLE READ"}
"""A cut from a server reads one state of the project, whatever others commit while it runs (a file has one
writer, the app that holds its lock)."""


@dataclass(frozen=True)
class PackageInfo:
    id: str
    project_id: str
    annotator: str
    annotator_id: str
    cut_at: str
    documents: int

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, value: str) -> PackageInfo:
        return cls(**json.loads(value))


def package_of(project: Project) -> PackageInfo | None:
    """The package facts when the open project file is a work package (its layer is the one to edit)."""
    value = project.info().get(PACKAGE_KEY)
    return None if value is None else PackageInfo.from_json(value)


@dataclass(frozen=True)
class DocumentChoice:
    """Which documents go out: all filters apply together; a sample is drawn last, with a fixed seed."""

    ids: Sequence[str] | None = None
    """Document ids or the external ids they were imported with."""
    status: str | None = None
    """Each named annotator's status on the document (new when never assigned)."""
    query: str = ""
    sample: int | None = None
    seed: int = 0


def _annotator_ids(session: Session, names: Sequence[str]) -> list[str | None]:
    known = dict(session.execute(select(Annotator.name, Annotator.id)).tuples().all())
    return [known.get(name) for name in names]


def choose_documents(session: Session, choice: DocumentChoice, annotators: Sequence[str] = ()) -> list[str]:
    """Document ids in import order; an unknown id or a choice that matches nothing is a user mistake."""
    query = select(Document.id, Document.external_id).order_by(ROWID)
    if choice.query.strip():
        query = query.where(Document.id.in_(matching_documents(session, choice.query)))
    for annotator_id in _annotator_ids(session, annotators) if choice.status else ():
        status = (select(func.coalesce(func.max(Assignment.status), "new"))
                  .where(and_(Assignment.document_id == Document.id, Assignment.annotator_id == annotator_id))
                  .scalar_subquery())
        query = query.where(status == choice.status)
    rows = session.execute(query).all()
    if choice.ids is not None:
        wanted = set(choice.ids)
        known = {key for row in session.execute(select(Document.id, Document.external_id)) for key in row}
        unknown = sorted(wanted - known)
        if unknown:
            raise UserError(f"{len(unknown)} unknown document id(s), first: {unknown[0]}")
        rows = [row for row in rows if row.id in wanted or row.external_id in wanted]
    ids = [row.id for row in rows]
    if choice.sample is not None and choice.sample < len(ids):
        picked = set(random.Random(choice.seed).sample(ids, choice.sample))
        ids = [doc for doc in ids if doc in picked]
    if not ids:
        raise UserError("no documents match the choice")
    return ids


def split_documents(ids: Sequence[str], annotators: Sequence[str], overlap: int = 0,
                    seed: int = 0) -> dict[str, list[str]]:
    """`overlap` documents go to every annotator, the rest are dealt out in turn; each list in import order.

    The overlap is what agreement is measured on; drawing it at random (with a
    fixed seed) keeps it from being, say, the first week of articles.
    """
    if len(set(annotators)) != len(annotators) or not annotators:
        raise UserError("name each annotator once")
    if overlap and len(annotators) < 2:
        raise UserError("an overlap needs two or more annotators")
    if not 0 <= overlap <= len(ids):
        raise UserError(f"the overlap ({overlap}) must be between 0 and the number of documents ({len(ids)})")
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    plan = {name: list(shuffled[:overlap]) for name in annotators}
    for index, doc in enumerate(shuffled[overlap:]):
        plan[annotators[index % len(annotators)]].append(doc)
    order = {doc: index for index, doc in enumerate(ids)}
    return {name: sorted(docs, key=order.__getitem__) for name, docs in plan.items()}


SUPERVISORS_ONLY = ("cutting and merging work packages is the supervisor's: your database role may not do it "
                    "(ask the project's supervisor)")
INSUFFICIENT_PRIVILEGE = "42501"


def take_packages_turn(rows: StoredRows, project: Project) -> None:
    """On a server, a cut or a merge first locks the packages' sync state, which only supervisors may write:
    PostgreSQL, not the app, refuses anyone else, before anything is read or written. Merges also take turns
    by it (each reads and rewrites a package's state), and a cut waits for a merge to end rather than hand
    out the layer as it was before it."""
    if not rows.server:
        return
    from sqlalchemy.exc import DBAPIError

    try:
        rows.execute("LOCK TABLE package_sync IN SHARE ROW EXCLUSIVE MODE")
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            raise UserError(SUPERVISORS_ONLY, file=project.location) from None
        raise


def _assign(session: Session, annotator: str, document_ids: Sequence[str]) -> str:
    """The annotator's id in the project, created if new; documents without a status become `new` for them."""
    annotator_id = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if annotator_id is None:
        annotator_id = new_id()
        session.add(Annotator(id=annotator_id, name=annotator))
        session.flush()
    assigned = set(session.scalars(select(Assignment.document_id).where(Assignment.annotator_id == annotator_id)))
    session.add_all(Assignment(document_id=doc, annotator_id=annotator_id, status="new")
                    for doc in document_ids if doc not in assigned)
    session.flush()
    return annotator_id


def package_tables(annotator_id: str, document_ids: Sequence[str]) -> list[tuple[str, str, tuple]]:
    """What goes into a package, table by table: (table, condition, its parameters) in the project."""
    documents = json.dumps(list(document_ids))
    layer = (f"annotator_id = ? AND {IN_DOCUMENTS}", (annotator_id, documents))
    return [("annotator", "id = ?", (annotator_id,)),
            ("document", "id IN (SELECT value FROM json_each(?))", (documents,)),
            ("actor", "TRUE", ()), ("assignment", *layer), *((table, *layer) for table in LAYER_TABLES),
            ("event_argument", f"event_id IN (SELECT id FROM event WHERE {layer[0]})", layer[1])]


def _write_package(rows: StoredRows, target: Path, info: PackageInfo, document_ids: Sequence[str]) -> None:
    """The rows of the package read from the project as a file stores them, and written into `target`."""
    connection = sqlite3.connect(target)
    try:
        with connection:
            for table, where, params in package_tables(info.annotator_id, document_ids):
                names = ", ".join(f'"{name}"' for name in columns(table))
                connection.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns(table)))})',
                    rows.fetch(f'SELECT {names} FROM "{table}" WHERE {where} ORDER BY rowid', params))
            connection.execute("UPDATE project_info SET value = ? WHERE key = 'project_id'", (info.project_id,))
            connection.execute("INSERT INTO project_info (key, value) VALUES (?, ?)", (PACKAGE_KEY, info.to_json()))
            units = load_units(lambda sql, params: connection.execute(sql, params).fetchall(), info.annotator_id,
                               document_ids)
            connection.executemany("INSERT INTO package_sync (package_id, unit, digest) VALUES (?, ?, ?)",
                                   [(info.id, unit.key, unit.digest) for unit in units.values()])
    finally:
        connection.close()


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                     path.with_name(path.name + ".lock")):
        leftover.unlink(missing_ok=True)


def cut_package(project: Project, annotator: str, document_ids: Sequence[str], out: Path) -> PackageInfo:
    """Write one package; the annotator gets a `new` status on documents they had none for.

    The file is built under a temporary name and renamed at the end, so a
    failed or interrupted cut never leaves something that looks like a package.
    """
    out = Path(out)
    if annotator == GOLD:
        raise UserError("the gold layer is written by adjudication, not in a package")
    if not annotator.strip():
        raise UserError("a package needs an annotator name")
    if not document_ids:
        raise UserError(f"no documents for {annotator}: choose more documents or fewer annotators")
    guard_output(out, project.path)
    if out.exists():
        raise UserError("a file with this name already exists; choose another name", file=out)
    partial = out.with_name(out.name + ".partial")
    _remove(partial)
    try:
        create_project(partial, project.schema, project.settings).close()
        with project.session.begin() as session:
            rows = StoredRows(session.connection(execution_options=SNAPSHOT if project.server else {}))
            take_packages_turn(rows, project)
            annotator_id = _assign(session, annotator, document_ids)
            info = PackageInfo(new_id(), project.project_id, annotator, annotator_id, utcnow().isoformat(sep=" "),
                               len(document_ids))
            _write_package(rows, partial, info, document_ids)
        os.replace(partial, out)
    finally:
        _remove(partial)
    return info


def package_name(project: Project, annotator: str) -> str:
    return f"{project.path.stem}-{annotator}.package.sqlite"


def cut_packages(project: Project, plan: dict[str, list[str]], folder: Path, progress: Progress = no_progress,
                 cancel: CancelCheck = never_cancelled) -> list[tuple[PackageInfo, Path]]:
    """One package per annotator of the plan, named after the project and the annotator, into `folder`."""
    folder = guard_output(folder, project.path, folder=True)
    if not folder.is_dir():
        raise UserError("the folder does not exist", file=folder)
    idle = [name for name, ids in plan.items() if not ids]
    if idle:
        raise UserError(f"no documents for {idle[0]}: choose more documents or fewer annotators")
    taken = [folder / package_name(project, name) for name in plan if (folder / package_name(project, name)).exists()]
    if taken:
        raise UserError("a package of this name is already there; choose another folder", file=taken[0])
    written = []
    for done, (annotator, ids) in enumerate(plan.items()):
        if cancel():
            raise Cancelled()
        progress(done, len(plan), f"package for {annotator}")
        path = folder / package_name(project, annotator)
        written.append((cut_package(project, annotator, ids, path), path))
    progress(len(plan), len(plan), "done")
    return written
