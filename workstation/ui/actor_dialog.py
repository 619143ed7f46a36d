"""Link a mention to an actor: type to find one by name or alias, or describe a new one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from workstation.core.schema import Schema


@dataclass(frozen=True)
class NewActor:
    name: str
    type: str
    kind: str | None
    country: str | None
    code: str | None


class ActorDialog(QDialog):
    """`choice()` is an existing actor's id, a `NewActor`, or None when the name field is empty."""

    def __init__(self, parent: QWidget, schema: Schema, actors: list[tuple[str, str, list[str]]], text: str,
                 editing: NewActor | None = None):
        """With `editing`, the same form edits that actor's fields (and never links to another)."""
        super().__init__(parent)
        self.setWindowTitle("Edit actor" if editing else "Link to an actor")
        self.entries: dict[str, str] = {}
        for actor_id, name, aliases in actors:
            self.entries.setdefault(name, actor_id)
            for alias in aliases:
                self.entries.setdefault(f"{alias} → {name}", actor_id)
        self.search = QLineEdit(text)
        completer = QCompleter(sorted(self.entries), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.search.setCompleter(completer)
        self.actor_type = QComboBox()
        self.actor_type.addItems(list(schema.entity_types))
        self.kind = QComboBox()
        self.kind.addItems(["", *schema.actor_kinds])
        self.country = QLineEdit(placeholderText="ISO-3, e.g. TUR")
        self.code = QLineEdit(placeholderText="e.g. TURGOV")
        self.hint = QLabel()
        self.search.textChanged.connect(self._update_hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Actor (name or alias)", self.search)
        form.addRow(self.hint)
        form.addRow("Type (new actor)", self.actor_type)
        form.addRow("Kind", self.kind)
        form.addRow("Country", self.country)
        form.addRow("Code", self.code)
        form.addRow(buttons)
        if editing is not None:
            self.search.setText(editing.name)
            self.actor_type.setCurrentText(editing.type)
            self.kind.setCurrentText(editing.kind or "")
            self.country.setText(editing.country or "")
            self.code.setText(editing.code or "")
            form.labelForField(self.search).setText("Name")
            form.labelForField(self.actor_type).setText("Type")
        self._update_hint()

    def _existing(self) -> str | None:
        text = self.search.text().strip()
        return self.entries.get(text) or next((actor_id for entry, actor_id in self.entries.items()
                                               if entry.split(" → ")[0].casefold() == text.casefold()), None)

    def _update_hint(self) -> None:
        existing = self._existing() is not None
        self.hint.setText("Links to the existing actor." if existing else
                          "Creates a new actor with the fields below." if self.entries else "")
        for field in (self.actor_type, self.kind, self.country, self.code):
            field.setEnabled(not existing)

    def choice(self) -> str | NewActor | None:
        existing = self._existing()
        if existing is not None:
            return existing
        name = self.search.text().strip()
        if not name:
            return None
        return NewActor(name, self.actor_type.currentText(), self.kind.currentText() or None,
                        self.country.text().strip().upper() or None, self.code.text().strip().upper() or None)
