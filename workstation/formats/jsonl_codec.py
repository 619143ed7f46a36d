"""The native JSONL line (DESIGN.md §5) to and from records, with structural checks.

Structure is checked here (types, required keys), naming the path of the bad
value, e.g. `layers[0].mentions[2].start: expected an integer`; schema checks
(labels, roles) and offsets happen when the store writes the records.
"""

from __future__ import annotations

from typing import Any

from workstation.core.records import (
    ActorRecord,
    ArgumentRecord,
    DocumentRecord,
    EventRecord,
    LayerRecord,
    MentionRecord,
    MentionRelationRecord,
    RelationRecord,
    Span,
    StanceRecord,
)

PRODIGY_META = ("id", "annotator", "status")
META_COLUMNS = ("title", "published", "date_raw", "date_ambiguous", "source", "url", "language")


class JsonShapeError(ValueError):
    """A value of the wrong shape; the message starts with the path of the value."""


_MISSING = object()
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", dict: "an object", list: "a list"}


class _Reader:
    """Typed access to one JSON object that reports the path of a bad value."""

    def __init__(self, obj: Any, path: str):
        if not isinstance(obj, dict):
            raise JsonShapeError(f"{path or 'line'}: expected an object")
        self.obj, self.path = obj, path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kind: type, default: Any = _MISSING, nullable: bool = False) -> Any:
        value = self.obj.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                raise JsonShapeError(f"{self._where(key)}: missing")
            return default
        if value is None and (nullable or default is None):
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise JsonShapeError(f"{self._where(key)}: expected {_TYPE_NAMES[kind]}, got {value!r:.40}")
        return value

    def span(self, key: str, nullable: bool = False) -> Span | None:
        value = self.get(key, dict, None if nullable else _MISSING)
        if value is None:
            return None
        inner = _Reader(value, self._where(key))
        return inner.get("start", int), inner.get("end", int)

    def items(self, key: str) -> list[tuple[_Reader, str]]:
        where = self._where(key)
        return [(_Reader(item, f"{where}[{index}]"), f"{where}[{index}]")
                for index, item in enumerate(self.get(key, list, []))]

    def strings(self, key: str) -> list[str]:
        values = self.get(key, list, [])
        if not all(isinstance(value, str) for value in values):
            raise JsonShapeError(f"{self._where(key)}: expected a list of strings")
        return list(values)


def _actor(r: _Reader) -> ActorRecord:
    return ActorRecord(id=r.get("id", str), name=r.get("name", str), type=r.get("type", str),
                       kind=r.get("kind", str, None), country=r.get("country", str, None),
                       code=r.get("code", str, None), aliases=r.strings("aliases"),
                       description=r.get("description", str, None), merged_into=r.get("merged_into", str, None))


def _mention(r: _Reader) -> MentionRecord:
    return MentionRecord(id=r.get("id", str), start=r.get("start", int), end=r.get("end", int),
                         type=r.get("type", str, None), actor=r.get("actor", str, None),
                         label=r.get("label", str, None), attributes=r.get("attributes", dict, {}),
                         origin=r.get("origin", str, None), suggester=r.get("suggester", str, None))


def _stance(r: _Reader) -> StanceRecord:
    return StanceRecord(id=r.get("id", str), holder=r.get("holder", str), label=r.get("label", str),
                        target=r.get("target", str, None), issue=r.get("issue", str, None),
                        issue_position=r.get("issue_position", int, None), strength=r.get("strength", int, 2),
                        implicit_target=r.get("implicit_target", bool, False), evidence=r.span("evidence", True),
                        attributes=r.get("attributes", dict, {}))


def _argument(r: _Reader, path: str) -> ArgumentRecord:
    mention = r.get("mention", str, None)
    if mention is None and "start" not in r.obj:
        raise JsonShapeError(f"{path}: an argument needs a mention or start/end")
    span = None if mention is not None else (r.get("start", int), r.get("end", int))
    return ArgumentRecord(role=r.get("role", str), mention=mention, span=span)


def _event(r: _Reader) -> EventRecord:
    return EventRecord(id=r.get("id", str), type=r.get("type", str), trigger=r.span("trigger"),
                       arguments=[_argument(a, path) for a, path in r.items("arguments")],
                       attributes=r.get("attributes", dict, {}), date=r.get("date", str, None),
                       origin=r.get("origin", str, None), suggester=r.get("suggester", str, None))


def _layer(r: _Reader) -> LayerRecord:
    return LayerRecord(
        annotator=r.get("annotator", str), status=r.get("status", str, "new"),
        mentions=[_mention(m) for m, _ in r.items("mentions")],
        stances=[_stance(s) for s, _ in r.items("stances")],
        events=[_event(e) for e, _ in r.items("events")],
        relations=[RelationRecord(type=x.get("type", str), source=x.get("from", str), target=x.get("to", str))
                   for x, _ in r.items("relations")],
        mention_relations=[MentionRelationRecord(id=x.get("id", str), type=x.get("type", str),
                                                 source=x.get("from", str), target=x.get("to", str),
                                                 attributes=x.get("attributes", dict, {}))
                           for x, _ in r.items("mention_relations")],
    )


def _span_key(reader: _Reader) -> tuple[int, int]:
    return reader.get("start", int), reader.get("end", int)


def prodigy_layer(r: _Reader, meta: _Reader) -> LayerRecord:
    """A Prodigy/spaCy-style task (`spans`, `relations`) as one layer; spans without `kind` are mentions."""
    layer = LayerRecord(annotator=meta.get("annotator", str, None) or "prodigy",
                        status=meta.get("status", str, None) or "done")
    arguments: dict[tuple[int, int], list[ArgumentRecord]] = {}
    for number, (relation, path) in enumerate(r.items("relations")):
        head, child = _Reader(relation.get("head_span", dict), f"{path}.head_span"), \
            _Reader(relation.get("child_span", dict), f"{path}.child_span")
        role, kind = relation.get("label", str), relation.get("kind", str, "argument")
        if kind in ("event", "mention"):
            ends = str(head.obj.get("id")), str(child.obj.get("id"))
            if kind == "event":
                layer.relations.append(RelationRecord(role, *ends))
            else:
                layer.mention_relations.append(MentionRelationRecord(f"R{number + 1}", role, *ends))
            continue
        argument = ArgumentRecord(role=role, span=_span_key(child)) if child.get("kind", str, None) == "argument" \
            else ArgumentRecord(role=role, mention=str(child.obj.get("id")))
        arguments.setdefault(_span_key(head), []).append(argument)
    for number, (span, _) in enumerate(r.items("spans")):
        kind, item_id = span.get("kind", str, "mention"), str(span.obj.get("id", f"S{number}"))
        if kind == "mention":
            layer.mentions.append(MentionRecord(id=item_id, start=span.get("start", int), end=span.get("end", int),
                                                label=span.get("label", str)))
        elif kind == "trigger":
            layer.events.append(EventRecord(id=item_id, type=span.get("label", str), trigger=_span_key(span),
                                            arguments=arguments.get(_span_key(span), [])))
    return layer


def document_from_json(obj: Any) -> DocumentRecord:
    """Build a record from one parsed line (native, or Prodigy-style with `spans`); errors name the path."""
    r = _Reader(obj, "")
    meta = _Reader(r.get("meta", dict, {}), "meta")
    prodigy = "layers" not in r.obj and "spans" in r.obj
    layers = [prodigy_layer(r, meta)] if prodigy else [_layer(x) for x, _ in r.items("layers")]
    record = DocumentRecord(text=r.get("text", str), id=r.get("id", str, None) or meta.get("id", str, None),
                            actors=[_actor(a) for a, _ in r.items("actors")], layers=layers)
    record.title = meta.get("title", str, "", nullable=True) or ""
    record.published = meta.get("published", str, None)
    record.date_raw = meta.get("date_raw", str, None)
    record.date_ambiguous = meta.get("date_ambiguous", bool, False)
    record.source = meta.get("source", str, None)
    record.url = meta.get("url", str, None)
    record.language = meta.get("language", str, None)
    record.meta = {key: value for key, value in meta.obj.items()
                   if key not in META_COLUMNS and not (prodigy and key in PRODIGY_META)}
    return record


def _span_json(span: Span | None) -> dict[str, int] | None:
    return None if span is None else {"start": span[0], "end": span[1]}


def _argument_json(argument: ArgumentRecord) -> dict[str, Any]:
    if argument.mention is not None:
        return {"role": argument.role, "mention": argument.mention}
    return {"role": argument.role, "start": argument.span[0], "end": argument.span[1]}


def _mention_json(m: MentionRecord) -> dict[str, Any]:
    out = {"id": m.id, "start": m.start, "end": m.end, "type": m.type, "actor": m.actor}
    if m.label is not None:
        out["label"] = m.label
    out["attributes"] = m.attributes
    return _provenance(out, m)


def _provenance(out: dict[str, Any], item: MentionRecord | EventRecord) -> dict[str, Any]:
    """Where an item came from: an export read back keeps it. "imported" is what a file that says nothing means,
    so it is left out (a file imported and exported again reads as it was)."""
    if item.origin not in (None, "imported"):
        out["origin"] = item.origin
    if item.suggester is not None:
        out["suggester"] = item.suggester
    return out


def _layer_json(layer: LayerRecord) -> dict[str, Any]:
    return {
        "annotator": layer.annotator,
        "status": layer.status,
        "mentions": [_mention_json(m) for m in layer.mentions],
        "stances": [{"id": s.id, "holder": s.holder, "target": s.target, "issue": s.issue,
                     "issue_position": s.issue_position, "label": s.label, "strength": s.strength,
                     "implicit_target": s.implicit_target, "evidence": _span_json(s.evidence),
                     "attributes": s.attributes} for s in layer.stances],
        "events": [_provenance({"id": e.id, "type": e.type, "trigger": _span_json(e.trigger),
                                "arguments": [_argument_json(a) for a in e.arguments],
                                "attributes": e.attributes, "date": e.date}, e) for e in layer.events],
        "relations": [{"type": r.type, "from": r.source, "to": r.target} for r in layer.relations],
        "mention_relations": [{"id": r.id, "type": r.type, "from": r.source, "to": r.target,
                               "attributes": r.attributes} for r in layer.mention_relations],
    }


def actor_to_json(actor: ActorRecord) -> dict[str, Any]:
    return {"id": actor.id, "name": actor.name, "type": actor.type, "kind": actor.kind, "country": actor.country,
            "code": actor.code, "aliases": actor.aliases, "description": actor.description,
            "merged_into": actor.merged_into}


def document_to_json(record: DocumentRecord, with_actors: bool = True) -> dict[str, Any]:
    """The canonical line: every key written, so export(import(x)) == x for canonical x. Without actors, the
    line lacks its `actors` key, for a writer that encodes them itself."""
    meta = {"title": record.title, "published": record.published, "date_raw": record.date_raw,
            "date_ambiguous": record.date_ambiguous, "source": record.source, "url": record.url,
            "language": record.language, **record.meta}
    line: dict[str, Any] = {"id": record.id, "text": record.text, "meta": meta}
    if with_actors:
        line["actors"] = [actor_to_json(actor) for actor in record.actors]
    line["layers"] = [_layer_json(layer) for layer in record.layers]
    return line
