"""Export throughput per format and peak memory, on the shared actor corpus (see `import_speed`).

Each export runs in its own process so that its peak RSS is its own; its time
includes loading the format's libraries (spaCy, openpyxl), as a user's export
does. The baseline is a raw `sqlite3` scan of the rows an export reads
(documents, mentions, layers, actors), in the same run. Each figure carries the
one-minute load average at its end: on a shared machine the ratios move with it.

What bounds each format at 10,000 documents × 50 mentions (measured on the 2-core
machine, load about 2, raw scan 2.6 s): reading the records is 6.0 s (2.3×; the
chunk queries alone are about 1.3×), the mentions-only stream of CoNLL and DocBin
4.5 s (1.7×); importing spaCy is 2.0 s (0.75×) and tokenizing every text 2.9 s
(1.1×), so no spaCy format can get under about 3.6× before writing a line; DocBin
adds spaCy's own `add` and the zlib of `to_bytes` (~0.5 ms per document); brat
creates 20,000 files (27 s at load 6 on this disk); the xlsx report writes about
5 M cells through openpyxl's write-only cells, 25-55 µs each quiet with lxml
(135 µs at load 6), which alone is 60× or more.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.import_speed import actor_corpus
from benchmarks.measured_child import run_measured
from workstation.formats.exporting import EXPORTERS
from workstation.formats.importing import import_paths
from workstation.store.project import create_project

LAYER = "synth"
"""The annotator of the actor corpus."""
EXPORT = """
import sys, time
from pathlib import Path
from workstation.formats.exporting import ExportOptions, export
from workstation.store.project import open_project
started = time.perf_counter()
with open_project(Path(sys.argv[1])) as project:
    result = export(project, sys.argv[2], Path(sys.argv[3]), ExportOptions(layer=sys.argv[4]))
report(seconds=time.perf_counter() - started, documents=result.documents)
"""


def raw_scan_seconds(path: Path) -> float:
    connection = sqlite3.connect(path)
    started = time.perf_counter()
    for table in ("document", "mention", "assignment", "actor"):
        for _ in connection.execute(f"SELECT * FROM {table}"):
            pass
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def run(count: int = 10_000, mentions_per_doc: int = 50) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project_file = folder / "corpus.sqlite"
        with create_project(project_file) as project:
            import_paths(project, [actor_corpus(folder, count, mentions_per_doc)])
        baseline = raw_scan_seconds(project_file)
        results = {"raw scan": {"documents": count, "seconds": round(baseline, 2)}}
        for fmt in EXPORTERS:
            figures = run_measured(EXPORT, str(project_file), fmt, str(folder / f"export-{fmt}"), LAYER)
            results[fmt] = {"seconds": round(figures["seconds"], 2), "ratio": round(figures["seconds"] / baseline, 1),
                            "docs_per_second": round(figures["documents"] / figures["seconds"]),
                            "peak_rss_mb": figures["peak_rss_mb"], "load_average": round(os.getloadavg()[0], 2)}
        return results
