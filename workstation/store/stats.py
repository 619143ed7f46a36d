"""Counts per annotator, status and type: what `stats` prints and the reports check against.

The counts are plain SQL on a DB-API connection, without SQLAlchemy: `stats` on a small project answers in
the time SQLAlchemy alone takes to import. The SQL is standard (joins, GROUP BY, `length`) apart from
`rowid` (import order) and `json_each` (attribute names), which the store uses elsewhere too.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from workstation.store.gold_status import gold_documents, gold_progress

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ATTRIBUTE_TABLES = ("mention", "event", "stance", "mention_relation")
"""The layer items that carry attributes (a JSON object each)."""


def _nested(rows: Any) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for outer, inner, count in rows:
        table[outer][inner if inner is not None else "(none)"] = count
    return dict(table)


def _per_layer(connection: Any, table: str, column: str) -> dict[str, dict[str, int]]:
    return _nested(connection.execute(
        f"SELECT annotator.name, {table}.{column}, count(*) FROM {table} "
        f"JOIN annotator ON {table}.annotator_id = annotator.id "
        f"GROUP BY annotator.name, {table}.{column} ORDER BY annotator.name, {table}.{column}"))


def _attributes(connection: Any) -> dict[str, dict[str, int]]:
    """Attributes per annotator and name, over every kind of item: what an export must carry or name."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name in ATTRIBUTE_TABLES:
        rows = connection.execute(
            f"SELECT annotator.name, attribute.key, count(*) FROM {name} "
            f"JOIN annotator ON {name}.annotator_id = annotator.id, json_each({name}.attributes) AS attribute "
            "GROUP BY annotator.name, attribute.key")
        for annotator, key, count in rows:
            counts[annotator][key] += count
    return {annotator: dict(sorted(names.items())) for annotator, names in sorted(counts.items())}


def project_stats(session: Session) -> dict[str, Any]:
    """`stats_of` the session's connection (its transaction, so what it wrote counts)."""
    from workstation.store.engine import driver_connection

    return stats_of(driver_connection(session))


def stats_of(connection: Any) -> dict[str, Any]:
    """Everything as plain JSON-ready data; documents listed with title, date and layer statuses. Every kind
    of item is counted, so a reader can check an export against it: event arguments per role (those filled
    by events are event relations named after the role), relations per type, attributes per name."""
    statuses: dict[str, dict[str, str]] = defaultdict(dict)
    for document_id, name, status in connection.execute(
            "SELECT assignment.document_id, annotator.name, assignment.status FROM assignment "
            "JOIN annotator ON annotator.id = assignment.annotator_id"):
        statuses[document_id][name] = status
    documents = [
        {"id": document_id, "title": title, "published": published, "date_ambiguous": bool(ambiguous),
         "characters": characters, "statuses": statuses.get(document_id, {})}
        for document_id, title, published, ambiguous, characters in connection.execute(
            "SELECT id, title, published, date_ambiguous, length(text) FROM document ORDER BY rowid")
    ]
    return {
        "document_count": len(documents),
        "documents": documents,
        "annotators": [name for name, in connection.execute("SELECT name FROM annotator ORDER BY name")],
        "status": _per_layer(connection, "assignment", "status"),
        "actors": {actor_type: count for actor_type, count in connection.execute(
            "SELECT type, count(*) FROM actor WHERE merged_into IS NULL GROUP BY type ORDER BY type")},
        "mentions": _per_layer(connection, "mention", "label"),
        "mention_types": _per_layer(connection, "mention", "mention_type"),
        "stances": _per_layer(connection, "stance", "label"),
        "events": _per_layer(connection, "event", "type"),
        "event_arguments": _nested(connection.execute(
            "SELECT annotator.name, event_argument.role, count(*) FROM event_argument "
            "JOIN event ON event_argument.event_id = event.id JOIN annotator ON event.annotator_id = annotator.id "
            "GROUP BY annotator.name, event_argument.role ORDER BY annotator.name, event_argument.role")),
        "event_relations": _per_layer(connection, "event_relation", "type"),
        "mention_relations": _per_layer(connection, "mention_relation", "type"),
        "attributes": _attributes(connection),
        "gold": gold_progress(gold_documents(connection)),
    }


def format_stats(stats: dict[str, Any]) -> str:
    """A short human summary; the full detail is in `--json`."""
    lines = [f"documents: {stats['document_count']}"]
    for doc in stats["documents"][:10]:
        ambiguous = " (ambiguous date)" if doc["date_ambiguous"] else ""
        lines.append(f"  {doc['published'] or '----------'}{ambiguous}  {doc['title']}")
    if stats["document_count"] > 10:
        lines.append(f"  ... and {stats['document_count'] - 10} more")
    lines.append(f"actors: {sum(stats['actors'].values())} " + _inline(stats["actors"]))
    for key in ("status", "mentions", "stances", "events"):
        for annotator, counts in stats[key].items():
            lines.append(f"{key} [{annotator}]: {sum(counts.values())} {_inline(counts)}")
    gold = stats["gold"]
    lines.append(f"gold: {gold['done']} of {gold['documents']} document(s) done, {gold['in progress']} in progress, "
                 f"{gold['not started']} not started")
    return "\n".join(lines)


def _inline(counts: dict[str, int]) -> str:
    return "(" + ", ".join(f"{name} {count}" for name, count in counts.items()) + ")" if counts else ""
