"""Runs edit commands for one annotator: each `run`/`revert` is one committed transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from workstation.editing.annotations import Layer
from workstation.editing.commands import Changes, Command
from workstation.store.models import Annotator, new_id
from workstation.store.project import Project


class Editor:
    def __init__(self, project: Project, annotator: str):
        self.project = project
        with project.session.begin() as session:
            found = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
            if found is None:
                found = new_id()
                session.add(Annotator(id=found, name=annotator))
        self.annotator_id = found
        self._lengths: dict[str, int] = {}

    @contextmanager
    def layer(self, document_id: str) -> Iterator[Layer]:
        """A command builder for this annotator's layer of a document (reads only); the text's length, which
        every span is checked against, is read once per document."""
        with self.project.session() as session:
            layer = Layer(session, self.project.schema, document_id, self.annotator_id, self._lengths.get(document_id))
            yield layer
            if layer.length is not None:
                self._lengths[document_id] = layer.length

    def run(self, command: Command) -> Changes:
        with self.project.session.begin() as session:
            return command.do(session)

    def revert(self, command: Command) -> Changes:
        with self.project.session.begin() as session:
            return command.undo(session)
