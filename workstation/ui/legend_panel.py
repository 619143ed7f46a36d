"""The legend beside the text: every type of the schema drawn as it appears over the text, with its
definition as tooltip; double-clicking a type chooses another colour for it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QColorDialog, QTreeWidget, QTreeWidgetItem

from workstation.core.schema import Schema
from workstation.ui.palette import TypeColours

SWATCH = 18
TYPE_ROLE = Qt.ItemDataRole.UserRole


class LegendPanel(QTreeWidget):
    def __init__(self, choose: Callable[[str, QColor], None]):
        super().__init__()
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setToolTip("Double-click a type to choose its colour for this project")
        self._choose = choose
        self.itemDoubleClicked.connect(self._pick)

    def show_types(self, schema: Schema, colours: TypeColours) -> None:
        """One group per kind of mark, in the schema's order."""
        self.clear()
        groups = (("Actor types (linked mentions)", schema.entity_types, "fill"),
                  ("Mention types (no actor)", schema.mention_types, "fill"),
                  ("Event types (triggers)", {name: kind.definition for name, kind in schema.event_types.items()},
                   "outline"),
                  ("Stance labels (arcs, evidence)", schema.stance_labels, "dots"))
        for title, types, style in groups:
            group = QTreeWidgetItem(self, [title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for name, definition in types.items():
                entry = QTreeWidgetItem(group, [name])
                entry.setIcon(0, _swatch(colours, name, style))
                entry.setData(0, TYPE_ROLE, name)
                if isinstance(definition, str) and definition:
                    entry.setToolTip(0, definition)
        self.expandAll()

    def _pick(self, entry: QTreeWidgetItem) -> None:
        name = entry.data(0, TYPE_ROLE)
        if name is None:
            return
        colour = QColorDialog.getColor(parent=self, title=f"Colour of {name}")
        if colour.isValid():
            self._choose(name, colour)


def _swatch(colours: TypeColours, name: str, style: str) -> QIcon:
    """A small picture of the mark: a filled box (mentions), an outlined box over an underline (triggers), a
    dotted underline (evidence)."""
    pixmap = QPixmap(SWATCH, SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colour = colours.colour(name)
    box = QRectF(1.5, 3.5, SWATCH - 3, SWATCH - 7)
    if style == "fill":
        painter.setPen(QPen(colour.darker(150), 1))
        painter.setBrush(colours.fill(name))
        painter.drawRoundedRect(box, 3, 3)
    elif style == "outline":
        painter.setPen(QPen(colour.darker(130), 1.5))
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(box, 3, 3)
        painter.drawLine(2, SWATCH - 2, SWATCH - 2, SWATCH - 2)
    else:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour.darker(130), 1.5))
        painter.drawArc(QRectF(2, 4, SWATCH - 4, SWATCH - 4), 0, 180 * 16)
        painter.setPen(QPen(colour.darker(130), 1.5, Qt.PenStyle.DotLine))
        painter.drawLine(2, SWATCH - 2, SWATCH - 2, SWATCH - 2)
    painter.end()
    return QIcon(pixmap)
