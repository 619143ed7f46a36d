"""Edit commands on Qt's undo stack: the stack only mirrors them, the editor does the work."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workstation.editing.commands import Changes, Command, StaleEdit
from workstation.editing.editor import Editor
from workstation.store.failures import explain_failure, failure_types


class EditCommand(QUndoCommand):
    """Redo runs the command (committed at once), undo runs its reverse; `changed` refreshes the views.

    An edit of a row someone else changed meanwhile (`StaleEdit`) writes nothing: the command leaves the stack
    (it no longer describes the row), the views re-read the row as it is now, and `refused` tells the user. So
    does an edit the server refuses (a layer that is not the user's, a lost connection)."""

    def __init__(self, editor: Editor, command: Command, changed: Callable[[Changes], None],
                 refused: Callable[[str], None] | None = None):
        super().__init__(command.text)
        self.editor, self.command, self.changed, self.refused = editor, command, changed, refused

    def redo(self) -> None:
        self._run(self.editor.run)

    def undo(self) -> None:
        self._run(self.editor.revert)

    def _run(self, step: Callable[[Command], Changes]) -> None:
        try:
            self.changed(step(self.command))
        except StaleEdit as stale:
            self._refuse(str(stale))
            self.changed(stale.changes())
        except failure_types() as error:
            explained = explain_failure(error, self.editor.project.location if self.editor.project.server else None)
            if explained is None or not self.editor.project.server:
                raise
            self._refuse(explained.problem)

    def _refuse(self, message: str) -> None:
        self.setObsolete(True)
        if self.refused is not None:
            self.refused(message)
