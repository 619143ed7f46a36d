"""Merge a returned work package of 1,000 documents holding 50,000 items, against raw SQLite in the same run.

The package is cut from a project of 1,000 articles, then filled as an
annotator would leave it: per document 40 mentions, 5 events with two mention
arguments each and 5 stances (50 items). The baseline inserts exactly those
rows with `sqlite3.executemany` into a copy of the project, in one
transaction. A second merge of the same package (which must change nothing)
and a dry run are timed too.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.import_speed import article
from workstation.review.layer_units import columns
from workstation.review.merge import merge_packages
from workstation.review.packages import DocumentChoice, choose_documents, cut_package
from workstation.store.models import new_id, utcnow
from workstation.store.project import create_project, open_project

MENTIONS, EVENTS, STANCES = 40, 5, 5


def _corpus(folder: Path, count: int) -> Path:
    rng = random.Random(11)
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        actors = [{"id": f"A{i}", "name": f"Actor {i}", "type": "GOV"} for i in range(50)]
        for number in range(count):
            out.write(json.dumps({"text": article(rng, number), "meta": {"title": f"Article {number}"},
                                  "actors": actors if number == 0 else []}) + "\n")
    return path


def _items(package: Path, annotator_id: str) -> dict[str, list[dict[str, Any]]]:
    """The rows an annotator adds in the package: 50 items per document, stamped after the cut."""
    rng = random.Random(5)
    connection = sqlite3.connect(package)
    documents = connection.execute("SELECT id, length(text) FROM document").fetchall()
    actors = [actor for (actor,) in connection.execute("SELECT id FROM actor")]
    connection.close()
    now = str(utcnow())
    rows: dict[str, list[dict[str, Any]]] = {"mention": [], "event": [], "event_argument": [], "stance": []}
    base = {"external_id": None, "annotator_id": annotator_id, "attributes": "{}", "created_at": now,
            "updated_at": now}
    for document_id, length in documents:
        layer = {**base, "document_id": document_id}
        mentions = []
        for start in sorted(rng.sample(range(length - 10), MENTIONS)):
            mention = {**layer, "id": new_id(), "start": start, "end": start + 5, "label": "GOV",
                       "mention_type": "NAME", "actor_id": rng.choice(actors), "origin": "manual"}
            mentions.append(mention)
        rows["mention"] += mentions
        for _ in range(EVENTS):
            start = rng.randrange(length - 10)
            event = {**layer, "id": new_id(), "type": "THREATEN", "trigger_start": start, "trigger_end": start + 6,
                     "date": None}
            rows["event"].append(event)
            for position, role in enumerate(("source", "target")):
                rows["event_argument"].append({"id": new_id(), "event_id": event["id"], "position": position,
                                               "role": role, "mention_id": rng.choice(mentions)["id"],
                                               "start": None, "end": None})
        for _ in range(STANCES):
            rows["stance"].append({**layer, "id": new_id(), "holder_id": rng.choice(actors),
                                   "target_id": rng.choice(actors), "issue": None, "issue_position": None,
                                   "label": "THREATEN", "polarity": -1, "strength": 2, "implicit_target": 0,
                                   "evidence_start": None, "evidence_end": None})
    return rows


def _insert(path: Path, rows: dict[str, list[dict[str, Any]]]) -> float:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    with connection:
        for table, values in rows.items():
            names = columns(table)
            connection.executemany(f'INSERT INTO "{table}" ({", ".join(f"{n!r}" for n in names)}) '
                                   f'VALUES ({", ".join("?" * len(names))})',
                                   [tuple(row[name] for name in names) for row in values])
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def run(count: int = 1_000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project_path, package_path = folder / "supervisor.sqlite", folder / "alice.sqlite"
        with create_project(project_path) as project:
            from workstation.formats.importing import import_paths
            import_paths(project, [_corpus(folder, count)])
            with project.session() as session:
                ids = choose_documents(session, DocumentChoice())
            started = time.perf_counter()
            info = cut_package(project, "alice", ids, package_path)
            cut = time.perf_counter() - started
        rows = _items(package_path, info.annotator_id)
        _insert(package_path, rows)
        baseline_copy = folder / "baseline.sqlite"
        shutil.copy(project_path, baseline_copy)
        baseline = _insert(baseline_copy, rows)
        with open_project(project_path) as project:
            started = time.perf_counter()
            dry = merge_packages(project, [package_path], commit=False)
            dry_run = time.perf_counter() - started
            started = time.perf_counter()
            report = merge_packages(project, [package_path])
            merged = time.perf_counter() - started
            started = time.perf_counter()
            again = merge_packages(project, [package_path])
            remerged = time.perf_counter() - started
        items = sum(len(values) for table, values in rows.items() if table != "event_argument")
        assert dry.changes == report.changes and again.changes == 0
        return {"documents": count, "items": items, "package_mb": round(package_path.stat().st_size / 1e6, 1),
                "cut_s": round(cut, 3), "raw_executemany_s": round(baseline, 3), "merge_s": round(merged, 3),
                "merge_ratio": round(merged / baseline, 2), "dry_run_s": round(dry_run, 3),
                "merge_again_s": round(remerged, 3), "merge_again_ratio": round(remerged / baseline, 2)}
