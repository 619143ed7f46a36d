"""Native JSONL files (DESIGN.md §5): one document per line, lossless both ways."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord
from workstation.formats.atomic import atomic_write
from workstation.formats.jsonl_codec import JsonShapeError, actor_to_json, document_from_json, document_to_json
from workstation.formats.reading import utf8_lines
from workstation.formats.report import ExportReport
from workstation.store.document_reader import stream_records
from workstation.store.project import Project


def read_jsonl(path: Path) -> Iterator[DocumentRecord]:
    """Yield one record per non-blank line, reading the file as it goes; a broken line stops everything
    with its number."""
    empty = True
    for number, line in utf8_lines(path):
        if not line.strip():
            continue
        empty = False
        try:
            parsed = json.loads(line)
            if "\\u" in line:
                _refuse_lone_surrogates(parsed)
            record = document_from_json(parsed)
        except json.JSONDecodeError as error:
            raise UserError(f"malformed JSON ({error.msg} at column {error.colno})", file=path, line=number) from None
        except RecursionError:
            raise UserError("the JSON is nested too deeply to read", file=path, line=number) from None
        except (JsonShapeError, UserError) as error:
            raise UserError(str(error), file=path, line=number) from None
        record.origin, record.line = str(path), number
        yield record
    if empty:
        raise UserError("the file is empty", file=path)


def _refuse_lone_surrogates(value: Any) -> None:
    """`\\ud800` is valid JSON but no character: SQLite and every export would fail on it later."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise UserError(f"a lone surrogate (\\u{ord(error.object[error.start]):04x}) is not a character; "
                        "fix the escape in the line") from None


def export_jsonl(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                 progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    """Write the chosen documents with all (or one) of their layers; returns how many were written.

    A full export also carries the actors no annotation refers to, so the registry survives a round trip.
    """
    count = 0
    actors: dict[str, str] = {}
    with atomic_write(out) as handle:
        for count, record in enumerate(stream_records(project, layer, status, progress, cancel,
                                                      with_unreferenced_actors=layer is None and status is None),
                                       start=1):
            handle.write(_line(record, actors))
    return ExportReport(count)


def _line(record: DocumentRecord, actors: dict[str, str]) -> str:
    """The record's line as `json.dumps` writes `document_to_json(record)`, with each actor encoded once per
    export (`actors`: id → its JSON): every line lists its ~45 actors, the same few hundred over and over, and
    encoding them anew was a fifth of the export."""
    line = document_to_json(record, with_actors=False)
    layers = json.dumps(line.pop("layers"), ensure_ascii=False)
    listed = []
    for actor in record.actors:
        if actor.id not in actors:
            actors[actor.id] = json.dumps(actor_to_json(actor), ensure_ascii=False)
        listed.append(actors[actor.id])
    return f'{json.dumps(line, ensure_ascii=False)[:-1]}, "actors": [{", ".join(listed)}], "layers": {layers}}}\n'
