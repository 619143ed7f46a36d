"""What a key press costs end to end on the peers' S, M and L documents (L: 1 MB, 20,000 spans).

Each edit goes through the controller's own path, from its dialog accepted to
every panel updated and the text repainted: the command, its commit, the
`changed` signal reaching the text view, document list, registry and frames
panel, and the paint events that follow (`processEvents`). Opening a document
is timed from choosing it in the list to its text painted, against a bare
`QPlainTextEdit.setPlainText` of the same text in the same run, and scrolling
by a page from the scroll to the page painted; labels and arcs over the text are
shown (the default) throughout.

The documents come from ../shared/bench/peer_docs.py (the ones doccano and
Label Studio were measured on). Settings go to a throw-away location.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from workstation.core.mention_context import in_context
from workstation.formats.importing import import_paths
from workstation.store.project import create_project

PEER_DOCS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "peer_docs.py"
REPEATS = 20


def _timed(action: Callable[[], object]) -> float:
    """From the action to the screen painted. What the app's event loop would have done before the key press is
    done first, deleting the forms closed since included: `processEvents` alone never runs deferred deletes, and
    the hidden forms left behind (each event form holds 150 widgets) would be told of every later form's opening
    and closing."""
    app = QApplication.instance()
    app.processEvents()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    started = time.perf_counter()
    action()
    app.processEvents()
    return time.perf_counter() - started


def _figures(times: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(times) * 1000, 2), "worst_ms": round(max(times) * 1000, 2)}


class EditBench:
    """Drives one real main window; each method times one kind of edit, its undo and its redo."""

    def __init__(self, window) -> None:
        self.window = window
        self.controller = window.annotation
        self.view = window.text_view
        self.times: dict[str, list[float]] = {}

    def _record(self, name: str, action: Callable[[], object]) -> None:
        self.times.setdefault(name, []).append(_timed(action))

    def _undo_redo(self, name: str) -> None:
        self._record(f"{name} undo", self.controller.stack.undo)
        self._record(f"{name} redo", self.controller.stack.redo)

    def _words(self, repeats: int) -> list[tuple[int, int]]:
        """Free words (no span on them) near the top of the text, four per repeat."""
        text, found, position = self.view.text, [], 0
        while len(found) < repeats * 4:
            end = text.index(" ", position + 1)
            word = (position + 1, end) if text[position] == " " else (position, end)
            free = not self.view.index.at(word[0]) and not self.view.index.at(word[1] - 1)
            if text[word[0]:word[1]].isalpha() and free:
                found.append(word)
            position = end
        return found

    def run(self, actor_id: str, repeats: int = REPEATS) -> dict[str, dict[str, float]]:
        words = self._words(repeats)
        self.view.tokens  # noqa: B018 - the tokenizer the warm-up thread loads while the user reads
        self._settle()
        for number in range(repeats):
            mention, trigger, argument, other = words[4 * number:4 * number + 4]
            self._mention(mention, actor_id)
            self._link(mention)
            self._stance(mention, argument)
            self._event(trigger, argument, other)
            self._record("delete", lambda: self._delete_at(mention))
            self._undo_redo("delete")
        return {name: _figures(times) for name, times in self.times.items()}

    def _settle(self) -> None:
        """What the document's opening started in the background (its suggestions) ends while the user reads it:
        edits are timed after it, and apart from the suggestions an edit starts once the user pauses."""
        app = QApplication.instance()
        while self.window.suggestions.busy():
            app.processEvents()
            time.sleep(0.01)

    def _accept(self, name: str) -> None:
        self._record(name, self.controller.dialog.accept)
        self._undo_redo(name)

    def _mention(self, span: tuple[int, int], actor_id: str, name: str = "add mention") -> None:
        self.view.select_span(*span)
        self._record("open mention form", lambda: self.controller.start_mention("NAME"))
        self.controller.dialog.search.setText(actor_name(self.window, actor_id))
        self._accept(name)

    def mentions_without_labels(self, actor_id: str, repeats: int = REPEATS) -> dict[str, float]:
        """The same mention edits with the labels and arcs hidden: what drawing them costs, in the same run."""
        self.view.show_marks(False)
        for span in self._words(repeats)[:repeats]:
            self._mention(span, actor_id, "add mention, labels hidden")
        self.view.show_marks(True)
        return _figures(self.times["add mention, labels hidden"])

    def _link(self, span: tuple[int, int]) -> None:
        self.view.select_span(span[0], span[0])
        self.controller.start_link()
        self.controller.dialog.search.setText("ORG")
        self._accept("link mention")

    def _stance(self, holder: tuple[int, int], target: tuple[int, int]) -> None:
        self.view.select_span(target[0], target[1])
        self.controller.start_mention("NAME")
        self.controller.dialog.search.setText("LOC")
        self.controller.dialog.accept()
        self.view.select_span(min(holder[0], target[0]), max(holder[1], target[1]))
        self.controller.start_stance()
        dialog = self.controller.dialog
        dialog.label.setCurrentIndex(dialog.label.findData("THREATEN"))
        dialog.target.setCurrentIndex(dialog.target.findText("LOC"))
        self._accept("add stance")

    def _event(self, trigger: tuple[int, int], source: tuple[int, int], target: tuple[int, int]) -> None:
        self.view.select_span(target[0], target[1])
        self.controller.start_mention("NAME")
        self.controller.dialog.search.setText("PER")
        self.controller.dialog.accept()
        self.view.select_span(*trigger)
        self._record("open event form", self.controller.start_event)
        dialog = self.controller.dialog
        dialog.event_type.setCurrentIndex(dialog.event_type.findData("THREATEN"))
        for role, span in (("source", source), ("target", target)):
            combo = dialog.roles[role]
            combo.setCurrentIndex(combo.findText(in_context(self.view.text, *span)))
        self._accept("add event with 2 arguments")
        event = self.window.frames.chosen() or next(item for item in self.window.frames.items_of_kind("event")
                                                     if item.span == trigger)
        self._record("add argument", lambda: self.controller.finish_argument(event, "content", trigger))
        self._undo_redo("add argument")

    def _delete_at(self, span: tuple[int, int]) -> None:
        self.view.select_span(span[0], span[0])
        self.controller.delete_at_cursor()


def actor_name(window, actor_id: str) -> str:
    from workstation.store.models import Actor
    with window.project.session() as session:
        return session.get(Actor, actor_id).name


def _painted(view, action: Callable[[], object]) -> float:
    """From the action to its text painted (a synchronous repaint, so that the spans read after the first
    paint, a turn of the event loop later, are not counted here)."""
    QApplication.instance().processEvents()
    started = time.perf_counter()
    action()
    view.viewport().repaint()
    return time.perf_counter() - started


def _open_document(window, row: int) -> tuple[float, float]:
    """(to the first screen painted, then to every span read)."""
    window.table.selectRow(0 if row else 1)
    QApplication.instance().processEvents()
    opened = _painted(window.text_view, lambda: window.table.selectRow(row))
    started = time.perf_counter()
    window.text_view.finish_loading()
    return opened, time.perf_counter() - started


def _scroll_pages(view, pages: int = 50) -> dict[str, float]:
    """Scroll down a page at a time (the lines on screen), each timed from the scroll to the page painted,
    with the lines that came near the view laid out with their labels."""
    app = QApplication.instance()
    bar = view.verticalScrollBar()
    bar.setValue(0)
    times = []
    for _ in range(pages):
        lines = sum(block.layout().lineCount() for block, _top in view._blocks_on_screen())
        app.processEvents()
        started = time.perf_counter()
        bar.setValue(bar.value() + max(1, lines - 1))
        app.processEvents()
        view.viewport().repaint()
        times.append(time.perf_counter() - started)
    return _figures(times)


def run(sizes: str = "SML", repeats: int = REPEATS) -> dict[str, object]:
    app = QApplication.instance() or QApplication([])
    QStandardPaths.setTestModeEnabled(True)
    app.setOrganizationName("WorkstationBenchmarks")
    from workstation.store.models import Actor
    from workstation.ui.main_window import MainWindow
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, str(PEER_DOCS), str(folder)], check=True, capture_output=True)
        path = folder / "peers.sqlite"
        with create_project(path) as project:
            import_paths(project, [folder / f"{name}.jsonl" for name in "SML"])
        QSettings().setValue("annotator", "peer")
        window = MainWindow()
        window.resize(1200, 800)
        window.show()
        window.open_project(path)
        plain = QPlainTextEdit()
        plain.resize(1000, 800)
        plain.show()
        for row, name in enumerate("SML"):
            if name not in sizes:
                continue
            window.table.selectRow(row)
            text = window.text_view.text
            bare = statistics.median(_painted(plain, lambda: plain.setPlainText(text)) for _ in range(3))
            opened, rest = (statistics.median(times) for times in zip(*(_open_document(window, row)
                                                                         for _ in range(3))))
            scrolling = _scroll_pages(window.text_view)
            with window.project.session() as session:
                actor_id = session.query(Actor.id).filter_by(name="PER").scalar()
            figures = EditBench(window).run(actor_id, repeats)
            figures["add mention, labels hidden"] = EditBench(window).mentions_without_labels(actor_id, repeats)
            results[name] = {"characters": len(text), "spans": len(window.text_view.index.all_spans()),
                             "bare_setPlainText_ms": round(bare * 1000, 1), "open_ms": round(opened * 1000, 1),
                             "open_ratio": round(opened / bare, 1),
                             "rest_of_spans_after_paint_ms": round(rest * 1000, 1),
                             "scroll_page": scrolling, **figures}
        window.close()
    return results
