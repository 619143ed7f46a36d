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
    assert PASE.has_actors and len(PASE.entity_types) == 14 and "GOV" in PASE.entity_types
    assert set(PASE.mention_types) == {"NAME", "NOMINAL", "PRONOUN"}
    assert len(PASE.stance_labels) == 10
    assert PASE.polarity("THREATEN") == -1 and PASE.polarity("SUPPORT") == 1 and PASE.polarity("APPEAL") == 0
    assert len(PASE.event_types) == 16
    threaten = PASE.event_types["THREATEN"]
    assert "source" in threaten.roles and "violence" in threaten.modes and threaten.group == "verbal conflict"
    assert threaten.definition.startswith("explicit threat")
    assert PASE.event_types["AGREE"].modes == ()
    assert PASE.actor_kinds == ("person", "organization", "state", "group")
    assert PASE.relation_types == ("CAUSE", "SUBEVENT", "PRECONDITION")
    assert default_schema() is PASE


@pytest.mark.parametrize("name, kind", [
    ("realis", "choice"), ("certainty", "choice"), ("negated", "bool"), ("historical", "bool"), ("dead", "int"),
    ("mode", "list"), ("context", "list"), ("attributed_to", "actor"), ("hopper", "text"),
])
def test_attribute_kinds_are_inferred(name: str, kind: str):
    assert PASE.event_attributes[name].kind == kind


def test_attribute_choice_values_come_from_the_list():
    assert PASE.event_attributes["realis"].values == ("actual", "future", "hypothetical", "generic")


def test_attributes_apply_to_their_event_types_and_carry_definitions():
    dead = PASE.event_attributes["dead"]
    assert (dead.kind, dead.applies_to) == ("int", ("ASSAULT", "PROTEST"))
    assert dead.applies("ASSAULT") and not dead.applies("ACCUSE") and dead.definition.startswith("number of people")
    for name in ("realis", "negated", "certainty", "hopper", "attributed_to", "mode"):
        assert PASE.event_attributes[name].applies_to == () and PASE.event_attributes[name].applies("ACCUSE")
    assert PASE.event_attributes["negated"].definition.startswith("bool (ACE polarity")
    assert PASE.event_attributes["realis"].definition == ""


def test_object_entries_give_values_and_definitions():
    data = broken(lambda d: d["event_attributes"].update(
        realis={"values": ["actual", "future"], "def": "did it happen?", "applies_to": ["AGREE"]}))
    data["stance_labels"]["SUPPORT"] = {"polarity": 1, "def": "endorses the target"}
    schema = schema_from_dict(data)
    realis = schema.event_attributes["realis"]
    assert (realis.kind, realis.values, realis.definition, realis.applies_to) == (
        "choice", ("actual", "future"), "did it happen?", ("AGREE",))
    assert schema.polarity("SUPPORT") == 1 and schema.stance_definitions == {"SUPPORT": "endorses the target"}
    assert PASE.stance_definitions == {}


def broken(mutate) -> dict:
    data = copy.deepcopy(PASE.data)
    mutate(data)
    return data


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("version"), "missing key 'version'"),
    (lambda d: d.pop("name"), "missing key 'name'"),
    (lambda d: d.update(name=""), "name: expected a non-empty string"),
    (lambda d: d.update(version=0.1), "version: expected a non-empty string, got 0.1"),
    (lambda d: d.pop("actor_types"), "missing key 'actor_types'"),
    (lambda d: d.update(actor_types={}), "actor_types: at least one type is needed"),
    (lambda d: d.update(actor_types="GOV"), "actor_types: expected an object, got 'GOV'"),
    (lambda d: d["actor_types"].update(GOV=3), "actor_types.GOV: expected a description string"),
    (lambda d: d.update(entity_types=["PER"]), "entity_types: give either 'actor_types'"),
    (lambda d: d["mention_types"].update(NAME=None), "mention_types.NAME: expected a description string"),
    (lambda d: d.update(event_types=[]), "event_types: expected an object"),
    (lambda d: d["event_types"]["THREATEN"].update(roles="source"),
     "event_types.THREATEN.roles: expected a list of strings, got 'source'"),
    (lambda d: d["event_types"]["THREATEN"].pop("roles"), "event_types.THREATEN: missing key 'roles'"),
    (lambda d: d["event_types"]["THREATEN"]["roles"].append("source"),
     "event_types.THREATEN.roles: repeated name 'source'"),
    (lambda d: d["event_types"]["THREATEN"]["roles"].append(""), "event_types.THREATEN.roles: empty name"),
    (lambda d: d["event_types"]["CONSULT"].update(modes=[1]), "event_types.CONSULT.modes: expected a list"),
    (lambda d: d["event_types"]["CONSULT"].update(quad=7), "event_types.CONSULT.quad: expected a non-empty string"),
    (lambda d: d["event_types"]["CONSULT"].update({"def": ["x"]}), "event_types.CONSULT.def: expected a string"),
    (lambda d: d["event_types"].update(AGREE=[]), "event_types.AGREE: expected an object"),
    (lambda d: d["stance_labels"].update(SUPPORT=2), "stance_labels.SUPPORT: polarity must be -1, 0 or 1, got 2"),
    (lambda d: d["stance_labels"].update(SUPPORT=True), "stance_labels.SUPPORT: polarity must be"),
    (lambda d: d["stance_labels"].update(SUPPORT=1.0), "stance_labels.SUPPORT: polarity must be"),
    (lambda d: d.update(stance_labels=["SUPPORT"]), "stance_labels: expected an object"),
    (lambda d: d["event_attributes"].update(realis=5), "event_attributes.realis: expected a list of values"),
    (lambda d: d["event_attributes"].update(realis=["a", 2]), "event_attributes.realis: expected a list of strings"),
    (lambda d: d["event_attributes"].update(dead={"type": "int", "applies_to": ["ASSAULT", "BATTLE"]}),
     "event_attributes.dead.applies_to: unknown event type 'BATTLE'"),
    (lambda d: d["event_attributes"].update(dead={"type": "int", "applies_to": "ASSAULT"}),
     "event_attributes.dead.applies_to: expected a list of strings"),
    (lambda d: d["event_attributes"].update(dead={"type": "int", "aplies_to": []}),
     "event_attributes.dead.aplies_to: unknown key"),
    (lambda d: d["event_attributes"].update(dead={"applies_to": []}), "event_attributes.dead: give either 'values'"),
    (lambda d: d["event_attributes"].update(realis={"values": ["a", 2]}),
     "event_attributes.realis.values: expected a list of strings"),
    (lambda d: d["event_attributes"].update(dead={"type": 3}), "event_attributes.dead.type: expected a list"),
    (lambda d: d["event_attributes"].update(dead={"type": "int", "def": 3}), "event_attributes.dead.def: expected"),
    (lambda d: d["stance_labels"].update(SUPPORT={"polarity": 2}), "stance_labels.SUPPORT.polarity: polarity must"),
    (lambda d: d["stance_labels"].update(SUPPORT={"polarity": 1, "def": 2}), "stance_labels.SUPPORT.def: expected"),
    (lambda d: d["stance_labels"].update(SUPPORT={"polarity": 1, "text": ""}), "stance_labels.SUPPORT.text: unknown"),
    (lambda d: d.update(actor_fields=[]), "actor_fields: expected an object"),
    (lambda d: d["actor_fields"].update(kind="person"), "actor_fields.kind: expected a list of strings"),
    (lambda d: d.update(relation_types=[3]), "relation_types: expected a list of strings"),
    (lambda d: d.update(relation_types={"CAUSE": 1}), "relation_types.CAUSE: expected a description string"),
])
def test_validation_errors_name_the_bad_key(mutate, message: str):
    with pytest.raises(UserError) as caught:
        schema_from_dict(broken(mutate), "my-schema.json")
    assert message in str(caught.value)
    assert caught.value.file == "my-schema.json" and str(caught.value).startswith("my-schema.json: ")


def test_not_an_object():
    with pytest.raises(UserError, match="expected an object, got \\[1, 2\\]"):
        schema_from_dict([1, 2])  # type: ignore[arg-type]


def test_bad_files(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "name": "x",\n  oops\n}', encoding="utf-8")
    with pytest.raises(UserError, match=r"bad.json:3: invalid JSON") as caught:
        load_schema(bad)
    assert caught.value.line == 3
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(UserError, match=r"bad.json: expected an object"):
        load_schema(bad)
    bad.write_bytes(b'{"name": "\xff"}')
    with pytest.raises(UserError, match=r"bad.json: cannot read the schema \(not UTF-8 text\)"):
        load_schema(bad)
    with pytest.raises(UserError, match=r"absent.json: cannot read the schema"):
        load_schema(tmp_path / "absent.json")


def test_load_schema_from_a_file(tmp_path: Path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(PASE.data), encoding="utf-8")
    assert load_schema(path) == PASE


def test_schema_without_actors():
    schema = schema_from_dict({"name": "brat-like", "version": "1", "entity_types": ["Person", "GPE"],
                               "relation_types": {"Located": "Arg1 in Arg2"}})
    assert not schema.has_actors and set(schema.entity_types) == {"Person", "GPE"}
    assert schema.mention_types == {} and schema.stance_labels == {} and schema.event_types == {}
    assert schema.event_attributes == {} and schema.actor_kinds == ()
    assert schema.relation_types == ("Located",)
    schema.check_entity_type("GPE")
    schema.check_mention_type(None)
    schema.check_actor_kind(None)
    schema.check_relation_type("Located")
    with pytest.raises(SchemaViolation, match="unknown mention type 'NAME' \\(this schema has no mention types\\)"):
        schema.check_mention_type("NAME")
    with pytest.raises(SchemaViolation, match="unknown actor kind 'person' \\(this schema has no actor kinds\\)"):
        schema.check_actor_kind("person")
    with pytest.raises(SchemaViolation, match="unknown entity type 'GOV' \\(allowed: GPE, Person\\)"):
        schema.check_entity_type("GOV")
    with pytest.raises(SchemaViolation, match="unknown relation type 'CAUSE'"):
        schema.check_relation_type("CAUSE")


@pytest.mark.parametrize("call, args, message", [
    ("check_entity_type", ("ALIEN",), "unknown actor type 'ALIEN' (allowed: CIVILIANS, GOV"),
    ("check_actor_kind", ("robot",), "unknown actor kind 'robot' (allowed: group, organization, person, state)"),
    ("check_mention_type", ("TITLE",), "unknown mention type 'TITLE' (allowed: NAME, NOMINAL, PRONOUN)"),
    ("check_stance_label", ("LOVE",), "unknown stance label 'LOVE' (allowed: ACCUSE, APPEAL"),
    ("polarity", ("LOVE",), "unknown stance label 'LOVE'"),
    ("check_event_type", ("EXPLODE",), "unknown event type 'EXPLODE' (allowed: ACCUSE, AGREE"),
    ("check_role", ("THREATEN", "destination"), "event type THREATEN has no role 'destination' (allowed: condition"),
    ("check_role", ("EXPLODE", "source"), "unknown event type 'EXPLODE'"),
    ("check_relation_type", ("BEFORE",), "unknown relation type 'BEFORE' (allowed: CAUSE, PRECONDITION, SUBEVENT)"),
    ("check_event_attributes", ("EXPLODE", {}), "unknown event type 'EXPLODE'"),
    ("check_event_attributes", ("THREATEN", {"realis": "maybe"}),
     "attribute realis: 'maybe' is not one of actual, future, hypothetical, generic"),
    ("check_event_attributes", ("THREATEN", {"negated": "no"}), "attribute negated: expected true or false"),
    ("check_event_attributes", ("THREATEN", {"negated": 0}), "attribute negated: expected true or false"),
    ("check_event_attributes", ("THREATEN", {"dead": True}), "attribute dead: expected an integer or null"),
    ("check_event_attributes", ("THREATEN", {"dead": "3"}), "attribute dead: expected an integer or null"),
    ("check_event_attributes", ("THREATEN", {"mode": ["visit"]}),
     "attribute mode: mode 'visit' is not a mode of this event type (allowed: arrest, expel"),
    ("check_event_attributes", ("AGREE", {"mode": ["visit"]}), "(this type has no modes)"),
    ("check_event_attributes", ("THREATEN", {"mode": "violence"}), "attribute mode: expected a list of strings"),
    ("check_event_attributes", ("THREATEN", {"context": [1]}), "attribute context: expected a list of strings"),
    ("check_event_attributes", ("THREATEN", {"colour": "red"}), "unknown event attribute 'colour' (allowed: aspect"),
    ("check_event_attributes", ("THREATEN", {"attributed_to": 5}), "attribute attributed_to: expected a string"),
    ("check_event_attributes", ("THREATEN", {"hopper": ["h1"]}), "attribute hopper: expected a string or null"),
])
def test_checks_refuse_with_what_is_allowed(call: str, args: tuple, message: str):
    with pytest.raises(SchemaViolation) as caught:
        getattr(PASE, call)(*args)
    assert message in str(caught.value)


def test_checks_accept_valid_values():
    PASE.check_entity_type("GOV")
    PASE.check_actor_kind(None)
    PASE.check_actor_kind("person")
    PASE.check_mention_type(None)
    PASE.check_mention_type("PRONOUN")
    assert PASE.check_stance_label("APPEAL") == 0 and PASE.check_stance_label("THREATEN") == -1
    assert PASE.check_event_type("THREATEN") is PASE.event_types["THREATEN"]
    PASE.check_role("THREATEN", "source")
    PASE.check_relation_type("SUBEVENT")
    PASE.check_event_attributes("THREATEN", {})
    PASE.check_event_attributes("THREATEN", {
        "realis": "future", "negated": True, "dead": None, "injured": 4, "mode": ["sanction", "violence"],
        "attributed_to": None, "hopper": "h1", "context": ["x"], "note": "checked twice"})
    PASE.check_event_attributes("ASSAULT", {"attributed_to": "actor-1", "mode": [], "hopper": None})


def test_json_round_trip():
    text = PASE.to_json()
    assert text.startswith('{"actor_fields":{"cameo_code":') and "\n" not in text
    again = Schema.from_json(text, "stored")
    assert again == PASE and again.data == PASE.data and again.to_json() == text


def test_from_json_reports_invalid_text():
    with pytest.raises(UserError, match=r"^project.sqlite \(stored schema\):1: invalid JSON") as caught:
        Schema.from_json("{", "project.sqlite (stored schema)")
    assert caught.value.line == 1


def test_data_is_a_copy_of_the_input():
    data = copy.deepcopy(PASE.data)
    schema = schema_from_dict(data)
    data["actor_types"]["NEW"] = "added later"
    assert "NEW" not in schema.data["actor_types"] and schema.data == PASE.data
