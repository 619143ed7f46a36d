"""When Python's cycle collector runs in the window: between key presses, never inside one.

Left to itself, the collector starts a pass whenever enough objects were
allocated, often in the middle of an edit, and a full pass walks every object
alive: 120,000 once a long document is shown, a 200 ms pause. Here, while a
window lives, automatic collection is off; young objects are collected on a
timer (a turn of the event loop between key presses), and when a document has
been shown, everything left is collected once and the survivors (the document's
spans, what start-up built) are set apart for good. Refcounting frees objects
as before; only reference cycles wait for the next pass.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

YOUNG_EVERY_MS = 1000


class CollectBetweenEdits(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._timer = QTimer(self, interval=YOUNG_EVERY_MS)
        self._timer.timeout.connect(lambda: gc.collect(1))
        self._timer.start()
        gc.disable()

    def settle(self) -> None:
        """A document is shown: at the next turn of the event loop (after its first paint), collect what is
        unreachable and set the rest apart from later passes. Only the first pass walks all that start-up
        built; later ones walk what came since."""
        QTimer.singleShot(0, self, _collect_and_freeze)

    def set_apart(self) -> None:
        """Something long-lived was just built (a text's token index): move every object alive now out of the
        collector's reach without a pass, which would walk them all once more (0.2–0.4 s after the first
        selection of a 1 MB text). The few cycles already unreachable are never freed: a little memory."""
        gc.freeze()

    def stop(self) -> None:
        """The window closes: the collector works as usual again."""
        self._timer.stop()
        gc.enable()


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()
