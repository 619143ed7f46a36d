"""The colours of the schema's types: one per actor, mention and event type, chosen from a palette that stays
apart for colour-blind readers, and changed per project by the user (stored in the project's settings).

Mentions are filled with a light tint of their type's colour so the text stays legible; event triggers are drawn
in the colour itself (underline and outlined label), so a trigger never looks like a mention.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QColor

from workstation.core.schema import Schema

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
"""Okabe and Ito's eight colours (black replaced by grey: it would hide the text it marks), distinct for the
common forms of colour blindness. More types than colours cycle through them a second time, darker."""
TINT = 0.62
"""How far a mention's fill goes from its colour towards white."""


def schema_types(schema: Schema) -> list[str]:
    """Every type a span can be drawn as, in the schema's order: actor types (a linked mention's colour),
    mention types (an unlinked one's), stance labels (evidence), event types (triggers)."""
    groups: Iterable[Iterable[str]] = (schema.entity_types, schema.mention_types, schema.stance_labels,
                                       schema.event_types)
    return list(dict.fromkeys(name for group in groups for name in group))


class TypeColours:
    """The colour of each type and the tint that fills a mention of it."""

    def __init__(self, types: list[str], chosen: Mapping[str, str] | None = None):
        self.types = types
        self._base = {name: _palette_colour(order) for order, name in enumerate(types)}
        self._chosen = {name: QColor(colour) for name, colour in (chosen or {}).items() if QColor(colour).isValid()}
        self._tints: dict[str, QColor] = {}

    def colour(self, key: str) -> QColor:
        """The type's own colour: the user's choice, else the palette's; a type not in the schema gets grey."""
        return self._chosen.get(key) or self._base.get(key) or QColor(OKABE_ITO[-1])

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
    return colour.darker(100 + 35 * (order // len(OKABE_ITO)))
