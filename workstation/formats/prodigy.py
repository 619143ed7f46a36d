"""Prodigy-style JSONL: tokens, spans (token_end inclusive) and relations.

Spans carry Prodigy's keys plus `kind` (mention, trigger, argument), `id`
and, where there are any, `attributes` and `actor`; relations carry `kind`
(argument, event, mention). Prodigy ignores these keys; they let our JSONL
importer read the file back into a layer (`jsonl_codec.prodigy_layer`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord, actor_types, mention_label
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.training_data import (
    AlignmentReport,
    Named,
    layer_of,
    resolve_layer,
)
from workstation.nlp.stored_tokens import with_tokens
from workstation.nlp.token_table import WHITESPACE_AFTER, TokenTable
from workstation.store.document_reader import StandoffLayer, stream_standoff_layers
from workstation.store.export_rows import json_value
from workstation.store.project import Project

TaskMention = tuple[str, int, int, str, dict[str, Any] | None, str | None]
"""(id, start, end, label, attributes, actor's id in files): a mention as a task's span carries it."""
WHITESPACE_JSON = (', "ws": false}', ', "ws": true}')
TOKEN_JSON = '%s%d, "end": %d, "id": %d%s'
"""A token as `json.dumps` writes it, after its encoded text and start key (`heads`); `%` through `map` is a
third cheaper than an f-string per token."""


def _tokens_json(tokens: TokenTable, text: str, heads: dict[str, str]) -> str:
    """The `tokens` list as `json.dumps` writes it, from token arrays: a dict per token, and encoding it,
    cost more than the rest of the line. `heads` keeps, per distinct token text, its encoded start."""
    if not len(tokens):
        return "[]"
    words = tokens.texts(text)
    for word in set(words).difference(heads):
        heads[word] = f'{{"text": {json.dumps(word, ensure_ascii=False)}, "start": '
    rows = zip(map(heads.__getitem__, words), tokens.starts.tolist(), (tokens.starts + tokens.lengths).tolist(),
               range(len(words)), map(WHITESPACE_JSON.__getitem__, tokens.has(WHITESPACE_AFTER).tolist()))
    return f"[{', '.join(map(TOKEN_JSON.__mod__, rows))}]"


def _relation(head: dict[str, Any], child: dict[str, Any], label: str, kind: str) -> dict[str, Any]:
    """Prodigy's relation keys (`head`/`child` token indices, their spans, `label`) plus our `kind`: argument
    (event → mention or free span), event (an event filling a role, or CAUSE-like links) or mention."""
    return {"head": head["token_end"], "child": child["token_end"], "head_span": head, "child_span": child,
            "label": label, "kind": kind}


class _Task:
    """The spans and relations of one task, and what of the layer they could not carry."""

    def __init__(self, tokens: TokenTable, record: Named, report: AlignmentReport, omitted: Counter[str]):
        self.tokens, self.record, self.report, self.omitted = tokens, record, report, omitted
        self.spans: list[dict[str, Any]] = []
        self.relations: list[dict[str, Any]] = []

    def mentions(self, mentions: list[TaskMention]) -> dict[str, dict[str, Any] | None]:
        """The mentions' spans by id, aligned in one search of the token arrays."""
        aligned = self.tokens.align([mention[1] for mention in mentions], [mention[2] for mention in mentions])
        return {mention_id: self._add(start, end, first, last, label, "mention", mention_id, attributes, actor)
                for (mention_id, start, end, label, attributes, actor), (first, last) in zip(mentions, aligned)}

    def span(self, start: int, end: int, label: str, kind: str, item_id: str,
             attributes: dict[str, Any] | None = None) -> dict[str, Any] | None:
        (first, last), = self.tokens.align([start], [end])
        return self._add(start, end, first, last, label, kind, item_id, attributes)

    def _add(self, start: int, end: int, first: int, last: int, label: str, kind: str, item_id: str,
             attributes: dict[str, Any] | None = None, actor: str | None = None) -> dict[str, Any] | None:
        """The span's JSON, added to the task, or None (counted in the report) when it cuts a token."""
        if first < 0:
            self.report.add(self.record, start, end)
            return None
        found = {"start": start, "end": end, "token_start": first, "token_end": last - 1, "label": label,
                 "kind": kind, "id": item_id}
        if attributes:
            found["attributes"] = attributes
        if actor:
            found["actor"] = actor
        self.spans.append(found)
        return found

    def relate(self, head: dict[str, Any] | None, child: dict[str, Any] | None, label: str, kind: str) -> None:
        if head is None or child is None:
            self.omitted[f"{kind} link(s) not written: an end does not align to token boundaries"] += 1
        else:
            self.relations.append(_relation(head, child, label, kind))


def layer_to_task(document: StandoffLayer, tokens: TokenTable, annotator: str, report: AlignmentReport,
                  heads: dict[str, str], omitted: Counter[str]) -> str:
    """One task as its JSON line (without the newline). A layer of mentions only is written from its rows; one
    with events, stances or relations from its record (`record_to_task`)."""
    if document.record is not None:
        return record_to_task(document.record, tokens, annotator, report, heads, omitted)
    task = _Task(tokens, document, report, omitted)
    mentions: list[TaskMention] = []
    for _, start, end, mention_type, label, actor_id, stored, mention_id in document.mentions:
        external, _, actor_type = document.actors[actor_id] if actor_id is not None else (None, None, None)
        mentions.append((mention_id, start, end, label or actor_type or mention_type or "MENTION",
                         json_value(stored), external))
    task.mentions(mentions)
    return _line(task, document.text, tokens, heads, {
        "id": document.id, "title": document.title, "published": document.published, "annotator": annotator,
        "status": document.status})


def record_to_task(record: DocumentRecord, tokens: TokenTable, annotator: str, report: AlignmentReport,
                   heads: dict[str, str], omitted: Counter[str] | None = None) -> str:
    """One task as its JSON line (without the newline): mentions, triggers and free argument spans as `spans`,
    event arguments, event relations and mention relations as `relations`; stances, which a task cannot
    hold, are counted in `omitted`."""
    layer = layer_of(record, annotator)
    types = actor_types(record)
    task = _Task(tokens, record, report, Counter() if omitted is None else omitted)
    by_id = task.mentions([(mention.id, mention.start, mention.end, mention_label(mention, types),
                            mention.attributes, mention.actor) for mention in layer.mentions])
    for event in layer.events:
        by_id[event.id] = task.span(*event.trigger, event.type, "trigger", event.id, event.attributes)
    for event in layer.events:
        for position, argument in enumerate(event.arguments):
            child = by_id.get(argument.mention) if argument.mention else \
                task.span(*argument.span, argument.role, "argument", f"{event.id}/{position}")
            task.relate(by_id[event.id], child, argument.role, "argument")
    for relation in layer.relations:
        task.relate(by_id.get(relation.source), by_id.get(relation.target), relation.type, "event")
    for link in layer.mention_relations:
        task.relate(by_id.get(link.source), by_id.get(link.target), link.type, "mention")
    task.omitted["stance(s) not written: a Prodigy task has no stances (use jsonl or brat)"] += len(layer.stances)
    return _line(task, record.text, tokens, heads, {
        "id": record.id, "title": record.title, "published": record.published, "annotator": layer.annotator,
        "status": layer.status})


def _line(task: _Task, text: str, tokens: TokenTable, heads: dict[str, str], meta: dict[str, Any]) -> str:
    rest = json.dumps({"spans": sorted(task.spans, key=lambda s: (s["start"], -s["end"])),
                       "relations": task.relations, "meta": meta}, ensure_ascii=False)
    encoded = json.dumps(text, ensure_ascii=False)
    return f'{{"text": {encoded}, "tokens": {_tokens_json(tokens, text, heads)}, {rest[1:]}'


def export_prodigy(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                   progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    chosen = resolve_layer(project, layer)
    alignment = AlignmentReport()
    count = 0
    heads: dict[str, str] = {}
    omitted: Counter[str] = Counter()
    with atomic_write(out) as handle:
        documents = (document._replace(mentions=list(document.mentions))  # rows valid until the next is read
                     for document in stream_standoff_layers(project, chosen, status, progress, cancel))
        for count, (document, tokens) in enumerate(with_tokens(project, documents), start=1):
            handle.write(layer_to_task(document, tokens, chosen, alignment, heads, omitted) + "\n")
    report = ExportReport(count, alignment.messages())
    report.add_omissions(omitted)
    return report

