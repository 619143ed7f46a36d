"""A document's layer as brat standoff lines.

Mentions → T (type = label, else mention type), with the mention type as an A
line, the linked actor as an N line (`Workstation:<actor id>`), other
attributes as A lines and notes as # lines. Events → trigger T + E (repeated
roles numbered brat-style: Org-Arg, Org-Arg2), free-span arguments → T of type
`Span`. Event relations → R between E ids; mention relations → R, or one `*`
line per group for symmetric-transitive types. Stances → an E of type
`Stance` over the evidence span with Holder/Target arguments (a mention of
each actor) and StanceLabel/Strength/ImplicitTarget attributes: an E line
keeps the evidence span and the label, which an R line could not.
A trigger shared by several events is one T line that every E uses.
Attributes brat cannot hold (lists, numbers, text with spaces) are not
written; they are counted in `omitted`, which the export reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from workstation.core.records import LayerRecord
from workstation.core.schema import METADATA_ATTRIBUTES, Schema
from workstation.formats.brat_ann import ACTOR_DATABASE, NOTE_TYPE
from workstation.formats.brat_conf import MENTION_TYPE_ATTRIBUTE, SPAN_TYPE, STANCE_TYPE
from workstation.store.document_reader import StandoffLayer
from workstation.store.export_rows import json_value

UNWRITABLE_ATTRIBUTE = ("attribute value(s) not written: brat holds single words and flags, not lists, numbers or "
                        "text with spaces")


class AnnWriter:
    """Numbers brat ids and collects lines for one document."""

    def __init__(self, document: StandoffLayer, layer: LayerRecord, schema: Schema):
        """The mentions are `document`'s rows; `layer` holds the other items (events, stances, relations)."""
        self.mentions, self.actors, self.layer, self.schema = document.mentions, document.actors, layer, schema
        self.flat = document.text.replace("\n", " ")
        """The text with its line breaks as spaces (one character for one), for the covered text of T lines."""
        self.lines: list[str] = []
        self.counters: dict[str, int] = defaultdict(int)
        self.ids: dict[str, str] = {}
        self.triggers: dict[tuple[str, tuple[int, int]], str] = {}
        self.omitted: Counter[str] = Counter()
        self.used_span = False

    def next_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"{kind}{self.counters[kind]}"

    def textbound(self, kind: str, fragments: list[tuple[int, int]]) -> str:
        brat_id = self.next_id("T")
        self.lines.append(self._textbound_line(brat_id, kind, fragments))
        return brat_id

    def _textbound_line(self, brat_id: str, kind: str, fragments: list[tuple[int, int]]) -> str:
        offsets = ";".join(f"{start} {end}" for start, end in fragments)
        return f"{brat_id}\t{kind} {offsets}\t{' '.join(self.flat[start:end] for start, end in fragments)}"

    def attributes(self, target: str, attributes: dict[str, Any]) -> None:
        for name, value in attributes.items():
            if name in METADATA_ATTRIBUTES:
                continue
            if value is True:
                self.lines.append(f"{self.next_id('A')}\t{name} {target}")
            elif isinstance(value, str) and value and not value.isspace() and len(value.split()) == 1:
                self.lines.append(f"{self.next_id('A')}\t{name} {target} {value}")
            elif value not in (False, None, "", []):
                self.omitted[UNWRITABLE_ATTRIBUTE] += 1
        for link in attributes.get("normalizations", []):
            self.lines.append(f"{self.next_id('N')}\tReference {target} {link['db']}:{link['id']}\t{link['text']}")
        if attributes.get("note"):
            self.note(target, attributes["note"])
        for note in attributes.get("notes", []):
            self.note(target, note["text"], note["type"])

    def note(self, target: str, text: str, kind: str = NOTE_TYPE) -> None:
        """A note keeps its own spacing; only line breaks and tabs, which would end the line, become spaces."""
        self.lines.append(f"{self.next_id('#')}\t{kind} {target}\t{text.replace(chr(10), ' ').replace(chr(9), ' ')}")

    def trigger(self, kind: str, span: tuple[int, int]) -> str:
        """One T per trigger span and type, however many events it starts (brat warns of identical spans)."""
        key = (kind, tuple(span))
        if key not in self.triggers:
            self.triggers[key] = self.textbound(kind, [span])
        return self.triggers[key]

    def write_mentions(self) -> None:
        """Mentions come first, one T each, so the n-th is Tn. A mention's T, A (mention type) and N (actor) lines
        are one string, numbered here (`write` joins the strings); only a mention with attributes (rare) goes
        through `attributes`, which numbers through `counters`. 50 mentions per document made the calls per
        line most of an export's time."""
        lines, flat, actors, counters = self.lines, self.flat, self.actors, self.counters
        typed = bool(self.schema.mention_types)
        a = n = number = 0
        for number, (_, start, end, mention_type, label, actor_id, stored, _) in enumerate(self.mentions, 1):
            external = name = actor_type = None
            if actor_id is not None:
                external, name, actor_type = actors[actor_id]
            label = label or actor_type or mention_type or "MENTION"  # as `records.mention_label`
            attributes = json_value(stored) if stored and stored != "{}" else None
            if attributes and attributes.get("fragments"):
                fragments = [tuple(f) for f in attributes["fragments"]]
                line = self._textbound_line(f"T{number}", label, fragments)
            else:
                line = f"T{number}\t{label} {start} {end}\t{flat[start:end]}"
            if mention_type is not None and typed:
                a += 1
                line = f"{line}\nA{a}\t{MENTION_TYPE_ATTRIBUTE} T{number} {mention_type}"
            if external is not None:
                n += 1
                line = f"{line}\nN{n}\tReference T{number} {ACTOR_DATABASE}:{external}\t{name}"
            lines.append(line)
            if attributes:
                counters["A"], counters["N"] = a, n
                self.attributes(f"T{number}", attributes)
                a, n = counters["A"], counters["N"]
        counters["T"], counters["A"], counters["N"] = number, a, n

    def write(self) -> str:
        self.write_mentions()
        layer = self.layer
        if layer.events or layer.relations or layer.mention_relations or layer.stances:
            self.ids = {mention.id: f"T{number}" for number, mention in enumerate(layer.mentions, 1)}
            event_roles = self._events()
            for r in layer.relations:
                if (r.source, r.type) not in event_roles:
                    self.lines.append(f"{self.next_id('R')}\t{r.type} Arg1:{self.ids[r.source]} "
                                      f"Arg2:{self.ids[r.target]}")
            self._mention_relations()
            self._stances()
        return "\n".join([*self.lines, ""])

    def _events(self) -> set[tuple[str, str]]:
        """Write T + E lines; returns the (event, role) pairs whose fillers are events (written as E args)."""
        by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in self.layer.relations:
            roles = self.schema.event_types[e.type].roles if (e := self._event(r.source)) else ()
            if r.type in roles:
                by_source[r.source].append((r.type, r.target))
        for e in self.layer.events:
            self.ids[e.id] = self.next_id("E")
        for e in self.layer.events:
            trigger = self.trigger(e.type, e.trigger)
            self.used_span = self.used_span or any(a.mention is None for a in e.arguments)
            arguments = [(a.role, self.ids[a.mention] if a.mention else self.trigger(SPAN_TYPE, a.span))
                         for a in e.arguments]
            arguments += [(role, self.ids[target]) for role, target in by_source[e.id]]
            seen: dict[str, int] = defaultdict(int)
            numbered = []
            for role, target in arguments:
                seen[role] += 1
                numbered.append(f"{role}{seen[role] if seen[role] > 1 else ''}:{target}")
            self.lines.append(f"{self.ids[e.id]}\t{' '.join([f'{e.type}:{trigger}', *numbered])}")
            self.attributes(self.ids[e.id], e.attributes)
        return {(source, role) for source, pairs in by_source.items() for role, _ in pairs}

    def _event(self, event_id: str) -> Any:
        return next((e for e in self.layer.events if e.id == event_id), None)

    def _mention_relations(self) -> None:
        groups: dict[str, list[list[str]]] = defaultdict(list)
        described = self.schema.data.get("relation_types")
        for r in self.layer.mention_relations:
            spec = described.get(r.type, "") if isinstance(described, dict) else ""
            if "symmetric-transitive" in spec and not r.attributes:
                _join(groups[r.type], self.ids[r.source], self.ids[r.target])
                continue
            brat_id = self.next_id("R")
            self.lines.append(f"{brat_id}\t{r.type} Arg1:{self.ids[r.source]} Arg2:{self.ids[r.target]}\t")
            self.attributes(brat_id, r.attributes)
        for kind, members in groups.items():
            for group in members:
                self.lines.append(f"*\t{kind} {' '.join(group)}")

    def _stances(self) -> None:
        mention_of: dict[str, str] = {}
        for number, mention in enumerate(self.layer.mentions, 1):
            if mention.actor is not None:
                mention_of.setdefault(mention.actor, f"T{number}")
        for s in self.layer.stances:
            holder = mention_of.get(s.holder)
            if s.evidence is None or holder is None:
                self.omitted["stance(s) not written: brat needs an evidence span and a mention of the holder"] += 1
                continue
            arguments = [f"Holder:{holder}"]
            if s.target is not None and s.target in mention_of:
                arguments.append(f"Target:{mention_of[s.target]}")
            elif s.target is not None:
                self.omitted["stance target(s) not written: no mention of the target actor in the document"] += 1
            trigger = self.textbound(STANCE_TYPE, [s.evidence])
            brat_id = self.next_id("E")
            self.lines.append(f"{brat_id}\t{STANCE_TYPE}:{trigger} {' '.join(arguments)}")
            self.lines.append(f"{self.next_id('A')}\tStanceLabel {brat_id} {s.label}")
            self.lines.append(f"{self.next_id('A')}\tStrength {brat_id} {s.strength}")
            if s.implicit_target:
                self.lines.append(f"{self.next_id('A')}\tImplicitTarget {brat_id}")
            if s.issue:
                self.note(brat_id, f"issue: {s.issue}")


def _join(groups: list[list[str]], first: str, second: str) -> None:
    """Union of equivalence groups: brat's * line lists a whole group."""
    touching = [group for group in groups if first in group or second in group]
    merged: list[str] = []
    for group in touching:
        groups.remove(group)
        merged.extend(member for member in group if member not in merged)
    merged.extend(member for member in (first, second) if member not in merged)
    groups.append(merged)
