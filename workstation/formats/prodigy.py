"""Prodigy-style JSONL: tokens, spans (token_end inclusive) and relations for event arguments.

Spans carry Prodigy's keys plus `kind` (mention, trigger, argument) and `id`,
which Prodigy ignores and which let our JSONL importer read the file back into
a layer (`jsonl_codec.prodigy_layer`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spacy.attrs import IDX, ORTH, SPACY
from spacy.tokens import Doc, Span

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord, actor_types, mention_label
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.training_data import (
    AlignmentReport,
    align,
    layer_of,
    resolve_layer,
)
from workstation.nlp.pipeline import tokenize
from workstation.store.document_reader import stream_records
from workstation.store.project import Project


def _span_json(span: Span, kind: str, item_id: str) -> dict[str, Any]:
    return {"start": span.start_char, "end": span.end_char, "token_start": span.start,
            "token_end": span.end - 1, "label": span.label_, "kind": kind, "id": item_id}


def _tokens(doc: Doc) -> list[dict[str, Any]]:
    """Read from token arrays: a spaCy Token object per token cost more than the JSON written."""
    strings = doc.vocab.strings
    orths, starts, spaces = doc.to_array([ORTH, IDX, SPACY]).T.tolist() if len(doc) else ([], [], [])
    return [{"text": text, "start": start, "end": start + len(text), "id": index, "ws": space == 1}
            for index, (text, start, space) in enumerate(zip(map(strings.__getitem__, orths), starts, spaces))]


def record_to_task(record: DocumentRecord, annotator: str, report: AlignmentReport) -> dict[str, Any]:
    doc: Doc = tokenize(record.text, record.language or "en")
    layer = layer_of(record, annotator)
    types = actor_types(record)
    spans: list[dict[str, Any]] = []
    by_mention: dict[str, dict[str, Any]] = {}
    for mention in layer.mentions:
        span = align(doc, record, mention.start, mention.end, mention_label(mention, types), report)
        if span is not None:
            by_mention[mention.id] = _span_json(span, "mention", mention.id)
            spans.append(by_mention[mention.id])
    relations = []
    for event in layer.events:
        trigger = align(doc, record, *event.trigger, event.type, report)
        if trigger is None:
            continue
        head = _span_json(trigger, "trigger", event.id)
        spans.append(head)
        for position, argument in enumerate(event.arguments):
            child = by_mention.get(argument.mention) if argument.mention else None
            if argument.span is not None:
                free = align(doc, record, *argument.span, argument.role, report)
                child = None if free is None else _span_json(free, "argument", f"{event.id}/{position}")
                if child is not None:
                    spans.append(child)
            if child is not None:
                relations.append({"head": head["token_end"], "child": child["token_end"], "head_span": head,
                                  "child_span": child, "label": argument.role})
    return {
        "text": record.text,
        "tokens": _tokens(doc),
        "spans": sorted(spans, key=lambda s: (s["start"], -s["end"])),
        "relations": relations,
        "meta": {"id": record.id, "title": record.title, "published": record.published,
                 "annotator": layer.annotator, "status": layer.status},
    }


def export_prodigy(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                   progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    chosen = resolve_layer(project, layer)
    alignment = AlignmentReport()
    count = 0
    with atomic_write(out) as handle:
        for count, record in enumerate(stream_records(project, chosen, status, progress, cancel), start=1):
            handle.write(json.dumps(record_to_task(record, chosen, alignment), ensure_ascii=False) + "\n")
    return ExportReport(count, alignment.messages())

