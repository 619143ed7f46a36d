"""The Team menu driven like a supervisor: cut packages, open one as the annotator, merge them back with an
actor merge, and read agreement and progress in the dashboard."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import database_fingerprint
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from sqlalchemy import func, select, text
from team_cycle import OVERLAP, annotate, build_supervisor_project, first_round, second_round

from workstation.editing.commands import UpdateRow
from workstation.editing.editor import Editor
from workstation.review.adjudication_rows import compare_layers
from workstation.review.merge import MERGED, merge_packages
from workstation.store.models import GOLD, Actor, Annotator, Document, Mention, PackageSync
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


def checked_merge(window: MainWindow, qtbot, packages: list[Path]):
    """Team → Merge Packages with these packages, checked (a dry run): the dialog shows what merging does."""
    window.team_actions["merge"].trigger()
    merge = window.team_dialog
    merge.add_paths(packages)
    wait(qtbot, merge.check())
    return merge


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

    merge = checked_merge(window, qtbot, packages)
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
    titles = [chart.getPlotItem().titleLabel.text for chart in dashboard.chart_panel.charts]
    assert titles == ["Items per type and annotator", "Documents by status and annotator",
                      "Mention agreement (F1) per type", "Agreement on labels (Cohen's κ)"]
    items = dashboard.chart_panel.charts[0].getPlotItem()
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


@pytest.fixture
def second_round_merged(supervisor: Path, tmp_path: Path) -> tuple[Path, list[Path], list[str], str]:
    """The first round cut, annotated and merged; the supervisor retypes alice's Erdogan on the second shared
    document PRONOUN; then the second round (see `second_round`) is merged, meeting that change: a conflict.
    Returns the project, the packages, the shared documents and the conflicting mention's id."""
    packages, shared = first_round(supervisor, tmp_path)
    with open_project(supervisor) as project:
        merge_packages(project, packages)
        with project.session() as session:
            alice = session.scalar(select(Annotator.id).where(Annotator.name == "alice"))
            erdogan = session.scalar(select(Mention.id).where(Mention.annotator_id == alice, Mention.start == 0,
                                                              Mention.document_id == shared[1]))
            retype = UpdateRow(session, "Retype", "mention", erdogan, {"mention_type": "PRONOUN"})
        Editor(project, "supervisor").run(retype)
    for path, annotator in zip(packages, ("alice", "bob"), strict=True):
        second_round(path, annotator, shared)
    with open_project(supervisor) as project:
        report = merge_packages(project, packages)
    assert [(conflict.unit, conflict.kept) for conflict in report.conflicts] == [(f"mention:{erdogan}", "package")]
    assert dict(report.counts["event"]) == {"added": 4 * OVERLAP} and dict(report.counts["mention"]) == {
        "added": 2, "changed": 1}
    return supervisor, packages, shared, erdogan


def test_the_cycle_goes_on_to_gold_by_keys_and_a_conflict_is_flipped(second_round_merged, isolated_qt, qtbot,
                                                                     tmp_path: Path, screenshots):
    supervisor, packages, shared, erdogan = second_round_merged
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_project(supervisor)
    window.show()
    window.table.selectRow(window.model.row_of(shared[0]))
    window.team_actions["adjudicate"].trigger()
    view = window.team_dialog
    _adjudicate_by_keys(view, qtbot)
    view.grab().save(str(screenshots / "adjudication-near-misses.png"))
    view.close()
    with window.project.session() as session:
        ankara = [row for row in compare_layers(session, shared[1]).rows if row.text.endswith("Ankara")]
    assert [(sorted(row.versions), row.differing()) for row in ankara] == [(["alice", "bob"], {"span"})]
    _gold_relations_in_every_format(window.project, tmp_path)

    badge = window.conflict_badge
    assert badge.isVisible() and badge.text() == "⚠ 1 merge conflict"
    window.team_actions["conflicts"].trigger()
    conflicts = window.team_dialog
    assert [conflicts.list.item(0, column).text() for column in (0, 2, 4)] == ["mention NOMINAL · GOV", "alice",
                                                                              "the package's version"]
    qtbot.mouseClick(conflicts.take_button, Qt.MouseButton.LeftButton)
    assert conflicts.list.rowCount() == 0 and not badge.isVisible()
    with window.project.session() as session:
        assert session.scalar(select(Mention.mention_type).where(Mention.id == erdogan)) == "PRONOUN"
    conflicts.close()
    before = database_fingerprint(supervisor)
    again = merge_packages(window.project, packages)
    assert again.changes == 0 and not again.conflicts and database_fingerprint(supervisor) == before


def _adjudicate_by_keys(view, qtbot) -> None:
    """shared[0]: alice's and bob's Erdogan differ in the actor, the meeting agrees (alice's has a date), bob's
    second trigger takes "of Idlib" too, and so their CAUSE relations differ in where they lead."""
    kinds = [view.table.item(row, 1).text() for row in range(view.table.rowCount())]
    assert kinds == ["mention", "mention", "event", "event", "event relation"]
    assert [view.table.item(row, 0).text() for row in range(5)] == ["≠", "✓", "✓", "≠", "≠"]
    assert "to CONSULT “spoke of Idlib”" in view.table.item(4, 4).text()
    view.table.setCurrentCell(0, 0)
    for key in (Qt.Key.Key_1, Qt.Key.Key_Return, Qt.Key.Key_1):  # alice's Erdogan, the agreed Putin, alice's meeting
        qtbot.keyClick(view.table, key)
    assert view.table.currentRow() == 3
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    qtbot.keyClick(view.table, Qt.Key.Key_1)
    assert view.message.text().startswith("accept the second event of this relation (CONSULT “spoke”) into gold first")
    qtbot.keyClick(view.table, Qt.Key.Key_P)
    qtbot.keyClick(view.table, Qt.Key.Key_2)  # bob's "spoke of Idlib", and his relation comes with it
    assert view.summary.text() == "Gold: 5 items, status in progress"
    view.table.setCurrentCell(4, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_1)
    assert view.message.text().startswith("gold holds another version of this event relation: Delete removes it")
    assert view.table.item(2, 5).text().startswith("★ CONSULT(source=Erdogan, target=Putin)\ntrigger")
    assert "date 2020-02-05" in view.table.item(2, 5).text()
    view.status_combo.setCurrentIndex(2)
    view.status_combo.activated.emit(2)
    assert view.summary.text() == "Gold: 5 items, status done"


def _gold_relations_in_every_format(project, folder: Path) -> None:
    """Gold of shared[0], the one done, exported to every format; those that carry event relations carry its CAUSE."""
    import json

    from openpyxl import load_workbook

    from workstation.formats.exporting import EXPORTERS, ExportOptions, export

    outputs = {"jsonl": "gold.jsonl", "spacy": "gold.spacy", "prodigy": "gold-prodigy.jsonl", "conll": "gold.conll",
               "brat": "gold-brat", "xlsx": "gold.xlsx"}
    assert set(outputs) == set(EXPORTERS)
    for fmt, name in outputs.items():
        assert export(project, fmt, folder / name, ExportOptions(layer=GOLD, status="done")).documents == 1, fmt
    [line] = (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    [layer] = json.loads(line)["layers"]
    events = {event["id"]: event for event in layer["events"]}
    [relation] = layer["relations"]
    assert relation["type"] == "CAUSE" and events[relation["from"]]["date"] == "2020-02-05"
    [task] = [json.loads(line) for line in (folder / "gold-prodigy.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["label"] for r in task["relations"] if r["label"] == "CAUSE"] == ["CAUSE"]
    [ann] = list((folder / "gold-brat").rglob("*.ann"))
    assert [line.split("\t")[1].split()[0] for line in ann.read_text(encoding="utf-8").splitlines()
            if line.startswith("R")] == ["CAUSE"]
    relations = list(load_workbook(folder / "gold.xlsx")["Relations"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[5], row[7]) for row in relations] == [("gold", "CAUSE", "met", "spoke of Idlib")]


def test_the_team_menu_cuts_from_and_merges_into_a_server_project(server_project_url: str, qtbot, isolated_qt,
                                                                 tmp_path: Path, screenshots: Path):
    with open_project(server_project_url) as project:
        build_supervisor_project(project, tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(server_project_url)
    window.team_actions["package"].trigger()
    dialog = window.team_dialog
    assert dialog.folder.text() == str(Path.home())
    qtbot.keyClicks(dialog.annotators, "alice, bob")
    dialog.overlap.setValue(5)
    dialog.folder.setText(str(tmp_path))
    wait(qtbot, dialog.cut())
    packages = sorted(tmp_path.glob("*.package.sqlite"))
    assert [path.name.split("-")[-1] for path in packages] == ["alice.package.sqlite", "bob.package.sqlite"]
    assert f"{packages[0].name} (13 documents)" in window.statusBar().currentMessage()
    annotate(packages[0], "alice", _shared(packages))
    dialog.close()

    merge = checked_merge(window, qtbot, packages)
    assert f"Into the project: {window.project.location}" in [label.text() for label in merge.findChildren(QLabel)]
    assert merge.summary.toPlainText().startswith("would merge 2 package(s): assignment: 13 changed; "
                                                  "mention: 26 added")
    wait(qtbot, merge.merge())
    assert merge.summary.toPlainText().startswith("merged 2 package(s)")
    assert window.layer_choice.findText("alice (read-only)") > 0
    merge.grab().save(str(screenshots / "merge-dialog-server.png"))
    merge.close()
    window.close()
    with open_project(server_project_url, read_only=True) as project, project.session() as session:
        assert session.query(Mention).count() == 26
        assert session.scalar(select(func.count()).where(PackageSync.unit == MERGED)) == 2
