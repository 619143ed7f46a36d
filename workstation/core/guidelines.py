"""The annotation guidelines a schema carries: each type's definition and the general rules.

An annotator deciding between NOMINAL and NAME, or ACCUSE and CRITICIZE, needs
the definitions while annotating, not in a separate document; they are read
from the schema's own JSON (`def` texts, descriptions, `key_rules`), so a
project's guidelines are always those of the schema it was annotated with. A
schema without definitions (e.g. one read from a brat `annotation.conf`) still
lists its names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workstation.core.schema import Schema

RULES = "Annotation rules"
POLARITY_WORDS = {1: "positive (+1) toward the target", 0: "neutral (0) toward the target",
                  -1: "negative (-1) toward the target"}


@dataclass(frozen=True)
class Guideline:
    """One entry of the guidelines; `details` holds what the schema says besides the definition (roles,
    modes, values)."""

    section: str
    name: str
    definition: str
    details: str = ""

    def matches(self, words: list[str]) -> bool:
        """Every word occurs somewhere in the entry, ignoring case (the filter field narrows as one types)."""
        haystack = " ".join((self.section, self.name, self.definition, self.details)).casefold()
        return all(word in haystack for word in words)


def schema_guidelines(schema: Schema) -> list[Guideline]:
    """Entries in the order an annotator meets them: who (types, mentions), what they think (stances), what
    happens (events, attributes), then the general rules."""
    data = schema.data
    types = "Actor types" if schema.has_actors else "Entity types"
    entries = [Guideline(types, name, _text(value)) for name, value in _named(data.get(
        "actor_types" if schema.has_actors else "entity_types")).items()]
    entries += [Guideline("Mention types", name, _text(value)) for name, value in _named(
        data.get("mention_types")).items()]
    entries += [_stance_label(name, value) for name, value in _named(data.get("stance_labels")).items()]
    entries += [Guideline("Stance fields", name, _text(value)) for name, value in _named(
        data.get("stance_fields")).items()]
    entries += [_event_type(name, value) for name, value in _named(data.get("event_types")).items()]
    entries += [_attribute(name, value) for name, value in _named(data.get("event_attributes")).items()]
    rules = data.get("key_rules")
    if isinstance(rules, list):
        entries += [Guideline(RULES, f"Rule {number}", str(rule))
                    for number, rule in enumerate(rules, start=1)]
    return entries


def filter_guidelines(entries: list[Guideline], query: str) -> list[Guideline]:
    words = query.casefold().split()
    return [entry for entry in entries if entry.matches(words)]


def _named(value: Any) -> dict[str, Any]:
    """A name → description object; a schema may also give a plain list of names (no descriptions)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {str(name): "" for name in value}
    return {}


def _text(value: Any) -> str:
    """A description, or the `def` of an object (later schema versions may give a type as an object)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("def", ""))
    return ""


def _stance_label(name: str, value: Any) -> Guideline:
    polarity = value.get("polarity") if isinstance(value, dict) else value
    return Guideline("Stance labels", name, _text(value), POLARITY_WORDS.get(polarity, ""))


def _event_type(name: str, value: Any) -> Guideline:
    body = value if isinstance(value, dict) else {}
    details = [f"{key}: {', '.join(body[key])}" for key in ("roles", "modes") if body.get(key)]
    if body.get("quad"):
        details.insert(0, str(body["quad"]))
    return Guideline("Event types", name, _text(value), "; ".join(details))


def _attribute(name: str, value: Any) -> Guideline:
    """PASE gives an attribute as a list of values or as prose; an object may carry values and `applies_to`."""
    if isinstance(value, list):
        return Guideline("Event attributes", name, "", f"values: {', '.join(map(str, value))}")
    body = value if isinstance(value, dict) else {}
    details = [f"{label}: {', '.join(map(str, body[key]))}" for key, label in (("values", "values"),
                                                                               ("applies_to", "applies to"))
               if isinstance(body.get(key), list)]
    return Guideline("Event attributes", name, _text(value), "; ".join(details))
