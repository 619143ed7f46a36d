"""The colours of the schema's types: one per actor, mention and event type, chosen from a palette that stays
apart for colour-blind readers, and changed per project by the user (stored in the project's settings).

Mentions are filled with a light tint of their type's colour so the text stays legible; event triggers are drawn
in the colour itself (underline and outlined label), so a trigger never looks like a mention.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QColor

from workstation.core.schema import Schema

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
"""Okabe and Ito's colours, distinct for the common forms of colour blindness (without their black, which would
hide the text it marks). A group with more types than colours cycles through them again, darker."""
UNKNOWN = "#999999"
"""A type the schema does not name (an imported label) is grey."""
TINT = 0.62
"""How far a mention's fill goes from its colour towards white."""


def schema_types(schema: Schema) -> list[list[str]]:
    """Every type a span or arc can be drawn as, by group in the schema's order: actor types (a linked mention's
    colour), mention types (an unlinked one's), stance labels (arcs and evidence), event types (triggers). Each
    group starts the palette again: the types seen side by side are those of one group."""
    return [list(group) for group in (schema.entity_types, schema.mention_types, schema.stance_labels,
                                      schema.event_types)]


class TypeColours:
    """The colour of each type and the tint that fills a mention of it."""

    def __init__(self, groups: Iterable[Iterable[str]], chosen: Mapping[str, str] | None = None):
        self._base = {name: _palette_colour(order) for group in groups for order, name in enumerate(group)}
        self._chosen = {name: QColor(colour) for name, colour in (chosen or {}).items() if QColor(colour).isValid()}
        self._tints: dict[str, QColor] = {}

    def colour(self, key: str) -> QColor:
        """The type's own colour: the user's choice, else the palette's; a type not in the schema gets grey."""
        return self._chosen.get(key) or self._base.get(key) or QColor(UNKNOWN)

    def fill(self, key: str) -> QColor:
        tint = self._tints.get(key)
        if tint is None:
            colour = self.colour(key)
            tint = self._tints[key] = QColor.fromRgbF(*(value + (1 - value) * TINT for value in
                                                        (colour.redF(), colour.greenF(), colour.blueF())))
        return tint

    def chosen(self) -> dict[str, str]:
        """The user's choices, as stored in the project."""
        return {name: colour.name() for name, colour in self._chosen.items()}

    def choose(self, key: str, colour: QColor) -> None:
        self._chosen[key] = QColor(colour)
        self._tints.pop(key, None)


def _palette_colour(order: int) -> QColor:
    colour = QColor(OKABE_ITO[order % len(OKABE_ITO)])
    return colour.darker(100 + 45 * (order // len(OKABE_ITO)))
