"""The read-only article view: spans painted per line, selections returned in code points.

This is the one place where Qt's UTF-16 positions meet the code-point offsets
stored everywhere else (`Utf16Map` over the whole text, built once per document).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable
from operator import attrgetter

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from workstation.core.span_index import Span, SpanIndex
from workstation.core.text import Utf16Map
from workstation.nlp.pipeline import blank_pipeline
from workstation.nlp.snapping import TokenBoundaries
from workstation.ui.highlighter import SpanPainter

PAINT_MARGIN_LINES = 100
WARM_UP_DELAY_MS = 1500
"""Start-up paints first; the tokenizer for snapping loads this long after a document is shown."""
OPENING_MARGIN_LINES = 10
"""A document opens with the lines on screen and a few more painted; the wider margin that keeps scrolling
smooth is painted at the view's next update."""
LOAD_CHUNK = 131_072
"""Code points of text whose spans are read per turn of the event loop after the first paint (about 2,500
spans on the peers' 1 MB document)."""
SpanReader = Callable[[int, int], list[Span]]
"""The spans starting in [first, last) code points of the text, in start order."""


class TextView(QPlainTextEdit):
    spans_loaded = Signal()
    """Every span of the text is read (at once for a short text, after a few turns of the loop for a long one)."""

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
        self.painter = SpanPainter(self.document(), self._index)
        self.updateRequest.connect(self._paint_deferred)

    @property
    def index(self) -> SpanIndex:
        """Every span of the text: whoever asks (an edit, a click, a test) gets them all, read at once if the
        loading after the first paint has not finished yet."""
        self.finish_loading()
        return self._index

    def show_text(self, text: str, spans: list[Span], language: str = "en") -> None:
        """Replace the text and its spans, all known already."""
        ordered = sorted(spans, key=attrgetter("start"))
        starts = [span.start for span in ordered]
        self.show_text_lazily(text, lambda first, last: ordered[bisect_left(starts, first):bisect_left(starts, last)],
                              language)

    def clear(self) -> None:
        """No document: no text, no spans, nothing left to read."""
        self.show_text("", [])

    def show_text_lazily(self, text: str, read: SpanReader, language: str = "en") -> None:
        """Replace the text; the spans of its first screen are read now, the rest a chunk per turn of the event
        loop after the first paint, so that a long document opens about as fast as its bare text. Lines are
        painted as they come near the viewport."""
        self.text, self._index, self.units = text, SpanIndex(text), Utf16Map(text)
        self._tokens, self.language = None, language
        self._window = self._visible_lines(first=0, margin=OPENING_MARGIN_LINES)
        self._read, self._loaded = read, 0
        self._extend_to(self._index.line_start(self._window.stop))
        self.setPlainText(text)
        self.painter.reset(self._index)
        self._paint_loaded()
        if self._loaded < len(text):
            self._loader.start()
        self._warm_up.start()

    def _load_tokenizer(self) -> None:
        """Load the language's tokenizer in the background once the window is up: spaCy takes seconds to import,
        which the first selection would otherwise wait for. A selection made sooner waits for the same import."""
        threading.Thread(target=blank_pipeline, args=(self.language or "en",), daemon=True).start()

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
        self.painter.paint([line for line in range(self._window.start, min(self._window.stop, ready))
                            if line not in self.painter.painted])

    @property
    def tokens(self) -> TokenBoundaries:
        """Token boundaries for snapping, computed at the first selection (tokenising 1 MB takes 0.4 s)."""
        if self._tokens is None:
            self._tokens = TokenBoundaries(self.text, self.language)
        return self._tokens

    def _repaint_lines(self, lines: Iterable[int]) -> None:
        self.painter.repaint(list(lines))

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
        """Draw these items (all their spans) as selected; only the lines involved are repainted."""
        lit = self.painter.selected | item_ids
        touched = [span for item_id in lit for span in self.index.spans_of(item_id)] if lit else []
        self.painter.selected = set(item_ids)
        for span in touched:
            self._repaint_lines(self.index.lines_of(span))

    def apply_preferences(self, snapping: bool, font_size: int) -> None:
        self.snapping = snapping
        font = self.font()
        font.setPointSize(font_size)
        self.setFont(font)

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
        """Hovering a span shows what it is (type, actor, the event roles it fills)."""
        if event.type() == QEvent.Type.ToolTip and self.describe is not None:
            cursor = self.cursorForPosition(self.viewport().mapFromGlobal(event.globalPos()))
            found = self.index.at(self.units.to_codepoint(cursor.position())) if self.text else []
            lines = [line for span in found for line in self.describe(span)]
            if lines:
                QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def cursor_offset(self) -> int:
        return self.units.to_codepoint(self.textCursor().position())

    def select_span(self, start: int, end: int) -> None:
        """Select a code-point span in the widget (e.g. a stance's evidence) and scroll to it."""
        cursor = self.textCursor()
        cursor.setPosition(self.units.to_utf16(start))
        cursor.setPosition(self.units.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
