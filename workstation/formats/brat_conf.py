"""brat's annotation.conf ↔ our schema, so a brat corpus comes in with its own types and goes out with a conf.

Reading keeps each brat line's argument spec (`brat` keys in the schema data)
so that writing the conf back gives brat the same constraints it had.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.core.schema import Schema

SECTIONS = ("entities", "relations", "events", "attributes")
SPAN_TYPE = "Span"
STANCE_TYPE = "Stance"
MENTION_TYPE_ATTRIBUTE = "MentionType"
ROLE_SUFFIX = re.compile(r"[?*+]$|\{\d*(?:-\d*)?\}$")


def _sections(text: str, path: Path) -> dict[str, list[tuple[int, str]]]:
    sections: dict[str, list[tuple[int, str]]] = {name: [] for name in SECTIONS}
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line.strip())
        if header:
            current = header.group(1)
            if current not in sections:
                raise UserError(f"unknown section [{current}]", file=path, line=number)
            continue
        if current is None:
            raise UserError("a definition before the first [section]", file=path, line=number)
        sections[current].append((number, line))
    return sections


def _name_and_spec(line: str) -> tuple[str, str]:
    parts = line.strip().split(None, 1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _roles(spec: str) -> tuple[list[str], list[str]]:
    """Role names of an event line, and those among them filled by events (<EVENT>)."""
    roles, event_roles = [], []
    for argument in filter(None, (part.strip() for part in spec.split(","))):
        role, _, types = argument.partition(":")
        role = ROLE_SUFFIX.sub("", role.strip())
        if role not in roles:
            roles.append(role)
        if "<EVENT>" in types and role not in event_roles:
            event_roles.append(role)
    return roles, event_roles


def _attribute(spec: str) -> tuple[str, Any]:
    """(target, schema value): a value list, or prose saying the attribute is binary."""
    fields = dict(part.strip().split(":", 1) for part in spec.split(",") if ":" in part)
    target = fields.get("Arg", "<ENTITY>").strip()
    values = fields.get("Value")
    return target, values.strip().split("|") if values else "bool (brat binary attribute)"


def conf_to_schema_data(text: str, path: Path) -> dict[str, Any]:
    sections = _sections(text, path)
    entities = [name.lstrip("!") for _, line in sections["entities"]
                if not (name := line.strip()).startswith("!")]
    if not entities:
        raise UserError("no entity types in [entities]", file=path)
    relations: dict[str, str] = {}
    for _, line in sections["relations"]:
        name, spec = _name_and_spec(line)
        if not name.startswith("<"):
            relations[name] = spec
    events: dict[str, Any] = {}
    for _, line in sections["events"]:
        name, spec = _name_and_spec(line)
        if name.startswith(("!", "<")):
            continue
        roles, event_roles = _roles(spec)
        events[name] = {"roles": roles, "brat": spec}
        for role in event_roles:
            relations.setdefault(role, f"event argument of {name} (Arg1:<EVENT>, Arg2:<EVENT>)")
    event_attributes, entity_attributes = {}, {}
    for _, line in sections["attributes"]:
        name, spec = _name_and_spec(line)
        target, value = _attribute(spec)
        (event_attributes if target == "<EVENT>" else entity_attributes)[name] = value
    return {"name": f"brat annotation.conf ({path.parent.name})", "version": "brat",
            "entity_types": {name: "" for name in entities}, "relation_types": relations,
            "event_types": events, "event_attributes": event_attributes, "entity_attributes": entity_attributes}


def load_conf_schema(path: Path) -> Schema:
    from workstation.core.schema import schema_from_dict
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read the brat configuration ({error})", file=path) from None
    return schema_from_dict(conf_to_schema_data(text, path), str(path))


def _values(values: Any) -> str:
    return f", Value:{'|'.join(values)}" if isinstance(values, (list, tuple)) and values else ""


def schema_to_conf(schema: Schema) -> str:
    """An annotation.conf that accepts everything our brat export writes for this schema."""
    data = schema.data
    entities = [*schema.entity_types, SPAN_TYPE]
    relations = [f"{name}\t{description if ':' in description else 'Arg1:<ANY>, Arg2:<ANY>'}"
                 for name, description in _relation_specs(schema).items()]
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
    blocks = [("entities", entities), ("relations", relations), ("events", events), ("attributes", attributes)]
    return "".join(f"[{title}]\n" + "".join(f"{line}\n" for line in lines) + "\n" for title, lines in blocks)


def _relation_specs(schema: Schema) -> dict[str, str]:
    described = schema.data.get("relation_types")
    return dict(described) if isinstance(described, dict) else {name: "" for name in schema.relation_types}


def _role_spec(roles: tuple[str, ...]) -> str:
    return ", ".join(f"{role}*:<ENTITY>" for role in roles)
