"""20 annotators at once: a server project against one SQLite file, the same mix of edits, in the same run.

Each simulated annotator is a process of its own that, until the time is up, adds, retypes and deletes
mentions, adds stances and events in its own layer, and retypes mentions of a layer all of them share, from a
view it read a moment before (so some of those edits meet a row another changed: they must be refused, never
lost). Every edit is the app's own command through the app's own `Editor`, committed at once.

Reported per engine: edits per second (all processes), p50/p95/p99 latency of an edit, conflicts refused,
other failures (SQLite's "database is locked" past the busy timeout), and the check at the end that the
database holds exactly the edits each client saw succeed (every layer's mentions, stances and events; each
shared row as the last successful write left it): nothing lost, nothing doubled. Ratios are server / file.

    python -m benchmarks.team_load --server postgresql+psycopg://user:pw@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks.scratch_database import scratch_database
from workstation.editing.annotations import create_actor
from workstation.editing.commands import StaleEdit, UpdateRow
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.store.engine import make_engine
from workstation.store.failures import failure_types
from workstation.store.models import Actor, Annotator, Document, Event, Mention, Stance
from workstation.store.project import Project, create_project, open_project
from workstation.store.project_ref import is_server_url

SHARED = "shared"
TYPES = ("NAME", "NOMINAL", "PRONOUN")


def _corpus(folder: Path, documents: int) -> Path:
    path = folder / "corpus.jsonl"
    text = "Ankara and Moscow met in Sochi while Erdogan warned the Syrian army near Idlib. " * 8
    path.write_text("".join(json.dumps({"text": f"Article {n}. {text}", "meta": {"title": f"Article {n}"}}) + "\n"
                            for n in range(documents)), encoding="utf-8")
    return path


def _seed(project: Project, folder: Path, documents: int) -> None:
    """The articles, two registry entries (stance holders), and a shared layer of 5 mentions per article that
    every client retypes."""
    import_paths(project, [_corpus(folder, documents)])
    editor = Editor(project, SHARED)
    for name in ("Recep Tayyip Erdogan", "Vladimir Putin"):
        editor.run(create_actor(project.schema, name, "GOV", "person"))
    with project.session() as session:
        ids = list(session.scalars(select(Document.id)))
    for doc_id in ids:
        with editor.layer(doc_id) as layer:
            for start in range(0, 50, 10):
                editor.run(layer.create_mention(start + 11, start + 17, "NAME"))


def _open(ref: str) -> Project:
    """Every client opens the same project: a server takes them all; a file is opened beside the others
    without the one-instance lock (the benchmark is about the database, not the app's lock)."""
    if is_server_url(ref):
        return open_project(ref)
    return Project(Path(ref), make_engine(Path(ref)), None)


def _client(ref: str, number: int, seconds: float, out: Any) -> None:
    rng = random.Random(number)
    project = _open(ref)
    editor = Editor(project, f"client{number}")
    with project.session() as session:
        documents = [doc for doc in session.scalars(select(Mention.document_id).distinct())]
        shared_id = session.scalar(select(Annotator.id).where(Annotator.name == SHARED))
        holders = list(session.scalars(select(Actor.id)))
    latencies: list[float] = []
    mine: dict[str, set[str]] = {"mention": set(), "stance": set(), "event": set()}
    shared_writes: list[tuple[str, int, str, float]] = []
    refused = failed = 0
    view: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        doc_id = rng.choice(documents)
        kind = rng.random()
        started = time.perf_counter()
        try:
            with project.session() as session:
                if kind < 0.3 or not view:
                    view = dict(session.execute(select(Mention.id, Mention.version).where(
                        Mention.annotator_id == shared_id, Mention.document_id == doc_id)).tuples().all())
                if kind < 0.3:
                    mention_id, seen = rng.choice(sorted(view.items()))
                    mention_type = rng.choice(TYPES)
                    command = UpdateRow(session, "Retype", "mention", mention_id, {"mention_type": mention_type},
                                        doc_id, version=seen)
            if kind < 0.3:
                editor.run(command)
                written = command.version_written
                shared_writes.append((mention_id, written, mention_type, time.time()))
                view[mention_id] = written
            else:
                _own_edit(editor, rng, doc_id, mine, holders)
            latencies.append(time.perf_counter() - started)
        except StaleEdit:
            refused += 1
            view = {}
            latencies.append(time.perf_counter() - started)
        except failure_types():  # a figure here, not a crash: SQLite's "database is locked" past the busy timeout
            failed += 1
    project.close()
    out.put({"client": number, "latencies": latencies, "refused": refused, "failed": failed,
             "mine": {table: sorted(ids) for table, ids in mine.items()}, "shared": shared_writes,
             "annotator": editor.annotator_id})


def _own_edit(editor: Editor, rng: random.Random, doc_id: str, mine: dict[str, set[str]],
              holders: list[str]) -> None:
    """Add, retype or delete a mention, add a stance or an event, in the client's own layer."""
    choice = rng.random()
    with editor.layer(doc_id) as layer:
        if choice < 0.35 or not mine["mention"]:
            start = rng.randrange(0, 600)
            command = layer.create_mention(start, start + 5, "NAME")
            table = "mention"
        elif choice < 0.55:
            command = UpdateRow(layer.session, "Retype", "mention", rng.choice(sorted(mine["mention"])),
                                {"mention_type": rng.choice(TYPES)}, doc_id)
            table = ""
        elif choice < 0.7:
            victim = rng.choice(sorted(mine["mention"]))
            command = layer.delete("mention", victim)
            table = "-mention"
        elif choice < 0.85:
            command = layer.create_stance(rng.choice(holders), "THREATEN", issue="Idlib", evidence=(0, 10))
            table = "stance"
        else:
            command = layer.create_event("THREATEN", (20, 26))
            table = "event"
    editor.run(command)
    if table.startswith("-"):
        mine["mention"].discard(victim)
    elif table:
        mine[table].add(command.rows[0][1]["id"])


def _verify(ref: str, results: list[dict[str, Any]]) -> dict[str, int]:
    """Rows the clients saw succeed against what the database holds."""
    project = _open(ref)
    lost = doubled = shared_wrong = 0
    with project.session() as session:
        for result in results:
            for table, model in (("mention", Mention), ("stance", Stance), ("event", Event)):
                held = set(session.scalars(select(model.id).where(model.annotator_id == result["annotator"])))
                expected = set(result["mine"][table])
                lost += len(expected - held)
                doubled += len(held - expected)
        last: dict[str, tuple[int, str]] = {}
        for _mention, _version, _type, _at in sorted((w for r in results for w in r["shared"]), key=lambda w: w[3]):
            last[_mention] = (_version, _type)
        for mention_id, (version, mention_type) in last.items():
            row = session.execute(select(Mention.version, Mention.mention_type).where(Mention.id == mention_id)).one()
            shared_wrong += tuple(row) != (version, mention_type)
    project.close()
    return {"lost": lost, "doubled": doubled, "shared_rows_wrong": shared_wrong}


def run_engine(ref: str, clients: int, seconds: float) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [context.Process(target=_client, args=(ref, number, seconds, out)) for number in range(clients)]
    for process in processes:
        process.start()
    results = [out.get(timeout=seconds + 300) for _ in processes]
    for process in processes:
        process.join()
    latencies = sorted(latency for result in results for latency in result["latencies"])
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"edits": len(latencies), "edits_per_s": round(len(latencies) / seconds, 1),
            "p50_ms": round(cuts[49] * 1000, 1), "p95_ms": round(cuts[94] * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1), "conflicts_refused": sum(r["refused"] for r in results),
            "other_failures": sum(r["failed"] for r in results), **_verify(ref, results)}


def run(server: str, clients: int = 20, seconds: float = 120, documents: int = 50) -> dict[str, Any]:
    from workstation.store.transfer import transfer

    with scratch_database(server, "ws_team_load") as url, tempfile.TemporaryDirectory() as folder:
        with create_project(url) as project:
            _seed(project, Path(folder), documents)
        file = Path(folder) / "team.sqlite"
        transfer(url, file)
        figures = {"server": run_engine(url, clients, seconds), "file": run_engine(str(file), clients, seconds)}
    server_figures, file_figures = figures["server"], figures["file"]
    figures["ratios server/file"] = {
        key: round(server_figures[key] / file_figures[key], 2) if file_figures[key] else None
        for key in ("edits_per_s", "p50_ms", "p95_ms", "p99_ms")}
    figures["setup"] = {"clients": clients, "seconds": seconds, "documents": documents}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="URL of a PostgreSQL server a database can be made on")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--documents", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(run(args.server, args.clients, args.seconds, args.documents), indent=2))


if __name__ == "__main__":
    main()
