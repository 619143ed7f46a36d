"""Import throughput against raw `sqlite3.executemany` of the same rows, measured in one run, and peak RSS.

Two corpora: N markdown articles of about 3 kB as files (the folder importer),
and the shared generator's native JSONL (`../shared/bench/actor_corpus.py`):
N articles with M mentions each, every line carrying its own actors as DESIGN
§5 lines do. Each import runs in its own process (its peak RSS is its own)
into a fresh project; each baseline inserts exactly the rows the import stored,
with the same schema (indexes, FTS triggers) into another fresh project, in
one transaction.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.measured_child import REPO, run_measured
from workstation.store.project import create_project

WORDS = ["government", "forces", "opposition", "talks", "ceasefire", "province", "military", "troops", "minister",
         "said", "agreement", "observation", "posts", "border", "conflict", "regime", "rebels", "support",
         "withdraw", "threatened", "warned", "Russia", "Turkey", "Syria", "Ankara", "Moscow", "Idlib", "President",
         "Erdogan", "Putin", "Assad", "coordination", "escalation"]
TABLES = ("document", "document_tokens", "annotator", "assignment", "actor", "mention")
ACTOR_CORPUS = REPO.parent / "shared" / "bench" / "actor_corpus.py"
BASELINE_BATCH = 20_000
IMPORT = """
import sys, time
from pathlib import Path
from workstation.formats.importing import import_paths
from workstation.store.project import create_project
with create_project(Path(sys.argv[1])) as project:
    started = time.perf_counter()
    result = import_paths(project, [Path(sys.argv[2])])
    seconds = time.perf_counter() - started
report(seconds=seconds, added=result.added, items=result.items_added)
"""


def article(rng: random.Random, number: int) -> str:
    body = []
    while sum(len(p) for p in body) < 2900:
        body.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 45))).capitalize() + ".")
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return (f"---\n\n**Article {number}: {rng.choice(WORDS).title()} {rng.choice(WORDS)}**\n\n"
            f"{day:02d}/{month:02d}/2020\n\n---\n\n" + "\n\n".join(body) + "\n")


def write_corpus(folder: Path, count: int, mentions_per_doc: int, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    files = folder / "articles"
    files.mkdir()
    actors = [{"id": f"A{i}", "name": f"Actor {i}", "type": "GOV"} for i in range(50)]
    jsonl = folder / "corpus.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for number in range(count):
            text = article(rng, number)
            (files / f"{number:05d}.md").write_text(text, encoding="utf-8")
            starts = sorted(rng.sample(range(len(text) - 10), mentions_per_doc))
            mentions = [{"id": f"M{i}", "start": s, "end": s + rng.randint(3, 9), "type": "NAME",
                         "actor": f"A{rng.randrange(50)}"} for i, s in enumerate(starts)]
            line = {"text": text, "meta": {"title": f"Article {number}"},
                    "actors": actors if number == 0 else [],
                    "layers": [{"annotator": "bench", "status": "done", "mentions": mentions}]}
            out.write(json.dumps(line) + "\n")
    return files, jsonl


def actor_corpus(folder: Path, count: int, mentions_per_doc: int) -> Path:
    """The shared generator's native JSONL: every line carries the ~45 actors it mentions (of a pool of 200)."""
    if not ACTOR_CORPUS.exists():
        raise SystemExit(f"the corpus generator is missing: {ACTOR_CORPUS}")
    out = folder / "actors.jsonl"
    subprocess.run([sys.executable, str(ACTOR_CORPUS), str(out), "--docs", str(count),
                    "--mentions", str(mentions_per_doc)], check=True)
    return out


def stored_rows(path: Path, table: str) -> Iterator[tuple[list[str], list[tuple]]]:
    """A table's rows (column names, values) in batches, so the baseline never holds a corpus in memory."""
    connection = sqlite3.connect(path)
    try:
        cursor = connection.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        while batch := cursor.fetchmany(BASELINE_BATCH):
            yield names, batch
    finally:
        connection.close()


def raw_insert_seconds(path: Path, source: Path) -> float:
    """`executemany` of the rows the import stored, into a fresh project, in one transaction; reads not timed."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    elapsed = 0.0
    for table in TABLES:
        for columns, values in stored_rows(source, table):
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f'"{c}"' for c in columns)
            started = time.perf_counter()
            connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
            elapsed += time.perf_counter() - started
    started = time.perf_counter()
    connection.commit()
    elapsed += time.perf_counter() - started
    connection.close()
    return elapsed


def measure(folder: Path, name: str, source: Path) -> dict[str, float]:
    project_file = folder / f"{name}.sqlite"
    figures = run_measured(IMPORT, str(project_file), str(source))
    baseline_file = folder / f"{name}-raw.sqlite"
    create_project(baseline_file).close()
    raw = raw_insert_seconds(baseline_file, project_file)
    seconds = figures["seconds"]
    return {"documents": figures["added"], "items": figures["items"], "seconds": round(seconds, 2),
            "raw_seconds": round(raw, 2), "ratio": round(seconds / raw, 2),
            "docs_per_second": round(figures["added"] / seconds), "peak_rss_mb": figures["peak_rss_mb"]}


def run(count: int = 10_000, mentions_per_doc: int = 50) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, _ = write_corpus(folder, count, mentions_per_doc)
        actors = actor_corpus(folder, count, mentions_per_doc)
        return {"markdown files": measure(folder, "files", files),
                f"jsonl with {mentions_per_doc} mentions and ~45 actors per line": measure(folder, "jsonl", actors)}
