"""Merge conflicts reviewed: both versions listed, "keep this" / "take the other" as one undoable step."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from team_cycle import alice_with_two_mentions, dump, retype

from workstation.cli import main
from workstation.core.errors import UserError
from workstation.editing.editor import Editor
from workstation.review.conflicts import count_open, open_conflicts, resolve
from workstation.review.merge import merge_packages
from workstation.review.packages import cut_package
from workstation.store.models import Mention, MergeConflict
from workstation.store.project import open_project
from workstation.store.project_ref import ProjectRef


@pytest.fixture
def conflicted(team_project: ProjectRef, tmp_path: Path) -> tuple[ProjectRef, list[Path], str]:
    """Two packages of alice's "Day 1" retype her first mention, NOMINAL then PRONOUN: PRONOUN (newer) stands,
    NOMINAL is recorded. Returns the project (a file or a server database), the packages and the mention's
    id."""
    supervisor = team_project
    document_id, first, _ = alice_with_two_mentions(supervisor)
    packages = [tmp_path / "one.sqlite", tmp_path / "two.sqlite"]
    with open_project(supervisor) as project:
        for path in packages:
            cut_package(project, "alice", [document_id], path)
    retype(packages[0], first, "NOMINAL")
    retype(packages[1], first, "PRONOUN")
    with open_project(supervisor) as project:
        for path in packages:
            merge_packages(project, [path])
    return supervisor, packages, first


def mention_type(path: ProjectRef, mention_id: str) -> str:
    with open_project(path, read_only=True) as project, project.session() as session:
        return session.scalar(select(Mention.mention_type).where(Mention.id == mention_id))


def test_a_conflict_is_listed_with_both_versions_and_taking_the_other_is_undoable(conflicted):
    supervisor, packages, first = conflicted
    with open_project(supervisor) as project:
        with project.session() as session:
            [conflict] = open_conflicts(session)
            assert count_open(session) == 1
        assert (conflict.what, conflict.who, conflict.kept) == ("mention PRONOUN", "alice", "package")
        assert re.fullmatch(r"Day 1\d?: “Erdogan” at 0–7", conflict.where)
        assert conflict.differing() == {"mention type"}
        assert (conflict.standing.fields["mention type"], conflict.recorded.fields["mention type"]) == (
            "PRONOUN", "NOMINAL")
        assert conflict.standing.changed_at > conflict.recorded.changed_at
        editor = Editor(project, "supervisor")
        with project.session() as session:
            flip = resolve(session, conflict.id, take_other=True)
        editor.run(flip)
    assert mention_type(supervisor, first) == "NOMINAL"
    with open_project(supervisor) as project:
        with project.session() as session:
            assert open_conflicts(session) == []
        Editor(project, "supervisor").revert(flip)
        with project.session() as session:
            assert [c.id for c in open_conflicts(session)] == [conflict.id]
        Editor(project, "supervisor").run(flip)
    assert mention_type(supervisor, first) == "NOMINAL"

    before = dump(supervisor)
    with open_project(supervisor) as project:
        again = merge_packages(project, packages)
    assert again.changes == 0 and not again.conflicts and dump(supervisor) == before


def test_keeping_resolves_without_touching_the_layer(conflicted):
    supervisor, _, first = conflicted
    before = dump(supervisor)
    with open_project(supervisor) as project:
        with project.session() as session:
            [conflict] = open_conflicts(session)
            keep = resolve(session, conflict.id[:8], take_other=False)
        Editor(project, "supervisor").run(keep)
        with project.session() as session:
            assert session.scalars(select(MergeConflict)).all() == []
        with project.session() as session, pytest.raises(UserError, match="no open conflict"):
            resolve(session, conflict.id, take_other=True)
    assert {**dump(supervisor), "merge_conflict": []} == {**before, "merge_conflict": []}
    assert mention_type(supervisor, first) == "PRONOUN"


def test_cli_lists_and_resolves(conflicted, capsys: pytest.CaptureFixture):
    supervisor, _, first = conflicted
    assert main(["conflicts", str(supervisor), "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["differing"], listed["who"], listed["recorded"]["fields"]["mention type"]) == (
        ["mention type"], "alice", "NOMINAL")
    assert main(["conflicts", str(supervisor)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\w{8}  mention PRONOUN — Day 1\d?: “Erdogan” at 0–7 — alice — recorded ", out)
    assert "mention type: standing PRONOUN | other NOMINAL" in out
    assert main(["conflicts", str(supervisor), "--take-other", listed["id"][:8]]) == 0
    assert capsys.readouterr().out.splitlines() == [f"Take the project's version: conflict {listed['id'][:8]} "
                                                    "resolved", "no open conflicts"]
    assert mention_type(supervisor, first) == "NOMINAL"
    assert main(["conflicts", str(supervisor), "--keep", "zzz"]) == 2
    assert "no open conflict 'zzz'" in capsys.readouterr().err


def test_the_conflicts_window_flips_a_conflict_on_the_undo_stack(conflicted, isolated_qt, qtbot, screenshots):
    from PySide6.QtCore import Qt

    from workstation.ui.main_window import MainWindow

    supervisor, _, first = conflicted
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_project(supervisor)
    window.show()
    badge = window.conflict_badge
    assert badge.isVisible() and badge.text() == "⚠ 1 merge conflict"
    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    view = window.team_dialog
    assert view.summary.text() == "1 open conflict(s)"
    assert [view.list.item(0, column).text() for column in (0, 2, 4)] == ["mention PRONOUN", "alice",
                                                                         "the package's version"]
    sides = {view.sides.item(row, 0).text(): (view.sides.item(row, 1).text(), view.sides.item(row, 2).text())
             for row in range(view.sides.rowCount())}
    assert sides["mention type"] == ("PRONOUN", "NOMINAL") and sides["start"] == ("0", "0")
    mention_row = [view.sides.item(row, 0).text() for row in range(view.sides.rowCount())].index("mention type")
    assert "background-color" in view.sides.item(mention_row, 1).data(Qt.ItemDataRole.UserRole + 7)
    view.resize(1000, 420)
    view.grab().save(str(screenshots / "conflicts.png"))

    qtbot.mouseClick(view.take_button, Qt.MouseButton.LeftButton)
    assert mention_type(supervisor, first) == "NOMINAL"
    assert view.list.rowCount() == 0 and view.summary.text().startswith("No open conflicts")
    assert not badge.isVisible() and not view.take_button.isEnabled()
    window.annotation.stack.undo()
    assert mention_type(supervisor, first) == "PRONOUN"
    assert view.list.rowCount() == 1 and badge.isVisible()
    window.annotation.stack.redo()
    assert mention_type(supervisor, first) == "NOMINAL" and not badge.isVisible()
    view.close()
