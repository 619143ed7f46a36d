"""The Team menu: what a supervisor does with several annotators' work, each in its own window.

All of these stay open beside the main window (never modal), so the
supervisor can keep reading documents while a dashboard or a merge is open.
Each window's module (and the review code behind it) is imported when the
window is first asked for, not while the main window starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from workstation.editing.editor import Editor
from workstation.store.failures import explain_failure, failure_types
from workstation.store.models import GOLD
from workstation.store.read_rights import READ_RULES, may_read_table, may_set_rule, read_rule, set_read_rule

if TYPE_CHECKING:
    from workstation.ui.adjudication_view import AdjudicationView
    from workstation.ui.agreement_dashboard import AgreementDashboard
    from workstation.ui.conflicts_view import ConflictsView
    from workstation.ui.main_window import MainWindow
    from workstation.ui.package_dialogs import MergeDialog, PackageDialog


def _show(window: MainWindow, dialog: QWidget | None) -> QWidget | None:
    if dialog is None:
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    window.team_dialog = dialog
    return dialog


def _package(window: MainWindow) -> PackageDialog:
    from workstation.ui.package_dialogs import PackageDialog

    return PackageDialog(window)


def _merge(window: MainWindow) -> MergeDialog:
    from workstation.ui.package_dialogs import MergeDialog

    return MergeDialog(window)


def _agreement(window: MainWindow) -> AgreementDashboard:
    from workstation.ui.agreement_dashboard import AgreementDashboard

    return AgreementDashboard(window.project, window)


def _adjudication(window: MainWindow) -> AdjudicationView | None:
    from workstation.ui.adjudication_view import AdjudicationView

    if window.annotation.document_id is None:
        window.statusBar().showMessage("Choose a document to adjudicate")
        return None
    return AdjudicationView(window.project, window.annotation.document_id, window.annotation.stack,
                            on_changed=window.apply_gold_edit, parent=window)


def _next_adjudication(window: MainWindow) -> AdjudicationView | None:
    """The adjudication view on the next document whose gold is not done, after the one shown."""
    from workstation.store.engine import driver_connection
    from workstation.store.gold_status import gold_documents, next_to_adjudicate
    from workstation.ui.adjudication_view import AdjudicationView

    with window.project.session() as session:
        chosen = next_to_adjudicate(gold_documents(driver_connection(session)), window.annotation.document_id)
    if chosen is None:
        window.statusBar().showMessage("Every document's gold is done")
        return None
    window.statusBar().showMessage(f"Adjudicating {chosen.title} (gold {chosen.state})")
    return AdjudicationView(window.project, chosen.id, window.annotation.stack, on_changed=window.apply_gold_edit,
                            parent=window)


def _conflicts(window: MainWindow) -> ConflictsView:
    from workstation.ui.conflicts_view import ConflictsView

    return ConflictsView(window.project, Editor(window.project, window.own_annotator()), window.annotation.stack,
                         on_changed=lambda _changes: window.workspace.reloaded.emit(), parent=window)


class ConflictBadge(QPushButton):
    """A status-bar button saying how many merge conflicts wait for review; hidden when none do."""

    def __init__(self, window: MainWindow):
        super().__init__()
        self.window_ = window
        self.setFlat(True)
        self.setStyleSheet("color: #8a4b00; font-weight: bold; padding: 0 6px;")
        self.setToolTip("Review the conflicts of merged work packages (Team → Merge Conflicts)")
        self.clicked.connect(lambda: window.team_actions["conflicts"].trigger())
        window.workspace.reloaded.connect(self.refresh)
        window.workspace.changed.connect(lambda changes: self.refresh() if changes.touched("merge_conflict") else None)
        self.hide()

    def refresh(self) -> None:
        from workstation.review.conflicts import count_open

        project = self.window_.project
        if project is None:
            self.hide()
            return
        with project.session() as session:
            if not may_read_table(session.connection(), "merge_conflict"):
                self.hide()
                return
            count = count_open(session)
        self.setText(f"⚠ {count} merge conflict{'s' if count != 1 else ''}")
        self.setVisible(count > 0)


def _edit_gold(window: MainWindow, on: bool) -> None:
    """The supervisor corrects gold items in the main window with the usual tools; off returns to their own layer."""
    window.switch_annotator(GOLD if on else window.own_annotator())
    window.statusBar().showMessage("Editing the gold layer" if on else f"Editing {window.annotator}'s layer")


RULE_TEXTS = {"own": "Their &Own Layer and Gold", "after-adjudication": "Others' Layers &Once Gold Is Done",
              "all": "&Every Layer"}


class ReadRightsMenu(QMenu):
    """Team ▸ What Annotators May Read, on a server project: the rule in force is checked when the menu opens;
    the supervisor picks another (an annotator sees it greyed out, and the database would refuse them)."""

    def __init__(self, window: MainWindow):
        super().__init__("What Annotators May &Read", window)
        self.window_ = window
        self.setToolTipsVisible(True)
        self.group = QActionGroup(self)
        self.rules: dict[str, QAction] = {}
        for rule, label in RULE_TEXTS.items():
            action = QAction(label, self, checkable=True, toolTip=f"Annotators read {READ_RULES[rule]}")
            action.triggered.connect(lambda _checked=False, rule=rule: self.choose(rule))
            self.group.addAction(action)
            self.addAction(action)
            self.rules[rule] = action
        self.aboutToShow.connect(self.refresh)

    def refresh(self) -> None:
        """The rule in force (another supervisor may have changed it), and whether this user may change it."""
        project = self.window_.project
        if project is None or not project.server:
            return
        with project.engine.connect() as connection:
            rule, allowed = read_rule(connection), may_set_rule(connection)
        self.rules[rule].setChecked(True)
        for action in self.rules.values():
            action.setEnabled(allowed)

    def choose(self, rule: str) -> None:
        project = self.window_.project
        try:
            with project.engine.begin() as connection:
                set_read_rule(connection, rule)
        except failure_types() as error:
            explained = explain_failure(error, project.location)
            if explained is None:
                raise
            self.window_.show_error("What annotators may read was not changed", explained)
            self.refresh()
            return
        self.window_.statusBar().showMessage(f"Annotators now read {READ_RULES[rule]}", 8000)


def build_team_menu(window: MainWindow) -> dict[str, QAction]:
    """The Team menu; returns its actions by name. The window it opens is kept in `window.team_dialog`."""
    menu = window.menuBar().addMenu("&Team")
    actions = {}
    entries = (
        ("package", "Cut &Work Packages…", None, _package),
        ("merge", "&Merge Packages…", None, _merge),
        ("conflicts", "Merge &Conflicts…", None, _conflicts),
        ("adjudicate", "A&djudicate This Document…", "Ctrl+J", _adjudication),
        ("adjudicate_next", "Adjudicate the &Next Document…", "Ctrl+Shift+J", _next_adjudication),
        ("agreement", "&Agreement and Progress…", None, _agreement),
    )
    for key, text, shortcut, make in entries:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, make=make: window.project and _show(window, make(window)))
        menu.addAction(action)
        actions[key] = action
    gold = QAction("Edit the &Gold Layer", window, checkable=True)
    gold.toggled.connect(lambda on: window.project and _edit_gold(window, on))
    menu.addSeparator()
    menu.addAction(gold)
    actions["edit_gold"] = gold
    rights = ReadRightsMenu(window)
    actions["read_rights"] = menu.addMenu(rights)
    actions["read_rights"].setEnabled(False)
    actions["read_rights"].setStatusTip("Server projects only: which of the others' layers annotators may read")
    return actions
