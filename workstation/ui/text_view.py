"""The read-only article view: spans painted per line, selections returned in code points.

This is the one place where Qt's UTF-16 positions meet the code-point offsets
stored everywhere else (`Utf16Map` over the whole text, built once per document).
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter

from PySide6.QtCore import QEvent, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from workstation.core.span_index import Span, SpanIndex
from workstation.core.suggestions import Suggestion
from workstation.core.text import Utf16Map
from workstation.nlp.pipeline import blank_pipeline
from workstation.nlp.snapping import TokenBoundaries
from workstation.store.layer_arcs import Arc
from workstation.ui.highlighter import Redraw, SpanPainter
from workstation.ui.line_marks import BlockMarks, Labeller, Tag
from workstation.ui.palette import TypeColours
from workstation.ui.suggestion_marks import GhostSpans

PAINT_MARGIN_LINES = 100
WARM_UP_DELAY_MS = 1500
"""Start-up paints first; the tokenizer for snapping loads this long after a document is shown."""
OPENING_MARGIN_LINES = 10
"""A document opens with the lines on screen and a few more painted; the wider margin that keeps scrolling
smooth is painted at the view's next update."""
LOAD_CHUNK = 131_072
"""Code points of text whose spans are read per turn of the event loop after the first paint (about 2,500
spans on the peers' 1 MB document)."""
REDRAWN_BELOW = 3
"""Pixels below a band drawn again with it: the rows its edge shares with the next line."""
SpanReader = Callable[[int, int], list[Span]]
"""The spans starting in [first, last) code points of the text, in start order."""


class TextView(QPlainTextEdit):
    spans_loaded = Signal()
    """Every span of the text is read (at once for a short text, after a few turns of the loop for a long one)."""
    tokenized = Signal()
    """The token boundaries of the text are built (at the first selection): 100,000s of objects that live as long
    as the text, which the cycle collector should set apart at once rather than walk at its next pass."""
    arc_clicked = Signal(str)
    """The item an arc stands for (an event, stance or relation) was clicked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text, self._index, self.units = "", SpanIndex(""), Utf16Map("")
        self._tokens: TokenBoundaries | None = None
        self.language = "en"
        self.snapping = True
        self.describe: Callable[[Span], list[str]] | None = None
        self._window = range(0)
        self._read: SpanReader = lambda first, last: []
        self._loaded = 0
        self._loader = QTimer(self, singleShot=True, interval=0)
        self._loader.timeout.connect(self._load_chunk)
        self._warm_up = QTimer(self, singleShot=True, interval=WARM_UP_DELAY_MS)
        self._warm_up.timeout.connect(self._load_tokenizer)
        self.labeller = Labeller(self.font(), TypeColours([]))
        self.painter = SpanPainter(self.document(), self._index, self.labeller)
        self.arcs: list[Arc] = []
        self.ghosts = GhostSpans()
        self.definitions: dict[str, str] = {}
        """What each type means in the schema's guidelines: the tooltip of a tag names it."""
        self.setCenterOnScroll(True)
        """Lines with labels are taller than Qt's scroll range assumes: centring lets it reach the last line."""
        self._held: set[int] | None = None
        """Lines to repaint once a batch of changes ends (None outside a batch)."""
        self.updateRequest.connect(self._paint_deferred)

    @property
    def index(self) -> SpanIndex:
        """Every span of the text: whoever asks (an edit, a click, a test) gets them all, read at once if the
        loading after the first paint has not finished yet."""
        self.finish_loading()
        return self._index

    def show_text(self, text: str, spans: list[Span], language: str = "en", arcs: list[Arc] = ()) -> None:
        """Replace the text and its spans, all known already."""
        ordered = sorted(spans, key=attrgetter("start"))
        starts = [span.start for span in ordered]
        self.show_text_lazily(text, lambda first, last: ordered[bisect_left(starts, first):bisect_left(starts, last)],
                              language, arcs)

    def clear(self) -> None:
        """No document: no text, no spans, nothing left to read."""
        self.show_text("", [])

    def show_text_lazily(self, text: str, read: SpanReader, language: str = "en", arcs: list[Arc] = ()) -> None:
        """Replace the text; the spans of its first screen are read now, the rest a chunk per turn of the event
        loop after the first paint, so that a long document opens about as fast as its bare text. Lines are
        painted as they come near the viewport."""
        self.text, self._index, self.units = text, SpanIndex(text), Utf16Map(text)
        self._tokens, self.language = None, language
        self.arcs, self.labeller.arcs_by_line = list(arcs), self._arcs_by_line(arcs)
        self._window = self._visible_lines(first=0, margin=OPENING_MARGIN_LINES)
        self._read, self._loaded = read, 0
        self._extend_to(self._index.line_start(self._window.stop))
        self.setPlainText(text)
        self.painter.reset(self._index)
        self.ghosts.set([], set())
        self._paint_loaded()
        if self._loaded < len(text):
            self._loader.start()
        self._warm_up.start()

    def _load_tokenizer(self) -> None:
        """Load the language's tokenizer in the background once the window is up: spaCy takes seconds to import,
        which the first selection would otherwise wait for. A selection made sooner waits for the same import.

        Not a daemon: quitting while it imports waits for the import to end (a second or two) before Python shuts
        down, instead of finalising the interpreter under a thread that holds the import machinery (the frozen app
        once hung on quit)."""
        threading.Thread(target=blank_pipeline, args=(self.language or "en",), name="tokenizer warm-up").start()

    def _extend_to(self, last: int) -> None:
        self._index.extend(self._read(self._loaded, last))
        self._loaded = last
        if last >= len(self.text):
            self.spans_loaded.emit()

    def _load_chunk(self) -> None:
        self._extend_to(min(len(self.text), self._loaded + LOAD_CHUNK))
        self._paint_loaded()
        if self._loaded < len(self.text):
            self._loader.start()

    def finish_loading(self) -> None:
        """Read every span not read yet (no line showing any of them has been painted)."""
        if self._loaded < len(self.text):
            self._loader.stop()
            self._extend_to(len(self.text))
            self._paint_loaded()

    def _visible_lines(self, first: int | None = None, margin: int = PAINT_MARGIN_LINES) -> range:
        first = self.firstVisibleBlock().blockNumber() if first is None else first
        line_height = max(1, self.fontMetrics().lineSpacing())
        return range(max(0, first - margin), first + self.viewport().height() // line_height + margin)

    def _paint_deferred(self, *_args: object) -> None:
        """After a scroll or an update: lines now near the viewport are painted, once their spans are read
        (at once when the lines on screen need them)."""
        self._window = self._visible_lines()
        if self._index.line_start(self._visible_lines(margin=0).stop) > self._loaded:
            self.finish_loading()
        self._paint_loaded()

    def _paint_loaded(self) -> None:
        """Paint the lines near the viewport not painted yet that hold no span still to be read."""
        ready = len(self._index.line_starts) if self._loaded >= len(self.text) else self._index.line_of(self._loaded)
        self._redraw(self.painter.paint([line for line in range(self._window.start, min(self._window.stop, ready))
                                        if line not in self.painter.painted]))

    def _redraw(self, redraws: list[Redraw]) -> None:
        """Draw again what paints of lines changed, on screen. When one line there changed height (an edit), the
        pixels below it are moved by as much, and only the changed band of each line is drawn: drawing the whole
        view, tags and arcs of every line, was the largest part of an edit. When more did, the whole view is
        drawn again."""
        height, width = self.viewport().height(), self.viewport().width()
        first = self.firstVisibleBlock().blockNumber()
        on_screen = [(geometry, redraw) for redraw in redraws if redraw.line >= first
                     and (geometry := self.blockBoundingGeometry(self.document().findBlockByNumber(redraw.line))
                          .translated(self.contentOffset())).top() < height]
        moved = [(geometry, redraw) for geometry, redraw in on_screen if redraw.taller]
        if len(moved) > 1 or any(not float(redraw.taller).is_integer() for _geometry, redraw in moved):
            self.viewport().update()
            return
        for geometry, redraw in moved:
            old_bottom = math.floor(geometry.top() + redraw.moved_from)
            self.viewport().scroll(0, int(redraw.taller), QRect(0, old_bottom, width, height - old_bottom))
        for geometry, redraw in on_screen:
            top = math.floor(geometry.top() + redraw.band[0])
            bottom = math.ceil(geometry.top() + redraw.band[1]) + REDRAWN_BELOW
            self.viewport().update(QRect(0, top, width, bottom - top))

    @property
    def tokens(self) -> TokenBoundaries:
        """Token boundaries for snapping, computed at the first selection (tokenising 1 MB takes 0.4 s)."""
        if self._tokens is None:
            self._tokens = TokenBoundaries(self.text, self.language)
            self.tokenized.emit()
        return self._tokens

    def _repaint_lines(self, lines: Iterable[int]) -> None:
        if self._held is not None:
            self._held.update(lines)
        else:
            self._redraw(self.painter.repaint(sorted(set(lines))))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Lines touched by several updates inside (an edit's spans, then its arcs) are laid out and repainted
        once, at the end: laying out a labelled line is most of what repainting it costs."""
        if self._held is not None:
            yield
            return
        self._held = set()
        try:
            yield
        finally:
            lines, self._held = self._held, None
            self._repaint_lines(lines)

    def set_colours(self, colours: TypeColours) -> None:
        """The schema's type colours (a project was opened, or the user changed one): every line is painted
        again as it comes into view."""
        self.painter.set_colours(colours)
        self.paint_again()

    def set_actor_names(self, names: dict[str, tuple[str, str]]) -> None:
        """The names the labels show for actors, and their types; lines already painted keep theirs until
        repainted."""
        self.labeller.names = names

    def show_marks(self, shown: bool) -> None:
        """Show or hide the labels and arcs over the text (hidden, the text reads as plain lines)."""
        self.labeller.shown = shown
        self.paint_again()

    def paint_again(self) -> None:
        """Every line is painted again (colours, names or fonts changed): lines near the view now, the others
        when they come into view."""
        self.painter.painted.clear()
        self._paint_loaded()
        self.viewport().update()

    def set_arcs(self, arcs: list[Arc]) -> None:
        """The layer's arcs now; the lines holding an end of an arc that changed are laid out again."""
        old, new = set(self.arcs), set(arcs)
        self.arcs, self.labeller.arcs_by_line = arcs, self._arcs_by_line(arcs)
        touched = {self._index.line_of(end[0]) for arc in old ^ new for end in (arc.source, arc.target)}
        self._repaint_lines(sorted(touched))

    def replace_items(self, item_ids: set[str], spans: list[Span]) -> None:
        """The spans of these items become `spans` (an edit touched them); only their lines are repainted."""
        lines: set[int] = set()
        for item_id in item_ids:
            for span in self.index.spans_of(item_id):
                lines.update(self.index.remove(span))
        for span in spans:
            lines.update(self.index.add(span))
        self._repaint_lines(sorted(lines))

    def add_span(self, span: Span) -> None:
        self._repaint_lines(self.index.add(span))

    def remove_span(self, span: Span) -> None:
        self._repaint_lines(self.index.remove(span))

    def select_item(self, item_id: str | None) -> None:
        self.select_items({item_id} if item_id else set())

    def select_items(self, item_ids: set[str]) -> None:
        """Draw these items (all their spans) as selected; only the lines involved are repainted, unless arcs
        are shown: a selection draws the arcs of its items thick and dims the others, wherever they are."""
        lit = self.painter.selected | item_ids
        touched = [span for item_id in lit for span in self.index.spans_of(item_id)] if lit else []
        if self.arcs and self.labeller.shown and self.painter.selected != item_ids:
            self.viewport().update()
        self.painter.selected = set(item_ids)
        for span in touched:
            self._repaint_lines(self.index.lines_of(span))

    def _arcs_by_line(self, arcs: Iterable[Arc]) -> dict[int, list[Arc]]:
        """Each line holding an end of arcs, with those arcs."""
        by_line: dict[int, list[Arc]] = {}
        for arc in arcs:
            for line in {self._index.line_of(arc.source[0]), self._index.line_of(arc.target[0])}:
                by_line.setdefault(line, []).append(arc)
        return by_line

    def apply_preferences(self, snapping: bool, font_size: int) -> None:
        self.snapping = snapping
        font = self.font()
        font.setPointSize(font_size)
        self.setFont(font)
        self.labeller.set_font(font)
        self.paint_again()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Lines on screen that Qt laid out itself (after a resize) get their room for marks back before the text
        is drawn; the labels and arcs of the lines in the area being drawn are drawn over it."""
        blocks = self._blocks_on_screen()
        lost = [block.blockNumber() for block, _top in blocks if self._lost_marks(block)]
        if lost:
            for line in lost:
                self.painter.lay_out(line)
            blocks = self._blocks_on_screen()
        super().paintEvent(event)
        area = event.rect()
        painter = QPainter(self.viewport())
        tops = [top for _block, top in blocks[1:]] + [float(self.viewport().height())]
        for (block, top), bottom in zip(blocks, tops):
            if bottom < area.top() or top > area.bottom():
                continue
            if self.ghosts.suggestions:
                self.ghosts.draw(painter, block, top, self._index.line_start(block.blockNumber()), self._index,
                                 self.labeller.colours, self.ghost_type, area)
            marks = self.painter.marks.get(block.blockNumber())
            if marks is not None and self.labeller.shown:
                self.labeller.draw(painter, marks, top, self.painter.selected, area)
        painter.end()

    def show_suggestions(self, suggestions: list[Suggestion], rejected: set[tuple[int, int, str]]) -> None:
        """Ghost spans for these suggestions (those rejected or held by the layer are not drawn)."""
        self.ghosts.set(suggestions, rejected)
        self.viewport().update()

    def ghost_type(self, suggestion: Suggestion) -> str:
        """The type a ghost is coloured by: its actor's, else the label a model gave it, else its own."""
        names = self.labeller.names
        return names[suggestion.actor_id][1] if suggestion.actor_id in names else suggestion.label or suggestion.type

    def _lost_marks(self, block: QTextBlock) -> bool:
        """True when Qt laid out a block that was laid out with its marks (its first line is at the top again)."""
        marks = self.painter.marks.get(block.blockNumber())
        return (marks is not None and block.layout().lineCount() > 0
                and abs(block.layout().lineAt(0).y() - marks.first_y) > 0.5)

    def _blocks_on_screen(self) -> list[tuple[QTextBlock, float]]:
        """Each block (line) on screen with the y of its top in the viewport."""
        found = []
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        height = self.viewport().height()
        while block.isValid() and top <= height:
            found.append((block, top))
            top += self.blockBoundingRect(block).height()
            block = block.next()
        return found

    def arc_at(self, point: QPointF) -> Arc | None:
        """The arc drawn under a point of the viewport (of several, the one drawn last, on top)."""
        return next((arc for marks, top in self._marks_on_screen() for arc in self.labeller.arcs_at(marks, top, point)),
                    None)

    def tag_at(self, point: QPointF) -> Tag | None:
        """The tag drawn under a point of the viewport."""
        return next((tag for marks, top in self._marks_on_screen()
                     if (tag := self.labeller.tag_at(marks, top, point)) is not None), None)

    def _marks_on_screen(self) -> list[tuple[BlockMarks, float]]:
        """The marks of the lines on screen, last first (drawn last, they lie on top)."""
        if not self.labeller.shown:
            return []
        found = [(self.painter.marks.get(block.blockNumber()), top) for block, top in self._blocks_on_screen()]
        return [(marks, top) for marks, top in reversed(found) if marks is not None]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Clicking an arc selects what it stands for (and both its ends); elsewhere the click selects text."""
        arc = self.arc_at(event.position())
        if arc is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.select_items({arc.item_id, *(end for end in arc.ends if end)})
        self.arc_clicked.emit(arc.item_id)

    def selected_span(self, snap: bool | None = None) -> tuple[int, int] | None:
        """The user's selection in code points (snapped to tokens if the preference says so), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = (self.units.to_codepoint(position) for position in (cursor.selectionStart(),
                                                                          cursor.selectionEnd()))
        if self.snapping if snap is None else snap:
            start, end = self.tokens.snap(start, end)
        return (start, end) if start < end else None

    def event(self, event: QEvent) -> bool:
        """Hovering a span shows what it is (type, actor, the event roles it fills); hovering its tag, also what
        its types mean in the guidelines; hovering an arc, what it joins."""
        if event.type() == QEvent.Type.ToolTip and self.describe is not None:
            point = QPointF(self.viewport().mapFromGlobal(event.globalPos()))
            arc = self.arc_at(point)
            if arc is not None:
                QToolTip.showText(event.globalPos(), self.describe_arc(arc), self)
                return True
            tag = self.tag_at(point)
            if tag is not None:
                found = [tag.span]
                meanings = [f"{name}: {self.definitions[name]}" for name in dict.fromkeys(
                    (tag.span.tag, self.labeller.key(tag.span))) if self.definitions.get(name)]
            else:
                cursor = self.cursorForPosition(point.toPoint())
                offset = self.units.to_codepoint(cursor.position())
                found = self.index.at(offset) if self.text else []
                ghost = self.ghosts.at(self.index, offset) if self.text else None
                meanings = [self.describe_ghost(ghost)] if ghost is not None else []
            lines = [line for span in found for line in self.describe(span)] + meanings
            if lines:
                QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def describe_ghost(self, suggestion: Suggestion) -> str:
        name = self.labeller.names.get(suggestion.actor_id, ("",))[0]
        return (f"Suggested {suggestion.type}{' · ' + name if name else ''} ({suggestion.source}, "
                f"{suggestion.score:.0%}): Enter accepts, Backspace rejects, Tab goes to the next")

    def describe_arc(self, arc: Arc) -> str:
        """An arc in words: its label and the words at its two ends."""
        return f"{arc.label}: {self.text[slice(*arc.source)]} → {self.text[slice(*arc.target)]}"

    def cursor_offset(self) -> int:
        return self.units.to_codepoint(self.textCursor().position())

    def select_span(self, start: int, end: int) -> None:
        """Select a code-point span in the widget (e.g. a stance's evidence) and scroll to it."""
        cursor = self.textCursor()
        cursor.setPosition(self.units.to_utf16(start))
        cursor.setPosition(self.units.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
