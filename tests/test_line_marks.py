"""Labels and arcs over the text, as the annotator sees them on the reference article fully annotated: a tag
above each span, arcs from triggers to their arguments and between stance holders and targets, room made
above the lines, hovering and clicking an arc, the View switch, and colours chosen in the legend."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QColorDialog, QToolTip
from test_annotating import window  # noqa: F401  (fixture)
from test_main_window import DATA

from workstation.core.rows import stack
from workstation.core.span_index import Span
from workstation.formats.importing import import_paths
from workstation.store.layer_arcs import ARGUMENT, STANCE, layer_arcs
from workstation.store.project import open_project
from workstation.ui.main_window import MainWindow
from workstation.ui.text_view import TextView

REFERENCE = DATA / "reference-annotated.jsonl"


def show_reference(window: MainWindow, qtbot) -> TextView:  # noqa: F811
    import_paths(window.project, [REFERENCE])
    window.workspace.reloaded.emit()
    window.switch_annotator("reference")
    window.resize(1400, 900)
    view = window.text_view
    qtbot.waitUntil(lambda: bool(view.painter.marks))
    view.viewport().repaint()
    return view


def tags_on_screen(view: TextView) -> list[str]:
    found = [view.painter.marks.get(block.blockNumber()) for block, _top in view._blocks_on_screen()]
    return [tag.text for marks in found if marks is not None for line in marks.lines for tag in line.tags]


def test_every_span_on_screen_carries_its_tag_and_arcs_join_their_items(window: MainWindow, qtbot, screenshots):  # noqa: F811
    view = show_reference(window, qtbot)
    tags = tags_on_screen(view)
    assert "NAME · Recep Tayyip Erdogan" in tags and "THREATEN" in tags and "ASSAULT" in tags
    with window.project.session() as session:
        expected = layer_arcs(session, window.workspace.document_id, window.workspace.shown_annotator_id())
    assert sorted(view.arcs, key=repr) == sorted(expected, key=repr)
    kinds = {arc.kind for arc in view.arcs}
    assert {ARGUMENT, STANCE, "event_relation"} <= kinds
    headline = view.text.index("Threatens")
    threaten = next(arc for arc in view.arcs if arc.kind == ARGUMENT and arc.source[0] == headline
                    and arc.label == "source")
    assert view.text[slice(*threaten.target)] == "Erdogan"
    block = view.document().findBlock(view.units.to_utf16(headline))
    line = view.painter.marks[block.blockNumber()].lines[0]
    piece = next(piece for piece in line.arcs if piece.arc == threaten)
    layout_line = block.layout().lineAt(0)
    erdogan = view.units.to_utf16(threaten.target[0]) - block.position()
    assert piece.target_x is not None and layout_line.cursorToX(erdogan)[0] < piece.target_x \
        < layout_line.cursorToX(erdogan + 7)[0]
    assert line.y >= line.tag_rows * view.labeller.tag_height + view.labeller.arc_height
    window.grab().save(str(screenshots / "labels-and-arcs.png"))


def test_hovering_an_arc_names_it_and_clicking_selects_its_item(window: MainWindow, qtbot):  # noqa: F811
    view = show_reference(window, qtbot)
    block, top = view._blocks_on_screen()[0]
    while not (view.painter.marks.get(block.blockNumber()) and view.painter.marks[block.blockNumber()].lines[0].arcs):
        block = block.next()
        top = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
    marks = view.painter.marks[block.blockNumber()]
    piece, path, label = view.labeller._arc_shapes(marks.lines[0], top)[0]
    centre = label.center()
    assert view.arc_at(centre) == piece.arc
    assert view.describe_arc(piece.arc).startswith(f"{piece.arc.label}: ")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
    assert piece.arc.item_id in view.painter.selected
    assert {end for end in piece.arc.ends if end} <= view.painter.selected
    assert window.frames.chosen().item_id == piece.arc.item_id
    assert view.arc_at(QPointF(-50, -50)) is None
    tag = next(tag for line in marks.lines for tag in line.tags if tag.text.startswith("NAME"))
    centre = QPoint(int(tag.left + tag.width / 2), int(top + marks.lines[0].y - (tag.row + 0.5)
                                                       * view.labeller.tag_height))
    assert view.tag_at(QPointF(centre)) == tag
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre)))
    shown = QToolTip.text()
    assert "NAME: proper name" in shown and tag.text.split(" · ")[1] in shown


def test_labels_make_room_above_lines_and_ctrl_t_hides_them(window: MainWindow, qtbot):  # noqa: F811
    view = show_reference(window, qtbot)
    block = view.document().findBlock(view.units.to_utf16(view.text.index("Erdogan has accused")))
    with_marks = view.blockBoundingRect(block).height()
    assert block.layout().lineAt(0).y() > view.labeller.tag_height
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert not window.marks.toggle.isChecked() and not view.labeller.shown
    qtbot.waitUntil(lambda: block.layout().lineAt(0).y() == 0)
    assert view.blockBoundingRect(block).height() < with_marks
    assert tags_on_screen(view) == []
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: block.layout().lineAt(0).y() > 0)
    assert "ACCUSE" in tags_on_screen(view)


def test_an_edit_brings_its_tag_and_arc_and_undo_takes_them_away(window: MainWindow, qtbot):  # noqa: F811
    view = window.text_view
    text = view.text
    trigger = text.index("threatened")
    erdogan = text.index("Erdogan", text.index("Recep"))
    window.annotation.finish_mention((erdogan, erdogan + 7), "NAME", None)
    window.annotation.finish_event((trigger, trigger + 10), "THREATEN", {}, [("source", window.text_view.index.at(
        erdogan)[0].item_id)])
    assert "THREATEN" in tags_on_screen(view) and "NAME" in tags_on_screen(view)
    assert [(arc.label, arc.source, arc.target) for arc in view.arcs] == [
        ("source", (trigger, trigger + 10), (erdogan, erdogan + 7))]
    window.annotation.stack.undo()
    assert view.arcs == [] and "THREATEN" not in tags_on_screen(view)


def test_tags_stand_over_their_words_after_emoji_and_combining_marks(qtbot):
    view = TextView()
    qtbot.addWidget(view)
    text = "🇹🇷 q\u0307 Erdoğan met 👩‍👩‍👧 Putin"
    erdogan, putin = text.index("Erdoğan"), text.index("Putin")
    view.show_text(text, [Span(erdogan, erdogan + 7, "GOV", "m1", tag="NAME"),
                          Span(putin, putin + 5, "GOV", "m2", tag="NAME")])
    view.resize(600, 200)
    view.show()
    qtbot.waitExposed(view)
    block = view.document().firstBlock()
    view.blockBoundingRect(block)
    layout = block.layout()
    assert layout.lineCount() == 1
    layout_line = layout.lineAt(0)
    tags = sorted(view.painter.marks[0].lines[0].tags, key=lambda tag: tag.span.start)
    assert [tag.left for tag in tags] == [layout_line.cursorToX(view.units.to_utf16(offset))[0]
                                          for offset in (erdogan, putin)]


def test_a_colour_chosen_in_the_legend_is_the_projects(window: MainWindow, qtbot, monkeypatch,  # noqa: F811
                                                       screenshots):
    view = show_reference(window, qtbot)
    legend = window.marks.legend
    window.side.setCurrentWidget(legend)
    window.grab().save(str(screenshots / "legend.png"))
    entry = next(legend.topLevelItem(0).child(row) for row in range(legend.topLevelItem(0).childCount())
                 if legend.topLevelItem(0).child(row).text(0) == "GOV")
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#123456"))
    legend.itemDoubleClicked.emit(entry, 0)
    assert view.painter.colours.colour("GOV") == QColor("#123456")
    erdogan = view.text.index("Erdogan has accused")
    block = view.document().findBlock(view.units.to_utf16(erdogan))
    fills = {fmt.format.background().color().name() for fmt in block.layout().formats()}
    assert view.painter.colours.fill("GOV").name() in fills
    path = window.project.path
    window.close()
    with open_project(path) as project:
        assert project.settings.colours == {"GOV": "#123456"}


@given(st.lists(st.tuples(st.floats(0, 500), st.floats(1, 80)), max_size=30))
def test_stacked_extents_never_overlap_in_a_row(extents):
    boxes = [(left, left + width) for left, width in extents]
    rows = stack(boxes, gap=2)
    for row in set(rows):
        placed = sorted(box for box, found in zip(boxes, rows) if found == row)
        assert all(first[1] + 2 <= second[0] for first, second in zip(placed, placed[1:]))
    assert all(row == 0 or any(found == row - 1 for found in rows) for row in rows)
