"""The Team menu driven like a supervisor: cut packages, open one as the annotator, merge them back with an
actor merge, and read agreement and progress in the dashboard."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select, text
from team_cycle import annotate, build_supervisor_project

from workstation.store.models import Actor, Document, Mention
from workstation.store.project import open_project
from workstation.ui.main_window import MainWindow


@pytest.fixture
def supervisor_window(qtbot, isolated_qt, project_path: Path, tmp_path: Path):  # noqa: F811
    with open_project(project_path) as project:
        build_supervisor_project(project, tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_project(project_path)
    window.show()
    yield window
    window.close()


def wait(qtbot, task) -> None:
    with qtbot.waitSignal(task.done, timeout=20_000):
        pass


def test_cut_open_merge_and_measure(supervisor_window: MainWindow, qtbot, tmp_path: Path, screenshots):
    window = supervisor_window
    window.team_actions["package"].trigger()
    dialog = window.team_dialog
    qtbot.keyClicks(dialog.annotators, "alice, bob")
    dialog.overlap.setValue(5)
    dialog.folder.setText(str(tmp_path))
    assert dialog.plan_label.text() == "20 document(s): alice 13, bob 12 (5 shared by all)"
    dialog.grab().save(str(screenshots / "package-dialog.png"))
    dialog.overlap.setValue(50)
    assert "overlap (50) must be between 0 and the number of documents (20)" in dialog.plan_label.text()
    assert not dialog.cut_button.isEnabled()
    dialog.overlap.setValue(5)
    wait(qtbot, dialog.cut())
    packages = [tmp_path / "project-alice.package.sqlite", tmp_path / "project-bob.package.sqlite"]
    assert all(path.is_file() for path in packages)
    assert "project-alice.package.sqlite (13 documents)" in window.statusBar().currentMessage()

    shared = _shared(packages)
    for path, name in zip(packages, ("alice", "bob"), strict=True):
        annotate(path, name, shared)
    supervisor = window.project.path
    assert window.open_project(packages[0])
    assert window.annotator == "alice" and "work package for alice" in window.windowTitle()
    preferences = window.show_preferences()
    preferences.annotator.setText("carol")
    qtbot.mouseClick(preferences.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert window.annotator == "alice"
    assert window.model.index(0, 2).data() == "done"
    assert window.open_project(supervisor) and window.annotator == "carol"

    window.team_actions["merge"].trigger()
    merge = window.team_dialog
    merge.add_paths(packages)
    wait(qtbot, merge.check())
    assert merge.summary.toPlainText().startswith("would merge 2 package(s): actor: 1 added; assignment: 25 changed; "
                                                  "mention: 50 added")
    assert merge.offers.count() == 1 and merge.merge_button.isEnabled()
    merge.offers.item(0).setCheckState(Qt.CheckState.Checked)
    merge.grab().save(str(screenshots / "merge-dialog.png"))
    with window.project.session() as session:
        assert session.query(Mention).count() == 0
    wait(qtbot, merge.merge())
    assert merge.summary.toPlainText().startswith("merged 2 package(s)")
    with window.project.session() as session:
        assert session.query(Mention).count() == 50
        offline = session.scalar(select(Actor).where(Actor.name == "Erdogan"))
        assert session.get(Actor, offline.merged_into).name == "Recep Tayyip Erdogan"
    window.annotation.stack.undo()
    with window.project.session() as session:
        assert session.scalar(select(Actor.merged_into).where(Actor.name == "Erdogan")) is None
    assert [window.layer_choice.itemText(i) for i in range(window.layer_choice.count())][1:] == [
        "alice (read-only)", "bob (read-only)"]
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a package", encoding="utf-8")
    merge.add_paths([junk])
    with qtbot.waitSignal(merge.check().error, timeout=20_000):
        pass
    assert merge.summary.toPlainText() == f"Nothing was changed.\n{junk}: not a work package (the file is not an " \
                                          "SQLite database)"
    assert not merge.merge_button.isEnabled() and merge.check_button.isEnabled()
    merge.close()

    row = next(row for row in range(window.model.rowCount()) if window.model.summary(row).id == shared[1])
    window.table.selectRow(row)
    window.team_actions["adjudicate"].trigger()
    view = window.team_dialog
    qtbot.mouseClick(view.accept_all_button, Qt.MouseButton.LeftButton)
    assert view.summary.text().startswith("Gold: 2 items")
    assert "gold (read-only)" in [window.layer_choice.itemText(i) for i in range(window.layer_choice.count())]
    window.team_actions["edit_gold"].setChecked(True)
    assert window.annotator == "gold" and window.layer_choice.itemText(0) == "My layer (gold)"
    assert len(window.text_view.index.all_spans()) == 2
    window.team_actions["edit_gold"].setChecked(False)
    assert window.annotator == window.own_annotator() != "gold"
    view.close()

    window.team_actions["agreement"].trigger()
    dashboard = window.team_dialog
    wait(qtbot, dashboard.task)
    assert dashboard.summary.text().startswith("5 document(s) with two or more layers of: alice, bob")
    table = dashboard.overall
    rows = [[table.item(row, column).text() for column in range(table.columnCount())]
            for row in range(table.rowCount())]
    [kappa] = [row[7] for row in rows if row[:2] == ["alice / bob", "mention types"]]
    assert kappa == f"{0.16 / 0.26:.3f}"
    progress = {dashboard.progress.item(row, 0).text(): (dashboard.progress.item(row, 1).text(),
                                                         dashboard.progress.item(row, 2).text())
                for row in range(dashboard.progress.rowCount())}
    assert progress == {"alice": ("13", "13"), "bob": ("12", "12")}
    dashboard.resize(1100, 600)
    dashboard.grab().save(str(screenshots / "agreement-dashboard.png"))
    _pictures(dashboard, qtbot, screenshots)


def _pictures(dashboard, qtbot, screenshots: Path) -> None:
    """The Charts tab draws the report's charts; the confusion matrix opens the mentions behind a cell."""
    assert "pyqtgraph" in sys.modules
    titles = [chart.getPlotItem().titleLabel.text for chart in dashboard.charts.charts]
    assert titles == ["Items per type and annotator", "Documents by status and annotator",
                      "Mention agreement (F1) per type", "Agreement on labels (Cohen's κ)"]
    items = dashboard.charts.charts[0].getPlotItem()
    bars = {bar.name(): sum(bar.opts["height"]) for bar in items.listDataItems()}
    assert bars == {"alice": 26, "bob": 24, "gold": 2}  # mentions: 2 per document, bob's offline Erdogan counts
    dashboard.tabs.setCurrentWidget(dashboard.charts)
    dashboard.resize(1100, 700)
    dashboard.grab().save(str(screenshots / "dashboard-charts.png"))

    panel = dashboard.confusion
    if panel.task is not None and panel.confusion is None:
        wait(qtbot, panel.task)
    types = [panel.matrix.horizontalHeaderItem(c).text() for c in range(panel.matrix.columnCount())]
    assert types == ["NAME", "NOMINAL", "(none)"]
    cells = [[panel.matrix.item(r, c).text() for c in range(3)] for r in range(3)]
    assert cells == [["8", "1", ""], ["", "1", ""], ["", "", ""]]
    dashboard.tabs.setCurrentWidget(panel)
    panel.matrix.setCurrentCell(0, 1)
    qtbot.mouseClick(panel.matrix.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.matrix.visualItemRect(panel.matrix.item(0, 1)).center())
    assert panel.cell_label.text() == "1 mention(s): alice NAME, bob NOMINAL"
    assert [panel.items.item(0, c).text() for c in (2, 3)] == ["Putin", "Putin"]
    dashboard.grab().save(str(screenshots / "dashboard-confusion.png"))


def _shared(packages: list[Path]) -> list[str]:
    """The documents both packages hold, in import order (as the cut keeps it)."""
    alice, bob = (_documents(path) for path in packages)
    return [doc for doc in alice if doc in bob]


def _documents(path: Path) -> list[str]:
    with open_project(path) as project, project.session() as session:
        return session.scalars(select(Document.id).order_by(text("document.rowid"))).all()
