"""The schema's definitions and rules: read from any schema, filtered, shown in the side tab and the F1 window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_main_window import isolated_qt  # noqa: F401  (fixture)

from workstation.core.guidelines import filter_guidelines, schema_guidelines
from workstation.core.schema import default_schema, schema_from_dict
from workstation.ui.main_window import MainWindow, initial_project


@pytest.fixture
def window(qtbot, isolated_qt):  # noqa: F811
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_project(initial_project())
    win.show()
    yield win
    win.close()


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
    assert [entry.name for entry in filter_guidelines(entries, "Casualty")] == ["Rule 4"]
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


def test_f1_shows_shortcuts_and_searchable_guidelines(window: MainWindow, qtbot, screenshots):
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    help_window = window.annotation.help
    qtbot.waitUntil(help_window.isVisible)
    tabs = help_window.tabs
    assert [tabs.tabText(index) for index in range(tabs.count())] == ["Shortcuts", "Guidelines"]
    assert "NAME mention" in help_window.shortcuts.text() and "Next hit" in help_window.shortcuts.text()
    tabs.setCurrentIndex(1)
    panel = help_window.guidelines
    total = len(panel.entries)
    assert panel.count.text() == f"{total} of {total} entries"
    qtbot.keyClicks(panel.filter, "attack")
    assert {entry.name for entry in panel.shown} == {"ASSAULT", "Rule 4"}
    shown = panel.browser.toPlainText()
    assert "ASSAULT — attacks, shelling, strikes" in shown and "Casualty verbs" in shown and "NOMINAL" not in shown
    assert panel.count.text() == f"2 of {total} entries"
    help_window.resize(620, 520)
    help_window.grab().save(str(screenshots / "guidelines.png"))
    panel.filter.clear()
    qtbot.keyClicks(panel.filter, "no-such-word")
    assert panel.browser.toPlainText() == "Nothing matches the filter."
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    assert window.annotation.help is help_window and help_window.isVisible()


def test_the_guidelines_tab_and_the_mention_menu_explain_the_types(window: MainWindow, qtbot):
    side = window.side
    assert [side.tabText(index) for index in range(side.count())][-1] == "Guidelines"
    side.setCurrentWidget(window.guidelines)
    qtbot.keyClicks(window.guidelines.filter, "nominal")
    assert "NOMINAL — common-noun description" in window.guidelines.browser.toPlainText()
    menu = window.annotation.menu
    tips = {action.text(): action.toolTip() for action in menu.actions()}
    assert tips["NOMINAL mention"] == default_schema().mention_types["NOMINAL"]
    assert menu.toolTipsVisible()
