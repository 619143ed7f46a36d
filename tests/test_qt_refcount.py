"""PySide6 6.12.0 on Python 3.11 decremented None's reference count on void Qt calls until the
process aborted; the dependency pin keeps us below 6.12 and this test keeps the pin honest."""

import sys

import PySide6
from PySide6.QtWidgets import QWidget


def test_void_qt_calls_leave_none_refcount_stable(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(10_000):
        widget.setEnabled(True)
        widget.update()
    assert abs(sys.getrefcount(None) - before) < 100, PySide6.__version__


def test_pyside_pinned_below_6_12():
    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12)
