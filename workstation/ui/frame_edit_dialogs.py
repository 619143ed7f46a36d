"""Forms that edit an existing event or stance: the new-item forms, filled with what the item holds.

Subclasses rather than options of the new-item forms, so that those forms can
change (which attributes apply to a type, how fillers are listed) without these,
and an edit form gets such improvements for free.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QListWidget, QSpinBox, QWidget

from workstation.core.dates import DateOrder
from workstation.core.schema import METADATA_ATTRIBUTES, Schema
from workstation.ui.frame_dialogs import Choice, EventDialog, StanceDialog


def _show(widget: QWidget, value: Any) -> None:
    """Put a stored attribute value into the field the event form made for its kind."""
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(-1 if value is None else value)
    elif isinstance(widget, QListWidget):
        for position in range(widget.count()):
            item = widget.item(position)
            item.setCheckState(Qt.CheckState.Checked if item.text() in (value or ()) else Qt.CheckState.Unchecked)
    elif isinstance(widget, QLineEdit):
        widget.setText(", ".join(value) if isinstance(value, list) else value or "")


class EventEditDialog(EventDialog):
    """The event form with the event's type, attributes and date, without its roles: arguments are added with A
    and deleted in the frames tree, so that OK changes only what the form shows. Values survive a change of
    type as far as the new type has the same attributes."""

    def __init__(self, parent: QWidget, schema: Schema, trigger: str, actors: list[Choice], date_order: DateOrder,
                 event_type: str, attributes: dict[str, Any], date: str | None):
        self.kept, self.first_type, self.built = dict(attributes), event_type, False
        super().__init__(parent, schema, trigger, ([], []), actors, date_order)
        self.setWindowTitle("Edit event")
        self.date.setText(date or "")

    def _rebuild(self) -> None:
        """The first build is for the event's own type (one for the form's first type would drop the values
        that type lacks); later ones keep what the form shows."""
        if self.built:
            self.kept = {**{name: value for name, value in self.kept.items() if name not in self.fields},
                         **super().attributes()}
        else:
            with QSignalBlocker(self.event_type):
                self.event_type.setCurrentIndex(max(0, self.event_type.findData(self.first_type)))
            self.built = True
        super()._rebuild()
        for combo in self.roles.values():
            self.form.setRowVisible(combo, False)
        for name, (widget, _) in self.fields.items():
            _show(widget, self.kept.get(name))

    def attributes(self) -> dict[str, Any]:
        """What the form shows, and the notes and links no form field shows, as they were."""
        return {**{name: value for name, value in self.kept.items() if name in METADATA_ATTRIBUTES},
                **super().attributes()}


class StanceEditDialog(StanceDialog):
    """The stance form filled with a stance's values (`stance_values`); its evidence stays as it is."""

    def __init__(self, parent: QWidget, schema: Schema, actors: list[Choice], values: dict[str, Any]):
        super().__init__(parent, schema, actors, values["holder_id"])
        self.setWindowTitle("Edit stance")
        for combo, name in ((self.label, "label"), (self.target, "target_id"), (self.position, "issue_position")):
            combo.setCurrentIndex(max(0, combo.findData(values[name])))
        self.issue.setText(values["issue"] or "")
        self.strength.setValue(values["strength"])
        self.implicit.setChecked(values["implicit_target"])
