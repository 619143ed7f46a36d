"""The text view: code-point selections across emoji and combining marks, per-line painting, selection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication

from workstation.core.span_index import Piece, Span
from workstation.core.suggestions import Suggestion
from workstation.store.layer_arcs import Arc
from workstation.ui.highlighter import SELECTED_BACKGROUND, _segments
from workstation.ui.text_view import TextView

TEXT = "🇹🇷 Turkish President Erdoğan warned\nthe Syrian military in Idlib 😀."


def formats_at(view: TextView, line: int, column_u16: int):
    ranges = view.document().findBlockByNumber(line).layout().formats()
    for fmt_range in ranges:
        if fmt_range.start <= column_u16 < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)
    return None


def test_selection_after_emoji_is_in_code_points_and_snapped(qtbot):
    view = TextView()
    qtbot.addWidget(view)
    view.show_text(TEXT, [])
    start = TEXT.index("Erdoğan")
    assert start == 21
    cursor = view.textCursor()
    cursor.setPosition(start + 2 + 2)
    cursor.setPosition(start + 2 + 5, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.textCursor().selectedText() == "doğ"
    assert view.selected_span() == (start, start + len("Erdoğan"))
    assert view.selected_span(snap=False) == (start + 2, start + 5)


def test_combining_marks_count_as_code_points(qtbot):
    view = TextView()
    qtbot.addWidget(view)
    text = "q\u0307 Erdogan"
    view.show_text(text, [])
    view.select_span(3, 10)
    assert view.textCursor().selectedText() == "Erdogan"
    assert view.selected_span() == (3, 10)


def test_spans_are_painted_nested_and_selected(qtbot):
    view = TextView()
    qtbot.addWidget(view)
    military = Span(TEXT.index("Syrian"), TEXT.index(" in Idlib"), "MIL", "m1")
    syrian = Span(TEXT.index("Syrian"), TEXT.index("Syrian") + 6, "STATE", "m2")
    erdogan = Span(TEXT.index("Erdoğan"), TEXT.index("Erdoğan") + 7, "GOV", "m3")
    view.show_text(TEXT, [military, syrian])
    view.show()
    line_start = TEXT.index("the")
    inner = formats_at(view, 1, syrian.start - line_start)
    assert inner.background().color() == view.painter.colours.fill("STATE") and inner.fontUnderline()
    outer_only = formats_at(view, 1, military.end - 1 - line_start)
    assert outer_only.background().color() == view.painter.colours.fill("MIL") and not outer_only.fontUnderline()
    assert formats_at(view, 0, 2 + erdogan.start) is None
    view.add_span(erdogan)
    assert formats_at(view, 0, 2 + erdogan.start).background().color() == view.painter.colours.fill("GOV")
    view.select_item("m3")
    assert formats_at(view, 0, 2 + erdogan.start).background().color() == SELECTED_BACKGROUND
    view.remove_span(erdogan)
    assert formats_at(view, 0, 2 + erdogan.start) is None


def test_lines_far_from_the_viewport_are_painted_when_scrolled_to(qtbot):
    view = TextView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    text = "".join(f"line {number} with Erdogan\n" for number in range(3000))
    last = text.rindex("Erdogan")
    view.show_text(text, [Span(last, last + 7, "GOV", "far")])
    last_line = 2999
    column = len("line 2999 with ")
    assert last_line not in view.painter.painted
    assert formats_at(view, last_line, column) is None
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: formats_at(view, last_line, column) is not None)
    assert formats_at(view, last_line, column).background().color() == view.painter.colours.fill("GOV")


def _long_text_and_reader(lines: int = 3000):
    text = "".join(f"line {number} with Erdogan\n" for number in range(lines))
    spans = [Span(match, match + 7, "GOV", f"m{number}")
             for number, match in enumerate(i for i in range(len(text)) if text.startswith("Erdogan", i))]
    reads: list[tuple[int, int]] = []

    def read(first: int, last: int) -> list[Span]:
        reads.append((first, last))
        return [span for span in spans if first <= span.start < last]
    return text, spans, read, reads


@pytest.fixture
def shown_view(qtbot) -> TextView:
    view = TextView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    return view


def test_a_long_text_reads_the_spans_of_its_first_screen_then_the_rest_after_painting(qtbot, shown_view):
    view = shown_view
    text, spans, read, reads = _long_text_and_reader()
    with qtbot.waitSignal(view.spans_loaded, timeout=5000):
        view.show_text_lazily(text, read)
        first_screen = reads[0]
        assert first_screen[0] == 0 and first_screen[1] < len(text) / 10
        assert formats_at(view, 0, len("line 0 with ")).background().color() == view.painter.colours.fill("GOV")
    assert reads[-1] == (first_screen[1], len(text))
    assert sorted(view.index.all_spans()) == sorted(spans)


def test_scrolling_or_editing_before_the_rest_is_read_reads_it_at_once(qtbot, shown_view):
    view = shown_view
    text, spans, read, reads = _long_text_and_reader()
    view.show_text_lazily(text, read)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: formats_at(view, 2999, len("line 2999 with ")) is not None)
    assert reads[-1][1] == len(text)
    view.show_text_lazily(text, read)
    added = Span(text.index("line 2998"), text.index("line 2998") + 4, "MIL", "new")
    view.replace_items({"m2998", "new"}, [added])
    assert view.index.spans_of("m2998") == [] and view.index.spans_of("new") == [added]
    assert len(view.index.all_spans()) == len(spans)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)), max_size=25))
def test_a_line_is_cut_into_segments_that_list_their_spans_outermost_first(bounds):
    spans = [Span(start, start + length, "K", f"i{number}") for number, (start, length) in enumerate(bounds)]
    pieces = sorted((Piece(span.start, span.end, span) for span in spans),
                    key=lambda piece: (piece.start - piece.end, piece.start))
    cuts = sorted({piece.start for piece in pieces} | {piece.end for piece in pieces})
    naive = [(start, end, active) for start, end in zip(cuts, cuts[1:])
             if (active := [piece for piece in pieces if piece.start <= start and end <= piece.end])]
    assert _segments(pieces) == naive


class PaintedAreas(QObject):
    """The rectangles of a widget that paint events asked to draw."""

    def __init__(self, widget):
        super().__init__()
        self.areas: list = []
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.areas.extend(event.region())
        return False


def shown_on_screen(view: TextView):
    """What the screen holds now (the window's backing store), after pending paints."""
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
    return app.primaryScreen().grabWindow(view.winId()).toImage()


def test_an_edit_draws_only_what_changed_and_the_screen_matches_a_full_repaint(qtbot):
    """Adding a span in the middle of a wrapped paragraph (which grows a tag row and moves everything below),
    linking it by an arc, choosing it and taking it away: each time only a band of the view is drawn (the lines
    below a line that grew are moved as pixels), except a choice while arcs are shown (it dims every other arc);
    and the screen is exactly what drawing the whole view gives."""
    view = TextView()
    qtbot.addWidget(view)
    view.resize(420, 500)
    sentence = "Erdogan warned Putin about Idlib while the talks went on. "
    text = "".join(f"{number}: {sentence * 4}\n" for number in range(40))

    def word(number: int, words: str, occurrence: int, item_id: str) -> Span:
        start = text.index(f"{number}: ")
        for _ in range(occurrence + 1):
            start = text.index(words, start + 1)
        return Span(start, start + len(words), "GOV", item_id, tag="NAME")

    spans = [word(number, "Erdogan", 0, f"e{number}") for number in range(0, 40, 2)]
    view.show_text(text, spans)
    view.show()
    painted = PaintedAreas(view.viewport())
    added = word(2, "Putin", 2, "new")
    arc = Arc("a", "stance", "THREATEN", (spans[1].start, spans[1].end), (added.start, added.end), ("e2", "new"))
    choose = [lambda: view.select_item("new"), lambda: view.select_item(None)]
    edits = [(lambda: view.add_span(added), True), (lambda: view.set_arcs([arc]), True),
             *((action, False) for action in choose), (lambda: view.set_arcs([]), True),
             *((action, True) for action in choose), (lambda: view.remove_span(added), True)]
    before = shown_on_screen(view)
    for edit, in_a_band in edits:
        painted.areas.clear()
        edit()
        shown = shown_on_screen(view)
        drawn = sum(area.height() for area in painted.areas)
        assert 0 < drawn < view.viewport().height() / 2 if in_a_band else drawn >= view.viewport().height() - 2
        view.viewport().repaint()
        assert shown == shown_on_screen(view)
    assert shown == before


def test_an_edit_high_in_a_long_paragraph_moves_the_lines_below_it_and_draws_only_its_own(qtbot):
    """A tag or an arc added on a paragraph's first lines makes them taller: the rest of the paragraph only
    moves, as pixels, ghosts and all (drawing it again drew every ghost on it); the screen is still exactly what
    drawing the whole view gives."""
    view = TextView()
    qtbot.addWidget(view)
    view.resize(420, 600)
    text = "Erdogan warned Putin about Idlib while the talks went on. " * 14 + "\nThe end."
    first, second = (Span(start, start + len(word), "GOV", word, tag="NAME")
                     for word, start in (("Erdogan", 0), ("Putin", text.index("Putin"))))
    view.show_text(text, [first])
    view.show_suggestions([Suggestion(match, match + 5, "NAME", "a1", "registry", 1.0)
                           for match in range(len(text)) if text.startswith("Idlib", match)], set())
    view.show()
    painted = PaintedAreas(view.viewport())
    paragraph = view.blockBoundingGeometry(view.document().firstBlock()).height()
    arc = Arc("a", "stance", "THREATEN", (first.start, first.end), (second.start, second.end), ("Erdogan", "Putin"))
    before = shown_on_screen(view)
    for edit in (lambda: view.add_span(second), lambda: view.set_arcs([arc]), lambda: view.set_arcs([]),
                 lambda: view.remove_span(second)):
        painted.areas.clear()
        edit()
        shown = shown_on_screen(view)
        assert 0 < sum(area.height() for area in painted.areas) < paragraph / 3
        view.viewport().repaint()
        assert shown == shown_on_screen(view)
    assert shown == before
