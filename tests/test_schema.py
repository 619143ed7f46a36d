"""Schemas: the shipped default, every validation error naming its key, and the checks annotations meet."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from workstation.core.errors import SchemaViolation, UserError
from workstation.core.schema import Schema, default_schema, load_schema, schema_from_dict

PASE = default_schema()


def test_default_schema_contents():
    assert len(PASE.entity_types) == 14 and PASE.has_actors
    assert set(PASE.mention_types) == {"NAME", "NOMINAL", "PRONOUN"}
    assert len(PASE.stance_labels) == 10 and PASE.polarity("THREATEN") == -1 and PASE.polarity("SUPPORT") == 1
    assert len(PASE.event_types) == 16
    threaten = PASE.event_types["THREATEN"]
    assert "source" in threaten.roles and "violence" in threaten.modes and threaten.group == "verbal conflict"
    assert PASE.actor_kinds == ("person", "organization", "state", "group")
    assert PASE.relation_types == ("CAUSE", "SUBEVENT", "PRECONDITION")


@pytest.mark.parametrize("name, kind", [
    ("realis", "choice"), ("negated", "bool"), ("dead", "int"), ("mode", "list"), ("context", "list"),
    ("attributed_to", "actor"), ("hopper", "text"),
])
def test_attribute_kinds_are_inferred(name: str, kind: str):
    assert PASE.event_attributes[name].kind == kind


def broken(mutate) -> dict:
    data = copy.deepcopy(PASE.data)
    mutate(data)
    return data


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("version"), "missing key 'version'"),
    (lambda d: d.update(name=""), "name: expected a non-empty string"),
    (lambda d: d.pop("actor_types"), "missing key 'actor_types'"),
    (lambda d: d.update(actor_types={}), "actor_types: at least one type is needed"),
    (lambda d: d["actor_types"].update(GOV=3), "actor_types.GOV: expected a description string"),
    (lambda d: d["event_types"]["THREATEN"].update(roles="source"),
     "event_types.THREATEN.roles: expected a list of strings, got 'source'"),
    (lambda d: d["event_types"]["THREATEN"].pop("roles"), "event_types.THREATEN: missing key 'roles'"),
    (lambda d: d["event_types"]["CONSULT"].update(modes=[1]), "event_types.CONSULT.modes: expected a list"),
    (lambda d: d["event_types"].update(AGREE=[]), "event_types.AGREE: expected an object"),
    (lambda d: d["stance_labels"].update(SUPPORT=2), "stance_labels.SUPPORT: polarity must be -1, 0 or 1, got 2"),
    (lambda d: d["stance_labels"].update(SUPPORT=True), "stance_labels.SUPPORT: polarity must be"),
    (lambda d: d["event_attributes"].update(realis=5), "event_attributes.realis: expected a list of values"),
    (lambda d: d["actor_fields"].update(kind="person"), "actor_fields.kind: expected a list of strings"),
    (lambda d: d.update(relation_types=[3]), "relation_types: expected a list of strings"),
])
def test_validation_errors_name_the_bad_key(mutate, message: str):
    with pytest.raises(UserError) as caught:
        schema_from_dict(broken(mutate), "my-schema.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("my-schema.json: ")


def test_bad_files(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "name": "x",\n  oops\n}')
    with pytest.raises(UserError, match=r"bad.json:3: invalid JSON"):
        load_schema(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(UserError, match="expected an object"):
        load_schema(bad)
    with pytest.raises(UserError, match="cannot read the schema"):
        load_schema(tmp_path / "absent.json")


def test_schema_without_actors():
    schema = schema_from_dict({"name": "brat-like", "version": "1", "entity_types": ["Person", "GPE"],
                               "relation_types": {"Located": "Arg1 in Arg2"}})
    assert not schema.has_actors and set(schema.entity_types) == {"Person", "GPE"}
    schema.check_entity_type("GPE")
    schema.check_mention_type(None)
    with pytest.raises(SchemaViolation, match="unknown mention type 'NAME'"):
        schema.check_mention_type("NAME")
    with pytest.raises(SchemaViolation, match="unknown entity type 'GOV'"):
        schema.check_entity_type("GOV")
    schema.check_relation_type("Located")


@pytest.mark.parametrize("call, args, message", [
    ("check_entity_type", ("ALIEN",), "unknown actor type 'ALIEN' (allowed: CIVILIANS, GOV"),
    ("check_actor_kind", ("robot",), "unknown actor kind 'robot'"),
    ("check_mention_type", ("TITLE",), "unknown mention type 'TITLE'"),
    ("check_stance_label", ("LOVE",), "unknown stance label 'LOVE'"),
    ("check_event_type", ("EXPLODE",), "unknown event type 'EXPLODE' (allowed: ACCUSE, AGREE"),
    ("check_role", ("THREATEN", "destination"), "event type THREATEN has no role 'destination'"),
    ("check_relation_type", ("BEFORE",), "unknown relation type 'BEFORE'"),
    ("check_event_attributes", ("THREATEN", {"realis": "maybe"}), "attribute realis: 'maybe' is not one of"),
    ("check_event_attributes", ("THREATEN", {"negated": "no"}), "attribute negated: expected true or false"),
    ("check_event_attributes", ("THREATEN", {"dead": True}), "attribute dead: expected an integer or null"),
    ("check_event_attributes", ("THREATEN", {"mode": ["visit"]}), "mode 'visit' is not a mode of this type"),
    ("check_event_attributes", ("THREATEN", {"mode": "violence"}), "attribute mode: expected a list"),
    ("check_event_attributes", ("THREATEN", {"colour": "red"}), "unknown event attribute 'colour'"),
    ("check_event_attributes", ("THREATEN", {"attributed_to": 5}), "attribute attributed_to: expected a string"),
])
def test_checks_refuse_with_what_is_allowed(call: str, args: tuple, message: str):
    with pytest.raises(SchemaViolation) as caught:
        getattr(PASE, call)(*args)
    assert message in str(caught.value)


def test_checks_accept_valid_values():
    PASE.check_entity_type("GOV")
    PASE.check_actor_kind(None)
    PASE.check_mention_type("PRONOUN")
    assert PASE.check_stance_label("APPEAL") == 0
    PASE.check_role("THREATEN", "source")
    PASE.check_event_attributes("THREATEN", {"realis": "future", "negated": True, "dead": None, "mode": ["sanction"],
                                             "attributed_to": None, "hopper": "h1", "context": ["x"]})


def test_json_round_trip():
    again = Schema.from_json(PASE.to_json(), "stored")
    assert again == PASE and json.loads(again.to_json()) == PASE.data
