"""What the main window's panels share, and the one signal through which edits reach them.

The window owns one `Workspace`. The annotation controller, the text view's
spans, the document list, the actor registry and the frames panel read the
project, the edited and shown layers and the current document from it, and
each applies `changed` (a `Changes` record, emitted after every edit, undo and
redo) to itself: no panel refreshes another, and none reaches into the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from sqlalchemy import select

from workstation.editing.commands import Changes
from workstation.store.models import Annotator
from workstation.store.project import Project


class Workspace(QObject):
    changed = Signal(Changes)
    reloaded = Signal()
    """Much changed at once (an import, a merge, a cut): every panel reads its content again."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.project: Project | None = None
        self.annotator = ""
        """Whose layer is edited."""
        self.viewed_layer: str | None = None
        """Another layer shown read-only, or None for the annotator's own."""
        self.document_id: str | None = None
        self.text = ""
        """The current document's text (empty without one)."""
        self._layer_ids: dict[str, str | None] = {}
        self.changed.connect(self.forget_missing_layers)
        self.reloaded.connect(self.forget_missing_layers)

    def open(self, project: Project | None) -> None:
        self.project, self.document_id, self.text = project, None, ""
        self._layer_ids = {}

    @property
    def shown_layer(self) -> str:
        """The layer painted in the text: the annotator's own unless another was chosen read-only."""
        return self.viewed_layer or self.annotator

    def layer_id(self, name: str) -> str | None:
        """The annotator id behind a layer's name, remembered once known (ids never change). A layer not in the
        project yet (no edit of its annotator) is remembered as such until something changes: each panel asks
        for it as a document is shown, and on a server each asking costs round trips."""
        if name not in self._layer_ids:
            with self.project.session() as session:
                self._layer_ids[name] = session.scalar(select(Annotator.id).where(Annotator.name == name))
        return self._layer_ids[name]

    def forget_missing_layers(self, *_changes: object) -> None:
        """An edit, or others' work arriving, may have made the layer that was missing (connected first, so that
        every panel applying the change finds it)."""
        self._layer_ids = {name: found for name, found in self._layer_ids.items() if found is not None}

    def forget_layer_ids(self) -> None:
        """An annotator's row is removed when the edit that wrote it is undone, and a later editor of that name
        writes a new id."""
        self._layer_ids = {}

    def shown_annotator_id(self) -> str | None:
        return self.layer_id(self.shown_layer)

    def concerns_current(self, changes: Changes) -> bool:
        """True when the edit may have changed what the current document shows."""
        return self.document_id is not None and changes.document_id in (None, self.document_id)
