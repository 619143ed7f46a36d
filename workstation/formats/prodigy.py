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


WHITESPACE_AFTER = (', "ws": false}', ', "ws": true}')


def _tokens_json(doc: Doc, heads: dict[int, tuple[str, int]]) -> str:
    """The `tokens` list as `json.dumps` writes it, from token arrays: a dict per token, and encoding it,
    cost more than the rest of the line. `heads` keeps, per distinct token text, its encoded start and length."""
    if not len(doc):
        return "[]"
    orths, starts, spaces = doc.to_array([ORTH, IDX, SPACY]).T.tolist()
    for orth in set(orths).difference(heads):
        text = doc.vocab.strings[orth]
        heads[orth] = (f'{{"text": {json.dumps(text, ensure_ascii=False)}, "start": ', len(text))
    tokens = []
    for index, (orth, start, space) in enumerate(zip(orths, starts, spaces)):
        head, length = heads[orth]
        tokens.append(f'{head}{start}, "end": {start + length}, "id": {index}{WHITESPACE_AFTER[space]}')
    return f"[{', '.join(tokens)}]"


def record_to_task(record: DocumentRecord, annotator: str, report: AlignmentReport,
                   heads: dict[int, tuple[str, int]]) -> str:
    """One task as its JSON line (without the newline)."""
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
    rest = json.dumps({
        "spans": sorted(spans, key=lambda s: (s["start"], -s["end"])),
        "relations": relations,
        "meta": {"id": record.id, "title": record.title, "published": record.published,
                 "annotator": layer.annotator, "status": layer.status},
    }, ensure_ascii=False)
    text = json.dumps(record.text, ensure_ascii=False)
    return f'{{"text": {text}, "tokens": {_tokens_json(doc, heads)}, {rest[1:]}'



def export_prodigy(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                   progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    chosen = resolve_layer(project, layer)
    alignment = AlignmentReport()
    count = 0
    heads: dict[int, tuple[str, int]] = {}
    with atomic_write(out) as handle:
        for count, record in enumerate(stream_records(project, chosen, status, progress, cancel), start=1):
            handle.write(record_to_task(record, chosen, alignment, heads) + "\n")
    return ExportReport(count, alignment.messages())

