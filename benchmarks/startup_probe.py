"""Child process of the start-up benchmark: print the seconds from the parent's timestamp to the first paint.

`python -m benchmarks.startup_probe app|bare STARTED` runs either the real
`main.py` path (the GUI on the last project) or a bare PySide6 window showing
the same sample article in a QPlainTextEdit, and quits once the text has been
painted. STARTED is the parent's `time.perf_counter()` just before it spawned
this process (a system-wide monotonic clock on Linux, so the two processes
share it).
"""

from __future__ import annotations

import sys
import time


def watch_first_paint(started: float) -> None:
    """Create the QApplication with a filter that reports the first paint of a text viewport (a QPlainTextEdit
    or the app's TextView) and then quits the event loop."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            viewport_of = watched.parent()
            if (event.type() == QEvent.Type.Paint and isinstance(viewport_of, QPlainTextEdit)
                    and viewport_of.toPlainText()):
                print(f"{time.perf_counter() - started:.4f}", flush=True)
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    app = QApplication(sys.argv[:1])
    app.first_paint = FirstPaint(app)
    app.installEventFilter(app.first_paint)


def bare_window() -> int:
    """The baseline: what any PySide6 app pays to paint the sample article."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    from workstation.paths import SAMPLE_ARTICLE, resource

    window = QMainWindow()
    window.setCentralWidget(QPlainTextEdit(resource(SAMPLE_ARTICLE).read_text(encoding="utf-8")))
    window.resize(1200, 800)
    window.show()
    return QApplication.instance().exec()


def real_app(started: float) -> int:
    """The `python main.py` path: command line (imported first, as main.py does: PySide6 checks the source of
    every module imported after it), platform check, window, last project, first document."""
    from workstation.cli import main

    watch_first_paint(started)
    return main([])


def probe(mode: str, started: float) -> int:
    if mode == "app":
        return real_app(started)
    watch_first_paint(started)
    return bare_window()


if __name__ == "__main__":
    sys.exit(probe(sys.argv[1], float(sys.argv[2])))
