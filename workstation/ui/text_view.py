"""The read-only article view: spans painted per line, selections returned in code points.

This is the one place where Qt's UTF-16 positions meet the code-point offsets
stored everywhere else (`Utf16Map` over the whole text, built once per document).
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from workstation.core.span_index import Span, SpanIndex
from workstation.core.text import Utf16Map
from workstation.nlp.snapping import TokenBoundaries
from workstation.ui.highlighter import SpanHighlighter


class TextView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.index = SpanIndex("")
        self.units = Utf16Map("")
        self.tokens: TokenBoundaries | None = None
        self.highlighter = SpanHighlighter(self.document(), self.index)

    def show_text(self, text: str, spans: list[Span], language: str = "en") -> None:
        """Replace the text and its spans; the highlighter paints lines as Qt lays them out."""
        self.index = SpanIndex(text, spans)
        self.units = Utf16Map(text)
        self.tokens = TokenBoundaries(text, language)
        self.highlighter.index = self.index
        self.highlighter.selected = None
        self.setPlainText(text)

    def _repaint_lines(self, lines: range) -> None:
        for line in lines:
            self.highlighter.rehighlightBlock(self.document().findBlockByNumber(line))

    def add_span(self, span: Span) -> None:
        self._repaint_lines(self.index.add(span))

    def remove_span(self, span: Span) -> None:
        self._repaint_lines(self.index.remove(span))

    def select_item(self, item_id: str | None) -> None:
        """Draw one item (all its spans) as selected; only the lines involved are repainted."""
        touched = self.index.spans_of(self.highlighter.selected) + self.index.spans_of(item_id)
        self.highlighter.selected = item_id
        for span in touched:
            self._repaint_lines(self.index.lines_of(span))

    def selected_span(self, snap: bool = True) -> tuple[int, int] | None:
        """The user's selection in code points (snapped to tokens unless asked not to), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = (self.units.to_codepoint(position) for position in (cursor.selectionStart(),
                                                                          cursor.selectionEnd()))
        if snap and self.tokens is not None:
            start, end = self.tokens.snap(start, end)
        return (start, end) if start < end else None

    def select_span(self, start: int, end: int) -> None:
        """Select a code-point span in the widget (e.g. a stance's evidence) and scroll to it."""
        cursor = self.textCursor()
        cursor.setPosition(self.units.to_utf16(start))
        cursor.setPosition(self.units.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
