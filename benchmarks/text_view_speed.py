"""The text view on a 1 MB document with 20,000 spans: display, add one span, switch documents.

Baseline: the same `setPlainText` on a plain QPlainTextEdit with no highlighter,
in the same run. Needs QT_QPA_PLATFORM=offscreen without a display.
"""

from __future__ import annotations

import random
import time

from PySide6.QtWidgets import QApplication, QPlainTextEdit

from benchmarks.import_speed import article
from workstation.core.span_index import Span
from workstation.ui.text_view import TextView

KEYS = ("GOV", "MIL", "STATE", "REB", "THREATEN", "ACCUSE")


def corpus(size: int = 1_000_000, spans: int = 20_000, seed: int = 5) -> tuple[str, list[Span]]:
    rng = random.Random(seed)
    parts, length, number = [], 0, 0
    while length < size:
        parts.append(article(rng, number))
        length += len(parts[-1])
        number += 1
    text = "".join(parts)[:size]
    starts = rng.sample(range(size - 20), spans)
    return text, [Span(s, s + rng.randint(3, 15), rng.choice(KEYS), f"i{n}") for n, s in enumerate(starts)]


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    QApplication.processEvents()
    return time.perf_counter() - started


def run() -> dict[str, float]:
    app = QApplication.instance() or QApplication([])
    text, spans = corpus()
    other_text, other_spans = corpus(seed=6)
    plain = QPlainTextEdit()
    plain.resize(1000, 800)
    plain.show()
    baseline = _timed(lambda: plain.setPlainText(text))
    view = TextView()
    view.resize(1000, 800)
    view.show()
    display = _timed(lambda: view.show_text(text, spans))
    first_line_end = text.index("\n", 100)
    extra = Span(first_line_end - 10, first_line_end - 2, "GOV", "new")
    add = min(_timed(lambda: (view.add_span(extra), view.remove_span(extra))) for _ in range(20)) / 2
    switch = _timed(lambda: view.show_text(other_text, other_spans))
    app.processEvents()
    return {"plain_setPlainText_s": round(baseline, 3), "display_s": round(display, 3),
            "display_ratio": round(display / baseline, 1), "add_one_span_ms": round(add * 1000, 2),
            "switch_document_s": round(switch, 3)}
