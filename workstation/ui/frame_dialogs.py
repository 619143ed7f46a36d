"""Event and stance frames as forms built from the schema: roles, attributes, labels with polarity.

The dialogs only collect choices; the annotation controller turns them into
validated, undoable commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from workstation.core.dates import DateOrder, ParsedDate, parse_date
from workstation.core.schema import AttributeSpec, Schema

Choice = tuple[str, Any]
FIXED_EVENT_ROWS = 4
"""Type, date, the date's reading and the buttons stay when the type changes; roles and attributes are rebuilt."""


def _combo(choices: list[Choice]) -> QComboBox:
    combo = QComboBox()
    for text, data in choices:
        combo.addItem(text, data)
    return combo


def _attribute_field(spec: AttributeSpec, modes: tuple[str, ...],
                     actors: list[Choice]) -> tuple[QWidget, Callable[[], Any]] | None:
    """A widget and its getter (None = leave the attribute out), for each attribute kind of the schema;
    None for a `mode` list when the event type has no modes."""
    if spec.kind in ("choice", "actor"):
        combo = _combo([("", None), *(actors if spec.kind == "actor" else ((v, v) for v in spec.values))])
        return combo, combo.currentData
    if spec.kind == "bool":
        box = QCheckBox()
        return box, lambda: True if box.isChecked() else None
    if spec.kind == "int":
        spin = QSpinBox(minimum=-1, maximum=1_000_000, value=-1, specialValueText="unknown")
        return spin, lambda: None if spin.value() < 0 else spin.value()
    if spec.kind == "list" and spec.name == "mode":
        if not modes:
            return None
        listing = QListWidget()
        for mode in modes:
            item = QListWidgetItem(mode)
            item.setCheckState(Qt.CheckState.Unchecked)
            listing.addItem(item)
        listing.setMaximumHeight(18 * min(len(modes), 5) + 8)
        return listing, lambda: [listing.item(i).text() for i in range(listing.count())
                                 if listing.item(i).checkState() == Qt.CheckState.Checked] or None
    line = QLineEdit(placeholderText="comma-separated" if spec.kind == "list" else "")
    if spec.kind == "list":
        return line, lambda: [part.strip() for part in line.text().split(",") if part.strip()] or None
    return line, lambda: line.text().strip() or None


class _FrameDialog(QDialog):
    def __init__(self, parent: QWidget, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)

    def _finish(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)


class EventDialog(_FrameDialog):
    """Type, roles (each filled by a mention of the layer, or left empty) and attributes of a new event."""

    def __init__(self, parent: QWidget, schema: Schema, mentions: list[Choice], actors: list[Choice],
                 date_order: DateOrder = "day-first"):
        super().__init__(parent, "New event")
        self.schema, self.mentions, self.actors, self.date_order = schema, mentions, actors, date_order
        self.event_type = _combo([(name, name) for name in schema.event_types])
        self.form.addRow("Type", self.event_type)
        self.date = QLineEdit(placeholderText="when it happened: 2020, Feb 2020, 5/2/2020…")
        self.date_reading = QLabel()
        self.date.textChanged.connect(self._read_date)
        self.form.addRow("Date", self.date)
        self.form.addRow("", self.date_reading)
        self.fields: dict[str, tuple[QWidget, Callable[[], Any]]] = {}
        self.roles: dict[str, QComboBox] = {}
        self.event_type.currentIndexChanged.connect(self._rebuild)
        self._finish()
        self._rebuild()

    def _rebuild(self) -> None:
        while self.form.rowCount() > FIXED_EVENT_ROWS:
            self.form.removeRow(FIXED_EVENT_ROWS - 1)
        event = self.schema.event_types[self.event_type.currentData()]
        role_choices = [("", None), *self.mentions]
        self.roles = {role: _combo(role_choices) for role in event.roles}
        for row, (role, combo) in enumerate(self.roles.items(), start=FIXED_EVENT_ROWS - 1):
            self.form.insertRow(row, f"{role}", combo)
        self.fields = {}
        for name, spec in self.schema.event_attributes.items():
            field = _attribute_field(spec, event.modes, self.actors)
            if field is not None:
                self.fields[name] = field
                self.form.insertRow(self.form.rowCount() - 1, name, field[0])

    def _read_date(self, text: str) -> None:
        parsed = self.event_date()
        self.date_reading.setText("" if not text.strip() else "not a date" if parsed is None else
                                  f"→ {parsed.iso} ({parsed.precision}{', ambiguous' if parsed.ambiguous else ''})")

    def event_date(self) -> ParsedDate | None:
        """The typed date read with the project's day/month order; the precision is as written."""
        return parse_date(self.date.text(), self.date_order)

    def arguments(self) -> list[tuple[str, Any]]:
        return [(role, combo.currentData()) for role, combo in self.roles.items() if combo.currentData() is not None]

    def attributes(self) -> dict[str, Any]:
        values = {name: getter() for name, (_, getter) in self.fields.items()}
        return {name: value for name, value in values.items() if value is not None}


class StanceDialog(_FrameDialog):
    """Holder, target actor or issue, label (with its polarity), strength; the evidence is the selection."""

    def __init__(self, parent: QWidget, schema: Schema, actors: list[Choice], holder: str | None):
        super().__init__(parent, "New stance")
        self.holder = _combo(actors)
        if holder is not None:
            self.holder.setCurrentIndex(max(0, self.holder.findData(holder)))
        self.target = _combo([("(no actor)", None), *actors])
        self.issue = QLineEdit(placeholderText="issue or policy, when the target is not an actor")
        self.position = _combo([("", None), ("in favour (+1)", 1), ("against (-1)", -1)])
        sign = {1: "+", 0: "0", -1: "−"}
        self.label = _combo([(f"{label}  ({sign[polarity]})", label) for label, polarity in schema.stance_labels.items()])
        self.strength = QSpinBox(minimum=1, maximum=3, value=2)
        self.implicit = QCheckBox("the target is not mentioned in the evidence")
        for text, widget in (("Holder", self.holder), ("Label", self.label), ("Target", self.target),
                             ("Issue", self.issue), ("Issue position", self.position), ("Strength", self.strength),
                             ("", self.implicit)):
            self.form.addRow(text, widget)
        self._finish()

    def values(self) -> dict[str, Any]:
        return {"holder_id": self.holder.currentData(), "label": self.label.currentData(),
                "target_id": self.target.currentData(), "issue": self.issue.text().strip() or None,
                "issue_position": self.position.currentData(), "strength": self.strength.value(),
                "implicit_target": self.implicit.isChecked()}
