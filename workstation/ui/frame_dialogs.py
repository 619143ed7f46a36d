"""Event and stance frames as forms built from the schema: roles, attributes, labels with polarity.

The dialogs only collect choices; the annotation controller turns them into
validated, undoable commands.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workstation.core.dates import DateOrder, ParsedDate, parse_date
from workstation.core.schema import AttributeSpec, Schema

Choice = tuple[str, Any]
FIXED_EVENT_ROWS = 2
"""The date and its reading stay when the type changes; the roles and attributes below them are rebuilt."""
FILLER_WIDTH = 48
"""Characters a role's box shows of a filler's words in context; its list opens wider (POPUP_WIDTH pixels)."""
POPUP_WIDTH = 560


def _combo(choices: list[Choice], tooltips: dict[Any, str] | None = None) -> QComboBox:
    """A choice box; `tooltips` (data → definition) explains each entry that has one."""
    combo = QComboBox()
    for text, data in choices:
        combo.addItem(text, data)
        if tooltips and tooltips.get(data):
            combo.setItemData(combo.count() - 1, tooltips[data], Qt.ItemDataRole.ToolTipRole)
    return combo


def _filler_combo(near: list[Choice], rest: list[Choice]) -> QComboBox:
    """Mentions of the trigger's paragraph, a line, then the others; the box stays narrow, its list does not."""
    combo = _combo([("", None), *near])
    if near and rest:
        combo.insertSeparator(combo.count())
    for text, data in rest:
        combo.addItem(text, data)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(FILLER_WIDTH)
    combo.view().setMinimumWidth(POPUP_WIDTH)
    return combo


def _label(text: str, definition: str) -> QLabel:
    label = QLabel(text)
    label.setToolTip(definition)
    return label


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


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


class EventDialog(QDialog):
    """Type, roles (each filled by a mention of the layer, or left empty) and attributes of a new event.

    Only the attributes that apply to the chosen type are asked (the schema's `applies_to`). The trigger and
    type stay on top and the buttons at the bottom; the rest scrolls when the window is too short for it."""

    def __init__(self, parent: QWidget, schema: Schema, trigger: str, fillers: tuple[list[Choice], list[Choice]],
                 actors: list[Choice], date_order: DateOrder = "day-first"):
        """`fillers`: the mentions of the trigger's paragraph and the others, as (words in context, mention id)."""
        super().__init__(parent)
        self.setWindowTitle("New event")
        self.schema, self.fillers, self.actors, self.date_order = schema, fillers, actors, date_order
        self.event_type = _combo([(name, name) for name in schema.event_types],
                                 {name: event.definition for name, event in schema.event_types.items()})
        self.top = QFormLayout()
        self.top.addRow("Trigger", QLabel(f"<b>“{html.escape(' '.join(trigger.split()))}”</b>",
                                          textFormat=Qt.TextFormat.RichText))
        self.top.addRow("Type", self.event_type)
        body = QWidget()
        self.form = QFormLayout(body)
        self.date = QLineEdit(placeholderText="when it happened: 2020, Feb 2020, 5/2/2020…")
        self.date_reading = QLabel()
        self.date.textChanged.connect(self._read_date)
        self.form.addRow("Date", self.date)
        self.form.addRow("", self.date_reading)
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        self.buttons = _ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.scroll)
        layout.addWidget(self.buttons)
        self.fields: dict[str, tuple[QWidget, Callable[[], Any]]] = {}
        self.roles: dict[str, QComboBox] = {}
        self.event_type.currentIndexChanged.connect(self._rebuild)
        self._rebuild()

    def _rebuild(self) -> None:
        """Roles and attributes of the chosen type; a role the new type shares keeps its filler."""
        chosen = {role: combo.currentData() for role, combo in self.roles.items()}
        while self.form.rowCount() > FIXED_EVENT_ROWS:
            self.form.removeRow(FIXED_EVENT_ROWS)
        event_type = self.event_type.currentData()
        event = self.schema.event_types[event_type]
        self.event_type.setToolTip(event.definition)
        self.roles = {role: _filler_combo(*self.fillers) for role in event.roles}
        for role, combo in self.roles.items():
            combo.setCurrentIndex(max(0, combo.findData(chosen.get(role))))
            self.form.addRow(role, combo)
        self.fields = {}
        for name, spec in self.schema.event_attributes.items():
            field = _attribute_field(spec, event.modes, self.actors) if spec.applies(event_type) else None
            if field is not None:
                self.fields[name] = field
                field[0].setToolTip(spec.definition)
                self.form.addRow(_label(name, spec.definition), field[0])
        self._fit()

    def _fit(self) -> None:
        """As tall as its fields, but never taller than the window it covers (nor the screen): the fields scroll
        instead, each at its full height."""
        window = self.parentWidget().window()
        cap = min(window.height(), window.screen().availableGeometry().height())
        margins = self.layout().contentsMargins()
        fixed = (self.top.sizeHint().height() + self.buttons.sizeHint().height() + 2 * self.layout().spacing()
                 + margins.top() + margins.bottom())
        body = self.scroll.widget()
        for row in range(FIXED_EVENT_ROWS, self.form.rowCount()):
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole):
                # Rows added to a shown form appear a turn later, and until then count for nothing in its size.
                self.form.itemAt(row, role).widget().show()
        wanted = body.sizeHint()
        body.setMinimumHeight(wanted.height())
        self.scroll.setMinimumHeight(max(0, min(wanted.height(), cap - fixed)))
        self.scroll.setMinimumWidth(wanted.width() + self.scroll.verticalScrollBar().sizeHint().width())
        self.setMaximumHeight(cap)
        self.resize(self.sizeHint().width(), min(fixed + wanted.height(), cap))

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


class StanceDialog(QDialog):
    """Holder, target actor or issue, label (with its polarity), strength; the evidence is the selection."""

    def __init__(self, parent: QWidget, schema: Schema, actors: list[Choice], holder: str | None,
                 target: str | None = None):
        """`holder` and `target`: actors guessed from the evidence's mentions, pre-selected."""
        super().__init__(parent)
        self.setWindowTitle("New stance")
        self.holder = _combo(actors)
        if holder is not None:
            self.holder.setCurrentIndex(max(0, self.holder.findData(holder)))
        self.target = _combo([("(no actor)", None), *actors])
        self.target.setCurrentIndex(max(0, self.target.findData(target)))
        self.issue = QLineEdit(placeholderText="issue or policy, when the target is not an actor")
        self.position = _combo([("", None), ("in favour (+1)", 1), ("against (-1)", -1)])
        sign = {1: "+", 0: "0", -1: "−"}
        self.label = _combo([(f"{label}  ({sign[polarity]})", label)
                             for label, polarity in schema.stance_labels.items()], schema.stance_definitions)
        self.strength = QSpinBox(minimum=1, maximum=3, value=2)
        self.implicit = QCheckBox("the target is not mentioned in the evidence")
        form = QFormLayout(self)
        for text, widget in (("Holder", self.holder), ("Label", self.label), ("Target", self.target),
                             ("Issue", self.issue), ("Issue position", self.position), ("Strength", self.strength),
                             ("", self.implicit)):
            form.addRow(text, widget)
        form.addRow(_ok_cancel(self))

    def values(self) -> dict[str, Any]:
        return {"holder_id": self.holder.currentData(), "label": self.label.currentData(),
                "target_id": self.target.currentData(), "issue": self.issue.text().strip() or None,
                "issue_position": self.position.currentData(), "strength": self.strength.value(),
                "implicit_target": self.implicit.isChecked()}
