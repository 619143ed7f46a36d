"""Search: the list's words marked in the article (code points in, UTF-16 at the view), F3 cycling, no stale text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_main_window import isolated_qt, visible_titles  # noqa: F401  (fixture and helper)

from workstation.core.text import spans_between_marks
from workstation.formats.importing import import_paths
from workstation.store.models import Document
from workstation.store.search_hits import search_hits
from workstation.ui.main_window import MainWindow, initial_project

ODD_TEXT = "🙂 Mex\u0303ico and 👩\u200d👩\u200d👧 mexico; MEXICO-city, Méxicos, not Amexico."
"""An astral emoji, a family emoji (ZWJ sequence) and x̃ (a combining mark no precomposed letter absorbs)."""


@pytest.fixture
def window(qtbot, isolated_qt):  # noqa: F811
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_project(initial_project())
    win.show()
    yield win
    win.close()


def add_odd_document(project, tmp_path: Path) -> str:
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"text": ODD_TEXT, "meta": {"title": "Odd characters"}}) + "\n", encoding="utf-8")
    import_paths(project, [path])
    with project.session() as session:
        return session.query(Document.id).filter(Document.title == "Odd characters").scalar()


def words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_marks_become_code_point_spans_of_the_unmarked_text():
    assert spans_between_marks("a[b]c[de]", "[", "]") == [(1, 2), (3, 5)]
    assert spans_between_marks("[🙂x] y [z]", "[", "]") == [(0, 2), (5, 6)]
    assert spans_between_marks("plain", "[", "]") == []


def test_hits_follow_the_lists_rules_with_emoji_and_combining_marks(project, tmp_path: Path):
    document_id = add_odd_document(project, tmp_path)
    with project.session() as session:
        hits = search_hits(session, document_id, "MEXICO")
        assert words(ODD_TEXT, hits) == ["Mex\u0303ico", "mexico", "MEXICO", "Méxicos"]
        assert words(ODD_TEXT, search_hits(session, document_id, "mexico city")) == [
            "Mex\u0303ico", "mexico", "MEXICO", "city", "Méxicos"]
        assert search_hits(session, document_id, "") == []
        assert search_hits(session, document_id, "odd") == [], "a title-only match has no hit in the text"
        assert search_hits(session, document_id, "mexico nowhere") == [], "every word must match, as in the list"
        assert words(ODD_TEXT, search_hits(session, document_id, '"( AND')) == ["and"], "FTS syntax is plain text"


def test_hits_are_marked_and_f3_steps_through_them(window: MainWindow, qtbot, tmp_path: Path):
    add_odd_document(window.project, tmp_path)
    window.refresh_documents()
    qtbot.keyClicks(window.search, "mexico")
    assert visible_titles(window) == ["Odd characters"]
    assert window.heading.text() == "Odd characters"
    view = window.text_view
    marked = [selection.cursor.selectedText() for selection in view.extraSelections()]
    assert marked == ["Mex\u0303ico", "mexico", "MEXICO", "Méxicos"]
    assert window.statusBar().currentMessage() == "1 document(s); 4 hit(s) in the shown one (F3: next)"
    seen = []
    for _ in range(5):
        qtbot.keyClick(view, Qt.Key.Key_F3)
        seen.append((view.textCursor().selectedText(), window.statusBar().currentMessage()))
    assert seen == [("Mex\u0303ico", "hit 1 of 4"), ("mexico", "hit 2 of 4"), ("MEXICO", "hit 3 of 4"),
                    ("Méxicos", "hit 4 of 4"), ("Mex\u0303ico", "hit 1 of 4")]
    qtbot.keyClick(view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectedText() == "Méxicos" and window.statusBar().currentMessage() == "hit 4 of 4"
    assert view.selected_span(snap=False) == (ODD_TEXT.index("Méxicos"), ODD_TEXT.index("Méxicos") + 7)
    window.search.clear()
    assert view.extraSelections() == [] and len(visible_titles(window)) == 2


def test_no_result_clears_the_article_and_the_heading(window: MainWindow, qtbot):
    assert window.text_view.toPlainText()
    qtbot.keyClicks(window.search, "zzyzx")
    assert visible_titles(window) == []
    assert window.text_view.toPlainText() == "" and window.heading.text() == ""
    assert window.workspace.document_id is None and window.text_view.extraSelections() == []
    qtbot.keyClick(window.text_view, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == "No search hits in this document"
    window.search.clear()
    assert window.text_view.toPlainText().startswith("\n\n---\n\n**Erdogan Threatens")
    assert window.heading.text().startswith("Erdogan Threatens")


def test_search_hits_in_the_sample_article(window: MainWindow, qtbot, screenshots):
    qtbot.keyClick(window.text_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "syria")
    text = window.text_view.text
    marked = [selection.cursor.selectedText() for selection in window.text_view.extraSelections()]
    assert marked and {word.casefold() for word in marked} <= {"syria", "syrian", "syria's"}
    assert len(marked) == text.casefold().count("syria")
    qtbot.keyClick(window.text_view, Qt.Key.Key_F3)
    qtbot.keyClick(window.text_view, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == f"hit 2 of {len(marked)}"
    window.resize(1200, 700)
    window.grab().save(str(screenshots / "search-hits.png"))
