"""Runs edit commands for one annotator: each `run`/`revert` is one committed transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError

from workstation.editing.annotations import Layer
from workstation.editing.commands import Changes, Command
from workstation.store.models import Annotator, new_id
from workstation.store.project import Database, Project

ANNOTATOR = select(Annotator.id).where(Annotator.id == bindparam("annotator_id"))


class Editor:
    """The annotator's row is written with their first edit, not when the editor is made: the app opens with
    the login name before the user has typed theirs, and that name must not stay behind as an empty layer."""

    def __init__(self, project: Project, annotator: str):
        self.project, self.annotator = project, annotator
        self._id, self._stored = new_id(), False
        self._first_edit: Command | None = None
        self._lengths: dict[str, int] = {}

    @property
    def annotator_id(self) -> str:
        """Until this editor's first edit, the id another editor of the same name (the adjudication view, the
        gold toggle) may have stored meanwhile, so that both write one layer."""
        if not self._stored:
            with self.project.session() as session:
                found = session.scalar(select(Annotator.id).where(Annotator.name == self.annotator))
            if found is not None:
                self._id, self._stored = found, True
        return self._id

    @contextmanager
    def layer(self, document_id: str) -> Iterator[Layer]:
        """A command builder for this annotator's layer of a document (reads only); the text's length, which
        every span is checked against, is read once per document."""
        with self.project.connect() as connection:
            layer = Layer(connection, self.project.schema, document_id, self.annotator_id,
                          self._lengths.get(document_id))
            yield layer
            if layer.length is not None:
                self._lengths[document_id] = layer.length

    def run(self, command: Command) -> Changes:
        """Checks the row in the same transaction (another editor of the same name may have undone the edit
        that wrote it)."""
        annotator_id = self.annotator_id
        with self.project.transaction() as connection:
            created = connection.scalar(ANNOTATOR, {"annotator_id": annotator_id}) is None
            if created:
                connection.execute(insert(Annotator), {"id": annotator_id, "name": self.annotator})
            changes = command.do(connection)
        self._stored = True
        if created:
            self._first_edit = command
        return changes

    def revert(self, command: Command) -> Changes:
        """Undoing the edit that wrote the annotator's row takes the row away too, when nothing else refers to
        it: undo leaves the database as it was, not with an empty layer."""
        with self.project.transaction() as connection:
            changes = command.undo(connection)
            removed = command is self._first_edit and _remove_if_unused(connection, self._id)
        if removed:
            self._stored, self._first_edit = False, None
        return changes


def _remove_if_unused(session: Database, annotator_id: str) -> bool:
    """The foreign keys decide what "unused" means, so a table added later is respected without a change here."""
    try:
        with session.begin_nested():
            session.execute(delete(Annotator).where(Annotator.id == annotator_id))
    except IntegrityError:
        return False
    return True
