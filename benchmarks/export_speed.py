"""Export throughput per format and peak memory, on the synthetic corpus of `import_speed`.

Each export runs in its own process so that its peak RSS is its own. The
baseline is a raw `sqlite3` scan of the rows an export reads (documents and
mentions), in the same run.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.import_speed import write_corpus
from workstation.formats.exporting import EXPORTERS
from workstation.formats.importing import import_paths
from workstation.store.project import create_project

CHILD = """
import json, resource, sys, time
from pathlib import Path
from workstation.formats.exporting import ExportOptions, export
from workstation.store.project import open_project
started = time.perf_counter()
with open_project(Path(sys.argv[1])) as project:
    report = export(project, sys.argv[2], Path(sys.argv[3]), ExportOptions(layer="bench"))
print(json.dumps({"seconds": time.perf_counter() - started, "documents": report.documents,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
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
        _, jsonl = write_corpus(folder, count, mentions_per_doc)
        project_file = folder / "corpus.sqlite"
        with create_project(project_file) as project:
            import_paths(project, [jsonl])
        baseline = raw_scan_seconds(project_file)
        results = {"raw scan": {"seconds": round(baseline, 2)}}
        for fmt in EXPORTERS:
            out = folder / f"export-{fmt}"
            child = subprocess.run([sys.executable, "-c", CHILD, str(project_file), fmt, str(out)],
                                   capture_output=True, text=True, check=True)
            figures = json.loads(child.stdout)
            results[fmt] = {"seconds": round(figures["seconds"], 2), "ratio": round(figures["seconds"] / baseline, 1),
                            "docs_per_second": round(figures["documents"] / figures["seconds"]),
                            "peak_rss_mb": round(figures["peak_rss_mb"])}
        return results
