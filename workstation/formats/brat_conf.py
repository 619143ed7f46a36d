"""brat's annotation.conf ↔ our schema, so a brat corpus comes in with its own types and goes out with a conf.

The reader follows brat's own rules (server/src/projectconfig.py): four
sections, `[spans]` being another name for `[entities]`; `#` comments; lines
of hyphens as separators; `<NAME>=...` macros, expanded in the section that
defines them; `Name|alias` terms whose first term is the type; `!` for types
that only group others; `Role?`/`*`/`+`/`{n-m}` multiplicities; argument
types `<ENTITY>`, `<EVENT>`, `<ANY>` or type names; repeated relation lines
and `<OVERLAP>`/`<ENTITY-NESTING>` constraints; `[attributes]` with `Arg:`
and `Value:`.

The configuration lines themselves are kept in the schema data (`brat_conf`),
comments aside, so that exporting a brat-sourced project gives brat back the
same types and the same constraints, not our reading of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.core.schema import Schema

SECTIONS = ("entities", "relations", "events", "attributes")
SECTION_ALIASES = {"spans": "entities"}
"""brat reads `[spans]` as `[entities]`."""
RESERVED = ("ANY", "ENTITY", "RELATION", "EVENT", "NONE", "REL-TYPE")
"""Names brat keeps for itself: `<EVENT>` and the like cannot be redefined by a macro."""
SPAN_TYPE = "Span"
STANCE_TYPE = "Stance"
MENTION_TYPE_ATTRIBUTE = "MentionType"
CONF_KEY = "brat_conf"
"""Schema data key holding the configuration lines of a brat-sourced schema, by section."""
EVENT_ROLE_NOTE = "event argument of"
"""How a relation type that only names an event-filled role is described: never written to [relations]."""
ROLE_SUFFIX = re.compile(r"[?*+]$|\{\d*(?:-\d*)?\}$")
MACRO = re.compile(r"^<([A-Za-z_-]+)>=\s*(.*?)\s*$")
SEPARATOR = re.compile(r"^\s*-+\s*$")
DEFINITION = re.compile(r"^(\s*)(\S+)(?:\s+(.*))?$")
BINARY = "bool (brat binary attribute)"
COMPANION_FILES = ("visual.conf", "tools.conf", "kb_shortcuts.conf")
"""brat configuration files about display and tools: nothing in them is annotation, so they are not read."""


@dataclass
class Definition:
    """One type line of a section: its type (first term), whether it only groups others (`!`), its arguments."""

    name: str
    disabled: bool
    arguments: list[tuple[str, str]]
    line: int


@dataclass
class BratConf:
    """A parsed annotation.conf: the definitions per section and the lines to write back."""

    definitions: dict[str, list[Definition]] = field(default_factory=lambda: {name: [] for name in SECTIONS})
    lines: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in SECTIONS})


def _arguments(spec: str, path: Path, number: int) -> list[tuple[str, str]]:
    arguments = []
    for argument in filter(None, (part.strip() for part in spec.split(","))):
        key, colon, types = argument.partition(":")
        if not colon or not key or not types:
            raise UserError(f"cannot read the argument '{argument}' (expected ROLE:TYPE)", file=path, line=number)
        arguments.append((key, types))
    return arguments


def _definition(line: str, macros: dict[str, str], path: Path, number: int) -> Definition:
    for macro, value in macros.items():
        line = line.replace(macro, value)
    match = DEFINITION.match(line)
    if match is None:
        raise UserError(f"cannot read the line {line.strip()!r}", file=path, line=number)
    terms = [term.strip() for term in match.group(2).split("|") if term.strip()]
    if not terms:
        raise UserError("a definition without a type name", file=path, line=number)
    return Definition(terms[0].lstrip("!"), any(term.startswith("!") for term in terms),
                      _arguments(match.group(3) or "", path, number), number)


def parse_conf(text: str, path: Path) -> BratConf:
    """Sections, macros (each section has its own), separators and definitions, brat's way."""
    conf = BratConf()
    section: str | None = None
    macros: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            if section is not None and not line.strip() and conf.lines[section] and conf.lines[section][-1]:
                conf.lines[section].append("")
            continue
        header = re.fullmatch(r"\s*\[(.*)\]\s*", line)
        if header:
            name = header.group(1).strip()
            section = SECTION_ALIASES.get(name, name)
            if section not in SECTIONS:
                raise UserError(f"unknown section [{name}] (brat reads {', '.join(f'[{s}]' for s in SECTIONS)}"
                                " and [spans] for [entities])", file=path, line=number)
            macros = {}
            continue
        if section is None:
            raise UserError("a definition before the first [section]", file=path, line=number)
        conf.lines[section].append(line)
        if SEPARATOR.match(line):
            continue
        macro = MACRO.match(line)
        if macro:
            if macro.group(1) in RESERVED:
                raise UserError(f"<{macro.group(1)}> is reserved by brat and cannot be a macro", file=path,
                                line=number)
            macros[f"<{macro.group(1)}>"] = macro.group(2)
            continue
        conf.definitions[section].append(_definition(line, macros, path, number))
    for lines in conf.lines.values():
        while lines and not lines[-1]:
            lines.pop()
    return conf


def _role(key: str) -> str:
    return ROLE_SUFFIX.sub("", key)


def _is_special(key: str) -> bool:
    """`<REL-TYPE>:symmetric-transitive`, `<OVL-TYPE>:...`: constraints, not arguments."""
    return key.startswith("<")


def _attribute(definition: Definition, event_names: set[str]) -> tuple[list[str], bool, Any]:
    """(event types it applies to, whether it applies to entities or relations, schema value)."""
    fields = dict(definition.arguments)
    targets = [target.strip() for target in fields.get("Arg", "<ENTITY>").split("|")]
    values = fields.get("Value")
    value: Any = [v.strip() for v in values.split("|")] if values else BINARY
    events = [t for t in targets if t == "<EVENT>" or t in event_names]
    return events, len(events) < len(targets), value


def conf_to_schema_data(text: str, path: Path) -> dict[str, Any]:
    """Schema data for a brat configuration: types and roles for checking imports, the lines for writing back."""
    conf = parse_conf(text, path)
    entities = [d.name for d in conf.definitions["entities"] if not d.disabled]
    if not entities:
        raise UserError("no entity types in [entities]", file=path)
    event_names = {d.name for d in conf.definitions["events"]}
    relations: dict[str, list[str]] = {}
    for d in conf.definitions["relations"]:
        if not d.name.startswith("<"):
            relations.setdefault(d.name, []).append(", ".join(f"{key}:{types}" for key, types in d.arguments))
    descriptions = {name: "; ".join(specs) for name, specs in relations.items()}
    events: dict[str, Any] = {}
    for d in conf.definitions["events"]:
        if d.disabled:
            continue
        roles = list(dict.fromkeys(_role(key) for key, _ in d.arguments if not _is_special(key)))
        events[d.name] = {"roles": roles}
        for key, types in d.arguments:
            if not _is_special(key) and any(t in event_names or t in ("<EVENT>", "<ANY>") for t in types.split("|")):
                descriptions.setdefault(_role(key), f"{EVENT_ROLE_NOTE} {d.name}")
    event_attributes: dict[str, Any] = {}
    entity_attributes: dict[str, Any] = {}
    for d in conf.definitions["attributes"]:
        applies_to, to_entities, value = _attribute(d, set(events))
        if applies_to:
            typed = [t for t in applies_to if t in events]
            event_attributes[d.name] = {"values": value} if isinstance(value, list) else {"type": value}
            if typed and "<EVENT>" not in applies_to:
                event_attributes[d.name]["applies_to"] = typed
        if to_entities:
            entity_attributes[d.name] = value
    return {"name": f"brat annotation.conf ({path.parent.name})", "version": "brat",
            "entity_types": {name: "" for name in entities}, "relation_types": descriptions,
            "event_types": events, "event_attributes": event_attributes, "entity_attributes": entity_attributes,
            CONF_KEY: conf.lines}


def load_conf_schema(path: Path) -> Schema:
    from workstation.core.schema import schema_from_dict
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read the brat configuration ({error})", file=path) from None
    return schema_from_dict(conf_to_schema_data(text, path), str(path))


def is_brat_sourced(schema: Schema) -> bool:
    return isinstance(schema.data.get(CONF_KEY), dict)


def schema_to_conf(schema: Schema, with_span: bool = True) -> str:
    """An annotation.conf that accepts everything our brat export wrote for this schema: the source's own
    lines for a brat-sourced schema (with `Span` only when free-span arguments were written, so the source's
    types come back exactly), else one built from the schema."""
    if is_brat_sourced(schema):
        lines = schema.data[CONF_KEY]
        blocks = {title: list(lines.get(title, [])) for title in SECTIONS}
        if with_span:
            blocks["entities"].append(SPAN_TYPE)
    else:
        blocks = _built_conf(schema)
    return "".join(f"[{title}]\n" + "".join(f"{line}\n" for line in body) + "\n" for title, body in blocks.items())


def _built_conf(schema: Schema) -> dict[str, list[str]]:
    data = schema.data
    relations = [f"{name}\t{description if ':' in description else 'Arg1:<ANY>, Arg2:<ANY>'}"
                 for name, description in _relation_specs(schema).items()
                 if not description.startswith(EVENT_ROLE_NOTE)]
    events = [f"{name}\t{data.get('event_types', {}).get(name, {}).get('brat') or _role_spec(event.roles)}"
              for name, event in schema.event_types.items()]
    attributes = [f"{name}\tArg:<EVENT>{_values(spec.values)}" for name, spec in schema.event_attributes.items()
                  if spec.kind in ("choice", "bool")]
    attributes += [f"{name}\tArg:<ENTITY>{_values(values)}"
                   for name, values in data.get("entity_attributes", {}).items()]
    if schema.mention_types:
        attributes.append(f"{MENTION_TYPE_ATTRIBUTE}\tArg:<ENTITY>, Value:{'|'.join(schema.mention_types)}")
    if schema.stance_labels:
        events.append(f"{STANCE_TYPE}\tHolder:<ENTITY>, Target?:<ENTITY>")
        attributes += [f"StanceLabel\tArg:{STANCE_TYPE}, Value:{'|'.join(schema.stance_labels)}",
                       f"Strength\tArg:{STANCE_TYPE}, Value:1|2|3", f"ImplicitTarget\tArg:{STANCE_TYPE}"]
    return {"entities": [*schema.entity_types, SPAN_TYPE], "relations": relations, "events": events,
            "attributes": attributes}


def _values(values: Any) -> str:
    return f", Value:{'|'.join(values)}" if isinstance(values, (list, tuple)) and values else ""


def _relation_specs(schema: Schema) -> dict[str, str]:
    described = schema.data.get("relation_types")
    return dict(described) if isinstance(described, dict) else {name: "" for name in schema.relation_types}


def _role_spec(roles: tuple[str, ...]) -> str:
    return ", ".join(f"{role}*:<ENTITY>" for role in roles)
