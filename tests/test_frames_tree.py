"""The frames tree as an annotator uses it: a document with events (arguments, attributes, a date), stances and a
relation made through the real controller; the tree read back, filtered, clicked, edited with Enter and pruned
with Delete, each edit one undo step in the database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from test_annotating import window  # noqa: F401  (fixture)

from workstation.store.models import Event, EventArgument, EventRelation, Mention, Stance
from workstation.ui.actor_dialog import NewActor
from workstation.ui.frame_edit_dialogs import EventEditDialog, StanceEditDialog
from workstation.ui.frames_panel import FramesPanel
from workstation.ui.main_window import MainWindow


def tree_lines(panel: FramesPanel) -> list[str]:
    """The rows a user sees, indented by depth (hidden rows and those inside hidden groups left out)."""
    lines = []

    def walk(row: QTreeWidgetItem, depth: int) -> None:
        if row.isHidden():
            return
        lines.append("  " * depth + row.text(0))
        for position in range(row.childCount()):
            walk(row.child(position), depth + 1)

    for position in range(panel.tree.topLevelItemCount()):
        walk(panel.tree.topLevelItem(position), 0)
    return lines


def headings(panel: FramesPanel) -> list[str]:
    return [panel.tree.topLevelItem(position).text(0) for position in range(panel.tree.topLevelItemCount())
            if not panel.tree.topLevelItem(position).isHidden()]


@dataclass
class Document:
    """Offsets of the words the frames are made of, and the ids the controller gave them."""

    text: str
    events: dict[str, str]
    stances: dict[str, str]

    def at(self, words: str, after: int = 0) -> tuple[int, int]:
        start = self.text.index(words, after)
        return start, start + len(words)


def annotate(window: MainWindow) -> Document:  # noqa: F811
    """Three actors' mentions, four events, two stances and a CAUSE relation, as the forms would file them."""
    controller, view = window.annotation, window.text_view
    document = Document(view.text, {}, {})
    headline_end = document.text.index("Idlib") + 5
    for words, actor_type in (("Erdogan", "GOV"), ("Syrian Military", "MIL"), ("Russia", "STATE")):
        controller.finish_mention(document.at(words), "NAME", NewActor(words, actor_type, None, None, None))
    mention = {view.text[span.start:span.end]: span.item_id for span in view.index.all_spans()}
    actors = {entry.name: entry.id for entry in window.actors.rows.values()}
    for trigger, event_type, arguments, attributes, date in (
            ("Threatens", "THREATEN", [("source", mention["Erdogan"]), ("target", mention["Syrian Military"])],
             {"realis": "actual", "mode": ["violence"], "attributed_to": actors["Erdogan"]}, "5/2/2020"),
            ("accused", "ACCUSE", [("source", mention["Erdogan"]), ("target", mention["Russia"])],
             {"certainty": "certain"}, ""),
            ("Shelling", "ASSAULT", [("source", document.at("Syrian government forces")),
                                     ("instrument", document.at("Shelling"))], {"dead": 8}, ""),
            ("warned", "THREATEN", [], {}, "")):
        controller.finish_event(document.at(trigger), event_type, attributes, arguments, date)
        document.events[trigger] = next(item.item_id for item in window.frames.items_of_kind("event")
                                        if item.span == document.at(trigger))
    headline = (document.at("Erdogan")[0], headline_end)
    for toward, label, strength, evidence in (("Syrian Military", "THREATEN", 3, headline),
                                              ("Russia", "ACCUSE", 2, document.at("Erdogan has accused Russia"))):
        controller.finish_stance(evidence, {"holder_id": actors["Erdogan"], "target_id": actors[toward],
                                            "label": label, "strength": strength})
        document.stances[toward] = next(item.item_id for item in window.frames.items_of_kind("stance")
                                        if item.summary.startswith(f"Erdogan → {toward}"))
    controller.finish_relation("CAUSE", document.events["Shelling"], document.events["warned"])
    return document


def test_the_tree_shows_each_frame_by_its_words(window: MainWindow, screenshots):  # noqa: F811
    annotate(window)
    headline = "Erdogan Threatens to Use Force Against Syrian Military in Idlib"
    assert tree_lines(window.frames) == [
        "Events (4)",
        "  THREATEN “Threatens”",
        "    source: Erdogan",
        "    target: Syrian Military",
        "    attributed_to = Erdogan",
        "    mode = violence",
        "    realis = actual",
        "    date: 2020-02-05",
        "  ACCUSE “accused”",
        "    source: Erdogan",
        "    target: Russia",
        "    certainty = certain",
        "  THREATEN “warned”",
        "  ASSAULT “Shelling”",
        "    source: Syrian government forces",
        "    instrument: Shelling",
        "    dead = 8",
        "Stances (2)",
        "  Erdogan → Syrian Military: THREATEN (−, strength 3)",
        f"    evidence: “{headline[:59]}…”",
        "  Erdogan → Russia: ACCUSE (−, strength 2)",
        "    evidence: “Erdogan has accused Russia”",
        "Relations (1)",
        "  CAUSE: ASSAULT “Shelling” → THREATEN “warned”"]
    assert window.side.tabText(window.side.indexOf(window.frames)) == "Frames"
    window.side.setCurrentWidget(window.frames)
    window.resize(1400, 760)
    window.splitter.setSizes([300, 640, 460])
    window.frames.choose(window.frames.items_of_kind("event")[0].item_id)
    window.grab().save(str(screenshots / "frames-tree.png"))


def test_filters_by_kind_type_and_words_count_what_they_leave(window: MainWindow):  # noqa: F811
    annotate(window)
    panel = window.frames
    panel.kind.setCurrentIndex(panel.kind.findData("stance"))
    assert headings(panel) == ["Stances (2)"]
    assert panel.type.findData("ASSAULT") < 0 and panel.type.findData("ACCUSE") > 0
    panel.kind.setCurrentIndex(panel.kind.findData(None))
    panel.type.setCurrentIndex(panel.type.findData("THREATEN"))
    assert headings(panel) == ["Events (2 of 4)", "Stances (1 of 2)", "Relations (0 of 1)"]
    assert [line for line in tree_lines(panel) if line.startswith("  ") and not line.startswith("    ")] == [
        "  THREATEN “Threatens”", "  THREATEN “warned”", "  Erdogan → Syrian Military: THREATEN (−, strength 3)"]
    panel.type.setCurrentIndex(0)
    panel.words.setText("russia")
    assert headings(panel) == ["Events (1 of 4)", "Stances (1 of 2)", "Relations (0 of 1)"]
    window.annotation.finish_event((0, 3), "ACCUSE", {}, [])
    assert headings(panel) == ["Events (1 of 5)", "Stances (1 of 2)", "Relations (0 of 1)"]
    panel.words.clear()
    assert headings(panel) == ["Events (5)", "Stances (2)", "Relations (1)"]


def test_choosing_a_row_selects_its_words_in_the_text(window: MainWindow, qtbot):  # noqa: F811
    document = annotate(window)
    panel, view = window.frames, window.text_view
    accused = panel.branches["event"].row(document.events["accused"])
    rect = panel.tree.visualItemRect(accused)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected_span(snap=False) == document.at("accused")
    assert document.events["accused"] in view.painter.selected
    assert panel.chosen().item_id == document.events["accused"]
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    assert panel.tree.currentItem().text(0) == "target: Russia"
    assert view.selected_span(snap=False) == document.at("Russia")
    assert panel.chosen().item_id == document.events["accused"]
    panel.choose(panel.items_of_kind("relation")[0].item_id)
    assert view.selected_span(snap=False) == document.at("Shelling")
    assert {document.events["Shelling"], document.events["warned"]} <= view.painter.selected


def _press(qtbot, panel: FramesPanel, row: QTreeWidgetItem, key: Qt.Key) -> None:
    panel.tree.setCurrentItem(row)
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, key)


def _event_row(window: MainWindow, event_id: str) -> tuple[str, dict, str | None]:  # noqa: F811
    with window.project.session() as session:
        event = session.get(Event, event_id)
        return event.type, event.attributes, event.date


def test_enter_edits_an_event_in_one_undo_step(window: MainWindow, qtbot):  # noqa: F811
    document = annotate(window)
    panel, controller = window.frames, window.annotation
    threatens = document.events["Threatens"]
    before = _event_row(window, threatens)
    steps = controller.stack.count()
    _press(qtbot, panel, panel.branches["event"].row(threatens), Qt.Key.Key_Return)
    dialog = controller.dialog
    assert isinstance(dialog, EventEditDialog)
    assert (dialog.event_type.currentData(), dialog.date.text(), dialog.fields["realis"][0].currentText()) == (
        "THREATEN", "2020-02-05", "actual")
    assert dialog.attributes() == before[1]
    assert not any(combo.isVisibleTo(dialog) for combo in dialog.roles.values())
    dialog.event_type.setCurrentIndex(dialog.event_type.findData("ASSAULT"))
    dialog.fields["realis"][0].setCurrentText("future")
    dialog.accept()
    assert _event_row(window, threatens) == (
        "ASSAULT", {"realis": "future", "attributed_to": before[1]["attributed_to"]}, "2020-02-05")
    assert panel.branches["event"].get(threatens).summary == "ASSAULT “Threatens”"
    assert controller.stack.count() == steps + 1
    assert any(span.key == "ASSAULT" for span in window.text_view.index.spans_of(threatens))
    controller.stack.undo()
    assert _event_row(window, threatens) == before
    assert panel.branches["event"].get(threatens).summary == "THREATEN “Threatens”"

    controller.finish_event_edit(document.events["warned"], "ACCUSE", {}, "")
    assert panel.items_of_kind("relation")[0].summary == "CAUSE: ASSAULT “Shelling” → ACCUSE “warned”"
    controller.finish_event_edit(document.events["Shelling"], "THREATEN", {}, "")
    assert window.statusBar().currentMessage() == \
        "event type THREATEN has no role 'instrument' (allowed: condition, content, location, source, target, time)"
    controller.finish_event_edit(document.events["Shelling"], "ASSAULT", {"dead": 8}, "")
    assert window.statusBar().currentMessage() == "nothing to change: the event already reads so"
    controller.finish_event_edit(document.events["Shelling"], "ASSAULT", {"dead": 8}, "someday")
    assert window.statusBar().currentMessage() == "Not a date: someday; the event was not changed"


def test_enter_edits_a_stance_in_one_undo_step(window: MainWindow, qtbot):  # noqa: F811
    document = annotate(window)
    panel, controller = window.frames, window.annotation
    stance_id = document.stances["Syrian Military"]
    _press(qtbot, panel, panel.branches["stance"].row(stance_id), Qt.Key.Key_Enter)
    dialog = controller.dialog
    assert isinstance(dialog, StanceEditDialog)
    assert (dialog.label.currentData(), dialog.strength.value(), dialog.target.currentText()) == (
        "THREATEN", 3, "Syrian Military")
    dialog.label.setCurrentIndex(dialog.label.findData("CRITICIZE"))
    dialog.strength.setValue(1)
    dialog.target.setCurrentIndex(dialog.target.findText("Russia"))
    dialog.accept()

    def stance() -> tuple[str, int, int, str]:
        with window.project.session() as session:
            row = session.get(Stance, stance_id)
            return row.label, row.polarity, row.strength, row.target_id

    russia = next(entry.id for entry in window.actors.rows.values() if entry.name == "Russia")
    assert stance() == ("CRITICIZE", -1, 1, russia)
    assert panel.branches["stance"].get(stance_id).summary == "Erdogan → Russia: CRITICIZE (−, strength 1)"
    controller.stack.undo()
    assert stance()[:3] == ("THREATEN", -1, 3)
    assert panel.branches["stance"].get(stance_id).summary == "Erdogan → Syrian Military: THREATEN (−, strength 3)"
    _press(qtbot, panel, panel.branches["relation"].row(panel.items_of_kind("relation")[0].item_id), Qt.Key.Key_Return)
    assert window.statusBar().currentMessage().startswith("A relation has only its type")


@pytest.mark.parametrize("kind", ["argument", "stance", "relation", "event"])
def test_delete_removes_the_chosen_row_and_undo_brings_it_back(window: MainWindow, qtbot, kind):  # noqa: F811
    document = annotate(window)
    panel, controller = window.frames, window.annotation

    def counts() -> tuple[int, ...]:
        with window.project.session() as session:
            return tuple(session.query(model).count() for model in (Mention, Event, EventArgument, Stance,
                                                                    EventRelation))

    lines, before = tree_lines(panel), counts()
    event = panel.branches["event"].row(document.events["accused"])
    row = {"argument": event.child(1), "event": panel.branches["event"].row(document.events["Shelling"]),
           "stance": panel.branches["stance"].row(document.stances["Russia"]),
           "relation": panel.branches["relation"].row(panel.items_of_kind("relation")[0].item_id)}[kind]
    _press(qtbot, panel, row, Qt.Key.Key_Delete)
    gone = {"argument": ["    target: Russia"],
            "event": ["  ASSAULT “Shelling”", "    source: Syrian government forces", "    instrument: Shelling",
                      "    dead = 8", "  CAUSE: ASSAULT “Shelling” → THREATEN “warned”"],
            "stance": ["  Erdogan → Russia: ACCUSE (−, strength 2)", "    evidence: “Erdogan has accused Russia”"],
            "relation": ["  CAUSE: ASSAULT “Shelling” → THREATEN “warned”"]}[kind]
    renamed = {"Events (4)": "Events (3)", "Stances (2)": "Stances (1)", "Relations (1)": "Relations (0)"}
    expected = [line for line in lines if line not in gone]
    changed = {"event": ("Events (4)", "Relations (1)"), "stance": ("Stances (2)",), "relation": ("Relations (1)",),
               "argument": ()}[kind]
    assert tree_lines(panel) == [renamed[line] if line in changed else line for line in expected]
    lost = {"argument": (0, 0, 1, 0, 0), "event": (0, 1, 2, 0, 1), "stance": (0, 0, 0, 1, 0),
            "relation": (0, 0, 0, 0, 1)}[kind]
    assert counts() == tuple(count - delta for count, delta in zip(before, lost))
    controller.stack.undo()
    assert tree_lines(panel) == lines
    assert counts() == before


def test_delete_on_an_attribute_line_explains_instead(window: MainWindow, qtbot):  # noqa: F811
    document = annotate(window)
    panel = window.frames
    lines = tree_lines(panel)
    _press(qtbot, panel, panel.branches["event"].row(document.events["accused"]).child(2), Qt.Key.Key_Delete)
    assert window.statusBar().currentMessage() == \
        "Delete removes an argument or a whole item; change attributes with Enter"
    assert tree_lines(panel) == lines
