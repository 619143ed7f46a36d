"""The schema's definitions and rules, read from any schema and filtered (the F1 window and the side tab:
test_main_window)."""

from __future__ import annotations

from workstation.core.guidelines import filter_guidelines, schema_guidelines
from workstation.core.schema import default_schema, schema_from_dict


def test_the_default_schema_gives_definitions_and_rules():
    entries = schema_guidelines(default_schema())
    sections = list(dict.fromkeys(entry.section for entry in entries))
    assert sections == ["Actor types", "Mention types", "Stance labels", "Stance fields", "Event types",
                        "Event attributes", "Annotation rules"]
    by_name = {(entry.section, entry.name): entry for entry in entries}
    assert by_name["Mention types", "NOMINAL"].definition.startswith("common-noun description")
    assault = by_name["Event types", "ASSAULT"]
    assert assault.definition.startswith("attacks, shelling") and "roles: source, target" in assault.details
    assert by_name["Stance labels", "ACCUSE"].details == "negative (-1) toward the target"
    assert by_name["Event attributes", "realis"].details == "values: actual, future, hypothetical, generic"
    rules = [entry for entry in entries if entry.section == "Annotation rules"]
    assert len(rules) == 9 and rules[0].name == "Rule 1" and rules[0].definition.startswith("Tag every trigger")


def test_the_filter_keeps_entries_holding_every_word_in_any_case():
    entries = schema_guidelines(default_schema())
    assert [entry.name for entry in filter_guidelines(entries, "Casualty")] == ["dead", "Rule 4"]
    assert [entry.name for entry in filter_guidelines(entries, "pronoun reflexive")] == ["PRONOUN"]
    assert filter_guidelines(entries, "") == entries
    assert filter_guidelines(entries, "no-such-word") == []


def test_a_schema_without_definitions_still_lists_its_names():
    schema = schema_from_dict({"name": "brat corpus", "version": "1", "entity_types": ["Person", "Organisation"],
                               "event_types": {"Attack": {"roles": ["Attacker", "Target"]}},
                               "event_attributes": {"Negated": "bool"}})
    entries = schema_guidelines(schema)
    assert [(entry.section, entry.name, entry.definition) for entry in entries] == [
        ("Entity types", "Person", ""), ("Entity types", "Organisation", ""), ("Event types", "Attack", ""),
        ("Event attributes", "Negated", "bool")]
    assert entries[2].details == "roles: Attacker, Target"
