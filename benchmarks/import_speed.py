"""Import throughput against raw `sqlite3.executemany` of the same rows, measured in one run.

Two corpora are generated: N markdown articles of about 3 kB as files (the
folder importer), and the same articles as one native JSONL file carrying
M mentions per article. Each import goes into a fresh project; each baseline
inserts exactly the rows the import stored, with the same schema (indexes,
FTS triggers) into another fresh project, in one transaction.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from workstation.formats.importing import import_paths
from workstation.store.project import create_project

WORDS = ["government", "forces", "opposition", "talks", "ceasefire", "province", "military", "troops", "minister", "said", "agreement", "observation", "posts", "border", "conflict", "regime", "rebels", "support", "withdraw", "threatened", "warned", "Russia", "Turkey", "Syria", "Ankara", "Moscow", "Idlib", "President", "Erdogan", "Putin", "Assad", "coordination", "escalation"]
TABLES = ("document", "annotator", "assignment", "actor", "mention")


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


def stored_rows(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    connection = sqlite3.connect(path)
    try:
        rows = {}
        for table in TABLES:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
        return rows
    finally:
        connection.close()


def raw_insert_seconds(path: Path, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    with connection:
        for table in TABLES:
            columns, values = rows[table]
            if values:
                marks = ", ".join("?" * len(columns))
                names = ", ".join(f'"{c}"' for c in columns)
                connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def measure(folder: Path, name: str, source: Path) -> dict[str, float]:
    project_file = folder / f"{name}.sqlite"
    with create_project(project_file) as project:
        started = time.perf_counter()
        report = import_paths(project, [source])
        seconds = time.perf_counter() - started
    baseline_file = folder / f"{name}-raw.sqlite"
    create_project(baseline_file).close()
    rows = stored_rows(project_file)
    raw = raw_insert_seconds(baseline_file, rows)
    return {"documents": report.added, "items": report.items_added, "seconds": round(seconds, 2),
            "raw_seconds": round(raw, 2), "ratio": round(seconds / raw, 2),
            "docs_per_second": round(report.added / seconds)}


def run(count: int = 10_000, mentions_per_doc: int = 50) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, jsonl = write_corpus(folder, count, mentions_per_doc)
        return {"markdown files": measure(folder, "files", files),
                f"jsonl with {mentions_per_doc} mentions/doc": measure(folder, "jsonl", jsonl)}
