"""Edit commands on Qt's undo stack: the stack only mirrors them, the editor does the work."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workstation.editing.commands import Changes, Command
from workstation.editing.editor import Editor


class EditCommand(QUndoCommand):
    """Redo runs the command (committed at once), undo runs its reverse; `changed` refreshes the views."""

    def __init__(self, editor: Editor, command: Command, changed: Callable[[Changes], None]):
        super().__init__(command.text)
        self.editor, self.command, self.changed = editor, command, changed

    def redo(self) -> None:
        self.changed(self.editor.run(self.command))

    def undo(self) -> None:
        self.changed(self.editor.revert(self.command))
