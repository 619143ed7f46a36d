"""Ghost outlines are drawn once per look and copied: each copy must look like the ghost drawn in its place."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter

from workstation.ui.suggestion_marks import GhostImages

COLOUR = QColor("#3a7bd5")


def drawn(ghosts: list[tuple[tuple[float, float, float, float], bool, bool]]) -> tuple[QImage, GhostImages]:
    image = QImage(200, 60, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    images = GhostImages()
    painter = QPainter(image)
    for box, current, covered in ghosts:
        images.draw(painter, box, COLOUR, current, covered, 1.0)
    painter.end()
    return image, images


def tinted(image: QImage, x: int, y: int) -> bool:
    return QColor(image.pixel(x, y)).saturation() > 0


def test_equal_ghosts_share_one_image_and_each_is_drawn_in_its_own_place(qapp):
    image, images = drawn([((10.0, 10.0, 50.0, 28.0), False, False), ((100.4, 30.2, 140.4, 48.2), False, False)])
    assert len(images) == 1
    for left, top in ((10, 10), (100, 30)):
        assert tinted(image, left + 20, top) and tinted(image, left + 20, top + 9)
        assert not tinted(image, left + 20, top - 3) and not tinted(image, left - 3, top + 9)


def test_a_ghost_over_an_annotation_has_no_fill_and_the_current_one_a_bolder_outline(qapp):
    image, images = drawn([((10.0, 10.0, 50.0, 28.0), False, True), ((100.0, 10.0, 140.0, 28.0), True, False)])
    assert len(images) == 2
    assert not tinted(image, 30, 19) and tinted(image, 120, 19)
    edge = [QColor(image.pixel(x, 10)).saturation() for x in range(12, 48)]
    bold = [QColor(image.pixel(x, 10)).saturation() for x in range(102, 138)]
    assert max(bold) > max(edge)
