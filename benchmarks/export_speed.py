"""Export throughput per format and peak memory, on the shared actor corpus (see `import_speed`).

Each export runs in its own process so that its peak RSS is its own; its time
includes loading the format's libraries (spaCy, openpyxl), as a user's export
does. The baseline is a raw `sqlite3` scan of the rows an export reads
(documents, mentions, layers, actors), in the same run. Each figure carries the
one-minute load average at its end, and the CPU time of the export and of the
scan: on a shared machine the wall-clock ratios move with the load, the CPU
ratios much less.

What bounds each format at 10,000 documents × 50 mentions (2-core machine):
reading the records costs about 2.3× the scan (the chunk queries alone about
1.3×), the mentions of CoNLL and DocBin, labelled by SQLite, about 1.5×. CoNLL
and Prodigy read each document's tokens as stored at import
(`nlp.stored_tokens`) and never load spaCy: CoNLL is then the labelled
mentions, one search of the token arrays per document and its lines (~4.4×).
Prodigy writes ~460 MB of JSON, a dict per token: the tokens' text alone is
about 2× the scan in Python's `%` formatting, the spans and their `json.dumps`
as much again; it reads mention rows as brat does (a record only for a layer
with events, stances or relations). The
DocBin still tokenizes for its Doc (spaCy's import ~2 s, tokenizing ~3 s), sets
sentences and entities from arrays and packs its span groups itself, and
deflates at level 3 (spaCy's level 6 was a fifth of the export). brat reads its
mentions as plain rows streamed from the driver (no record per mention) and
writes each mention's T/A/N lines as one string: about 2.5× the scan with
the files left out. The rest is creating 20,000 files (bytes through
`os.open`, in batches on a writer thread that overlaps them with reading),
50-400 µs each of kernel time depending on what else the machine does. The
xlsx report's item rows are encoded by
`xlsx_stream` (about 10 µs per row, not 25-55 µs per cell through openpyxl);
deflating about 300 MB of sheet XML is the largest single cost left, and its
peak memory is `review.progress`, which holds every item's creation time.
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
started, cpu = time.perf_counter(), time.process_time()
with open_project(Path(sys.argv[1])) as project:
    result = export(project, sys.argv[2], Path(sys.argv[3]), ExportOptions(layer=sys.argv[4]))
report(seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu, documents=result.documents)
"""


def raw_scan_seconds(path: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of reading every row an export reads."""
    connection = sqlite3.connect(path)
    started, cpu = time.perf_counter(), time.process_time()
    for table in ("document", "mention", "assignment", "actor"):
        for _ in connection.execute(f"SELECT * FROM {table}"):
            pass
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    connection.close()
    return elapsed


def run(count: int = 10_000, mentions_per_doc: int = 50) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project_file = folder / "corpus.sqlite"
        with create_project(project_file) as project:
            import_paths(project, [actor_corpus(folder, count, mentions_per_doc)])
        baseline, baseline_cpu = raw_scan_seconds(project_file)
        results = {"raw scan": {"documents": count, "seconds": round(baseline, 2),
                                "cpu_seconds": round(baseline_cpu, 2)}}
        for fmt in EXPORTERS:
            figures = run_measured(EXPORT, str(project_file), fmt, str(folder / f"export-{fmt}"), LAYER)
            results[fmt] = {"seconds": round(figures["seconds"], 2), "ratio": round(figures["seconds"] / baseline, 1),
                            "cpu_ratio": round(figures["cpu_seconds"] / baseline_cpu, 1),
                            "docs_per_second": round(figures["documents"] / figures["seconds"]),
                            "peak_rss_mb": figures["peak_rss_mb"], "load_average": round(os.getloadavg()[0], 2)}
        return results
