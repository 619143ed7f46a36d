"""Link a mention to an actor: type to find one by name or alias, or describe a new one."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from workstation.core.schema import Schema
from workstation.store.mention_lookup import TypeGuess

NO_ACTOR_KEYS = "Alt+N"
MINIMUM_WIDTH = 460
"""Wide enough for "Recep Tayyip Erdogan → ..." completions and a long organisation's name."""


@dataclass(frozen=True)
class NewActor:
    name: str
    type: str
    kind: str | None
    country: str | None
    code: str | None


class ActorDialog(QDialog):
    """`choice()` is an existing actor's id, a `NewActor`, or None for "No actor" (or an empty name).

    Esc and Cancel change nothing; leaving a mention without an actor is a button of its own, so that a
    dismissed form never leaves an unlinked mention behind."""

    def __init__(self, parent: QWidget, schema: Schema, actors: list[tuple[str, str, list[str]]], text: str,
                 editing: NewActor | None = None, mention_type: str | None = None, guess: TypeGuess | None = None):
        """With `editing`, the same form edits that actor's fields (and never links to another); with
        `mention_type`, it links a mention of those words and offers "No actor"; `guess` pre-selects a new
        actor's type and says why."""
        super().__init__(parent)
        self.setWindowTitle("Edit actor" if editing else "Link to an actor")
        self.setMinimumWidth(MINIMUM_WIDTH)
        self.text, self.guess, self.unlinked = text, guess, False
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
        for index, definition in enumerate(schema.entity_types.values()):
            self.actor_type.setItemData(index, definition, Qt.ItemDataRole.ToolTipRole)
        self.actor_type.setCurrentIndex(self.actor_type.findText(guess.type) if guess else -1)
        self.type_note = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.kind = QComboBox()
        self.kind.addItems(["", *schema.actor_kinds])
        self.country = QLineEdit(placeholderText="ISO-3, e.g. TUR")
        self.code = QLineEdit(placeholderText="e.g. TURGOV")
        self.hint = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        if mention_type is not None:
            kind = f"{mention_type} mention" if mention_type else "mention"
            self.heading = QLabel(f"<b>“{html.escape(_one_line(text))}”</b> · {kind}")
            self.heading.setTextFormat(Qt.TextFormat.RichText)
            form.addRow(self.heading)
            self.no_actor = QPushButton(f"No actor ({NO_ACTOR_KEYS})")
            self.no_actor.setShortcut(QKeySequence(NO_ACTOR_KEYS))
            self.no_actor.setToolTip("Keep the mention without an actor (link it later with L)")
            self.no_actor.clicked.connect(self._leave_unlinked)
            self.buttons.addButton(self.no_actor, QDialogButtonBox.ButtonRole.ActionRole)
        form.addRow("Actor (name or alias)", self.search)
        form.addRow(self.hint)
        form.addRow("Type (new actor)", self.actor_type)
        form.addRow("", self.type_note)
        form.addRow("Kind", self.kind)
        form.addRow("Country", self.country)
        form.addRow("Code", self.code)
        form.addRow(self.buttons)
        if editing is not None:
            self.search.setText(editing.name)
            self.actor_type.setCurrentText(editing.type)
            self.kind.setCurrentText(editing.kind or "")
            self.country.setText(editing.country or "")
            self.code.setText(editing.code or "")
            form.labelForField(self.search).setText("Name")
            form.labelForField(self.actor_type).setText("Type")
        self.search.textChanged.connect(self._update_hint)
        self.actor_type.currentIndexChanged.connect(self._update_hint)
        self._update_hint()

    def _leave_unlinked(self) -> None:
        self.unlinked = True
        self.accept()

    def _existing(self) -> str | None:
        text = self.search.text().strip()
        return self.entries.get(text) or next((actor_id for entry, actor_id in self.entries.items()
                                               if entry.split(" → ")[0].casefold() == text.casefold()), None)

    def _update_hint(self) -> None:
        """OK is offered only for a complete choice: a known actor, or a named new actor with a type."""
        existing = self._existing() is not None
        self.hint.setText("Links to the existing actor." if existing else
                          "Creates a new actor with the fields below." if self.entries else "")
        for field in (self.actor_type, self.kind, self.country, self.code):
            field.setEnabled(not existing)
        self.type_note.setText("" if existing else self._type_note())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.search.text().strip()) and (existing or self.actor_type.currentIndex() >= 0))

    def _type_note(self) -> str:
        chosen = self.actor_type.currentText()
        if not chosen:
            return "Choose the new actor's type (nothing to guess it from yet)."
        if self.guess is None or chosen != self.guess.type:
            return ""
        why = (f"last type used for “{_one_line(self.text)}”" if self.guess.basis == "text"
               else "type of the actor created last")
        return f"guessed: {chosen} — {why}"

    def choice(self) -> str | NewActor | None:
        if self.unlinked:
            return None
        existing = self._existing()
        if existing is not None:
            return existing
        name = self.search.text().strip()
        if not name:
            return None
        return NewActor(name, self.actor_type.currentText(), self.kind.currentText() or None,
                        self.country.text().strip().upper() or None, self.code.text().strip().upper() or None)


def _one_line(text: str) -> str:
    """A selection across a line break, shown as the words it holds."""
    return " ".join(text.split())
