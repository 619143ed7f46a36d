"""Suggestions in the main window: ghost spans arrive from a worker, Enter accepts, Backspace rejects, Tab moves,
Ctrl+Enter accepts every suggestion of an actor, undo takes each back; asserted on the database and on what is
drawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from suggestion_project import FIRST, at, build, ids

from workstation.formats.exporting import ExportOptions, export
from workstation.store.models import Mention, RejectedSuggestion
from workstation.store.project import open_project
from workstation.ui.main_window import MainWindow
from workstation.ui.suggestion_controller import SuggestionController


@pytest.fixture
def window(qtbot, isolated_qt, project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(SuggestionController, "automatic", True)
    with open_project(project_path) as project:
        build(project, tmp_path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1200, 700)
    assert win.open_project(project_path)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: len(win.text_view.ghosts.suggestions) == 8, timeout=SPACY_LOADS)
    yield win
    win.close()


SPACY_LOADS = 30_000
"""The first suggestions wait for spaCy's import in the worker: seconds on a busy machine."""


def shown(window: MainWindow) -> list[str]:
    view = window.text_view
    return [view.text[s.start:s.end] for s in view.ghosts.suggestions if view.ghosts.shown(view.index, s)]


def mentions(window: MainWindow) -> list[tuple[str, str, str | None]]:
    with window.project.session() as session:
        return [(FIRST[m.start:m.end], m.origin, m.suggester) for m in session.query(Mention)
                .filter(Mention.document_id == window.workspace.document_id).order_by(Mention.start)]


def dashed_pixels(window: MainWindow, span: tuple[int, int]) -> int:
    """Pixels of the outline colour along the top edge of a span's box: a ghost is drawn there, nothing else."""
    view = window.text_view
    view.viewport().repaint()
    image: QImage = view.viewport().grab().toImage()
    cursor = view.textCursor()
    cursor.setPosition(view.units.to_utf16(span[0]))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.units.to_utf16(span[1]))
    right = view.cursorRect(cursor)
    ratio = image.devicePixelRatio()
    found = 0
    for y in range(int(left.top() * ratio) - 2, int(left.bottom() * ratio) + 2):
        for x in range(int(left.left() * ratio), int(right.left() * ratio)):
            colour = QColor(image.pixel(x, y))
            if colour.saturation() > 60 and colour.value() < 235:
                found += 1
    return found


def press(qtbot, window: MainWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.waitUntil(window.text_view.hasFocus)
    qtbot.keyClick(window.text_view, key, modifier)


def test_accept_reject_next_accept_all_and_undo(window: MainWindow, qtbot, screenshots: Path):
    view = window.text_view
    assert shown(window)[:3] == ["Turkey", "Recep Tayyip Erdogan", "US"]
    assert dashed_pixels(window, at(FIRST, "Ankara")) > 0
    view.select_span(0, 0)
    press(qtbot, window, Qt.Key.Key_Return)
    assert mentions(window) == [("Turkey", "suggested", "registry")]
    assert view.cursor_offset() == at(FIRST, "Recep Tayyip Erdogan")[0]
    assert [s.item_id for s in view.index.at(0)] and "Turkey" not in shown(window)
    press(qtbot, window, Qt.Key.Key_Tab)
    assert view.cursor_offset() == at(FIRST, "US")[0]
    press(qtbot, window, Qt.Key.Key_Backspace)
    with window.project.session() as session:
        assert [(r.start, r.end, r.type) for r in session.query(RejectedSuggestion)] == [(*at(FIRST, "US"), "NAME")]
    assert "US" not in shown(window) and dashed_pixels(window, at(FIRST, "US")) == 0
    window.grab().save(str(screenshots / "suggestions-ghost-spans.png"))
    press(qtbot, window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert view.cursor_offset() == at(FIRST, "Recep Tayyip Erdogan")[0]
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [m[0] for m in mentions(window)] == ["Turkey", "Recep Tayyip Erdogan", "Erdogan", "Reis", "Erdogan"]
    assert shown(window) == ["Ankara", "United States"]
    assert window.annotation.stack.undoText() == "Accept 4 suggestion(s) of Recep Tayyip Erdogan"
    window.annotation.stack.undo()
    assert [m[0] for m in mentions(window)] == ["Turkey"]
    assert shown(window) == ["Recep Tayyip Erdogan", "Ankara", "Erdogan", "United States", "Reis", "Erdogan"]
    window.annotation.stack.undo()
    assert "US" in shown(window) and dashed_pixels(window, at(FIRST, "US")) > 0
    window.annotation.stack.undo()
    assert mentions(window) == [] and "Turkey" in shown(window)


def test_rejected_is_not_suggested_again_after_reopening_and_exports_hold_accepted_only(
        window: MainWindow, qtbot, tmp_path: Path):
    view = window.text_view
    view.select_span(*at(FIRST, "Ankara"))
    press(qtbot, window, Qt.Key.Key_Backspace)
    view.select_span(*at(FIRST, "United States"))
    press(qtbot, window, Qt.Key.Key_Enter)
    path, annotator = window.project.path, window.annotator
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.open_project(path)
    qtbot.waitUntil(lambda: len(again.text_view.ghosts.suggestions) == 6, timeout=SPACY_LOADS)
    assert "Ankara" not in shown(again) and "United States" not in shown(again)
    again.close()
    out = tmp_path / "out.jsonl"
    with open_project(path, read_only=True) as project:
        export(project, "jsonl", out, ExportOptions(layer=annotator))
    [first] = [line for line in map(json.loads, out.read_text().splitlines()) if line["text"] == FIRST]
    [layer] = first["layers"]
    assert [(m["start"], m["end"]) for m in layer["mentions"]] == [at(FIRST, "United States")]


def test_a_learned_name_removed_in_the_actor_panel_is_no_longer_suggested_until_undone(window: MainWindow, qtbot):
    erdogan = ids(window.project)["A2"]
    window.actors.forget(erdogan, "Reis")
    qtbot.waitUntil(lambda: "Reis" not in shown(window), timeout=SPACY_LOADS)
    assert shown(window).count("Erdogan") == 2
    window.annotation.stack.undo()
    qtbot.waitUntil(lambda: "Reis" in shown(window), timeout=SPACY_LOADS)


def test_sort_most_useful_next_puts_documents_with_most_registry_hits_first(window: MainWindow, qtbot):
    """Envoys (8 suggestions) comes before Reis (1) until its suggestions are all taken: then Reis leads."""
    titles = [window.model.summary(row).title for row in range(window.model.rowCount())]
    assert titles == ["Envoys", "Reis"]
    window.text_view.select_span(0, 0)
    for _ in range(8):
        press(qtbot, window, Qt.Key.Key_Return)
    assert len(mentions(window)) == 8 and shown(window) == []
    task = window.suggestions.models.sort_documents()
    with qtbot.waitSignal(task.done, timeout=SPACY_LOADS) as weighed:
        pass
    known = ids(window.project)
    assert (weighed.args[0][known["D1"]].registry_hits, weighed.args[0][known["D2"]].registry_hits) == (0, 1)
    assert [window.model.summary(row).title for row in range(window.model.rowCount())] == ["Reis", "Envoys"]
    assert window.table.currentIndex().row() == 1 and window.workspace.document_id == known["D1"]
