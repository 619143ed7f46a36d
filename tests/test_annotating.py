"""Annotating like a user: select text, press 1, link a new actor, undo, redo, reopen, find it there."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox
from test_main_window import visible_titles

from workstation.core.mention_context import in_context
from workstation.store.models import Actor, Mention
from workstation.store.project import open_project
from workstation.ui.actor_dialog import ActorDialog
from workstation.ui.main_window import MainWindow, initial_project


@pytest.fixture
def window(qtbot, isolated_qt):  # noqa: F811
    win = MainWindow()
    qtbot.addWidget(win)
    win.annotator = "alice"
    win.open_project(initial_project())
    win.show()
    yield win
    win.close()


def select_with_keyboard(qtbot, view, start_u16: int, length: int) -> None:
    cursor = view.textCursor()
    cursor.setPosition(start_u16)
    view.setTextCursor(cursor)
    for _ in range(length):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def fill_actor_dialog(qtbot, window: MainWindow, actor_type: str, country: str) -> ActorDialog:
    qtbot.waitUntil(lambda: window.annotation.dialog is not None and window.annotation.dialog.isVisible())
    dialog = window.annotation.dialog
    dialog.actor_type.setCurrentText(actor_type)
    qtbot.keyClicks(dialog.country, country)
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    return dialog


def mentions(path: Path) -> list[tuple[int, int, str, str | None, str | None]]:
    with open_project(path) as project, project.session() as session:
        return [(m.start, m.end, m.mention_type, m.label, session.get(Actor, m.actor_id).name if m.actor_id else None)
                for m in session.query(Mention).order_by(Mention.start)]


def test_select_press_1_link_a_new_actor_undo_redo_and_reopen(window: MainWindow, qtbot):
    view = window.text_view
    text = view.toPlainText()
    headline = text.index("Erdogan")
    select_with_keyboard(qtbot, view, headline + 1, 4)
    assert view.selected_span() == (headline, headline + 7)
    qtbot.keyClick(view, Qt.Key.Key_1)
    dialog = fill_actor_dialog(qtbot, window, "GOV", "tur")
    assert dialog.search.text() == "Erdogan"
    path = window.project.path
    assert mentions_now(window) == [(headline, headline + 7, "NAME", "GOV", "Erdogan")]
    assert any(r.format.background().color() == view.painter.colours.fill("GOV")
               for r in view.document().findBlock(headline).layout().formats())
    assert window.table.model().index(0, 3).data() == 1
    window.annotation.stack.undo()
    assert mentions_now(window) == []
    with window.project.session() as session:
        assert session.query(Actor).count() == 0
    window.annotation.stack.redo()
    body = text.index("Recep Tayyip Erdogan")
    view.select_span(body + 13, body + 20)
    qtbot.keyClick(view, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.annotation.dialog is not dialog and window.annotation.dialog.isVisible())
    assert window.annotation.dialog.hint.text() == "Links to the existing actor."
    window.annotation.dialog.accept()
    window.close()
    assert mentions(path) == [(headline, headline + 7, "NAME", "GOV", "Erdogan"),
                              (body + 13, body + 20, "NAME", "GOV", "Erdogan")]


def test_refused_edits_explain_in_the_status_bar(window: MainWindow, qtbot):
    view = window.text_view
    cursor = view.textCursor()
    cursor.clearSelection()
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert window.statusBar().currentMessage() == "Select some text first, then press the mention type's number"
    view.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.statusBar().currentMessage() == "No annotation at the cursor"


def mark_russia(window: MainWindow, qtbot) -> int:
    """A NAME mention of "Russia" linked to a new STATE actor, made with the keyboard; returns its start."""
    view = window.text_view
    start = view.toPlainText().index("Russia")
    view.select_span(start, start + 6)
    qtbot.keyClick(view, Qt.Key.Key_1)
    fill_actor_dialog(qtbot, window, "STATE", "RUS")
    return start


def test_delete_and_mark_done_are_undoable(window: MainWindow, qtbot):
    view = window.text_view
    start = mark_russia(window, qtbot)
    assert window.table.model().index(0, 2).data() == "in progress"
    view.select_span(start + 2, start + 2)
    cursor = view.textCursor()
    cursor.setPosition(view.units.to_utf16(start + 2))
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert mentions_now(window) == []
    window.annotation.stack.undo()
    assert len(mentions_now(window)) == 1
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.table.model().index(0, 2).data() == "done"
    window.annotation.stack.undo()
    assert window.table.model().index(0, 2).data() == "in progress"


def test_the_first_edit_marks_the_document_in_progress_in_the_same_undo_step(window: MainWindow, qtbot):
    mark_russia(window, qtbot)
    assert window.table.model().index(0, 2).data() == "in progress"
    assert window.annotation.stack.count() == 1
    window.annotation.stack.undo()
    assert mentions_now(window) == []
    assert window.table.model().index(0, 2).data() == "new"
    window.annotation.stack.redo()
    assert window.table.model().index(0, 2).data() == "in progress" and len(mentions_now(window)) == 1


def mentions_now(window: MainWindow):
    with window.project.session() as session:
        return [(m.start, m.end, m.mention_type, m.label, session.get(Actor, m.actor_id).name if m.actor_id else None)
                for m in session.query(Mention).order_by(Mention.start)]


def test_the_whole_frame_mention_event_stance_undo_redo_reopen(window: MainWindow, qtbot, tmp_path: Path, screenshots):
    from workstation.store.models import Event, EventArgument, Stance
    from workstation.ui.frame_dialogs import EventDialog, StanceDialog
    view = window.text_view
    text = view.toPlainText()
    headline = text.index("Erdogan")
    view.select_span(headline, headline + 7)
    qtbot.keyClick(view, Qt.Key.Key_1)
    fill_actor_dialog(qtbot, window, "GOV", "TUR")
    military = text.index("Syrian Military")
    view.select_span(military, military + 15)
    qtbot.keyClick(view, Qt.Key.Key_2)
    fill_actor_dialog(qtbot, window, "MIL", "SYR")

    trigger = text.index("Threatens")
    view.select_span(trigger, trigger + 9)
    qtbot.keyClick(view, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: isinstance(window.annotation.dialog, EventDialog) and window.annotation.dialog.isVisible())
    dialog = window.annotation.dialog
    dialog.event_type.setCurrentText("THREATEN")
    source = dialog.roles["source"]
    source.setCurrentIndex(source.findText(in_context(text, headline, headline + 7)))
    target = dialog.roles["target"]
    target.setCurrentIndex(target.findText(in_context(text, military, military + 15)))
    dialog.fields["realis"][0].setCurrentText("actual")
    qtbot.keyClicks(dialog.date, "5/2/2020")
    assert dialog.date_reading.text() == "→ 2020-02-05 (day, ambiguous)"
    attributed = dialog.fields["attributed_to"][0]
    attributed.setCurrentIndex(attributed.findText("Erdogan"))
    modes = dialog.fields["mode"][0]
    modes.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: source.isVisible() and modes.isVisible())
    window.annotation.dialog.grab().save(str(screenshots / "event-dialog.png"))
    dialog.accept()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    view.select_span(headline, military + 15)
    qtbot.keyClick(view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: isinstance(window.annotation.dialog, StanceDialog) and window.annotation.dialog.isVisible())
    stance = window.annotation.dialog
    assert stance.holder.currentText() == "Erdogan"
    stance.label.setCurrentIndex(stance.label.findData("THREATEN"))
    stance.target.setCurrentIndex(stance.target.findText("Syrian Military"))
    stance.strength.setValue(3)
    stance.accept()

    assert [(item.summary, [line.text for line in item.details]) for item in window.frames.values()] == [
        ("THREATEN “Threatens”", ["source: Erdogan", "target: Syrian Military", "attributed_to = Erdogan",
                                  "mode = violence", "realis = actual", "date: 2020-02-05"]),
        ("Erdogan → Syrian Military: THREATEN (−, strength 3)",
         [f"evidence: “{' '.join(text[headline:military + 15].split())}”"])]
    window.frames.choose(window.frames.items_of_kind("stance")[0].item_id)
    assert view.selected_span(snap=False) == (headline, military + 15)

    def counts():
        with window.project.session() as session:
            return (session.query(Mention).count(), session.query(Event).count(),
                    session.query(EventArgument).count(), session.query(Stance).count())

    assert counts() == (2, 1, 2, 1)
    for expected in ((2, 1, 2, 0), (2, 0, 0, 0), (1, 0, 0, 0)):
        window.annotation.stack.undo()
        assert counts() == expected
    for expected in ((2, 0, 0, 0), (2, 1, 2, 0), (2, 1, 2, 1)):
        window.annotation.stack.redo()
        assert counts() == expected
    window.resize(1400, 760)
    view.moveCursor(QTextCursor.MoveOperation.Start)
    window.grab().save(str(screenshots / "workspace-frames.png"))
    path = window.project.path
    window.close()
    with open_project(path) as project, project.session() as session:
        event = session.query(Event).one()
        erdogan = session.query(Actor).filter_by(name="Erdogan").one().id
        assert (event.type, event.date, event.attributes) == (
            "THREATEN", "2020-02-05", {"realis": "actual", "attributed_to": erdogan, "mode": ["violence"]})
        stance_row = session.query(Stance).one()
        assert (stance_row.label, stance_row.polarity, stance_row.strength) == ("THREATEN", -1, 3)
        assert session.get(Actor, stance_row.target_id).type == "MIL"


def test_status_filter_next_document_and_shortcut_help(window: MainWindow, qtbot, screenshots):
    from test_main_window import DATA

    from workstation.formats.importing import import_paths
    import_paths(window.project, [DATA / "two_layers.jsonl"])
    window.refresh_documents()
    assert len(visible_titles(window)) == 3
    window.table.selectRow(0)
    qtbot.keyClick(window.text_view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.table.currentIndex().row() == 1
    assert window.heading.text().startswith("Erdogan threatens")
    qtbot.keyClick(window.text_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    window.status_filter.setCurrentIndex(window.status_filter.findData("done"))
    assert visible_titles(window) == ["Erdogan threatens"]
    window.status_filter.setCurrentIndex(window.status_filter.findData("new"))
    assert len(visible_titles(window)) == 2
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.annotation.help is not None and window.annotation.help.isVisible())
    help_text = window.annotation.help.shortcuts.text()
    for expected in ("NAME mention", "Event on the selected trigger", "Mark done", "Next document", "Undo"):
        assert expected in help_text
    window.annotation.help.grab().save(str(screenshots / "shortcuts-help.png"))


def test_actor_panel_counts_highlights_aliases_and_merges(window: MainWindow, qtbot, monkeypatch, screenshots):
    from workstation.ui.highlighter import SELECTED_BACKGROUND
    view = window.text_view
    text = view.toPlainText()
    first = text.index("Erdogan")
    second = text.index("Erdogan", first + 1)
    for start, country in ((first, "TUR"), (second, "")):
        view.select_span(start, start + 7)
        qtbot.keyClick(view, Qt.Key.Key_1)
        qtbot.waitUntil(lambda: window.annotation.dialog is not None and window.annotation.dialog.isVisible())
        dialog = window.annotation.dialog
        dialog.search.setText("Erdogan" if country else "R. T. Erdogan")
        dialog.actor_type.setCurrentText("GOV")
        dialog.accept()
        window.activateWindow()
    panel = window.actors
    assert [panel.list.item(row).text() for row in range(panel.list.count())] == [
        "Erdogan (GOV) · 1", "R. T. Erdogan (GOV) · 1"]
    panel.list.setCurrentRow(1)
    block = view.document().findBlock(second)
    column = second - block.position()
    assert any(r.format.background().color() == SELECTED_BACKGROUND and r.start <= column < r.start + r.length
               for r in block.layout().formats())
    panel.jump()
    assert view.selected_span(snap=False) == (second, second + 7)
    monkeypatch.setattr("workstation.ui.actor_panel.QInputDialog.getItem",
                        lambda *args, **kwargs: ("Erdogan (GOV)", True))
    panel.ask_merge()
    assert [panel.list.item(row).text() for row in range(panel.list.count())] == ["Erdogan (GOV) · 2"]
    panel.list.setCurrentRow(0)
    monkeypatch.setattr("workstation.ui.actor_panel.QInputDialog.getText",
                        lambda *args, **kwargs: ("Turkish President", True))
    panel.ask_alias()
    assert panel.list.item(0).text() == "Erdogan (GOV) · 2 — Turkish President"
    window.annotation.stack.undo()
    window.annotation.stack.undo()
    assert [panel.list.item(row).text() for row in range(panel.list.count())] == [
        "Erdogan (GOV) · 1", "R. T. Erdogan (GOV) · 1"]
    window.side.setCurrentWidget(panel)
    window.resize(1400, 760)
    window.grab().save(str(screenshots / "actor-panel.png"))


def test_free_span_arguments_and_event_relations(window: MainWindow, qtbot, monkeypatch):
    from workstation.store.models import EventArgument, EventRelation
    view = window.text_view
    text = view.toPlainText()
    for word, event_type in (("threatened", "THREATEN"), ("warned", "THREATEN")):
        start = text.index(word)
        view.select_span(start, start + len(word))
        window.annotation.start_event()
        window.annotation.dialog.event_type.setCurrentText(event_type)
        window.annotation.dialog.accept()
    answers = iter([("content", True), ("CAUSE", True), (None, True)])

    def choose(_parent, _title, _label, items, *_args):
        answer = next(answers)
        return (answer[0] or items[0], answer[1])

    monkeypatch.setattr("workstation.ui.annotation_controller.QInputDialog.getItem", choose)
    window.frames.choose(window.frames.items_of_kind("event")[0].item_id)
    cursor = view.textCursor()
    cursor.clearSelection()
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert window.statusBar().currentMessage() == "Select the argument's text first"
    content = text.index("use force")
    view.select_span(content, content + 9)
    qtbot.keyClick(view, Qt.Key.Key_A)
    window.frames.choose(window.frames.items_of_kind("event")[0].item_id)
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert [(item.summary, [line.text for line in item.details]) for item in window.frames.values()] == [
        ("THREATEN “threatened”", ["content: use force"]), ("THREATEN “warned”", []),
        ("CAUSE: THREATEN “threatened” → THREATEN “warned”", [])]
    with window.project.session() as session:
        argument = session.query(EventArgument).one()
        assert (argument.role, argument.mention_id, argument.start, argument.end) == (
            "content", None, content, content + 9)
        assert session.query(EventRelation).one().type == "CAUSE"
    window.annotation.stack.undo()
    assert window.frames.count() == 2


def test_edit_an_actor_and_hover_a_mention_for_its_roles(window: MainWindow, qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    from workstation.core.span_index import Span
    view = window.text_view
    text = view.toPlainText()
    start = text.index("Erdogan")
    view.select_span(start, start + 7)
    qtbot.keyClick(view, Qt.Key.Key_1)
    fill_actor_dialog(qtbot, window, "GOV", "TUR")
    trigger = text.index("Threatens")
    view.select_span(trigger, trigger + 9)
    window.annotation.start_event()
    dialog = window.annotation.dialog
    dialog.event_type.setCurrentText("THREATEN")
    dialog.roles["source"].setCurrentIndex(1)
    dialog.accept()
    window.actors.list.setCurrentRow(0)
    editor = window.actors.ask_edit()
    assert (editor.windowTitle(), editor.search.text(), editor.country.text()) == ("Edit actor", "Erdogan", "TUR")
    editor.search.setText("Recep Tayyip Erdogan")
    editor.actor_type.setCurrentText("STATE")
    editor.accept()
    assert window.actors.list.item(0).text() == "Recep Tayyip Erdogan (STATE) · 1"
    mention = [s for s in view.index.all_spans() if s.start == start][0]
    assert window.annotation.describe(mention) == ["NAME STATE → Recep Tayyip Erdogan (STATE)",
                                                   "source of THREATEN “Threatens”"]
    view.select_span(start, start + 7)
    rect = view.cursorRect()
    position = QPoint(rect.left() - 20, rect.center().y())
    view.event(QHelpEvent(QHelpEvent.Type.ToolTip, position, view.viewport().mapToGlobal(position)))
    assert QToolTip.text().splitlines() == ["NAME STATE → Recep Tayyip Erdogan (STATE)",
                                            "source of THREATEN “Threatens”"]
    assert window.annotation.describe(Span(trigger, trigger + 9, "THREATEN",
                                           window.frames.values()[0].item_id)) == [
        "THREATEN event (trigger)"]
    window.annotation.stack.undo()
    assert window.actors.list.item(0).text() == "Erdogan (GOV) · 1"
