"""Annotation schemas: the data that decides which labels, types, roles and attributes are accepted.

A schema file is validated once, when loaded, with errors naming the dotted
key at fault; the store, the importers and the UI then ask the `Schema` (the
`check_*` methods) instead of knowing any label themselves.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, NoReturn

from workstation.core.errors import SchemaViolation, UserError
from workstation.paths import DEFAULT_SCHEMA, resource

AttributeKind = Literal["choice", "bool", "int", "list", "actor", "text"]
DEFAULT_RELATION_TYPES = ("CAUSE", "SUBEVENT", "PRECONDITION")
ATTRIBUTE_KEYS = frozenset({"values", "type", "applies_to", "def"})
METADATA_ATTRIBUTES = ("note", "notes", "normalizations", "fragments")
"""Keys any annotation may carry besides its schema attributes: a free note, typed notes (from brat), links to
external databases, and the fragments of a discontinuous span (from brat)."""


@dataclass(frozen=True)
class EventType:
    """One event type: the roles its arguments may fill and the modes (subtypes) it may take."""

    name: str
    roles: tuple[str, ...]
    modes: tuple[str, ...]
    group: str | None
    definition: str


@dataclass(frozen=True)
class AttributeSpec:
    """How an event attribute's value is checked; `values` only matters for kind "choice".

    `applies_to` names the event types whose forms offer the attribute (empty = every type), so an ACCUSE form
    does not ask for casualties; `definition` is what the form shows on hover."""

    name: str
    kind: AttributeKind
    values: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()
    definition: str = ""

    def applies(self, event_type: str) -> bool:
        return not self.applies_to or event_type in self.applies_to


def _allowed(names: Any) -> str:
    return ", ".join(sorted(names))


def _short(value: Any) -> str:
    """The offending value for a message, cut so that a whole sub-object does not flood the line."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _infer_kind(name: str, spec: str | list[str]) -> AttributeKind:
    """PASE describes attributes partly as value lists and partly in prose ("bool (...)", "int or null").

    `mode` is always a list whose allowed values depend on the event type, so it is
    recognised by name before anything else.
    """
    if name == "mode":
        return "list"
    if isinstance(spec, list):
        return "choice"
    prose = spec.strip().lower()
    if prose.startswith("bool"):
        return "bool"
    if re.match(r"int\b", prose) or "int or null" in prose:
        return "int"
    if prose.startswith("list of"):
        return "list"
    if name == "attributed_to" or "actor id" in prose:
        return "actor"
    return "text"


class _Validator:
    """Reads the raw JSON object, raising UserError with the dotted path of the bad key."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str) -> NoReturn:
        raise UserError(f"{path}: {problem}" if path else problem, file=self.source)

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value:
            self.fail(path, f"expected a non-empty string, got {_short(value)}")
        return value

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        """A list of names: non-empty strings without repeats (a repeat is almost always a typo)."""
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(path, f"expected a list of strings, got {_short(value)}")
        if "" in value:
            self.fail(path, "empty name in the list")
        repeated = sorted({item for item in value if value.count(item) > 1})
        if repeated:
            self.fail(path, f"repeated name '{repeated[0]}'")
        return tuple(value)

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_short(value)}")
        return value

    def descriptions(self, value: Any, path: str) -> dict[str, str]:
        """A name → description object (a plain list of names is accepted too)."""
        if isinstance(value, list):
            return {name: "" for name in self.strings(value, path)}
        for name, text in self.mapping(value, path).items():
            if not name:
                self.fail(path, "empty name")
            if not isinstance(text, str):
                self.fail(f"{path}.{name}", f"expected a description string, got {_short(text)}")
        return dict(value)

    def event_type(self, name: str, value: Any) -> EventType:
        path = f"event_types.{name}"
        body = self.mapping(value, path)
        if "roles" not in body:
            self.fail(path, "missing key 'roles'")
        roles = self.strings(body["roles"], f"{path}.roles")
        modes = self.strings(body["modes"], f"{path}.modes") if "modes" in body else ()
        group = self.string(body["quad"], f"{path}.quad") if "quad" in body else None
        return EventType(name, roles, modes, group, self.definition(path, body))

    def attribute(self, name: str, value: Any, event_types: dict[str, EventType]) -> AttributeSpec:
        """A list of values, a description in prose, or an object: `values` or `type` (the same two forms),
        with optional `applies_to` (event types; absent = all) and `def`."""
        path = f"event_attributes.{name}"
        if not isinstance(value, dict):
            return self._attribute(name, value, path)
        unknown = sorted(set(value) - ATTRIBUTE_KEYS)
        if unknown:
            self.fail(f"{path}.{unknown[0]}", f"unknown key (allowed: {_allowed(ATTRIBUTE_KEYS)})")
        if ("values" in value) == ("type" in value):
            self.fail(path, "give either 'values' (a list) or 'type' (a description)")
        key = "values" if "values" in value else "type"
        applies_to = self.strings(value.get("applies_to", []), f"{path}.applies_to")
        unknown = [event_type for event_type in applies_to if event_type not in event_types]
        if unknown:
            self.fail(f"{path}.applies_to", f"unknown event type '{unknown[0]}' (allowed: {_allowed(event_types)})")
        return self._attribute(name, value[key], f"{path}.{key}", applies_to, self.definition(path, value))

    def _attribute(self, name: str, spec: Any, path: str, applies_to: tuple[str, ...] = (),
                   definition: str = "") -> AttributeSpec:
        """Without a `def`, a description in prose is the definition too (it is what annotators read)."""
        if isinstance(spec, list):
            self.strings(spec, path)
        elif not isinstance(spec, str):
            self.fail(path, f"expected a list of values or a description, got {_short(spec)}")
        kind = _infer_kind(name, spec)
        definition = definition or (spec if isinstance(spec, str) else "")
        return AttributeSpec(name, kind, tuple(spec) if kind == "choice" else (), applies_to, definition)

    def polarity(self, label: str, value: Any) -> int:
        """A label's polarity, given alone or as `{"polarity": ..., "def": ...}`."""
        path = f"stance_labels.{label}"
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"polarity", "def"})
            if unknown:
                self.fail(f"{path}.{unknown[0]}", "unknown key (allowed: def, polarity)")
            path, value = f"{path}.polarity", value.get("polarity")
        if type(value) is not int or value not in (-1, 0, 1):
            self.fail(path, f"polarity must be -1, 0 or 1, got {_short(value)}")
        return value

    def definition(self, path: str, value: Any) -> str:
        """The `def` of an object entry (empty when absent or when the entry is not an object)."""
        definition = value.get("def", "") if isinstance(value, dict) else ""
        if not isinstance(definition, str):
            self.fail(f"{path}.def", f"expected a string, got {_short(definition)}")
        return definition


@dataclass(frozen=True)
class Schema:
    """A validated schema; `data` is the original JSON object, kept so the project file can store it."""

    name: str
    version: str
    entity_types: dict[str, str]
    has_actors: bool
    actor_kinds: tuple[str, ...]
    mention_types: dict[str, str]
    stance_labels: dict[str, int]
    event_types: dict[str, EventType]
    event_attributes: dict[str, AttributeSpec]
    relation_types: tuple[str, ...]
    data: dict[str, Any] = field(repr=False)
    stance_definitions: dict[str, str] = field(default_factory=dict)
    """Label → definition, for the labels whose entry gives one; forms show it on hover."""

    def to_json(self) -> str:
        """Compact and key-sorted, so the same schema is stored as the same text in every project."""
        return json.dumps(self.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, source: str) -> Schema:
        """Re-validates stored text, so a hand-edited project file cannot smuggle in a broken schema."""
        try:
            return schema_from_dict(json.loads(text), source)
        except json.JSONDecodeError as error:
            raise UserError(f"invalid JSON ({error.msg})", file=source, line=error.lineno) from None

    def check_entity_type(self, name: str) -> None:
        """Mention labels and actor types must be types of this schema."""
        if name not in self.entity_types:
            kind = "actor" if self.has_actors else "entity"
            raise SchemaViolation(f"unknown {kind} type '{name}' (allowed: {_allowed(self.entity_types)})")

    def check_actor_kind(self, kind: str | None) -> None:
        """An actor's kind is optional; when given it must be one the schema lists (none listed: none allowed)."""
        if kind is None or kind in self.actor_kinds:
            return
        allowed = f"allowed: {_allowed(self.actor_kinds)}" if self.actor_kinds else "this schema has no actor kinds"
        raise SchemaViolation(f"unknown actor kind '{kind}' ({allowed})")

    def check_mention_type(self, name: str | None) -> None:
        """A mention type is optional; a schema without mention types accepts only None."""
        if name is None or name in self.mention_types:
            return
        allowed = f"allowed: {_allowed(self.mention_types)}" if self.mention_types \
            else "this schema has no mention types"
        raise SchemaViolation(f"unknown mention type '{name}' ({allowed})")

    def check_stance_label(self, label: str) -> int:
        """Returns the label's polarity, which the store saves beside the label (it is fixed by the schema)."""
        if label not in self.stance_labels:
            raise SchemaViolation(f"unknown stance label '{label}' (allowed: {_allowed(self.stance_labels)})")
        return self.stance_labels[label]

    def polarity(self, label: str) -> int:
        """Reports ask for a label's polarity; an unknown label is a violation, not a silent 0."""
        return self.check_stance_label(label)

    def check_event_type(self, name: str) -> EventType:
        """Returns the type so that callers go on to check roles and modes against it."""
        if name not in self.event_types:
            raise SchemaViolation(f"unknown event type '{name}' (allowed: {_allowed(self.event_types)})")
        return self.event_types[name]

    def check_role(self, event_type: str, role: str) -> None:
        """An argument's role must be one of its event type's roles."""
        roles = self.check_event_type(event_type).roles
        if role not in roles:
            raise SchemaViolation(f"event type {event_type} has no role '{role}' (allowed: {_allowed(roles)})")

    def check_relation_type(self, name: str) -> None:
        """Event relations (CAUSE, SUBEVENT, ...) must be types of this schema."""
        if name not in self.relation_types:
            raise SchemaViolation(f"unknown relation type '{name}' (allowed: {_allowed(self.relation_types)})")

    def check_event_attributes(self, event_type: str, attributes: dict[str, Any]) -> None:
        """Every attribute must be declared and its value of the declared kind; `mode` values must be
        modes of this event type. Metadata keys (METADATA_ATTRIBUTES) are not schema attributes."""
        modes = self.check_event_type(event_type).modes
        for name, value in attributes.items():
            if name in METADATA_ATTRIBUTES:
                continue
            spec = self.event_attributes.get(name)
            if spec is None:
                allowed = _allowed(self.event_attributes) or "none"
                raise SchemaViolation(f"unknown event attribute '{name}' (allowed: {allowed})")
            problem = _attribute_problem(spec, value, modes)
            if problem:
                raise SchemaViolation(f"attribute {name}: {problem}")


def _attribute_problem(spec: AttributeSpec, value: Any, modes: tuple[str, ...]) -> str | None:
    """What is wrong with one attribute value, or None when it fits its kind."""
    if spec.kind == "choice":
        return None if value in spec.values else f"{_short(value)} is not one of {', '.join(spec.values)}"
    if spec.kind == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {_short(value)}"
    if spec.kind == "int":
        is_int = isinstance(value, int) and not isinstance(value, bool)
        return None if value is None or is_int else f"expected an integer or null, got {_short(value)}"
    if spec.kind == "list":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return f"expected a list of strings, got {_short(value)}"
        wrong = [item for item in value if spec.name == "mode" and item not in modes]
        if wrong:
            allowed = f"allowed: {_allowed(modes)}" if modes else "this type has no modes"
            return f"mode '{wrong[0]}' is not a mode of this event type ({allowed})"
        return None
    # "actor" (an actor id, resolved by the store) and "text" are both an optional string.
    return None if value is None or isinstance(value, str) else f"expected a string or null, got {_short(value)}"


def schema_from_dict(data: dict[str, Any], source: str = "<schema>") -> Schema:
    """Validate a parsed schema file and build the Schema; errors name the dotted key and `source`.

    `data` is deep-copied so that later changes to the caller's object cannot
    change a schema that is already in use.
    """
    check = _Validator(source)
    data = copy.deepcopy(check.mapping(data, ""))
    for key in ("name", "version"):
        if key not in data:
            check.fail("", f"missing key '{key}'")
        check.string(data[key], key)
    has_actors = "actor_types" in data
    if has_actors and "entity_types" in data:
        check.fail("entity_types", "give either 'actor_types' (with actors) or 'entity_types' (without), not both")
    if not has_actors and "entity_types" not in data:
        check.fail("", "missing key 'actor_types' (or 'entity_types' for a schema without actors)")
    type_key = "actor_types" if has_actors else "entity_types"
    entity_types = check.descriptions(data[type_key], type_key)
    if not entity_types:
        check.fail(type_key, "at least one type is needed")
    kinds = check.mapping(data.get("actor_fields", {}), "actor_fields").get("kind", [])
    labels = check.mapping(data.get("stance_labels", {}), "stance_labels")
    events = check.mapping(data.get("event_types", {}), "event_types")
    attributes = check.mapping(data.get("event_attributes", {}), "event_attributes")
    relations = data.get("relation_types")
    event_types = {name: check.event_type(name, value) for name, value in events.items()}
    return Schema(
        name=data["name"], version=data["version"], entity_types=entity_types, has_actors=has_actors,
        actor_kinds=check.strings(kinds, "actor_fields.kind"),
        mention_types=check.descriptions(data.get("mention_types", {}), "mention_types"),
        stance_labels={label: check.polarity(label, value) for label, value in labels.items()},
        event_types=event_types,
        event_attributes={name: check.attribute(name, value, event_types) for name, value in attributes.items()},
        relation_types=DEFAULT_RELATION_TYPES if relations is None
        else tuple(check.descriptions(relations, "relation_types")),
        data=data,
        stance_definitions={label: text for label, value in labels.items()
                            if (text := check.definition(f"stance_labels.{label}", value))},
    )


def load_schema(path: str | Path) -> Schema:
    """A schema from a JSON file; every failure is one UserError naming the file (and line)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = (error.strerror or str(error)) if isinstance(error, OSError) else "not UTF-8 text"
        raise UserError(f"cannot read the schema ({reason})", file=path) from None
    return Schema.from_json(text, str(path))


@cache
def default_schema() -> Schema:
    """The shipped PASE schema, parsed once per process (new projects and tests all ask for it)."""
    return load_schema(resource(DEFAULT_SCHEMA))
