"""Merge a returned work package of 1,000 documents holding 50,000 items, against raw SQLite in the same run.

The package is cut from a project of 1,000 articles, then filled as an
annotator would leave it: per document 40 mentions, 5 events with two mention
arguments each and 5 stances (50 items). The baseline inserts exactly those
rows with `sqlite3.executemany` into a copy of the project, in one
transaction. A second merge of the same package (which must change nothing)
and a dry run are timed too.

With a PostgreSQL server (`run.py --server URL`), the same cut and merges run
again on a server project made in a throw-away database, and are given as
ratios to the file's, measured in the same run.
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
from workstation.store.project_ref import ProjectRef

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


def _items(package: Path, annotator_id: str, per_document: int = MENTIONS) -> dict[str, list[dict[str, Any]]]:
    """The rows an annotator adds in the package: `per_document` mentions and 10 other items per document,
    stamped after the cut."""
    rng = random.Random(5)
    connection = sqlite3.connect(package)
    documents = connection.execute("SELECT id, length(text) FROM document").fetchall()
    actors = [actor for (actor,) in connection.execute("SELECT id FROM actor")]
    connection.close()
    now = str(utcnow())
    rows: dict[str, list[dict[str, Any]]] = {"mention": [], "event": [], "event_argument": [], "stance": []}
    base = {"external_id": None, "annotator_id": annotator_id, "attributes": "{}", "created_at": now,
            "updated_at": now, "version": 1}
    for document_id, length in documents:
        layer = {**base, "document_id": document_id}
        mentions = []
        for start in sorted(rng.sample(range(length - 10), per_document)):
            mention = {**layer, "id": new_id(), "start": start, "end": start + 5, "label": "GOV",
                       "mention_type": "NAME", "actor_id": rng.choice(actors), "origin": "manual",
                       "suggester": None}
            mentions.append(mention)
        rows["mention"] += mentions
        for _ in range(EVENTS):
            start = rng.randrange(length - 10)
            event = {**layer, "id": new_id(), "type": "THREATEN", "trigger_start": start, "trigger_end": start + 6,
                     "date": None, "origin": "manual", "suggester": None}
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


def _cut(project_ref: ProjectRef, corpus: Path, package_path: Path,
         mentions: int) -> tuple[float, dict[str, list[dict[str, Any]]]]:
    """Import, cut one package of every document and fill it as the annotator would: the cut's time and the
    rows added."""
    with create_project(project_ref) as project:
        from workstation.formats.importing import import_paths
        import_paths(project, [corpus])
        with project.session() as session:
            ids = choose_documents(session, DocumentChoice())
        started = time.perf_counter()
        info = cut_package(project, "alice", ids, package_path)
        cut = time.perf_counter() - started
    rows = _items(package_path, info.annotator_id, mentions)
    _insert(package_path, rows)
    return cut, rows


def _merges(project_ref: ProjectRef, package_path: Path) -> dict[str, float]:
    """A dry run, the merge, and the same merge again (which finds nothing new)."""
    timings, reports = {}, {}
    with open_project(project_ref) as project:
        for name, commit in (("dry_run", False), ("merge", True), ("merge_again", True)):
            started = time.perf_counter()
            reports[name] = merge_packages(project, [package_path], commit=commit)
            timings[name] = time.perf_counter() - started
    assert reports["dry_run"].changes == reports["merge"].changes > 0 and reports["merge_again"].changes == 0
    return timings


def _on_server(server: str, corpus: Path, folder: Path, mentions: int) -> dict[str, float]:
    from benchmarks.scratch_database import scratch_database

    with scratch_database(server, "ws_bench_merge") as url:
        cut, _ = _cut(url, corpus, folder / "server-alice.sqlite", mentions)
        return {"cut": cut, **_merges(url, folder / "server-alice.sqlite")}


def run(count: int = 1_000, mentions: int = MENTIONS, server: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = _corpus(folder, count)
        project_path, package_path = folder / "supervisor.sqlite", folder / "alice.sqlite"
        cut, rows = _cut(project_path, corpus, package_path, mentions)
        baseline_copy = folder / "baseline.sqlite"
        shutil.copy(project_path, baseline_copy)
        baseline = _insert(baseline_copy, rows)
        timings = {"cut": cut, **_merges(project_path, package_path)}
        items = sum(len(values) for table, values in rows.items() if table != "event_argument")
        figures: dict[str, float] = {
            "documents": count, "items": items, "package_mb": round(package_path.stat().st_size / 1e6, 1),
            "cut_s": round(cut, 3), "raw_executemany_s": round(baseline, 3),
            "merge_s": round(timings["merge"], 3), "merge_ratio": round(timings["merge"] / baseline, 2),
            "dry_run_s": round(timings["dry_run"], 3), "merge_again_s": round(timings["merge_again"], 3),
            "merge_again_ratio": round(timings["merge_again"] / baseline, 2)}
        if server:
            for name, seconds in _on_server(server, corpus, folder, mentions).items():
                figures[f"server_{name}_s"] = round(seconds, 3)
                figures[f"server_{name}_ratio_to_file"] = round(seconds / timings[name], 2)
        return figures
