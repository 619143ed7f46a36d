"""Render the application icon's PNG sizes from its SVG: `python packaging/render_icons.py` after editing the SVG.

Desktops and the Windows/macOS icon formats want rasters at fixed sizes; rendering them with Qt's own SVG
renderer keeps them identical to what the window shows, without an extra tool on the build machine.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from workstation.paths import icon

SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int, renderer: QSvgRenderer) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(icon()))
    for size in SIZES:
        render(size, renderer).save(str(icon(size)))
        print(icon(size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
