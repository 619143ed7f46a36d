"""The annotation forms, driven with keys and clicks: the actor form cancels on Esc, keeps a mention unlinked only
on "No actor", guesses a new actor's type and says so; the event form asks what applies to its type and fits in
the window; the stance form pre-fills its target."""

# ruff: noqa: F811  (the tests take the `window` fixture imported from test_annotating)
from __future__ import annotations

from conftest import database_fingerprint
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from test_annotating import fill_actor_dialog, mentions_now, window  # noqa: F401  (fixture and helpers)

from workstation.core.schema import default_schema, schema_from_dict
from workstation.store.models import Actor, Event, EventArgument, Stance
from workstation.ui.actor_dialog import MINIMUM_WIDTH, ActorDialog
from workstation.ui.frame_dialogs import EventDialog, StanceDialog
from workstation.ui.main_window import MainWindow

ACCUSED = "Erdogan has accused Russia of not fulfilling"


def open_form(qtbot, window: MainWindow, start: int, end: int, key: Qt.Key, kind: type):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.select_span(start, end)
    qtbot.keyClick(window.text_view, key)
    qtbot.waitUntil(lambda: isinstance(window.annotation.dialog, kind) and window.annotation.dialog.isVisible())
    return window.annotation.dialog


def button(dialog, which: QDialogButtonBox.StandardButton):
    return dialog.findChild(QDialogButtonBox).button(which)


def test_esc_and_cancel_add_nothing_and_no_actor_keeps_the_mention_unlinked(window: MainWindow, qtbot):
    text = window.text_view.text
    start = text.index(ACCUSED)
    before = database_fingerprint(window.project)
    dialog = open_form(qtbot, window, start, start + 7, Qt.Key.Key_1, ActorDialog)
    assert dialog.heading.text() == "<b>“Erdogan”</b> · NAME mention" and dialog.width() >= MINIMUM_WIDTH
    assert dialog.no_actor.text() == "No actor (Alt+N)"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    dialog = open_form(qtbot, window, start, start + 7, Qt.Key.Key_1, ActorDialog)
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert mentions_now(window) == [] and window.annotation.stack.count() == 0
    assert database_fingerprint(window.project) == before
    dialog = open_form(qtbot, window, start, start + 7, Qt.Key.Key_1, ActorDialog)
    qtbot.mouseClick(dialog.no_actor, Qt.MouseButton.LeftButton)
    assert mentions_now(window) == [(start, start + 7, "NAME", None, None)]
    window.annotation.stack.undo()
    assert mentions_now(window) == []
    dialog = open_form(qtbot, window, start, start + 7, Qt.Key.Key_2, ActorDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.search, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())  # a button's shortcut clicks it, shown pressed, a moment later
    assert mentions_now(window) == [(start, start + 7, "NOMINAL", None, None)]
    dialog = open_form(qtbot, window, start + 2, start + 2, Qt.Key.Key_L, ActorDialog)
    assert dialog.heading.text() == "<b>“Erdogan”</b> · NOMINAL mention"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert mentions_now(window) == [(start, start + 7, "NOMINAL", None, None)]


def test_a_new_actors_type_is_guessed_from_the_words_else_the_last_actor(window: MainWindow, qtbot, screenshots):
    text = window.text_view.text
    first = text.index(ACCUSED)
    dialog = open_form(qtbot, window, first, first + 7, Qt.Key.Key_1, ActorDialog)
    assert dialog.actor_type.currentIndex() == -1 and dialog.type_note.text().startswith("Choose the new actor's type")
    ok = button(dialog, QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and mentions_now(window) == []
    dialog.search.setText("Recep Tayyip Erdogan")
    fill_actor_dialog(qtbot, window, "GOV", "TUR")
    russia = text.index("Russia")
    dialog = open_form(qtbot, window, russia, russia + 6, Qt.Key.Key_1, ActorDialog)
    assert (dialog.actor_type.currentText(), dialog.type_note.text()) == (
        "GOV", "guessed: GOV — type of the actor created last")
    fill_actor_dialog(qtbot, window, "STATE", "RUS")
    second = text.index("Erdogan", text.index("Turkish President"))
    dialog = open_form(qtbot, window, second, second + 7, Qt.Key.Key_1, ActorDialog)
    assert dialog.hint.text() == "Creates a new actor with the fields below."
    assert (dialog.actor_type.currentText(), dialog.type_note.text()) == (
        "GOV", "guessed: GOV — last type used for “Erdogan”")
    dialog.grab().save(str(screenshots / "actor-dialog.png"))
    dialog.actor_type.setCurrentText("MIL")
    assert dialog.type_note.text() == ""
    dialog.actor_type.setCurrentText("GOV")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert mentions_now(window) == [(first, first + 7, "NAME", "GOV", "Recep Tayyip Erdogan"),
                                    (russia, russia + 6, "NAME", "STATE", "Russia"),
                                    (second, second + 7, "NAME", "GOV", "Erdogan")]


def test_punctuation_only_selections_are_refused_before_any_form(window: MainWindow, qtbot):
    text = window.text_view.text
    comma = text.index(", ")
    before = database_fingerprint(window.project)
    for key in (Qt.Key.Key_1, Qt.Key.Key_E):
        window.text_view.select_span(comma, comma + 1)
        qtbot.keyClick(window.text_view, key)
        assert window.statusBar().currentMessage() == "“,” has no letters or digits; select a word to annotate"
        assert window.annotation.dialog is None
    assert database_fingerprint(window.project) == before


def link(qtbot, window: MainWindow, start: int, end: int, actor_type: str) -> None:
    open_form(qtbot, window, start, end, Qt.Key.Key_1, ActorDialog)
    fill_actor_dialog(qtbot, window, actor_type, "")


def test_the_event_form_asks_what_applies_to_its_type_and_fits_in_the_window(window: MainWindow, qtbot, screenshots):
    text = window.text_view.text
    start = text.index(ACCUSED)
    headline = text.index("Erdogan")
    for begin, end, actor_type in ((headline, headline + 7, "GOV"), (start, start + 7, "GOV"),
                                   (start + 20, start + 26, "STATE")):
        link(qtbot, window, begin, end, actor_type)
    window.resize(1024, 700)
    trigger = start + len("Erdogan has ")
    dialog = open_form(qtbot, window, trigger, trigger + 7, Qt.Key.Key_E, EventDialog)
    trigger_line = dialog.top.itemAt(0, dialog.top.ItemRole.FieldRole).widget()
    assert trigger_line.text() == "<b>“accused”</b>"
    dialog.event_type.setCurrentText("ACCUSE")
    schema = default_schema()
    accuse = dialog.event_type.currentIndex()
    assert dialog.event_type.itemData(accuse, Qt.ItemDataRole.ToolTipRole) == schema.event_types["ACCUSE"].definition
    assert {"realis", "negated", "certainty", "hopper", "mode"} <= set(dialog.fields)
    assert not {"dead", "injured"} & set(dialog.fields)
    source = dialog.roles["source"]
    fillers = [source.itemText(row) for row in range(source.count())]
    assert fillers[1:3] == ["Erdogan — “[Erdogan] has accused Russia…”",
                            "Russia — “Erdogan has accused [Russia] of not fulfilling…”"]
    assert fillers[4] == "Erdogan — “**[Erdogan] Threatens to Use…”" and not any("@" in filler for filler in fillers)
    source.setCurrentIndex(1)
    qtbot.waitUntil(lambda: source.isVisible())
    dialog.grab().save(str(screenshots / "event-dialog-accuse.png"))

    dialog.event_type.setCurrentText("ASSAULT")
    assert {"dead", "injured"} <= set(dialog.fields) and dialog.roles["source"].currentIndex() == 1
    label = next(widget for widget in dialog.findChildren(QLabel) if widget.text() == "dead")
    assert label.toolTip() == schema.event_attributes["dead"].definition
    qtbot.waitUntil(lambda: dialog.fields["dead"][0].isVisible() or dialog.scroll.verticalScrollBar().isVisible())
    assert dialog.height() <= window.height()
    assert trigger_line.isVisible() and not dialog.scroll.isAncestorOf(trigger_line)
    assert not dialog.scroll.isAncestorOf(dialog.event_type)
    dialog.grab().save(str(screenshots / "event-dialog-assault.png"))
    dialog.fields["dead"][0].setValue(8)
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    with window.project.session() as session:
        event = session.query(Event).one()
        roles = [argument.role for argument in session.query(EventArgument).filter_by(event_id=event.id)]
        assert (event.type, event.attributes, roles) == ("ASSAULT", {"dead": 8}, ["source"])
    window.annotation.stack.undo()
    with window.project.session() as session:
        assert session.query(Event).count() == 0


def test_the_stance_form_prefills_the_one_other_actor_of_the_evidence(window: MainWindow, qtbot):
    text = window.text_view.text
    start = text.index(ACCUSED)
    link(qtbot, window, start, start + 7, "GOV")
    link(qtbot, window, start + 20, start + 26, "STATE")
    stance = open_form(qtbot, window, start, start + len(ACCUSED), Qt.Key.Key_S, StanceDialog)
    assert (stance.holder.currentText(), stance.target.currentText()) == ("Erdogan", "Russia")
    stance.label.setCurrentIndex(stance.label.findData("ACCUSE"))
    qtbot.mouseClick(button(stance, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    with window.project.session() as session:
        row = session.query(Stance).one()
        assert (session.get(Actor, row.holder_id).name, session.get(Actor, row.target_id).name, row.label) == (
            "Erdogan", "Russia", "ACCUSE")
    stance = open_form(qtbot, window, start, start + 15, Qt.Key.Key_S, StanceDialog)
    assert (stance.holder.currentText(), stance.target.currentData()) == ("Erdogan", None)


def test_stance_labels_explain_themselves_when_the_schema_defines_them(window: MainWindow):
    data = default_schema().data | {"stance_labels": {"SUPPORT": {"polarity": 1, "def": "endorses the target"},
                                                      "OPPOSE": -1}}
    dialog = StanceDialog(window, schema_from_dict(data), [], None)
    assert dialog.label.itemData(0, Qt.ItemDataRole.ToolTipRole) == "endorses the target"
    assert dialog.label.itemData(1, Qt.ItemDataRole.ToolTipRole) is None
